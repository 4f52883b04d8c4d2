// Plan args ⇄ Lago (lago-api.md §3.2–3.6). One normal form, `normalizePlan`, fills Lago's defaults
// into args-shaped data; the request body, the outputs and the canonical form for diff are all
// read from it, so "what we would send" and "what Lago holds" compare like for like.
import { canonicalDecimal, decimalText, type DecimalInput } from "./price";
import { modelProperties, MONTHLY_BILLING_INTERVALS, type ChargeArgs, type ChargeModel, type PlanArgs } from "./schema";

// ---------------------------------------------------------------- shapes

type Json = Record<string, unknown>;
type Range = { fromValue: number; toValue: number | null; [price: string]: DecimalInput | number | null };

/** Charge properties in args form (camelCase), any model. */
export interface ChargeProperties {
  amount?: DecimalInput;
  graduatedRanges?: Range[];
  volumeRanges?: Range[];
  graduatedPercentageRanges?: Range[];
  packageSize?: number;
  freeUnits?: number;
  rate?: DecimalInput;
  fixedAmount?: DecimalInput;
  freeUnitsPerEvents?: number;
  freeUnitsPerTotalAggregation?: DecimalInput;
  perTransactionMinAmount?: DecimalInput;
  perTransactionMaxAmount?: DecimalInput;
  pricingGroupKeys?: string[];
}

export interface ChargeFilterOutputs {
  lagoId?: string;
  values: Record<string, string[]>;
  properties: ChargeProperties;
  invoiceDisplayName: string | null;
}

export interface ChargeOutputs extends ChargeProperties {
  lagoId: string;
  createdAt: string;
  code: string;
  /** The metric's lago_id (Lago's `lago_billable_metric_id`). */
  billableMetric: string;
  billableMetricCode: string;
  chargeModel: ChargeModel;
  payInAdvance: boolean;
  prorated: boolean;
  invoiceable: boolean;
  minAmountCents: number;
  invoiceDisplayName: string | null;
  taxCodes: string[];
  filters: ChargeFilterOutputs[];
}

export interface PlanOutputs {
  lagoId: string;
  createdAt: string;
  name: string;
  code: string;
  interval: PlanArgs["interval"];
  amountCents: number;
  amountCurrency: string;
  payInAdvance: boolean;
  trialPeriod: number | null;
  invoiceDisplayName: string | null;
  description: string | null;
  billChargesMonthly: boolean | null;
  taxCodes: string[];
  minimumCommitment: { lagoId: string; amountCents: number; invoiceDisplayName: string | null; taxCodes: string[] } | null;
  usageThresholds: Array<{ lagoId: string; amountCents: number; thresholdDisplayName: string | null; recurring: boolean }>;
  charges: ChargeOutputs[];
  /** Lago marks a plan being deleted (§3.7). */
  pendingDeletion: boolean;
}

/** Args or outputs: whatever describes a plan in args terms. */
export type PlanLike = PlanArgs | PlanOutputs;

// ---------------------------------------------------------------- names

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const PRICE_KEYS = new Set(["amount", "perUnitAmount", "flatAmount", "rate", "fixedAmount", "freeUnitsPerTotalAggregation", "perTransactionMinAmount", "perTransactionMaxAmount"]);
const RANGE_KEYS = new Set(["graduatedRanges", "volumeRanges", "graduatedPercentageRanges"]);

/** Property keys each model keeps (§3.3); Lago drops the others. */
const propertyKeys = (model: ChargeModel): string[] => Object.keys(modelProperties[model]);

// ---------------------------------------------------------------- normal form

const ZERO_RANGE = (withRate: boolean): Range =>
  withRate ? { fromValue: 0, toValue: null, rate: "0", fixedAmount: "0", flatAmount: "0" } : { fromValue: 0, toValue: null, perUnitAmount: "0", flatAmount: "0" };

/** Lago's defaults for properties left out (§3.3 "Defaults when properties is omitted"). */
export function normalizeProperties(model: ChargeModel, source: ChargeProperties): ChargeProperties {
  const picked: Json = {};
  for (const key of propertyKeys(model)) if (source[key as keyof ChargeProperties] !== undefined && source[key as keyof ChargeProperties] !== null) picked[key] = source[key as keyof ChargeProperties];
  const out: ChargeProperties = {};
  switch (model) {
    case "standard":
      out.amount = (picked.amount as DecimalInput) ?? "0";
      break;
    case "graduated":
    case "volume": {
      const key = model === "graduated" ? "graduatedRanges" : "volumeRanges";
      const ranges = (picked[key] as Range[] | undefined) ?? [ZERO_RANGE(false)];
      out[key] = ranges.map((r) => ({ fromValue: r.fromValue, toValue: r.toValue ?? null, perUnitAmount: r.perUnitAmount ?? "0", flatAmount: r.flatAmount ?? "0" }));
      break;
    }
    case "graduated_percentage": {
      const ranges = (picked.graduatedPercentageRanges as Range[] | undefined) ?? [ZERO_RANGE(true)];
      out.graduatedPercentageRanges = ranges.map((r) => ({ fromValue: r.fromValue, toValue: r.toValue ?? null, rate: r.rate ?? "0", fixedAmount: r.fixedAmount ?? "0", flatAmount: r.flatAmount ?? "0" }));
      break;
    }
    case "package":
      out.amount = (picked.amount as DecimalInput) ?? "0";
      out.packageSize = (picked.packageSize as number) ?? 1;
      out.freeUnits = (picked.freeUnits as number) ?? 0;
      break;
    case "percentage":
      Object.assign(out, picked);
      out.rate = (picked.rate as DecimalInput) ?? "0";
      break;
    case "dynamic":
      break;
  }
  if (source.pricingGroupKeys?.length) out.pricingGroupKeys = [...source.pricingGroupKeys];
  return out;
}

export interface NormalCharge extends ChargeProperties {
  code: string;
  billableMetric?: string;
  billableMetricCode?: string;
  chargeModel: ChargeModel;
  payInAdvance: boolean;
  prorated: boolean;
  invoiceable: boolean;
  minAmountCents: number;
  invoiceDisplayName: string | null;
  taxCodes: string[];
  filters: Array<{ values: Record<string, string[]>; properties: ChargeProperties; invoiceDisplayName: string | null }>;
}

export interface NormalPlan {
  name: string;
  code: string;
  interval: string;
  amountCents: number;
  amountCurrency: string;
  payInAdvance: boolean;
  trialPeriod: number | null;
  invoiceDisplayName: string | null;
  description: string | null;
  billChargesMonthly: boolean | null;
  taxCodes: string[];
  minimumCommitment: { amountCents: number; invoiceDisplayName: string | null; taxCodes: string[] } | null;
  usageThresholds: Array<{ amountCents: number; thresholdDisplayName: string | null; recurring: boolean }>;
  charges: NormalCharge[];
}

type AnyCharge = (ChargeArgs | ChargeOutputs) & ChargeProperties;

/**
 * The code each charge will carry. Lago names an unnamed charge after its metric, then
 * `<metric>_2`, `<metric>_3`… (§3.3); we pick the same names up front so charges can be matched
 * by code on every update. A charge known only by metric lago_id keeps the code of the existing
 * charge on that metric, when there is one.
 */
export function chargeCodes(charges: readonly AnyCharge[], existing: readonly ChargeOutputs[] = []): Array<string | undefined> {
  const taken = new Set(charges.map((c) => c.code).filter((c): c is string => c !== undefined));
  const claimed = new Set<string>();
  return charges.map((charge) => {
    if (charge.code !== undefined) return charge.code;
    if (charge.billableMetricCode !== undefined) {
      const base = charge.billableMetricCode;
      let code = base;
      for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
      taken.add(code);
      return code;
    }
    const match = existing.find((e) => e.billableMetric === charge.billableMetric && !taken.has(e.code) && !claimed.has(e.code));
    if (match) claimed.add(match.code);
    return match?.code;
  });
}

export function normalizeCharge(charge: AnyCharge, code: string): NormalCharge {
  const model = charge.chargeModel;
  return {
    code,
    ...(charge.billableMetric !== undefined ? { billableMetric: charge.billableMetric } : {}),
    ...(charge.billableMetricCode !== undefined ? { billableMetricCode: charge.billableMetricCode } : {}),
    chargeModel: model,
    payInAdvance: charge.payInAdvance ?? false,
    prorated: charge.prorated ?? false,
    invoiceable: charge.invoiceable ?? true,
    minAmountCents: charge.minAmountCents ?? 0,
    invoiceDisplayName: charge.invoiceDisplayName ?? null,
    taxCodes: [...(charge.taxCodes ?? [])],
    ...normalizeProperties(model, charge),
    filters: (charge.filters ?? []).map((f) => ({
      values: Object.fromEntries(Object.entries(f.values).map(([k, v]) => [k, [...v]])),
      properties: normalizeProperties(model, (f.properties ?? {}) as ChargeProperties),
      invoiceDisplayName: f.invoiceDisplayName ?? null,
    })),
  };
}

/** `existing` supplies codes for charges known only by metric lago_id. */
export function normalizePlan(plan: PlanLike, existing?: PlanOutputs): NormalPlan {
  const charges = (plan.charges ?? []) as AnyCharge[];
  const codes = chargeCodes(charges, existing?.charges ?? ("lagoId" in plan ? (plan.charges as ChargeOutputs[]) : []));
  const monthlyBilling = MONTHLY_BILLING_INTERVALS.includes(plan.interval);
  const commitment = plan.minimumCommitment ?? null;
  return {
    name: plan.name,
    code: plan.code,
    interval: plan.interval,
    amountCents: plan.amountCents,
    amountCurrency: plan.amountCurrency,
    payInAdvance: plan.payInAdvance ?? false,
    trialPeriod: plan.trialPeriod ?? null,
    invoiceDisplayName: plan.invoiceDisplayName ?? null,
    description: plan.description ?? null,
    billChargesMonthly: monthlyBilling ? (plan.billChargesMonthly ?? false) : null,
    taxCodes: [...(plan.taxCodes ?? [])],
    minimumCommitment: commitment && {
      amountCents: commitment.amountCents,
      invoiceDisplayName: commitment.invoiceDisplayName ?? null,
      taxCodes: [...(commitment.taxCodes ?? [])],
    },
    usageThresholds: (plan.usageThresholds ?? []).map((t) => ({
      amountCents: t.amountCents,
      thresholdDisplayName: t.thresholdDisplayName ?? null,
      recurring: t.recurring ?? false,
    })),
    charges: charges.map((c, i) => normalizeCharge(c, codes[i] ?? `?${c.billableMetric ?? i}`)),
  };
}

// ---------------------------------------------------------------- request body

/** Properties on the wire: snake_case keys, every price a decimal string (§1.6). */
export function wireProperties(props: ChargeProperties): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (RANGE_KEYS.has(key))
      out[snake(key)] = (value as Range[]).map((range) =>
        Object.fromEntries(Object.entries(range).map(([k, v]) => [snake(k), PRICE_KEYS.has(k) ? decimalText(v as DecimalInput) : v])),
      );
    else out[snake(key)] = PRICE_KEYS.has(key) ? decimalText(value as DecimalInput) : value;
  }
  return out;
}

export interface RequestContext {
  /** The metric lago_id for each normalized charge (resolved from billableMetricCode at apply). */
  metricIds: readonly string[];
  /** The plan as Lago holds it now (update), to send kept charges' ids and drop a commitment. */
  current?: PlanOutputs;
}

/**
 * The `plan` body for POST/PUT. Every charge goes with full properties and charge_model, and
 * kept charges (same code) with their lago_id: a charge sent without id is created anew and
 * unlisted ones are deleted (§3.6).
 */
export function planRequest(plan: NormalPlan, ctx: RequestContext): Json {
  const chargeIds = new Map((ctx.current?.charges ?? []).map((c) => [c.code, c.lagoId]));
  const body: Json = {
    name: plan.name,
    code: plan.code,
    interval: plan.interval,
    amount_cents: plan.amountCents,
    amount_currency: plan.amountCurrency,
    pay_in_advance: plan.payInAdvance,
    trial_period: plan.trialPeriod,
    invoice_display_name: plan.invoiceDisplayName,
    description: plan.description,
    tax_codes: plan.taxCodes,
    usage_thresholds: plan.usageThresholds.map((t) => ({ amount_cents: t.amountCents, threshold_display_name: t.thresholdDisplayName, recurring: t.recurring })),
    charges: plan.charges.map((charge, i) => {
      const { code, chargeModel, payInAdvance, prorated, invoiceable, minAmountCents, invoiceDisplayName, taxCodes, filters, billableMetric: _id, billableMetricCode: _code, ...props } = charge;
      const id = chargeIds.get(code);
      return {
        ...(id ? { id } : {}),
        billable_metric_id: ctx.metricIds[i],
        code,
        charge_model: chargeModel,
        pay_in_advance: payInAdvance,
        prorated,
        invoiceable,
        min_amount_cents: minAmountCents,
        invoice_display_name: invoiceDisplayName,
        tax_codes: taxCodes,
        properties: wireProperties(props),
        filters: filters.map((f) => ({ values: f.values, properties: wireProperties(f.properties), invoice_display_name: f.invoiceDisplayName })),
      };
    }),
  };
  // Lago keeps bill_charges_monthly only for yearly/semiannual plans and nulls it otherwise.
  if (plan.billChargesMonthly !== null) body.bill_charges_monthly = plan.billChargesMonthly;
  if (plan.minimumCommitment)
    body.minimum_commitment = {
      amount_cents: plan.minimumCommitment.amountCents,
      invoice_display_name: plan.minimumCommitment.invoiceDisplayName,
      tax_codes: plan.minimumCommitment.taxCodes,
    };
  else if (ctx.current?.minimumCommitment) body.minimum_commitment = {}; // `{}` deletes it (§3.6)
  return body;
}

// ---------------------------------------------------------------- response → outputs

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const codesOf = (taxes: unknown) => list(taxes).map((t) => String(t.code));

/** Lago's properties (as stored) back into args form; keys the model does not keep are left out. */
export function propertiesFromLago(model: ChargeModel, wire: unknown): ChargeProperties {
  const source = (wire ?? {}) as Json;
  const out: Json = {};
  for (const key of propertyKeys(model)) {
    const value = source[snake(key)];
    if (value === undefined || value === null) continue;
    out[key] = RANGE_KEYS.has(key) ? list(value).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), v]))) : value;
  }
  const groupKeys = source.pricing_group_keys ?? source.grouped_by;
  if (Array.isArray(groupKeys) && groupKeys.length) out.pricingGroupKeys = groupKeys.map(String);
  return out as ChargeProperties;
}

export function chargeFromLago(charge: Json): ChargeOutputs {
  const model = String(charge.charge_model) as ChargeModel;
  return {
    lagoId: String(charge.lago_id),
    createdAt: String(charge.created_at),
    code: String(charge.code),
    billableMetric: String(charge.lago_billable_metric_id),
    billableMetricCode: String(charge.billable_metric_code),
    chargeModel: model,
    payInAdvance: charge.pay_in_advance === true,
    prorated: charge.prorated === true,
    invoiceable: charge.invoiceable !== false,
    minAmountCents: Number(charge.min_amount_cents ?? 0),
    invoiceDisplayName: str(charge.invoice_display_name),
    taxCodes: codesOf(charge.taxes),
    ...propertiesFromLago(model, charge.properties),
    filters: list(charge.filters).map((f) => ({
      ...(typeof f.lago_id === "string" ? { lagoId: f.lago_id } : {}),
      values: (f.values ?? {}) as Record<string, string[]>,
      properties: propertiesFromLago(model, f.properties),
      invoiceDisplayName: str(f.invoice_display_name),
    })),
  };
}

/** Lago's plan object → outputs (camelCase, args-shaped, plus Lago's ids). */
export function planFromLago(plan: Json): PlanOutputs {
  const commitment = plan.minimum_commitment as Json | undefined | null;
  return {
    lagoId: String(plan.lago_id),
    createdAt: String(plan.created_at),
    name: String(plan.name),
    code: String(plan.code),
    interval: plan.interval as PlanOutputs["interval"],
    amountCents: Number(plan.amount_cents),
    amountCurrency: String(plan.amount_currency),
    payInAdvance: plan.pay_in_advance === true,
    trialPeriod: typeof plan.trial_period === "number" ? plan.trial_period : null,
    invoiceDisplayName: str(plan.invoice_display_name),
    description: str(plan.description),
    billChargesMonthly: typeof plan.bill_charges_monthly === "boolean" ? plan.bill_charges_monthly : null,
    taxCodes: codesOf(plan.taxes),
    minimumCommitment: commitment
      ? {
          lagoId: String(commitment.lago_id),
          amountCents: Number(commitment.amount_cents),
          invoiceDisplayName: str(commitment.invoice_display_name),
          taxCodes: codesOf(commitment.taxes),
        }
      : null,
    usageThresholds: list(plan.usage_thresholds).map((t) => ({
      lagoId: String(t.lago_id),
      amountCents: Number(t.amount_cents),
      thresholdDisplayName: str(t.threshold_display_name),
      recurring: t.recurring === true,
    })),
    charges: list(plan.charges).map(chargeFromLago),
    pendingDeletion: plan.pending_deletion === true,
  };
}

/** Outputs back into args (for `read`'s inputs): Lago's ids and nulls left out. */
export function argsFromOutputs(outputs: PlanOutputs, keep: Pick<PlanArgs, "allowDestroy" | "adopt"> = {}): PlanArgs {
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k, v]) => v !== null && v !== undefined && !["lagoId", "createdAt", "pendingDeletion", "billableMetric"].includes(k))
          .map(([k, v]) => [k, clean(v)]),
      );
    return value;
  };
  return { ...(clean(outputs) as PlanArgs), ...keep };
}

// ---------------------------------------------------------------- canonical form

const sortedStrings = (xs: readonly string[]) => [...xs].sort();

function canonicalProperties(props: ChargeProperties): Json {
  const out: Json = {};
  for (const key of Object.keys(props).sort()) {
    const value = props[key as keyof ChargeProperties];
    if (RANGE_KEYS.has(key))
      out[key] = (value as Range[]).map((r) =>
        Object.fromEntries(
          Object.keys(r)
            .sort()
            .map((k) => [k, PRICE_KEYS.has(k) || k === "fromValue" || k === "toValue" ? canonicalDecimal(r[k]) : r[k]]),
        ),
      );
    else out[key] = PRICE_KEYS.has(key) ? canonicalDecimal(value) : value;
  }
  return out;
}

function canonicalCharge(c: NormalCharge): Json {
  const { filters, taxCodes, ...rest } = c;
  const props: ChargeProperties = {};
  const fields: Json = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k in modelProperties[c.chargeModel] || k === "pricingGroupKeys") (props as Json)[k] = v;
    else fields[k] = v;
  }
  const canonicalFilters = filters
    .map((f) => ({
      values: Object.fromEntries(Object.keys(f.values).sort().map((k) => [k, sortedStrings(f.values[k]!)])),
      properties: canonicalProperties(f.properties),
      invoiceDisplayName: f.invoiceDisplayName,
    }))
    .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
  return { ...fields, taxCodes: sortedStrings(taxCodes), ...canonicalProperties(props), filters: canonicalFilters };
}

/**
 * The canonical plan: key order, decimal spelling, tax/filter order and defaults no longer
 * matter. Charges are keyed by code, the way they are matched.
 */
export function canonicalPlan(plan: NormalPlan): Json {
  return {
    ...plan,
    // No trial and a zero-day trial bill the same; Lago may answer either.
    trialPeriod: canonicalDecimal(plan.trialPeriod ?? 0),
    taxCodes: sortedStrings(plan.taxCodes),
    minimumCommitment: plan.minimumCommitment && { ...plan.minimumCommitment, taxCodes: sortedStrings(plan.minimumCommitment.taxCodes) },
    usageThresholds: [...plan.usageThresholds].sort((a, b) => a.amountCents - b.amountCents),
    charges: Object.fromEntries(plan.charges.map((c) => [c.code, canonicalCharge(c)])),
  };
}
