// Billable-metric aggregations as pure functions (lago-api.md §11): how a period's events become
// the units a charge model prices. Events must be given oldest first.
import Decimal from "decimal.js";

export interface AggregatedEvent {
  /** Unix milliseconds. */
  timestamp_ms: number;
  properties: Record<string, unknown>;
  precise_total_amount_cents: string | null;
}

export interface MetricDefinition {
  aggregation_type: string;
  field_name: string | null;
  rounding_function?: string | null;
  rounding_precision?: number | null;
}

export interface Aggregation {
  units: Decimal;
  /** Differs from `units` for weighted sums only: the running total at the end of the events. */
  totalAggregatedUnits: Decimal;
  eventsCount: number;
  /** Per-event values, oldest first, for percentage pricing. */
  eventValues: Decimal[];
  preciseTotalAmountCents: Decimal;
}

/** The period the events belong to; weighted sums spread values over it. */
export interface AggregationPeriod {
  fromMs: number;
  toMs: number;
}

const ZERO = new Decimal(0);

/** A numeric property value (JSON number or numeric string), or null when it is not a number. */
export function numericValue(value: unknown): Decimal | null {
  if (typeof value === "number") return Number.isFinite(value) ? new Decimal(value.toString()) : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    const parsed = new Decimal(value.trim());
    return parsed.isFinite() ? parsed : null;
  } catch {
    return null;
  }
}

function sumOfPreciseAmounts(events: readonly AggregatedEvent[]): Decimal {
  let total = ZERO;
  for (const e of events) {
    const cents = numericValue(e.precise_total_amount_cents);
    if (cents) total = total.plus(cents);
  }
  return total;
}

const hasField = (event: AggregatedEvent, field: string) => event.properties[field] !== undefined && event.properties[field] !== null;

/** count_agg: one unit per event. */
export function countAggregation(events: readonly AggregatedEvent[]): Aggregation {
  const units = new Decimal(events.length);
  return { units, totalAggregatedUnits: units, eventsCount: events.length, eventValues: events.map(() => new Decimal(1)), preciseTotalAmountCents: sumOfPreciseAmounts(events) };
}

/** Events whose `field` holds a number, with that number. */
function numericEvents(events: readonly AggregatedEvent[], field: string): Array<{ event: AggregatedEvent; value: Decimal }> {
  const out: Array<{ event: AggregatedEvent; value: Decimal }> = [];
  for (const event of events) {
    const value = numericValue(event.properties[field]);
    if (value) out.push({ event, value });
  }
  return out;
}

/** sum_agg: the sum of the field. */
export function sumAggregation(events: readonly AggregatedEvent[], field: string): Aggregation {
  const counted = numericEvents(events, field);
  const units = counted.reduce((sum, c) => sum.plus(c.value), ZERO);
  return { units, totalAggregatedUnits: units, eventsCount: counted.length, eventValues: counted.map((c) => c.value), preciseTotalAmountCents: sumOfPreciseAmounts(counted.map((c) => c.event)) };
}

/** max_agg: the largest value of the field (0 without events). */
export function maxAggregation(events: readonly AggregatedEvent[], field: string): Aggregation {
  const counted = numericEvents(events, field);
  const units = counted.length ? Decimal.max(...counted.map((c) => c.value)) : ZERO;
  return { units, totalAggregatedUnits: units, eventsCount: counted.length, eventValues: counted.map((c) => c.value), preciseTotalAmountCents: ZERO };
}

/** latest_agg: the value of the most recent event. */
export function latestAggregation(events: readonly AggregatedEvent[], field: string): Aggregation {
  const counted = numericEvents(events, field);
  const units = counted.at(-1)?.value ?? ZERO;
  return { units, totalAggregatedUnits: units, eventsCount: counted.length, eventValues: counted.map((c) => c.value), preciseTotalAmountCents: ZERO };
}

/**
 * unique_count_agg: distinct values of the field still "added" at the end. An event with
 * `operation_type: "remove"` withdraws an earlier add of the same value; a later add restores it.
 */
export function uniqueCountAggregation(events: readonly AggregatedEvent[], field: string): Aggregation {
  const present = new Map<string, boolean>();
  let eventsCount = 0;
  for (const event of events) {
    if (!hasField(event, field)) continue;
    eventsCount++;
    const key = String(event.properties[field]);
    present.set(key, event.properties.operation_type !== "remove");
  }
  let distinct = 0;
  for (const isPresent of present.values()) if (isPresent) distinct++;
  const units = new Decimal(distinct);
  return { units, totalAggregatedUnits: units, eventsCount, eventValues: Array.from({ length: distinct }, () => new Decimal(1)), preciseTotalAmountCents: ZERO };
}

/**
 * weighted_sum_agg: each event moves a running total; the result is that total averaged over the
 * period, each value weighted by how long it held (the last one until the period's end).
 */
export function weightedSumAggregation(events: readonly AggregatedEvent[], field: string, period: AggregationPeriod): Aggregation {
  const counted = numericEvents(events, field);
  const periodMs = Math.max(period.toMs - period.fromMs, 1);
  let running = ZERO;
  let weighted = ZERO;
  let since = period.fromMs;
  for (const { event, value } of counted) {
    const at = Math.min(Math.max(event.timestamp_ms, period.fromMs), period.toMs);
    weighted = weighted.plus(running.times(at - since));
    running = running.plus(value);
    since = at;
  }
  weighted = weighted.plus(running.times(period.toMs - since));
  return { units: weighted.dividedBy(periodMs), totalAggregatedUnits: running, eventsCount: counted.length, eventValues: counted.map((c) => c.value), preciseTotalAmountCents: ZERO };
}

/** A metric's optional rounding of the aggregated units. */
export function roundUnits(units: Decimal, roundingFunction: string | null | undefined, precision: number | null | undefined): Decimal {
  const places = precision ?? 0;
  switch (roundingFunction) {
    case "round":
      return units.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
    case "ceil":
      return units.toDecimalPlaces(places, Decimal.ROUND_CEIL);
    case "floor":
      return units.toDecimalPlaces(places, Decimal.ROUND_FLOOR);
    default:
      return units;
  }
}

/** Aggregates a metric's events (oldest first) for one period. */
export function aggregate(metric: MetricDefinition, events: readonly AggregatedEvent[], period: AggregationPeriod): Aggregation {
  const field = metric.field_name ?? "";
  let result: Aggregation;
  switch (metric.aggregation_type) {
    case "count_agg":
      result = countAggregation(events);
      break;
    case "sum_agg":
      result = sumAggregation(events, field);
      break;
    case "max_agg":
      result = maxAggregation(events, field);
      break;
    case "latest_agg":
      result = latestAggregation(events, field);
      break;
    case "unique_count_agg":
      result = uniqueCountAggregation(events, field);
      break;
    case "weighted_sum_agg":
      result = weightedSumAggregation(events, field, period);
      break;
    default:
      // custom_agg runs Lago's custom engine, which the local Lago does not have
      result = { units: ZERO, totalAggregatedUnits: ZERO, eventsCount: 0, eventValues: [], preciseTotalAmountCents: ZERO };
  }
  if (!metric.rounding_function) return result;
  const units = roundUnits(result.units, metric.rounding_function, metric.rounding_precision);
  return { ...result, units, totalAggregatedUnits: metric.aggregation_type === "weighted_sum_agg" ? result.totalAggregatedUnits : units };
}
