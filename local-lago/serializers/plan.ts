// The plan object Lago answers with (app/serializers/v1/plan_serializer.rb, lago-api.md §3.5).
import type { LagoContext } from "../context";
import { tables, type CommitmentRecord, type PlanRow } from "../model";
import { liveChargesOf, serializeCharge } from "../resources/charges";
import { liveFixedChargesOf, serializeFixedCharge } from "../resources/fixed-charges";
import { serializeTaxIds } from "../resources/taxes";

function serializeCommitment(lago: LagoContext, plan: PlanRow, c: CommitmentRecord) {
  return {
    lago_id: c.id,
    plan_code: plan.code,
    invoice_display_name: c.invoice_display_name,
    amount_cents: c.amount_cents,
    interval: plan.interval,
    created_at: c.created_at,
    updated_at: c.updated_at,
    taxes: serializeTaxIds(lago, c.tax_ids),
  };
}

export interface SerializePlanOptions {
  /**
   * No `fixed_charges`: list items (GET /plans, Lago's index), and the plan a subscription answer embeds
   * (app/serializers/v1/subscription_serializer.rb includes the plan without them).
   */
  list?: boolean;
}

/** The §3.5 plan object with charges, taxes, thresholds; deprecated counters are always 0. */
export function serializePlan(lago: LagoContext, plan: PlanRow, options: SerializePlanOptions = {}) {
  const parent = plan.parent_id ? tables(lago.store).plans.get(plan.parent_id) : undefined;
  return {
    lago_id: plan.id,
    name: plan.name,
    invoice_display_name: plan.invoice_display_name,
    created_at: plan.created_at,
    code: plan.code,
    interval: plan.interval,
    description: plan.description,
    amount_cents: plan.amount_cents,
    amount_currency: plan.amount_currency,
    trial_period: plan.trial_period,
    pay_in_advance: plan.pay_in_advance,
    bill_charges_monthly: plan.bill_charges_monthly,
    bill_fixed_charges_monthly: plan.bill_fixed_charges_monthly,
    customers_count: 0,
    active_subscriptions_count: 0,
    draft_invoices_count: 0,
    parent_id: plan.parent_id,
    pending_deletion: plan.pending_deletion,
    charges: liveChargesOf(lago, plan.id).map((c) => serializeCharge(lago, c)),
    ...(options.list ? {} : { fixed_charges: liveFixedChargesOf(lago, plan.id).map((f) => serializeFixedCharge(lago, f)) }),
    // Entitlements are not emulated.
    entitlements: [],
    usage_thresholds: plan.usage_thresholds.map((t) => ({ lago_id: t.id, threshold_display_name: t.threshold_display_name, amount_cents: t.amount_cents, recurring: t.recurring, created_at: t.created_at, updated_at: t.updated_at })),
    applicable_usage_thresholds: (parent ?? plan).usage_thresholds.map((t) => ({ threshold_display_name: t.threshold_display_name, amount_cents: t.amount_cents, recurring: t.recurring })),
    taxes: serializeTaxIds(lago, plan.tax_ids),
    ...(plan.minimum_commitment ? { minimum_commitment: serializeCommitment(lago, plan, plan.minimum_commitment) } : {}),
    ...(plan.metadata !== null ? { metadata: plan.metadata } : {}),
  };
}
