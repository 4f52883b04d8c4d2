// How Lago's columns read request values (Rails attribute casts and strong parameters), for every room.
import Decimal from "decimal.js";

/** Boolean columns: the usual false spellings are false, blank is null, anything else true. */
export const railsBoolean = (v: unknown): boolean | null => {
  if (v === undefined || v === null || v === "") return null;
  return ![false, 0, "0", "f", "F", "false", "FALSE", "off", "OFF"].includes(v as never);
};

/** String columns: scalars become text, anything else null. */
export const railsString = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;

/** Integer columns: numbers are truncated, text takes its leading integer (Ruby's to_i), blank is null. */
export const railsInteger = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v !== "string" || v.trim() === "") return null;
  const prefix = /^\s*[+-]?\d+/.exec(v);
  return prefix ? Number.parseInt(prefix[0], 10) : 0;
};

/** Float columns: numbers as is, text takes its leading number (Ruby's to_f), blank is null. */
export const railsFloat = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string" || v.trim() === "") return null;
  const prefix = /^\s*[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return prefix ? Number(prefix[0]) : 0;
};

/** Rails' numericality check looks at the value as sent: a number, or text that is one. */
export const isNumeric = (v: unknown): boolean =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));

/** Rails' default message for a numericality failure on a non-number (no Lago code exists for it). */
export const NOT_A_NUMBER = "is not a number";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Rails' `blank?` for request values: missing, null or only whitespace. */
export const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** The number a value passing `isNumeric` stands for, exactly. */
export const numericValue = (v: string | number): Decimal => new Decimal(typeof v === "string" ? v.trim() : v);

/** Decimal columns: like `railsFloat` but exact, rounded half up to the column's scale; blank is null. */
export function railsDecimal(v: unknown, scale: number): Decimal | null {
  let value: Decimal;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    value = new Decimal(v);
  } else if (typeof v === "boolean") value = new Decimal(v ? 1 : 0);
  else if (typeof v === "string" && v.trim() !== "") {
    const prefix = /^\s*[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
    value = new Decimal(prefix ? prefix[0].trim() : 0);
  } else return null;
  return value.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
}

/** A decimal column as Rails renders it in JSON: plain notation with at least one decimal ("10.0", "12.5"). */
export function decimalJson(value: Decimal): string {
  const text = value.toFixed();
  return text.includes(".") ? text : `${text}.0`;
}

/** A Ruby array's inspect form, which some of Lago's error sentences embed: `["a", "b"]`. */
export const rubyInspect = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);

/**
 * Strong parameters for scalar fields: keeps the listed keys whose value is a JSON scalar. An object
 * or array sent for a scalar field is dropped, so the field counts as absent.
 */
export function permitScalars<K extends string>(input: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, Scalar>> {
  const out: Partial<Record<K, Scalar>> = {};
  for (const key of keys) if (key in input && isScalar(input[key])) out[key] = input[key] as Scalar;
  return out;
}

/** Strong parameters' `key: []`: an array of scalars, else undefined as if the key were absent. */
export const permitScalarArray = (v: unknown): Scalar[] | undefined => (Array.isArray(v) && v.every(isScalar) ? (v as Scalar[]) : undefined);

const TIME_TEXT = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/**
 * Date-times in request bodies, read in UTC like Lago's `Time.zone.parse`: ISO dates and date-times
 * with an optional offset. Undefined for anything else or an impossible date (31 February).
 */
export function parseTime(text: string): Date | undefined {
  const m = TIME_TEXT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const utc = Date.UTC(year!, month! - 1, day!, hour, minute, second, millis);
  const check = new Date(utc);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8]?.toUpperCase();
  let offsetMinutes = 0;
  if (zone && zone !== "Z" && zone !== "UTC") {
    const digits = zone.replace(":", "");
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  }
  return new Date(utc - offsetMinutes * 60_000);
}
