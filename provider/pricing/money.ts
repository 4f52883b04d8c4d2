// Currency minor units and Lago's rounding of amounts; decimals written the way Lago's JSON writes them.
import Decimal from "decimal.js";
import { CURRENCY_SUBUNITS_EXCEPTIONS, DEFAULT_CURRENCY_SUBUNITS } from "../../lago/currencies";

/** How many minor units make one unit of the currency (100 for USD, 1 for JPY). */
export const currencySubunits = (currency: string): number => CURRENCY_SUBUNITS_EXCEPTIONS[currency] ?? DEFAULT_CURRENCY_SUBUNITS;

/** The number of decimals amounts are rounded to before conversion to minor units. */
export const currencyDecimals = (currency: string): number => Math.round(Math.log10(currencySubunits(currency)));

/** Rounds an amount to the currency's decimals (half up) and expresses it in minor units. */
export function toAmountCents(amount: Decimal, currency: string): number {
  const rounded = amount.toDecimalPlaces(currencyDecimals(currency), Decimal.ROUND_HALF_UP);
  return rounded.times(currencySubunits(currency)).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Decimal columns as Lago's JSON renders them: plain notation, at least one decimal ("4.0"). */
export function decimalString(value: Decimal): string {
  const plain = value.toFixed();
  return plain.includes(".") ? plain : `${plain}.0`;
}
