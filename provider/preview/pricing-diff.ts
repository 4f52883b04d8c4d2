// A plan change as a reviewer reads it: one line per price that moves, e.g.
// `Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit`. Decimals compare by value, so a
// respelled price ("0.010" for "0.01") is no change.
import { dec, priceCharge, type Properties, type WireChargeFilter } from "../pricing";
import { formatCents, formatPrice, formatRange, formatUnits } from "./format";
import type { ChargeSide, FixedChargeSide, PlanSide } from "./plan-side";

export interface PriceChange {
  /** The charge's code; null for the plan's own terms (fee, trial, interval). */
  charge: string | null;
  /** The filter's values, `region: eu`; null for the charge's own prices. */
  filter: string | null;
  /** The range, `10,001–25,000`; null when the change is not about one tier. */
  tier: string | null;
  /** What moved: `per unit`, `flat fee`, `rate`, `plan fee`, `charge` … */
  field: string;
  before: string | null;
  after: string | null;
  /** The whole line, ready to print. */
  text: string;
}

/** Display names of metrics by code (from the stack's BillableMetric resources). */
export type MetricNames = ReadonlyMap<string, string>;

type Range = Record<string, unknown>;
const RANGE_KEY: Readonly<Record<string, string>> = { graduated: "graduated_ranges", volume: "volume_ranges", graduated_percentage: "graduated_percentage_ranges" };

const same = (a: unknown, b: unknown): boolean => {
  const blank = (v: unknown) => v === undefined || v === null || v === "";
  if (blank(a) || blank(b)) return blank(a) === blank(b) || dec(a).eq(dec(b));
  return dec(a).eq(dec(b));
};

const rangesOf = (model: string, properties: Properties | null): Range[] => {
  const list = properties?.[RANGE_KEY[model] ?? ""];
  return Array.isArray(list) ? (list as Range[]) : [];
};

const rangeLabel = (r: Range) => formatRange(dec(r.from_value), r.to_value === null || r.to_value === undefined ? null : dec(r.to_value));
const sameBounds = (a: Range[], b: Range[]) => a.length === b.length && a.every((r, i) => same(r.from_value, b[i]!.from_value) && same(r.to_value, b[i]!.to_value));
const rate = (value: unknown) => `${dec(value).toFixed()}%`;
const flatSuffix = (r: Range, currency: string) => (dec(r.flat_amount).isZero() ? "" : ` + ${formatPrice(r.flat_amount, currency)} flat`);

/** One set of properties in a line: `graduated: 0–10,000 $0.00 · 10,001+ $0.012 per unit`. */
export function describeProperties(model: string, properties: Properties | null, currency: string): string {
  const p = properties ?? {};
  switch (model) {
    case "standard":
      return `${formatPrice(p.amount, currency)} per unit`;
    case "graduated":
    case "volume":
      return `${model}: ${rangesOf(model, p).map((r) => `${rangeLabel(r)} ${formatPrice(r.per_unit_amount, currency)}${flatSuffix(r, currency)}`).join(" · ")} per unit`;
    case "graduated_percentage":
      return `graduated percentage: ${rangesOf(model, p).map((r) => `${rangeLabel(r)} ${rate(r.rate)}${flatSuffix(r, currency)}`).join(" · ")}`;
    case "package": {
      const free = dec(p.free_units);
      return `${formatPrice(p.amount, currency)} per ${formatUnits(dec(p.package_size))} units${free.isZero() ? "" : `, first ${formatUnits(free)} free`}`;
    }
    case "percentage":
      return `${rate(p.rate)}${dec(p.fixed_amount).isZero() ? "" : ` + ${formatPrice(p.fixed_amount, currency)} per event`}`;
    case "dynamic":
      return "priced by each event";
    default:
      return `${model} (custom)`;
  }
}

interface Where {
  planName: string;
  chargeCode: string | null;
  chargeLabel: string | null;
  filter: string | null;
}

/** Fields the line leaves unnamed: the unit ("per unit") or the values themselves say what they are. */
const UNNAMED_FIELDS = new Set(["per unit", "prices"]);

function line(where: Where, tier: string | null, field: string, before: string | null, after: string | null, unit = ""): PriceChange {
  const place = [where.planName, where.chargeLabel && (where.filter ? `${where.chargeLabel} [${where.filter}]` : where.chargeLabel), tier].filter(Boolean).join(" · ");
  let change: string;
  if (field === "charge") change = before === null ? `added, ${after}` : `removed (was ${before})`;
  else change = `${UNNAMED_FIELDS.has(field) ? "" : `${field} `}${before ?? "—"} → ${after ?? "—"}${unit ? ` ${unit}` : ""}`;
  return { charge: where.chargeCode, filter: where.filter, tier, field, before, after, text: `${place}: ${change}` };
}

/** Per-field changes between two sets of properties of the same model. */
function propertyChanges(where: Where, model: string, before: Properties, after: Properties, oldCurrency: string, newCurrency: string): PriceChange[] {
  const price = (p: Properties, key: string, currency: string) => formatPrice(p[key], currency);
  const out: PriceChange[] = [];
  const field = (key: string, name: string, show: (p: Properties, currency: string) => string, unit = "") => {
    if (!same(before[key], after[key]) || oldCurrency !== newCurrency) out.push(line(where, null, name, show(before, oldCurrency), show(after, newCurrency), unit));
  };
  const rangeKey = RANGE_KEY[model];
  if (rangeKey) {
    const [a, b] = [rangesOf(model, before), rangesOf(model, after)];
    if (!sameBounds(a, b)) return [line(where, null, "prices", describeProperties(model, before, oldCurrency), describeProperties(model, after, newCurrency))];
    a.forEach((ra, i) => {
      const rb = b[i]!;
      const tier = rangeLabel(rb);
      if (model === "graduated_percentage") {
        if (!same(ra.rate, rb.rate)) out.push(line(where, tier, "rate", rate(ra.rate), rate(rb.rate)));
      } else if (!same(ra.per_unit_amount, rb.per_unit_amount) || oldCurrency !== newCurrency)
        out.push(line(where, tier, "per unit", formatPrice(ra.per_unit_amount, oldCurrency), formatPrice(rb.per_unit_amount, newCurrency), "per unit"));
      if (!same(ra.flat_amount, rb.flat_amount) || oldCurrency !== newCurrency)
        out.push(line(where, tier, "flat fee", formatPrice(ra.flat_amount, oldCurrency), formatPrice(rb.flat_amount, newCurrency)));
    });
    return out;
  }
  switch (model) {
    case "standard":
      field("amount", "per unit", (p, c) => price(p, "amount", c), "per unit");
      break;
    case "package":
      field("amount", "package price", (p, c) => price(p, "amount", c), "per package");
      field("package_size", "package size", (p) => formatUnits(dec(p.package_size)), "units");
      field("free_units", "free units", (p) => formatUnits(dec(p.free_units)), "units");
      break;
    case "percentage":
      field("rate", "rate", (p) => rate(p.rate));
      field("fixed_amount", "fixed fee", (p, c) => price(p, "fixed_amount", c), "per event");
      field("free_units_per_events", "free events", (p) => formatUnits(dec(p.free_units_per_events)));
      field("free_units_per_total_aggregation", "free units", (p) => formatUnits(dec(p.free_units_per_total_aggregation)));
      field("per_transaction_min_amount", "per-transaction minimum", (p, c) => price(p, "per_transaction_min_amount", c));
      field("per_transaction_max_amount", "per-transaction maximum", (p, c) => price(p, "per_transaction_max_amount", c));
      break;
  }
  return out;
}

const groupKeys = (p: Properties | null) => {
  const keys = p?.pricing_group_keys ?? p?.grouped_by;
  return Array.isArray(keys) ? keys.map(String).join(", ") : "";
};

const filterLabel = (f: WireChargeFilter) =>
  Object.keys(f.values)
    .sort()
    .map((k) => `${k}: ${[...(f.values[k] ?? [])].sort().join(", ")}`)
    .join("; ");

/** A charge's name for people: its invoice name, else its metric's name, else the metric code, else its code. */
export function chargeLabel(charge: ChargeSide, metricNames: MetricNames): string {
  return charge.invoiceDisplayName ?? (charge.billableMetricCode ? metricNames.get(charge.billableMetricCode) : undefined) ?? charge.billableMetricCode ?? charge.wire.code;
}

function chargeChanges(planName: string, code: string, before: ChargeSide | undefined, after: ChargeSide | undefined, currencies: [string, string], metricNames: MetricNames): PriceChange[] {
  const [oldCurrency, newCurrency] = currencies;
  const label = chargeLabel((after ?? before)!, metricNames);
  const where: Where = { planName, chargeCode: code, chargeLabel: label, filter: null };
  const describe = (c: ChargeSide, currency: string) => describeProperties(c.wire.charge_model, c.wire.properties, currency);
  if (!before) return [line(where, null, "charge", null, describe(after!, newCurrency))];
  if (!after) return [line(where, null, "charge", describe(before, oldCurrency), null)];

  const model = [before.wire.charge_model, after.wire.charge_model] as const;
  if (model[0] !== model[1]) return [line(where, null, "prices", describe(before, oldCurrency), describe(after, newCurrency))];
  const out = propertyChanges(where, model[1], before.wire.properties ?? {}, after.wire.properties ?? {}, oldCurrency, newCurrency);

  const [gb, ga] = [groupKeys(before.wire.properties), groupKeys(after.wire.properties)];
  if (gb !== ga) out.push(line(where, null, "pricing groups", gb || "none", ga || "none"));
  const [mb, ma] = [before.args.minAmountCents ?? 0, after.args.minAmountCents ?? 0];
  if (mb !== ma || (ma && oldCurrency !== newCurrency)) out.push(line(where, null, "minimum spend", formatCents(mb, oldCurrency), formatCents(ma, newCurrency), "per period"));
  const timing = (c: ChargeSide) => (c.args.payInAdvance ? "in advance" : "at period end");
  if (timing(before) !== timing(after)) out.push(line(where, null, "billed", timing(before), timing(after)));

  // Filters are matched by their values.
  const filtersBefore = new Map((before.wire.filters ?? []).map((f) => [filterLabel(f), f]));
  const filtersAfter = new Map((after.wire.filters ?? []).map((f) => [filterLabel(f), f]));
  for (const key of new Set([...filtersBefore.keys(), ...filtersAfter.keys()])) {
    const [fb, fa] = [filtersBefore.get(key), filtersAfter.get(key)];
    const at: Where = { ...where, filter: key };
    if (!fb) out.push(line(at, null, "charge", null, describeProperties(model[1], fa!.properties, newCurrency)));
    else if (!fa) out.push(line(at, null, "charge", describeProperties(model[0], fb.properties, oldCurrency), null));
    else out.push(...propertyChanges(at, model[1], fb.properties ?? {}, fa.properties ?? {}, oldCurrency, newCurrency));
  }
  return out;
}

/** A fixed charge's fee for a whole period, from the plan alone: `3 × $10.00 per unit = $30.00`. */
export function fixedFee(charge: FixedChargeSide, currency: string): { cents: number; text: string } {
  const cents = priceCharge(charge.wire, charge.units, { currency }).amountCents;
  return { cents, text: `${formatUnits(charge.units)} × ${describeProperties(charge.wire.charge_model, charge.wire.properties, currency)} = ${formatCents(cents, currency)}` };
}

/** A fixed charge added, removed or repriced (units, prices or model): its period fee before and after. */
function fixedChargeChanges(planName: string, before: FixedChargeSide | undefined, after: FixedChargeSide | undefined, currencies: [string, string], unit: string): PriceChange[] {
  const [oldCurrency, newCurrency] = currencies;
  const where: Where = { planName, chargeCode: null, chargeLabel: `${(after ?? before)!.label} (fixed)`, filter: null };
  if (!before) return [line(where, null, "charge", null, `${fixedFee(after!, newCurrency).text} ${unit}`.trim())];
  if (!after) return [line(where, null, "charge", `${fixedFee(before, oldCurrency).text} ${unit}`.trim(), null)];
  const [b, a] = [fixedFee(before, oldCurrency), fixedFee(after, newCurrency)];
  return b.text === a.text ? [] : [line(where, null, "fixed fee", b.text, a.text, unit)];
}

const INTERVAL_UNIT: Readonly<Record<string, string>> = { weekly: "per week", monthly: "per month", quarterly: "per quarter", semiannual: "per half-year", yearly: "per year" };

/** Every price that moves between two sides of a plan (either side null: the plan is created or deleted). */
export function pricingDiff(before: PlanSide | null, after: PlanSide | null, metricNames: MetricNames = new Map()): PriceChange[] {
  const planName = (after ?? before)?.name ?? "";
  const oldCurrency = before?.wire.amount_currency ?? after?.wire.amount_currency ?? "USD";
  const newCurrency = after?.wire.amount_currency ?? oldCurrency;
  const plan: Where = { planName, chargeCode: null, chargeLabel: null, filter: null };
  const out: PriceChange[] = [];
  const fee = (side: PlanSide) => formatCents(side.wire.amount_cents, side.wire.amount_currency);
  const unit = INTERVAL_UNIT[(after ?? before)!.interval] ?? "";
  if (!before || !after || before.wire.amount_cents !== after.wire.amount_cents || oldCurrency !== newCurrency)
    out.push(line(plan, null, "plan fee", before ? fee(before) : null, after ? fee(after) : null, unit));
  if (before && after) {
    if (before.interval !== after.interval) out.push(line(plan, null, "interval", before.interval, after.interval));
    if (before.trialPeriodDays !== after.trialPeriodDays) out.push(line(plan, null, "trial", String(before.trialPeriodDays), String(after.trialPeriodDays), "days"));
    const commitment = (side: PlanSide) => {
      const c = side.args.minimumCommitment as { amountCents?: number } | null | undefined;
      return c && typeof c.amountCents === "number" ? formatCents(c.amountCents, side.wire.amount_currency) : "none";
    };
    if (commitment(before) !== commitment(after)) out.push(line(plan, null, "minimum commitment", commitment(before), commitment(after), unit));
  }
  const codes = [...new Set([...(before?.charges.keys() ?? []), ...(after?.charges.keys() ?? [])])];
  for (const code of codes) out.push(...chargeChanges(planName, code, before?.charges.get(code), after?.charges.get(code), [oldCurrency, newCurrency], metricNames));
  // Fixed charges bill every period (every month on a plan that bills them monthly).
  const fixedUnit = (after ?? before)!.args.billFixedChargesMonthly === true ? INTERVAL_UNIT.monthly! : unit;
  const fixedCodes = [...new Set([...(before?.fixedCharges.keys() ?? []), ...(after?.fixedCharges.keys() ?? [])])];
  for (const code of fixedCodes) out.push(...fixedChargeChanges(planName, before?.fixedCharges.get(code), after?.fixedCharges.get(code), [oldCurrency, newCurrency], fixedUnit));
  return out;
}
