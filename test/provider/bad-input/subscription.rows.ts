// Bad Subscription specs (lago-api.md §1.5, §5.2, §5.5).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "subscription", args: { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" } };

const sub = (args: Record<string, unknown>): Record<string, unknown> => ({ ...base.args, ...args });
const overrides = (planOverrides: Record<string, unknown>) => sub({ planOverrides });
const row = (name: string, args: Record<string, unknown>, property: string, reason: string): BadInputRow => ({
  name,
  kind: "subscription",
  args,
  failure: { property, reason: property ? `${property} ${reason}` : reason },
});

export const rows: BadInputRow[] = [
  row("external id with a slash", sub({ externalId: "acme/main" }), "externalId", 'must not contain "/": Lago uses it in URL paths'),
  row("no plan", sub({ planCode: undefined }), "planCode", "is required (the plan code, or pass plan: a Plan resource)"),
  row("blank customer", sub({ externalCustomerId: "" }), "externalCustomerId", "must not be blank (the customer's external id, or pass customer: a Customer resource)"),
  row("monthly billing time", sub({ billingTime: "monthly" }), "billingTime", "must be one of calendar, anniversary"),
  row("start date in words", sub({ subscriptionAt: "next monday" }), "subscriptionAt", 'must be an ISO 8601 date-time such as "2025-01-01T00:00:00Z"'),
  row("ends before it starts", sub({ subscriptionAt: "2030-01-01T00:00:00Z", endingAt: "2029-12-31T00:00:00Z" }), "endingAt", "must be after subscriptionAt (2030-01-01T00:00:00Z)"),
  row("Lago's field name instead of the argument", sub({ plan_code: "team" }), "", "plan_code does not apply to a subscription"),
  // planOverrides (§5.5): the Plan kind's rules, and which charge of the plan an override is for
  row("charge override naming no charge", overrides({ charges: [{ invoiceDisplayName: "Users" }] }), "planOverrides.charges[0].code", "is required: name the plan's charge by code (its charge code) or billableMetricCode"),
  row("charge properties without the model", overrides({ charges: [{ code: "mtu", amount: "0.01" }] }), "planOverrides.charges[0]", "amount does not apply to a charge override without chargeModel (give the plan charge's chargeModel to override its properties or filters)"),
  row("unknown charge model", overrides({ charges: [{ code: "mtu", chargeModel: "tiered" }] }), "planOverrides.charges[0].chargeModel", "must be the plan charge's model, one of standard, graduated, volume, package, percentage, graduated_percentage, dynamic (Lago never changes a charge's model in an override), or left out"),
  row(
    "overlapping overridden ranges",
    overrides({ charges: [{ code: "mtu", chargeModel: "graduated", graduatedRanges: [{ fromValue: 0, toValue: 100, perUnitAmount: "1" }, { fromValue: 50, toValue: null, perUnitAmount: "1" }] }] }),
    "planOverrides.charges[0].graduatedRanges[1].fromValue",
    "must be 100 or 101 (previous toValue is 100)",
  ),
  row("negative overridden price", overrides({ charges: [{ code: "mtu", chargeModel: "standard", amount: "-1" }] }), "planOverrides.charges[0].amount", 'must not be negative (got "-1")'),
  row("the same charge overridden twice", overrides({ charges: [{ code: "mtu", minAmountCents: 100 }, { code: "mtu", taxCodes: ["vat"] }] }), "planOverrides.charges[1].code", "overrides the same charge as charges[0]: merge them"),
  row("a charge's timing overridden", overrides({ charges: [{ code: "mtu", chargeModel: "standard", payInAdvance: true }] }), "planOverrides.charges[0]", "payInAdvance does not apply to a standard charge override (it overrides properties, filters, minAmountCents, invoiceDisplayName and taxCodes)"),
  row(
    "overridden transaction maximum below the minimum",
    overrides({ charges: [{ code: "tx", chargeModel: "percentage", rate: "1", perTransactionMinAmount: "5", perTransactionMaxAmount: "1" }] }),
    "planOverrides.charges[0].perTransactionMaxAmount",
    "must not be lower than perTransactionMinAmount (5)",
  ),
  row("two thresholds at the same amount", overrides({ usageThresholds: [{ amountCents: 10000 }, { amountCents: 10000 }] }), "planOverrides.usageThresholds[1].amountCents", "duplicates usageThresholds[0].amountCents (10000)"),
  row("a zero commitment", overrides({ minimumCommitment: { amountCents: 0 } }), "planOverrides.minimumCommitment.amountCents", "must be greater than 0"),
  row("lower-case currency", overrides({ amountCurrency: "usd" }), "planOverrides.amountCurrency", "must be an ISO 4217 currency code Lago supports, e.g. USD"),
  row("a price in dollars", overrides({ amountCents: 99.5 }), "planOverrides.amountCents", "must be a whole number of cents, 0 or more (12000 is 120.00)"),
  row("negative trial", overrides({ trialPeriod: -1 }), "planOverrides.trialPeriod", "must be a number of days, 0 or more"),
  row("fixed charge override naming no fixed charge", overrides({ fixedCharges: [{ units: 3 }] }), "planOverrides.fixedCharges[0].code", "is required (the code of the plan's fixed charge this overrides)"),
  row("negative overridden units", overrides({ fixedCharges: [{ code: "support", units: -1 }] }), "planOverrides.fixedCharges[0].units", "must not be negative (got -1)"),
  row("a model fixed charges lack", overrides({ fixedCharges: [{ code: "support", chargeModel: "package" }] }), "planOverrides.fixedCharges[0].chargeModel", "must be the plan fixed charge's model, one of standard, graduated, volume (Lago never changes it in an override), or left out"),
  row("the same fixed charge overridden twice", overrides({ fixedCharges: [{ code: "support", units: 1 }, { code: "support", taxCodes: ["vat"] }] }), "planOverrides.fixedCharges[1].code", "overrides the same fixed charge as fixedCharges[0]: merge them"),
  row("fixed charge properties without the model", overrides({ fixedCharges: [{ code: "support", amount: "2" }] }), "planOverrides.fixedCharges[0]", "amount does not apply to a fixed charge override without chargeModel (give the plan fixed charge's chargeModel to override its properties)"),
];
