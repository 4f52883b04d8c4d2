// Billable metrics (lago-api.md §2).
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import Decimal from "decimal.js";
import { parseExpression, evaluateExpression, ExpressionError } from "../billing/expression";
import { decimalString } from "../billing/money";
import { forbidden, lagoRaises, notFound, Validation, validationError } from "../errors";
import { live, tables, type MetricRow } from "../model";
import { railsString } from "./rails-casts";
import { listPage, newestFirst } from "../pagination";

const AGGREGATIONS = ["count_agg", "sum_agg", "max_agg", "unique_count_agg", "weighted_sum_agg", "latest_agg", "custom_agg"];
const NOT_RECURRING = ["count_agg", "max_agg", "latest_agg"];
/** Fields frozen once a live plan charges the metric (§2.4). */
const FROZEN_WHEN_USED = ["code", "aggregation_type", "field_name", "recurring", "weighted_interval", "rounding_function", "rounding_precision", "expression"] as const;

export interface BillableMetricRow extends MetricRow {
  description: string | null;
  weighted_interval: string | null;
  rounding_function: string | null;
  rounding_precision: number | null;
  expression: string | null;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

export function findMetric(lago: LagoContext, code: string): BillableMetricRow {
  const row = tables(lago.store).billableMetrics.find((m) => m.code === code && m.deleted_at === null);
  if (!row) throw notFound("billable_metric");
  return row as BillableMetricRow;
}

export function serializeMetric(row: BillableMetricRow, withCounters: boolean) {
  return {
    lago_id: row.id,
    name: row.name,
    code: row.code,
    description: row.description,
    aggregation_type: row.aggregation_type,
    weighted_interval: row.weighted_interval,
    recurring: row.recurring,
    rounding_function: row.rounding_function,
    rounding_precision: row.rounding_precision,
    created_at: row.created_at,
    field_name: row.field_name,
    expression: row.expression,
    // The association is ordered by key (app/models/billable_metric.rb `has_many :filters, -> { order(:key) }`).
    filters: [...row.filters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((f) => ({ key: f.key, values: [...f.values].sort() })),
    // deprecated counters, always 0 (§2.3)
    ...(withCounters ? { active_subscriptions_count: 0, draft_invoices_count: 0, plans_count: 0 } : {}),
  };
}

const SCALAR_FIELDS = ["name", "code", "description", ...FROZEN_WHEN_USED] as const;
const ROUNDING_FUNCTIONS = ["round", "ceil", "floor"];
const isScalar = (v: unknown) => v !== null && typeof v !== "object";

/**
 * What strong parameters (`params.expect(billable_metric: [...])`) keep: a scalar attribute sent as an
 * object or array is dropped, as if absent; a blank enum value becomes nil (ActiveRecord's enum cast).
 */
function permitted(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const key of SCALAR_FIELDS) if (key in out && out[key] !== null && typeof out[key] === "object") delete out[key];
  return out;
}

/**
 * Lago's 500s on enum attributes (§2.2; billable_metrics/create_service.rb and update_service.rb):
 * `&.to_sym` fails on numbers and booleans, and ActiveRecord's enum rejects any other value but a blank one.
 * The create service casts both with to_sym; the update service assigns rounding_function as sent.
 */
function assertNoCrash(input: Record<string, unknown>, roundingAssignedAsSent: boolean) {
  const symbolOutside = (v: unknown, allowed: string[]) => isScalar(v) && v !== "" && !allowed.includes(v as string);
  const assignedOutside = (v: unknown, allowed: string[]) => isScalar(v) && v !== false && !(typeof v === "string" && !v.trim()) && !allowed.includes(v as string);
  if ("weighted_interval" in input && symbolOutside(input.weighted_interval, ["seconds"])) throw lagoRaises(`weighted_interval ${JSON.stringify(input.weighted_interval)}`);
  const rounding = roundingAssignedAsSent ? assignedOutside : symbolOutside;
  if ("rounding_function" in input && rounding(input.rounding_function, ROUNDING_FUNCTIONS)) throw lagoRaises(`rounding_function ${JSON.stringify(input.rounding_function)}`);
}

/** `aggregation_type&.to_sym == :custom_agg` (create_service.rb, update_service.rb) raises on a number or boolean. */
function assertAggregationSymbol(input: Record<string, unknown>) {
  if (typeof input.aggregation_type === "number" || typeof input.aggregation_type === "boolean") throw lagoRaises(`aggregation_type ${input.aggregation_type}.to_sym`);
}

/** Enum values as stored: blank ones are nil. */
const enumValue = (v: unknown): string | null => (v === undefined || v === null || v === false || (typeof v === "string" && !v.trim()) ? null : String(v));

/**
 * billable_metric_filters/create_or_update_batch_service.rb: any entry without values fails the
 * whole list; entries are found or created by key, so a repeated key keeps its last values.
 */
function validateFilters(filters: unknown, v: Validation): MetricRow["filters"] {
  if (!Array.isArray(filters)) return [];
  const byKey = new Map<string, string[]>();
  for (const f of filters as Array<{ key?: unknown; values?: unknown }>) {
    const values = Array.isArray(f?.values) ? f.values.filter((x) => x !== null && typeof x !== "object").map(String) : [];
    if (!values.length) v.add("values", "value_is_mandatory");
    const key = f?.key === undefined || f?.key === null || typeof f.key === "object" ? "" : String(f.key);
    byKey.set(key, [...new Set(values)]);
  }
  if (v.ok && byKey.has("")) v.add("key", "value_is_mandatory"); // the filter model's presence check
  return [...byKey].map(([key, values]) => ({ key, values }));
}

function validateShape(row: BillableMetricRow, lago: LagoContext, v: Validation) {
  if (blank(row.name)) v.add("name", "value_is_mandatory");
  if (blank(row.code)) v.add("code", "value_is_mandatory");
  else {
    const clash = tables(lago.store).billableMetrics.find((m) => m.deleted_at === null && m.code === row.code && m.id !== row.id);
    if (clash) v.add("code", "value_already_exist");
  }
  if (!AGGREGATIONS.includes(row.aggregation_type)) v.add("aggregation_type", "value_is_invalid");
  else {
    if (!["count_agg", "custom_agg"].includes(row.aggregation_type) && blank(row.field_name)) v.add("field_name", "value_is_mandatory");
    if (row.recurring && NOT_RECURRING.includes(row.aggregation_type)) v.add("recurring", "not_compatible_with_aggregation_type");
    if (row.aggregation_type === "weighted_sum_agg" && row.weighted_interval !== "seconds") v.add("weighted_interval", "value_is_invalid");
  }
  if (row.expression !== null && !isValidExpression(row.expression)) v.add("expression", "invalid_expression");
}

/** Lago::ExpressionParser.validate: a blank expression is none; anything else must parse. */
const isValidExpression = (expression: string): boolean => !expression.trim() || parseExpression(expression) !== undefined;

/** Ruby's to_s of a JSON value, which evaluate_expression applies to every property. */
function rubyText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Ruby's String#to_i / Integer: the leading integer, 0 when there is none. */
function rubyToI(value: unknown): number {
  if (typeof value === "number") return Math.trunc(value);
  const match = /^\s*[+-]?\d+/.exec(String(value));
  return match ? parseInt(match[0], 10) : 0;
}

/**
 * BillableMetrics::EvaluateExpressionService: the expression run on a test event whose properties are all
 * text (to_s), its timestamp the one given or now. A number comes back as Lago's decimal text ("2.0").
 */
function evaluateOnTestEvent(lago: LagoContext, expression: unknown, event: unknown) {
  if (typeof expression !== "string" || !expression.trim()) throw validationError({ expression: ["value_is_mandatory"] });
  const parsed = parseExpression(expression);
  if (!parsed) throw validationError({ expression: ["invalid_expression"] });
  const input = event !== null && typeof event === "object" && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  const properties: Record<string, string> = {};
  if (input.properties !== null && typeof input.properties === "object" && !Array.isArray(input.properties))
    for (const [key, value] of Object.entries(input.properties as Record<string, unknown>)) properties[key] = rubyText(value);
  const timestamp = input.timestamp === undefined || input.timestamp === null ? Math.floor(lago.now().getTime() / 1000) : rubyToI(input.timestamp);
  try {
    const result = evaluateExpression(parsed, { code: rubyText(input.code), timestamp, properties });
    return result.kind === "number" ? decimalString(new Decimal(result.value.toFixed())) : result.value;
  } catch (error) {
    if (error instanceof ExpressionError) throw validationError({ event: ["invalid_event"] });
    throw error;
  }
}

/** Is the metric charged by any live plan? Then its identity is frozen (§2.4). */
export function metricInUse(lago: LagoContext, metricId: string): boolean {
  const { charges, plans } = tables(lago.store);
  return charges.filter((c) => c.deleted_at === null && c.billable_metric_id === metricId).some((c) => live(plans.get(c.plan_id)));
}

export const billableMetrics: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/billable_metrics", (req) => {
    const input = permitted(req.body("billable_metric", "expect"));
    assertNoCrash(input, false);
    assertAggregationSymbol(input);
    if (input.aggregation_type === "custom_agg" && !lago.premium) throw forbidden("feature_unavailable");
    const v = new Validation();
    const aggregation = String(input.aggregation_type ?? "");
    const row: BillableMetricRow = {
      id: newId(),
      name: (input.name as string) ?? "",
      code: (input.code as string) ?? "",
      description: (input.description as string | null) ?? null,
      aggregation_type: aggregation,
      field_name: aggregation === "count_agg" ? null : ((input.field_name as string | null) ?? null),
      recurring: input.recurring === true,
      weighted_interval: enumValue(input.weighted_interval),
      rounding_function: enumValue(input.rounding_function),
      rounding_precision: (input.rounding_precision as number | null) ?? null,
      expression: railsString(input.expression),
      filters: validateFilters(input.filters, v),
      created_at: isoSeconds(lago.now()),
      deleted_at: null,
    };
    validateShape(row, lago, v);
    v.throwIfAny();
    t().billableMetrics.put(row);
    return { billable_metric: serializeMetric(row, true) };
  });

  api.get("/billable_metrics", (req) => {
    const rows = t().billableMetrics.filter((m) => m.deleted_at === null).sort(newestFirst) as BillableMetricRow[];
    return listPage("billable_metrics", rows, req.queries, (r) => serializeMetric(r, true));
  });

  api.post("/billable_metrics/evaluate_expression", (req) => {
    const body = req.rawBody !== null && typeof req.rawBody === "object" ? (req.rawBody as Record<string, unknown>) : {};
    return { expression_result: { value: evaluateOnTestEvent(lago, body.expression, body.event) } };
  });

  api.get("/billable_metrics/:code{.+}", (req) => ({ billable_metric: serializeMetric(findMetric(lago, req.params.code!), false) }));

  api.put("/billable_metrics/:code{.+}", (req) => {
    const current = findMetric(lago, req.params.code!);
    const input = permitted(req.body("billable_metric", "expect"));
    // Only a metric no plan uses gets its enums assigned (update_service.rb attached_to_plan?).
    assertAggregationSymbol(input); // the custom_agg check comes before the used-by-a-plan one
    const inUse = metricInUse(lago, current.id);
    if (!inUse) assertNoCrash(input, true);
    const v = new Validation();
    const next: BillableMetricRow = { ...current };
    if ("name" in input) next.name = input.name as string;
    if ("description" in input) next.description = (input.description as string | null) ?? null;
    // Strong parameters drop a null (or non-array) list: only an array replaces the filters (lago-api.md §15).
    const replacesFilters = Array.isArray(input.filters);
    if (replacesFilters) next.filters = validateFilters(input.filters, v);
    if (!inUse) {
      for (const key of FROZEN_WHEN_USED) if (key in input) (next as unknown as Record<string, unknown>)[key] = input[key] ?? null;
      for (const key of ["weighted_interval", "rounding_function"] as const) if (key in input) next[key] = enumValue(input[key]);
      if ("recurring" in input) next.recurring = input.recurring === true;
      if ("expression" in input) next.expression = railsString(input.expression);
      if (next.aggregation_type === "count_agg") next.field_name = null;
    }
    validateShape(next, lago, v);
    v.throwIfAny();
    t().billableMetrics.put(next);
    if (replacesFilters) trimChargeFilters(lago, next);
    return { billable_metric: serializeMetric(next, true) };
  });

  api.delete("/billable_metrics/:code{.+}", (req) => {
    const current = findMetric(lago, req.params.code!);
    const now = isoSeconds(lago.now());
    const deleted = t().billableMetrics.put({ ...current, deleted_at: now }) as BillableMetricRow;
    // Cascade (§2.5): every charge using the metric leaves its plan; its events are discarded.
    for (const charge of t().charges.filter((c) => c.billable_metric_id === current.id && c.deleted_at === null))
      t().charges.put({ ...charge, deleted_at: now });
    for (const event of t().events.filter((e) => e.code === current.code)) t().events.remove(event.id);
    return { billable_metric: serializeMetric(deleted, true) };
  });
};

/**
 * Replacing a metric's filters trims the charge filters built on them
 * (billable_metric_filters/create_or_update_batch_service.rb): a charge filter's values for a key that
 * lost some of them keep the ones left, a key left with none (or removed from the metric) is dropped,
 * and a charge filter is removed only when no key remains. "All values" entries go only with their key.
 */
function trimChargeFilters(lago: LagoContext, metric: MetricRow) {
  const { charges } = tables(lago.store);
  const allowed = new Map(metric.filters.map((f) => [f.key, new Set(f.values)]));
  for (const charge of charges.filter((c) => c.billable_metric_id === metric.id && c.deleted_at === null)) {
    const filters = charge.filters
      .map((f) => {
        const values: Record<string, string[]> = {};
        for (const [key, vals] of Object.entries(f.values)) {
          const known = allowed.get(key);
          if (!known) continue;
          const kept = vals.includes(ALL_FILTER_VALUES) ? vals : vals.filter((x) => known.has(x));
          if (kept.length) values[key] = kept;
        }
        return { ...f, values };
      })
      .filter((f) => Object.keys(f.values).length > 0);
    if (JSON.stringify(filters) !== JSON.stringify(charge.filters)) charges.put({ ...charge, filters });
  }
}

const ALL_FILTER_VALUES = "__ALL_FILTER_VALUES__";
