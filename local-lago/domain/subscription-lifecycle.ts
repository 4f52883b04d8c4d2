// The subscription lifecycle (lago-api.md §5.6; Lago's Subscriptions::TerminateService, the
// Subscription model and its clock jobs): cancel, terminate, periods, and catching up with the clock.
// Route modules and the plan and customer rules build on it; it depends on neither.
import type { LagoContext } from "../context";
import { ianaTimezone } from "../geography";
import { tables, type PlanRow, type SubscriptionRow } from "../model";
import { billingPeriodAt, formatDate, localDate, periodContaining, zonedInstant, type BillingPeriod } from "../periods";
import { applicableTimezone, type CustomerRecord } from "./customers";

/** The subscription row: the shared shape plus what only the subscription rules read. */
export interface SubscriptionRecord extends SubscriptionRow {
  /** "" when created without one; PUT may set it to null. */
  name: string | null;
  ending_at: string | null;
  /** The subscription this one replaced (upgrade) or will replace (pending downgrade). */
  previous_subscription_id: string | null;
  on_termination_credit_note: "credit" | "refund" | "offset" | "skip" | null;
  on_termination_invoice: "generate" | "skip";
  progressive_billing_disabled: boolean;
  consolidate_invoice: boolean;
  activated_at: string | null;
  payment_method: { payment_method_type: string | null; payment_method_id: string | null };
  usage_thresholds: Array<{ id: string; threshold_display_name: string | null; amount_cents: number; recurring: boolean; created_at: string; updated_at: string }>;
}

const nowIso = (lago: LagoContext) => lago.now().toISOString();

/** The pending subscription waiting to replace `row` at period end (a downgrade), if any. */
export function pendingNextOf(lago: LagoContext, row: SubscriptionRow): SubscriptionRecord | undefined {
  return tables(lago.store).subscriptions.find(
    (s) => (s as SubscriptionRecord).previous_subscription_id === row.id && s.status === "pending",
  ) as SubscriptionRecord | undefined;
}

/** Cancels a pending subscription (status `canceled`, `canceled_at` now); other statuses are left alone. */
export function cancelSubscription(lago: LagoContext, row: SubscriptionRow): SubscriptionRecord {
  const { subscriptions } = tables(lago.store);
  const current = (subscriptions.get(row.id) ?? row) as SubscriptionRecord;
  if (current.status !== "pending") return current;
  return subscriptions.put({ ...current, status: "canceled", canceled_at: current.canceled_at ?? nowIso(lago) }) as SubscriptionRecord;
}

export interface TerminationOptions {
  on_termination_credit_note?: SubscriptionRecord["on_termination_credit_note"];
  on_termination_invoice?: SubscriptionRecord["on_termination_invoice"];
  /** When it ended (default now): the period end for a downgrade, ending_at for an expiry. */
  at?: Date;
}

/**
 * Terminates a subscription the way Lago's termination does: a pending one is canceled instead,
 * an active one becomes `terminated` now and its pending downgrade is canceled (§5.6).
 * Terminated or canceled rows are returned unchanged.
 */
export function terminateSubscription(lago: LagoContext, row: SubscriptionRow, options: TerminationOptions = {}): SubscriptionRecord {
  const { subscriptions } = tables(lago.store);
  const current = (subscriptions.get(row.id) ?? row) as SubscriptionRecord;
  if (current.status === "pending") return cancelSubscription(lago, current);
  if (current.status !== "active" && current.status !== "incomplete") return current;
  const planPaysInAdvance = tables(lago.store).plans.get(current.plan_id)?.pay_in_advance === true;
  const terminated: SubscriptionRecord = {
    ...current,
    status: "terminated",
    terminated_at: current.terminated_at ?? (options.at ?? lago.now()).toISOString(),
    // Lago records the actions it applied; the credit-note one only exists for pay-in-advance plans.
    on_termination_credit_note: planPaysInAdvance ? (options.on_termination_credit_note ?? current.on_termination_credit_note ?? "credit") : null,
    on_termination_invoice: options.on_termination_invoice ?? current.on_termination_invoice ?? "generate",
  };
  subscriptions.put(terminated);
  const next = pendingNextOf(lago, current);
  if (next) cancelSubscription(lago, next);
  return terminated;
}

// ---------------------------------------------------------------------------------------------
// Dates, periods and the response (§5.7)

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Lago's ISO 8601 check; a time without offset is read as UTC. Null when invalid. */
export function parseIsoDatetime(value: unknown): Date | null {
  if (typeof value !== "string" || !ISO_DATETIME.test(value.trim())) return null;
  const raw = value.trim();
  const withZone = raw.length === 10 ? `${raw}T00:00:00Z` : /(Z|[+-]\d{2}(:?\d{2})?)$/.test(raw.slice(10)) ? raw : `${raw}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export const planOf = (lago: LagoContext, row: SubscriptionRow): PlanRow => tables(lago.store).plans.get(row.plan_id)!;
export const customerOf = (lago: LagoContext, row: SubscriptionRow): CustomerRecord => tables(lago.store).customers.get(row.customer_id) as CustomerRecord;

export const timezoneOf = (lago: LagoContext, row: SubscriptionRow) => ianaTimezone(applicableTimezone(customerOf(lago, row)));

/** The interval charges are billed on: monthly for yearly/semiannual plans billing charges monthly. */
function chargesInterval(plan: PlanRow): PlanRow["interval"] {
  return (plan.interval === "yearly" || plan.interval === "semiannual") && plan.bill_charges_monthly ? "monthly" : plan.interval;
}

/**
 * The charges period around `at` (Lago's current-usage boundaries): from the period start or the
 * subscription start, to the period's last second or the termination. Null before it started.
 */
export function chargesPeriod(lago: LagoContext, row: SubscriptionRow, at: Date): BillingPeriod | null {
  if (row.started_at === null) return null;
  const plan = planOf(lago, row);
  const startedAt = new Date(row.started_at);
  const reference = at < startedAt ? startedAt : at; // Lago's billing_reference_time
  return billingPeriodAt(
    {
      interval: chargesInterval(plan),
      billingTime: row.billing_time,
      timezone: timezoneOf(lago, row),
      subscriptionAt: new Date(row.subscription_at),
      startedAt,
      terminatedAt: row.terminated_at === null ? null : new Date(row.terminated_at),
    },
    reference,
  );
}

/** The subscription replacing this one (not canceled), newest first, like Lago's next_subscription. */
export function nextOf(lago: LagoContext, row: SubscriptionRow): SubscriptionRecord | undefined {
  return (tables(lago.store).subscriptions.filter((s) => (s as SubscriptionRecord).previous_subscription_id === row.id && s.status !== "canceled") as SubscriptionRecord[]).sort(
    (a, b) => (a.created_at < b.created_at ? 1 : -1),
  )[0];
}

/** Local date of an instant in the customer's timezone, as YYYY-MM-DD (for today/past/future). */
export const localDay = (at: Date, timezone: string) => formatDate(localDate(at, timezone));

/**
 * What Lago's clock jobs would have done by now, applied when the local Lago is asked: future
 * subscriptions start on their day, pending downgrades take over after the period they were asked
 * in, and subscriptions past their ending_at terminate then.
 */
export function settleSubscriptions(lago: LagoContext): void {
  const now = lago.now();
  const { subscriptions } = tables(lago.store);
  for (const row of subscriptions.all() as SubscriptionRecord[]) {
    if (row.status !== "pending" || row.previous_subscription_id !== null) continue;
    const timezone = timezoneOf(lago, row);
    if (localDay(new Date(row.subscription_at), timezone) <= localDay(now, timezone))
      subscriptions.put({ ...row, status: "active", started_at: row.subscription_at, activated_at: row.subscription_at } as SubscriptionRecord);
  }
  for (const row of subscriptions.all() as SubscriptionRecord[]) {
    if (row.status !== "active") continue;
    const next = pendingNextOf(lago, row);
    if (next) {
      const timezone = timezoneOf(lago, row);
      const plan = planOf(lago, row);
      const asked = periodContaining(plan.interval, row.billing_time, localDate(new Date(row.subscription_at), timezone), localDate(new Date(next.created_at), timezone));
      const periodEnd = zonedInstant(asked.last, timezone, 23, 59, 59);
      if (now > periodEnd) {
        subscriptions.put({ ...row, status: "terminated", terminated_at: periodEnd.toISOString() } as SubscriptionRecord);
        const start = new Date(periodEnd.getTime() + 1000).toISOString();
        subscriptions.put({ ...next, status: "active", started_at: start, activated_at: start } as SubscriptionRecord);
        continue;
      }
    }
    if (row.ending_at !== null && Date.parse(row.ending_at) <= now.getTime()) terminateSubscription(lago, row, { at: new Date(row.ending_at) });
  }
}
