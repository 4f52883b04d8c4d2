// How Lago's wallet code reads request values: Ruby's BigDecimal(), ActiveModel's casts, strong parameters'
// nested permits and Lago's MetadataValidator. Kept apart from the wallet rules so those read like Lago's services.
import Decimal from "decimal.js";
import { lagoRaises } from "../errors";
import { isObject, parseTime, railsBoolean } from "../resources/rails-casts";
import { isoSeconds } from "../context";

type Json = unknown;

/** What Ruby's `BigDecimal(text)` parses: blanks around, underscores between digits, an exponent. */
const RUBY_DECIMAL = /^\s*[+-]?(\d[\d_]*(\.\d[\d_]*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const RUBY_INFINITE = /^\s*([+-]?Infinity|NaN)\s*$/;

const parseRubyDecimal = (text: string): Decimal => new Decimal(text.trim().replace(/_/g, ""));

/**
 * Validators::DecimalAmountService#valid_decimal?: only text counts (numbers are refused so floats never
 * decide an amount), and it must be a finite decimal. The value, or undefined when it is not valid.
 */
export function decimalText(v: Json): Decimal | undefined {
  if (typeof v !== "string" || !RUBY_DECIMAL.test(v)) return undefined;
  return parseRubyDecimal(v);
}

/** `BigDecimal(v)` where Lago calls it on a raw value: text it cannot parse, booleans and nil raise. */
export function bigDecimal(v: Json, why: string): Decimal {
  if (typeof v === "number" && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === "string" && RUBY_DECIMAL.test(v)) return parseRubyDecimal(v);
  // BigDecimal("Infinity") parses, but every use floors or compares it, which raises too.
  if (typeof v === "string" && RUBY_INFINITE.test(v)) throw lagoRaises(`${why}: BigDecimal(${JSON.stringify(v)}) is not finite`);
  throw lagoRaises(`${why}: BigDecimal(${JSON.stringify(v)})`);
}

/** A decimal(30, 5) column (ActiveModel::Type::Decimal): text by its leading number (String#to_d), booleans 0, nil null. */
export function decimalColumn(v: Json): Decimal | null {
  let value: Decimal;
  if (v === undefined || v === null) return null;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    value = new Decimal(v);
  } else if (typeof v === "string") {
    const prefix = /^\s*[+-]?(\d[\d_]*(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
    if (v.trim() === "") return null;
    value = prefix ? parseRubyDecimal(prefix[0]) : new Decimal(0);
  } else value = new Decimal(0);
  return value.toDecimalPlaces(5, Decimal.ROUND_HALF_UP);
}

/** decimal(30, 5) holds 25 integer digits: more is a database error when the row is written. */
export function assertDecimalFits(value: Decimal, field: string) {
  if (value.abs().gte(new Decimal(10).pow(25))) throw lagoRaises(`${field} ${value.toString()} overflows a decimal(30, 5) column`);
}

/** A decimal as Rails renders it in JSON: "10.0", "0.12345". */
export function decimalString(value: Decimal): string {
  const text = value.toFixed();
  return text.includes(".") ? text : `${text}.0`;
}

/** Ruby's Float#to_s for the values wallets render through `fdiv` (`remaining_credit_amount`). */
export function rubyFloatString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}

/** A string column (ActiveModel::Type::ImmutableString): true and false become "t" and "f". */
export const stringColumn = (v: Json): string | null =>
  v === undefined || v === null ? null : v === true ? "t" : v === false ? "f" : typeof v === "string" ? v : String(v);

/** ActiveModel::Type::Boolean: "" and nil are nil, Rails' false words false, anything else true. */
export const booleanCast = (v: Json): boolean | null => railsBoolean(v);

/** A datetime column: readable text becomes the time, anything else nil. */
export function datetimeColumn(v: Json): string | null {
  if (typeof v !== "string") return null;
  const at = parseTime(v);
  return at ? isoSeconds(at) : null;
}

/** Validators::ExpirationDateValidator: blank, or text Time.zone.parse reads as a future time. */
export function validExpiration(v: Json, now: Date): boolean {
  if (v === undefined || v === null || v === false || (typeof v === "string" && v.trim() === "")) return true;
  if (typeof v !== "string") return false;
  const at = parseTime(v);
  return !!at && at.getTime() > now.getTime();
}

/**
 * An integer enum assigned without `validate: true`: blank is nil, a key or an index is kept, anything
 * else fails ActiveRecord's assert_valid_value (ArgumentError, a 500).
 */
export function enumColumn(values: readonly string[], v: Json, field: string): string | null {
  if (v === undefined || v === null || v === false || (typeof v === "string" && v.trim() === "")) return null;
  if (typeof v === "string" && values.includes(v)) return v;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < values.length) return values[v]!;
  throw lagoRaises(`'${String(v)}' is not a valid ${field}`);
}

/** A bigint column: numbers truncated, text by its leading integer (the writer checks the 64-bit range). */
export function bigintColumn(v: Json): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === "string") return v.trim() === "" ? null : /^\s*[+-]?\d+/.test(v) ? Number.parseInt(v, 10) : 0;
  return null; // `true.to_i` raises, which the cast rescues as nil
}

// ---- strong parameters -----------------------------------------------------------------------

type Scalar = string | number | boolean | null;
const isScalar = (v: Json): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);

/** The keys a nested `permit` declares: scalars by name, nested hashes and arrays by their own filter. */
export interface PermitFilter {
  [key: string]: "scalar" | "scalars" | "any" | PermitFilter | [PermitFilter];
}

/**
 * ActionController::Parameters#permit for one hash: scalar keys keep scalars, `key: []` keeps arrays of
 * scalars, `key: {}` keeps any hash, `key: [..]` keeps the permitted hashes of an array (or one hash);
 * nil and other shapes are dropped.
 */
export function permitHash(input: Record<string, Json>, filter: PermitFilter): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, rule] of Object.entries(filter)) {
    if (!(key in input)) continue;
    const value = input[key];
    if (rule === "scalar") {
      if (isScalar(value)) out[key] = value;
    } else if (rule === "scalars") {
      if (Array.isArray(value) && value.every(isScalar)) out[key] = value;
    } else if (rule === "any") {
      if (isObject(value)) out[key] = value;
    } else if (Array.isArray(rule)) {
      if (Array.isArray(value)) out[key] = value.filter(isObject).map((item) => permitHash(item, rule[0]));
      else if (isObject(value)) out[key] = permitHash(value, rule[0]);
    } else if (isObject(value)) out[key] = permitHash(value, rule);
  }
  return out;
}

// ---- metadata ---------------------------------------------------------------------------------

/** Validators::MetadataValidator: the last problem found wins, as Lago keeps one code in a hash. */
export function metadataProblem(metadata: Json, maxKeys: number): string | undefined {
  const items = metadata ?? [];
  if (!Array.isArray(items)) return "invalid_type";
  if (!items.length) return undefined;
  let problem: string | undefined;
  if (items.length > maxKeys) problem = "too_many_keys";
  for (const item of items) {
    if (!isObject(item)) {
      problem = "invalid_key_value_pair";
      continue;
    }
    const keys = Object.keys(item).sort();
    const present = (v: Json) => v !== undefined && v !== null && v !== false && !(typeof v === "string" && v.trim() === "") && !(Array.isArray(v) && !v.length) && !(isObject(v) && !Object.keys(v).length);
    if (keys.join() !== "key,value" || !present(item.key) || !present(item.value)) {
      problem = "invalid_key_value_pair";
      continue;
    }
    // `key.length`: a number or boolean key has no length in Ruby.
    if (typeof item.key !== "string") throw lagoRaises(`metadata key ${JSON.stringify(item.key)}.length`);
    if ([...item.key].length > 20) problem = "key_too_long";
    if (typeof item.value === "string" && [...item.value].length > 100) problem = "value_too_long";
    if (isObject(item.value) || Array.isArray(item.value)) problem = "nested_structure_not_allowed";
  }
  return problem;
}
