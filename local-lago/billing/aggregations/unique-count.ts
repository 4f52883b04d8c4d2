// unique_count_agg (app/services/billable_metrics/aggregations/unique_count_service.rb and
// app/services/events/stores/postgres/unique_count_query.rb). Per value of the field (events without it share
// the value NULL), ordered by time, an operation counts +1 ("add") or -1 (anything else) unless it repeats the
// previous operation on that value (the first one is compared with "remove"). The units are the sum, ceiled at
// 5 decimals, and events_count is that same number, not the number of events.
import Decimal from "decimal.js";
import type { AggregationInput, AggregationResult } from "./types";
import { preciseTotal, unitRunningTotal } from "./shared";
import { propertyText } from "../event-values";
import { ZERO } from "../money";

export function uniqueCountAggregation({ metric, events, options }: AggregationInput): AggregationResult {
  const field = metric.field_name ?? "";
  const lastOperation = new Map<string | null, string>();
  let total = 0;
  for (const event of events) {
    const value = propertyText(event.properties[field]);
    const operation = propertyText(event.properties.operation_type) ?? "add";
    const previous = lastOperation.get(value) ?? "remove";
    if (previous !== operation) total += operation === "add" ? 1 : -1;
    lastOperation.set(value, operation);
  }
  const counted = new Decimal(total).toDecimalPlaces(5, Decimal.ROUND_CEIL);
  const inAdvance = options.isPayInAdvance;
  const floored = counted.isNegative() ? ZERO : counted;
  const aggregation = inAdvance ? floored : counted;
  return {
    aggregation,
    currentUsageUnits: inAdvance ? floored : null,
    count: aggregation.toNumber(),
    totalAggregatedUnits: null,
    preciseTotalAmountCents: preciseTotal(events),
    runningTotal: unitRunningTotal(options, aggregation.toNumber()),
    perEventValues: () => events.map(() => new Decimal(1)),
  };
}
