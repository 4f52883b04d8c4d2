// Subscription args ⇄ Lago (lago-api.md §5.2–5.7), and which differences are updates and which
// need a new subscription.
import type { SubscriptionArgs } from "./schema";

type Json = Record<string, unknown>;

export type SubscriptionStatus = "pending" | "active" | "terminated" | "canceled" | "incomplete";

export interface SubscriptionOutputs {
  lagoId: string;
  externalId: string;
  externalCustomerId: string;
  lagoCustomerId: string;
  planCode: string;
  name: string;
  status: SubscriptionStatus;
  billingTime: "calendar" | "anniversary";
  subscriptionAt: string;
  startedAt: string | null;
  endingAt: string | null;
  terminatedAt: string | null;
  canceledAt: string | null;
  createdAt: string;
  trialEndedAt: string | null;
  previousPlanCode: string | null;
  /** Set while a downgrade waits for the end of the period (§5.3). */
  nextPlanCode: string | null;
  downgradePlanDate: string | null;
  planAmountCents: number | null;
  planAmountCurrency: string | null;
  currentBillingPeriodStartedAt: string | null;
  currentBillingPeriodEndingAt: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function subscriptionFromLago(sub: Json): SubscriptionOutputs {
  return {
    lagoId: String(sub.lago_id),
    externalId: String(sub.external_id),
    externalCustomerId: String(sub.external_customer_id),
    lagoCustomerId: String(sub.lago_customer_id),
    planCode: String(sub.plan_code),
    name: str(sub.name) ?? "",
    status: sub.status as SubscriptionStatus,
    billingTime: sub.billing_time === "anniversary" ? "anniversary" : "calendar",
    subscriptionAt: String(sub.subscription_at),
    startedAt: str(sub.started_at),
    endingAt: str(sub.ending_at),
    terminatedAt: str(sub.terminated_at),
    canceledAt: str(sub.canceled_at),
    createdAt: String(sub.created_at),
    trialEndedAt: str(sub.trial_ended_at),
    previousPlanCode: str(sub.previous_plan_code),
    nextPlanCode: str(sub.next_plan_code),
    downgradePlanDate: str(sub.downgrade_plan_date),
    planAmountCents: typeof sub.plan_amount_cents === "number" ? sub.plan_amount_cents : null,
    planAmountCurrency: str(sub.plan_amount_currency),
    currentBillingPeriodStartedAt: str(sub.current_billing_period_started_at),
    currentBillingPeriodEndingAt: str(sub.current_billing_period_ending_at),
  };
}

/** POST /subscriptions body; a plan change is the same POST with the same external_id (§5.3). */
export function createRequest(args: SubscriptionArgs): Json {
  return {
    external_id: args.externalId,
    external_customer_id: args.externalCustomerId,
    plan_code: args.planCode,
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.billingTime !== undefined ? { billing_time: args.billingTime } : {}),
    ...(args.subscriptionAt !== undefined ? { subscription_at: args.subscriptionAt } : {}),
    ...(args.endingAt !== undefined ? { ending_at: args.endingAt } : {}),
  };
}

/** PUT body for what PUT can change (§5.4); subscription_at only while the subscription is pending. */
export function updateRequest(args: SubscriptionArgs, current: SubscriptionOutputs): Json {
  return {
    name: args.name ?? "",
    ending_at: args.endingAt ?? null,
    ...(current.status === "pending" && args.subscriptionAt !== undefined ? { subscription_at: args.subscriptionAt } : {}),
  };
}

/** Outputs back into args (for `read`'s inputs). */
export function argsFromOutputs(outputs: SubscriptionOutputs, keep: Pick<SubscriptionArgs, "allowDestroy" | "adopt" | "subscriptionAt"> = {}): SubscriptionArgs {
  return {
    externalId: outputs.externalId,
    externalCustomerId: outputs.externalCustomerId,
    // A pending downgrade is what the args asked for.
    planCode: outputs.nextPlanCode ?? outputs.planCode,
    ...(outputs.name !== "" ? { name: outputs.name } : {}),
    billingTime: outputs.billingTime,
    ...(outputs.endingAt !== null ? { endingAt: outputs.endingAt } : {}),
    ...keep,
  };
}

// ---------------------------------------------------------------- differences

const instant = (s: string | null | undefined) => (s === null || s === undefined ? null : Date.parse(s));

export interface SubscriptionChanges {
  /** Args that Lago cannot change on an existing subscription. */
  replaces: string[];
  /** Args changed in place: planCode by POST, the rest by PUT. */
  updates: string[];
}

/** How `actual` (outputs) differs from `desired` (args); omitted args with Lago defaults compare equal. */
export function subscriptionChanges(desired: SubscriptionArgs, actual: SubscriptionOutputs): SubscriptionChanges {
  const replaces: string[] = [];
  const updates: string[] = [];
  if (desired.externalId !== actual.externalId) replaces.push("externalId");
  if (desired.externalCustomerId !== actual.externalCustomerId) replaces.push("externalCustomerId");
  if ((desired.billingTime ?? "calendar") !== actual.billingTime) replaces.push("billingTime");
  if (desired.subscriptionAt !== undefined && instant(desired.subscriptionAt) !== instant(actual.subscriptionAt))
    (actual.status === "pending" ? updates : replaces).push("subscriptionAt");
  // A pending downgrade to the desired plan is the desired plan (§5.3); one to another plan is not.
  if (desired.planCode !== (actual.nextPlanCode ?? actual.planCode)) updates.push("planCode");
  if ((desired.name ?? "") !== actual.name) updates.push("name");
  if (instant(desired.endingAt) !== instant(actual.endingAt)) updates.push("endingAt");
  return { replaces, updates };
}
