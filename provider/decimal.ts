// Money is decimal. Args take decimal strings ("0.012"); a JS number is accepted only when its
// shortest spelling is an exact, human-typed decimal (so 0.1 passes, 0.1 + 0.2 does not).
import Decimal from "decimal.js";

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
/** Above 15 significant digits a double no longer round-trips what was typed. */
const MAX_EXACT_DIGITS = 15;

/**
 * Why `value` cannot be used as a decimal, or undefined when it can. The text reads after the
 * argument's path: `charges[0].amount must be a decimal string such as "0.012" (got "1e-7")`.
 */
export function decimalProblem(value: unknown): string | undefined {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  if (typeof value === "string") return PLAIN_DECIMAL.test(value.trim()) ? undefined : `must be a decimal string such as "0.012" (got ${shown})`;
  if (typeof value !== "number" || !Number.isFinite(value)) return `must be a decimal string such as "0.012" (got ${shown})`;
  const text = String(value);
  const exact = Number.isInteger(value) ? Number.isSafeInteger(value) : !/e/i.test(text) && new Decimal(text).sd() <= MAX_EXACT_DIGITS;
  if (exact) return undefined;
  return `must be written as a decimal string: the number ${text} has no exact short decimal form (write "${new Decimal(text).toFixed()}" if that is what you mean)`;
}

/** The decimal string sent to Lago (the spelling is kept: Lago echoes what it receives). */
export function toDecimalString(value: string | number): string {
  const problem = decimalProblem(value);
  if (problem) throw new TypeError(problem);
  return typeof value === "string" ? value.trim() : String(value);
}

/** One spelling per value ("0.010" and "0.01" and 0.01 are the same price), for comparisons. */
export function canonicalDecimal(value: string | number): string {
  return new Decimal(toDecimalString(value)).toFixed();
}

export const isDecimal = (value: unknown): value is string | number => decimalProblem(value) === undefined;

export const sameDecimal = (a: string | number, b: string | number): boolean => new Decimal(toDecimalString(a)).eq(toDecimalString(b));
