// percentage (app/services/charge_models/percentage_service.rb): rate % of the units past the free ones, plus
// fixed_amount per paying event. The free units come from the aggregation's running total: the total after
// free_units_per_events events, else up to free_units_per_total_aggregation. With a premium licence and a
// per-transaction min or max, every event is priced on its own and clamped.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { bigDecimal, ZERO } from "../money";

/** Ruby's `to_i` on a JSON value: integers as they are, floats truncated, anything else 0. */
const toI = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : typeof value === "string" ? parseInt(value, 10) || 0 : 0);

const present = (value: unknown) => value !== undefined && value !== null && !(typeof value === "string" && value.trim() === "");

export function percentageAmount({ units, aggregation, properties, premium }: ChargeModelInput): Decimal {
  const rate = bigDecimal(properties.rate);
  const fixedAmount = bigDecimal(properties.fixed_amount ?? 0);
  const freePerEvents = toI(properties.free_units_per_events);
  const freePerTotal = bigDecimal(properties.free_units_per_total_aggregation ?? 0);
  const runningTotal = aggregation.runningTotal ?? [];
  const lastRunningTotal = runningTotal.at(-1) ?? ZERO;
  const count = aggregation.count;

  const freeUnitsValue = (() => {
    if (lastRunningTotal.isZero()) return ZERO;
    if (freePerEvents > 0 && freePerEvents < runningTotal.length) return runningTotal[freePerEvents - 1]!;
    if (freePerTotal.isZero()) return lastRunningTotal;
    if (lastRunningTotal.lte(freePerTotal)) return lastRunningTotal;
    return freePerTotal;
  })();
  const freeUnitsCount = Math.min(...[freePerEvents, runningTotal.filter((t) => t.lt(freePerTotal)).length].filter((n) => n !== 0), Infinity);
  const freeCount = Number.isFinite(freeUnitsCount) ? freeUnitsCount : 0;

  const minSet = present(properties.per_transaction_min_amount);
  const maxSet = present(properties.per_transaction_max_amount);
  if (premium && (minSet || maxSet)) {
    const min = minSet ? bigDecimal(properties.per_transaction_min_amount) : null;
    const max = maxSet ? bigDecimal(properties.per_transaction_max_amount) : null;
    let remainingFreeEvents = freePerEvents;
    let remainingFreeAmount = freePerTotal;
    let total = ZERO;
    for (const eventValue of aggregation.perEventValues()) {
      let value = eventValue;
      if (remainingFreeEvents > 0 || remainingFreeAmount.gt(0)) {
        remainingFreeEvents -= 1;
        if (!remainingFreeAmount.gt(0)) continue;
        if (remainingFreeAmount.gt(value)) {
          remainingFreeAmount = remainingFreeAmount.minus(value);
          continue;
        }
        value = value.minus(remainingFreeAmount);
        remainingFreeAmount = ZERO;
        remainingFreeEvents = 0;
      }
      let eventAmount = value.times(rate).dividedBy(100).plus(fixedAmount);
      if (min !== null && eventAmount.lt(min)) eventAmount = min;
      else if (max !== null && eventAmount.gt(max)) eventAmount = max;
      total = total.plus(eventAmount);
    }
    return total;
  }

  const percentagePart = freeUnitsValue.gt(units) ? ZERO : units.minus(freeUnitsValue).times(rate).dividedBy(100);
  const fixedPart = units.isZero() || freeCount >= count ? ZERO : fixedAmount.times(count - freeCount);
  return percentagePart.plus(fixedPart);
}
