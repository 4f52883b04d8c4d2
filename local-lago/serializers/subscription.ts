// The subscription object Lago answers with (app/serializers/v1/subscription_serializer.rb, lago-api.md §5.7).
import { isoSeconds, type LagoContext } from "../context";
import { tables, yearlyAmountCents } from "../model";
import { addDays, formatDate, localDate, periodContaining } from "../periods";
import { chargesPeriod, customerOf, nextOf, planOf, timezoneOf, type SubscriptionRecord } from "../domain/subscription-lifecycle";
import { DEFAULT_BILLING_ENTITY_CODE } from "../resources/taxes";
import { serializePlan } from "./plan";

const seconds = (iso: string | null): string | null => (iso === null ? null : isoSeconds(new Date(iso)));

/** Pending downgrade: the day after the current plan period ends. Applied downgrade: its start. */
function downgradePlanDate(lago: LagoContext, row: SubscriptionRecord): string | null {
  const next = nextOf(lago, row);
  if (!next) return null;
  const downgraded = yearlyAmountCents(planOf(lago, row)) > yearlyAmountCents(planOf(lago, next));
  if (next.status === "active" && downgraded) return next.started_at?.slice(0, 10) ?? null;
  if (next.status !== "pending") return null;
  const timezone = timezoneOf(lago, row);
  const plan = planOf(lago, row);
  const period = periodContaining(plan.interval, row.billing_time, localDate(new Date(row.subscription_at), timezone), localDate(lago.now(), timezone));
  return formatDate(addDays(period.last, 1));
}

/** The trial ends `trial_period` days after the first start under this external id. */
function trialEndedAt(lago: LagoContext, row: SubscriptionRecord): string | null {
  const trialDays = planOf(lago, row).trial_period ?? 0;
  if (!trialDays || row.started_at === null) return null;
  const firstStart = tables(lago.store)
    .subscriptions.filter((s) => s.customer_id === row.customer_id && s.external_id === row.external_id && s.started_at !== null)
    .map((s) => s.started_at!)
    .sort()[0]!;
  const end = new Date(Date.parse(firstStart) + trialDays * 86_400_000);
  return end <= lago.now() ? isoSeconds(end) : null;
}

/** What the subscription bills against: its own thresholds, else its plan's (§5.7). */
function applicableThresholds(lago: LagoContext, row: SubscriptionRecord) {
  const own = row.usage_thresholds ?? [];
  const plan = planOf(lago, row);
  const source = own.length ? own : ((plan.parent_id ? tables(lago.store).plans.get(plan.parent_id) : plan) ?? plan).usage_thresholds ?? [];
  return source.map((t) => ({ threshold_display_name: t.threshold_display_name, amount_cents: t.amount_cents, recurring: t.recurring }));
}

export interface SerializeOptions {
  /** Single-object responses embed the full plan. */
  plan?: boolean;
  entitlements?: boolean;
  thresholds?: boolean;
  customSections?: boolean;
}

export function serializeSubscription(lago: LagoContext, row: SubscriptionRecord, options: SerializeOptions = {}) {
  const plan = planOf(lago, row);
  const customer = customerOf(lago, row);
  const previous = row.previous_subscription_id ? tables(lago.store).subscriptions.get(row.previous_subscription_id) : undefined;
  const next = nextOf(lago, row);
  const period = chargesPeriod(lago, row, lago.now());
  return {
    lago_id: row.id,
    external_id: row.external_id,
    lago_customer_id: row.customer_id,
    external_customer_id: customer.external_id,
    billing_entity_code: DEFAULT_BILLING_ENTITY_CODE,
    name: row.name,
    plan_code: plan.code,
    plan_amount_cents: plan.amount_cents,
    plan_amount_currency: plan.amount_currency,
    status: row.status,
    billing_time: row.billing_time,
    subscription_at: seconds(row.subscription_at),
    started_at: row.started_at === null ? null : new Date(row.started_at).toISOString(),
    trial_ended_at: trialEndedAt(lago, row),
    ending_at: seconds(row.ending_at),
    terminated_at: seconds(row.terminated_at),
    canceled_at: seconds(row.canceled_at),
    created_at: seconds(row.created_at),
    previous_plan_code: previous ? planOf(lago, previous).code : null,
    next_plan_code: next ? planOf(lago, next).code : null,
    downgrade_plan_date: downgradePlanDate(lago, row),
    current_billing_period_started_at: period ? isoSeconds(period.from) : null,
    current_billing_period_ending_at: period ? isoSeconds(period.to) : null,
    on_termination_credit_note: row.on_termination_credit_note,
    on_termination_invoice: row.on_termination_invoice,
    progressive_billing_disabled: row.progressive_billing_disabled,
    consolidate_invoice: row.consolidate_invoice,
    cancellation_reason: null,
    activated_at: seconds(row.activated_at),
    payment_method: { payment_method_id: row.payment_method.payment_method_id, payment_method_type: row.payment_method.payment_method_type },
    ...(options.entitlements ? { entitlements: [] } : {}),
    ...(options.plan ? { plan: serializePlan(lago, plan, { list: true }) } : {}),
    ...(options.thresholds ? { applicable_usage_thresholds: applicableThresholds(lago, row) } : {}),
    ...(options.customSections ? { applied_invoice_custom_sections: [] } : {}),
    activation_rules: [],
  };
}

// ---------------------------------------------------------------------------------------------
