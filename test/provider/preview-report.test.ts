// The pricing preview's report, built from engine step events written the way the engine sends them for the
// provider's resources, checked against values computed by hand (Segment Team, lago-api.md §12).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildReport,
  evaluateGates,
  EXIT_CODES,
  MAX_MARKDOWN_CHARS,
  pricingDiff,
  planSide,
  renderJson,
  renderMarkdown,
  stepsFromEvents,
  type StepMetadataLike,
  type SubscriptionUsage,
} from "../../provider/preview";
import { mtuMetricArgs, teamPlanArgFields, teamRangeArgs, withTier } from "../support/segment-team";

const PLAN = "pulumi-nodejs:dynamic/lago:Plan";
const METRIC = "pulumi-nodejs:dynamic/lago:BillableMetric";
const urn = (type: string, name: string) => `urn:pulumi:dev::segment::${type}::${name}`;

/** Team's arguments as the Plan resource sends them (charges carry the metric's id and code), a fresh copy each call. */
const team = (second = "0.012", extra: Record<string, unknown> = {}) => ({
  ...teamPlanArgFields,
  charges: [{ billableMetric: "bm_1", billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: withTier(teamRangeArgs, 1, { perUnitAmount: second }) }],
  ...extra,
});

const state = (inputs: Record<string, unknown>, outputs: Record<string, unknown> = inputs) => ({ inputs, outputs: { ...outputs, lagoId: "lago-id" } });
const metric = mtuMetricArgs;

const metricSame: StepMetadataLike = { op: "same", type: METRIC, urn: urn(METRIC, "metric-mtu"), old: state(metric), new: state(metric) };
const teamUpdate = (second = "0.013", extra: Record<string, unknown> = {}): StepMetadataLike => ({
  op: "update",
  type: PLAN,
  urn: urn(PLAN, "plan-team"),
  old: state(team()),
  new: state(team(second, extra)),
  diffs: ["charges"],
});
const freeDelete: StepMetadataLike = {
  op: "delete",
  type: PLAN,
  urn: urn(PLAN, "plan-free"),
  old: state({ name: "Free", code: "free", interval: "monthly", amountCents: 0, amountCurrency: "USD", charges: [] }),
};
const stackStep: StepMetadataLike = { op: "same", type: "pulumi:pulumi:Stack", urn: "urn:pulumi:dev::segment::pulumi:pulumi:Stack::segment-dev" };

const acmeUsage = (mtus: number, customer = "acme", subscription = "acme-main"): SubscriptionUsage => ({
  externalCustomerId: customer,
  externalSubscriptionId: subscription,
  planCode: "team",
  from: "2026-11-01T00:00:00Z",
  to: "2026-11-30T23:59:59Z",
  currency: "USD",
  chargesUsage: [{ units: `${mtus}.0`, events_count: mtus, amount_cents: 0, charge: { code: "mtu", charge_model: "graduated" }, filters: [], grouped_usage: [] }],
});

describe("steps from engine events", () => {
  it("keeps Lago resources only, and folds a replacement's three events into one replace", () => {
    const customer = "pulumi-nodejs:dynamic/lago:Customer";
    const old = state({ externalId: "acme", name: "Acme", currency: "USD" });
    const next = state({ externalId: "acme", name: "Acme", currency: "EUR" });
    const steps = stepsFromEvents([
      stackStep,
      { op: "create-replacement", type: customer, urn: urn(customer, "customer-acme"), old, new: next, keys: ["currency"], diffs: ["currency"] },
      { op: "replace", type: customer, urn: urn(customer, "customer-acme"), old, new: next, keys: ["currency"], diffs: ["currency"] },
      { op: "read", type: METRIC, urn: urn(METRIC, "metric-read") },
      metricSame,
      { op: "delete-replaced", type: customer, urn: urn(customer, "customer-acme"), old },
    ]);
    expect(steps.map((s) => [s.op, s.kind, s.name, s.replaceKeys])).toEqual([
      ["replace", "Customer", "customer-acme", ["currency"]],
      ["same", "BillableMetric", "metric-mtu", []],
    ]);
    expect(steps[0]!.old!.inputs.currency).toBe("USD");
    expect(steps[0]!.new!.inputs.currency).toBe("EUR");
  });
});

describe("pricing diff lines", () => {
  const names = new Map([["mtu", "Monthly Tracked Users"]]);
  const diff = (before: Record<string, unknown> | null, after: Record<string, unknown> | null) =>
    pricingDiff(planSide(before && state(before), "old"), planSide(after && state(after), "new"), names).map((c) => c.text);

  it("one tier's price: `Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit`", () => {
    expect(diff(team(), team("0.013"))).toEqual(["Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit"]);
    const [change] = pricingDiff(planSide(state(team()), "old"), planSide(state(team("0.013")), "new"), names);
    expect(change).toMatchObject({ charge: "mtu", tier: "10,001–25,000", field: "per unit", before: "$0.012", after: "$0.013" });
  });

  it("a respelled price is no change: 0.010 and 0.01 are one value", () => {
    const respelled = team();
    respelled.charges[0]!.graduatedRanges = withTier(respelled.charges[0]!.graduatedRanges, 3, { perUnitAmount: "0.01" });
    expect(diff(team(), respelled)).toEqual([]);
  });

  it("the plan fee, the trial and a flat fee in the open tier", () => {
    const after = team("0.012", { amountCents: 14900, trialPeriod: 7 });
    (after.charges[0]!.graduatedRanges[3] as Record<string, unknown>).flatAmount = "25";
    expect(diff(team(), after)).toEqual([
      "Team: plan fee $120.00 → $149.00 per month",
      "Team: trial 14 → 7 days",
      "Team · Monthly Tracked Users · 100,001+: flat fee $0.00 → $25.00",
    ]);
  });

  it("moved tier bounds print both price lists", () => {
    const after = team();
    after.charges[0]!.graduatedRanges = [
      { fromValue: 0, toValue: 20000, perUnitAmount: "0" },
      { fromValue: 20001, toValue: null, perUnitAmount: "0.01" },
    ];
    expect(diff(team(), after)).toEqual([
      "Team · Monthly Tracked Users: graduated: 0–10,000 $0.00 · 10,001–25,000 $0.012 · 25,001–100,000 $0.011 · 100,001+ $0.01 per unit → graduated: 0–20,000 $0.00 · 20,001+ $0.01 per unit",
    ]);
  });

  it("charges added and removed, a standard price, a filter's own price", () => {
    const calls = (amount: string, eu: string) => ({ billableMetricCode: "calls", chargeModel: "standard", amount, invoiceDisplayName: "API calls", filters: [{ values: { region: ["eu"] }, properties: { amount: eu } }] });
    const before = { ...team(), charges: [...team().charges, calls("0.005", "0.007")] };
    const after = { ...team(), charges: [calls("0.004", "0.008"), { billableMetricCode: "seats", chargeModel: "package", amount: "10", packageSize: 5 }] };
    expect(diff(before, after)).toEqual([
      "Team · Monthly Tracked Users: removed (was graduated: 0–10,000 $0.00 · 10,001–25,000 $0.012 · 25,001–100,000 $0.011 · 100,001+ $0.01 per unit)",
      "Team · API calls: $0.005 → $0.004 per unit",
      "Team · API calls [region: eu]: $0.007 → $0.008 per unit",
      "Team · seats: added, $10.00 per 5 units",
    ]);
  });

  it("a created plan shows its fee and charges as added; a deleted one as removed", () => {
    expect(diff(null, team())).toEqual([
      "Team: plan fee — → $120.00 per month",
      "Team · Monthly Tracked Users: added, graduated: 0–10,000 $0.00 · 10,001–25,000 $0.012 · 25,001–100,000 $0.011 · 100,001+ $0.01 per unit",
    ]);
    expect(diff({ name: "Free", code: "free", interval: "monthly", amountCents: 0, amountCurrency: "EUR", charges: [] }, null)).toEqual(["Free: plan fee €0.00 → — per month"]);
  });
});

describe("bill impact at sample levels", () => {
  it("defaults to the edges of the tier that moved, for the charge that moved: 10,001 / 25,000 / 25,001 MTUs", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([metricSame, teamUpdate()]) });
    // 10,001: one unit in the tier, $0.012 and $0.013 both round to 1 cent: 120.01 either way.
    // 25,000: 120 + 15,000 × 0.012 = 300 → 120 + 15,000 × 0.013 = 315 (+15, +5.00 %)
    // 25,001: 300 + 1 × 0.011 = 300.011 → 300.01; 315.011 → 315.01 (+15, +5.00 %)
    const mtu = { charge: "mtu", chargeLabel: "Monthly Tracked Users", filter: null };
    expect(report.plans[0]!.impact).toEqual([
      { ...mtu, units: "10001", beforeCents: 12001, afterCents: 12001, deltaCents: 0, percent: "0.00" },
      { ...mtu, units: "25000", beforeCents: 30000, afterCents: 31500, deltaCents: 1500, percent: "5.00" },
      { ...mtu, units: "25001", beforeCents: 30001, afterCents: 31501, deltaCents: 1500, percent: "5.00" },
    ]);
  });

  it("levels given: 5,000 / 10,001 / 30,000 / 150,000 MTUs", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([teamUpdate()]), levels: [5000, 10001, 30000, 150000] });
    // 10,001: $0.012 and $0.013 both round to 1 cent; 30,000: 235 → 15,000 × 0.013 + 55 = 250;
    // 150,000: 1,505 → 195 + 825 + 500 = 1,520.
    expect(report.plans[0]!.impact.map((l) => [l.units, l.beforeCents, l.afterCents])).toEqual([
      ["5000", 12000, 12000],
      ["10001", 12001, 12001],
      ["30000", 35500, 37000],
      ["150000", 162500, 164000],
    ]);
  });

  it("a plan update that moves no price is a step but not a changed plan", () => {
    const renamed: StepMetadataLike = { ...teamUpdate("0.012", { description: "New words" }), diffs: ["description"] };
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([renamed]) });
    expect(report.steps.map((s) => [s.op, s.kind, s.key, s.changed])).toEqual([["update", "Plan", "team", ["description"]]]);
    expect(report.plans).toEqual([]);
  });
});

describe("customers: current usage re-priced", () => {
  it("30,000 and 12,000 MTUs on Team at $0.013: 355 → 370 and 144 → 146; monthly revenue 499 → 516 (+3.41 %)", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([metricSame, teamUpdate()]), usage: [acmeUsage(12000, "globex", "globex-main"), acmeUsage(30000)] });
    const subs = report.customers!.subscriptions;
    // Largest change first.
    expect(subs.map((s) => [s.customer, s.subscription, s.usage, s.beforeCents, s.afterCents, s.deltaCents, s.percent])).toEqual([
      ["acme", "acme-main", [{ charge: "mtu", units: "30000" }], 35500, 37000, 1500, "4.23"],
      ["globex", "globex-main", [{ charge: "mtu", units: "12000" }], 14400, 14600, 200, "1.39"],
    ]);
    expect(report.customers!.revenue).toEqual([{ currency: "USD", subscriptions: 2, beforeCents: 49900, afterCents: 51600, deltaCents: 1700, percent: "3.41" }]);
    expect(report.summary.maxIncreasePercent).toBe("5.00"); // the 25,000 level
  });

  it("a deleted plan's subscriptions lose their whole bill", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([{ ...freeDelete, old: state(team()), urn: urn(PLAN, "plan-team") }]), usage: [acmeUsage(30000)] });
    expect(report.customers!.subscriptions.map((s) => [s.beforeCents, s.afterCents, s.percent])).toEqual([[35500, 0, "-100.00"]]);
  });
});

describe("ordering, marker and markdown", () => {
  const report = buildReport({ stack: "prod-eu", steps: stepsFromEvents([stackStep, metricSame, teamUpdate(), freeDelete]), usage: [acmeUsage(30000)] });
  const markdown = renderMarkdown(report);

  it("destructive steps come first, with what Lago does to billing data", () => {
    expect(report.steps.map((s) => `${s.op} ${s.kind} ${s.key} ${s.destructive}`)).toEqual(["delete Plan free true", "update Plan team false"]);
    expect(report.destructive).toEqual([report.steps[0]]);
    expect(report.destructive[0]!.consequence).toBe("Lago terminates every subscription on the plan and deletes it");
    expect(report.summary).toEqual({ changes: { update: 1, delete: 1 }, destructive: 1, plansChanged: 2, maxIncreasePercent: "5.00", increaseFromZero: false, attention: 0, policyViolations: 0 });
  });

  it("the markdown opens with the hidden marker, then the destructive section in bold before anything else", () => {
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("<!-- pulumi-lago-preview stack=prod-eu -->");
    expect(report.marker).toBe(lines[0]);
    const destructive = markdown.indexOf("### ⚠️ Destructive changes (1)");
    expect(destructive).toBeGreaterThan(0);
    expect(destructive).toBeLessThan(markdown.indexOf("### Lago changes"));
    expect(markdown).toContain("- **delete Plan `free` (plan-free): Lago terminates every subscription on the plan and deletes it**");
    expect(markdown).toContain("| **delete** | **Plan** | **`free`** | plan-free | — |");
    expect(markdown).toContain("- Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit");
    expect(markdown).toContain("| 25,000 | $300.00 | $315.00 | +$15.00 (+5.00%) |");
    expect(markdown).toContain("**Monthly revenue (USD, 1 subscription): $355.00 → $370.00, +$15.00 (+4.23%)**");
    expect(markdown).toContain("| `acme` | `acme-main` | `team` | mtu: 30,000 | $355.00 | $370.00 | +$15.00 (+4.23%) |");
    expect(markdown).not.toContain("<details>");
  });

  it("the JSON carries the same marker and reads back to the same report", () => {
    const json = JSON.parse(renderJson(report));
    expect(json.version).toBe(2);
    expect(json.marker).toBe("<!-- pulumi-lago-preview stack=prod-eu -->");
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe("the 60,000-character cap", () => {
  const usage = (n: number) => Array.from({ length: n }, (_, i) => acmeUsage(10000 + i * 10, `customer-${i}`, `subscription-${i}`));

  it("a table over 10 rows folds into <details>, every row kept", () => {
    const markdown = renderMarkdown(buildReport({ stack: "dev", steps: stepsFromEvents([teamUpdate()]), usage: usage(15) }));
    expect(markdown).toContain("<details><summary>15 subscriptions</summary>");
    expect(markdown.match(/\| `subscription-\d+` \|/g)).toHaveLength(15);
  });

  it("5,000 subscriptions: cut to fit, marker and destructive section kept, the rest pointed at the JSON", () => {
    const report = buildReport({ stack: "dev", steps: stepsFromEvents([teamUpdate(), freeDelete]), usage: usage(5000) });
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(markdown.startsWith("<!-- pulumi-lago-preview stack=dev -->\n")).toBe(true);
    expect(markdown).toContain("### ⚠️ Destructive changes (1)");
    const kept = markdown.match(/\| `subscription-\d+` \|/g)!.length;
    expect(kept).toBeLessThan(5000);
    expect(markdown).toContain(`_… and ${5000 - kept} more subscriptions in the JSON report._`);
    expect(report.customers!.subscriptions).toHaveLength(5000);
  });
});

describe("--anonymize", () => {
  it("hashes customer and subscription ids (sha256, 12 hex digits) everywhere they appear", () => {
    const customer = "pulumi-nodejs:dynamic/lago:Customer";
    const steps = stepsFromEvents([teamUpdate(), { op: "delete", type: customer, urn: urn(customer, "customer-acme"), old: state({ externalId: "acme", name: "Acme" }) }]);
    const report = buildReport({ stack: "dev", steps, usage: [acmeUsage(30000)], anonymize: true });
    const hash = (id: string) => `anon-${createHash("sha256").update(id).digest("hex").slice(0, 12)}`;
    expect(report.anonymized).toBe(true);
    expect(report.customers!.subscriptions[0]).toMatchObject({ customer: hash("acme"), subscription: hash("acme-main") });
    expect(report.destructive[0]).toMatchObject({ kind: "Customer", key: hash("acme"), name: hash("customer-acme"), urn: urn(customer, hash("customer-acme")) });
    const everything = renderJson(report) + renderMarkdown(report);
    expect(everything).not.toMatch(/acme/i);
  });
});

describe("gates and exit codes", () => {
  const steps = (...events: StepMetadataLike[]) => stepsFromEvents(events);

  it("0 when nothing trips; 3 for a destructive step; 4 for an increase over the limit; 5 for both", () => {
    const increase = buildReport({ stack: "dev", steps: steps(teamUpdate()) }); // at most +5.00 %
    const both = buildReport({ stack: "dev", steps: steps(teamUpdate(), freeDelete) });
    expect(evaluateGates(increase, { failOnDestructive: true, failOnIncrease: 5 })).toEqual({ exitCode: EXIT_CODES.ok, failures: [] });
    expect(evaluateGates(both, { failOnDestructive: true })).toEqual({ exitCode: 3, failures: ["1 destructive step(s): delete Plan free"] });
    expect(evaluateGates(increase, { failOnIncrease: "4.99" })).toEqual({ exitCode: 4, failures: ["a bill rises by 5.00%, more than the 4.99% allowed"] });
    expect(evaluateGates(both, { failOnDestructive: true, failOnIncrease: 1 }).exitCode).toBe(5);
    expect(evaluateGates(both, {})).toEqual({ exitCode: 0, failures: [] });
  });

  it("a bill rising from zero trips any increase limit", () => {
    const free = { name: "Free", code: "free", interval: "monthly", amountCents: 0, amountCurrency: "USD", charges: [] };
    const report = buildReport({ stack: "dev", steps: steps({ op: "update", type: PLAN, urn: urn(PLAN, "plan-free"), old: state(free), new: state({ ...free, amountCents: 500 }) }) });
    expect(report.summary).toMatchObject({ maxIncreasePercent: null, increaseFromZero: true });
    expect(evaluateGates(report, { failOnIncrease: 1000 })).toEqual({ exitCode: 4, failures: ["a bill rises from zero"] });
  });
});
