// Plan args: Lago's rules at check time (lago-api.md §3.2–3.4), the request body (§3.3, §3.6) and
// the canonical form used by diff. Pure: no Lago involved.
import { describe, expect, it } from "vitest";
import { sameCanonical, UNKNOWN } from "../../provider/canonical";
import { chargeDifferences, frozenOnceSubscribed, frozenReason } from "../../provider/kinds/plan/compare";
import { chargeCodes, normalize, outputs, toArgs, toWire, type ChargeArgsLike, type LagoPlan } from "../../provider/kinds/plan/payload";
import { planSchema } from "../../provider/kinds/plan/schema";
import { checkFailures } from "../../provider/schema";
import { teamGraduatedRanges, teamPlanArgFields, teamPlanArgs, teamPlanFields, teamRangeArgs, withTier } from "../support/segment-team";

/** What check reports: `charges[0].graduatedRanges[2].fromValue must be …`; unknown values pass. */
const failures = (input: unknown): string[] => checkFailures(planSchema, input as Record<string, unknown>).map((f) => f.reason);

/** The §12 Team plan as Plan arguments: its own fields (`base`) and with its graduated MTU charge (`team`). */
const base = teamPlanArgFields;
const team = teamPlanArgs;
/** A fixture as the plan kind's args: the schema checks it and gives it its type. */
const plan = (args: unknown) => planSchema.parse(args);

const withRanges = (chargeModel: string, key: string, ranges: unknown[]) => ({ ...base, charges: [{ billableMetricCode: "mtu", chargeModel, [key]: ranges }] });

describe("§3.2 plan fields", () => {
  it("accepts the Segment Team plan (§12) and every interval", () => {
    expect(failures(team)).toEqual([]);
    for (const interval of ["weekly", "monthly", "quarterly", "semiannual", "yearly"]) expect(failures({ ...base, interval })).toEqual([]);
  });

  it("accepts the currencies Lago's own list has beyond the OpenAPI enum", () => {
    for (const amountCurrency of ["BHD", "IRR", "JOD", "KWD"]) expect(failures({ ...base, amountCurrency })).toEqual([]);
  });

  it("names each required field and the allowed values", () => {
    expect(failures({ name: " ", code: "", interval: "daily", amountCents: 1.5, amountCurrency: "usd" })).toEqual([
      "name must not be blank (the plan's display name)",
      "code must not be blank (the code subscriptions name the plan by)",
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
    const ranges = withTier(teamRangeArgs, 2, { fromValue: 25002 });
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
    const body = toWire(plan(standard(0.012)), { metricIds: new Map([["mtu", "m-1"]]) });
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
    const ranges = withTier(teamRangeArgs, 2, { fromValue: UNKNOWN, perUnitAmount: UNKNOWN });
    expect(failures(withRanges("graduated", "graduatedRanges", ranges))).toEqual([]);
    expect(failures({ ...base, charges: [{ billableMetricCode: "a", chargeModel: "standard", code: UNKNOWN }, { billableMetricCode: "b", chargeModel: "standard", code: UNKNOWN }] })).toEqual([]);
  });

  it("still report the known mistakes next to them", () => {
    expect(failures({ ...base, amountCents: UNKNOWN, interval: "daily" })).toEqual(["interval must be one of weekly, monthly, quarterly, semiannual, yearly"]);
  });
});

// ---------------------------------------------------------------- payload

/** What Lago answers for `team` (§3.5 shape), as the local Lago or Lago would. */
const lagoCharge = {
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
  properties: { graduated_ranges: teamGraduatedRanges },
  filters: [],
  taxes: [],
} as const;

/** A tax as Lago's plan answer lists it. */
const tax = (code: string) => ({ lago_id: `t-${code}`, name: code, code, rate: 10, applied_to_organization: false, created_at: "2024-05-01T12:00:00Z" });

const lagoTeam = (overrides: Partial<LagoPlan> = {}): LagoPlan => ({
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
  charges: [lagoCharge as never],
  ...overrides,
});

const metricIds = new Map([["mtu", "m-1"], ["api", "m-2"]]);

describe("§3.3/§3.6 request body", () => {
  it("builds the Segment Team body (§12) with explicit charge codes and string prices", () => {
    expect(toWire(plan(team), { metricIds })).toEqual({
      ...teamPlanFields,
      charges: [
        {
          billable_metric_id: "m-1",
          code: "mtu",
          charge_model: "graduated",
          pay_in_advance: false,
          prorated: false,
          invoiceable: true,
          regroup_paid_fees: null,
          min_amount_cents: 0,
          invoice_display_name: null,
          tax_codes: [],
          properties: lagoCharge.properties,
          filters: [],
        },
      ],
    });
  });

  it("sends only the arguments in play, the lago_id of every kept charge, none for new ones, and {} to drop a commitment", () => {
    const charges = plan({ ...team, charges: [...team.charges, { billableMetricCode: "mtu", chargeModel: "standard", amount: "1" }] }).charges;
    const body = toWire({ interval: "monthly", charges, minimumCommitment: null }, { metricIds, current: lagoTeam() });
    expect(Object.keys(body)).toEqual(["interval", "minimum_commitment", "charges"]);
    expect((body.charges as Array<Record<string, unknown>>).map((c) => [c.id, c.code, c.charge_model, c.properties])).toEqual([
      ["c-1", "mtu", "graduated", lagoCharge.properties],
      [undefined, "mtu_2", "standard", { amount: "1" }],
    ]);
    expect(body.minimum_commitment).toEqual({});
  });

  it("fills Lago's property defaults, so a kept charge always goes with full properties", () => {
    const body = toWire(
      {
        charges: [
          { billableMetricCode: "a", chargeModel: "package", amount: "5", packageSize: 10 },
          { billableMetricCode: "b", chargeModel: "graduated_percentage", graduatedPercentageRanges: [{ fromValue: 0, toValue: null, rate: "2" }] },
          { billableMetricCode: "c", chargeModel: "standard", filters: [{ values: { region: ["eu"] } }] },
          { billableMetricCode: "d", chargeModel: "dynamic" },
        ],
      },
      { metricIds: new Map([["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]]) },
    );
    expect((body.charges as any[]).map((c) => [c.billable_metric_id, c.properties, c.filters])).toEqual([
      ["1", { amount: "5", package_size: 10, free_units: 0 }, []],
      ["2", { graduated_percentage_ranges: [{ from_value: 0, to_value: null, rate: "2", fixed_amount: "0", flat_amount: "0" }] }, []],
      ["3", { amount: "0" }, [{ values: { region: ["eu"] }, properties: { amount: "0" }, invoice_display_name: null }]],
      ["4", {}, []],
    ]);
  });

  it("names unnamed charges like Lago: metric code, then _2, _3, skipping taken codes", () => {
    expect(chargeCodes([{ billableMetricCode: "mtu" }, { billableMetricCode: "mtu", code: "mtu_2" }, { billableMetricCode: "mtu" }, { billableMetricCode: "api" }])).toEqual([
      "mtu",
      "mtu_2",
      "mtu_3",
      "api",
    ]);
  });

  it("outputs Lago's charges with their lago_ids only when the program manages charges", () => {
    expect(outputs(lagoTeam(), {})).toEqual({ lagoId: "p-1", createdAt: "2024-05-01T12:00:00Z", pendingDeletion: false });
    const charges = outputs(lagoTeam(), { charges: [] }).charges as Array<Record<string, unknown>>;
    expect(charges.map((c) => [c.lagoId, c.code, c.billableMetric, c.billableMetricCode, c.chargeModel])).toEqual([["c-1", "mtu", "m-1", "mtu", "graduated"]]);
  });
});

describe("canonical form for diff", () => {
  const same = (args: Record<string, unknown>, remote: LagoPlan) => {
    const held: Record<string, unknown> = toArgs(remote);
    const names = Object.keys(args);
    return sameCanonical(normalize(Object.fromEntries(names.map((n) => [n, held[n]]))), normalize(args));
  };

  it("finds Lago's answer equal to the args", () => {
    expect(same(team, lagoTeam())).toBe(true);
    // Lago's answer also holds the ids and metric lago_id the outputs carry.
    const managed = { ...toArgs(lagoTeam()), charges: outputs(lagoTeam(), { charges: [] }).charges };
    expect(sameCanonical(normalize(managed).charges, normalize(team).charges)).toBe(true);
  });

  it("ignores decimal spelling, key order, tax order, defaults and number-vs-string prices", () => {
    // Team's fields first, so the respelled ones below are the ones compared.
    const respelled = {
      ...base,
      charges: [
        {
          chargeModel: "graduated",
          graduatedRanges: teamRangeArgs.map((r) => ({ flatAmount: 0, perUnitAmount: r.perUnitAmount === "0.010" ? 0.01 : r.perUnitAmount, toValue: r.toValue, fromValue: r.fromValue })),
          billableMetricCode: "mtu",
          payInAdvance: false,
          invoiceable: true,
        },
      ],
      trialPeriod: 14.0,
      taxCodes: ["b", "a"],
      description: "",
    };
    expect(same(respelled, lagoTeam({ taxes: [tax("a"), tax("b")] }))).toBe(true);
    expect(same({ ...base, trialPeriod: 0 }, lagoTeam({ trial_period: null }))).toBe(true);
  });

  it("sees a changed price, interval or charge set", () => {
    expect(same({ ...team, interval: "yearly" }, lagoTeam())).toBe(false);
    const repriced = { ...team, charges: [{ ...team.charges[0], graduatedRanges: withTier(teamRangeArgs, 1, { perUnitAmount: "0.02" }) }] };
    expect(same(repriced, lagoTeam())).toBe(false);
  });
});

describe("§3.6 changes Lago ignores once the plan has had a subscription", () => {
  const lagoCharges = toArgs(lagoTeam({ charges: [lagoCharge as never, { ...lagoCharge, code: "old", lago_id: "c-2" } as never] })).charges as ChargeArgsLike[];

  it("names charge fields that differ, and added or removed charges", () => {
    const desired = [
      { ...team.charges[0], chargeModel: "volume", volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "1" }] },
      { billableMetricCode: "api", chargeModel: "standard" },
    ] as unknown as ChargeArgsLike[];
    const paths = chargeDifferences(desired, lagoCharges);
    expect(paths).toEqual(["charges[mtu].chargeModel", "charges[mtu].volumeRanges", "charges[mtu].graduatedRanges", "charges[api]", "charges[old]"]);
    expect(frozenOnceSubscribed(["interval", "name", "charges"], paths)).toEqual(["interval", "charges[mtu].chargeModel"]);
  });

  it("lets prices change (they apply to every subscriber)", () => {
    const repriced = [{ ...team.charges[0], graduatedRanges: withTier(teamRangeArgs, 3, { perUnitAmount: "0.009" }) }, lagoCharges[1]!] as ChargeArgsLike[];
    const paths = chargeDifferences(repriced, lagoCharges);
    expect(paths).toEqual(["charges[mtu].graduatedRanges"]);
    expect(frozenOnceSubscribed(["charges"], paths)).toEqual([]);
  });

  it("says what to do instead", () => {
    expect(frozenReason("interval")).toBe("interval is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions");
    expect(frozenReason("charges[mtu].chargeModel")).toBe(
      "charges[mtu].chargeModel is frozen once the plan has had a subscription; to change it, add a charge with a new code and remove this one",
    );
  });
});
