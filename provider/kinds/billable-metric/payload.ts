// BillableMetric: arguments ↔ Lago's `billable_metric` object (lago-api.md §2.2–2.3), typed by Lago's contract.
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import type { BillableMetricInputs } from "./schema";

/** Lago's billable metric object. */
export type LagoBillableMetric = Wire["BillableMetricObject"];
/** The `billable_metric` body of a create or update. */
export type BillableMetricBody = Wire["BillableMetricBaseInput"];

export type MetricArgs = Managed<BillableMetricInputs>;
export type MetricArg = keyof MetricArgs;

/** Arguments Lago freezes while a live plan charges the metric (§2.4). */
export const FROZEN_WHEN_CHARGED: MetricArg[] = ["code", "aggregationType", "fieldName", "recurring", "weightedInterval", "roundingFunction", "roundingPrecision", "expression"];

/** The `billable_metric` body for the arguments in `payload` (absent ones are not sent; null clears). */
export function toWire(payload: MetricArgs): BillableMetricBody {
  const body: BillableMetricBody = {};
  if ("name" in payload) body.name = payload.name ?? undefined;
  if ("code" in payload) body.code = payload.code ?? undefined;
  if ("description" in payload) body.description = payload.description ?? null;
  if ("aggregationType" in payload) body.aggregation_type = payload.aggregationType ?? undefined;
  if ("fieldName" in payload) body.field_name = payload.fieldName ?? null;
  if ("recurring" in payload) body.recurring = payload.recurring ?? false;
  if ("weightedInterval" in payload) body.weighted_interval = payload.weightedInterval ?? null;
  if ("roundingFunction" in payload) body.rounding_function = payload.roundingFunction ?? null;
  if ("roundingPrecision" in payload) body.rounding_precision = payload.roundingPrecision ?? null;
  if ("expression" in payload) body.expression = payload.expression ?? null;
  if ("filters" in payload) body.filters = (payload.filters ?? []).map((f) => ({ key: f.key, values: [...f.values] }));
  return body;
}

export function toArgs(remote: LagoBillableMetric): MetricArgs {
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
    filters: (remote.filters ?? []).map((f) => ({ key: f.key, values: [...f.values] })),
  };
}

export const outputs = (remote: LagoBillableMetric): Args => ({ lagoId: remote.lago_id, createdAt: remote.created_at });

/**
 * Comparable form: Lago's defaults dropped (recurring false, no filters, blank description), field
 * name ignored for count_agg (Lago discards it), filters as sorted sets.
 */
export function normalize(args: MetricArgs): Args {
  const out: Args = { ...args };
  if (out.recurring === false) delete out.recurring;
  if (out.description === "") delete out.description;
  if (out.expression === "") delete out.expression;
  if (out.aggregationType === "count_agg") delete out.fieldName;
  if (Array.isArray(args.filters)) {
    const filters = args.filters
      .map((f) => ({ key: f.key, values: [...new Set(f.values)].sort() }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (filters.length) out.filters = filters;
    else delete out.filters;
  }
  return out;
}
