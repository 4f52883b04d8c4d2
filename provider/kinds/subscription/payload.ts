// Subscription: arguments ⇄ Lago's `subscription` object (lago-api.md §5.2–5.7), typed by Lago's contract.
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import { comparableOverrides, overridesFromPlan, projectOverrides, type ChargeOverrideLike, type FixedChargeOverrideLike, type HeldOverrides, type PlanOverridesArgs, type PlanOverridesBody } from "./overrides";
import type { SubscriptionArgs } from "./schema";

/** Lago's subscription object, with the plan it bills when the answer embeds it (single-object answers). */
export type LagoSubscription = Wire["SubscriptionObjectExtended"];
/** The members of Lago's create body a write may send: the keys, the plan (a change of plan is a POST) and the edits PUT takes. */
export type SubscriptionBody = Partial<Wire["SubscriptionCreate"]>;

/** The arguments as the kind handles them: charge overrides in the one shape that holds both sides (any model's properties). */
export type SubscriptionKindArgs = Omit<SubscriptionArgs, "planOverrides"> & { planOverrides?: OverridesArgsLike };
export type OverridesArgsLike = Omit<PlanOverridesArgs, "charges" | "fixedCharges"> & { charges?: ChargeOverrideLike[]; fixedCharges?: FixedChargeOverrideLike[] };
export type SubscriptionManaged = Managed<SubscriptionKindArgs>;
export type SubscriptionArg = keyof SubscriptionManaged;

/** What PUT can change (§5.4); the plan changes by POST, the rest needs a new subscription. */
export const PUT_ARGS: SubscriptionArg[] = ["name", "endingAt", "subscriptionAt", "planOverrides"];

const ALL: readonly SubscriptionArg[] = ["externalId", "externalCustomerId", "planCode", "name", "billingTime", "subscriptionAt", "endingAt"];

/**
 * The body for the arguments in `payload` (absent ones are not sent), limited to `only`. Plan overrides need the plan
 * as Lago holds it (its charges' ids): the kind reads it and passes their body.
 */
export function toWire(payload: SubscriptionManaged, only: readonly SubscriptionArg[] = ALL, planOverrides?: PlanOverridesBody): SubscriptionBody {
  const has = (arg: SubscriptionArg) => only.includes(arg) && arg in payload;
  const body: SubscriptionBody = {};
  if (has("externalId")) body.external_id = payload.externalId ?? undefined;
  if (has("externalCustomerId")) body.external_customer_id = payload.externalCustomerId ?? undefined;
  if (has("planCode")) body.plan_code = payload.planCode ?? undefined;
  if (has("name")) body.name = payload.name ?? "";
  if (has("billingTime")) body.billing_time = payload.billingTime ?? undefined;
  if (has("subscriptionAt")) body.subscription_at = payload.subscriptionAt ?? undefined;
  if (has("endingAt")) body.ending_at = payload.endingAt ?? null;
  if (planOverrides) body.plan_overrides = planOverrides;
  return body;
}

/** The plan the subscription is headed for: a pending downgrade counts as the plan asked for (§5.3). */
export const intendedPlan = (remote: LagoSubscription): string => remote.next_plan_code ?? remote.plan_code;

export function toArgs(remote: LagoSubscription): SubscriptionManaged {
  return {
    externalId: remote.external_id,
    externalCustomerId: remote.external_customer_id,
    planCode: intendedPlan(remote),
    name: remote.name ?? "",
    billingTime: remote.billing_time,
    subscriptionAt: remote.subscription_at,
    endingAt: remote.ending_at,
    // The plan billed, in the overrides' shape; `project` cuts it to what the program overrides. While a downgrade
    // waits, the plan asked for is the pending subscription's, which this answer does not carry.
    ...(remote.plan && !remote.next_plan_code ? { planOverrides: overridesFromPlan(remote.plan) } : {}),
  };
}

/**
 * What Lago holds of the overrides asked; none asked, none compared. An answer without the plan asked for (a pending
 * downgrade's) cannot say, and counts as holding what was asked.
 */
export function project(held: SubscriptionManaged, asked: SubscriptionManaged): SubscriptionManaged {
  const out = { ...held };
  const overrides = asked.planOverrides;
  if (!overrides || typeof overrides !== "object") delete out.planOverrides;
  else out.planOverrides = held.planOverrides ? projectOverrides(held.planOverrides as HeldOverrides, overrides) : overrides;
  return out;
}

/** Computed outputs: where the subscription really is (current plan, status) and what is pending. */
export const outputs = (remote: LagoSubscription): Args => ({
  lagoId: remote.lago_id,
  createdAt: remote.created_at,
  lagoCustomerId: remote.lago_customer_id,
  status: remote.status,
  /** The plan billed now; `planCode` is the one asked for (they differ while a downgrade is pending). */
  currentPlanCode: remote.plan_code,
  previousPlanCode: remote.previous_plan_code,
  nextPlanCode: remote.next_plan_code,
  downgradePlanDate: remote.downgrade_plan_date,
  startedAt: remote.started_at,
  trialEndedAt: remote.trial_ended_at ?? null,
  terminatedAt: remote.terminated_at,
  currentBillingPeriodStartedAt: remote.current_billing_period_started_at ?? null,
  currentBillingPeriodEndingAt: remote.current_billing_period_ending_at ?? null,
});

const instant = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

/** Comparable form: Lago's defaults dropped (blank name, calendar billing), instants in one spelling. */
export function normalize(args: SubscriptionManaged): Args {
  const out: Args = { ...args };
  if (out.name === "") delete out.name;
  if (out.billingTime === "calendar") delete out.billingTime;
  for (const key of ["subscriptionAt", "endingAt"]) if (key in out) out[key] = instant(out[key]);
  if (out.planOverrides && typeof out.planOverrides === "object") {
    const overrides = comparableOverrides(out.planOverrides as OverridesArgsLike);
    if (Object.keys(overrides).length) out.planOverrides = overrides;
    else delete out.planOverrides;
  }
  return out;
}
