// Plan arguments (lago-api.md §3.2–3.4) as one zod schema. Lago's own rules live here as
// refinements, so `check` refuses at preview what Lago would refuse, or silently drop, at apply.
// Messages read after the property path and say how to fix the input.
import Decimal from "decimal.js";
import { z } from "zod";
import { isDecimal } from "../../decimal";
import { ALWAYS_RUN, decimalArg, identifierArg, known, providerOptions } from "../../schema";
import { isLagoCurrency } from "../../currencies";
import { rangeBoundProblems, type RangeStyle } from "./ranges";

export const INTERVALS = ["weekly", "monthly", "quarterly", "semiannual", "yearly"] as const;
export const CHARGE_MODELS = ["standard", "graduated", "volume", "package", "percentage", "graduated_percentage", "dynamic"] as const;
export type ChargeModel = (typeof CHARGE_MODELS)[number];

/** Only these intervals keep `bill_charges_monthly`; Lago forces it to null for the others (§3.2). */
export const MONTHLY_BILLING_INTERVALS: readonly string[] = ["yearly", "semiannual"];

// ---------------------------------------------------------------- leaves

const price = () => decimalArg();
const optionalPrice = () => decimalArg().optional();

const wholeNumber = (what: string) =>
  z.number({ error: `must be ${what}` }).refine((n) => Number.isSafeInteger(n), { message: `must be ${what}` });

const cents = (min: 0 | 1) =>
  wholeNumber(min === 0 ? "a whole number of cents, 0 or more (12000 is 120.00)" : "a whole number of cents above 0 (12000 is 120.00)").refine(
    (n) => n >= min,
    { message: min === 0 ? "must not be negative" : "must be greater than 0" },
  );

const flag = () => z.boolean({ error: "must be true or false" });
const text = z.string({ error: "must be a string" }).nullish();
const nonBlank = (what: string) => z.string({ error: `must be a string` }).trim().min(1, { message: `is required: ${what}` });
const taxCodes = z.array(identifierArg("a Lago tax code"), { error: "must be a list of tax codes" });

const bound = z.number({ error: "must be a number" }).refine((n) => Number.isFinite(n) && n >= 0, { message: "must be a number, 0 or more" });

/** Unknown keys would be dropped silently by Lago (§3.3): refuse them and say where they do not fit. */
export const strict = <T extends z.core.$ZodLooseShape>(shape: T, where: string) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply ${where}` : undefined),
  });

// ---------------------------------------------------------------- ranges

function tieredRanges<T extends z.core.$ZodLooseShape>(shape: T, style: RangeStyle, model: string) {
  return z
    .array(strict({ fromValue: bound, toValue: bound.nullable(), ...shape }, `to a ${model} range`), { error: `must be a list of ranges` })
    .min(1, { message: `must list at least one range, e.g. [{ fromValue: 0, toValue: null, ... }]` })
    .superRefine((ranges, ctx) => {
      // Bounds are checked as soon as they are all readable, even if a price next to them is wrong.
      if (!Array.isArray(ranges)) return; // missing or not a list: reported by the array check
      const bounds = ranges as Array<{ fromValue?: unknown; toValue?: unknown } | undefined>;
      const readable = bounds.every((r) => typeof r?.fromValue === "number" && (typeof r.toValue === "number" || r.toValue === null));
      if (!readable) return;
      for (const p of rangeBoundProblems(bounds as Array<{ fromValue: number; toValue: number | null }>, style))
        ctx.addIssue({ code: "custom", path: [p.index, p.field], message: p.message });
    }, ALWAYS_RUN);
}

export const graduatedRanges = tieredRanges({ perUnitAmount: price(), flatAmount: optionalPrice() }, "graduated", "graduated");
const volumeRanges = tieredRanges({ perUnitAmount: price(), flatAmount: optionalPrice() }, "volume", "volume");
export const graduatedPercentageRanges = tieredRanges(
  { rate: price(), fixedAmount: optionalPrice(), flatAmount: optionalPrice() },
  "graduated",
  "graduated_percentage",
);

// ---------------------------------------------------------------- charge properties per model

/** Typed properties of each charge model (§3.3 allowed keys, camelCase). */
export const modelProperties = {
  standard: { amount: optionalPrice() },
  graduated: { graduatedRanges },
  volume: { volumeRanges },
  package: {
    amount: price(),
    packageSize: wholeNumber("a whole number of units").refine((n) => n > 0, { message: "must be greater than 0" }),
    freeUnits: wholeNumber("a whole number of units").refine((n) => n >= 0, { message: "must not be negative" }).optional(),
  },
  percentage: {
    rate: price(),
    fixedAmount: optionalPrice(),
    freeUnitsPerEvents: wholeNumber("a whole number of events").refine((n) => n > 0, { message: "must be greater than 0 (omit it for none)" }).optional(),
    freeUnitsPerTotalAggregation: optionalPrice(),
    perTransactionMinAmount: optionalPrice(),
    perTransactionMaxAmount: optionalPrice(),
  },
  graduated_percentage: { graduatedPercentageRanges },
  dynamic: {},
} as const satisfies Record<ChargeModel, z.core.$ZodLooseShape>;

/** Cross-field rules inside one set of properties (a charge's or a filter's). */
export function propertyRules(props: Record<string, unknown>, ctx: z.RefinementCtx) {
  const min = props.perTransactionMinAmount;
  const max = props.perTransactionMaxAmount;
  if (known(min) && known(max) && isDecimal(min) && isDecimal(max) && new Decimal(min).gt(max)) {
    ctx.addIssue({ code: "custom", path: ["perTransactionMaxAmount"], message: `must not be lower than perTransactionMinAmount (${String(min)})` });
  }
}

const filterValues = z
  .record(z.string().min(1, { message: "filter keys must not be empty" }), z.array(nonBlank("a filter value"), { error: "must be a list of values" }).min(1, { message: "must list at least one value" }), {
    error: "must map metric filter keys to lists of values, e.g. { region: [\"eu\"] }",
  })
  .refine((values) => Object.keys(values).length > 0, { message: "must name at least one metric filter key" });

export const chargeFilter = <M extends ChargeModel>(model: M) =>
  strict(
    {
      values: filterValues,
      properties: strict(modelProperties[model], `to ${model} filter properties`)
        .superRefine((props, ctx) => propertyRules(props, ctx), ALWAYS_RUN)
        .optional(),
      invoiceDisplayName: text,
    },
    "to a charge filter",
  );

// ---------------------------------------------------------------- charges

export const commonChargeFields = {
  /** A BillableMetric resource's lagoId; the resource class passes it together with its code. */
  billableMetric: nonBlank("a billable metric lago_id").optional(),
  billableMetricCode: identifierArg("the code of the metric charged").optional(),
  code: identifierArg("the charge's code, unique in the plan").optional(),
  invoiceDisplayName: text,
  payInAdvance: flag().optional(),
  prorated: flag().optional(),
  invoiceable: flag().optional(),
  /** "invoice": the fees of a pay-in-advance, non-invoiceable charge are grouped on the period's invoice. */
  regroupPaidFees: z.literal("invoice", { error: 'must be "invoice" (or left out)' }).optional(),
  minAmountCents: cents(0).optional(),
  taxCodes: taxCodes.optional(),
  pricingGroupKeys: z.array(nonBlank("an event property name"), { error: "must be a list of event property names" }).optional(),
};

/** Charge models that may be prorated, by timing (§3.3). */
const PRORATABLE = { inAdvance: ["standard"], inArrears: ["standard", "volume", "graduated"] };

function chargeRules(charge: Record<string, unknown>, ctx: z.RefinementCtx) {
  const model = charge.chargeModel as ChargeModel;
  const inAdvance = charge.payInAdvance === true;
  if (charge.billableMetricCode === undefined)
    ctx.addIssue({ code: "custom", path: ["billableMetricCode"], message: "is required: reference the metric with billableMetric (a BillableMetric resource) or billableMetricCode" });
  if (!known(model)) return;
  if (inAdvance && model === "volume")
    ctx.addIssue({ code: "custom", path: ["payInAdvance"], message: "must be false for the volume charge model: volume prices are only known at period end" });
  if (charge.regroupPaidFees === "invoice" && !(inAdvance && charge.invoiceable === false))
    ctx.addIssue({ code: "custom", path: ["regroupPaidFees"], message: "needs payInAdvance: true and invoiceable: false (Lago: only_compatible_with_pay_in_advance_and_non_invoiceable)" });
  if (charge.invoiceable === false && !inAdvance)
    ctx.addIssue({ code: "custom", path: ["invoiceable"], message: "can only be false on a pay-in-advance charge: set payInAdvance: true or drop invoiceable" });
  if (inAdvance && typeof charge.minAmountCents === "number" && charge.minAmountCents > 0)
    ctx.addIssue({ code: "custom", path: ["minAmountCents"], message: "must be 0 on a pay-in-advance charge: a minimum is settled at period end" });
  if (charge.prorated === true) {
    const allowed = inAdvance ? PRORATABLE.inAdvance : PRORATABLE.inArrears;
    if (!allowed.includes(model))
      ctx.addIssue({
        code: "custom",
        path: ["prorated"],
        message: `cannot be true for a ${inAdvance ? "pay-in-advance" : "pay-in-arrears"} ${model} charge: only ${allowed.join(", ")} charges can be prorated${inAdvance ? " in advance" : ""}`,
      });
  }
  propertyRules(charge, ctx);
}

const chargeOf = <M extends ChargeModel>(model: M) =>
  strict(
    {
      chargeModel: z.literal(model),
      ...commonChargeFields,
      ...modelProperties[model],
      filters: z.array(chargeFilter(model), { error: "must be a list of filters" }).optional(),
    },
    `to a ${model} charge`,
  ).superRefine((charge, ctx) => chargeRules(charge as Record<string, unknown>, ctx), ALWAYS_RUN);

export const chargeSchema = z.discriminatedUnion(
  "chargeModel",
  [
    chargeOf("standard"),
    chargeOf("graduated"),
    chargeOf("volume"),
    chargeOf("package"),
    chargeOf("percentage"),
    chargeOf("graduated_percentage"),
    chargeOf("dynamic"),
  ],
  { error: `must be one of ${CHARGE_MODELS.join(", ")}` },
);

export type ChargeArgs = z.infer<typeof chargeSchema>;

// ---------------------------------------------------------------- fixed charges

/** Fixed charges know three models (app/models/fixed_charge.rb CHARGE_MODELS). */
export const FIXED_CHARGE_MODELS = ["standard", "graduated", "volume"] as const;
export type FixedChargeModel = (typeof FIXED_CHARGE_MODELS)[number];

/** Units live in a decimal(30,10) column (app/models/fixed_charge.rb): finer units would be rounded silently. */
const UNITS_SCALE = 10;
const units = () =>
  decimalArg().refine((v) => !isDecimal(v) || new Decimal(String(v).trim()).decimalPlaces() <= UNITS_SCALE, {
    message: `must have at most ${UNITS_SCALE} decimal places (Lago stores units as decimal(30,10))`,
  });

const fixedChargeFields = {
  /** An AddOn resource's lagoId; the resource class passes it together with its code. */
  addOn: nonBlank("an add-on lago_id").optional(),
  addOnCode: identifierArg("the code of the add-on billed").optional(),
  code: identifierArg("the fixed charge's code, unique in the plan").optional(),
  invoiceDisplayName: text,
  /** How many units of the add-on each period bills (0 or more; default 0). */
  units: units().optional(),
  payInAdvance: flag().optional(),
  prorated: flag().optional(),
  taxCodes: taxCodes.optional(),
  /**
   * A changed `units` applies to running subscriptions now instead of from the next period (sent with each write, never
   * stored, so never compared). On a pay-in-advance fixed charge Lago then invoices the active subscriptions at once.
   */
  applyUnitsImmediately: flag().optional(),
};

/** app/models/fixed_charge.rb validate_pay_in_advance and validate_prorated. */
function fixedChargeRules(charge: Record<string, unknown>, ctx: z.RefinementCtx) {
  const model = charge.chargeModel;
  if (charge.addOnCode === undefined)
    ctx.addIssue({ code: "custom", path: ["addOnCode"], message: "is required: name the add-on billed with addOn (an AddOn resource) or addOnCode" });
  if (!known(model)) return;
  if (charge.payInAdvance === true && model === "volume")
    ctx.addIssue({ code: "custom", path: ["payInAdvance"], message: "must be false for a volume fixed charge: volume prices are only known at period end" });
  if (charge.payInAdvance === true && charge.prorated === true && model === "graduated")
    ctx.addIssue({ code: "custom", path: ["prorated"], message: "cannot be true for a pay-in-advance graduated fixed charge: only standard fixed charges are prorated in advance" });
}

const fixedChargeOf = <M extends FixedChargeModel>(model: M) =>
  strict({ chargeModel: z.literal(model), ...fixedChargeFields, ...modelProperties[model] }, `to a ${model} fixed charge`).superRefine(
    (charge, ctx) => fixedChargeRules(charge as Record<string, unknown>, ctx),
    ALWAYS_RUN,
  );

export const fixedChargeSchema = z.discriminatedUnion("chargeModel", [fixedChargeOf("standard"), fixedChargeOf("graduated"), fixedChargeOf("volume")], {
  error: `must be one of ${FIXED_CHARGE_MODELS.join(", ")} (the models Lago allows for fixed charges)`,
});

export type FixedChargeArgs = z.infer<typeof fixedChargeSchema>;

// ---------------------------------------------------------------- metadata

/** app/models/metadata/item_metadata.rb: at most 50 keys, keys up to 100 characters, values empty or text up to 255. */
export const METADATA_LIMITS = { keys: 50, keyLength: 100, valueLength: 255 } as const;

const metadata = z
  .record(
    z.string(),
    z
      .string({ error: "must be a string or null (Lago keeps metadata values as text)" })
      .max(METADATA_LIMITS.valueLength, { message: `must be at most ${METADATA_LIMITS.valueLength} characters` })
      .nullable(),
    { error: 'must map keys to text values, e.g. { owner: "growth" }' },
  )
  .superRefine((m, ctx) => {
    if (Object.keys(m).length > METADATA_LIMITS.keys) ctx.addIssue({ code: "custom", message: `must have at most ${METADATA_LIMITS.keys} keys` });
    for (const key of Object.keys(m).filter((k) => k.length > METADATA_LIMITS.keyLength))
      ctx.addIssue({ code: "custom", message: `keys must be at most ${METADATA_LIMITS.keyLength} characters ("${key.slice(0, 20)}…" has ${key.length})` });
  });

// ---------------------------------------------------------------- plan

const usageThreshold = strict(
  {
    amountCents: cents(1),
    thresholdDisplayName: text,
    recurring: flag().optional(),
  },
  "to a usage threshold",
);

const usageThresholds = z.array(usageThreshold, { error: "must be a list of thresholds" }).superRefine((thresholds, ctx) => {
  const items = thresholds.map((t) => (t && typeof t === "object" ? t : {}) as { amountCents?: unknown; recurring?: unknown });
  const firstRecurring = items.findIndex((t) => t.recurring === true);
  items.forEach((t, i) => {
    if (t.recurring === true && i !== firstRecurring)
      ctx.addIssue({ code: "custom", path: [i, "recurring"], message: `must be false: only one threshold can be recurring (usageThresholds[${firstRecurring}] already is)` });
    if (!known(t.amountCents)) return;
    const same = items.findIndex((o) => o.amountCents === t.amountCents);
    if (same !== i) ctx.addIssue({ code: "custom", path: [i, "amountCents"], message: `duplicates usageThresholds[${same}].amountCents (${String(t.amountCents)})` });
  });
}, ALWAYS_RUN);

const minimumCommitment = strict(
  {
    amountCents: cents(1),
    invoiceDisplayName: text,
    taxCodes: taxCodes.optional(),
  },
  "to a minimum commitment",
);

export const planShape = {
  name: identifierArg("the plan's display name"),
  code: identifierArg("the code subscriptions name the plan by"),
  interval: z.enum(INTERVALS, { error: `must be one of ${INTERVALS.join(", ")}` }),
  amountCents: cents(0),
  amountCurrency: z.string({ error: "must be an ISO 4217 currency code Lago supports, e.g. USD" }).refine(isLagoCurrency, { message: "must be an ISO 4217 currency code Lago supports, e.g. USD" }),
  payInAdvance: flag().optional(),
  trialPeriod: z.number({ error: "must be a number of days" }).refine((n) => Number.isFinite(n) && n >= 0, { message: "must be a number of days, 0 or more" }).optional(),
  invoiceDisplayName: text,
  description: text,
  billChargesMonthly: flag().optional(),
  /** Bill fixed charges every month on a yearly or semiannual plan. */
  billFixedChargesMonthly: flag().optional(),
  taxCodes: taxCodes.optional(),
  minimumCommitment: minimumCommitment.optional(),
  usageThresholds: usageThresholds.optional(),
  charges: z.array(chargeSchema, { error: "must be a list of charges" }).optional(),
  /** Add-on fees billed each period (managed as a whole: fixed charges left out are removed from the plan). */
  fixedCharges: z.array(fixedChargeSchema, { error: "must be a list of fixed charges" }).optional(),
  /** Lago's plan metadata, managed as a whole (keys left out are removed). */
  metadata: metadata.optional(),
  ...providerOptions,
};

export const planSchema = strict(planShape, "to a plan").superRefine((plan, ctx) => {
  const interval = plan.interval as unknown;
  if (plan.billChargesMonthly === true && known(interval) && typeof interval === "string" && !MONTHLY_BILLING_INTERVALS.includes(interval))
    ctx.addIssue({ code: "custom", path: ["billChargesMonthly"], message: `only applies to yearly and semiannual plans (this one is ${interval}): drop it` });
  if (plan.billFixedChargesMonthly === true && known(interval) && typeof interval === "string" && !MONTHLY_BILLING_INTERVALS.includes(interval))
    ctx.addIssue({ code: "custom", path: ["billFixedChargesMonthly"], message: `only applies to yearly and semiannual plans (this one is ${interval}): drop it` });
  uniqueCodes(plan.charges, "charges", "charge", ctx);
  uniqueCodes(plan.fixedCharges, "fixedCharges", "fixed charge", ctx);
}, ALWAYS_RUN);

/** Explicit codes are unique within a plan, among charges and among fixed charges. */
function uniqueCodes(list: unknown, arg: string, what: string, ctx: z.RefinementCtx) {
  const explicit = new Map<string, number>();
  (Array.isArray(list) ? list : []).forEach((item, i) => {
    const code = (item as { code?: unknown } | undefined)?.code;
    if (typeof code !== "string" || !known(code)) return;
    const first = explicit.get(code);
    if (first === undefined) explicit.set(code, i);
    else ctx.addIssue({ code: "custom", path: [arg, i, "code"], message: `duplicates ${arg}[${first}].code ("${code}"): ${what} codes are unique within a plan` });
  });
}

export type PlanArgs = z.infer<typeof planSchema>;
