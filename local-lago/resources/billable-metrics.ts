// Billable metrics (lago-api.md §2).
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { forbidden, notFound, Validation } from "../errors";
import { live, tables, type MetricRow } from "../model";
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
    filters: row.filters.map((f) => ({ key: f.key, values: [...f.values].sort() })),
    // deprecated counters, always 0 (§2.3)
    ...(withCounters ? { active_subscriptions_count: 0, draft_invoices_count: 0, plans_count: 0 } : {}),
  };
}

/** Raises Lago's 500 for inputs that real Lago does not validate (§2.2). */
function assertNoCrash(input: Record<string, unknown>) {
  if ("weighted_interval" in input && input.weighted_interval !== null && input.weighted_interval !== "seconds")
    throw new Error(`weighted_interval ${String(input.weighted_interval)} raises in Lago`);
  if ("rounding_function" in input && input.rounding_function !== null && !["round", "ceil", "floor"].includes(String(input.rounding_function)))
    throw new Error(`rounding_function ${String(input.rounding_function)} raises in Lago`);
}

function validateFilters(filters: unknown, v: Validation): MetricRow["filters"] {
  if (!Array.isArray(filters)) return [];
  const out: MetricRow["filters"] = [];
  for (const f of filters as Array<{ key?: unknown; values?: unknown }>) {
    const values = Array.isArray(f?.values) ? f.values.map(String) : [];
    if (!values.length) v.add("values", "value_is_mandatory");
    out.push({ key: String(f?.key ?? ""), values: [...new Set(values)] });
  }
  return out;
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

/** Lago parses expressions with its own evaluator; we accept arithmetic over event.properties / event.timestamp. */
function isValidExpression(expression: string): boolean {
  if (!expression.trim()) return true;
  let depth = 0;
  for (const ch of expression) {
    if (ch === "(") depth++;
    if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0 && /^[\w\s.+\-*/(),'"]+$/.test(expression);
}

/** Is the metric charged by any live plan? Then its identity is frozen (§2.4). */
export function metricInUse(lago: LagoContext, metricId: string): boolean {
  const { charges, plans } = tables(lago.store);
  return charges.filter((c) => c.deleted_at === null && c.billable_metric_id === metricId).some((c) => live(plans.get(c.plan_id)));
}

export const billableMetrics: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/billable_metrics", (req) => {
    const input = req.body("billable_metric");
    assertNoCrash(input);
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
      weighted_interval: (input.weighted_interval as string | null) ?? null,
      rounding_function: (input.rounding_function as string | null) ?? null,
      rounding_precision: (input.rounding_precision as number | null) ?? null,
      expression: (input.expression as string | null) ?? null,
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
    const input = req.body("expression");
    void input;
    return { expression_result: { value: null } };
  });

  api.get("/billable_metrics/:code{.+}", (req) => ({ billable_metric: serializeMetric(findMetric(lago, req.params.code!), false) }));

  api.put("/billable_metrics/:code{.+}", (req) => {
    const current = findMetric(lago, req.params.code!);
    const input = req.body("billable_metric");
    assertNoCrash(input);
    const v = new Validation();
    const next: BillableMetricRow = { ...current };
    if ("name" in input) next.name = input.name as string;
    if ("description" in input) next.description = (input.description as string | null) ?? null;
    if ("filters" in input) next.filters = validateFilters(input.filters ?? [], v);
    if (!metricInUse(lago, current.id)) {
      for (const key of FROZEN_WHEN_USED) if (key in input) (next as unknown as Record<string, unknown>)[key] = input[key] ?? null;
      if ("recurring" in input) next.recurring = input.recurring === true;
      if (next.aggregation_type === "count_agg") next.field_name = null;
    }
    validateShape(next, lago, v);
    v.throwIfAny();
    t().billableMetrics.put(next);
    if ("filters" in input) trimChargeFilters(lago, next);
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

/** Replacing a metric's filters trims charge filter values that no longer exist (§2.4). */
function trimChargeFilters(lago: LagoContext, metric: MetricRow) {
  const { charges } = tables(lago.store);
  const allowed = new Map(metric.filters.map((f) => [f.key, new Set(f.values)]));
  for (const charge of charges.filter((c) => c.billable_metric_id === metric.id && c.deleted_at === null)) {
    const filters = charge.filters
      .map((f) => ({
        ...f,
        values: Object.fromEntries(
          Object.entries(f.values)
            .filter(([k]) => allowed.has(k))
            .map(([k, vals]) => [k, vals.filter((x) => x === "__ALL_FILTER_VALUES__" || allowed.get(k)!.has(x))]),
        ),
      }))
      .filter((f) => Object.values(f.values).some((vals) => vals.length) && Object.values(f.values).every((vals) => vals.length));
    if (JSON.stringify(filters) !== JSON.stringify(charge.filters)) charges.put({ ...charge, filters });
  }
}
