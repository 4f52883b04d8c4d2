// Money is decimal. Args take decimal strings ("0.012"); a JS number is accepted only when its
// shortest spelling is an exact, human-typed decimal (so 0.1 passes, 0.1 + 0.2 does not).
import Decimal from "decimal.js";

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
/** Above 15 significant digits a double no longer round-trips what was typed. */
const MAX_EXACT_DIGITS = 15;

/** Why `value` cannot be used as a decimal, or undefined when it can. */
export function decimalProblem(value: unknown): string | undefined {
  if (typeof value === "string") {
    return PLAIN_DECIMAL.test(value.trim()) ? undefined : `"${value}" is not a plain decimal such as "0.012"`;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `${value} is not a finite number`;
    if (Number.isInteger(value)) return Number.isSafeInteger(value) ? undefined : `${value} is too large to be exact; write it as a string`;
    const text = String(value);
    if (/e/i.test(text) || new Decimal(text).sd() > MAX_EXACT_DIGITS)
      return `${text} cannot be represented exactly as a number; write it as a decimal string`;
    return undefined;
  }
  return `expected a decimal string such as "0.012", got ${value === null ? "null" : typeof value}`;
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
