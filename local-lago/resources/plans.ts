// Plans (lago-api.md §3, premium gating §1.10): the plan itself, its taxes, minimum commitment,
// usage thresholds and metadata. Charges live in charges.ts, fixed charges in fixed-charges.ts.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { isLagoCurrency } from "../../provider/currencies";
import { validationError, Validation } from "../errors";
import { tables, type CommitmentRecord, type PlanRow, type UsageThresholdRecord } from "../model";
import { listPage } from "../pagination";
import { blank, present } from "./charge-properties";
import { assertMetricsExist, createCharge, liveChargesOf, reconcileCharges, serializeCharge } from "./charges";
import { assertAddOnsExist, createFixedCharge, liveFixedChargesOf, reconcileFixedCharges, serializeFixedCharge } from "./fixed-charges";
import { findPlan, planHasHadSubscription, replaceTaxIds } from "./plan-lookup";
import { isNumeric, isObject, NOT_A_NUMBER, railsBoolean, railsFloat, railsInteger, railsString } from "./rails-casts";
import { cancelSubscription, terminateSubscription, type SubscriptionRecord } from "./subscriptions";
import { resolveTaxCodes, serializeTaxIds } from "./taxes";

export { findPlan, planHasHadSubscription, liveChargesOf };

const INTERVALS: ReadonlyArray<PlanRow["interval"]> = ["weekly", "monthly", "quarterly", "semiannual", "yearly"];

/** For comparing plans on a yearly basis (upgrade vs downgrade, §5.3), not for billing. */
export function yearlyAmountCents(plan: Pick<PlanRow, "amount_cents" | "interval">): number {
  const perYear = { yearly: 1, semiannual: 2, quarterly: 4, monthly: 12, weekly: 52 }[plan.interval] ?? 52;
  return plan.amount_cents * perYear;
}

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
  /** List items (GET /plans) carry no `fixed_charges`, as in Lago's index. */
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

/** Lists are only read when they are arrays (strong parameters drop anything else). */
const listOrUndefined = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** Both plan writes check every referenced metric and add-on before writing anything (§3.3). */
function assertChargeablesExist(lago: LagoContext, input: Record<string, unknown>) {
  const charges = listOrUndefined(input.charges);
  const fixed = listOrUndefined(input.fixed_charges);
  if (charges?.length) assertMetricsExist(lago, charges);
  if (fixed?.length) assertAddOnsExist(lago, fixed);
}

function createPlan(lago: LagoContext, input: Record<string, unknown>): PlanRow {
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
  for (const item of listOrUndefined(input.fixed_charges) ?? []) createFixedCharge(lago, plan, isObject(item) ? item : {});
  if (isObject(input.minimum_commitment) && present(permitCommitment(input.minimum_commitment)) && lago.premium) {
    plan = plans.put({ ...plan, minimum_commitment: applyCommitment(lago, null, input.minimum_commitment) });
  }
  return plan;
}

/**
 * PUT is partial (§3.6). Name, display name, description and amount always apply; identity and
 * billing fields are silently kept once the plan has had a subscription.
 */
function updatePlan(lago: LagoContext, current: PlanRow, input: Record<string, unknown>): PlanRow {
  const next: PlanRow = { ...current };
  if ("name" in input) next.name = railsString(input.name) ?? "";
  if ("invoice_display_name" in input) next.invoice_display_name = railsString(input.invoice_display_name);
  if ("description" in input) next.description = railsString(input.description);
  if ("amount_cents" in input) next.amount_cents = railsInteger(input.amount_cents) as number;
  if (!planHasHadSubscription(lago, current.id)) {
    if ("code" in input) next.code = railsString(input.code) ?? "";
    if ("interval" in input) {
      if (input.interval === null) throw new Error("interval null on update (Lago raises)");
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
  if ("metadata" in input) {
    if (input.metadata === null) next.metadata = null;
    else if (isObject(input.metadata)) next.metadata = assertValidMetadata(input.metadata);
  }
  if (Array.isArray(input.tax_codes)) next.tax_ids = replaceTaxIds(lago, next.tax_ids, input.tax_codes);
  const { plans } = tables(lago.store);
  plans.put(next);
  const charges = listOrUndefined(input.charges);
  if (charges) reconcileCharges(lago, next, charges);
  const fixed = listOrUndefined(input.fixed_charges);
  if (fixed) reconcileFixedCharges(lago, next, fixed);
  if ("usage_thresholds" in input && lago.premium) {
    if (input.usage_thresholds === null) throw new Error("usage_thresholds null on update (Lago raises)");
    next.usage_thresholds = buildThresholds(lago, listOrUndefined(input.usage_thresholds) ?? []);
  }
  if (isObject(input.minimum_commitment) && lago.premium) next.minimum_commitment = applyCommitment(lago, next.minimum_commitment, input.minimum_commitment);
  if (next.amount_cents !== current.amount_cents) cancelObsoleteDowngrades(lago, next);
  return plans.put({ ...next });
}

/**
 * A pending downgrade from this plan's active subscriptions stops being one when the plan's amount
 * drops below the target plan's: Lago cancels it (§3.6). The opposite case (a pending subscription
 * on this plan that became an upgrade switching at once) is not emulated.
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
 * DELETE (§3.7): Lago marks the plan pending deletion, answers with it, then a job terminates active
 * subscriptions, cancels pending ones and soft-deletes the plan. The job runs here, synchronously.
 */
function deletePlan(lago: LagoContext, current: PlanRow) {
  const { plans, subscriptions } = tables(lago.store);
  const pending = plans.put({ ...current, pending_deletion: true });
  for (const child of plans.filter((p) => p.parent_id === current.id && p.deleted_at === null)) plans.put({ ...child, pending_deletion: true });
  const response = serializePlan(lago, pending);
  for (const sub of subscriptions.filter((s) => s.plan_id === current.id && s.status === "active")) terminateSubscription(lago, sub);
  for (const sub of subscriptions.filter((s) => s.plan_id === current.id && s.status === "pending")) cancelSubscription(lago, sub);
  plans.put({ ...pending, pending_deletion: false, deleted_at: isoSeconds(lago.now()) });
  return response;
}

/** Newest first; rows keep insertion order, which breaks ties within Lago's one-second timestamps. */
const newestFirst = (rows: PlanRow[]): PlanRow[] =>
  [...rows].reverse().sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));

export const plans: Room = (api, lago) => {
  api.post("/plans", (req) => ({ plan: serializePlan(lago, createPlan(lago, req.body("plan"))) }));

  api.get("/plans", (req) => {
    // Plans pending deletion are listed too (§3.1); override children never are.
    const rows = newestFirst(tables(lago.store).plans.filter((p) => p.deleted_at === null && p.parent_id === null));
    return listPage("plans", rows, req.queries, (p) => serializePlan(lago, p, { list: true }));
  });

  api.get("/plans/:code{.+}", (req) => ({ plan: serializePlan(lago, findPlan(lago, req.params.code!)) }));

  api.put("/plans/:code{.+}", (req) => {
    const input = req.body("plan"); // Lago reads the body before looking the plan up: 400 wins over 404
    return { plan: serializePlan(lago, updatePlan(lago, findPlan(lago, req.params.code!), input)) };
  });

  api.delete("/plans/:code{.+}", (req) => ({ plan: deletePlan(lago, findPlan(lago, req.params.code!)) }));
};
