// Bad BillableMetric specs (lago-api.md §2.2).
import { mtuMetricArgs } from "../../support/segment-team";
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "billableMetric", args: mtuMetricArgs };
const metric = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const AGGREGATIONS = "count_agg, sum_agg, max_agg, unique_count_agg, weighted_sum_agg, latest_agg, custom_agg";

export const rows: BadInputRow[] = [
  { name: "blank name", kind: "billableMetric", args: metric({ name: "  " }), failure: { property: "name", reason: "name must not be blank (the metric's display name)" } },
  { name: "missing code", kind: "billableMetric", args: metric({ code: undefined }), failure: { property: "code", reason: "code is required (the code events are sent with)" } },
  { name: "unknown aggregation", kind: "billableMetric", args: metric({ aggregationType: "avg_agg" }), failure: { property: "aggregationType", reason: `aggregationType must be one of ${AGGREGATIONS}` } },
  { name: "sum without field", kind: "billableMetric", args: metric({ aggregationType: "sum_agg", fieldName: undefined }), failure: { property: "fieldName", reason: "fieldName is required for sum_agg (the event property to aggregate)" } },
  { name: "count with field", kind: "billableMetric", args: metric({ aggregationType: "count_agg", fieldName: "user_id" }), failure: { property: "fieldName", reason: "fieldName must be omitted for count_agg (Lago discards it)" } },
  { name: "recurring max", kind: "billableMetric", args: metric({ aggregationType: "max_agg", recurring: true }), failure: { property: "recurring", reason: "recurring cannot be true with max_agg (Lago: not_compatible_with_aggregation_type)" } },
  { name: "weighted sum without interval", kind: "billableMetric", args: metric({ aggregationType: "weighted_sum_agg" }), failure: { property: "weightedInterval", reason: 'weightedInterval must be "seconds" for weighted_sum_agg' } },
  { name: "interval other than seconds", kind: "billableMetric", args: metric({ aggregationType: "weighted_sum_agg", weightedInterval: "hours" }), failure: { property: "weightedInterval", reason: 'weightedInterval must be "seconds"' } },
  { name: "unknown rounding", kind: "billableMetric", args: metric({ roundingFunction: "up" }), failure: { property: "roundingFunction", reason: "roundingFunction must be round, ceil or floor" } },
  { name: "fractional precision", kind: "billableMetric", args: metric({ roundingFunction: "round", roundingPrecision: 1.5 }), failure: { property: "roundingPrecision", reason: "roundingPrecision must be an integer" } },
  { name: "filter without values", kind: "billableMetric", args: metric({ filters: [{ key: "region", values: [] }] }), failure: { property: "filters[0].values", reason: "filters[0].values must list at least one value (Lago: value_is_mandatory)" } },
  { name: "filter key twice", kind: "billableMetric", args: metric({ filters: [{ key: "region", values: ["eu"] }, { key: "region", values: ["us"] }] }), failure: { property: "filters[1].key", reason: 'filters[1].key "region" is listed twice; merge the values into one filter' } },
  { name: "blank filter key", kind: "billableMetric", args: metric({ filters: [{ key: "", values: ["eu"] }] }), failure: { property: "filters[0].key", reason: "filters[0].key must not be blank (the event property filtered on)" } },
  { name: "recurring as text", kind: "billableMetric", args: metric({ recurring: "yes" }), failure: { property: "recurring", reason: "recurring invalid input: expected boolean, received string" } },
  // Lago raises on any weighted_interval but seconds, whatever the aggregation (BillableMetric enum after to_sym, billable_metrics/create_service.rb).
  { name: "interval on a sum", kind: "billableMetric", args: metric({ aggregationType: "sum_agg", fieldName: "n", weightedInterval: "minutes" }), failure: { property: "weightedInterval", reason: 'weightedInterval must be "seconds"' } },
  // `aggregation_type&.to_sym` raises on a number (billable_metrics/create_service.rb).
  { name: "aggregation as a number", kind: "billableMetric", args: metric({ aggregationType: 1 }), failure: { property: "aggregationType", reason: `aggregationType must be one of ${AGGREGATIONS}` } },
];
