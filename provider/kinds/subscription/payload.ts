// Subscription: arguments ⇄ Lago's `subscription` object (lago-api.md §5.2–5.7).
import { snakeCase } from "../../errors";
import type { Args } from "../../kind";

/** The fields of Lago's subscription response the provider reads. */
export interface LagoSubscription {
  lago_id: string;
  external_id: string;
  lago_customer_id: string;
  external_customer_id: string;
  name: string | null;
  plan_code: string;
  status: "pending" | "active" | "terminated" | "canceled" | "incomplete";
  billing_time: "calendar" | "anniversary";
  subscription_at: string;
  started_at: string | null;
  ending_at: string | null;
  terminated_at: string | null;
  canceled_at: string | null;
  created_at: string;
  trial_ended_at?: string | null;
  previous_plan_code: string | null;
  /** Set while a downgrade waits for the end of the period (§5.3). */
  next_plan_code: string | null;
  downgrade_plan_date: string | null;
  plan_amount_cents?: number;
  plan_amount_currency?: string;
  current_billing_period_started_at?: string | null;
  current_billing_period_ending_at?: string | null;
}

/** Every managed argument; its Lago field is its snake_case. */
export const SUBSCRIPTION_ARGS = ["externalId", "externalCustomerId", "planCode", "name", "billingTime", "subscriptionAt", "endingAt"] as const;

export type SubscriptionArg = (typeof SUBSCRIPTION_ARGS)[number];

/** What PUT can change (§5.4); the plan changes by POST, the rest needs a new subscription. */
export const PUT_ARGS: SubscriptionArg[] = ["name", "endingAt", "subscriptionAt"];

/** The body for the arguments in `payload` (absent ones are not sent). */
export function toWire(payload: Args, only: readonly SubscriptionArg[] = SUBSCRIPTION_ARGS): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const arg of only) if (arg in payload) wire[snakeCase(arg)] = arg === "name" ? (payload.name ?? "") : payload[arg];
  return wire;
}

/** The plan the subscription is headed for: a pending downgrade counts as the plan asked for (§5.3). */
export const intendedPlan = (remote: LagoSubscription): string => remote.next_plan_code ?? remote.plan_code;

export function toArgs(remote: LagoSubscription): Args {
  return {
    externalId: remote.external_id,
    externalCustomerId: remote.external_customer_id,
    planCode: intendedPlan(remote),
    name: remote.name ?? "",
    billingTime: remote.billing_time,
    subscriptionAt: remote.subscription_at,
    endingAt: remote.ending_at,
  };
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
export function normalize(args: Args): Args {
  const out: Args = { ...args };
  if (out.name === "") delete out.name;
  if (out.billingTime === "calendar") delete out.billingTime;
  for (const key of ["subscriptionAt", "endingAt"]) if (key in out) out[key] = instant(out[key]);
  return out;
}
