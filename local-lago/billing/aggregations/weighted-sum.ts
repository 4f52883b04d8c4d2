// weighted_sum_agg (app/services/billable_metrics/aggregations/weighted_sum_service.rb and
// app/services/events/stores/postgres/weighted_sum_query.rb). The running total (from the initial value) is
// held from each event to the next, the last one until the period's end (its last second rounded up), and
// each hold is weighted by its seconds over the WHOLE billing period's seconds (charges_duration days): a
// subscription that started mid-period is prorated, not averaged over its own days. The units are ceiled at
// 20 decimals; total_aggregated_units is the variation (plus the initial value for recurring metrics).
import Decimal from "decimal.js";
import type { AggregationInput, AggregationResult } from "./types";
import { numericEvents, preciseTotal } from "./shared";
import { ZERO } from "../money";

export function weightedSumAggregation({ metric, events, boundaries, initialValue }: AggregationInput): AggregationResult {
  const counted = numericEvents(events, metric.field_name);
  const periodSeconds = boundaries.chargesDurationDays * 86_400;
  const endMs = Math.ceil((boundaries.toMs + 1) / 1000) * 1000; // to_datetime (…:59.999999).ceil
  // Rows: the initial value at from, each event, 0 at the end; each row's cumulative value holds until the next row.
  const rows = [{ at: boundaries.fromMs, difference: initialValue }, ...counted.map((c) => ({ at: c.event.timestamp_ms, difference: c.value })), { at: endMs, difference: ZERO }];
  let cumulative = ZERO;
  let weighted = ZERO;
  rows.forEach((row, i) => {
    cumulative = cumulative.plus(row.difference);
    const next = rows[i + 1]?.at ?? endMs;
    const seconds = new Decimal(next - row.at).dividedBy(1000);
    if (!seconds.isZero()) weighted = weighted.plus(cumulative.times(seconds));
  });
  const variation = counted.reduce((sum, c) => sum.plus(c.value), ZERO);
  return {
    aggregation: periodSeconds > 0 ? weighted.dividedBy(periodSeconds).toDecimalPlaces(20, Decimal.ROUND_CEIL) : ZERO,
    currentUsageUnits: null,
    count: counted.length,
    totalAggregatedUnits: metric.recurring ? initialValue.plus(variation) : variation,
    preciseTotalAmountCents: preciseTotal(counted.map((c) => c.event)),
    runningTotal: null,
    perEventValues: () => {
      throw new Error("weighted_sum_agg has no per-event aggregation in Lago");
    },
  };
}
