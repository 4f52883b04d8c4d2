// The aggregation of a metric's events (app/services/billable_metrics/aggregation_factory.rb), then the
// metric's rounding of the units (base_service.rb#apply_rounding: aggregation and current_usage_units only).
import type { AggregationInput, AggregationResult } from "./types";
import { countAggregation } from "./count";
import { customAggregation } from "./custom";
import { latestAggregation } from "./latest";
import { maxAggregation } from "./max";
import { applyRounding } from "./rounding";
import { sumAggregation } from "./sum";
import { uniqueCountAggregation } from "./unique-count";
import { weightedSumAggregation } from "./weighted-sum";

export type { AggregationBoundaries, AggregationInput, AggregationOptions, AggregationResult, BilledEvent, BilledMetric } from "./types";
export { applyRounding } from "./rounding";

const AGGREGATIONS: Record<string, (input: AggregationInput) => AggregationResult> = {
  count_agg: countAggregation,
  sum_agg: sumAggregation,
  max_agg: maxAggregation,
  latest_agg: latestAggregation,
  unique_count_agg: uniqueCountAggregation,
  weighted_sum_agg: weightedSumAggregation,
  custom_agg: customAggregation,
};

export function aggregate(input: AggregationInput): AggregationResult {
  const aggregation = AGGREGATIONS[input.metric.aggregation_type];
  if (!aggregation) throw new Error(`aggregation_type ${input.metric.aggregation_type} is not implemented (Lago raises NotImplementedError)`);
  const result = aggregation(input);
  const { rounding_function: fn, rounding_precision: precision } = input.metric;
  if (!fn) return result;
  return {
    ...result,
    aggregation: applyRounding(result.aggregation, fn, precision),
    currentUsageUnits: result.currentUsageUnits && applyRounding(result.currentUsageUnits, fn, precision),
  };
}
