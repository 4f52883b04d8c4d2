// latest_agg (app/services/billable_metrics/aggregations/latest_service.rb): the number in the most recent
// event (latest timestamp, then latest received); a negative latest value counts as 0.
import type { AggregationInput, AggregationResult } from "./types";
import { numericEvents, preciseTotal } from "./shared";
import { ZERO } from "../money";

export function latestAggregation({ metric, events }: AggregationInput): AggregationResult {
  const counted = numericEvents(events, metric.field_name);
  const latest = counted.at(-1)?.value ?? ZERO;
  return {
    aggregation: latest.isNegative() ? ZERO : latest,
    currentUsageUnits: null,
    count: counted.length,
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(counted.map((c) => c.event)),
    runningTotal: null,
    perEventValues: () => {
      throw new Error("latest_agg has no per-event aggregation in Lago (percentage charges refuse latest_agg metrics)");
    },
  };
}
