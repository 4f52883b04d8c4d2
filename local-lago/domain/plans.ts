// Plan rules (lago-api.md §3; Lago's Plans::CreateService, UpdateService, PrepareDestroyService and
// DestroyService, UsageThresholds::UpdateService, the Plan model's validations): attributes,
// thresholds, minimum commitment, metadata, and what a plan change does to its subscriptions.
import { isoSeconds, newId, type LagoContext } from "../context";
import { isLagoCurrency } from "../currencies";
import { lagoRaises, validationError, Validation } from "../errors";
import { tables, yearlyAmountCents, type CommitmentRecord, type PlanRow, type UsageThresholdRecord } from "../model";
import { blank, present } from "../resources/charge-properties";
import { assertMetricsExist, createCharge, reconcileCharges } from "../resources/charges";
import { assertAddOnsExist, createFixedCharge, reconcileFixedCharges } from "../resources/fixed-charges";
import { planHasHadSubscription, replaceTaxIds } from "../resources/plan-lookup";
import { isNumeric, isObject, NOT_A_NUMBER, railsBoolean, railsFloat, railsInteger, railsString } from "../resources/rails-casts";
import { resolveTaxCodes } from "../resources/taxes";
import { cancelSubscription, terminateSubscription, type SubscriptionRecord } from "./subscription-lifecycle";
import { upgrade } from "./subscriptions";

/** A number or boolean: what `&.to_sym` / `.to_sym` raises NoMethodError on. */
const noSymbol = (v: unknown): boolean => typeof v === "number" || typeof v === "boolean";
const INTERVALS: ReadonlyArray<PlanRow["interval"]> = ["weekly", "monthly", "quarterly", "semiannual", "yearly"];

/** `bill_*_monthly` only means something for yearly and semiannual plans; null otherwise (§3.2). */
const billMonthly = (interval: unknown, value: unknown): boolean | null =>
  interval === "yearly" || interval === "semiannual" ? (railsBoolean(value) ?? false) : null;

function assertValidPlan(lago: LagoContext, plan: PlanRow): void {
  const v = new Validation();
  if (!INTERVALS.includes(plan.interval)) v.add("interval", "value_is_invalid");
  // Not confirmed for v1.51.0 (lago-api.md §14); Lago's main branch answers value_is_mandatory.
  if (plan.amount_cents === null) v.add("amount_cents", "value_is_mandatory");
  if (blank(plan.name)) v.add("name", "value_is_mandatory");
  if (blank(plan.code)) v.add("code", "value_is_mandatory");
  if (!isLagoCurrency(plan.amount_currency)) v.add("amount_currency", "value_is_invalid");
  if (typeof plan.pay_in_advance !== "boolean") v.add("pay_in_advance", "value_is_invalid");
  const { plans } = tables(lago.store);
  if (!blank(plan.code) && plans.find((p) => p.id !== plan.id && p.deleted_at === null && p.parent_id === null && p.code === plan.code))
    v.add("code", "value_already_exist");
  v.throwIfAny();
}

/**
 * Usage thresholds are replaced as a whole (§3.2): list-level checks first, then each threshold's
 * own; the recurring one is created first, like Lago does.
 */
function buildThresholds(lago: LagoContext, items: unknown[]): UsageThresholdRecord[] {
  const params = items.filter(isObject).map((p) => ({
    threshold_display_name: railsString(p.threshold_display_name),
    amount_cents: p.amount_cents,
    recurring: railsBoolean(p.recurring) ?? false,
  }));
  const fail = (code: string) => validationError({ usage_thresholds: [code] });
  if (params.some((p) => blank(p.amount_cents))) throw fail("missing_amount_cents");
  const keys = params.map((p) => JSON.stringify([p.amount_cents, p.recurring]));
  if (new Set(keys).size !== keys.length) throw fail("duplicated_values");
  if (params.filter((p) => p.recurring).length > 1) throw fail("multiple_recurring_thresholds");
  const now = isoSeconds(lago.now());
  return [...params.filter((p) => p.recurring), ...params.filter((p) => !p.recurring)].map((p) => {
    if (!isNumeric(p.amount_cents)) throw validationError({ amount_cents: [NOT_A_NUMBER] });
    const amount = railsInteger(p.amount_cents) ?? 0;
    if (Number(p.amount_cents) <= 0) throw validationError({ amount_cents: ["value_is_out_of_range"] });
    return { id: newId(), threshold_display_name: p.threshold_display_name, amount_cents: amount, recurring: p.recurring, created_at: now, updated_at: now };
  });
}

/** Strong parameters keep only these commitment keys; anything else is dropped before Lago looks. */
const permitCommitment = (raw: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const key of ["id", "invoice_display_name", "amount_cents", "tax_codes"]) if (key in raw) out[key] = raw[key];
  return out;
};

function assertValidCommitment(amount: unknown): number {
  if (!isNumeric(amount)) throw validationError({ amount_cents: [NOT_A_NUMBER] });
  if (Number(amount) <= 0) throw validationError({ amount_cents: ["value_is_out_of_range"] });
  return railsInteger(amount) ?? 0;
}

/** Create or partially update the minimum commitment; `{}` removes it (§3.6). Premium only. */
function applyCommitment(lago: LagoContext, current: CommitmentRecord | null, raw: Record<string, unknown>): CommitmentRecord | null {
  const input = permitCommitment(raw);
  if (!present(input)) return null;
  const now = isoSeconds(lago.now());
  const next: CommitmentRecord = current
    ? { ...current, updated_at: now }
    : { id: newId(), amount_cents: 0, invoice_display_name: null, tax_ids: [], created_at: now, updated_at: now };
  const amount = "amount_cents" in input ? input.amount_cents : current?.amount_cents;
  next.amount_cents = assertValidCommitment(amount);
  if ("invoice_display_name" in input) next.invoice_display_name = railsString(input.invoice_display_name);
  if (Array.isArray(input.tax_codes)) next.tax_ids = replaceTaxIds(lago, next.tax_ids, input.tax_codes);
  return next;
}

const METADATA_MAX_KEYS = 50;
const METADATA_MAX_KEY_LENGTH = 100;
const METADATA_MAX_VALUE_LENGTH = 255;

/** Plan metadata: at most 50 keys, keys up to 100 characters, values empty or text up to 255. */
function assertValidMetadata(value: Record<string, unknown>): Record<string, string | null> {
  const v = new Validation();
  const entries = Object.entries(value);
  if (entries.length > METADATA_MAX_KEYS) v.add("value", `cannot have more than ${METADATA_MAX_KEYS} keys`);
  for (const [key, val] of entries) {
    if (key.length > METADATA_MAX_KEY_LENGTH) v.add("value", `key '${key}' must be a String up to ${METADATA_MAX_KEY_LENGTH} characters`);
    if (!(val === null || (typeof val === "string" && val.length <= METADATA_MAX_VALUE_LENGTH)))
      v.add("value", `value for key '${key}' must be empty or a String up to ${METADATA_MAX_VALUE_LENGTH} characters`);
  }
  v.throwIfAny();
  return value as Record<string, string | null>;
}

/** Lists are only read when they are arrays (strong parameters drop anything else). */
const listOrUndefined = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** Both plan writes check every referenced metric and add-on before writing anything (§3.3). */
function assertChargeablesExist(lago: LagoContext, input: Record<string, unknown>) {
  const charges = listOrUndefined(input.charges);
  const fixed = listOrUndefined(input.fixed_charges);
  if (charges?.length) assertMetricsExist(lago, charges);
  if (fixed?.length) assertAddOnsExist(lago, fixed);
}

export function createPlan(lago: LagoContext, input: Record<string, unknown>): PlanRow {
  if (noSymbol(input.interval)) throw lagoRaises("interval: `args[:interval]&.to_sym` on a number or boolean (plans/create_service.rb)");
  const interval = railsString(input.interval);
  let plan: PlanRow = {
    id: newId(),
    name: railsString(input.name) ?? "",
    invoice_display_name: railsString(input.invoice_display_name),
    code: railsString(input.code) ?? "",
    description: railsString(input.description),
    interval: interval as PlanRow["interval"],
    pay_in_advance: railsBoolean(input.pay_in_advance) as boolean,
    amount_cents: railsInteger(input.amount_cents) as number,
    amount_currency: railsString(input.amount_currency) ?? "",
    trial_period: railsFloat(input.trial_period),
    bill_charges_monthly: billMonthly(interval, input.bill_charges_monthly),
    bill_fixed_charges_monthly: billMonthly(interval, input.bill_fixed_charges_monthly),
    parent_id: null,
    pending_deletion: false,
    tax_ids: [],
    minimum_commitment: null,
    usage_thresholds: [],
    metadata: null,
    created_at: isoSeconds(lago.now()),
    deleted_at: null,
  };
  assertChargeablesExist(lago, input);
  assertValidPlan(lago, plan);
  if (isObject(input.metadata)) plan.metadata = assertValidMetadata(input.metadata);
  if (Array.isArray(input.tax_codes)) plan.tax_ids = resolveTaxCodes(lago, input.tax_codes);
  // Thresholds need the progressive-billing integration, which comes with premium here (§1.10).
  const thresholds = listOrUndefined(input.usage_thresholds);
  if (thresholds?.length && lago.premium) plan.usage_thresholds = buildThresholds(lago, thresholds);
  const { plans } = tables(lago.store);
  plans.put(plan);
  for (const item of listOrUndefined(input.charges) ?? []) createCharge(lago, plan, isObject(item) ? item : {}, { generateCode: true });
  // Items that are not objects are dropped by strong parameters.
  for (const item of (listOrUndefined(input.fixed_charges) ?? []).filter(isObject)) createFixedCharge(lago, plan, item);
  if (isObject(input.minimum_commitment) && present(permitCommitment(input.minimum_commitment)) && lago.premium) {
    plan = plans.put({ ...plan, minimum_commitment: applyCommitment(lago, null, input.minimum_commitment) });
  }
  return plan;
}

/**
 * PUT is partial (§3.6). Name, display name, description and amount always apply; identity and
 * billing fields are silently kept once the plan has had a subscription.
 */
export function updatePlan(lago: LagoContext, current: PlanRow, input: Record<string, unknown>): PlanRow {
  const next: PlanRow = { ...current };
  if ("name" in input) next.name = railsString(input.name) ?? "";
  if ("invoice_display_name" in input) next.invoice_display_name = railsString(input.invoice_display_name);
  if ("description" in input) next.description = railsString(input.description);
  if ("amount_cents" in input) next.amount_cents = railsInteger(input.amount_cents) as number;
  if (!planHasHadSubscription(lago, current.id)) {
    if ("code" in input) next.code = railsString(input.code) ?? "";
    if ("interval" in input) {
      // `params[:interval].to_sym` on nil: Lago's update service raises (lago-api.md §15).
      if (input.interval === null || noSymbol(input.interval)) throw lagoRaises("interval null, number or boolean on plan update");
      next.interval = railsString(input.interval) as PlanRow["interval"];
    }
    if ("pay_in_advance" in input) next.pay_in_advance = railsBoolean(input.pay_in_advance) as boolean;
    if ("amount_currency" in input) next.amount_currency = railsString(input.amount_currency) ?? "";
    if ("trial_period" in input) next.trial_period = railsFloat(input.trial_period);
    // Recomputed from the request's interval: a PUT without `interval` resets them to null (§3.6).
    next.bill_charges_monthly = billMonthly(input.interval, input.bill_charges_monthly);
    next.bill_fixed_charges_monthly = billMonthly(input.interval, input.bill_fixed_charges_monthly);
  }
  assertChargeablesExist(lago, input);
  assertValidPlan(lago, next);
  // Only a hash replaces it: strong parameters drop a null (or any non-hash) metadata (plans_controller.rb permits
  // `metadata: {}`), and `{}` stays an empty hash (metadata/update_item_service.rb). DELETE /plans/{code}/metadata,
  // not served here, is Lago's way to remove it.
  if (isObject(input.metadata)) next.metadata = assertValidMetadata(input.metadata);
  if (Array.isArray(input.tax_codes)) next.tax_ids = replaceTaxIds(lago, next.tax_ids, input.tax_codes);
  const { plans } = tables(lago.store);
  plans.put(next);
  const charges = listOrUndefined(input.charges);
  if (charges) reconcileCharges(lago, next, charges);
  const fixed = listOrUndefined(input.fixed_charges);
  if (fixed) reconcileFixedCharges(lago, next, fixed);
  // Strong parameters drop a null (or any non-array) list, so only an array replaces (lago-api.md §15).
  const thresholds = listOrUndefined(input.usage_thresholds);
  if (thresholds && lago.premium) next.usage_thresholds = buildThresholds(lago, thresholds);
  if (isObject(input.minimum_commitment) && lago.premium) next.minimum_commitment = applyCommitment(lago, next.minimum_commitment, input.minimum_commitment);
  if (next.amount_cents !== current.amount_cents) {
    cancelObsoleteDowngrades(lago, next);
    upgradePendingDowngrades(lago, next);
    if (railsBoolean(input.cascade_updates)) cascadeAmount(lago, next, current.amount_cents);
  }
  return plans.put({ ...next });
}

/**
 * A pending downgrade from this plan's active subscriptions stops being one when this plan's amount
 * drops below the target plan's: Lago cancels it (plans/update_service.rb
 * process_downgraded_subscriptions; amounts compared as they are, not per year).
 */
function cancelObsoleteDowngrades(lago: LagoContext, plan: PlanRow) {
  const { plans, subscriptions } = tables(lago.store);
  const active = new Set(subscriptions.filter((s) => s.plan_id === plan.id && s.status === "active").map((s) => s.id));
  for (const pending of subscriptions.filter((s) => s.status === "pending")) {
    const previous = (pending as SubscriptionRecord).previous_subscription_id;
    const target = plans.get(pending.plan_id);
    if (previous && active.has(previous) && target && plan.amount_cents < target.amount_cents) cancelSubscription(lago, pending);
  }
}

/**
 * A pending downgrade *to* this plan that the new amount makes an upgrade (yearly amount at least
 * the current plan's) switches at once: the current subscription is terminated, the pending one
 * canceled, and a new subscription on this plan starts now (plans/update_service.rb
 * process_pending_subscriptions → subscriptions/plan_upgrade_service.rb).
 */
function upgradePendingDowngrades(lago: LagoContext, plan: PlanRow) {
  const { subscriptions } = tables(lago.store);
  for (const pending of subscriptions.filter((s) => s.plan_id === plan.id && s.status === "pending") as SubscriptionRecord[]) {
    const previous = pending.previous_subscription_id ? (subscriptions.get(pending.previous_subscription_id) as SubscriptionRecord | undefined) : undefined;
    if (!previous || previous.status !== "active") continue;
    const current = tables(lago.store).plans.get(previous.plan_id);
    if (current && yearlyAmountCents(plan) >= yearlyAmountCents(current)) upgrade(lago, previous, plan, { name: pending.name });
  }
}

/**
 * `cascade_updates`: override plans still at the old amount follow the new one, and their pending
 * downgrades may become upgrades too (plans/update_service.rb cascade_subscription_fee_update →
 * plans/update_amount_service.rb; a job in Lago, run here at once).
 */
function cascadeAmount(lago: LagoContext, plan: PlanRow, oldAmount: number) {
  const { plans } = tables(lago.store);
  for (const child of plans.filter((p) => p.parent_id === plan.id && p.deleted_at === null && p.amount_cents === oldAmount)) {
    upgradePendingDowngrades(lago, plans.put({ ...child, amount_cents: plan.amount_cents }));
  }
}

/** DELETE, first step (plans/prepare_destroy_service.rb): the plan and its override plans are marked pending deletion. */
export function preparePlanDeletion(lago: LagoContext, current: PlanRow): PlanRow {
  const { plans } = tables(lago.store);
  for (const child of plans.filter((p) => p.parent_id === current.id && p.deleted_at === null)) plans.put({ ...child, pending_deletion: true });
  return plans.put({ ...current, pending_deletion: true });
}

/**
 * DELETE, the job (plans/destroy_service.rb), run synchronously: the plan's own active subscriptions
 * terminate, its pending ones are canceled, and the plan is discarded. Override plans stay pending
 * deletion with their subscriptions untouched.
 */
export function destroyPlan(lago: LagoContext, pending: PlanRow): void {
  const { plans, subscriptions } = tables(lago.store);
  for (const sub of subscriptions.filter((s) => s.plan_id === pending.id && s.status === "active")) terminateSubscription(lago, sub);
  for (const sub of subscriptions.filter((s) => s.plan_id === pending.id && s.status === "pending")) cancelSubscription(lago, sub);
  plans.put({ ...pending, pending_deletion: false, deleted_at: isoSeconds(lago.now()) });
}
