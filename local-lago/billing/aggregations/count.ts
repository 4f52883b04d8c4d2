// count_agg (app/services/billable_metrics/aggregations/count_service.rb): every event in scope is one unit;
// the running total for free units is 1, 2, … n.
import Decimal from "decimal.js";
import type { AggregationInput, AggregationResult } from "./types";
import { preciseTotal, unitRunningTotal } from "./shared";

export function countAggregation({ events, options }: AggregationInput): AggregationResult {
  const value = new Decimal(events.length);
  return {
    aggregation: value,
    currentUsageUnits: value,
    count: events.length,
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(events),
    runningTotal: unitRunningTotal(options, events.length),
    perEventValues: () => events.map(() => new Decimal(1)),
  };
}
