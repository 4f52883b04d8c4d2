// Pieces several aggregation services share.
import Decimal from "decimal.js";
import { eventNumber } from "../event-values";
import { ZERO } from "../money";
import type { AggregationOptions, BilledEvent } from "./types";

/** Events whose field holds a number (the store's numeric_property), with that number. */
export function numericEvents(events: readonly BilledEvent[], field: string | null): Array<{ event: BilledEvent; value: Decimal }> {
  const out: Array<{ event: BilledEvent; value: Decimal }> = [];
  if (field === null) return out;
  for (const event of events) {
    const value = eventNumber(event.properties[field]);
    if (value) out.push({ event, value });
  }
  return out;
}

/** SUM(precise_total_amount_cents) over the events (NULLs count as nothing). */
export function preciseTotal(events: readonly BilledEvent[]): Decimal {
  let total = ZERO;
  for (const e of events) if (e.precise_total_amount_cents !== null) total = total.plus(e.precise_total_amount_cents);
  return total;
}

const hasFreeUnits = (options: AggregationOptions) => options.freeUnitsPerEvents !== 0 || !options.freeUnitsPerTotalAggregation.isZero();

/** count and unique_count: `(1..aggregation).to_a` when the charge has free units, else []. */
export function unitRunningTotal(options: AggregationOptions, aggregation: number): Decimal[] {
  if (!hasFreeUnits(options)) return [];
  return Array.from({ length: Math.max(Math.floor(aggregation), 0) }, (_, i) => new Decimal(i + 1));
}

/**
 * sum: the cumulative values of the first `free_units_per_events` events when set, else of the events
 * until the total passes `free_units_per_total_aggregation` (that one included).
 */
export function sumRunningTotal(options: AggregationOptions, values: readonly Decimal[]): Decimal[] {
  if (!hasFreeUnits(options)) return [];
  const out: Decimal[] = [];
  let total = ZERO;
  if (options.freeUnitsPerEvents !== 0) {
    for (const value of values.slice(0, Math.max(options.freeUnitsPerEvents, 0))) out.push((total = total.plus(value)));
    return out;
  }
  for (const value of values) {
    if (options.freeUnitsPerTotalAggregation.lt(total)) break;
    out.push((total = total.plus(value)));
  }
  return out;
}
