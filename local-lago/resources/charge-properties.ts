// Charge properties (lago-api.md §3.3–3.4): which keys each charge model keeps, its defaults, and
// the codes Lago reports under `error_details.properties`. Pure functions; amounts stay strings.
import Decimal from "decimal.js";
import { lagoRaises } from "../errors";
import { isObject } from "./rails-casts";

export const CHARGE_MODELS = ["standard", "graduated", "package", "percentage", "volume", "graduated_percentage", "custom", "dynamic"] as const;
export type ChargeModel = (typeof CHARGE_MODELS)[number];
export const isChargeModel = (v: unknown): v is ChargeModel => typeof v === "string" && (CHARGE_MODELS as readonly string[]).includes(v);

/** Fixed charges (add-on fees) know only these three models. */
export const FIXED_CHARGE_MODELS = ["standard", "graduated", "volume"] as const;

export type Properties = Record<string, unknown>;

/** Ruby's `blank?`: null, false, whitespace-only strings, empty arrays and objects. */
export const blank = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === false ||
  (typeof v === "string" && v.trim() === "") ||
  (Array.isArray(v) && v.length === 0) ||
  (isObject(v) && Object.keys(v).length === 0);
export const present = (v: unknown): boolean => !blank(v);

/** Defaults when `properties` is omitted or empty (§3.3). Fresh objects each call. */
export function defaultProperties(model: unknown): Properties | null {
  const openRange = { from_value: 0, to_value: null, per_unit_amount: "0", flat_amount: "0" };
  switch (model) {
    case "standard":
      return { amount: "0" };
    case "graduated":
      return { graduated_ranges: [openRange] };
    case "volume":
      return { volume_ranges: [openRange] };
    case "package":
      return { package_size: 1, amount: "0", free_units: 0 };
    case "percentage":
      return { rate: "0" };
    case "graduated_percentage":
      return { graduated_percentage_ranges: [{ from_value: 0, to_value: null, rate: "0", fixed_amount: "0", flat_amount: "0" }] };
    case "dynamic":
      return {};
    default:
      return null;
  }
}

const MODEL_KEYS: Record<string, readonly string[]> = {
  standard: ["amount"],
  graduated: ["graduated_ranges"],
  volume: ["volume_ranges"],
  package: ["amount", "free_units", "package_size"],
  percentage: ["fixed_amount", "free_units_per_events", "free_units_per_total_aggregation", "per_transaction_max_amount", "per_transaction_min_amount", "rate"],
  graduated_percentage: ["graduated_percentage_ranges"],
};
const FIXED_MODEL_KEYS: Record<string, readonly string[]> = { standard: ["amount"], graduated: ["graduated_ranges"], volume: ["volume_ranges"] };

export interface KeepOptions {
  /** Fixed charges keep only the standard/graduated/volume keys. */
  fixed?: boolean;
  /** Charges on `custom_agg` metrics also keep `custom_properties`. */
  customProperties?: boolean;
}

/**
 * The properties Lago stores for a model: unknown keys dropped silently, `grouped_by` folded into
 * `pricing_group_keys`, values otherwise as sent (same JSON types).
 */
export function keepProperties(model: unknown, input: unknown, options: KeepOptions = {}): Properties {
  const props = isObject(input) ? input : {};
  const keys = [...(options.customProperties ? ["custom_properties"] : []), ...(((options.fixed ? FIXED_MODEL_KEYS : MODEL_KEYS)[String(model)] ?? []) as string[])];
  if (model !== null && model !== undefined) {
    if (present(props.grouped_by) && blank(props.pricing_group_keys)) keys.push("grouped_by");
    if (present(props.pricing_group_keys)) keys.push("pricing_group_keys");
    if (present(props.presentation_group_keys)) keys.push("presentation_group_keys");
  }
  const kept: Properties = {};
  for (const key of keys) if (key in props) kept[key] = props[key];
  let groupKeys = kept.pricing_group_keys;
  if (present(kept.grouped_by) && blank(groupKeys)) groupKeys = kept.grouped_by;
  if (present(groupKeys)) kept.pricing_group_keys = Array.isArray(groupKeys) ? groupKeys.filter((k) => !(k === "" || (Array.isArray(k) && !k.length))) : groupKeys;
  delete kept.grouped_by;
  if (typeof kept.custom_properties === "string") {
    try {
      kept.custom_properties = JSON.parse(kept.custom_properties);
    } catch {
      kept.custom_properties = {};
    }
  }
  return kept;
}

/** Responses mirror `pricing_group_keys` into the deprecated `grouped_by` and back (§3.3). */
export function withGroupedByMirror(props: Properties): Properties {
  const out = { ...props };
  if (present(out.grouped_by) && blank(out.pricing_group_keys)) out.pricing_group_keys = out.grouped_by;
  if (present(out.pricing_group_keys) && blank(out.grouped_by)) out.grouped_by = out.pricing_group_keys;
  return out;
}

const DECIMAL_TEXT = /^\s*[+-]?(\d+(_\d+)*(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Parses a decimal the way Lago's BigDecimal does, or undefined when it would not parse. */
export function parseDecimal(value: unknown): Decimal | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (typeof value !== "string" || !DECIMAL_TEXT.test(value)) return undefined;
  return new Decimal(value.trim().replace(/_/g, ""));
}

/** Prices must be JSON strings holding a finite decimal ≥ 0; JSON numbers are refused (§1.6). */
export const isDecimalAmount = (value: unknown): boolean => {
  if (typeof value !== "string") return false;
  const d = parseDecimal(value);
  return d !== undefined && d.gte(0);
};

/** Lago converts a range bound with BigDecimal(value.to_s); anything unparsable raises (→ 500). */
function bound(value: unknown): Decimal {
  const d = parseDecimal(value);
  if (d === undefined) throw lagoRaises(`range bound ${JSON.stringify(value)} does not parse as a decimal`);
  return d;
}

export type RangeStyle = "graduated" | "volume";

/**
 * Range bounds (§3.4), in the order sent. Graduated-like ranges may start at the previous `to_value`
 * or one above it; volume ranges at `to_value + 1` or `+ 2`. The first starts at 0 or 1, every
 * non-last range needs `to_value > from_value`, and the last must be open (`to_value: null`).
 * Returns the index of every range whose bounds are invalid.
 */
export function invalidRangeIndexes(ranges: ReadonlyArray<Record<string, unknown>>, style: RangeStyle): number[] {
  const bad: number[] = [];
  let expected = new Decimal(0);
  ranges.forEach((range, index) => {
    const from = bound(range.from_value);
    const fromOk = from.eq(expected) || from.eq(expected.plus(1));
    const last = index === ranges.length - 1;
    const toValue = range.to_value ?? null;
    const toOk = last ? toValue === null : bound(toValue ?? 0).gt(from);
    if (!(fromOk && toOk)) bad.push(index);
    if (style === "volume" && typeof toValue === "string") throw lagoRaises("volume to_value sent as a string");
    expected = style === "volume" ? bound(toValue ?? 0).plus(1) : bound(toValue ?? 0);
  });
  return bad;
}

/** Collects codes per inner field in first-seen order, then flattens them as Lago reports them. */
class FieldCodes {
  private readonly byField = new Map<string, string[]>();
  add(field: string, code: string): void {
    const codes = this.byField.get(field) ?? [];
    codes.push(code);
    this.byField.set(field, codes);
  }
  flat(): string[] {
    return [...this.byField.values()].flat();
  }
}

export interface PropertyContext {
  /** Aggregation type of the charge's metric (undefined for fixed charges). */
  aggregationType?: string;
  premium: boolean;
}

function rangesOf(props: Properties, key: string, whenAbsent: "empty" | "raise"): Array<Record<string, unknown>> {
  const raw = props[key];
  if (raw === undefined || raw === null) {
    if (whenAbsent === "raise") throw lagoRaises(`${key} is missing`);
    return [];
  }
  // Ruby maps over a hash's pairs: an empty one is an empty list, any other breaks on with_indifferent_access.
  if (isObject(raw) && !Object.keys(raw).length) return [];
  if (!Array.isArray(raw) || raw.some((r) => !isObject(r))) throw lagoRaises(`${key} is not a list of ranges`);
  return raw as Array<Record<string, unknown>>;
}

function checkRanges(
  codes: FieldCodes,
  ranges: Array<Record<string, unknown>>,
  style: RangeStyle,
  rangesKey: string,
  checkAmounts: (range: Record<string, unknown>) => void,
) {
  const bad = new Set(invalidRangeIndexes(ranges, style));
  ranges.forEach((range, i) => {
    checkAmounts(range);
    if (bad.has(i)) codes.add(rangesKey, `invalid_${rangesKey}`);
  });
}

function checkGroupKeys(codes: FieldCodes, props: Properties) {
  const groupField = props.pricing_group_keys !== undefined && props.pricing_group_keys !== null ? "pricing_group_keys" : "grouped_by";
  const groupKeys = props[groupField];
  const groupOk =
    groupKeys === undefined || groupKeys === null || (Array.isArray(groupKeys) && (groupKeys.length === 0 || groupKeys.every((k) => typeof k === "string" && k.trim() !== "")));
  if (!groupOk) codes.add(groupField, "invalid_type");

  const presentation = props.presentation_group_keys;
  if (blank(presentation)) return;
  const values: string[] = [];
  // Lago stops at the first invalid entry, so values after it are not compared for duplicates.
  const allValid =
    Array.isArray(presentation) &&
    presentation.every((entry) => {
      if (!isObject(entry)) return false;
      const keysOk = Object.keys(entry).every((k) => k === "value" || k === "options");
      const valueOk = typeof entry.value === "string" && entry.value.trim() !== "";
      let optionsOk = true;
      if ("options" in entry) {
        const o = entry.options;
        optionsOk = isObject(o) && Object.keys(o).length === 1 && "display_in_invoice" in o && typeof o.display_in_invoice === "boolean";
      }
      if (valueOk) values.push(entry.value as string);
      return keysOk && "value" in entry && valueOk && optionsOk;
    });
  if (!allValid) codes.add("presentation_group_keys", "invalid_type");
  const size = Array.isArray(presentation) ? presentation.length : typeof presentation === "string" ? presentation.length : isObject(presentation) ? Object.keys(presentation).length : 0;
  if (size > 2) codes.add("presentation_group_keys", "too_many_keys");
  if (new Set(values).size !== values.length) codes.add("presentation_group_keys", "value_is_duplicated");
}

/**
 * Validation codes for a model's (already kept) properties, in Lago's order. Empty when valid.
 * Models without their own rules (dynamic, custom, unknown) only check the group keys.
 */
export function propertyErrors(model: unknown, props: Properties, ctx: PropertyContext): string[] {
  const codes = new FieldCodes();
  const amount = (field: string, value: unknown, code = "invalid_amount") => {
    if (!isDecimalAmount(value)) codes.add(field, code);
  };
  switch (model) {
    case "standard":
      amount("amount", props.amount);
      break;
    case "package":
      amount("amount", props.amount);
      if (!(Number.isInteger(props.free_units) && (props.free_units as number) >= 0)) codes.add("free_units", "invalid_free_units");
      if (!(Number.isInteger(props.package_size) && (props.package_size as number) > 0)) codes.add("package_size", "invalid_package_size");
      break;
    case "graduated":
    case "volume": {
      // Same checks for both; only the bound style between ranges differs (checkRanges takes the model).
      const key = `${model}_ranges`;
      const ranges = rangesOf(props, key, "empty");
      if (!ranges.length) codes.add(key, `missing_${key}`);
      else
        checkRanges(codes, ranges, model, key, (r) => {
          amount("per_unit_amount", r.per_unit_amount);
          amount("flat_amount", r.flat_amount);
        });
      break;
    }
    case "graduated_percentage": {
      if (ctx.aggregationType === "latest_agg") codes.add("billable_metric", "invalid_value");
      const ranges = rangesOf(props, "graduated_percentage_ranges", "raise");
      if (!ranges.length) codes.add("graduated_percentage_ranges", "missing_graduated_percentage_ranges");
      else
        checkRanges(codes, ranges, "graduated", "graduated_percentage_ranges", (r) => {
          amount("flat_amount", r.flat_amount);
          amount("rate", r.rate, "invalid_rate");
        });
      break;
    }
    case "percentage":
      checkPercentage(codes, props, ctx);
      break;
  }
  checkGroupKeys(codes, props);
  return codes.flat();
}

function checkPercentage(codes: FieldCodes, props: Properties, ctx: PropertyContext) {
  if (ctx.aggregationType === "latest_agg") codes.add("billable_metric", "invalid_value");
  if (!isDecimalAmount(props.rate)) codes.add("rate", "invalid_rate");
  if (props.fixed_amount != null && !isDecimalAmount(props.fixed_amount)) codes.add("fixed_amount", "invalid_fixed_amount");
  const freeEvents = props.free_units_per_events;
  if (freeEvents != null && !(Number.isInteger(freeEvents) && (freeEvents as number) > 0)) codes.add("free_units_per_events", "invalid_free_units_per_events");
  const freeTotal = props.free_units_per_total_aggregation;
  if (freeTotal != null && !isDecimalAmount(freeTotal)) codes.add("free_units_per_total_aggregation", "invalid_free_units_per_total_aggregation");
  // Per-transaction bounds are only checked with a premium licence (§1.10).
  if (!ctx.premium) return;
  const min = props.per_transaction_min_amount;
  const max = props.per_transaction_max_amount;
  if (present(min) && !isDecimalAmount(min)) codes.add("per_transaction_min_amount", "invalid_amount");
  if (present(max) && !isDecimalAmount(max)) codes.add("per_transaction_max_amount", "invalid_amount");
  if (min == null || max == null) return;
  // BigDecimal(value) without a precision raises on a Float (a JSON number with a fraction or an exponent).
  const rubyFloat = (v: unknown) => typeof v === "number" && (!Number.isInteger(v) || Math.abs(v) >= 1e21);
  if (rubyFloat(min) || rubyFloat(max)) throw lagoRaises("per_transaction bound sent as a float (BigDecimal needs a precision)");
  const lo = parseDecimal(min);
  const hi = parseDecimal(max);
  if (lo === undefined || hi === undefined) throw lagoRaises("per_transaction bounds do not parse");
  if (lo.gt(hi)) codes.add("per_transaction_max_amount", "per_transaction_max_lower_than_per_transaction_min");
}
