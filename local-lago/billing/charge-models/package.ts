// package (app/services/charge_models/package_service.rb): after free_units, each started package of
// package_size units costs amount; nothing when the units do not pass the free ones.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { bigDecimal, ZERO } from "../money";

export function packageAmount({ units, properties }: ChargeModelInput): Decimal {
  const paid = units.minus(bigDecimal(properties.free_units ?? 0));
  if (paid.isNegative()) return ZERO;
  return paid.dividedBy(bigDecimal(properties.package_size)).ceil().times(bigDecimal(properties.amount));
}
