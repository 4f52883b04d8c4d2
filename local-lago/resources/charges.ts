// Charges (lago-api.md §3.3–3.6): building and validating a plan's usage charges, their filters,
// reconciliation of a plan's charge list by `id`, and the /plans/{code}/charges sub-resource.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { lagoRaises, notFound, validationError, Validation } from "../errors";
import { tables, type ChargeRow, type MetricRow, type PlanRow } from "../model";
import { listPage } from "../pagination";
import { defaultProperties, isChargeModel, keepProperties, present, propertyErrors, withGroupedByMirror, type Properties } from "./charge-properties";
import { findPlan, planHasHadSubscription, replaceTaxIds } from "./plan-lookup";
import { isNumeric, isObject, NOT_A_NUMBER, railsBoolean, railsInteger, railsString } from "./rails-casts";
import { resolveTaxCodes, serializeTaxIds } from "./taxes";

/** Aggregations whose charges may be paid in advance. */
const PAYABLE_IN_ADVANCE = ["count_agg", "sum_agg", "unique_count_agg", "custom_agg"];
/** A filter value list holding only this marker matches any value of the key. */
const ALL_FILTER_VALUES = "__ALL_FILTER_VALUES__";

type ChargeFilter = ChargeRow["filters"][number];

export const liveChargesOf = (lago: LagoContext, planId: string): ChargeRow[] =>
  tables(lago.store).charges.filter((c) => c.plan_id === planId && c.deleted_at === null);

const liveMetric = (lago: LagoContext, id: unknown): MetricRow | undefined =>
  typeof id === "string" ? tables(lago.store).billableMetrics.find((m) => m.id === id && m.deleted_at === null) : undefined;

/** A plan-level check made before anything is written: every referenced metric must exist (§3.3). */
export function assertMetricsExist(lago: LagoContext, items: unknown[]): void {
  const ids = [...new Set(items.map((c) => (isObject(c) ? c.billable_metric_id : undefined)).filter((id) => id !== undefined && id !== null))];
  if (ids.some((id) => !liveMetric(lago, id))) throw notFound("billable_metrics");
}

/** The metric's code, or `<code>_<n>` one above the highest numbered sibling when it is taken. */
function generateCode(lago: LagoContext, planId: string, metricCode: string): string {
  const codes = liveChargesOf(lago, planId)
    .filter((c) => c.parent_id === null)
    .map((c) => c.code);
  if (!codes.includes(metricCode)) return metricCode;
  const prefix = `${metricCode}_`;
  const suffixes = codes.filter((c) => c.startsWith(prefix) && /^\d+$/.test(c.slice(prefix.length))).map((c) => Number(c.slice(prefix.length)));
  return `${prefix}${Math.max(1, ...suffixes) + 1}`;
}

/**
 * Charge enum regroup_paid_fees: blank values and false are nil, an object or array is dropped by strong
 * parameters, any other value but `invoice` fails ActiveRecord's enum (Lago raises).
 */
function castRegroup(v: unknown): "invoice" | null {
  if (v === undefined || v === null || v === false || typeof v === "object" || (typeof v === "string" && !v.trim())) return null;
  if (v !== "invoice") throw lagoRaises(`regroup_paid_fees ${JSON.stringify(v)}`);
  return "invoice";
}

/** `min_amount_cents || 0`: absent means 0; text that is no number fails Rails' numericality check. */
function castMinAmount(v: unknown): number {
  if (v === undefined || v === null || v === false) return 0;
  if (!isNumeric(v)) throw validationError({ min_amount_cents: [NOT_A_NUMBER] });
  return railsInteger(v) ?? 0;
}

/** The charge model's validations, in Lago's order; throws its 422 for the first failing state. */
function assertValidCharge(lago: LagoContext, charge: ChargeRow, metric: MetricRow | undefined): void {
  const v = new Validation();
  const model = charge.charge_model as unknown;
  if (!metric) v.add("billable_metric", "relation_must_exist");
  if (!isChargeModel(model)) v.add("charge_model", "value_is_invalid");
  if (model !== null && model !== undefined) {
    for (const code of propertyErrors(model, charge.properties, { aggregationType: metric?.aggregation_type, premium: lago.premium })) v.add("properties", code);
  }
  if (model === "dynamic" && metric?.aggregation_type !== "sum_agg") v.add("charge_model", "invalid_aggregation_type_or_charge_model");
  if (charge.min_amount_cents < 0) v.add("min_amount_cents", "value_is_out_of_range");
  if (model === null || model === undefined || model === "") v.add("charge_model", "value_is_mandatory");
  if (!present(charge.code)) v.add("code", "value_is_mandatory");
  else if (liveChargesOf(lago, charge.plan_id).some((c) => c.id !== charge.id && c.parent_id === null && c.code === charge.code)) v.add("code", "value_already_exist");
  if (model === "graduated_percentage" && !lago.premium) v.add("charge_model", "graduated_percentage_requires_premium_license");
  if (charge.pay_in_advance && (model === "volume" || !PAYABLE_IN_ADVANCE.includes(metric?.aggregation_type ?? "")))
    v.add("pay_in_advance", "invalid_aggregation_type_or_charge_model");
  if (charge.regroup_paid_fees !== null && !(charge.pay_in_advance && !charge.invoiceable))
    v.add("regroup_paid_fees", "only_compatible_with_pay_in_advance_and_non_invoiceable");
  if (charge.prorated && !proratable(charge, metric)) v.add("prorated", "invalid_billable_metric_or_charge_model");
  if (charge.pay_in_advance && charge.min_amount_cents > 0) v.add("min_amount_cents", "not_compatible_with_pay_in_advance");
  if (model === "custom" && metric?.aggregation_type !== "custom_agg") v.add("charge_model", "invalid_aggregation_type_or_charge_model");
  if (!charge.pay_in_advance && !charge.invoiceable) v.add("invoiceable", "must_be_true_unless_pay_in_advance");
  v.throwIfAny();
}

/** Proration only makes sense for recurring metrics, and never for weighted sums (they prorate already). */
function proratable(charge: ChargeRow, metric: MetricRow | undefined): boolean {
  if (!metric || metric.aggregation_type === "weighted_sum_agg" || !metric.recurring) return false;
  const model = charge.charge_model;
  return charge.pay_in_advance ? model === "standard" : model === "standard" || model === "volume" || model === "graduated";
}

/**
 * Replaces a charge's filters (§3.3): matched to existing ones by their values so kept filters keep
 * their lago_id; prices are validated like the charge's own; values must be the metric's.
 */
function buildFilters(lago: LagoContext, charge: ChargeRow, metric: MetricRow | undefined, items: unknown[]): ChargeFilter[] {
  if (!items.length) return [];
  const params = items.map((i) => (isObject(i) ? i : {}));
  // `values: {}` in the permit list keeps only an object: anything else is dropped, hence missing.
  if (params.some((p) => !isObject(p.values) || !present(p.values))) throw validationError({ values: ["value_is_mandatory"] });
  const signature = (values: Record<string, string[]>) => JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const existing = new Map(charge.filters.map((f) => [signature(f.values), f]));
  const metricFilters = new Map((metric?.filters ?? []).map((f) => [f.key, f.values]));
  return params.map((p) => {
    const values: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(p.values as Record<string, unknown>))
      values[key] = (Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw]).map((x) => String(x));
    const rawProps = isObject(p.properties) ? { ...p.properties } : {};
    delete rawProps.presentation_group_keys;
    const properties = keepProperties(charge.charge_model, rawProps, { customProperties: metric?.aggregation_type === "custom_agg" });
    const propertyCodes = propertyErrors(charge.charge_model, properties, { aggregationType: metric?.aggregation_type, premium: lago.premium });
    if (propertyCodes.length) throw validationError({ properties: propertyCodes });
    for (const [key, list] of Object.entries(values)) {
      const v = new Validation();
      const allowed = metricFilters.get(key);
      if (!allowed) v.add("billable_metric_filter", "relation_must_exist");
      if (!list.length) v.add("values", "value_is_mandatory");
      else if (!(list.length === 1 && list[0] === ALL_FILTER_VALUES) && !list.every((x) => allowed?.includes(x))) v.add("values", "value_is_invalid");
      v.throwIfAny();
    }
    const match = existing.get(signature(values));
    return { id: match?.id ?? newId(), invoice_display_name: railsString(p.invoice_display_name), properties, values };
  });
}

export interface CreateChargeOptions {
  /** Inside POST/PUT /plans a missing code is generated from the metric code; the sub-resource requires it. */
  generateCode: boolean;
}

/** Creates one charge on a plan (§3.3). Throws 404 for a missing metric, 422 for invalid input. */
export function createCharge(lago: LagoContext, plan: PlanRow, input: Record<string, unknown>, options: CreateChargeOptions): ChargeRow {
  const metric = liveMetric(lago, input.billable_metric_id);
  if (!metric) throw notFound("billable_metric");
  const model = (input.charge_model ?? null) as string;
  let code = railsString(input.code) ?? "";
  if (options.generateCode && !present(code)) code = generateCode(lago, plan.id, metric.code);
  let charge: ChargeRow = {
    id: newId(),
    plan_id: plan.id,
    billable_metric_id: metric.id,
    code,
    charge_model: model,
    invoice_display_name: railsString(input.invoice_display_name),
    pay_in_advance: railsBoolean(input.pay_in_advance) ?? false,
    prorated: railsBoolean(input.prorated) ?? false,
    properties: keepProperties(model, isObject(input.properties) && present(input.properties) ? input.properties : defaultProperties(model), {
      customProperties: metric.aggregation_type === "custom_agg",
    }),
    filters: [],
    tax_ids: [],
    invoiceable: true,
    regroup_paid_fees: null,
    min_amount_cents: 0,
    accepts_target_wallet: false,
    parent_id: null,
    created_at: isoSeconds(lago.now()),
    deleted_at: null,
  };
  // With filters, Lago saves the charge before the filters and before its premium fields.
  if (Array.isArray(input.filters) && input.filters.length) {
    assertValidCharge(lago, charge, metric);
    charge = { ...charge, filters: buildFilters(lago, charge, metric, input.filters) };
  }
  if (lago.premium) {
    charge = {
      ...charge,
      invoiceable: railsBoolean(input.invoiceable) ?? true,
      regroup_paid_fees: "regroup_paid_fees" in input ? castRegroup(input.regroup_paid_fees) : null,
      min_amount_cents: castMinAmount(input.min_amount_cents),
    };
  }
  assertValidCharge(lago, charge, metric);
  if (Array.isArray(input.tax_codes)) charge = { ...charge, tax_ids: resolveTaxCodes(lago, input.tax_codes) };
  return tables(lago.store).charges.put(charge);
}

/**
 * Updates a charge in place (§3.6): properties and display name are always replaced; once the plan
 * has had a subscription, model, metric, code, timing and premium fields are silently kept.
 */
export function updateCharge(lago: LagoContext, plan: PlanRow, current: ChargeRow, input: Record<string, unknown>): ChargeRow {
  const frozen = planHasHadSubscription(lago, plan.id);
  const metric = tables(lago.store).billableMetrics.get(current.billable_metric_id);
  const model = frozen ? current.charge_model : ((input.charge_model ?? null) as string);
  let charge: ChargeRow = {
    ...current,
    charge_model: model,
    invoice_display_name: railsString(input.invoice_display_name),
    properties: keepProperties(model, isObject(input.properties) && present(input.properties) ? input.properties : defaultProperties(input.charge_model), {
      customProperties: metric?.aggregation_type === "custom_agg",
    }),
  };
  assertValidCharge(lago, charge, metric);
  if (Array.isArray(input.filters)) charge = { ...charge, filters: buildFilters(lago, charge, metric, input.filters) };
  if (Array.isArray(input.tax_codes)) charge = { ...charge, tax_ids: replaceTaxIds(lago, charge.tax_ids, input.tax_codes) };
  if (!frozen) {
    const invoiceable = railsBoolean(input.invoiceable);
    if (lago.premium && invoiceable !== null) charge = { ...charge, invoiceable };
    if (lago.premium) charge = { ...charge, min_amount_cents: castMinAmount(input.min_amount_cents) };
    if (present(input.code)) charge = { ...charge, code: railsString(input.code) ?? charge.code };
    // The remaining keys are written only when sent (a plain attribute update).
    if ("billable_metric_id" in input) charge = { ...charge, billable_metric_id: String(input.billable_metric_id ?? "") };
    if ("pay_in_advance" in input) charge = { ...charge, pay_in_advance: railsBoolean(input.pay_in_advance) ?? false };
    if ("prorated" in input) charge = { ...charge, prorated: railsBoolean(input.prorated) ?? false };
    if ("regroup_paid_fees" in input) charge = { ...charge, regroup_paid_fees: castRegroup(input.regroup_paid_fees) };
    const finalMetric = tables(lago.store).billableMetrics.get(charge.billable_metric_id);
    assertValidCharge(lago, charge, finalMetric);
  }
  return tables(lago.store).charges.put(charge);
}

export function deleteCharge(lago: LagoContext, charge: ChargeRow): ChargeRow {
  return tables(lago.store).charges.put({ ...charge, deleted_at: isoSeconds(lago.now()) });
}

/**
 * A plan's `charges` array is the full list (§3.6): items whose `id` is a live charge of the plan are
 * updated in place, the others created (codes generated), and charges left out are soft-deleted,
 * after the creations, so a code re-sent without its id clashes with the charge still there.
 */
export function reconcileCharges(lago: LagoContext, plan: PlanRow, items: unknown[]): void {
  const keep = new Set<string>();
  for (const item of items) {
    const input = isObject(item) ? item : {};
    const existing = liveChargesOf(lago, plan.id).find((c) => c.id === input.id);
    if (existing) {
      updateCharge(lago, plan, existing, input);
      keep.add(existing.id);
    } else {
      keep.add(createCharge(lago, plan, input, { generateCode: true }).id);
    }
  }
  for (const charge of liveChargesOf(lago, plan.id)) if (!keep.has(charge.id)) deleteCharge(lago, charge);
}

export function serializeCharge(lago: LagoContext, row: ChargeRow) {
  const metric = tables(lago.store).billableMetrics.get(row.billable_metric_id);
  return {
    lago_id: row.id,
    lago_billable_metric_id: row.billable_metric_id,
    code: row.code,
    invoice_display_name: row.invoice_display_name,
    billable_metric_code: metric?.code ?? null,
    created_at: row.created_at,
    charge_model: row.charge_model,
    invoiceable: row.invoiceable,
    regroup_paid_fees: row.regroup_paid_fees,
    pay_in_advance: row.pay_in_advance,
    prorated: row.prorated,
    min_amount_cents: row.min_amount_cents,
    accepts_target_wallet: row.accepts_target_wallet,
    properties: withGroupedByMirror(row.properties),
    // Custom pricing units are not emulated.
    applied_pricing_unit: null,
    lago_parent_id: row.parent_id,
    filters: row.filters.map((f) => ({
      lago_id: f.id,
      charge_code: row.code,
      invoice_display_name: f.invoice_display_name,
      properties: withGroupedByMirror(f.properties),
      values: f.values,
    })),
    taxes: serializeTaxIds(lago, row.tax_ids),
  };
}

/** Newest first like Lago's charge index; rows keep insertion order to break same-second ties. */
const newestFirst = <T extends { created_at: string }>(rows: T[]): T[] =>
  [...rows].reverse().sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));

export const planCharges: Room = (api, lago) => {
  const findCharge = (plan: PlanRow, code: string): ChargeRow => {
    const charge = liveChargesOf(lago, plan.id).find((c) => c.parent_id === null && c.code === code);
    if (!charge) throw notFound("charge");
    return charge;
  };

  api.get("/plans/:code/charges", (req) => {
    const plan = findPlan(lago, req.params.code!);
    const rows = newestFirst(liveChargesOf(lago, plan.id).filter((c) => c.parent_id === null));
    return listPage("charges", rows, req.queries, (c) => serializeCharge(lago, c));
  });

  api.post("/plans/:code/charges", (req) => {
    const plan = findPlan(lago, req.params.code!);
    const input = req.body("charge");
    return { charge: serializeCharge(lago, createCharge(lago, plan, input, { generateCode: false })) };
  });

  api.get("/plans/:code/charges/:chargeCode{.+}", (req) => {
    const plan = findPlan(lago, req.params.code!);
    return { charge: serializeCharge(lago, findCharge(plan, req.params.chargeCode!)) };
  });

  api.put("/plans/:code/charges/:chargeCode{.+}", (req) => {
    const plan = findPlan(lago, req.params.code!);
    const charge = findCharge(plan, req.params.chargeCode!);
    const input = req.body("charge");
    return { charge: serializeCharge(lago, updateCharge(lago, plan, charge, input)) };
  });

  api.delete("/plans/:code/charges/:chargeCode{.+}", (req) => {
    const plan = findPlan(lago, req.params.code!);
    return { charge: serializeCharge(lago, deleteCharge(lago, findCharge(plan, req.params.chargeCode!))) };
  });
};
