// How amounts, prices, units and ranges read in a pricing preview: `$0.012`, `$1,505.00`, `10,001–25,000`, `100,001+`.
import Decimal from "decimal.js";
import { currencyDecimals, currencySubunits, dec } from "../pricing";

const SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥", INR: "₹", CAD: "CA$", AUD: "A$", CHF: "CHF " };

/** Thousands separators on the whole part, the decimals as given. */
export function groupDigits(plain: string): string {
  const negative = plain.startsWith("-");
  const [whole, fraction] = (negative ? plain.slice(1) : plain).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction !== undefined ? `.${fraction}` : ""}`;
}

/** A count of units: `30,000`, `2.5`. */
export const formatUnits = (value: unknown): string => groupDigits(dec(value).toFixed());

function withCurrency(plain: string, currency: string): string {
  const negative = plain.startsWith("-");
  const body = negative ? plain.slice(1) : plain;
  const symbol = SYMBOLS[currency];
  const text = symbol ? `${symbol}${groupDigits(body)}` : `${groupDigits(body)} ${currency}`;
  return negative ? `-${text}` : text;
}

/**
 * A unit price at its full precision, never fewer decimals than the currency has: `$0.012`, `$0.01`, `$0.00`.
 * Trailing zeros past the currency's decimals are dropped, so "0.010" and "0.01" read the same.
 */
export function formatPrice(value: unknown, currency: string): string {
  const price = dec(value);
  const places = Math.max(currencyDecimals(currency), price.decimalPlaces());
  return withCurrency(price.toFixed(places), currency);
}

/** An amount in minor units as money: 150500 → `$1,505.00`. */
export function formatCents(cents: number, currency: string): string {
  return withCurrency(new Decimal(cents).dividedBy(currencySubunits(currency)).toFixed(currencyDecimals(currency)), currency);
}

/** A signed amount: `+$15.00`, `-$2.00`, `$0.00`. */
export function formatDeltaCents(cents: number, currency: string): string {
  return cents > 0 ? `+${formatCents(cents, currency)}` : formatCents(cents, currency);
}

/** A percentage change with two decimals, or null when there was nothing before (0 → anything). */
export function percentChange(beforeCents: number, afterCents: number): string | null {
  if (beforeCents === 0) return afterCents === 0 ? "0.00" : null;
  return new Decimal(afterCents - beforeCents).times(100).dividedBy(Math.abs(beforeCents)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** `+4.26%`, `-1.00%`, `0.00%`, `new` when there was nothing before. */
export function formatPercent(percent: string | null): string {
  if (percent === null) return "new";
  return new Decimal(percent).gt(0) ? `+${percent}%` : `${percent}%`;
}

/** A range of units: `10,001–25,000`, `100,001+` for the open last range. */
export function formatRange(from: unknown, to: unknown): string {
  return to === null || to === undefined ? `${formatUnits(from)}+` : `${formatUnits(from)}–${formatUnits(to)}`;
}
