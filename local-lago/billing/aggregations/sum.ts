// sum_agg (app/services/billable_metrics/aggregations/sum_service.rb): the sum of the events whose field is a
// number, negative totals included (only a pay-in-advance charge's current usage stops at 0).
import type { AggregationInput, AggregationResult } from "./types";
import { numericEvents, preciseTotal, sumRunningTotal } from "./shared";
import { ZERO } from "../money";

export function sumAggregation({ metric, events, boundaries, options }: AggregationInput): AggregationResult {
  const counted = numericEvents(events, metric.field_name);
  const total = counted.reduce((sum, c) => sum.plus(c.value), ZERO);
  // handle_in_advance_current_usage: without a cached aggregation both values are the total, floored at 0.
  const inAdvance = options.isPayInAdvance;
  const floored = total.isNegative() ? ZERO : total;
  return {
    aggregation: inAdvance ? floored : total,
    currentUsageUnits: inAdvance ? floored : null,
    count: counted.length,
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(counted.map((c) => c.event)),
    runningTotal: sumRunningTotal(options, counted.map((c) => c.value)),
    // per_event_aggregation reads the period's events only (force_from), even for recurring metrics.
    perEventValues: () => counted.filter((c) => c.event.timestamp_ms >= boundaries.fromMs).map((c) => c.value),
  };
}
