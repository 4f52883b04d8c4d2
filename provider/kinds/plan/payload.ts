// Plan: arguments ⇄ Lago's `plan` object (lago-api.md §3.2–3.6). Charges carry explicit codes, so
// kept charges are matched by code and sent with their lago_id; every charge goes with its full
// properties (Lago's defaults filled in) because Lago replaces properties on each update.
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";
import { camelCase, snakeCase } from "../../errors";
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import { modelProperties, type ChargeModel, type FixedChargeModel, type PlanArgs } from "./schema";

type DecimalInput = string | number;
type Json = Record<string, unknown>;
type Range = { fromValue: number; toValue: number | null; [price: string]: DecimalInput | number | null };

// ---------------------------------------------------------------- Lago's object

/** Lago's plan object and its charges. */
export type LagoPlan = Wire["PlanObject"];
export type LagoCharge = NonNullable<LagoPlan["charges"]>[number];
/** The `plan` body of a create or update. */
export type PlanBody = Wire["PlanBody"];
type ChargeBody = NonNullable<PlanBody["charges"]>[number];
export type LagoFixedCharge = NonNullable<LagoPlan["fixed_charges"]>[number];
type FixedChargeBody = NonNullable<PlanBody["fixed_charges"]>[number];
type PropertiesBody = Wire["ChargeProperties"];

/**
 * The plan's arguments as the kind handles them: the schema's, with charges in the one shape that holds both what
 * the program wrote and what Lago holds (any model's properties by name).
 */
export type PlanKindArgs = Omit<PlanArgs, "charges" | "fixedCharges"> & { charges?: ChargeArgsLike[]; fixedCharges?: FixedChargeArgsLike[] };
export type PlanManaged = Managed<PlanKindArgs>;

export type PlanArg = keyof PlanManaged;

/** Lago reports a bad charge under the charge model's own field names, without an index (§1.3). */
const CHARGE_FIELDS = ["properties", "charge_model", "billable_metric_id", "min_amount_cents", "prorated", "invoiceable", "regroup_paid_fees", "filters", "values"];

/** Lago field in a 422 → the argument to change, for the fields of charges and thresholds (plan fields are plain camelCase). */
export function argFor(field: string): string | undefined {
  if (CHARGE_FIELDS.includes(field)) return "charges";
  if (field === "amount_cents" || field === "threshold_display_name" || field === "recurring") return "usageThresholds";
  if (field === "units" || field === "add_on" || field === "add_ons") return "fixedCharges";
  // app/models/metadata/item_metadata.rb reports its limits under `value`.
  if (field === "value") return "metadata";
  return undefined;
}

// ---------------------------------------------------------------- property keys


const PRICE_KEYS = new Set(["amount", "perUnitAmount", "flatAmount", "rate", "fixedAmount", "freeUnitsPerTotalAggregation", "perTransactionMinAmount", "perTransactionMaxAmount"]);
const RANGE_KEYS = new Set(["graduatedRanges", "volumeRanges", "graduatedPercentageRanges"]);
const BOUND_KEYS = new Set(["fromValue", "toValue"]);

/** Property keys each model keeps (§3.3); Lago drops the others. */
const propertyKeys = (model: ChargeModel): string[] => Object.keys(modelProperties[model] ?? {});

const isModel = (model: unknown): model is ChargeModel => typeof model === "string" && model in modelProperties;

// ---------------------------------------------------------------- properties

/** Charge properties in args form (camelCase), any model. */
export type ChargeProperties = Partial<Record<string, unknown>> & { pricingGroupKeys?: string[] };

const zeroRange = (withRate: boolean): Range =>
  withRate ? { fromValue: 0, toValue: null, rate: "0", fixedAmount: "0", flatAmount: "0" } : { fromValue: 0, toValue: null, perUnitAmount: "0", flatAmount: "0" };

const given = (v: unknown) => v !== undefined && v !== null;

/** The model's properties with Lago's defaults for what was left out (§3.3 defaults). */
export function fullProperties(model: ChargeModel, source: ChargeProperties): ChargeProperties {
  const picked: Json = {};
  for (const key of propertyKeys(model)) if (given(source[key])) picked[key] = source[key];
  const ranges = (key: string, withRate: boolean) =>
    ((picked[key] as Range[] | undefined) ?? [zeroRange(withRate)]).map((r) =>
      withRate
        ? { fromValue: r.fromValue, toValue: r.toValue ?? null, rate: r.rate ?? "0", fixedAmount: r.fixedAmount ?? "0", flatAmount: r.flatAmount ?? "0" }
        : { fromValue: r.fromValue, toValue: r.toValue ?? null, perUnitAmount: r.perUnitAmount ?? "0", flatAmount: r.flatAmount ?? "0" },
    );
  const out: ChargeProperties = {};
  switch (model) {
    case "standard":
      out.amount = picked.amount ?? "0";
      break;
    case "graduated":
      out.graduatedRanges = ranges("graduatedRanges", false);
      break;
    case "volume":
      out.volumeRanges = ranges("volumeRanges", false);
      break;
    case "graduated_percentage":
      out.graduatedPercentageRanges = ranges("graduatedPercentageRanges", true);
      break;
    case "package":
      out.amount = picked.amount ?? "0";
      out.packageSize = picked.packageSize ?? 1;
      out.freeUnits = picked.freeUnits ?? 0;
      break;
    case "percentage":
      Object.assign(out, picked);
      out.rate = picked.rate ?? "0";
      break;
    case "dynamic":
      break;
  }
  if (Array.isArray(source.pricingGroupKeys) && source.pricingGroupKeys.length) out.pricingGroupKeys = [...source.pricingGroupKeys];
  return out;
}

type RangeArgs = Record<string, unknown>;
const decimal = (v: unknown): string | undefined => (isDecimal(v) ? toDecimalString(v) : undefined);
const count = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bound = (v: unknown): number | null => (typeof v === "number" ? v : null);
const rangesOf = (v: unknown): RangeArgs[] | undefined => (Array.isArray(v) ? v : undefined);
const priced = (r: RangeArgs) => ({ from_value: bound(r.fromValue) ?? 0, to_value: bound(r.toValue), per_unit_amount: decimal(r.perUnitAmount) ?? "0", flat_amount: decimal(r.flatAmount) ?? "0" });

/** Properties on the wire: snake_case keys, every price a decimal string (§1.6). */
export function wireProperties(props: ChargeProperties): PropertiesBody {
  const out: PropertiesBody = {};
  if (props.amount !== undefined) out.amount = decimal(props.amount);
  if (props.packageSize !== undefined) out.package_size = count(props.packageSize);
  if (props.freeUnits !== undefined) out.free_units = count(props.freeUnits);
  if (props.rate !== undefined) out.rate = decimal(props.rate);
  if (props.fixedAmount !== undefined) out.fixed_amount = decimal(props.fixedAmount);
  if (props.freeUnitsPerEvents !== undefined) out.free_units_per_events = count(props.freeUnitsPerEvents) ?? null;
  if (props.freeUnitsPerTotalAggregation !== undefined) out.free_units_per_total_aggregation = decimal(props.freeUnitsPerTotalAggregation) ?? null;
  if (props.perTransactionMinAmount !== undefined) out.per_transaction_min_amount = decimal(props.perTransactionMinAmount) ?? null;
  if (props.perTransactionMaxAmount !== undefined) out.per_transaction_max_amount = decimal(props.perTransactionMaxAmount) ?? null;
  const graduated = rangesOf(props.graduatedRanges);
  if (graduated) out.graduated_ranges = graduated.map(priced);
  const volume = rangesOf(props.volumeRanges);
  if (volume) out.volume_ranges = volume.map(priced);
  const percentage = rangesOf(props.graduatedPercentageRanges);
  if (percentage)
    out.graduated_percentage_ranges = percentage.map((r) => ({
      from_value: bound(r.fromValue) ?? 0,
      to_value: bound(r.toValue),
      rate: decimal(r.rate) ?? "0",
      ...(r.fixedAmount !== undefined ? { fixed_amount: decimal(r.fixedAmount) ?? "0" } : {}),
      flat_amount: decimal(r.flatAmount) ?? "0",
    }));
  if (props.pricingGroupKeys !== undefined) out.pricing_group_keys = [...props.pricingGroupKeys];
  return out;
}

/** Lago's stored properties back into args form; keys the model does not keep are left out. */
export function propertiesFromLago(model: ChargeModel, wire: PropertiesBody | null | undefined): ChargeProperties {
  const source: Json = { ...wire };
  const out: ChargeProperties = {};
  for (const key of propertyKeys(model)) {
    const value = source[snakeCase(key)];
    if (!given(value)) continue;
    out[key] = RANGE_KEYS.has(key) && Array.isArray(value) ? (value as Json[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camelCase(k), v]))) : value;
  }
  const groupKeys = source.pricing_group_keys ?? source.grouped_by;
  if (Array.isArray(groupKeys) && groupKeys.length) out.pricingGroupKeys = groupKeys.map(String);
  return out;
}

/** One spelling for decimals, sorted keys: "0.010" and 0.01 compare equal. */
export function comparableProperties(props: ChargeProperties): Json {
  const decimal = (v: unknown) => (isDecimal(v) ? canonicalDecimal(v) : v);
  const out: Json = {};
  for (const key of Object.keys(props).sort()) {
    const value = props[key];
    if (RANGE_KEYS.has(key) && Array.isArray(value))
      out[key] = (value as Json[]).map((r) =>
        Object.fromEntries(
          Object.keys(r)
            .sort()
            .map((k) => [k, PRICE_KEYS.has(k) || BOUND_KEYS.has(k) ? decimal(r[k]) : r[k]]),
        ),
      );
    else out[key] = PRICE_KEYS.has(key) ? decimal(value) : value;
  }
  return out;
}

// ---------------------------------------------------------------- charges

/** A charge in args form, as the program writes it or as Lago holds it. */
export interface ChargeArgsLike extends ChargeProperties {
  code?: string;
  billableMetric?: string;
  billableMetricCode?: string;
  chargeModel: ChargeModel;
  payInAdvance?: boolean;
  prorated?: boolean;
  invoiceable?: boolean;
  regroupPaidFees?: "invoice" | null;
  minAmountCents?: number;
  invoiceDisplayName?: string | null;
  taxCodes?: string[];
  filters?: Array<{ values: Record<string, string[]>; properties?: ChargeProperties; invoiceDisplayName?: string | null }>;
}

/**
 * The code each charge will carry. Lago names an unnamed charge after its metric, then `<metric>_2`,
 * `<metric>_3`… (§3.3); we pick the same names up front so charges can be matched by code.
 */
export function chargeCodes(charges: ReadonlyArray<Pick<ChargeArgsLike, "code" | "billableMetricCode">>): string[] {
  return codesAfter(charges, (c, i) => c.billableMetricCode ?? `charge_${i + 1}`);
}

/** Codes for a list whose unnamed items are named after `base` (their metric or add-on), then `<base>_2`, … */
function codesAfter<T extends { code?: string }>(items: readonly T[], baseOf: (item: T, index: number) => string): string[] {
  const taken = new Set(items.map((c) => c.code).filter((c): c is string => typeof c === "string"));
  return items.map((charge, i) => {
    if (typeof charge.code === "string") return charge.code;
    const base = baseOf(charge, i);
    let code = base;
    for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
    taken.add(code);
    return code;
  });
}

/** Every charge with its code filled in. */
export const withCodes = <C extends ChargeArgsLike>(charges: readonly C[]): Array<C & { code: string }> => {
  const codes = chargeCodes(charges);
  return charges.map((c, i) => ({ ...c, code: codes[i]! }));
};

function comparableCharge(c: ChargeArgsLike): Json {
  const out: Json = { code: c.code, billableMetricCode: c.billableMetricCode, chargeModel: c.chargeModel };
  if (c.payInAdvance === true) out.payInAdvance = true;
  if (c.prorated === true) out.prorated = true;
  if (c.invoiceable === false) out.invoiceable = false;
  if (c.regroupPaidFees === "invoice") out.regroupPaidFees = "invoice";
  if (c.minAmountCents) out.minAmountCents = c.minAmountCents;
  if (c.invoiceDisplayName) out.invoiceDisplayName = c.invoiceDisplayName;
  if (c.taxCodes?.length) out.taxCodes = [...c.taxCodes].sort();
  if (!isModel(c.chargeModel)) return { ...out, ...c };
  Object.assign(out, comparableProperties(fullProperties(c.chargeModel, c)));
  if (c.filters?.length)
    out.filters = c.filters
      .map((f) => ({
        values: Object.fromEntries(Object.keys(f.values ?? {}).sort().map((k) => [k, [...f.values[k]!].sort()])),
        properties: comparableProperties(fullProperties(c.chargeModel, f.properties ?? {})),
        ...(f.invoiceDisplayName ? { invoiceDisplayName: f.invoiceDisplayName } : {}),
      }))
      .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
  return out;
}

/** Charges keyed by code in comparable form. */
export const comparableCharges = (charges: readonly ChargeArgsLike[]): Record<string, Json> =>
  Object.fromEntries(withCodes(charges).map((c) => [c.code, comparableCharge(c)]));

// ---------------------------------------------------------------- fixed charges

/** A fixed charge in args form, as the program writes it or as Lago holds it. */
export interface FixedChargeArgsLike extends ChargeProperties {
  code?: string;
  addOn?: string;
  addOnCode?: string;
  chargeModel: FixedChargeModel;
  units?: DecimalInput;
  payInAdvance?: boolean;
  prorated?: boolean;
  invoiceDisplayName?: string | null;
  taxCodes?: string[];
  applyUnitsImmediately?: boolean;
}

/**
 * The code each fixed charge will carry: Lago names an unnamed one after its add-on, then `<add-on>_2`, …
 * (app/services/fixed_charges/generate_code_service.rb). Kept fixed charges are matched by it.
 */
export const withFixedCodes = <C extends FixedChargeArgsLike>(charges: readonly C[]): Array<C & { code: string }> => {
  const codes = codesAfter(charges, (c, i) => c.addOnCode ?? `fixed_charge_${i + 1}`);
  return charges.map((c, i) => ({ ...c, code: codes[i]! }));
};

/** Comparable form of a fixed charge. `applyUnitsImmediately` is an instruction for one write, never stored. */
function comparableFixedCharge(c: FixedChargeArgsLike): Json {
  const out: Json = { code: c.code, addOnCode: c.addOnCode, chargeModel: c.chargeModel, units: isDecimal(c.units) ? canonicalDecimal(c.units) : (c.units ?? "0") };
  if (c.payInAdvance === true) out.payInAdvance = true;
  if (c.prorated === true) out.prorated = true;
  if (c.invoiceDisplayName) out.invoiceDisplayName = c.invoiceDisplayName;
  if (c.taxCodes?.length) out.taxCodes = [...c.taxCodes].sort();
  if (isModel(c.chargeModel)) Object.assign(out, comparableProperties(fullProperties(c.chargeModel, c)));
  return out;
}

/** Fixed charges keyed by code in comparable form. */
export const comparableFixedCharges = (charges: readonly FixedChargeArgsLike[]): Record<string, Json> =>
  Object.fromEntries(withFixedCodes(charges).map((c) => [c.code, comparableFixedCharge(c)]));

// ---------------------------------------------------------------- request body

export interface WireContext {
  /** Metric lago_id per metric code (resolved at apply). */
  metricIds: ReadonlyMap<string, string>;
  /** Add-on lago_id per add-on code (resolved at apply). */
  addOnIds?: ReadonlyMap<string, string>;
  /** The plan as Lago holds it (update): kept charges are sent with their lago_id. */
  current?: LagoPlan;
}

/**
 * A fixed charge on the wire. A kept one (same code) goes with its lago_id and Lago updates it in place
 * (app/services/plans/update_service.rb process_fixed_charges); Lago then keeps its add-on, pay_in_advance and
 * prorated (app/services/fixed_charges/update_service.rb), which the kind catches at preview.
 */
function fixedChargeToWire(charge: FixedChargeArgsLike & { code: string }, ctx: WireContext): FixedChargeBody {
  const model = charge.chargeModel;
  const id = ctx.current?.fixed_charges?.find((c) => c.code === charge.code)?.lago_id;
  return {
    ...(id ? { id } : {}),
    add_on_id: charge.addOn ?? ctx.addOnIds?.get(charge.addOnCode ?? "") ?? "",
    code: charge.code,
    charge_model: model,
    // Lago's update sets units as given: left out would be nil, which its validation refuses.
    units: charge.units === undefined ? "0" : toDecimalString(charge.units),
    pay_in_advance: charge.payInAdvance ?? false,
    prorated: charge.prorated ?? false,
    invoice_display_name: charge.invoiceDisplayName ?? null,
    tax_codes: charge.taxCodes ?? [],
    properties: wireProperties(fullProperties(model, charge)),
    ...(charge.applyUnitsImmediately !== undefined ? { apply_units_immediately: charge.applyUnitsImmediately } : {}),
  };
}

function chargeToWire(charge: ChargeArgsLike & { code: string }, ctx: WireContext): ChargeBody {
  const model = charge.chargeModel;
  const id = ctx.current?.charges?.find((c) => c.code === charge.code)?.lago_id;
  return {
    ...(id ? { id } : {}),
    billable_metric_id: charge.billableMetric ?? ctx.metricIds.get(charge.billableMetricCode ?? "") ?? "",
    code: charge.code,
    charge_model: model,
    pay_in_advance: charge.payInAdvance ?? false,
    prorated: charge.prorated ?? false,
    invoiceable: charge.invoiceable ?? true,
    regroup_paid_fees: charge.regroupPaidFees ?? null,
    min_amount_cents: charge.minAmountCents ?? 0,
    invoice_display_name: charge.invoiceDisplayName ?? null,
    tax_codes: charge.taxCodes ?? [],
    properties: wireProperties(fullProperties(model, charge)),
    filters: (charge.filters ?? []).map((f) => ({
      values: f.values,
      properties: wireProperties(fullProperties(model, f.properties ?? {})),
      invoice_display_name: f.invoiceDisplayName ?? null,
    })),
  };
}

/**
 * The `plan` body for the arguments in `payload` (absent ones are not sent). `charges` present means
 * Lago reconciles the full list: kept charges go with their id, unlisted ones are deleted (§3.6).
 */
export function toWire(p: PlanManaged, ctx: WireContext): PlanBody {
  const body: PlanBody = {};
  if ("name" in p) body.name = p.name ?? undefined;
  if ("code" in p) body.code = p.code ?? undefined;
  if ("interval" in p) body.interval = p.interval ?? undefined;
  if ("amountCents" in p) body.amount_cents = p.amountCents ?? undefined;
  if ("amountCurrency" in p) body.amount_currency = p.amountCurrency ?? undefined;
  if ("payInAdvance" in p) body.pay_in_advance = p.payInAdvance ?? false;
  if ("trialPeriod" in p) body.trial_period = p.trialPeriod ?? null;
  if ("invoiceDisplayName" in p) body.invoice_display_name = p.invoiceDisplayName ?? null;
  if ("description" in p) body.description = p.description ?? null;
  if ("billChargesMonthly" in p) body.bill_charges_monthly = p.billChargesMonthly ?? null;
  if ("billFixedChargesMonthly" in p) body.bill_fixed_charges_monthly = p.billFixedChargesMonthly ?? null;
  // Lago's strong parameters drop a null metadata (plans_controller.rb permits `metadata: {}`): `{}` empties it.
  if ("metadata" in p) body.metadata = p.metadata ?? {};
  if ("taxCodes" in p) body.tax_codes = p.taxCodes ?? [];
  if ("minimumCommitment" in p) {
    const c = p.minimumCommitment;
    // `{}` deletes the commitment; null would leave it untouched (§3.6).
    body.minimum_commitment = c ? { amount_cents: c.amountCents, invoice_display_name: c.invoiceDisplayName ?? null, tax_codes: c.taxCodes ?? [] } : {};
  }
  if ("usageThresholds" in p)
    body.usage_thresholds = (p.usageThresholds ?? []).map((t) => ({ amount_cents: t.amountCents, threshold_display_name: t.thresholdDisplayName ?? null, recurring: t.recurring ?? false }));
  if ("charges" in p) body.charges = withCodes<ChargeArgsLike>(p.charges ?? []).map((c) => chargeToWire(c, ctx));
  if ("fixedCharges" in p) body.fixed_charges = withFixedCodes<FixedChargeArgsLike>(p.fixedCharges ?? []).map((c) => fixedChargeToWire(c, ctx));
  return body;
}

// ---------------------------------------------------------------- response → args / outputs

const codes = (taxes: Array<{ code: string }> | undefined) => (taxes ?? []).map((t) => t.code);

function chargeToArgs(c: LagoCharge): ChargeArgsLike & { code: string } {
  const model = c.charge_model;
  return {
    code: c.code ?? c.billable_metric_code, // Lago names a charge after its metric when given no code
    billableMetricCode: c.billable_metric_code,
    chargeModel: model,
    payInAdvance: c.pay_in_advance,
    prorated: c.prorated,
    invoiceable: c.invoiceable,
    ...(c.regroup_paid_fees ? { regroupPaidFees: c.regroup_paid_fees } : {}),
    minAmountCents: c.min_amount_cents,
    ...(c.invoice_display_name ? { invoiceDisplayName: c.invoice_display_name } : {}),
    taxCodes: codes(c.taxes),
    ...propertiesFromLago(model, c.properties),
    filters: (c.filters ?? []).map((f) => ({
      values: f.values,
      properties: propertiesFromLago(model, f.properties),
      ...(f.invoice_display_name ? { invoiceDisplayName: f.invoice_display_name } : {}),
    })),
  };
}

function fixedChargeToArgs(c: LagoFixedCharge): FixedChargeArgsLike & { code: string } {
  const model = c.charge_model;
  return {
    code: c.code,
    addOnCode: c.add_on_code,
    chargeModel: model,
    units: String(c.units),
    payInAdvance: c.pay_in_advance,
    prorated: c.prorated,
    ...(c.invoice_display_name ? { invoiceDisplayName: c.invoice_display_name } : {}),
    taxCodes: codes(c.taxes),
    ...propertiesFromLago(model, c.properties),
  };
}

export function toArgs(remote: LagoPlan): PlanManaged {
  const commitment = remote.minimum_commitment;
  return {
    name: remote.name,
    code: remote.code,
    interval: remote.interval,
    amountCents: remote.amount_cents,
    amountCurrency: remote.amount_currency,
    payInAdvance: remote.pay_in_advance,
    trialPeriod: remote.trial_period,
    invoiceDisplayName: remote.invoice_display_name,
    description: remote.description,
    billChargesMonthly: remote.bill_charges_monthly,
    billFixedChargesMonthly: remote.bill_fixed_charges_monthly,
    metadata: remote.metadata ?? null,
    taxCodes: codes(remote.taxes),
    minimumCommitment: commitment
      ? { amountCents: commitment.amount_cents, invoiceDisplayName: commitment.invoice_display_name, taxCodes: codes(commitment.taxes) }
      : null,
    usageThresholds: (remote.usage_thresholds ?? []).map((t) => ({
      amountCents: t.amount_cents,
      thresholdDisplayName: t.threshold_display_name,
      recurring: t.recurring,
    })),
    charges: (remote.charges ?? []).map(chargeToArgs),
    fixedCharges: (remote.fixed_charges ?? []).map(fixedChargeToArgs),
  };
}

/**
 * Computed outputs. When the program manages charges, they are Lago's charges with their `lagoId`
 * and metric `billableMetric` (lago_id), so a stack can reference a charge's id.
 */
export function outputs(remote: LagoPlan, args?: Args): Args {
  return {
    lagoId: remote.lago_id,
    createdAt: remote.created_at,
    pendingDeletion: remote.pending_deletion === true,
    ...(args && args.charges !== undefined && args.charges !== null
      ? { charges: (remote.charges ?? []).map((c) => ({ lagoId: c.lago_id, billableMetric: c.lago_billable_metric_id, ...chargeToArgs(c) })) }
      : {}),
    ...(args && args.fixedCharges !== undefined && args.fixedCharges !== null
      ? { fixedCharges: (remote.fixed_charges ?? []).map((c) => ({ lagoId: c.lago_id, addOn: c.lago_add_on_id, ...fixedChargeToArgs(c) })) }
      : {}),
  };
}

// ---------------------------------------------------------------- comparable form

/**
 * Comparable form of (partial) args: Lago's defaults dropped (false, 0-day trial, "", []), decimals in
 * one spelling, tax codes and thresholds as sorted sets, charges keyed by code with full properties.
 */
export function normalize(args: Args): Args {
  const out: Args = { ...args };
  const drop = (key: string, when: (v: unknown) => boolean) => {
    if (key in out && when(out[key])) delete out[key];
  };
  drop("payInAdvance", (v) => v === false);
  drop("billChargesMonthly", (v) => v === false);
  drop("billFixedChargesMonthly", (v) => v === false);
  drop("metadata", (v) => typeof v === "object" && v !== null && Object.keys(v).length === 0);
  // As [key, value] pairs: a key held with an empty (null) value is not the same as no key, which an object would hide.
  if (out.metadata && typeof out.metadata === "object" && !Array.isArray(out.metadata)) {
    const metadata = out.metadata as Record<string, unknown>;
    out.metadata = Object.keys(metadata)
      .sort()
      .map((key) => [key, metadata[key] ?? null]);
  }
  drop("trialPeriod", (v) => v === 0);
  drop("description", (v) => v === "");
  drop("invoiceDisplayName", (v) => v === "");
  if (Array.isArray(out.taxCodes)) out.taxCodes = [...(out.taxCodes as string[])].sort();
  drop("taxCodes", (v) => Array.isArray(v) && v.length === 0);
  const commitment = out.minimumCommitment as { amountCents: number; invoiceDisplayName?: string | null; taxCodes?: string[] } | null | undefined;
  if (commitment && typeof commitment === "object")
    out.minimumCommitment = {
      amountCents: commitment.amountCents,
      ...(commitment.invoiceDisplayName ? { invoiceDisplayName: commitment.invoiceDisplayName } : {}),
      ...(commitment.taxCodes?.length ? { taxCodes: [...commitment.taxCodes].sort() } : {}),
    };
  if (Array.isArray(out.usageThresholds)) {
    const thresholds = (out.usageThresholds as Array<{ amountCents: number; thresholdDisplayName?: string | null; recurring?: boolean }>)
      .map((t) => ({ amountCents: t.amountCents, ...(t.thresholdDisplayName ? { thresholdDisplayName: t.thresholdDisplayName } : {}), ...(t.recurring ? { recurring: true } : {}) }))
      .sort((a, b) => a.amountCents - b.amountCents);
    if (thresholds.length) out.usageThresholds = thresholds;
    else delete out.usageThresholds;
  }
  if (Array.isArray(out.charges)) {
    if (out.charges.length) out.charges = comparableCharges(out.charges as ChargeArgsLike[]);
    else delete out.charges;
  }
  if (Array.isArray(out.fixedCharges)) {
    if (out.fixedCharges.length) out.fixedCharges = comparableFixedCharges(out.fixedCharges as FixedChargeArgsLike[]);
    else delete out.fixedCharges;
  }
  return out;
}
