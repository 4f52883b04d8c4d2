// max_agg (app/services/billable_metrics/aggregations/max_service.rb): the largest number in the field, which
// may be negative; 0 without events. Its per-event values are the first maximum, 0 for every other event.
import Decimal from "decimal.js";
import type { AggregationInput, AggregationResult } from "./types";
import { numericEvents, preciseTotal } from "./shared";
import { ZERO } from "../money";

export function maxAggregation({ metric, events }: AggregationInput): AggregationResult {
  const counted = numericEvents(events, metric.field_name);
  const max = counted.length ? Decimal.max(...counted.map((c) => c.value)) : ZERO;
  return {
    aggregation: max,
    currentUsageUnits: null,
    count: counted.length,
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(counted.map((c) => c.event)),
    runningTotal: null,
    perEventValues: () => {
      let seen = false;
      return counted.map((c) => (!seen && c.value.eq(max) ? ((seen = true), c.value) : ZERO));
    },
  };
}
