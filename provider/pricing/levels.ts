// Usage levels that exercise one charge's prices, taken from the charge's own shape on both sides of a change:
// the edges of the tiers that moved, a package's free units and boundaries, the percentage model's free events
// and fixed fee. A level where a price change shows no difference is useless to a reviewer; `levelsShowingChange`
// keeps searching until one does.
import Decimal from "decimal.js";
import { dec, type Properties } from "./charge-models";
import { priceCharge, type WireCharge } from "./bill";

const RANGE_KEY: Readonly<Record<string, string>> = { graduated: "graduated_ranges", volume: "volume_ranges", graduated_percentage: "graduated_percentage_ranges" };
const FALLBACK = [100, 1_000, 10_000, 100_000];

type Range = Record<string, unknown>;
const rangesOf = (model: string, properties: Properties | null | undefined): Range[] => {
  const list = properties?.[RANGE_KEY[model] ?? ""];
  return Array.isArray(list) ? (list as Range[]) : [];
};

const sameRange = (a: Range | undefined, b: Range | undefined): boolean =>
  !!a &&
  !!b &&
  ["from_value", "to_value", "per_unit_amount", "flat_amount", "rate"].every((k) => (a[k] ?? null) === (b[k] ?? null) || (a[k] != null && b[k] != null && dec(a[k]).eq(dec(b[k]))));

/** Around each tier that differs between the sides (all tiers when one side has none): its start, end, and just past. */
function tierLevels(model: string, before: Properties | null | undefined, after: Properties | null | undefined): Decimal[] {
  const [a, b] = [rangesOf(model, before), rangesOf(model, after)];
  const levels: Decimal[] = [];
  const sides = [a, b];
  for (const ranges of sides)
    ranges.forEach((range, i) => {
      if (a.length && b.length && sameRange(a[i], b[i])) return;
      const from = dec(range.from_value);
      const to = range.to_value === null || range.to_value === undefined ? null : dec(range.to_value);
      levels.push(from.gt(0) ? from : new Decimal(1));
      if (to) levels.push(to, to.plus(1));
      else levels.push(from.gt(0) ? from.times(2) : new Decimal(FALLBACK[2]!));
    });
  return levels;
}

/** Free units, the first paid package, a package boundary and ten packages past the free units. */
function packageLevels(properties: Properties | null | undefined): Decimal[] {
  const free = dec(properties?.free_units);
  const size = dec(properties?.package_size);
  if (size.lte(0)) return [];
  return [free, free.plus(1), free.plus(size), free.plus(size.times(10))];
}

/** Free events and units, then past them (the fixed fee per paying event counts from there). */
function percentageLevels(properties: Properties | null | undefined): Decimal[] {
  const freeTotal = dec(properties?.free_units_per_total_aggregation);
  const levels = [new Decimal(FALLBACK[0]!), new Decimal(FALLBACK[2]!)];
  if (freeTotal.gt(0)) levels.push(freeTotal, freeTotal.plus(1), freeTotal.times(10));
  return levels;
}

/** Levels from one charge's shape on either side of a change. */
export function chargeLevels(before: WireCharge | null | undefined, after: WireCharge | null | undefined): Decimal[] {
  const levels: Decimal[] = [];
  for (const side of [before, after]) {
    if (!side) continue;
    const propertySets = [side.properties, ...(side.filters ?? []).map((f) => f.properties)];
    const other = side === before ? after : before;
    const otherSets = other ? [other.properties, ...(other.filters ?? []).map((f) => f.properties)] : [];
    propertySets.forEach((properties, i) => {
      const model = side.charge_model;
      if (RANGE_KEY[model]) levels.push(...tierLevels(model, properties, other?.charge_model === model ? otherSets[i] : null));
      else if (model === "package") levels.push(...packageLevels(properties));
      else if (model === "percentage") levels.push(...percentageLevels(properties));
    });
  }
  const positive = levels.filter((l) => l.gt(0));
  return uniqueSorted(positive.length ? positive : FALLBACK.map((n) => new Decimal(n)));
}

export function uniqueSorted(levels: readonly Decimal[]): Decimal[] {
  const sorted = [...levels].sort((a, b) => a.comparedTo(b));
  return sorted.filter((level, i) => i === 0 || !level.eq(sorted[i - 1]!));
}

/**
 * `levels`, plus — when `differs` (does the bill differ at these units?) holds at none of them — the first level of
 * 1, 2, 5 × 10^n units (n up to 9) where it does, so a price change never reads as "no change" at every level. The
 * caller decides what "the bill" is: a commitment or a plan fee can hide a charge's change at low usage.
 */
export function levelsShowingChange(levels: readonly Decimal[], differs: (units: Decimal) => boolean): Decimal[] {
  if (levels.some(differs)) return [...levels];
  for (let power = 0; power <= 9; power++)
    for (const factor of [1, 2, 5]) {
      const units = new Decimal(10).pow(power).times(factor);
      if (differs(units)) return uniqueSorted([...levels, units]);
    }
  return [...levels];
}

/** Does the charge alone cost something else at these units on the two sides? */
export const chargeDiffers =
  (before: WireCharge | null | undefined, after: WireCharge | null | undefined, currencies: [string, string]) =>
  (units: Decimal): boolean =>
    (before ? priceCharge(before, units, { currency: currencies[0] }).amountCents : 0) !== (after ? priceCharge(after, units, { currency: currencies[1] }).amountCents : 0);
