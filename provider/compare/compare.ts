// How two Lago organizations (or an organization and a catalog) differ, as a reviewer reads it: the prices that move
// as the pricing preview's own lines (`Team · MTU · 10,001–25,000: $0.012 → $0.013 per unit`), the objects only one
// side holds, and every other field that differs. Pure: both sides arrive as catalog entries (what readOrg reads and
// what a catalog file declares) and are compared in each kind's comparable form (its own `normalize`), so a default
// written out on one side and left out on the other, or "0.010" against "0.01", is no difference.
import { normalize as addOnNormalize } from "../kinds/add-on/payload";
import { normalize as appliedCouponNormalize } from "../kinds/applied-coupon/payload";
import { normalize as metricNormalize } from "../kinds/billable-metric/payload";
import { normalize as couponNormalize } from "../kinds/coupon/payload";
import { normalize as customerNormalize } from "../kinds/customer/payload";
import { normalize as planNormalize } from "../kinds/plan/payload";
import { normalize as subscriptionNormalize } from "../kinds/subscription/payload";
import { normalize as taxNormalize } from "../kinds/tax/payload";
import { normalize as walletNormalize } from "../kinds/wallet/payload";
import { normalize as webhookNormalize } from "../kinds/webhook-endpoint/payload";
import { compareKeys, entryKey, ORG_SECTIONS, type Entry, type OrgSection } from "../export/read-org";
import { formatCents } from "../preview/format";
import { planSide } from "../preview/plan-side";
import { pricingDiff, type PriceChange } from "../preview/pricing-diff";

/** One side of a comparison: catalog entries by section, as readOrg returns them or a catalog file declares them. */
export interface CompareSide {
  /** How reports name the side: `stack production (https://lago.example.com/api/v1)`. */
  label: string;
  sections: Partial<Record<OrgSection, Entry[]>>;
  /** Objects the side holds that the catalog cannot express yet: compared as far as written, and named in the notes. */
  unexpressible?: ReadonlyArray<{ section: OrgSection; key: string; reason: string; entry: Entry }>;
}

export type SideName = "a" | "b";

/** A price that moves from a to b, with the plan it belongs to. */
export interface PriceDifference extends PriceChange {
  plan: string;
}

/** An object only one side holds. */
export interface OnlyOnOneSide {
  side: SideName;
  section: OrgSection;
  kind: string;
  /** Its code (external id, `<customer>/<coupon>`, or for a webhook endpoint the URL without its query). */
  key: string;
  name: string | null;
  text: string;
}

/** A field other than a price that differs between two objects both sides hold. */
export interface FieldDifference {
  section: OrgSection;
  kind: string;
  key: string;
  /** The argument, e.g. `description`, `charges[mtu].invoiceable`, `filters[region: eu].invoiceDisplayName`. */
  path: string;
  a: string;
  b: string;
  text: string;
}

export interface Comparison {
  a: string;
  b: string;
  sections: OrgSection[];
  prices: PriceDifference[];
  onlyOnOneSide: OnlyOnOneSide[];
  fields: FieldDifference[];
  /** What was compared only as far as the catalog can express it. */
  notes: string[];
  summary: { differ: boolean; prices: number; onlyInA: number; onlyInB: number; fields: number };
}

type Normalize = (args: Entry) => Entry;

interface KindOfSection {
  kind: string;
  normalize: Normalize;
}

const KINDS: Record<OrgSection, KindOfSection> = {
  taxes: { kind: "tax", normalize: taxNormalize as Normalize },
  metrics: { kind: "metric", normalize: metricNormalize as Normalize },
  plans: { kind: "plan", normalize: planNormalize },
  addOns: { kind: "add-on", normalize: addOnNormalize as Normalize },
  coupons: { kind: "coupon", normalize: couponNormalize as Normalize },
  webhookEndpoints: { kind: "webhook endpoint", normalize: webhookNormalize as Normalize },
  customers: { kind: "customer", normalize: customerNormalize as Normalize },
  subscriptions: { kind: "subscription", normalize: subscriptionNormalize as Normalize },
  appliedCoupons: { kind: "applied coupon", normalize: appliedCouponNormalize as Normalize },
  wallets: { kind: "wallet", normalize: walletNormalize as Normalize },
};

/** A webhook endpoint's URL often carries a token: reports name it without its query and credentials. */
export function displayKey(section: OrgSection, key: string): string {
  if (section !== "webhookEndpoints") return key;
  try {
    const url = new URL(key);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return key.replace(/[?#].*$/, "");
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const blank = (v: unknown) => v === undefined || v === null;

/** A value as a reviewer reads it: strings quoted, lists in brackets, absent as `(not set)`. */
export function showValue(value: unknown, currency?: string, key?: string): string {
  if (blank(value)) return "(not set)";
  if (currency && key && /Cents$/.test(key) && typeof value === "number") return formatCents(value, currency);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return `[${value.map((v) => showValue(v)).join(", ")}]`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const filterKey = (f: unknown): string => {
  const values = (isPlainObject(f) && isPlainObject(f.values) ? f.values : {}) as Record<string, unknown>;
  return Object.keys(values)
    .sort()
    .map((k) => `${k}: ${(Array.isArray(values[k]) ? (values[k] as unknown[]) : []).map(String).join(", ")}`)
    .join("; ");
};

/** Lists whose items are matched by a key rather than by position. */
function keyedList(path: string, list: unknown[]): Map<string, unknown> | undefined {
  if (!list.every(isPlainObject)) return undefined;
  if (/(^|\.)filters$/.test(path)) return new Map(list.map((f) => [filterKey(f), f]));
  if (list.every((item) => typeof (item as Record<string, unknown>).code === "string")) return new Map(list.map((item) => [String((item as Record<string, unknown>).code), item]));
  return undefined;
}

interface RawDifference {
  path: string;
  key: string;
  a: unknown;
  b: unknown;
}

/** Every leaf where `a` and `b` differ; objects by key, keyed lists (charges, filters) by their key, other lists whole. */
export function deepDifferences(a: unknown, b: unknown, path = "", key = ""): RawDifference[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareKeys);
    // Charges and fixed charges are keyed by code in the comparable form: `charges[mtu]`.
    const child = (k: string) => (/(^|\.)(charges|fixedCharges)$/.test(path) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    return keys.flatMap((k) => deepDifferences(a[k], b[k], child(k), k));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const [ka, kb] = [keyedList(path, a), keyedList(path, b)];
    if (ka && kb) {
      const keys = [...new Set([...ka.keys(), ...kb.keys()])];
      return keys.flatMap((k) => deepDifferences(ka.get(k), kb.get(k), `${path}[${k}]`, key));
    }
  }
  if (JSON.stringify(deepSorted(a ?? null)) === JSON.stringify(deepSorted(b ?? null))) return [];
  return [{ path, key, a, b }];
}

// A plan's terms the price lines already say (pricingDiff reads them): not repeated as fields.
const PRICED_PLAN_ARGS = new Set(["amountCents", "amountCurrency", "interval", "trialPeriod"]);
/** A charge's fields that are not its prices; everything else in a comparable charge is a price property. */
const CHARGE_TERMS = new Set(["code", "billableMetricCode", "prorated", "invoiceable", "regroupPaidFees", "invoiceDisplayName", "taxCodes", "filters"]);
/** Price properties pricingDiff does not describe: they stay field differences. */
const UNPRICED_PROPERTIES = new Set(["customProperties"]);

/**
 * The plan's comparable form less what the price lines say: its fee, currency, interval, trial and commitment
 * amount; per charge its model, timing, minimum spend and price properties; a charge or filter only one side has.
 */
function planTerms(plan: Entry, other: Entry): Entry {
  const out: Entry = {};
  for (const [k, v] of Object.entries(plan)) if (!PRICED_PLAN_ARGS.has(k)) out[k] = v;
  if (isPlainObject(out.minimumCommitment)) {
    const { amountCents: _, ...rest } = out.minimumCommitment;
    out.minimumCommitment = rest;
  }
  if (isPlainObject(plan.charges)) {
    const others = isPlainObject(other.charges) ? other.charges : {};
    const charges: Entry = {};
    for (const [code, charge] of Object.entries(plan.charges)) {
      if (!(code in others) || !isPlainObject(charge)) continue; // added or removed: a price line says so
      const terms: Entry = {};
      for (const [k, v] of Object.entries(charge)) if (CHARGE_TERMS.has(k) || UNPRICED_PROPERTIES.has(k)) terms[k] = v;
      const otherCharge = others[code] as Entry;
      if (Array.isArray(charge.filters)) {
        const otherFilters = new Set((Array.isArray(otherCharge.filters) ? otherCharge.filters : []).map(filterKey));
        terms.filters = charge.filters.filter((f) => otherFilters.has(filterKey(f))).map((f) => (isPlainObject(f) ? { values: f.values, invoiceDisplayName: f.invoiceDisplayName } : f));
      }
      charges[code] = terms;
    }
    out.charges = charges;
  }
  return out;
}

const nameOf = (entry: Entry): string | null => (typeof entry.name === "string" && entry.name ? entry.name : null);

function bySection(side: CompareSide, section: OrgSection): Map<string, Entry> {
  const entries = [...(side.sections[section] ?? []), ...(side.unexpressible ?? []).filter((u) => u.section === section).map((u) => u.entry)];
  return new Map(entries.map((e) => [entryKey(section, e), e]));
}

/** How `a` and `b` differ in `sections` (default: every section either side holds). Lines read from a to b. */
export function compareOrgs(a: CompareSide, b: CompareSide, options: { sections?: readonly OrgSection[] } = {}): Comparison {
  const sections = ORG_SECTIONS.filter((s) => (options.sections ? options.sections.includes(s) : s in a.sections || s in b.sections));
  const prices: PriceDifference[] = [];
  const onlyOnOneSide: OnlyOnOneSide[] = [];
  const fields: FieldDifference[] = [];

  // Charges are named as the preview names them: their metric's name (b's, else a's).
  const metricNames = new Map<string, string>();
  for (const side of [a, b]) for (const m of side.sections.metrics ?? []) if (typeof m.name === "string") metricNames.set(String(m.code), m.name);

  for (const section of sections) {
    const { kind, normalize } = KINDS[section];
    const [left, right] = [bySection(a, section), bySection(b, section)];
    const keys = [...new Set([...left.keys(), ...right.keys()])].sort(compareKeys);
    for (const key of keys) {
      const [ea, eb] = [left.get(key), right.get(key)];
      const shown = displayKey(section, key);
      if (!ea || !eb) {
        const side: SideName = ea ? "a" : "b";
        const name = nameOf((ea ?? eb)!);
        onlyOnOneSide.push({ side, section, kind, key: shown, name, text: `${kind} ${shown}${name && name !== key ? ` (${name})` : ""}: only in ${side}` });
        continue;
      }
      const [na, nb] = [normalize(ea), normalize(eb)];
      if (JSON.stringify(deepSorted(na)) === JSON.stringify(deepSorted(nb))) continue;
      const before = { prices: prices.length, fields: fields.length };
      let [ta, tb] = [na, nb];
      if (section === "plans") {
        const lines = pricingDiff(planSide({ inputs: ea, outputs: {} }, "new"), planSide({ inputs: eb, outputs: {} }, "new"), metricNames);
        prices.push(...lines.map((line) => ({ ...line, plan: key })));
        [ta, tb] = [planTerms(na, nb), planTerms(nb, na)];
      }
      const currency = typeof (eb.amountCurrency ?? ea.amountCurrency) === "string" ? String(eb.amountCurrency ?? ea.amountCurrency) : undefined;
      const field = (d: RawDifference): FieldDifference => {
        const [va, vb] = [showValue(d.a, currency, d.key), showValue(d.b, currency, d.key)];
        return { section, kind, key: shown, path: d.path, a: va, b: vb, text: `${kind} ${shown} · ${d.path}: ${va} → ${vb}` };
      };
      fields.push(...deepDifferences(ta, tb).map(field));
      // Never "equal" by omission: a difference no line described is shown whole.
      if (prices.length === before.prices && fields.length === before.fields) fields.push(...deepDifferences(na, nb).map(field));
    }
  }

  const notes = [a, b].flatMap((side, i) =>
    (side.unexpressible ?? [])
      .filter((u) => sections.includes(u.section))
      .map((u) => `${i === 0 ? "a" : "b"}: ${KINDS[u.section].kind} ${displayKey(u.section, u.key)} compared as far as the catalog can express it (${u.reason})`),
  );
  const onlyInA = onlyOnOneSide.filter((o) => o.side === "a").length;
  const onlyInB = onlyOnOneSide.length - onlyInA;
  return {
    a: a.label,
    b: b.label,
    sections,
    prices,
    onlyOnOneSide,
    fields,
    notes,
    summary: { differ: prices.length + onlyOnOneSide.length + fields.length > 0, prices: prices.length, onlyInA, onlyInB, fields: fields.length },
  };
}

/** Object keys sorted at every level, so key order is no difference. */
function deepSorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepSorted);
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => value[k] !== undefined && value[k] !== null)
        .sort(compareKeys)
        .map((k) => [k, deepSorted(value[k])]),
    );
  return value;
}
