// BillableMetric: arguments ↔ Lago's `billable_metric` object (lago-api.md §2.2–2.3).
import { snakeCase } from "../../errors";
import type { Args } from "../../kind";

/** The fields of Lago's billable metric response the provider reads. */
export interface LagoBillableMetric {
  lago_id: string;
  name: string;
  code: string;
  description: string | null;
  aggregation_type: string;
  field_name: string | null;
  recurring: boolean;
  weighted_interval: string | null;
  rounding_function: string | null;
  rounding_precision: number | null;
  expression: string | null;
  filters: Array<{ key: string; values: string[] }>;
  created_at: string;
}

/** Every managed argument; its Lago field is its snake_case. */
export const METRIC_ARGS = ["name", "code", "description", "aggregationType", "fieldName", "recurring", "weightedInterval", "roundingFunction", "roundingPrecision", "expression", "filters"] as const;

export type MetricArg = (typeof METRIC_ARGS)[number];

/** Arguments Lago freezes while a live plan charges the metric (§2.4). */
export const FROZEN_WHEN_CHARGED: MetricArg[] = ["code", "aggregationType", "fieldName", "recurring", "weightedInterval", "roundingFunction", "roundingPrecision", "expression"];

/** The `billable_metric` body for the arguments in `payload` (absent ones are not sent). */
export function toWire(payload: Args): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const arg of METRIC_ARGS) {
    if (!(arg in payload)) continue;
    const value = payload[arg];
    wire[snakeCase(arg)] =
      arg === "filters" && Array.isArray(value)
        ? value.map((f: { key: string; values: string[] }) => ({ key: f.key, values: [...f.values] }))
        : value;
  }
  return wire;
}

export function toArgs(remote: LagoBillableMetric): Args {
  return {
    name: remote.name,
    code: remote.code,
    description: remote.description,
    aggregationType: remote.aggregation_type,
    fieldName: remote.field_name,
    recurring: remote.recurring,
    weightedInterval: remote.weighted_interval,
    roundingFunction: remote.rounding_function,
    roundingPrecision: remote.rounding_precision,
    expression: remote.expression,
    filters: remote.filters.map((f) => ({ key: f.key, values: [...f.values] })),
  };
}

export const outputs = (remote: LagoBillableMetric): Args => ({ lagoId: remote.lago_id, createdAt: remote.created_at });

/**
 * Comparable form: Lago's defaults dropped (recurring false, no filters, blank description), field
 * name ignored for count_agg (Lago discards it), filters as sorted sets.
 */
export function normalize(args: Args): Args {
  const out: Args = { ...args };
  if (out.recurring === false) delete out.recurring;
  if (out.description === "") delete out.description;
  if (out.expression === "") delete out.expression;
  if (out.aggregationType === "count_agg") delete out.fieldName;
  if (Array.isArray(out.filters)) {
    const filters = (out.filters as Array<{ key: string; values: string[] }>)
      .map((f) => ({ key: f.key, values: [...new Set(f.values)].sort() }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (filters.length) out.filters = filters;
    else delete out.filters;
  }
  return out;
}
