// Bad Plan specs (lago-api.md §1.6, §3.2–3.4).
import { teamPlanArgs, teamRangeArgs, withTier } from "../../support/segment-team";
import type { BadInputRow, ValidBase } from "./rows";

/** The Segment Team plan (§12). */
export const base: ValidBase = { kind: "plan", args: teamPlanArgs };

const plan = (args: Record<string, unknown>): Record<string, unknown> => ({ ...base.args, ...args });
const charge = (fields: Record<string, unknown>) => plan({ charges: [{ billableMetricCode: "mtu", ...fields }] });
/** A plan with one fixed charge: 3 seats of the "seat" add-on at 10.00 each. */
const fixed = (fields: Record<string, unknown>) => plan({ fixedCharges: [{ addOnCode: "seat", chargeModel: "standard", units: 3, amount: "10", ...fields }] });
const row = (name: string, args: Record<string, unknown>, property: string, reason: string): BadInputRow => ({ name, kind: "plan", args, failure: { property, reason: `${property} ${reason}` } });

export const rows: BadInputRow[] = [
  row("blank name", plan({ name: " " }), "name", "must not be blank (the plan's display name)"),
  row("daily interval", plan({ interval: "daily" }), "interval", "must be one of weekly, monthly, quarterly, semiannual, yearly"),
  row("fee in units, not cents", plan({ amountCents: 120.5 }), "amountCents", "must be a whole number of cents, 0 or more (12000 is 120.00)"),
  row("lower-case currency", plan({ amountCurrency: "usd" }), "amountCurrency", "must be an ISO 4217 currency code Lago supports, e.g. USD"),
  row("monthly charges on a monthly plan", plan({ billChargesMonthly: true }), "billChargesMonthly", "only applies to yearly and semiannual plans (this one is monthly): drop it"),
  row(
    "graduated range starting past the previous bound",
    charge({ chargeModel: "graduated", graduatedRanges: withTier(teamRangeArgs, 2, { fromValue: 25002 }) }),
    "charges[0].graduatedRanges[2].fromValue",
    "must be 25000 or 25001 (previous toValue is 25000)",
  ),
  row(
    "capped last range",
    charge({ chargeModel: "graduated", graduatedRanges: withTier(teamRangeArgs, 3, { toValue: 1000000 }) }),
    "charges[0].graduatedRanges[3].toValue",
    "the last range cannot be capped: set toValue to null; a hard cap is the product's job",
  ),
  row(
    "volume ranges sharing a bound",
    charge({ chargeModel: "volume", volumeRanges: [{ fromValue: 0, toValue: 100, perUnitAmount: "1" }, { fromValue: 100, toValue: null, perUnitAmount: "0.5" }] }),
    "charges[0].volumeRanges[1].fromValue",
    "must be 101 or 102 (previous toValue is 100; volume ranges cannot share a bound)",
  ),
  row(
    "price as an inexact number",
    charge({ chargeModel: "standard", amount: 0.1 + 0.2 }),
    "charges[0].amount",
    'must be written as a decimal string: the number 0.30000000000000004 has no exact short decimal form (write "0.30000000000000004" if that is what you mean)',
  ),
  row("negative price", charge({ chargeModel: "standard", amount: "-0.5" }), "charges[0].amount", 'must not be negative (got "-0.5")'),
  row(
    "volume billed in advance",
    charge({ chargeModel: "volume", payInAdvance: true, volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "1" }] }),
    "charges[0].payInAdvance",
    "must be false for the volume charge model: volume prices are only known at period end",
  ),
  row("non-invoiceable charge in arrears", charge({ chargeModel: "standard", invoiceable: false }), "charges[0].invoiceable", "can only be false on a pay-in-advance charge: set payInAdvance: true or drop invoiceable"),
  row(
    "two charges with one code",
    plan({ charges: [{ billableMetricCode: "mtu", chargeModel: "standard", code: "seats" }, { billableMetricCode: "api", chargeModel: "standard", code: "seats" }] }),
    "charges[1].code",
    'duplicates charges[0].code ("seats"): charge codes are unique within a plan',
  ),
  row(
    "charge without a metric",
    plan({ charges: [{ chargeModel: "standard", amount: "1" }] }),
    "charges[0].billableMetricCode",
    "is required: reference the metric with billableMetric (a BillableMetric resource) or billableMetricCode",
  ),
  row("unknown charge model", charge({ chargeModel: "tiered" }), "charges[0].chargeModel", "must be one of standard, graduated, volume, package, percentage, graduated_percentage, dynamic"),
  row("property of another model", charge({ chargeModel: "graduated", graduatedRanges: teamRangeArgs, amount: "1" }), "charges[0]", "amount does not apply to a graduated charge"),
  row("package of zero units", charge({ chargeModel: "package", amount: "10", packageSize: 0 }), "charges[0].packageSize", "must be greater than 0"),
  row(
    "percentage maximum below minimum",
    charge({ chargeModel: "percentage", rate: "1", perTransactionMinAmount: "5", perTransactionMaxAmount: "1" }),
    "charges[0].perTransactionMaxAmount",
    "must not be lower than perTransactionMinAmount (5)",
  ),
  row(
    "two recurring usage thresholds",
    plan({ usageThresholds: [{ amountCents: 10000, recurring: true }, { amountCents: 20000, recurring: true }] }),
    "usageThresholds[1].recurring",
    "must be false: only one threshold can be recurring (usageThresholds[0] already is)",
  ),
  row("zero minimum commitment", plan({ minimumCommitment: { amountCents: 0 } }), "minimumCommitment.amountCents", "must be greater than 0"),
  // Inputs on which Lago's own code raises (500), stopped before any call (lago-api.md §15):
  // regroup_paid_fees outside the enum (Charge enum, charges/create_service.rb), a fixed charge without an
  // add-on or with an unknown model (fixed_charges/create_service.rb), interval null on update (plans/update_service.rb).
  row("regroup option Lago cannot store", charge({ chargeModel: "standard", amount: "1", payInAdvance: true, invoiceable: false, regroupPaidFees: "weekly" }), "charges[0].regroupPaidFees", 'must be "invoice" (or left out)'),
  row("fixed charge without an add-on", fixed({ addOnCode: undefined }), "fixedCharges[0].addOnCode", "is required: name the add-on billed with addOn (an AddOn resource) or addOnCode"),
  row("fixed charge model Lago lacks", fixed({ chargeModel: "tiered" }), "fixedCharges[0].chargeModel", "must be one of standard, graduated, volume (the models Lago allows for fixed charges)"),
  row("null interval", plan({ interval: null }), "interval", "must be one of weekly, monthly, quarterly, semiannual, yearly"),
  row("interval as a number", plan({ interval: 12 }), "interval", "must be one of weekly, monthly, quarterly, semiannual, yearly"),
  // A range bound Lago reads with BigDecimal(from_value.to_s) raises when absent (validators/range_bounds_validator.rb).
  // (A per-transaction bound given as a number is sent as decimal text, so Lago's BigDecimal(Float) is never reached.)
  row("regrouped fees on an invoiced charge", charge({ chargeModel: "standard", amount: "1", payInAdvance: true, regroupPaidFees: "invoice" }), "charges[0].regroupPaidFees", "needs payInAdvance: true and invoiceable: false (Lago: only_compatible_with_pay_in_advance_and_non_invoiceable)"),
  row("range without a lower bound", charge({ chargeModel: "graduated", graduatedRanges: withTier(teamRangeArgs, 0, { fromValue: undefined }) }), "charges[0].graduatedRanges[0].fromValue", "must be a number"),
  // Fixed charges and metadata (app/models/fixed_charge.rb, app/models/metadata/item_metadata.rb, plans_controller.rb).
  row("fixed charge of another charge model", fixed({ chargeModel: "package" }), "fixedCharges[0].chargeModel", "must be one of standard, graduated, volume (the models Lago allows for fixed charges)"),
  row("negative fixed charge units", fixed({ units: -1 }), "fixedCharges[0].units", "must not be negative (got -1)"),
  row("fixed charge units finer than Lago stores", fixed({ units: "0.00000000001" }), "fixedCharges[0].units", "must have at most 10 decimal places (Lago stores units as decimal(30,10))"),
  row("volume fixed charge billed in advance", fixed({ chargeModel: "volume", amount: undefined, volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "10" }], payInAdvance: true }), "fixedCharges[0].payInAdvance", "must be false for a volume fixed charge: volume prices are only known at period end"),
  row(
    "graduated fixed charge prorated in advance",
    fixed({ chargeModel: "graduated", amount: undefined, graduatedRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "10" }], payInAdvance: true, prorated: true }),
    "fixedCharges[0].prorated",
    "cannot be true for a pay-in-advance graduated fixed charge: only standard fixed charges are prorated in advance",
  ),
  row("fixed charge property of another model", fixed({ volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "1" }] }), "fixedCharges[0]", "volumeRanges does not apply to a standard fixed charge"),
  row("negative fixed charge price", fixed({ amount: "-10" }), "fixedCharges[0].amount", 'must not be negative (got "-10")'),
  row(
    "two fixed charges with one code",
    plan({ fixedCharges: [{ addOnCode: "seat", chargeModel: "standard", code: "seats" }, { addOnCode: "admin", chargeModel: "standard", code: "seats" }] }),
    "fixedCharges[1].code",
    'duplicates fixedCharges[0].code ("seats"): fixed charge codes are unique within a plan',
  ),
  row("monthly fixed charges on a monthly plan", plan({ billFixedChargesMonthly: true }), "billFixedChargesMonthly", "only applies to yearly and semiannual plans (this one is monthly): drop it"),
  row("metadata value as a number", plan({ metadata: { seats: 5 } }), "metadata.seats", "must be a string or null (Lago keeps metadata values as text)"),
  row("metadata value too long", plan({ metadata: { note: "x".repeat(256) } }), "metadata.note", "must be at most 255 characters"),
  row("metadata key too long", plan({ metadata: { ["k".repeat(101)]: "v" } }), "metadata", 'keys must be at most 100 characters ("kkkkkkkkkkkkkkkkkkkk…" has 101)'),
  row("metadata with too many keys", plan({ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }), "metadata", "must have at most 50 keys"),
  row("metadata as a list", plan({ metadata: [["owner", "growth"]] }), "metadata", 'must map keys to text values, e.g. { owner: "growth" }'),
];
