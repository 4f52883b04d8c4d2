// Currency codes and minor units as the local Lago applies them, from Lago's contract in lago/currencies.ts.
import { CURRENCY_SUBUNITS_EXCEPTIONS, DEFAULT_CURRENCY_SUBUNITS, LAGO_CURRENCIES } from "../lago/currencies";

/** True for a code in Lago's list, exactly as written (`usd` is not). */
export const isLagoCurrency = (value: unknown): value is string => typeof value === "string" && LAGO_CURRENCIES.has(value);

/** How many minor units make one unit (the money gem's `subunit_to_unit`: 100 for USD, 1 for JPY). */
export const subunitToUnit = (currency: string): number => CURRENCY_SUBUNITS_EXCEPTIONS[currency] ?? DEFAULT_CURRENCY_SUBUNITS;

/** The money gem's `exponent`: the decimals an amount is rounded to (2 for USD, 0 for JPY, 3 for KWD). */
export const currencyExponent = (currency: string): number => Math.round(Math.log10(subunitToUnit(currency)));
