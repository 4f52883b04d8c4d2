// Amounts as Lago writes them (app/services/fees/charge_service.rb#init_fee): a fee's amount is rounded to the
// currency's exponent (BigDecimal#round: half away from zero), then multiplied by subunit_to_unit.
import Decimal from "decimal.js";
import { currencyExponent, subunitToUnit } from "../currencies";

export const ZERO = new Decimal(0);

/** A fee amount in currency units → integer minor units. */
export function amountCents(amount: Decimal, currency: string): number {
  return amount.toDecimalPlaces(currencyExponent(currency), Decimal.ROUND_HALF_UP).times(subunitToUnit(currency)).toNumber();
}

/** Lago's JSON for BigDecimal columns (Rails' BigDecimal#to_s): plain digits, at least one decimal ("4.0"). */
export function decimalString(value: Decimal): string {
  const plain = value.toFixed();
  return plain.includes(".") ? plain : `${plain}.0`;
}

/** Ruby's BigDecimal(x) on a charge property (strings and JSON numbers); absent or blank is 0. */
export function bigDecimal(value: unknown): Decimal {
  if (value === undefined || value === null || value === "") return ZERO;
  if (Decimal.isDecimal(value)) return value as Decimal;
  return new Decimal(typeof value === "number" ? value : String(value).trim().replace(/_/g, ""));
}
