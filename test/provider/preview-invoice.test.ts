// The invoice-faithful period, the per-charge sample levels, Lago's side effects and the pricing policy: pure
// modules checked against values computed by hand from Lago's rules (the Lago file is named next to each case).
import { describe, expect, it } from "vitest";
import { parsePolicy, PolicyFileError, evaluatePolicy } from "../../provider/policy";
import { buildReport, evaluateGates, EXIT_CODES, renderMarkdown, stepsFromEvents, type StepMetadataLike, type SubscriptionUsage } from "../../provider/preview";
import Decimal from "decimal.js";
import { chargeDiffers, chargeLevels, daysBetween, levelsShowingChange, periodInvoice, type PeriodInvoiceInput } from "../../provider/pricing";

const PLAN = "pulumi-nodejs:dynamic/lago:Plan";
const urn = (name: string) => `urn:pulumi:dev::shop::${PLAN}::${name}`;
const state = (inputs: Record<string, unknown>) => ({ inputs, outputs: { ...inputs, lagoId: "lago-id" } });

/** A monthly plan in arrears with one charge of `amountCents`, in a November period. */
const input = (over: { plan?: Partial<PeriodInvoiceInput["plan"]>; subscription?: Partial<PeriodInvoiceInput["subscription"]> } & Partial<Omit<PeriodInvoiceInput, "plan" | "subscription">> = {}): PeriodInvoiceInput => ({
  currency: "EUR",
  charges: [{ code: "api", billableMetricCode: "api_calls", amountCents: 3000 }],
  ...over,
  plan: { code: "pro", amountCents: 3000, interval: "monthly", payInAdvance: false, trialPeriodDays: 0, ...over.plan },
  subscription: { billingTime: "calendar", startedAt: "2026-10-01T00:00:00Z", periodFrom: "2026-11-01T00:00:00Z", periodTo: "2026-11-30T23:59:59Z", ...over.subscription },
});

describe("periodInvoice: the subscription fee (app/services/fees/subscription_service.rb)", () => {
  it("counts days the way Lago does (app/services/utils/datetime.rb date_diff_with_timezone)", () => {
    expect(daysBetween("2026-11-15T00:00:00Z", "2026-11-30T23:59:59Z")).toBe(16);
    expect(daysBetween("2026-11-15T10:30:00Z", "2026-11-30T23:59:59Z")).toBe(16);
    expect(daysBetween("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")).toBe(31);
  });

  it("a first calendar period inside the trial bills 0 fee (Segment: started 29 Nov, 14-day trial)", () => {
    const invoice = periodInvoice(
      input({
        currency: "USD",
        plan: { code: "team", amountCents: 12000, payInAdvance: true, trialPeriodDays: 14 },
        subscription: { startedAt: "2026-11-29T10:00:00Z", periodFrom: "2026-11-29T10:00:00Z" },
        charges: [{ code: "mtu", amountCents: 23500 }],
      }),
    );
    // trial ends 13 Dec, after the period's end: fee 0; usage 235.00 stays.
    expect(invoice.fee).toEqual({ amountCents: 0, basis: "trial", days: 0, periodDays: 30, billed: "in advance" });
    expect([invoice.totalCents, invoice.fullPeriodCents]).toEqual([23500, 35500]);
  });

  it("a first calendar period bills the days from the start: 16 of 30 days of 30.00 = 16.00", () => {
    const invoice = periodInvoice(input({ subscription: { startedAt: "2026-11-15T00:00:00Z", periodFrom: "2026-11-15T00:00:00Z" } }));
    expect(invoice.fee).toEqual({ amountCents: 1600, basis: "prorated", days: 16, periodDays: 30, billed: "in arrears" });
    expect(invoice.totalCents).toBe(1600 + 3000);
  });

  it("a trial ending inside the period bills the days after it: 11 Nov → 30 Nov is 20 days = 20.00", () => {
    const invoice = periodInvoice(input({ plan: { trialPeriodDays: 10 }, subscription: { startedAt: "2026-11-01T00:00:00Z" } }));
    expect(invoice.fee).toMatchObject({ amountCents: 2000, basis: "trial-then-prorated", days: 20 });
  });

  it("an anniversary subscription started mid-month bills the whole fee for 15 Nov → 14 Dec", () => {
    const invoice = periodInvoice(
      input({ plan: { amountCents: 2000 }, subscription: { billingTime: "anniversary", startedAt: "2026-11-15T00:00:00Z", periodFrom: "2026-11-15T00:00:00Z", periodTo: "2026-12-14T23:59:59Z" } }),
    );
    expect(invoice.fee).toEqual({ amountCents: 2000, basis: "full", days: null, periodDays: null, billed: "in arrears" });
  });
});

describe("periodInvoice: true-up, progressive billing, coupons, taxes, credits", () => {
  const tenPercent = [{ code: "vat_10", rate: "10.0" }];
  const tenEuros = { code: "welcome", couponType: "fixed_amount" as const, amountCents: 1000, amountCurrency: "EUR", frequency: "once" as const };

  it("a 10 % plan tax after a 10.00 coupon: 20 + 30 = 50, − 10 = 40, + 4 tax = 44 (credits/applied_coupon_service.rb, fees/apply_taxes_service.rb)", () => {
    const invoice = periodInvoice(input({ plan: { amountCents: 2000, taxes: tenPercent }, coupons: [tenEuros] }));
    expect([invoice.feesCents, invoice.couponsCents, invoice.taxesCents, invoice.totalCents]).toEqual([5000, 1000, 400, 4400]);
    expect(invoice.taxes).toEqual([{ code: "vat_10", rate: "10", amountCents: 400 }]);
  });

  it("a charge's own tax wins over the plan's; the customer's applies only when the plan has none", () => {
    const charged = periodInvoice(input({ plan: { amountCents: 2000, taxes: tenPercent }, charges: [{ code: "api", amountCents: 3000, taxes: [{ code: "vat_20", rate: "20" }] }] }));
    expect(charged.taxes).toEqual([{ code: "vat_10", rate: "10", amountCents: 200 }, { code: "vat_20", rate: "20", amountCents: 600 }]);
    const customer = periodInvoice(input({ plan: { amountCents: 2000 }, customerTaxes: [{ code: "vat_5", rate: "5" }], organizationTaxes: tenPercent }));
    expect(customer.taxes).toEqual([{ code: "vat_5", rate: "5", amountCents: 250 }]);
  });

  it("a minimum commitment of 100.00 over 20 + 30 of fees adds a 50.00 true-up (commitments/minimum/calculate_true_up_fee_service.rb)", () => {
    const invoice = periodInvoice(input({ plan: { amountCents: 2000, minimumCommitmentCents: 10000, taxes: tenPercent }, coupons: [tenEuros] }));
    // 100 − 10 coupon = 90, + 9 tax = 99
    expect([invoice.commitmentTrueUpCents, invoice.feesCents, invoice.totalCents]).toEqual([5000, 10000, 9900]);
  });

  it("a first calendar period prorates the commitment: 16 of 30 days of 90.00 = 48.00, less 16.00 + 30.00", () => {
    const invoice = periodInvoice(input({ plan: { minimumCommitmentCents: 9000 }, subscription: { startedAt: "2026-11-15T00:00:00Z", periodFrom: "2026-11-15T00:00:00Z" } }));
    expect(invoice.commitmentTrueUpCents).toBe(4800 - 1600 - 3000);
  });

  it("progressive billing already invoiced at the 50.00 threshold is deducted from 80.00 of usage", () => {
    const invoice = periodInvoice(input({ plan: { amountCents: 0, usageThresholds: [{ amountCents: 5000, recurring: false }] }, charges: [{ code: "api", amountCents: 8000 }] }));
    expect([invoice.progressiveBilledCents, invoice.totalCents]).toEqual([5000, 3000]);
    expect(invoice.estimates.join(" ")).toContain("progressive billing");
  });

  it("prepaid credits pay after taxes and show apart: 44.00 total, 30.00 from credits, 14.00 due", () => {
    const invoice = periodInvoice(input({ plan: { amountCents: 2000, taxes: tenPercent }, coupons: [tenEuros], walletBalanceCents: 3000 }));
    expect([invoice.totalCents, invoice.creditsCents, invoice.dueCents]).toEqual([4400, 3000, 1400]);
  });

  it("a percentage coupon limited to a metric takes only its charge's share (credits/applied_coupons_service.rb order)", () => {
    const invoice = periodInvoice(
      input({ plan: { amountCents: 2000 }, coupons: [{ code: "api-half", couponType: "percentage", percentageRate: "50", frequency: "forever", billableMetricCodes: ["api_calls"] }] }),
    );
    expect(invoice.coupons).toEqual([{ code: "api-half", amountCents: 1500 }]);
  });
});

// A plan charging API calls by package (10,000 free, €5 per 1,000) and storage by volume; the package price rises to €6.
const apiPlan = (packagePrice: string, fee = 0) => ({
  name: "API",
  code: "api",
  interval: "monthly",
  amountCents: fee,
  amountCurrency: "EUR",
  charges: [
    { billableMetricCode: "api_calls", chargeModel: "package", amount: packagePrice, packageSize: 1000, freeUnits: 10000 },
    {
      billableMetricCode: "storage_gb",
      chargeModel: "volume",
      volumeRanges: [
        { fromValue: 0, toValue: 100, perUnitAmount: "0.5", flatAmount: "0" },
        { fromValue: 101, toValue: null, perUnitAmount: "0.4", flatAmount: "0" },
      ],
    },
  ],
});
const apiUpdate = (after: Record<string, unknown>): StepMetadataLike => ({ op: "update", type: PLAN, urn: urn("plan-api"), old: state(apiPlan("5")), new: state(after) });

describe("sample levels from the changed charge's own shape", () => {
  it("a package price rise shows past the free units: 10,001 and 11,000 units +€1.00, 20,000 units +€10.00", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([apiUpdate(apiPlan("6"))]) });
    const [plan] = report.plans;
    expect(plan!.changes.map((c) => c.text)).toEqual(["API · api_calls: package price €5.00 → €6.00 per package"]);
    // Only the API-calls charge is exercised; storage is not. 10,000: all free; 10,001: one package; 20,000: ten.
    expect(plan!.impact.map((l) => [l.charge, l.units, l.beforeCents, l.afterCents, l.deltaCents])).toEqual([
      ["api_calls", "10000", 0, 0, 0],
      ["api_calls", "10001", 500, 600, 100],
      ["api_calls", "11000", 500, 600, 100],
      ["api_calls", "20000", 5000, 6000, 1000],
    ]);
    expect(renderMarkdown(report)).toContain("| api_calls | 10,001 | €5.00 | €6.00 | +€1.00 (+20.00%) |");
  });

  it("the Changed column lists the changed arguments of an update the engine reported without diffs", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([apiUpdate({ ...apiPlan("6", 1000), description: "new" })]) });
    expect(report.steps[0]!.changed).toEqual(["amountCents", "charges", "description"]);
  });

  it("levels sit at the edges of the tier that moved; a change no level shows is searched for (found at 200,000 units)", () => {
    const ranges = (open: string) => ({
      graduated_ranges: [
        { from_value: 0, to_value: 150000, per_unit_amount: "0", flat_amount: "0" },
        { from_value: 150001, to_value: null, per_unit_amount: open, flat_amount: "0" },
      ],
    });
    const [before, after] = [{ code: "x", charge_model: "graduated", properties: ranges("0.01") }, { code: "x", charge_model: "graduated", properties: ranges("0.02") }];
    expect(chargeLevels(before, after).map(String)).toEqual(["150001", "300002"]);
    // From 100 units only, the first level of 1, 2, 5 × 10^n where 0.01 and 0.02 per unit differ is 200,000.
    expect(levelsShowingChange([new Decimal(100)], chargeDiffers(before, after, ["EUR", "EUR"])).map(String)).toEqual(["100", "200000"]);
  });
});

describe("Lago's side effects (app/services/plans/update_service.rb)", () => {
  const pro = (fee: number) => ({ name: "Pro", code: "pro", interval: "monthly", amountCents: fee, amountCurrency: "EUR", charges: [] });
  const proUpdate: StepMetadataLike = { op: "update", type: PLAN, urn: urn("plan-pro"), old: state(pro(5000)), new: state(pro(8000)) };

  it("raising a fee turns pending downgrades into upgrades when the new yearly fee is no lower, and names the customers", () => {
    const report = buildReport({
      stack: "dev",
      steps: stepsFromEvents([proUpdate]),
      facts: {
        // 80.00 × 12 = 960.00 a year ≥ 70.00 × 12 = 840.00: upgraded; ≥ 1,200.00 a year: still a downgrade.
        pendingDowngrades: [
          { customer: "acme", subscription: "acme-pro", planCode: "pro", fromPlanCode: "business", fromPlanYearlyCents: 84000 },
          { customer: "globex", subscription: "globex-pro", planCode: "pro", fromPlanCode: "enterprise", fromPlanYearlyCents: 120000 },
        ],
        downgrading: [],
        subscribers: { pro: ["acme", "globex"] },
      },
    });
    expect(report.attention.map((a) => [a.rule, a.object, a.customers])).toEqual([["pending-downgrade-upgraded", "Plan pro", ["acme"]]]);
    expect(report.attention[0]!.text).toContain("turns 1 pending downgrade into immediate upgrade: Lago terminates and invoices the current subscription (acme-pro on business)");
    expect(renderMarkdown(report)).toMatch(/### ⚠️ Needs attention[\s\S]*\*\*Plan pro\*\*: Raising Pro's fee \(€50\.00 → €80\.00\)/);
  });

  it("removing a charge with usage this period names the money Lago will not bill", () => {
    const usage: SubscriptionUsage = {
      externalCustomerId: "acme",
      externalSubscriptionId: "acme-api",
      planCode: "api",
      from: "2026-11-01T00:00:00Z",
      to: "2026-11-30T23:59:59Z",
      currency: "EUR",
      chargesUsage: [{ units: "120", events_count: 3, amount_cents: 4800, charge: { code: "storage_gb", charge_model: "volume" }, billable_metric: { code: "storage_gb" } }],
    };
    const withoutStorage = { ...apiPlan("5"), charges: [apiPlan("5").charges[0]] };
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([apiUpdate(withoutStorage)]), usage: [usage], facts: { pendingDowngrades: [], downgrading: [], subscribers: { api: ["acme"] } } });
    expect(report.attention.map((a) => [a.rule, a.amountCents, a.customers])).toEqual([["charge-removed-with-usage", 4800, ["acme"]]]);
    expect(report.attention[0]!.text).toContain("€48.00 that Lago will not bill");
  });
});

describe("changes Lago ignores while the object is in use (app/services/coupons/update_service.rb)", () => {
  const COUPON = "pulumi-nodejs:dynamic/lago:Coupon";
  const welcome = (cents: number) => ({ code: "welcome", name: "Welcome", couponType: "fixed_amount", amountCents: cents, amountCurrency: "EUR", frequency: "once" });
  const couponUpdate: StepMetadataLike = { op: "update", type: COUPON, urn: `urn:pulumi:dev::shop::${COUPON}::welcome`, old: state(welcome(1000)), new: state(welcome(1500)) };
  const noFacts = { pendingDowngrades: [], downgrading: [], subscribers: {} };

  it("a coupon's amount, once the coupon has been applied, is named with the customers holding it", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([couponUpdate]), facts: { ...noFacts, couponHolders: { welcome: ["acme", "globex"] } } });
    expect(report.attention.map((a) => [a.rule, a.object, a.customers, a.lagoSource])).toEqual([
      ["ignored-while-in-use", "Coupon welcome", ["acme", "globex"], "app/services/coupons/update_service.rb (applied coupons exist)"],
    ]);
    expect(report.attention[0]!.text).toBe("Lago ignores changes to amountCents once the coupon has been applied to a customer (it answers 200 with the old values); the provider refuses the change at preview.");
  });

  it("a coupon nobody holds changes freely: nothing to name", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([couponUpdate]), facts: { ...noFacts, couponHolders: { welcome: [] } } });
    expect(report.attention).toEqual([]);
  });
});

describe("pricing policy", () => {
  it("reports a bad file at its line and column", () => {
    const text = "maxIncrease:\n  percent: 5\n  per: [customers]\ncurrencies: [usd]\n";
    let error: PolicyFileError | undefined;
    try {
      parsePolicy(text, "pricing-policy.yaml");
    } catch (e) {
      error = e as PolicyFileError;
    }
    expect(error).toBeInstanceOf(PolicyFileError);
    expect(error!.issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [3, 9, "maxIncrease.per[0]"],
      [4, 14, "currencies[0]"],
    ]);
    expect(error!.message).toContain('pricing-policy.yaml:3:9: maxIncrease.per[0] must be "customer" or "level"');
  });

  it("three violations, each with its rule, object and numbers, exit 6", () => {
    const policy = parsePolicy("maxIncrease: { percent: 10 }\nrequireTrial: { plans: [api] }\ncurrencies: [USD]\nrequireCharges: true\n");
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([apiUpdate(apiPlan("6"))]), policy });
    expect(report.policy!.violations.map((v) => [v.rule, v.object])).toEqual([
      // 5.00 → 6.00 at 10,001 and 11,000 units is +20 %; 50 → 60 at 20,000 is +20 %.
      ["maxIncrease", "Plan api · api_calls at 10,001 units"],
      ["maxIncrease", "Plan api · api_calls at 11,000 units"],
      ["maxIncrease", "Plan api · api_calls at 20,000 units"],
      ["requireTrial", "Plan api"],
      ["currencies", "Plan api"],
    ]);
    expect(report.policy!.violations[0]!.numbers).toMatchObject({ before: "500", after: "600", percent: "20.00", limitPercent: "10" });
    expect(evaluateGates(report, {}).exitCode).toBe(EXIT_CODES.policy);
  });

  it("ranges: a gap, a mixed bound style and falling tiers are found; deleting a subscribed plan is refused", () => {
    const plan = {
      code: "p",
      name: "P",
      currency: "EUR",
      trialPeriodDays: 0,
      charges: [
        {
          label: "calls",
          wire: {
            code: "calls",
            charge_model: "graduated",
            properties: {
              graduated_ranges: [
                { from_value: 0, to_value: 100, per_unit_amount: "0.1" },
                { from_value: 100, to_value: 200, per_unit_amount: "0.2" },
                { from_value: 201, to_value: 300, per_unit_amount: "0.1" },
                { from_value: 310, to_value: null, per_unit_amount: "0.1" },
              ],
            },
          },
        },
      ],
    };
    const violations = evaluatePolicy({ contiguousRanges: true, nonIncreasingTiers: true }, { plans: [plan], bills: [], deletions: [{ code: "old", op: "delete", subscribers: ["acme"] }] });
    expect(violations.map((v) => `${v.rule}: ${v.text.split(";")[0]}`)).toEqual([
      "contiguousRanges: gap: 301–309 between ranges 3 and 4",
      "contiguousRanges: mixes ranges starting where the previous ends with ranges starting one unit later: a unit is counted twice or skipped",
      "nonIncreasingTiers: tier 2 costs 0.2 per unit, more than tier 1's 0.1",
      "noDeleteWithSubscribers: is deleted while 1 customer subscribes to it (acme)",
    ]);
  });
});
