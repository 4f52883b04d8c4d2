// graduated (app/services/charge_models/graduated_service.rb and amount_details/range_graduated_service.rb).
// Each range up to the one holding the total bills its units × per_unit_amount plus its flat_amount (so the
// first range's flat fee is due at 0 units). A range starting at 0 owns the units up to its end; a later one
// owns end − from units when the ranges are adjacent (each from = previous to), end − from + 1 otherwise.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { bigDecimal, ZERO } from "../money";
import { holdsTotal, rangesOf, type Range } from "./ranges";

function adjacent(ranges: Range[]): boolean {
  if (ranges.length < 2) return false;
  return ranges.slice(1).every((range, i) => range.from.eq(ranges[i]!.to ?? ZERO));
}

function rangeUnits(range: Range, total: Decimal, adjacentModel: boolean): Decimal {
  const effective = range.to !== null && total.gte(range.to) ? range.to : total;
  if (range.from.isZero()) return effective;
  const difference = effective.minus(range.from);
  return adjacentModel ? difference : difference.plus(1);
}

export function graduatedAmount({ units, properties }: ChargeModelInput): Decimal {
  const ranges = rangesOf(properties, "graduated_ranges");
  const adjacentModel = adjacent(ranges);
  let amount = ZERO;
  for (const range of ranges) {
    const billed = rangeUnits(range, units, adjacentModel);
    const perUnit = billed.isZero() ? ZERO : bigDecimal(range.raw.per_unit_amount);
    amount = amount.plus(billed.times(perUnit)).plus(bigDecimal(range.raw.flat_amount));
    if (holdsTotal(range, units)) break;
  }
  return amount;
}
