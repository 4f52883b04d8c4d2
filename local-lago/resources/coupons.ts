// Coupons and applied coupons (lago-api.md §7). A coupon's economics freeze once it has been
// applied to any customer; deleting it terminates the applications still active.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { isLagoCurrency } from "../currencies";
import { methodNotAllowed, notFound, Validation, validationError, lagoRaises } from "../errors";
import { tables, type AppliedCouponRow, type CouponRow, type CustomerRow } from "../model";
import { listPage, newestFirst } from "../pagination";
import {
  blank,
  decimalJson,
  isNumeric,
  NOT_A_NUMBER,
  numericValue,
  parseTime,
  permitScalarArray,
  permitScalars,
  railsBoolean,
  railsDecimal,
  railsInteger,
} from "./rails-casts";

const COUPON_TYPES = ["fixed_amount", "percentage"] as const;
const FREQUENCIES = ["once", "recurring", "forever"] as const;
const EXPIRATIONS = ["no_expiration", "time_limit"] as const;
/** percentage_rate is a decimal(10,5) column: larger values overflow in the database (a 500). */
const RATE_LIMIT = 100_000;

const COUPON_FIELDS = ["name", "code", "description", "coupon_type", "amount_cents", "amount_currency", "percentage_rate", "frequency", "frequency_duration", "expiration", "expiration_at", "reusable"] as const;
/** Fields that stop changing once the coupon has been applied (§7). */
const ECONOMIC_FIELDS = ["code", "coupon_type", "amount_cents", "amount_currency", "percentage_rate", "frequency", "frequency_duration", "reusable"] as const;
const APPLIED_FIELDS = ["external_customer_id", "coupon_code", "frequency", "frequency_duration", "amount_cents", "amount_currency", "percentage_rate"] as const;

export interface CouponRecord extends CouponRow {
  description: string | null;
  coupon_type: string | null;
  amount_cents: number | null;
  amount_currency: string | null;
  /** As Lago renders its decimal column: "10.0". */
  percentage_rate: string | null;
  frequency: string | null;
  frequency_duration: number | null;
  expiration: string | null;
  expiration_at: string | null;
  reusable: boolean | null;
  limited_plans: boolean;
  limited_billable_metrics: boolean;
  /** Coupon targets, in the order they were added. */
  plan_ids: string[];
  billable_metric_ids: string[];
  status: "active" | "terminated";
  terminated_at: string | null;
}

export interface AppliedCouponRecord extends AppliedCouponRow {
  amount_cents: number | null;
  percentage_rate: string | null;
  frequency: string;
  frequency_duration: number | null;
  frequency_duration_remaining: number | null;
}

/** What one request assigned, as sent: Rails validates numbers on the raw value and stores the cast. */
interface RawNumbers {
  amount_cents: unknown;
  frequency_duration: unknown;
}

// ---- casts -------------------------------------------------------------------------------------

/** Rails enum with validation: a key or its index is stored, blank is null, anything else is invalid. */
function castEnum(values: readonly string[], v: unknown): { value: string | null; valid: boolean } {
  if (v === undefined || v === null || v === "") return { value: null, valid: false };
  if (typeof v === "number" && Number.isInteger(v) && values[v]) return { value: values[v]!, valid: true };
  return typeof v === "string" && values.includes(v) ? { value: v, valid: true } : { value: String(v), valid: false };
}

/** Lago turns `expiration` into a symbol first, which raises for numbers and booleans. */
function castExpiration(v: unknown) {
  if (typeof v === "number" || typeof v === "boolean") throw lagoRaises(`expiration ${String(v)}.to_sym`);
  return castEnum(EXPIRATIONS, v);
}

function castRate(v: unknown): string | null {
  const rate = railsDecimal(v, 5);
  if (rate === null) return null;
  if (rate.abs().gte(RATE_LIMIT)) throw lagoRaises(`percentage_rate ${rate.toString()} overflows decimal(10,5)`);
  return decimalJson(rate);
}

/** `expiration_at` must be blank or a parseable time in the future (checked before anything else). */
function checkExpirationAt(lago: LagoContext, v: unknown) {
  if (blank(v)) return;
  const at = typeof v === "string" ? parseTime(v) : undefined;
  if (!at || at.getTime() <= lago.now().getTime()) throw validationError({ expiration_at: ["invalid_date"] });
}

const castExpirationAt = (v: unknown): string | null => (blank(v) ? null : isoSeconds(parseTime(String(v))!));

// ---- lookups and serialisers -------------------------------------------------------------------

export function findCoupon(lago: LagoContext, code: string): CouponRecord {
  const row = tables(lago.store).coupons.find((c) => c.code === code && c.deleted_at === null);
  if (!row) throw notFound("coupon");
  return row as CouponRecord;
}

export function serializeCoupon(lago: LagoContext, row: CouponRecord) {
  const { plans, billableMetrics } = tables(lago.store);
  const targetPlans = row.plan_ids.map((id) => plans.get(id)).filter((p) => p && p.deleted_at === null && p.parent_id === null);
  const targetMetrics = row.billable_metric_ids.map((id) => billableMetrics.get(id)).filter((m) => m && m.deleted_at === null);
  return {
    lago_id: row.id,
    name: row.name,
    code: row.code,
    description: row.description,
    coupon_type: row.coupon_type,
    amount_cents: row.amount_cents,
    amount_currency: row.amount_currency,
    percentage_rate: row.percentage_rate,
    frequency: row.frequency,
    frequency_duration: row.frequency_duration,
    reusable: row.reusable,
    limited_plans: row.limited_plans,
    limited_billable_metrics: row.limited_billable_metrics,
    plan_codes: targetPlans.map((p) => p!.code),
    billable_metric_codes: targetMetrics.map((m) => m!.code),
    created_at: row.created_at,
    expiration: row.expiration,
    expiration_at: row.expiration_at,
    terminated_at: row.terminated_at,
  };
}

export function serializeAppliedCoupon(lago: LagoContext, row: AppliedCouponRecord, withCredits = false) {
  const { coupons, customers } = tables(lago.store);
  const coupon = coupons.get(row.coupon_id) as CouponRecord;
  const customer = customers.get(row.customer_id)!;
  // A remaining amount only makes sense for a one-off fixed discount; no invoices consume it here.
  const remaining = row.frequency !== "once" || coupon.coupon_type === "percentage" ? null : row.amount_cents;
  return {
    lago_id: row.id,
    lago_coupon_id: coupon.id,
    coupon_code: coupon.code,
    coupon_name: coupon.name,
    coupon_description: coupon.description,
    coupon_status: coupon.status,
    coupon_deleted_at: coupon.deleted_at,
    lago_customer_id: customer.id,
    external_customer_id: customer.external_id,
    status: row.status,
    amount_cents: row.amount_cents,
    amount_cents_remaining: remaining,
    amount_currency: row.amount_currency,
    percentage_rate: row.percentage_rate,
    frequency: row.frequency,
    frequency_duration: row.frequency_duration,
    frequency_duration_remaining: row.frequency_duration_remaining,
    expiration_at: coupon.expiration_at,
    created_at: row.created_at,
    terminated_at: row.terminated_at,
    ...(withCredits ? { credits: [] } : {}),
  };
}

// ---- validation --------------------------------------------------------------------------------

/** Numericality as Rails checks it: on the value as sent, skipped when the cast value is nil and allowed. */
function checkNumber(v: Validation, field: string, cast: number | null, raw: unknown, min: "positive" | "non_negative", allowNil: boolean) {
  if (cast === null && allowNil) return;
  if (!isNumeric(raw)) return void v.add(field, NOT_A_NUMBER);
  const n = numericValue(raw as string | number);
  if (min === "positive" ? n.lte(0) : n.lt(0)) v.add(field, "value_is_out_of_range");
}

/** The coupon model's validations, in Lago's declaration order. */
function validateCoupon(lago: LagoContext, row: CouponRecord, raw: RawNumbers, invalidEnums: Set<string>) {
  const v = new Validation();
  for (const field of ["expiration", "coupon_type", "frequency"]) if (invalidEnums.has(field)) v.add(field, "value_is_invalid");
  if (blank(row.name)) v.add("name", "value_is_mandatory");
  if (blank(row.code)) v.add("code", "value_is_mandatory");
  else if (tables(lago.store).coupons.find((c) => c.deleted_at === null && c.code === row.code && c.id !== row.id)) v.add("code", "value_already_exist");
  const fixed = row.coupon_type === "fixed_amount";
  if (fixed && row.amount_cents === null) v.add("amount_cents", "value_is_mandatory");
  checkNumber(v, "amount_cents", row.amount_cents, raw.amount_cents, "positive", true);
  if (fixed && blank(row.amount_currency)) v.add("amount_currency", "value_is_mandatory");
  if (row.amount_currency !== null && !isLagoCurrency(row.amount_currency)) v.add("amount_currency", "value_is_invalid");
  if (row.coupon_type === "percentage" && row.percentage_rate === null) v.add("percentage_rate", "value_is_mandatory");
  if (row.frequency === "recurring") {
    if (row.frequency_duration === null) v.add("frequency_duration", "value_is_mandatory");
    checkNumber(v, "frequency_duration", row.frequency_duration, raw.frequency_duration, "positive", false);
  }
  if (row.reusable === null) v.add("reusable", "value_is_reserved");
  v.throwIfAny();
}

// ---- applies_to --------------------------------------------------------------------------------

interface Limitations {
  /** null when the request did not send the list. */
  planCodes: string[] | null;
  metricCodes: string[] | null;
}

function readLimitations(appliesTo: unknown): Limitations {
  const obj = typeof appliesTo === "object" && appliesTo !== null && !Array.isArray(appliesTo) ? (appliesTo as Record<string, unknown>) : {};
  const list = (v: unknown) => {
    const values = permitScalarArray(v);
    return values === undefined ? null : [...new Set(values.filter((x) => x !== null).map(String))];
  };
  return { planCodes: list(obj.plan_codes), metricCodes: list(obj.billable_metric_codes) };
}

/** Live plans with these codes, override (child) plans included, as Lago's lookup by code finds them. */
const plansWithCodes = (lago: LagoContext, codes: string[] | null) =>
  codes?.length ? tables(lago.store).plans.filter((p) => p.deleted_at === null && codes.includes(p.code)) : [];

const metricsWithCodes = (lago: LagoContext, codes: string[] | null) =>
  codes?.length ? tables(lago.store).billableMetrics.filter((m) => m.deleted_at === null && codes.includes(m.code)) : [];

/** Keeps surviving targets in place and appends new ones (§7: the lists replace the targets). */
const replaceTargets = (current: string[], wanted: string[]) => [...current.filter((id) => wanted.includes(id)), ...wanted.filter((id) => !current.includes(id))];

// ---- applied coupons ---------------------------------------------------------------------------

function findCustomer(lago: LagoContext, externalId: unknown): CustomerRow {
  const customer = tables(lago.store).customers.find((c) => c.deleted_at === null && c.external_id === externalId);
  if (!customer) throw notFound("customer");
  return customer;
}

/** Does an active coupon of the customer already target the same plans or metrics (directly or through charges)? */
function overlapsActiveCoupon(lago: LagoContext, customer: CustomerRow, coupon: CouponRecord): boolean {
  if (!coupon.limited_plans && !coupon.limited_billable_metrics) return false;
  const { appliedCoupons, coupons, charges, plans } = tables(lago.store);
  const liveCharges = charges.filter((c) => c.deleted_at === null && plans.get(c.plan_id)?.deleted_at === null);
  const planIds = new Set([...coupon.plan_ids, ...liveCharges.filter((c) => coupon.billable_metric_ids.includes(c.billable_metric_id)).map((c) => c.plan_id)]);
  const metricIds = new Set([...coupon.billable_metric_ids, ...liveCharges.filter((c) => coupon.plan_ids.includes(c.plan_id)).map((c) => c.billable_metric_id)]);
  return appliedCoupons
    .filter((a) => a.customer_id === customer.id && a.status === "active")
    .map((a) => coupons.get(a.coupon_id) as CouponRecord)
    .some((other) => other.plan_ids.some((id) => planIds.has(id)) || other.billable_metric_ids.some((id) => metricIds.has(id)));
}

/** May the customer's currency still be set from outside (§4)? */
function customerEditable(lago: LagoContext, customer: CustomerRow): boolean {
  const { subscriptions, appliedCoupons } = tables(lago.store);
  return (
    !subscriptions.find((s) => s.customer_id === customer.id) &&
    !appliedCoupons.find((a) => a.customer_id === customer.id && a.amount_currency !== null)
  );
}

/** A fixed-amount coupon binds the customer's currency: set it if unset, refuse a different one. */
function bindCurrency(lago: LagoContext, customer: CustomerRow, currency: string | null) {
  if (customer.currency === currency) return;
  if (customer.currency !== null || !customerEditable(lago, customer)) throw validationError({ currency: ["currencies_does_not_match"] });
  if (currency !== null && !isLagoCurrency(currency)) throw validationError({ currency: ["value_is_invalid"] });
  tables(lago.store).customers.put({ ...customer, currency });
}

/** The applied coupon's frequency enum is not validated in Lago: an unknown value raises (a 500). */
function castAppliedFrequency(v: unknown): string {
  const { value, valid } = castEnum(FREQUENCIES, v);
  if (!valid || value === null) throw lagoRaises(`frequency ${String(v)} is not a valid applied coupon frequency`);
  return value;
}

function validateAppliedCoupon(row: AppliedCouponRecord, raw: { amount_cents: unknown; frequency_duration: unknown }) {
  const v = new Validation();
  checkNumber(v, "amount_cents", row.amount_cents, raw.amount_cents, "non_negative", true);
  if (row.amount_currency !== null && !isLagoCurrency(row.amount_currency)) v.add("amount_currency", "value_is_invalid");
  if (row.frequency === "recurring") {
    if (row.frequency_duration === null) v.add("frequency_duration", "value_is_mandatory");
    checkNumber(v, "frequency_duration", row.frequency_duration, raw.frequency_duration, "positive", false);
    if (row.frequency_duration_remaining === null) v.add("frequency_duration_remaining", "value_is_mandatory");
    checkNumber(v, "frequency_duration_remaining", row.frequency_duration_remaining, raw.frequency_duration, "non_negative", false);
  }
  v.throwIfAny();
}

function terminate(lago: LagoContext, row: AppliedCouponRow): AppliedCouponRecord {
  if (row.status === "terminated") return row as AppliedCouponRecord;
  return tables(lago.store).appliedCoupons.put({ ...row, status: "terminated", terminated_at: isoSeconds(lago.now()) }) as AppliedCouponRecord;
}

/** Lists applied coupons of live customers, newest first, with Lago's optional filters. */
function listAppliedCoupons(lago: LagoContext, filters: { customerId?: string; status?: string; couponCodes: string[] }) {
  const { appliedCoupons, customers, coupons } = tables(lago.store);
  return (appliedCoupons.all() as AppliedCouponRecord[])
    .filter((a) => customers.get(a.customer_id)?.deleted_at === null)
    .filter((a) => filters.customerId === undefined || a.customer_id === filters.customerId)
    .filter((a) => !filters.couponCodes.length || filters.couponCodes.includes(coupons.get(a.coupon_id)!.code))
    // an unknown status value is ignored rather than refused
    .filter((a) => !(filters.status === "active" || filters.status === "terminated") || a.status === filters.status)
    .sort(newestFirst);
}

/** Lago lists coupons active first, then without expiry, then by expiry date (no date last), then newest. */
function couponOrder(a: CouponRecord, b: CouponRecord): number {
  const rank = (c: CouponRecord) => [c.status === "active" ? 0 : 1, c.expiration === "no_expiration" ? 0 : 1] as const;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra[0] !== rb[0]) return ra[0] - rb[0];
  if (ra[1] !== rb[1]) return ra[1] - rb[1];
  if (a.expiration_at !== b.expiration_at) {
    if (a.expiration_at === null) return 1;
    if (b.expiration_at === null) return -1;
    return a.expiration_at < b.expiration_at ? -1 : 1;
  }
  return newestFirst(a, b);
}

// ---- routes ------------------------------------------------------------------------------------

export const coupons: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/coupons", (req) => {
    const body = req.body("coupon");
    const input = permitScalars(body, COUPON_FIELDS);
    checkExpirationAt(lago, input.expiration_at);
    const invalid = new Set<string>();
    const cast = (field: string, values: readonly string[], v: unknown) => {
      const { value, valid } = field === "expiration" ? castExpiration(v) : castEnum(values, v);
      if (!valid) invalid.add(field);
      return value;
    };
    const expiration = cast("expiration", EXPIRATIONS, input.expiration);
    const couponType = cast("coupon_type", COUPON_TYPES, input.coupon_type);
    const frequency = cast("frequency", FREQUENCIES, input.frequency);
    const percentageRate = castRate(input.percentage_rate);

    const limits = readLimitations(body.applies_to);
    const plans = plansWithCodes(lago, limits.planCodes);
    if (limits.planCodes?.length && limits.planCodes.some((code) => !plans.some((p) => p.code === code))) throw notFound("plans");
    const metrics = metricsWithCodes(lago, limits.metricCodes);
    if (limits.metricCodes?.length && metrics.length !== limits.metricCodes.length) throw notFound("billable_metrics");
    if (plans.length && metrics.length) throw methodNotAllowed("only_one_limitation_type_per_coupon_allowed");

    const row: CouponRecord = {
      id: newId(),
      name: (input.name as string) ?? "",
      code: (input.code as string) ?? "",
      description: (input.description as string | null) ?? null,
      coupon_type: couponType,
      amount_cents: railsInteger(input.amount_cents),
      amount_currency: input.amount_currency === undefined || input.amount_currency === null ? null : String(input.amount_currency),
      percentage_rate: percentageRate,
      frequency,
      frequency_duration: railsInteger(input.frequency_duration),
      expiration,
      expiration_at: castExpirationAt(input.expiration_at),
      // reusable defaults to true only when the key is absent; an explicit null is refused
      reusable: "reusable" in input ? railsBoolean(input.reusable) : true,
      limited_plans: !!limits.planCodes?.length,
      limited_billable_metrics: !!limits.metricCodes?.length,
      plan_ids: plans.map((p) => p.id),
      billable_metric_ids: metrics.map((m) => m.id),
      status: "active",
      terminated_at: null,
      created_at: isoSeconds(lago.now()),
      deleted_at: null,
    };
    validateCoupon(lago, row, { amount_cents: input.amount_cents, frequency_duration: input.frequency_duration }, invalid);
    t().coupons.put(row);
    return { coupon: serializeCoupon(lago, row) };
  });

  api.get("/coupons", (req) => {
    const rows = (t().coupons.filter((c) => c.deleted_at === null) as CouponRecord[]).sort(couponOrder);
    return listPage("coupons", rows, req.queries, (r) => serializeCoupon(lago, r));
  });

  api.get("/coupons/:code{.+}", (req) => ({ coupon: serializeCoupon(lago, findCoupon(lago, req.params.code!)) }));

  api.put("/coupons/:code{.+}", (req) => {
    const body = req.body("coupon"); // read before the lookup, as Lago does (400 wins over 404)
    const current = findCoupon(lago, req.params.code!);
    const input = permitScalars(body, COUPON_FIELDS);
    checkExpirationAt(lago, input.expiration_at);
    const next: CouponRecord = { ...current };
    const invalid = new Set<string>();
    const raw: RawNumbers = { amount_cents: current.amount_cents, frequency_duration: current.frequency_duration };

    if ("name" in input) next.name = input.name as string;
    if ("description" in input) next.description = input.description as string | null;
    if ("expiration" in input) {
      const { value, valid } = castExpiration(input.expiration);
      next.expiration = value;
      if (!valid) invalid.add("expiration");
    }
    if ("expiration_at" in input) next.expiration_at = castExpirationAt(input.expiration_at);

    // Once applied to any customer (even since terminated), the rest is silently ignored (§7).
    const applied = !!t().appliedCoupons.find((a) => a.coupon_id === current.id);
    let plans: Array<{ id: string }> = [];
    let metrics: Array<{ id: string }> = [];
    if (!applied) {
      const limits = readLimitations(body.applies_to);
      plans = plansWithCodes(lago, limits.planCodes);
      metrics = metricsWithCodes(lago, limits.metricCodes);
      // Counted, not matched: a plan with an override child counts twice, as in Lago.
      if (limits.planCodes !== null && plans.length !== limits.planCodes.length) throw notFound("plans");
      if (limits.metricCodes !== null && metrics.length !== limits.metricCodes.length) throw notFound("billable_metrics");
      if (plans.length && metrics.length) throw methodNotAllowed("only_one_limitation_type_per_coupon_allowed");
      const hasLive = (ids: string[], table: { get(id: string): { deleted_at: string | null } | undefined }) =>
        ids.some((id) => table.get(id)?.deleted_at === null);
      if (hasLive(current.billable_metric_ids, t().billableMetrics) && plans.length && !metrics.length) next.limited_billable_metrics = false;
      else if (limits.metricCodes !== null) next.limited_billable_metrics = limits.metricCodes.length > 0;
      if (hasLive(current.plan_ids, t().plans) && metrics.length && !plans.length) next.limited_plans = false;
      else if (limits.planCodes !== null) next.limited_plans = limits.planCodes.length > 0;

      for (const field of ECONOMIC_FIELDS) {
        if (!(field in input)) continue;
        const v = input[field];
        switch (field) {
          case "coupon_type":
          case "frequency": {
            const { value, valid } = castEnum(field === "coupon_type" ? COUPON_TYPES : FREQUENCIES, v);
            next[field] = value;
            if (!valid) invalid.add(field);
            break;
          }
          case "amount_cents":
          case "frequency_duration":
            next[field] = railsInteger(v);
            raw[field] = v;
            break;
          case "percentage_rate":
            next.percentage_rate = castRate(v);
            break;
          case "reusable":
            next.reusable = railsBoolean(v);
            break;
          default:
            next[field] = v === null ? (null as never) : String(v);
        }
      }
    }
    validateCoupon(lago, next, raw, invalid);
    // Targets follow the lists sent; a list left out clears its kind of target (Lago reconciles both).
    if (!applied) {
      next.plan_ids = replaceTargets(current.plan_ids, plans.map((p) => p.id));
      next.billable_metric_ids = replaceTargets(current.billable_metric_ids, metrics.map((m) => m.id));
    }
    t().coupons.put(next);
    return { coupon: serializeCoupon(lago, next) };
  });

  api.delete("/coupons/:code{.+}", (req) => {
    const current = findCoupon(lago, req.params.code!);
    // Soft delete: its targets go with it and the applications still active end now (§7).
    const deleted = t().coupons.put({ ...current, deleted_at: isoSeconds(lago.now()), plan_ids: [], billable_metric_ids: [] } as CouponRecord) as CouponRecord;
    for (const applied of t().appliedCoupons.filter((a) => a.coupon_id === current.id && a.status === "active")) terminate(lago, applied);
    return { coupon: serializeCoupon(lago, deleted) };
  });

  api.post("/applied_coupons", (req) => {
    const input = permitScalars(req.body("applied_coupon"), APPLIED_FIELDS);
    const customer = findCustomer(lago, input.external_customer_id);
    const coupon = t().coupons.find((c) => c.deleted_at === null && c.code === input.coupon_code) as CouponRecord | undefined;
    if (!coupon || coupon.status !== "active") throw notFound("coupon");
    if (overlapsActiveCoupon(lago, customer, coupon)) throw methodNotAllowed("plan_overlapping");
    if (!coupon.reusable && t().appliedCoupons.find((a) => a.customer_id === customer.id && a.coupon_id === coupon.id))
      throw validationError({ coupon: ["coupon_is_not_reusable"] });

    // Each value sent overrides the coupon's; Ruby's `||` lets only null and false fall through.
    const given = (key: (typeof APPLIED_FIELDS)[number]) => (input[key] === undefined || input[key] === null || input[key] === false ? undefined : input[key]);
    const amountRaw = given("amount_cents") ?? coupon.amount_cents;
    const durationRaw = given("frequency_duration") ?? coupon.frequency_duration;
    const row: AppliedCouponRecord = {
      id: newId(),
      coupon_id: coupon.id,
      customer_id: customer.id,
      status: "active",
      amount_cents: railsInteger(amountRaw),
      amount_currency: given("amount_currency") === undefined ? coupon.amount_currency : String(given("amount_currency")),
      percentage_rate: given("percentage_rate") === undefined ? coupon.percentage_rate : castRate(given("percentage_rate")),
      frequency: castAppliedFrequency(given("frequency") ?? coupon.frequency),
      frequency_duration: railsInteger(durationRaw),
      frequency_duration_remaining: railsInteger(durationRaw),
      terminated_at: null,
      created_at: isoSeconds(lago.now()),
    };
    if (coupon.coupon_type === "fixed_amount") bindCurrency(lago, customer, row.amount_currency);
    validateAppliedCoupon(row, { amount_cents: amountRaw, frequency_duration: durationRaw });
    t().appliedCoupons.put(row);
    return { applied_coupon: serializeAppliedCoupon(lago, row) };
  });

  api.get("/applied_coupons", (req) => {
    const externalId = req.query("external_customer_id");
    const customer = externalId === undefined ? undefined : t().customers.find((c) => c.deleted_at === null && c.external_id === externalId);
    const rows =
      externalId !== undefined && !customer
        ? []
        : listAppliedCoupons(lago, { customerId: customer?.id, status: req.query("status"), couponCodes: req.queryArray("coupon_code") });
    return listPage("applied_coupons", rows, req.queries, (r) => serializeAppliedCoupon(lago, r, true));
  });

  api.get("/customers/:external_customer_id/applied_coupons", (req) => {
    const customer = findCustomer(lago, req.params.external_customer_id);
    const rows = listAppliedCoupons(lago, { customerId: customer.id, status: req.query("status"), couponCodes: req.queryArray("coupon_code") });
    return listPage("applied_coupons", rows, req.queries, (r) => serializeAppliedCoupon(lago, r, true));
  });

  api.delete("/customers/:external_customer_id/applied_coupons/:id", (req) => {
    const customer = findCustomer(lago, req.params.external_customer_id);
    const applied = t().appliedCoupons.find((a) => a.id === req.params.id && a.customer_id === customer.id);
    if (!applied) throw notFound("applied_coupon");
    return { applied_coupon: serializeAppliedCoupon(lago, terminate(lago, applied)) };
  });
};
