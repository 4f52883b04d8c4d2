// custom_agg (app/services/billable_metrics/aggregations/custom_service.rb) runs the organisation's own
// aggregator code in Lago's sandbox. The local Lago has no such runtime: it answers zero units, counting the
// events it was given, so a custom charge shows up in current usage with its events but no amount.
import type { AggregationInput, AggregationResult } from "./types";
import { preciseTotal } from "./shared";
import { ZERO } from "../money";

export function customAggregation({ events }: AggregationInput): AggregationResult {
  return {
    aggregation: ZERO,
    currentUsageUnits: null,
    count: events.length,
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(events),
    runningTotal: null,
    perEventValues: () => [],
  };
}
