// A subscription's plan overrides (lago-api.md §5.5, premium): the plan's price, texts, taxes, commitment, thresholds
// and its charges' prices for this one subscription. Validated with the Plan kind's own pieces. Lago keeps the
// overrides as a child plan billed instead of the plan (app/services/plans/override_service.rb), which the
// subscription's answer embeds (app/serializers/v1/subscription_serializer.rb): read back and compared through it.
// Its fixed charges are not embedded: the kind reads them through GET /subscriptions/{external_id}/fixed_charges.
import { z } from "zod";
import { ALWAYS_RUN, identifierArg, known } from "../../schema";
import type { Wire } from "../../contract";
import { LagoProviderError } from "../../errors";
import { CHARGE_MODELS, chargeFilter, commonChargeFields, FIXED_CHARGE_MODELS, fixedChargeSchema, modelProperties, planShape, propertyRules, strict, type ChargeModel, type FixedChargeModel } from "../plan/schema";
import { comparableProperties, fullProperties, normalize as planNormalize, toArgs as planArgs, wireProperties, type ChargeArgsLike, type FixedChargeArgsLike, type LagoPlan } from "../plan/payload";
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";

// ---------------------------------------------------------------- schema

/** Which charge of the plan an override is for: its code, or its metric when the plan charges that metric once. */
const chargeIdentity = { code: commonChargeFields.code, billableMetricCode: commonChargeFields.billableMetricCode };
/** What Lago's override changes on a charge besides its properties (app/services/charges/override_service.rb). */
const chargeFields = {
  invoiceDisplayName: commonChargeFields.invoiceDisplayName,
  minAmountCents: commonChargeFields.minAmountCents,
  taxCodes: commonChargeFields.taxCodes,
};

function identityRule(charge: { code?: unknown; billableMetricCode?: unknown }, ctx: z.RefinementCtx) {
  if (charge.code === undefined && charge.billableMetricCode === undefined)
    ctx.addIssue({ code: "custom", path: ["code"], message: "is required: name the plan's charge by code (its charge code) or billableMetricCode" });
}

/** The properties given override the plan charge's, key by key; ranges replace the whole list. */
const chargeOverrideOf = <M extends ChargeModel>(model: M) =>
  strict(
    {
      chargeModel: z.literal(model),
      ...chargeIdentity,
      ...chargeFields,
      ...z.object(modelProperties[model]).partial().shape,
      filters: z.array(chargeFilter(model), { error: "must be a list of filters" }).optional(),
    },
    `to a ${model} charge override (it overrides properties, filters, minAmountCents, invoiceDisplayName and taxCodes)`,
  ).superRefine((charge, ctx) => {
    identityRule(charge, ctx);
    propertyRules(charge as Record<string, unknown>, ctx);
  }, ALWAYS_RUN);

const chargeOverrideWithoutModel = strict(
  { chargeModel: z.undefined().optional(), ...chargeIdentity, ...chargeFields },
  "to a charge override without chargeModel (give the plan charge's chargeModel to override its properties or filters)",
).superRefine(identityRule, ALWAYS_RUN);

export const chargeOverrideSchema = z.discriminatedUnion(
  "chargeModel",
  [
    chargeOverrideOf("standard"),
    chargeOverrideOf("graduated"),
    chargeOverrideOf("volume"),
    chargeOverrideOf("package"),
    chargeOverrideOf("percentage"),
    chargeOverrideOf("graduated_percentage"),
    chargeOverrideOf("dynamic"),
    chargeOverrideWithoutModel,
  ],
  { error: `must be the plan charge's model, one of ${CHARGE_MODELS.join(", ")} (Lago never changes a charge's model in an override), or left out` },
);

/** The plan's fixed-charge fields an override takes (app/controllers/api/v1/subscriptions_controller.rb permits them). */
const planFixedCharge = fixedChargeSchema.options[0].shape;
const fixedChargeFields = {
  code: identifierArg("the code of the plan's fixed charge this overrides"),
  units: planFixedCharge.units,
  invoiceDisplayName: planFixedCharge.invoiceDisplayName,
  taxCodes: planFixedCharge.taxCodes,
  applyUnitsImmediately: planFixedCharge.applyUnitsImmediately,
};

/** A fixed-charge override names the plan's fixed charge by code; properties given replace those keys only. */
const fixedChargeOverrideOf = <M extends FixedChargeModel>(model: M) =>
  strict(
    { chargeModel: z.literal(model), ...fixedChargeFields, ...z.object(modelProperties[model]).partial().shape },
    `to a ${model} fixed charge override (it overrides units, properties, invoiceDisplayName, taxCodes and applyUnitsImmediately)`,
  ).superRefine((charge, ctx) => propertyRules(charge as Record<string, unknown>, ctx), ALWAYS_RUN);

export const fixedChargeOverrideSchema = z.discriminatedUnion(
  "chargeModel",
  [
    fixedChargeOverrideOf("standard"),
    fixedChargeOverrideOf("graduated"),
    fixedChargeOverrideOf("volume"),
    strict({ chargeModel: z.undefined().optional(), ...fixedChargeFields }, "to a fixed charge override without chargeModel (give the plan fixed charge's chargeModel to override its properties)"),
  ],
  { error: `must be the plan fixed charge's model, one of ${FIXED_CHARGE_MODELS.join(", ")} (Lago never changes it in an override), or left out` },
);

export const planOverridesSchema = strict(
  {
    amountCents: planShape.amountCents.optional(),
    amountCurrency: planShape.amountCurrency.optional(),
    name: planShape.name.optional(),
    invoiceDisplayName: planShape.invoiceDisplayName,
    description: planShape.description,
    trialPeriod: planShape.trialPeriod,
    taxCodes: planShape.taxCodes,
    minimumCommitment: planShape.minimumCommitment,
    usageThresholds: planShape.usageThresholds,
    charges: z.array(chargeOverrideSchema, { error: "must be a list of charge overrides" }).optional(),
    fixedCharges: z.array(fixedChargeOverrideSchema, { error: "must be a list of fixed charge overrides" }).optional(),
  },
  "to plan overrides",
).superRefine((overrides, ctx) => {
  const codes = new Map<string, number>();
  (Array.isArray(overrides.fixedCharges) ? overrides.fixedCharges : []).forEach((charge, i) => {
    const code = charge?.code;
    if (typeof code !== "string" || !known(code)) return;
    const first = codes.get(code);
    if (first === undefined) codes.set(code, i);
    else ctx.addIssue({ code: "custom", path: ["fixedCharges", i, "code"], message: `overrides the same fixed charge as fixedCharges[${first}]: merge them` });
  });
  const seen = new Map<string, number>();
  (Array.isArray(overrides.charges) ? overrides.charges : []).forEach((charge, i) => {
    const key = overrideKey(charge ?? {});
    if (!key || !known(key)) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else ctx.addIssue({ code: "custom", path: ["charges", i, charge?.code !== undefined ? "code" : "billableMetricCode"], message: `overrides the same charge as charges[${first}]: merge them` });
  });
}, ALWAYS_RUN);

export type PlanOverridesArgs = z.infer<typeof planOverridesSchema>;
export type ChargeOverrideArgs = z.infer<typeof chargeOverrideSchema>;

/** A fixed-charge override in the one shape that holds any model's (properties by name). */
export interface FixedChargeOverrideLike extends Record<string, unknown> {
  code: string;
  chargeModel?: FixedChargeModel;
  units?: string | number;
  invoiceDisplayName?: string | null;
  taxCodes?: string[];
  applyUnitsImmediately?: boolean;
}

// ---------------------------------------------------------------- which plan charge an override is for

/** A charge override in the one shape that holds any model's (properties by name). */
export interface ChargeOverrideLike extends Record<string, unknown> {
  code?: string;
  billableMetricCode?: string;
  chargeModel?: ChargeModel;
  invoiceDisplayName?: string | null;
  minAmountCents?: number;
  taxCodes?: string[];
  filters?: Array<{ values: Record<string, string[]>; properties?: Record<string, unknown>; invoiceDisplayName?: string | null }>;
}

/** The key two overrides of the same charge share. */
export const overrideKey = (charge: { code?: unknown; billableMetricCode?: unknown }): string | undefined =>
  typeof charge.code === "string" ? `code:${charge.code}` : typeof charge.billableMetricCode === "string" ? `metric:${charge.billableMetricCode}` : undefined;

/** What an override needs to know of a plan charge. */
export interface PlanChargeRef {
  code: string;
  billableMetricCode: string;
  chargeModel: string;
}

/** The plan charge an override names, or why none fits (the message reads after the override's path). */
export function chargeFor<C extends PlanChargeRef>(override: ChargeOverrideLike, charges: readonly C[], planCode: string): { charge: C } | { path: string; problem: string } {
  const codes = charges.map((c) => c.code).join(", ") || "none";
  if (override.code !== undefined) {
    const charge = charges.find((c) => c.code === override.code);
    if (!charge) return { path: "code", problem: `"${override.code}" is not a charge of plan "${planCode}" (its charges: ${codes}): use one of its charge codes` };
    if (override.billableMetricCode !== undefined && override.billableMetricCode !== charge.billableMetricCode)
      return { path: "billableMetricCode", problem: `"${override.billableMetricCode}" is not the metric of charge "${charge.code}" (it charges "${charge.billableMetricCode}"): drop it or fix it` };
    return modelCheck(override, charge);
  }
  const matching = charges.filter((c) => c.billableMetricCode === override.billableMetricCode);
  if (!matching.length)
    return { path: "billableMetricCode", problem: `plan "${planCode}" has no charge for metric "${override.billableMetricCode}" (its charges: ${codes}): override one of its charges` };
  if (matching.length > 1)
    return { path: "billableMetricCode", problem: `plan "${planCode}" charges metric "${override.billableMetricCode}" ${matching.length} times (${matching.map((c) => c.code).join(", ")}): name the charge by code` };
  return modelCheck(override, matching[0]!);
}

function modelCheck<C extends PlanChargeRef>(override: ChargeOverrideLike, charge: C): { charge: C } | { path: string; problem: string } {
  if (override.chargeModel !== undefined && override.chargeModel !== charge.chargeModel)
    return {
      path: "chargeModel",
      problem: `must be "${charge.chargeModel}", the model of charge "${charge.code}": Lago never changes a charge's model in an override (change the plan, or subscribe to another plan)`,
    };
  return { charge };
}

/** The plan fixed charge an override names, or why none fits (the message reads after the override's path). */
export function fixedChargeFor<C extends { code: string; chargeModel: string }>(override: { code?: unknown; chargeModel?: unknown }, charges: readonly C[], planCode: string): { charge: C } | { path: string; problem: string } {
  const charge = charges.find((c) => c.code === override.code);
  if (!charge)
    return { path: "code", problem: `"${String(override.code)}" is not a fixed charge of plan "${planCode}" (its fixed charges: ${charges.map((c) => c.code).join(", ") || "none"}): use one of its fixed charge codes` };
  if (override.chargeModel !== undefined && override.chargeModel !== charge.chargeModel)
    return { path: "chargeModel", problem: `must be "${charge.chargeModel}", the model of fixed charge "${charge.code}": Lago never changes it in an override (change the plan)` };
  return { charge };
}

/** Every override that names no charge or fixed charge of the plan, as [path under planOverrides, message]. */
export function overrideProblems(
  overrides: { charges?: readonly ChargeOverrideLike[]; fixedCharges?: readonly { code?: unknown; chargeModel?: unknown }[] } | undefined,
  charges: readonly PlanChargeRef[],
  planCode: string,
  fixedCharges?: readonly { code: string; chargeModel: string }[],
): Array<[Array<string | number>, string]> {
  const problems: Array<[Array<string | number>, string]> = [];
  (overrides?.charges ?? []).forEach((override, i) => {
    const found = chargeFor(override, charges, planCode);
    if ("problem" in found) problems.push([["charges", i, found.path], found.problem]);
  });
  if (fixedCharges)
    (overrides?.fixedCharges ?? []).forEach((override, i) => {
      const found = fixedChargeFor(override, fixedCharges, planCode);
      if ("problem" in found) problems.push([["fixedCharges", i, found.path], found.problem]);
    });
  return problems;
}

// ---------------------------------------------------------------- the plan billed, as overrides

/** The billed plan's values in the overrides' shape: every field and every charge (with its properties by name). */
export function overridesFromPlan(plan: LagoPlan): HeldOverrides {
  const held = planArgs(plan);
  return {
    amountCents: held.amountCents ?? undefined,
    amountCurrency: held.amountCurrency ?? undefined,
    name: held.name ?? undefined,
    invoiceDisplayName: held.invoiceDisplayName ?? null,
    description: held.description ?? null,
    trialPeriod: held.trialPeriod ?? 0,
    taxCodes: held.taxCodes ?? [],
    minimumCommitment: held.minimumCommitment ?? null,
    usageThresholds: held.usageThresholds ?? [],
    charges: (held.charges ?? []).map((c) => {
      const { payInAdvance: _a, prorated: _p, invoiceable: _i, regroupPaidFees: _r, billableMetric: _m, pricingGroupKeys: _g, ...charge } = c;
      return charge as ChargeOverrideLike & PlanChargeRef;
    }),
    fixedCharges: ((held.fixedCharges ?? []) as Array<FixedChargeArgsLike & { code: string }>).map((c) => {
      const { payInAdvance: _a, prorated: _p, addOnCode: _o, addOn: _i, ...charge } = c;
      return charge as FixedChargeOverrideLike & { chargeModel: FixedChargeModel };
    }),
  };
}

export type HeldOverrides = Record<string, unknown> & { charges: Array<ChargeOverrideLike & PlanChargeRef>; fixedCharges?: Array<FixedChargeOverrideLike & { chargeModel: FixedChargeModel }> };
type OverridesLike = Record<string, unknown> & { charges?: ChargeOverrideLike[] | null; fixedCharges?: FixedChargeOverrideLike[] | null };

/** The plan charge an override names, whatever the models (projection shows a wrong model as Lago's). */
function findCharge<C extends PlanChargeRef>(override: ChargeOverrideLike, charges: readonly C[]): C | undefined {
  if (override.code !== undefined) return charges.find((c) => c.code === override.code);
  const matching = charges.filter((c) => c.billableMetricCode === override.billableMetricCode);
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * What Lago holds of what the program asks: the fields the overrides name, each charge override's fields from the
 * charge it names. The rest of the billed plan is not managed by the overrides, so it never shows as a difference.
 */
export function projectOverrides(held: HeldOverrides, asked: OverridesLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(asked)) if (key !== "charges" && key !== "fixedCharges" && asked[key] !== undefined) out[key] = held[key] ?? null;
  if (Array.isArray(asked.fixedCharges))
    out.fixedCharges = asked.fixedCharges.map((wanted) => {
      const charge = (held.fixedCharges ?? []).find((c) => c.code === wanted.code);
      if (!charge) return { code: wanted.code, chargeModel: "(no such fixed charge)" };
      const projected: Record<string, unknown> = { code: wanted.code };
      // applyUnitsImmediately is an instruction for one write, never held: echoed, never compared.
      for (const key of Object.keys(wanted))
        if (!(key in projected) && wanted[key] !== undefined) projected[key] = key === "applyUnitsImmediately" ? wanted[key] : ((charge as Record<string, unknown>)[key] ?? null);
      return projected;
    });
  if (Array.isArray(asked.charges))
    out.charges = asked.charges.map((wanted) => {
      const charge = findCharge(wanted, held.charges);
      const projected: Record<string, unknown> = {};
      if (wanted.code !== undefined) projected.code = wanted.code;
      if (wanted.billableMetricCode !== undefined) projected.billableMetricCode = charge ? charge.billableMetricCode : null;
      if (!charge) return { ...projected, chargeModel: "(no such charge)" };
      for (const key of Object.keys(wanted)) if (!(key in projected) && wanted[key] !== undefined) projected[key] = (charge as Record<string, unknown>)[key] ?? null;
      return projected;
    });
  return out;
}

// ---------------------------------------------------------------- comparable form

const PLAN_LEVEL_DEFAULTS: Record<string, unknown> = { invoiceDisplayName: "", description: "" };

/** Comparable form: Lago's defaults dropped, decimals in one spelling, taxes and thresholds as sets, charges keyed. */
export function comparableOverrides(overrides: OverridesLike): Record<string, unknown> {
  const { charges, fixedCharges, ...rest } = overrides;
  for (const [key, empty] of Object.entries(PLAN_LEVEL_DEFAULTS)) if (rest[key] === null) rest[key] = empty;
  if (rest.trialPeriod === null) rest.trialPeriod = 0;
  if (rest.minimumCommitment === undefined) delete rest.minimumCommitment;
  const out: Record<string, unknown> = planNormalize(rest);
  if (Array.isArray(charges) && charges.length)
    out.charges = Object.fromEntries(charges.map((c, i) => [overrideKey(c) ?? `#${i}`, comparableChargeOverride(c)]));
  if (Array.isArray(fixedCharges) && fixedCharges.length) out.fixedCharges = Object.fromEntries(fixedCharges.map((c) => [c.code, comparableFixedChargeOverride(c)]));
  return out;
}

/** Units in one spelling, taxes as a set, the properties given only; applyUnitsImmediately is never compared. */
const comparableFixedChargeOverride = (c: FixedChargeOverrideLike) => comparableOverride(c, (key, value) => (key === "units" && isDecimal(value) ? canonicalDecimal(value) : value), ["applyUnitsImmediately"]);

const comparableChargeOverride = (c: ChargeOverrideLike) =>
  comparableOverride(c, (key, value) => (key === "filters" && c.chargeModel ? comparableFilters(c.chargeModel, c.filters ?? []) : value));

/**
 * A charge or fixed-charge override as compared: display name blank for none, taxes as a set, the properties the
 * override gives (of its model) only; `own` spells the kind's other fields, `ignored` are never compared.
 */
function comparableOverride<C extends { chargeModel?: ChargeModel | null } & Record<string, unknown>>(
  c: C,
  own: (key: string, value: unknown) => unknown,
  ignored: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const model = c.chargeModel;
  const propertyKeys = model && model in modelProperties ? Object.keys(modelProperties[model]) : [];
  for (const [key, value] of Object.entries(c)) {
    if (value === undefined || ignored.includes(key) || propertyKeys.includes(key)) continue;
    if (key === "invoiceDisplayName") out[key] = value ?? "";
    else if (key === "taxCodes") out[key] = Array.isArray(value) ? [...(value as string[])].sort() : value;
    else out[key] = own(key, value);
  }
  const given = propertyKeys.filter((k) => c[k] !== undefined && c[k] !== null);
  if (model && given.length) {
    const full = fullProperties(model, c);
    out.properties = comparableProperties(Object.fromEntries(given.map((k) => [k, full[k]])));
  }
  return out;
}

function comparableFilters(model: ChargeModel, filters: NonNullable<ChargeOverrideLike["filters"]>): unknown {
  return filters
    .map((f) => ({
      values: Object.fromEntries(Object.keys(f.values ?? {}).sort().map((k) => [k, [...f.values[k]!].sort()])),
      properties: comparableProperties(fullProperties(model, f.properties ?? {})),
      ...(f.invoiceDisplayName ? { invoiceDisplayName: f.invoiceDisplayName } : {}),
    }))
    .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
}

// ---------------------------------------------------------------- the wire body

export type PlanOverridesBody = Wire["PlanOverridesObject"];
type ChargeOverrideBody = NonNullable<PlanOverridesBody["charges"]>[number];
type FixedChargeOverrideBody = NonNullable<PlanOverridesBody["fixed_charges"]>[number];

/**
 * The plan_overrides body making the billed plan `plan` with these overrides. Lago's first override copies the plan
 * into a child but not its taxes, commitment, thresholds nor its charges' taxes (app/services/plans/override_service.rb
 * `plan.dup`): they are sent from the plan unless overridden. A later override updates that child like a plan
 * (app/services/plans/update_service.rb): charges by the child's ids, every one of them (an unlisted one is deleted),
 * with full properties; and a field no longer overridden goes back to the plan's value.
 */
export function overridesBody(overrides: OverridesLike, plan: LagoPlan, billed: LagoPlan | undefined, identify: string): PlanOverridesBody {
  const child = billed && billed.parent_id === plan.lago_id ? billed : undefined;
  const base = planArgs(plan);
  const pick = <T>(key: string, fallback: T): T => (overrides[key] !== undefined && overrides[key] !== null ? (overrides[key] as T) : fallback);
  const body: PlanOverridesBody = {
    amount_cents: pick("amountCents", plan.amount_cents),
    amount_currency: pick("amountCurrency", plan.amount_currency),
    name: pick("name", plan.name),
    invoice_display_name: pick<string | null | undefined>("invoiceDisplayName", plan.invoice_display_name) ?? "",
    description: pick<string | null | undefined>("description", plan.description) ?? "",
    trial_period: pick<number | null | undefined>("trialPeriod", plan.trial_period) ?? 0,
    tax_codes: pick("taxCodes", base.taxCodes ?? []),
  };
  type Commitment = { amountCents: number; invoiceDisplayName?: string | null; taxCodes?: string[] };
  const commitment = pick<Commitment | null | undefined>("minimumCommitment", base.minimumCommitment);
  if (commitment)
    body.minimum_commitment = {
      amount_cents: commitment.amountCents,
      ...(commitment.invoiceDisplayName ? { invoice_display_name: commitment.invoiceDisplayName } : {}),
      tax_codes: commitment.taxCodes ?? [],
    };
  else if (child?.minimum_commitment) body.minimum_commitment = {};
  const thresholds = pick("usageThresholds", base.usageThresholds ?? []);
  if (thresholds.length || (child?.usage_thresholds ?? []).length)
    body.usage_thresholds = thresholds.map((t) => ({ amount_cents: t.amountCents, ...(t.thresholdDisplayName ? { threshold_display_name: t.thresholdDisplayName } : {}), recurring: t.recurring ?? false }));

  const planCharges = (base.charges ?? []) as Array<ChargeArgsLike & PlanChargeRef>;
  const byCode = new Map<string, ChargeOverrideLike>();
  (overrides.charges ?? []).forEach((override, i) => {
    const found = chargeFor(override, planCharges, plan.code);
    if ("problem" in found) throw new LagoProviderError(`${identify}: planOverrides.charges[${i}].${found.path} ${found.problem}`);
    byCode.set(found.charge.code, override);
  });
  const kept = child ? (planArgs(child).charges ?? []) : planCharges;
  const ids = new Map((child ?? plan).charges?.map((c) => [c.code ?? c.billable_metric_code, c.lago_id]) ?? []);
  body.charges = kept.map((charge): ChargeOverrideBody => {
    const code = charge.code ?? charge.billableMetricCode ?? "";
    const source = planCharges.find((c) => c.code === code) ?? charge;
    const override = byCode.get(code) ?? {};
    const model = source.chargeModel;
    const given = Object.fromEntries(Object.keys(modelProperties[model] ?? {}).filter((k) => override[k] !== undefined).map((k) => [k, override[k]]));
    const filters = override.filters ?? source.filters ?? [];
    const displayName = override.invoiceDisplayName !== undefined ? override.invoiceDisplayName : source.invoiceDisplayName;
    return {
      id: ids.get(code),
      charge_model: model,
      ...(displayName ? { invoice_display_name: displayName } : {}),
      min_amount_cents: override.minAmountCents ?? source.minAmountCents ?? 0,
      properties: wireProperties(fullProperties(model, { ...source, ...given })),
      filters: filters.map((f) => ({ values: f.values, properties: wireProperties(fullProperties(model, f.properties ?? {})), invoice_display_name: f.invoiceDisplayName ?? null })),
      tax_codes: override.taxCodes ?? source.taxCodes ?? [],
    };
  });
  body.fixed_charges = fixedChargesBody(overrides, plan, child, identify);
  return body;
}

/**
 * Every fixed charge of the plan billed, by the plan's ids on the first override and the child's later ones (Lago
 * lays each entry over the child's fixed charge: subscriptions/update_service.rb plan_update_params_with_full_fixed_charges),
 * with the override's values or the plan's: the first copy drops the taxes (`fixed_charge.dup`), and a value no
 * longer overridden goes back to the plan's.
 */
function fixedChargesBody(overrides: OverridesLike, plan: LagoPlan, child: LagoPlan | undefined, identify: string): FixedChargeOverrideBody[] {
  const planFixed = (planArgs(plan).fixedCharges ?? []) as Array<FixedChargeArgsLike & { code: string }>;
  const byCode = new Map<string, FixedChargeOverrideLike>();
  (overrides.fixedCharges ?? []).forEach((override, i) => {
    const found = fixedChargeFor(override, planFixed, plan.code);
    if ("problem" in found) throw new LagoProviderError(`${identify}: planOverrides.fixedCharges[${i}].${found.path} ${found.problem}`);
    byCode.set(found.charge.code, override);
  });
  const billed = child ? ((planArgs(child).fixedCharges ?? []) as Array<FixedChargeArgsLike & { code: string }>) : planFixed;
  const ids = new Map(((child ?? plan).fixed_charges ?? []).map((c) => [c.code, c.lago_id]));
  return billed.map((charge): FixedChargeOverrideBody => {
    const source = planFixed.find((c) => c.code === charge.code) ?? charge;
    const override = byCode.get(charge.code) ?? ({} as Partial<FixedChargeOverrideLike>);
    const model = source.chargeModel;
    const given = Object.fromEntries(Object.keys(modelProperties[model] ?? {}).filter((k) => override[k] !== undefined).map((k) => [k, override[k]]));
    const units = override.units ?? source.units ?? "0";
    return {
      id: ids.get(charge.code),
      units: canonicalDecimal(toDecimalString(units)),
      invoice_display_name: (override.invoiceDisplayName !== undefined ? override.invoiceDisplayName : source.invoiceDisplayName) ?? null,
      properties: wireProperties(fullProperties(model, { ...source, ...given })) as Record<string, unknown>,
      tax_codes: override.taxCodes ?? source.taxCodes ?? [],
      ...(override.applyUnitsImmediately !== undefined ? { apply_units_immediately: override.applyUnitsImmediately } : {}),
    };
  });
}

// ---------------------------------------------------------------- what Lago did not apply, and why

/** Paths (`amountCurrency`, `charges[mtu].minAmountCents`) where the plan billed differs from the overrides asked. */
export function overrideDifferences(asked: OverridesLike, held: HeldOverrides): string[] {
  const want = comparableOverrides(asked);
  const have = comparableOverrides(projectOverrides(held, asked));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const paths: string[] = [];
  for (const key of Object.keys(want)) {
    if (key === "fixedCharges") {
      const haveFixed = (have.fixedCharges ?? {}) as Record<string, Record<string, unknown>>;
      for (const [code, charge] of Object.entries(want.fixedCharges as Record<string, Record<string, unknown>>))
        for (const field of Object.keys(charge)) if (!same(charge[field], haveFixed[code]?.[field])) paths.push(`fixedCharges[${code}].${field}`);
      continue;
    }
    if (key !== "charges") {
      if (!same(want[key], have[key])) paths.push(key);
      continue;
    }
    const wantCharges = want.charges as Record<string, Record<string, unknown>>;
    const haveCharges = (have.charges ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, charge] of Object.entries(wantCharges)) {
      const label = key.replace(/^(code|metric):/, "");
      for (const field of Object.keys(charge)) if (!same(charge[field], haveCharges[key]?.[field])) paths.push(`charges[${label}].${field}`);
    }
  }
  return paths;
}

/** Fields of an overridden plan Lago keeps: its update of a plan attached to a subscription leaves them (app/services/plans/update_service.rb, charges/update_service.rb). */
const KEPT_ONCE_OVERRIDDEN = /^(amountCurrency|trialPeriod|charges\[.+\]\.minAmountCents)$/;

/** Is the path one Lago keeps once the subscription's plan is overridden? */
export const keptOnceOverridden = (path: string): boolean => KEPT_ONCE_OVERRIDDEN.test(path);

/** Why Lago kept its own value at an overrides path. */
export function overrideIgnoredReason(path: string, overridden: boolean): string {
  if (overridden && KEPT_ONCE_OVERRIDDEN.test(path))
    return "Lago keeps it once the subscription's plan is overridden (its overridden plan is attached to the subscription); to change it, change the plan, or end this subscription and start another with it";
  if (path === "usageThresholds") return "Lago applies overridden usage thresholds only with a premium licence and progressive billing";
  if (path === "minimumCommitment") return "Lago applies an overridden minimum commitment only with a premium licence";
  if (/^fixedCharges\[/.test(path)) return "Lago's first override drops a fixed charge override it cannot save (app/services/fixed_charges/override_service.rb; plans/override_service.rb ignores its result): check its units and properties";
  if (/^charges\[/.test(path)) return "Lago's first override drops a charge override it cannot save (app/services/plans/override_service.rb ignores its result): check the properties against the charge model";
  return "Lago kept its previous value";
}
