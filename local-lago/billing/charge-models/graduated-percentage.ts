// graduated_percentage (app/services/charge_models/graduated_percentage_service.rb and
// amount_details/range_graduated_percentage_service.rb): each range up to the one holding the total bills
// rate % of its units plus its flat_amount. A full range owns to − max(from, 1) + 1 units; the range holding
// the total owns total − from + 1 (total when it starts at 0). No adjacency rule here.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { bigDecimal, ZERO } from "../money";
import { holdsTotal, rangesOf } from "./ranges";

export function graduatedPercentageAmount({ units, properties }: ChargeModelInput): Decimal {
  let amount = ZERO;
  for (const range of rangesOf(properties, "graduated_percentage_ranges")) {
    let billed: Decimal;
    if (range.to !== null && units.gte(range.to)) billed = range.to.minus(range.from.isZero() ? 1 : range.from).plus(1);
    else billed = range.from.isZero() ? units : units.minus(range.from).plus(1);
    amount = amount.plus(billed.times(bigDecimal(range.raw.rate)).dividedBy(100)).plus(bigDecimal(range.raw.flat_amount));
    if (holdsTotal(range, units)) break;
  }
  return amount;
}
