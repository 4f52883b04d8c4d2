// Subscriptions (lago-api.md §5).
import type { LagoContext } from "../context";
import { tables, type SubscriptionRow } from "../model";

/** The subscriptions room's row: the shared shape plus what only this room reads. */
export interface SubscriptionRecord extends SubscriptionRow {
  name: string;
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
    terminated_at: current.terminated_at ?? nowIso(lago),
    // Lago records the actions it applied; the credit-note one only exists for pay-in-advance plans.
    on_termination_credit_note: planPaysInAdvance ? (options.on_termination_credit_note ?? current.on_termination_credit_note ?? "credit") : null,
    on_termination_invoice: options.on_termination_invoice ?? current.on_termination_invoice ?? "generate",
  };
  subscriptions.put(terminated);
  const next = pendingNextOf(lago, current);
  if (next) cancelSubscription(lago, next);
  return terminated;
}
