// Plan args: Lago's rules at check time (lago-api.md §3.2–3.4), the request body (§3.3, §3.6) and
// the canonical form used by diff. Pure: no Lago involved.
import { describe, expect, it } from "vitest";
import { frozenOnceSubscribed, planDifferences, silentIgnoreMessage } from "../../provider/kinds/plan/compare";
import { chargeCodes, normalizePlan, planFromLago, planRequest, type PlanOutputs } from "../../provider/kinds/plan/payload";
import { planSchema, type PlanArgs } from "../../provider/kinds/plan/schema";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** `charges[0].graduatedRanges[2].fromValue must be …`, as check reports it; unknown values pass. */
function failures(input: unknown): string[] {
  const result = planSchema.safeParse(input);
  if (result.success) return [];
  const at = (path: PropertyKey[]) => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
  return result.error.issues
    .filter((issue) => !issue.path.some((_, i) => at(issue.path.slice(0, i + 1)) === UNKNOWN))
    .map((issue) => {
      const path = issue.path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
      return `${path} ${issue.message}`.trim();
    });
}

const base = { name: "Team", code: "team", interval: "monthly", amountCents: 12000, amountCurrency: "USD", payInAdvance: true, trialPeriod: 14 } as const;

const segmentRanges = [
  { fromValue: 0, toValue: 10000, perUnitAmount: "0", flatAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012", flatAmount: "0" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011", flatAmount: "0" },
  { fromValue: 100001, toValue: null, perUnitAmount: "0.010", flatAmount: "0" },
];

const team = { ...base, charges: [{ billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: segmentRanges }] } as const;

const withRanges = (chargeModel: string, key: string, ranges: unknown[]) => ({ ...base, charges: [{ billableMetricCode: "mtu", chargeModel, [key]: ranges }] });

describe("§3.2 plan fields", () => {
  it("accepts the Segment Team plan (§12) and every interval", () => {
    expect(failures(team)).toEqual([]);
    for (const interval of ["weekly", "monthly", "quarterly", "semiannual", "yearly"]) expect(failures({ ...base, interval })).toEqual([]);
  });

  it("names each required field and the allowed values", () => {
    expect(failures({ name: " ", code: "", interval: "daily", amountCents: 1.5, amountCurrency: "usd" })).toEqual([
      "name is required: the plan name",
      "code is required: the plan code",
      "interval must be one of weekly, monthly, quarterly, semiannual, yearly",
      "amountCents must be a whole number of cents, 0 or more (12000 is 120.00)",
      "amountCurrency must be an ISO 4217 currency code Lago supports, e.g. USD",
    ]);
  });

  it("refuses billChargesMonthly on intervals where Lago drops it", () => {
    expect(failures({ ...base, billChargesMonthly: true })).toEqual(["billChargesMonthly only applies to yearly and semiannual plans (this one is monthly): drop it"]);
    expect(failures({ ...base, interval: "yearly", billChargesMonthly: true })).toEqual([]);
  });

  it("checks the minimum commitment and usage thresholds (> 0, one recurring, no duplicate amounts)", () => {
    expect(failures({ ...base, minimumCommitment: { amountCents: 0 } })).toEqual(["minimumCommitment.amountCents must be greater than 0"]);
    expect(
      failures({
        ...base,
        usageThresholds: [
          { amountCents: 10000, recurring: true },
          { amountCents: 20000, recurring: true },
          { amountCents: 10000 },
        ],
      }),
    ).toEqual([
      "usageThresholds[1].recurring must be false: only one threshold can be recurring (usageThresholds[0] already is)",
      "usageThresholds[2].amountCents duplicates usageThresholds[0].amountCents (10000)",
    ]);
  });

  it("refuses keys Lago would drop silently", () => {
    expect(failures({ ...base, intervl: "monthly" })).toEqual(["intervl does not apply to a plan"]);
    expect(failures({ ...base, charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount: "1", graduatedRanges: [] }] })).toEqual([
      "charges[0] graduatedRanges does not apply to a standard charge",
    ]);
  });
});

describe("§3.4 range bounds", () => {
  it("reports a graduated bound with the path and both allowed values", () => {
    const ranges = segmentRanges.map((r, i) => (i === 2 ? { ...r, fromValue: 25002 } : r));
    expect(failures(withRanges("graduated", "graduatedRanges", ranges))).toEqual(["charges[0].graduatedRanges[2].fromValue must be 25000 or 25001 (previous toValue is 25000)"]);
  });

  it("accepts adjacent bounds for graduated but not for volume", () => {
    const adjacent = [
      { fromValue: 0, toValue: 100, perUnitAmount: "1" },
      { fromValue: 100, toValue: null, perUnitAmount: "0.5" },
    ];
    expect(failures(withRanges("graduated", "graduatedRanges", adjacent))).toEqual([]);
    expect(failures(withRanges("graduated_percentage", "graduatedPercentageRanges", adjacent.map(({ perUnitAmount, ...r }) => ({ ...r, rate: perUnitAmount }))))).toEqual([]);
    expect(failures(withRanges("volume", "volumeRanges", adjacent))).toEqual([
      "charges[0].volumeRanges[1].fromValue must be 101 or 102 (previous toValue is 100; volume ranges cannot share a bound)",
    ]);
    expect(failures(withRanges("volume", "volumeRanges", [adjacent[0], { ...adjacent[1], fromValue: 101 }]))).toEqual([]);
  });

  it("starts at 0 or 1, caps every range but the last, and never caps the last", () => {
    const ranges = [
      { fromValue: 2, toValue: 10, perUnitAmount: "1" },
      { fromValue: 10, toValue: null, perUnitAmount: "1" },
      { fromValue: 11, toValue: 11, perUnitAmount: "1" },
      { fromValue: 11, toValue: 1000, perUnitAmount: "1" },
    ];
    expect(failures(withRanges("graduated", "graduatedRanges", ranges))).toEqual([
      "charges[0].graduatedRanges[0].fromValue must be 0 or 1 (the first range starts at 0 or 1)",
      "charges[0].graduatedRanges[1].toValue must be set: only the last range is open-ended (toValue null)",
      "charges[0].graduatedRanges[2].toValue must be greater than fromValue (11)",
      "charges[0].graduatedRanges[3].toValue the last range cannot be capped: set toValue to null; a hard cap is the product's job",
    ]);
  });

  it("accepts decimal bounds and requires at least one range", () => {
    expect(failures(withRanges("graduated", "graduatedRanges", [{ fromValue: 0, toValue: 0.5, perUnitAmount: "1" }, { fromValue: 0.5, toValue: null, perUnitAmount: "1" }]))).toEqual([]);
    expect(failures(withRanges("volume", "volumeRanges", []))).toEqual(["charges[0].volumeRanges must list at least one range, e.g. [{ fromValue: 0, toValue: null, ... }]"]);
  });
});

describe("§1.6 prices are exact decimals", () => {
  const standard = (amount: unknown) => ({ ...base, charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount }] });

  it("accepts decimal strings and numbers that convert exactly, and sends strings", () => {
    expect(failures(standard("0.012"))).toEqual([]);
    expect(failures(standard(0.012))).toEqual([]);
    const body = planRequest(normalizePlan(standard(0.012) as PlanArgs), { metricIds: ["m-1"] });
    expect((body.charges as any[])[0].properties).toEqual({ amount: "0.012" });
  });

  it("rejects NaN, negatives, exponent forms and numbers with no exact short decimal", () => {
    expect(failures(standard(Number.NaN))).toEqual(['charges[0].amount must be a decimal string such as "0.012" (got NaN)']);
    expect(failures(standard("-1"))).toEqual(['charges[0].amount must not be negative (got "-1")']);
    expect(failures(standard(-1))).toEqual(["charges[0].amount must not be negative (got -1)"]);
    expect(failures(standard("1e-7"))).toEqual(['charges[0].amount must be a decimal string such as "0.012" (got "1e-7")']);
    expect(failures(standard(1e-7))).toEqual([
      'charges[0].amount must be written as a decimal string: the number 1e-7 has no exact short decimal form (write "0.0000001" if that is what you mean)',
    ]);
    expect(failures(standard(0.1 + 0.2))).toEqual([
      'charges[0].amount must be written as a decimal string: the number 0.30000000000000004 has no exact short decimal form (write "0.30000000000000004" if that is what you mean)',
    ]);
  });
});

describe("§3.3–3.4 charges", () => {
  const charge = (fields: Record<string, unknown>) => failures({ ...base, charges: [{ billableMetricCode: "mtu", ...fields }] });

  it("accepts every charge model with typed properties", () => {
    expect(charge({ chargeModel: "standard", amount: "0.5", pricingGroupKeys: ["region"] })).toEqual([]);
    expect(charge({ chargeModel: "package", amount: "10", packageSize: 1000, freeUnits: 100 })).toEqual([]);
    expect(charge({ chargeModel: "percentage", rate: "1.5", fixedAmount: "0.3", freeUnitsPerEvents: 3, freeUnitsPerTotalAggregation: "100", perTransactionMinAmount: "1", perTransactionMaxAmount: "5" })).toEqual([]);
    expect(charge({ chargeModel: "graduated_percentage", graduatedPercentageRanges: [{ fromValue: 0, toValue: null, rate: "1", fixedAmount: "0.1", flatAmount: "0" }] })).toEqual([]);
    expect(charge({ chargeModel: "dynamic" })).toEqual([]);
    expect(charge({ chargeModel: "standard", amount: "1", filters: [{ values: { region: ["eu", "us"] }, properties: { amount: "2" }, invoiceDisplayName: "EU/US" }] })).toEqual([]);
  });

  it("names the metric reference, the model and the per-model property rules", () => {
    expect(failures({ ...base, charges: [{ chargeModel: "standard" }] })).toEqual([
      "charges[0].billableMetricCode is required: reference the metric with billableMetric (a BillableMetric resource) or billableMetricCode",
    ]);
    expect(charge({ chargeModel: "tiered" })).toEqual(["charges[0].chargeModel must be one of standard, graduated, volume, package, percentage, graduated_percentage, dynamic"]);
    expect(charge({ chargeModel: "package", amount: "1", packageSize: 0, freeUnits: 1.5 })).toEqual([
      "charges[0].packageSize must be greater than 0",
      "charges[0].freeUnits must be a whole number of units",
    ]);
    expect(charge({ chargeModel: "percentage", rate: "1", freeUnitsPerEvents: 0 })).toEqual([
      "charges[0].freeUnitsPerEvents must be greater than 0 (omit it for none)",
    ]);
    expect(charge({ chargeModel: "percentage", rate: "1", perTransactionMinAmount: "5", perTransactionMaxAmount: "1.5" })).toEqual([
      "charges[0].perTransactionMaxAmount must not be lower than perTransactionMinAmount (5)",
    ]);
    expect(charge({ chargeModel: "standard", filters: [{ values: { region: [] }, properties: { amount: "x" } }] })).toEqual([
      "charges[0].filters[0].values.region must list at least one value",
      'charges[0].filters[0].properties.amount must be a decimal string such as "0.012" (got "x")',
    ]);
  });

  it("carries Lago's timing rules: volume in advance, invoiceable, minimum, prorated", () => {
    expect(charge({ chargeModel: "volume", payInAdvance: true, volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "1" }] })).toEqual([
      "charges[0].payInAdvance must be false for the volume charge model: volume prices are only known at period end",
    ]);
    expect(charge({ chargeModel: "standard", invoiceable: false })).toEqual(["charges[0].invoiceable can only be false on a pay-in-advance charge: set payInAdvance: true or drop invoiceable"]);
    expect(charge({ chargeModel: "standard", payInAdvance: true, minAmountCents: 100 })).toEqual(["charges[0].minAmountCents must be 0 on a pay-in-advance charge: a minimum is settled at period end"]);
    expect(charge({ chargeModel: "package", amount: "1", packageSize: 10, prorated: true })).toEqual([
      "charges[0].prorated cannot be true for a pay-in-arrears package charge: only standard, volume, graduated charges can be prorated",
    ]);
    expect(charge({ chargeModel: "graduated", payInAdvance: true, prorated: true, graduatedRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "1" }] })).toEqual([
      "charges[0].prorated cannot be true for a pay-in-advance graduated charge: only standard charges can be prorated in advance",
    ]);
  });

  it("refuses duplicate charge codes", () => {
    expect(
      failures({
        ...base,
        charges: [
          { billableMetricCode: "mtu", chargeModel: "standard", code: "seats" },
          { billableMetricCode: "api", chargeModel: "standard", code: "seats" },
        ],
      }),
    ).toEqual(['charges[1].code duplicates charges[0].code ("seats"): charge codes are unique within a plan']);
  });
});

describe("unknown values during preview", () => {
  it("let every unknown leaf, charge and list through", () => {
    expect(failures({ ...base, amountCents: UNKNOWN, amountCurrency: UNKNOWN, interval: UNKNOWN, charges: UNKNOWN })).toEqual([]);
    expect(failures({ ...base, charges: [UNKNOWN, { billableMetric: UNKNOWN, billableMetricCode: UNKNOWN, chargeModel: UNKNOWN }] })).toEqual([]);
    const ranges = segmentRanges.map((r, i) => (i === 2 ? { ...r, fromValue: UNKNOWN, perUnitAmount: UNKNOWN } : r));
    expect(failures(withRanges("graduated", "graduatedRanges", ranges))).toEqual([]);
    expect(failures({ ...base, charges: [{ billableMetricCode: "a", chargeModel: "standard", code: UNKNOWN }, { billableMetricCode: "b", chargeModel: "standard", code: UNKNOWN }] })).toEqual([]);
  });

  it("still report the known mistakes next to them", () => {
    expect(failures({ ...base, amountCents: UNKNOWN, interval: "daily" })).toEqual(["interval must be one of weekly, monthly, quarterly, semiannual, yearly"]);
  });
});

// ---------------------------------------------------------------- payload

/** What Lago answers for `team` (§3.5 shape), as the local Lago or Lago would. */
const lagoTeam = (overrides: Record<string, unknown> = {}) => ({
  lago_id: "p-1",
  name: "Team",
  invoice_display_name: null,
  created_at: "2024-05-01T12:00:00Z",
  code: "team",
  interval: "monthly",
  description: null,
  amount_cents: 12000,
  amount_currency: "USD",
  trial_period: 14.0,
  pay_in_advance: true,
  bill_charges_monthly: null,
  pending_deletion: false,
  taxes: [],
  usage_thresholds: [],
  charges: [
    {
      lago_id: "c-1",
      lago_billable_metric_id: "m-1",
      billable_metric_code: "mtu",
      code: "mtu",
      created_at: "2024-05-01T12:00:00Z",
      charge_model: "graduated",
      invoiceable: true,
      pay_in_advance: false,
      prorated: false,
      min_amount_cents: 0,
      invoice_display_name: null,
      properties: {
        graduated_ranges: [
          { from_value: 0, to_value: 10000, per_unit_amount: "0", flat_amount: "0" },
          { from_value: 10001, to_value: 25000, per_unit_amount: "0.012", flat_amount: "0" },
          { from_value: 25001, to_value: 100000, per_unit_amount: "0.011", flat_amount: "0" },
          { from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" },
        ],
      },
      filters: [],
      taxes: [],
    },
  ],
  ...overrides,
});

describe("§3.3/§3.6 request body", () => {
  it("builds the Segment Team body with explicit charge codes and string prices", () => {
    const body = planRequest(normalizePlan(team as PlanArgs), { metricIds: ["m-1"] });
    expect(body).toEqual({
      name: "Team",
      code: "team",
      interval: "monthly",
      amount_cents: 12000,
      amount_currency: "USD",
      pay_in_advance: true,
      trial_period: 14,
      invoice_display_name: null,
      description: null,
      tax_codes: [],
      usage_thresholds: [],
      charges: [
        {
          billable_metric_id: "m-1",
          code: "mtu",
          charge_model: "graduated",
          pay_in_advance: false,
          prorated: false,
          invoiceable: true,
          min_amount_cents: 0,
          invoice_display_name: null,
          tax_codes: [],
          properties: lagoTeam().charges[0]!.properties,
          filters: [],
        },
      ],
    });
  });

  it("sends the lago_id of every kept charge, none for new ones, and {} to drop a commitment", () => {
    const current: PlanOutputs = { ...planFromLago(lagoTeam()), minimumCommitment: { lagoId: "mc-1", amountCents: 100, invoiceDisplayName: null, taxCodes: [] } };
    const next = { ...team, charges: [...team.charges, { billableMetricCode: "mtu", chargeModel: "standard", amount: "1" }] } as PlanArgs;
    const body = planRequest(normalizePlan(next, current), { metricIds: ["m-1", "m-1"], current });
    const charges = body.charges as Array<Record<string, unknown>>;
    expect(charges.map((c) => [c.id, c.code, c.charge_model])).toEqual([
      ["c-1", "mtu", "graduated"],
      [undefined, "mtu_2", "standard"],
    ]);
    expect(charges[1]!.properties).toEqual({ amount: "1" });
    expect(body.minimum_commitment).toEqual({});
  });

  it("fills Lago's property defaults and keeps bill_charges_monthly only where Lago does", () => {
    const plan = normalizePlan({
      ...base,
      interval: "yearly",
      charges: [
        { billableMetricCode: "a", chargeModel: "package", amount: "5", packageSize: 10 },
        { billableMetricCode: "b", chargeModel: "graduated_percentage", graduatedPercentageRanges: [{ fromValue: 0, toValue: null, rate: "2" }] },
        { billableMetricCode: "c", chargeModel: "standard" },
      ],
    } as PlanArgs);
    const body = planRequest(plan, { metricIds: ["a", "b", "c"] });
    expect(body.bill_charges_monthly).toBe(false);
    expect((body.charges as any[]).map((c) => c.properties)).toEqual([
      { amount: "5", package_size: 10, free_units: 0 },
      { graduated_percentage_ranges: [{ from_value: 0, to_value: null, rate: "2", fixed_amount: "0", flat_amount: "0" }] },
      { amount: "0" },
    ]);
  });

  it("names unnamed charges like Lago: metric code, then _2, _3, skipping taken codes", () => {
    const charges = [
      { billableMetricCode: "mtu", chargeModel: "standard" },
      { billableMetricCode: "mtu", chargeModel: "standard", code: "mtu_2" },
      { billableMetricCode: "mtu", chargeModel: "standard" },
      { billableMetric: "m-9", chargeModel: "standard" },
    ] as PlanArgs["charges"] & object;
    expect(chargeCodes(charges)).toEqual(["mtu", "mtu_2", "mtu_3", undefined]);
    const existing = planFromLago(lagoTeam({ charges: [{ ...lagoTeam().charges[0], lago_billable_metric_id: "m-9", code: "api" }] })).charges;
    expect(chargeCodes(charges, existing)).toEqual(["mtu", "mtu_2", "mtu_3", "api"]);
  });
});

describe("canonical form for diff", () => {
  it("finds no difference between the args and Lago's answer to them", () => {
    expect(planDifferences(normalizePlan(team as PlanArgs), normalizePlan(planFromLago(lagoTeam())))).toEqual([]);
  });

  it("ignores decimal spelling, key order, tax order and number-vs-string prices", () => {
    const respelled = {
      charges: [{ chargeModel: "graduated", graduatedRanges: segmentRanges.map((r) => ({ flatAmount: 0, perUnitAmount: r.perUnitAmount === "0.010" ? "0.01" : r.perUnitAmount, toValue: r.toValue, fromValue: r.fromValue })), billableMetricCode: "mtu" }],
      trialPeriod: 14.0,
      taxCodes: ["b", "a"],
      ...base,
    } as PlanArgs;
    const lago = planFromLago(lagoTeam({ taxes: [{ code: "a" }, { code: "b" }] }));
    expect(planDifferences(normalizePlan(respelled), normalizePlan(lago))).toEqual([]);
  });

  it("names plan fields and charge fields that differ, including added and removed charges", () => {
    const desired = normalizePlan({
      ...team,
      interval: "yearly",
      charges: [{ ...team.charges[0], graduatedRanges: segmentRanges.map((r, i) => (i === 1 ? { ...r, perUnitAmount: "0.02" } : r)) }, { billableMetricCode: "api", chargeModel: "standard" }],
    } as PlanArgs);
    const paths = planDifferences(desired, normalizePlan(planFromLago(lagoTeam({ charges: [...lagoTeam().charges, { ...lagoTeam().charges[0], code: "old", lago_id: "c-2" }] }))));
    expect(paths).toEqual(["interval", "billChargesMonthly", "charges[mtu].graduatedRanges", "charges[api]", "charges[old]"]);
    expect(frozenOnceSubscribed(paths)).toEqual(["interval", "billChargesMonthly"]);
  });

  it("explains fields Lago ignored", () => {
    expect(silentIgnoreMessage("team", ["interval", "charges[mtu].chargeModel", "minimumCommitment"])).toBe(
      'Lago accepted plan "team" but ignored 3 fields: interval is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions; ' +
        "charges[mtu].chargeModel is frozen once the plan has had a subscription; to change it, add a charge with a new code and remove this one; " +
        "minimumCommitment needs a Lago premium licence; without one Lago ignores it",
    );
  });
});
