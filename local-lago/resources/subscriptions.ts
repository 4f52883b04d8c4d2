// Subscriptions (lago-api.md §5): create with upgrade/downgrade semantics, update, terminate,
// lookups and lists, and the lifecycle helpers other rooms' delete cascades use.
import type { ApiRequest, Room } from "../api";
import { isoDate, isoSeconds, newId, type LagoContext } from "../context";
import { forbidden, methodNotAllowed, notFound, Validation, validationError } from "../errors";
import { ianaTimezone } from "../geography";
import { tables, type ChargeRow, type PlanRow, type SubscriptionRow } from "../model";
import { listPage, paginate } from "../pagination";
import { addDays, billingPeriodAt, formatDate, localDate, periodContaining, zonedInstant, type BillingPeriod } from "../periods";
import { liveChargesOf, reconcileCharges } from "./charges";
import { applicableTimezone, applyCurrency, findCustomer, findLiveCustomer, newCustomer, type CustomerRecord } from "./customers";
import { findPlan } from "./plan-lookup";
import { serializePlan, yearlyAmountCents } from "./plans";
import { DEFAULT_BILLING_ENTITY_CODE, resolveTaxCodes } from "./taxes";

/** The subscriptions room's row: the shared shape plus what only this room reads. */
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

const seconds = (iso: string | null): string | null => (iso === null ? null : isoSeconds(new Date(iso)));

export const planOf = (lago: LagoContext, row: SubscriptionRow): PlanRow => tables(lago.store).plans.get(row.plan_id)!;
export const customerOf = (lago: LagoContext, row: SubscriptionRow): CustomerRecord => tables(lago.store).customers.get(row.customer_id) as CustomerRecord;

const timezoneOf = (lago: LagoContext, row: SubscriptionRow) => ianaTimezone(applicableTimezone(customerOf(lago, row)));

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
function nextOf(lago: LagoContext, row: SubscriptionRow): SubscriptionRecord | undefined {
  return (tables(lago.store).subscriptions.filter((s) => (s as SubscriptionRecord).previous_subscription_id === row.id && s.status !== "canceled") as SubscriptionRecord[]).sort(
    (a, b) => (a.created_at < b.created_at ? 1 : -1),
  )[0];
}

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
    ...(options.plan ? { plan: serializePlan(lago, plan) } : {}),
    ...(options.thresholds ? { applicable_usage_thresholds: applicableThresholds(lago, row) } : {}),
    ...(options.customSections ? { applied_invoice_custom_sections: [] } : {}),
    activation_rules: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Create, upgrade, downgrade (§5.2, §5.3)

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const BILLING_TIMES = ["calendar", "anniversary"];
const CREDIT_NOTE_ACTIONS = ["credit", "refund", "offset", "skip"];
const INVOICE_ACTIONS = ["generate", "skip"];

/** Lago's date checks for subscription_at / ending_at (§5.2): ending_at after today and after the start. */
function validateDates(lago: LagoContext, subscriptionAt: unknown, endingAt: unknown, v: Validation): void {
  const start = subscriptionAt instanceof Date ? subscriptionAt : parseIsoDatetime(subscriptionAt);
  if (!start) v.add("subscription_at", "invalid_date");
  if (blank(endingAt)) return;
  const end = parseIsoDatetime(endingAt);
  const today = lago.now().toISOString().slice(0, 10);
  if (!end || !start || !(isoDate(end) > today) || !(isoDate(end) > isoDate(start))) v.add("ending_at", "invalid_date");
}

function paymentMethodOf(input: Record<string, unknown>, current?: SubscriptionRecord["payment_method"]): SubscriptionRecord["payment_method"] {
  const pm = { ...(current ?? { payment_method_type: null, payment_method_id: null }) };
  if (isObject(input.payment_method)) {
    if ("payment_method_type" in input.payment_method) pm.payment_method_type = (input.payment_method.payment_method_type as string | null) ?? null;
    if ("payment_method_id" in input.payment_method) pm.payment_method_id = (input.payment_method.payment_method_id as string | null) ?? null;
  }
  return pm;
}

function thresholdsOf(lago: LagoContext, input: unknown): SubscriptionRecord["usage_thresholds"] {
  const now = isoSeconds(lago.now());
  return (Array.isArray(input) ? input : []).filter(isObject).map((t) => ({
    id: newId(),
    threshold_display_name: (t.threshold_display_name as string | null) ?? null,
    amount_cents: Number(t.amount_cents ?? 0),
    recurring: t.recurring === true,
    created_at: now,
    updated_at: now,
  }));
}

/** Local date of an instant in the customer's timezone, as YYYY-MM-DD (for today/past/future). */
const localDay = (at: Date, timezone: string) => formatDate(localDate(at, timezone));

/** A brand-new subscription: active at once when it starts today or in the past, else pending. */
function createSubscription(lago: LagoContext, customer: CustomerRecord, plan: PlanRow, input: Record<string, unknown>, subscriptionAt: Date): SubscriptionRecord {
  const billingTime = blank(input.billing_time) ? "calendar" : String(input.billing_time);
  if (!BILLING_TIMES.includes(billingTime)) throw validationError({ billing_time: ["value_is_invalid"] });
  const externalId = text(input.external_id).trim();
  if (!externalId) throw validationError({ external_id: ["value_is_mandatory"] });
  const timezone = ianaTimezone(applicableTimezone(customer));
  const startsLater = localDay(subscriptionAt, timezone) > localDay(lago.now(), timezone);
  const at = subscriptionAt.toISOString();
  const row: SubscriptionRecord = {
    id: newId(),
    external_id: externalId,
    customer_id: customer.id,
    plan_id: plan.id,
    status: startsLater ? "pending" : "active",
    billing_time: billingTime as SubscriptionRecord["billing_time"],
    subscription_at: at,
    started_at: startsLater ? null : at,
    activated_at: startsLater ? null : at,
    terminated_at: null,
    canceled_at: null,
    created_at: lago.now().toISOString(),
    name: text(input.name).trim(),
    ending_at: blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString(),
    previous_subscription_id: null,
    on_termination_credit_note: null,
    on_termination_invoice: "generate",
    progressive_billing_disabled: input.progressive_billing_disabled === true,
    consolidate_invoice: "consolidate_invoice" in input ? input.consolidate_invoice !== false : true,
    payment_method: paymentMethodOf(input),
    usage_thresholds: thresholdsOf(lago, input.usage_thresholds),
  };
  return tables(lago.store).subscriptions.put(row) as SubscriptionRecord;
}

/** Fields a plan change copies from the current subscription unless the request sets them. */
function successorOf(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  return {
    ...current,
    id: newId(),
    plan_id: plan.id,
    name: text(input.name).trim(),
    previous_subscription_id: current.id,
    status: "pending",
    started_at: null,
    activated_at: null,
    terminated_at: null,
    canceled_at: null,
    created_at: lago.now().toISOString(),
    ending_at: "ending_at" in input ? (blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString()) : current.ending_at,
    consolidate_invoice: "consolidate_invoice" in input ? input.consolidate_invoice !== false : current.consolidate_invoice,
    progressive_billing_disabled: input.progressive_billing_disabled === true,
    on_termination_credit_note: null,
    on_termination_invoice: "generate",
    payment_method: paymentMethodOf(input, current.payment_method),
    usage_thresholds: thresholdsOf(lago, input.usage_thresholds),
  };
}

/** A future-pending subscription just swaps its plan (and name when given) in place. */
function swapPendingPlan(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const name = text(input.name).trim();
  return tables(lago.store).subscriptions.put({ ...current, plan_id: plan.id, name: name || current.name } as SubscriptionRecord) as SubscriptionRecord;
}

/** Immediate upgrade: the current one ends now and a new subscription (new lago_id) starts. */
function upgrade(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const pending = pendingNextOf(lago, current);
  if (pending) cancelSubscription(lago, pending);
  terminateSubscription(lago, current);
  const now = lago.now().toISOString();
  return tables(lago.store).subscriptions.put({ ...successorOf(lago, current, plan, input), status: "active", started_at: now, activated_at: now } as SubscriptionRecord) as SubscriptionRecord;
}

/** Downgrade at period end: a pending successor is created; the answer is the current subscription. */
function downgrade(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const pending = pendingNextOf(lago, current);
  if (pending) cancelSubscription(lago, pending);
  tables(lago.store).subscriptions.put(successorOf(lago, current, plan, input));
  return current;
}

/** This customer's subscription that a POST with the same external_id acts on: active or starting later. */
function currentSubscription(lago: LagoContext, customerId: string, externalId: string): SubscriptionRecord | undefined {
  return (tables(lago.store).subscriptions.filter(
    (s) =>
      s.customer_id === customerId &&
      s.external_id === externalId &&
      (s.status === "active" || (s.status === "pending" && (s as SubscriptionRecord).previous_subscription_id === null)),
  ) as SubscriptionRecord[]).sort((a, b) => ((a.started_at ?? "") < (b.started_at ?? "") ? 1 : -1))[0];
}

function postSubscription(lago: LagoContext, input: Record<string, unknown>): SubscriptionRecord {
  const { subscriptions, customers } = tables(lago.store);
  if (!blank(input.billing_entity_code) && input.billing_entity_code !== DEFAULT_BILLING_ENTITY_CODE) throw notFound("billing_entity");
  const externalCustomerId = text(input.external_customer_id).trim();
  let customer = findLiveCustomer(lago, externalCustomerId) ?? newCustomer(lago, externalCustomerId);
  let plan = findPlan(lago, text(input.plan_code));

  const v = new Validation();
  const subscriptionAt = blank(input.subscription_at) ? lago.now() : parseIsoDatetime(input.subscription_at);
  validateDates(lago, subscriptionAt ?? input.subscription_at, input.ending_at, v);
  v.throwIfAny();
  if ("plan_overrides" in input && !lago.premium) throw forbidden("feature_unavailable");
  if (!externalCustomerId) throw validationError({ external_customer_id: ["value_is_mandatory"] });
  const overrides = isObject(input.plan_overrides) ? input.plan_overrides : null;
  if (Array.isArray(input.usage_thresholds) && input.usage_thresholds.length && Array.isArray(overrides?.usage_thresholds) && overrides.usage_thresholds.length)
    throw validationError({ "plan_overrides.usage_thresholds": ["incompatible_params"], usage_thresholds: ["incompatible_params"] });

  // Lago saves an auto-created customer before anything else (§5.2), then sets its currency.
  if (!customers.get(customer.id)) customers.put(customer);
  const currency = typeof overrides?.amount_currency === "string" ? overrides.amount_currency : plan.amount_currency;
  const withCurrency = applyCurrency(lago, customer, currency, false);
  if (withCurrency !== customer) customer = customers.put({ ...withCurrency, updated_at: isoSeconds(lago.now()) } as CustomerRecord) as CustomerRecord;

  const externalId = text(input.external_id).trim();
  if (subscriptions.find((s) => s.customer_id === customer.id && s.external_id === externalId && s.status === "incomplete"))
    throw validationError({ subscription: ["subscription_incomplete"] });
  const current = currentSubscription(lago, customer.id, externalId);
  if (!current && subscriptions.find((s) => s.external_id === externalId && s.status === "active")) throw validationError({ external_id: ["value_already_exist"] });

  // "Same plan" compares the parent plan: overrides sent for a subscription already on it are ignored.
  if (current && current.plan_id === plan.id) return current;
  // Overrides only make a child plan for what is actually created (§5.5).
  const target = () => (overrides ? overridePlan(lago, plan, overrides, undefined) : plan);
  if (current) {
    if (current.status === "pending") return swapPendingPlan(lago, current, plan, input);
    // Lago compares with the override amount already applied to the requested plan.
    const requested = typeof overrides?.amount_cents === "number" ? { ...plan, amount_cents: overrides.amount_cents } : plan;
    const isUpgrade = yearlyAmountCents(requested) >= yearlyAmountCents(planOf(lago, current));
    return isUpgrade ? upgrade(lago, current, target(), input) : downgrade(lago, current, target(), input);
  }
  return createSubscription(lago, customer, target(), input, subscriptionAt!);
}

// ---------------------------------------------------------------------------------------------
// plan_overrides (§5.5, premium)

const PLAN_OVERRIDE_FIELDS = ["amount_cents", "amount_currency", "description", "name", "invoice_display_name", "trial_period"] as const;
const CHARGE_OVERRIDE_FIELDS = ["invoice_display_name", "min_amount_cents", "properties", "filters"] as const;

/**
 * The first override copies the parent plan into a child plan (same code, `parent_id` set) with
 * every charge copied and the overridden fields applied; charge entries match the parent charge
 * ids. A subscription already on a child plan has that child updated instead (charges reconciled).
 * Invalid charge overrides are not validated: Lago swallows them on the first copy too.
 */
function overridePlan(lago: LagoContext, parent: PlanRow, overrides: Record<string, unknown>, current: SubscriptionRecord | undefined): PlanRow {
  const { plans, charges } = tables(lago.store);
  const planFields: Partial<PlanRow> = {};
  for (const field of PLAN_OVERRIDE_FIELDS) if (field in overrides) (planFields as Record<string, unknown>)[field] = overrides[field];
  if (Array.isArray(overrides.tax_codes)) planFields.tax_ids = resolveTaxCodes(lago, overrides.tax_codes);
  const chargeOverrides = Array.isArray(overrides.charges) ? overrides.charges.filter(isObject) : null;

  const existingChild = current ? planOf(lago, current) : undefined;
  if (existingChild && existingChild.parent_id === parent.id) {
    const child = plans.put({ ...existingChild, ...planFields });
    if (chargeOverrides) reconcileCharges(lago, child, chargeOverrides);
    return child;
  }
  const child = plans.put({ ...parent, ...planFields, id: newId(), parent_id: parent.id, pending_deletion: false, created_at: isoSeconds(lago.now()) });
  for (const charge of liveChargesOf(lago, parent.id)) {
    const entry = chargeOverrides?.find((o) => o.id === charge.id);
    const copy: ChargeRow = { ...charge, id: newId(), plan_id: child.id, parent_id: charge.id, created_at: isoSeconds(lago.now()) };
    for (const field of CHARGE_OVERRIDE_FIELDS) if (entry && field in entry) (copy as unknown as Record<string, unknown>)[field] = entry[field];
    if (entry && Array.isArray(entry.tax_codes)) copy.tax_ids = resolveTaxCodes(lago, entry.tax_codes);
    charges.put(copy);
  }
  return child;
}

// ---------------------------------------------------------------------------------------------
// Update and terminate (§5.4, §5.6), lookups and lists (§5.1)

/** PUT's target: the only subscription with this external id, or among several the one `?status=` picks (default active). */
function subscriptionToUpdate(lago: LagoContext, externalId: string, status: string | undefined): SubscriptionRecord {
  const all = (tables(lago.store).subscriptions.filter((s) => s.external_id === externalId) as SubscriptionRecord[]).sort((a, b) =>
    a.subscription_at < b.subscription_at ? 1 : -1,
  );
  const wanted = status === "pending" || status === "incomplete" ? status : "active";
  const row = all.length > 1 ? all.find((s) => s.status === wanted) : all[0];
  if (!row) throw notFound("subscription");
  return row;
}

function updateSubscription(lago: LagoContext, current: SubscriptionRecord, input: Record<string, unknown>): SubscriptionRecord {
  if (current.status === "incomplete") throw methodNotAllowed("subscription_incomplete");
  const v = new Validation();
  validateDates(lago, "subscription_at" in input ? input.subscription_at : new Date(current.subscription_at), input.ending_at, v);
  if (!blank(input.on_termination_credit_note) && !CREDIT_NOTE_ACTIONS.includes(String(input.on_termination_credit_note))) v.add("on_termination_credit_note", "invalid_value");
  if (!blank(input.on_termination_invoice) && !INVOICE_ACTIONS.includes(String(input.on_termination_invoice))) v.add("on_termination_invoice", "invalid_value");
  v.throwIfAny();
  const overrides = isObject(input.plan_overrides) ? input.plan_overrides : null;
  if (Array.isArray(input.usage_thresholds) && input.usage_thresholds.length && Array.isArray(overrides?.usage_thresholds) && overrides.usage_thresholds.length)
    throw validationError({ "plan_overrides.usage_thresholds": ["incompatible_params"], usage_thresholds: ["incompatible_params"] });
  if ("plan_overrides" in input && !lago.premium) throw forbidden("feature_unavailable");

  const plan = planOf(lago, current);
  const next: SubscriptionRecord = { ...current, payment_method: paymentMethodOf(input, current.payment_method) };
  if ("name" in input) next.name = input.name === null ? null : text(input.name);
  if ("ending_at" in input) next.ending_at = blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString();
  if ("progressive_billing_disabled" in input) next.progressive_billing_disabled = input.progressive_billing_disabled === true;
  if ("consolidate_invoice" in input) next.consolidate_invoice = input.consolidate_invoice !== false;
  // The credit-note choice only exists for plans paid in advance.
  if (plan.pay_in_advance && "on_termination_credit_note" in input) next.on_termination_credit_note = (input.on_termination_credit_note as SubscriptionRecord["on_termination_credit_note"]) ?? null;
  if ("on_termination_invoice" in input) next.on_termination_invoice = (input.on_termination_invoice as SubscriptionRecord["on_termination_invoice"]) ?? "generate";
  if ("usage_thresholds" in input) next.usage_thresholds = thresholdsOf(lago, input.usage_thresholds);
  if (overrides) next.plan_id = overridePlan(lago, plan.parent_id ? tables(lago.store).plans.get(plan.parent_id)! : plan, overrides, current).id;
  const startsLater = current.status === "pending" && current.previous_subscription_id === null;
  if (startsLater && "subscription_at" in input) {
    const at = parseIsoDatetime(input.subscription_at)!;
    next.subscription_at = at.toISOString();
    const timezone = ianaTimezone(applicableTimezone(customerOf(lago, current)));
    // Moving the start to today or the past activates it.
    if (localDay(at, timezone) <= localDay(lago.now(), timezone)) Object.assign(next, { status: "active", started_at: next.subscription_at, activated_at: next.subscription_at });
  }
  return tables(lago.store).subscriptions.put(next) as SubscriptionRecord;
}

/** Default order of subscription lists: latest subscription date, then latest created. */
const bySubscriptionDate = (a: SubscriptionRecord, b: SubscriptionRecord) =>
  a.subscription_at !== b.subscription_at ? (a.subscription_at < b.subscription_at ? 1 : -1) : a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;

const STATUSES = ["pending", "active", "terminated", "canceled", "incomplete"];

function listSubscriptions(lago: LagoContext, req: ApiRequest, customerId: string | null) {
  const requested = req.queryAll("status");
  // Unknown statuses disable the filter altogether, as in Lago; none means active only.
  const statuses = requested.length ? (requested.every((s) => STATUSES.includes(s)) ? requested : null) : ["active"];
  const planCode = req.query("plan_code");
  const currency = req.query("currency");
  const externalId = req.query("external_id");
  const overridden = req.query("overridden") ?? req.query("overriden");
  const rows = (tables(lago.store).subscriptions.all() as SubscriptionRecord[])
    .filter((s) => customerId === null || s.customer_id === customerId)
    .filter((s) => !statuses || statuses.includes(s.status))
    .filter((s) => !externalId || s.external_id === externalId)
    .filter((s) => {
      const plan = planOf(lago, s);
      if (planCode && plan.code !== planCode) return false;
      if (currency && plan.amount_currency !== currency) return false;
      if (overridden !== undefined && (plan.parent_id !== null) !== (overridden === "true")) return false;
      return true;
    })
    .sort(bySubscriptionDate);
  return listPage("subscriptions", rows, req.queries, (s) => serializeSubscription(lago, s));
}

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

export const subscriptions: Room = (api, lago) => {
  const t = () => tables(lago.store);
  const single = { plan: true, entitlements: true, thresholds: true, customSections: true };
  // Every answer first catches up with the clock (starts, downgrades, expiries).
  const settled =
    <R>(handler: (req: ApiRequest) => R) =>
    (req: ApiRequest): R => {
      settleSubscriptions(lago);
      return handler(req);
    };

  api.post("/subscriptions", settled((req) => ({ subscription: serializeSubscription(lago, postSubscription(lago, req.body("subscription")), single) })));

  api.get("/subscriptions", settled((req) => {
    const externalCustomerId = req.query("external_customer_id");
    if (externalCustomerId === undefined) return listSubscriptions(lago, req, null);
    const customer = t().customers.find((c) => c.external_id === externalCustomerId && c.deleted_at === null);
    return customer ? listSubscriptions(lago, req, customer.id) : { subscriptions: [], meta: paginate([], req.queries).meta };
  }));

  api.get("/customers/:external_customer_id/subscriptions", settled((req) => listSubscriptions(lago, req, findCustomer(lago, req.params.external_customer_id!).id)));

  api.get("/subscriptions/:external_id", settled((req) => {
    const status = req.query("status") ?? "active";
    const row = (t().subscriptions.filter((s) => s.external_id === req.params.external_id && s.status === status) as SubscriptionRecord[]).sort(latestFirst)[0];
    if (!row) throw notFound("subscription");
    return { subscription: serializeSubscription(lago, row, single) };
  }));

  api.put("/subscriptions/:external_id", settled((req) => {
    const input = req.body("subscription");
    const current = subscriptionToUpdate(lago, req.params.external_id!, req.query("status"));
    return { subscription: serializeSubscription(lago, updateSubscription(lago, current, input), { plan: true, thresholds: true, customSections: true }) };
  }));

  api.delete("/subscriptions/:external_id", settled((req) => {
    const wanted = req.query("status") === "pending" ? "pending" : "active";
    const row = t().subscriptions.find((s) => s.external_id === req.params.external_id && s.status === wanted) as SubscriptionRecord | undefined;
    if (!row) throw notFound("subscription");
    const creditNote = req.query("on_termination_credit_note");
    const invoice = req.query("on_termination_invoice");
    const v = new Validation();
    if (creditNote && planOf(lago, row).pay_in_advance && !CREDIT_NOTE_ACTIONS.includes(creditNote)) v.add("on_termination_credit_note", "invalid_value");
    if (invoice && !INVOICE_ACTIONS.includes(invoice)) v.add("on_termination_invoice", "invalid_value");
    v.throwIfAny();
    const ended = terminateSubscription(lago, row, {
      on_termination_credit_note: (creditNote || undefined) as TerminationOptions["on_termination_credit_note"],
      on_termination_invoice: (invoice || undefined) as TerminationOptions["on_termination_invoice"],
    });
    return { subscription: serializeSubscription(lago, ended) };
  }));
};

/** Running first, then latest terminated, then latest started: Lago's pick among same-status rows. */
function latestFirst(a: SubscriptionRecord, b: SubscriptionRecord): number {
  const aEnd = a.terminated_at ?? "\uffff";
  const bEnd = b.terminated_at ?? "\uffff";
  if (aEnd !== bEnd) return aEnd < bEnd ? 1 : -1;
  return (a.started_at ?? "") < (b.started_at ?? "") ? 1 : -1;
}
