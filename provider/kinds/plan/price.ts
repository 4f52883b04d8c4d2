// Prices in plan args: decimal strings, or numbers only when their decimal form is exact
// (lago-api.md §1.6: Lago rejects JSON numbers for prices, so the wire always carries strings).
import Decimal from "decimal.js";

/** What a user may write for a price: "0.012" or 0.012. */
export type DecimalInput = string | number;

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
/** Any decimal literal with at most 15 significant digits survives a round trip through a double. */
const EXACT_DIGITS = 15;

const significantDigits = (plain: string) => plain.replace(".", "").replace(/^0+/, "").length;

/** Why `value` is not an acceptable price, or undefined when it is. */
export function decimalProblem(value: unknown): string | undefined {
  if (typeof value === "string") {
    if (value.startsWith("-")) return `must not be negative (got "${value}")`;
    if (!PLAIN_DECIMAL.test(value)) return `must be a decimal string such as "0.012" (got "${value}")`;
    return undefined;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `must be a decimal string such as "0.012" (got ${value})`;
    if (value < 0) return `must not be negative (got ${value})`;
    const written = String(value);
    if (!PLAIN_DECIMAL.test(written) || significantDigits(written) > EXACT_DIGITS)
      return `must be written as a decimal string: the number ${written} has no exact short decimal form (write "${new Decimal(value).toFixed()}" if that is what you mean)`;
    return undefined;
  }
  return `must be a decimal string such as "0.012"`;
}

/** The string sent to Lago for an accepted price; strings go as written. */
export const decimalText = (value: DecimalInput): string => (typeof value === "string" ? value : String(value));

/** One spelling per value, for comparisons ("0.010" and "0.01" are the same price). */
export function canonicalDecimal(value: unknown): unknown {
  if ((typeof value !== "string" && typeof value !== "number") || decimalProblem(value) !== undefined) return value;
  return new Decimal(value).toFixed();
}
