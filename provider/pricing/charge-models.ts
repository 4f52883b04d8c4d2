// Lago's charge models as pure functions over decimals (lago-api.md §11), on Lago's wire shapes (snake_case
// properties, prices as decimal strings): what Lago returns and what the provider sends. Amounts are in currency
// units at full precision; `toAmountCents` (money.ts) rounds them the way a fee is rounded. No binary floats.
import Decimal from "decimal.js";
import { currencySubunits } from "./money";

export type Properties = Record<string, unknown>;

const ZERO = new Decimal(0);

/** Prices arrive as decimal strings, bounds and sizes as JSON numbers; absent means 0. */
export function dec(value: unknown): Decimal {
  if (value === undefined || value === null || value === "") return ZERO;
  if (Decimal.isDecimal(value)) return value as Decimal;
  try {
    return new Decimal(typeof value === "number" ? value.toString() : String(value).trim());
  } catch {
    return ZERO;
  }
}

const nullableDec = (value: unknown): Decimal | null => (value === undefined || value === null ? null : dec(value));

interface Range {
  from: Decimal;
  to: Decimal | null;
  raw: Record<string, unknown>;
}

function rangesOf(properties: Properties, key: string): Range[] {
  const list = Array.isArray(properties[key]) ? (properties[key] as Array<Record<string, unknown>>) : [];
  return list.map((raw) => ({ from: dec(raw.from_value), to: nullableDec(raw.to_value), raw }));
}

/** standard: every unit at `amount`. */
export function standardAmount(units: Decimal, properties: Properties): Decimal {
  return units.times(dec(properties.amount));
}

/**
 * Ranges are "adjacent" when each one starts where the previous one ended ([0–100],[100–…]).
 * Otherwise they are written "+1" style ([0–100],[101–…]) and a range starting above 0 owns its
 * start value, so it bills one unit more than the plain difference.
 */
export function rangesAreAdjacent(ranges: ReadonlyArray<{ from: Decimal; to: Decimal | null }>): boolean {
  if (ranges.length < 2) return false;
  return ranges.slice(1).every((range, i) => range.from.equals(ranges[i]!.to ?? ZERO));
}

/** Units billed inside one graduated range for a given total. */
function graduatedRangeUnits(range: Range, total: Decimal, adjacent: boolean): Decimal {
  const capped = range.to !== null && total.gte(range.to) ? range.to : total;
  if (range.from.isZero()) return capped;
  const difference = capped.minus(range.from);
  return adjacent ? difference : difference.plus(1);
}

/** What one range of a tiered charge bills: the breakdown a reviewer reads, and what the amount sums. */
export interface TierLine {
  /** The range's position in the charge's list (volume: the one range that applied). */
  index: number;
  from: Decimal;
  /** null: the open last range. */
  to: Decimal | null;
  /** Units billed in this range (volume: every unit). */
  units: Decimal;
  /** Price per unit (graduated, volume); null for graduated_percentage. */
  perUnitAmount: Decimal | null;
  /** Percent of the range's units (graduated_percentage); null otherwise. */
  rate: Decimal | null;
  flatAmount: Decimal;
  /** units × price (or rate %) + flat fee, at full precision. */
  amount: Decimal;
}

const sumOf = (lines: readonly TierLine[]): Decimal => lines.reduce((sum, line) => sum.plus(line.amount), ZERO);

/**
 * graduated: walk the ranges in order, each billing its own units at its unit price plus its flat
 * fee, and stop after the range that holds the total. The first range's flat fee is therefore
 * charged even at zero units.
 */
export function graduatedTiers(units: Decimal, properties: Properties): TierLine[] {
  const ranges = rangesOf(properties, "graduated_ranges");
  const adjacent = rangesAreAdjacent(ranges);
  const lines: TierLine[] = [];
  for (const [index, range] of ranges.entries()) {
    const rangeUnits = graduatedRangeUnits(range, units, adjacent);
    const perUnitAmount = dec(range.raw.per_unit_amount);
    const flatAmount = dec(range.raw.flat_amount);
    const unitsAmount = rangeUnits.isZero() ? ZERO : rangeUnits.times(perUnitAmount);
    lines.push({ index, from: range.from, to: range.to, units: rangeUnits, perUnitAmount, rate: null, flatAmount, amount: unitsAmount.plus(flatAmount) });
    if (range.to === null || range.to.gte(units)) break;
  }
  return lines;
}

export const graduatedAmount = (units: Decimal, properties: Properties): Decimal => sumOf(graduatedTiers(units, properties));

/** volume: the single range holding the total prices every unit, plus its flat fee. */
export function volumeTiers(units: Decimal, properties: Properties): TierLine[] {
  const ranges = rangesOf(properties, "volume_ranges");
  const ordered = ranges.map((range, index) => ({ range, index })).sort((a, b) => a.range.from.comparedTo(b.range.from));
  const wholeUnits = units.ceil();
  const found = ordered.find(({ range: r }) => r.from.lte(wholeUnits) && (r.to === null || units.lte(r.to)));
  if (!found) return [];
  const { range, index } = found;
  const perUnitAmount = dec(range.raw.per_unit_amount);
  const flatAmount = dec(range.raw.flat_amount);
  return [{ index, from: range.from, to: range.to, units, perUnitAmount, rate: null, flatAmount, amount: units.times(perUnitAmount).plus(flatAmount) }];
}

export const volumeAmount = (units: Decimal, properties: Properties): Decimal => sumOf(volumeTiers(units, properties));

/** package: after the free units, every started package of `package_size` costs `amount`. */
export function packageAmount(units: Decimal, properties: Properties): Decimal {
  const paidUnits = units.minus(dec(properties.free_units));
  const packageSize = dec(properties.package_size);
  if (paidUnits.isNegative() || packageSize.lte(0)) return ZERO;
  return paidUnits.dividedBy(packageSize).ceil().times(dec(properties.amount));
}

export interface PercentageUsage {
  units: Decimal;
  /** Each counted event's value, oldest first (the metric's per-event aggregation). */
  eventValues: readonly Decimal[];
  /** Per-transaction min/max are honoured with premium only (§1.10). */
  premium: boolean;
}

/**
 * percentage: `rate` % of the units past the free ones, plus `fixed_amount` per paying event.
 * Free units are the first `free_units_per_events` events and/or `free_units_per_total_aggregation`.
 */
export function percentageAmount(usage: PercentageUsage, properties: Properties): Decimal {
  const rate = dec(properties.rate);
  const fixedAmount = dec(properties.fixed_amount);
  const freeEvents = Math.trunc(Number(dec(properties.free_units_per_events)));
  const freeTotal = dec(properties.free_units_per_total_aggregation);
  const hasFreeUnits = freeEvents > 0 || freeTotal.gt(0);
  const min = nullableDec(properties.per_transaction_min_amount);
  const max = nullableDec(properties.per_transaction_max_amount);
  if (usage.premium && (min !== null || max !== null)) return percentageWithTransactionBounds(usage.eventValues, rate, fixedAmount, freeEvents, freeTotal, min, max);

  const runningTotals: Decimal[] = [];
  if (hasFreeUnits) usage.eventValues.reduce((sum, value) => (runningTotals.push(sum.plus(value)), sum.plus(value)), ZERO);
  const lastTotal = runningTotals.at(-1) ?? ZERO;

  let freeUnits = ZERO;
  if (!lastTotal.isZero()) {
    if (freeEvents > 0 && freeEvents < runningTotals.length) freeUnits = runningTotals[freeEvents - 1]!;
    else if (freeTotal.isZero() || lastTotal.lte(freeTotal)) freeUnits = lastTotal;
    else freeUnits = freeTotal;
  }
  const freeEventCount = Math.min(
    ...[freeEvents, runningTotals.filter((total) => total.lt(freeTotal)).length].filter((n) => n !== 0).concat(Infinity),
  );
  const freeCount = Number.isFinite(freeEventCount) ? freeEventCount : 0;
  const eventsCount = usage.eventValues.length;

  const percentagePart = freeUnits.gt(usage.units) ? ZERO : usage.units.minus(freeUnits).times(rate).dividedBy(100);
  const fixedPart = usage.units.isZero() || freeCount >= eventsCount ? ZERO : fixedAmount.times(eventsCount - freeCount);
  return percentagePart.plus(fixedPart);
}

/** Premium variant: each event is priced alone and clamped to the per-transaction bounds. */
function percentageWithTransactionBounds(
  eventValues: readonly Decimal[],
  rate: Decimal,
  fixedAmount: Decimal,
  freeEvents: number,
  freeTotal: Decimal,
  min: Decimal | null,
  max: Decimal | null,
): Decimal {
  let remainingFreeEvents = freeEvents;
  let remainingFreeUnits = freeTotal;
  let amount = ZERO;
  for (const eventValue of eventValues) {
    let value = eventValue;
    if (remainingFreeEvents > 0 || remainingFreeUnits.gt(0)) {
      remainingFreeEvents -= 1;
      if (!remainingFreeUnits.gt(0)) continue;
      if (remainingFreeUnits.gt(value)) {
        remainingFreeUnits = remainingFreeUnits.minus(value);
        continue;
      }
      value = value.minus(remainingFreeUnits);
      remainingFreeUnits = ZERO;
      remainingFreeEvents = 0;
    }
    let eventAmount = value.times(rate).dividedBy(100).plus(fixedAmount);
    if (min !== null && eventAmount.lt(min)) eventAmount = min;
    else if (max !== null && eventAmount.gt(max)) eventAmount = max;
    amount = amount.plus(eventAmount);
  }
  return amount;
}

/**
 * graduated_percentage: like graduated, but each range bills `rate` % of its units plus its flat
 * fee. Ranges always count "+1" style (no adjacency rule), and the walk stops at the total's range.
 */
export function graduatedPercentageTiers(units: Decimal, properties: Properties): TierLine[] {
  const lines: TierLine[] = [];
  for (const [index, range] of rangesOf(properties, "graduated_percentage_ranges").entries()) {
    let rangeUnits: Decimal;
    if (range.to !== null && units.gte(range.to)) rangeUnits = range.to.minus(range.from.isZero() ? 1 : range.from).plus(1);
    else rangeUnits = range.from.isZero() ? units : units.minus(range.from).plus(1);
    const rate = dec(range.raw.rate);
    const flatAmount = dec(range.raw.flat_amount);
    lines.push({ index, from: range.from, to: range.to, units: rangeUnits, perUnitAmount: null, rate, flatAmount, amount: rangeUnits.times(rate).dividedBy(100).plus(flatAmount) });
    if (range.to === null || range.to.gte(units)) break;
  }
  return lines;
}

export const graduatedPercentageAmount = (units: Decimal, properties: Properties): Decimal => sumOf(graduatedPercentageTiers(units, properties));

/** dynamic: the events carry their own price in cents (`precise_total_amount_cents`). */
export function dynamicAmount(units: Decimal, preciseTotalAmountCents: Decimal, currency: string): Decimal {
  if (units.isZero()) return ZERO;
  return preciseTotalAmountCents.dividedBy(currencySubunits(currency));
}

export interface ChargeUsage extends PercentageUsage {
  /** Sum of the events' `precise_total_amount_cents` (dynamic model). */
  preciseTotalAmountCents: Decimal;
}

/** The amount of one charge (or filter/group bucket) in currency units, never negative. */
export function chargeAmount(chargeModel: string, properties: Properties, usage: ChargeUsage, currency: string): Decimal {
  let amount: Decimal;
  switch (chargeModel) {
    case "standard":
      amount = standardAmount(usage.units, properties);
      break;
    case "graduated":
      amount = graduatedAmount(usage.units, properties);
      break;
    case "volume":
      amount = volumeAmount(usage.units, properties);
      break;
    case "package":
      amount = packageAmount(usage.units, properties);
      break;
    case "percentage":
      amount = percentageAmount(usage, properties);
      break;
    case "graduated_percentage":
      amount = graduatedPercentageAmount(usage.units, properties);
      break;
    case "dynamic":
      amount = dynamicAmount(usage.units, usage.preciseTotalAmountCents, currency);
      break;
    default:
      amount = ZERO; // custom models need Lago's custom aggregation engine
  }
  // Lago refuses to build a fee from negative units or a negative amount: it bills zero instead.
  return usage.units.isNegative() || amount.isNegative() ? ZERO : amount;
}
