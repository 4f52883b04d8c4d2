// The pricing preview's invoice-faithful figures end to end, on one stack applied to a fresh local Lago through the
// real Pulumi engine: an API plan charging calls by package (10,000 free, €5 per 1,000) and storage by volume, with
// a 10 % tax and a €60 minimum commitment; a Starter plan with a 30-day trial; a Business plan; a plan with no
// charge. Customers come from the product side: Anna on API (anniversary, since the 15th, a €10 coupon, 16,000
// calls), Bruno on Starter (calendar, started now), Carla on Business with a pending downgrade to Starter.
// The change: the API package price €5 → €6 and Starter's fee €30 → €40. Every expected value is worked out by
// hand in the comments, from the Lago file named there.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { runPreviewCommand } from "../../bin/commands/preview";
import { catalogResources, loadCatalog } from "../../provider/catalog";
import { offlineStack } from "../../provider/engine";
import { EXIT_CODES, renderMarkdown, runPricingPreview, type PreviewReport } from "../../provider/preview";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { REPO_ROOT, useLocalLagoWithOwnKey, useScratchDir } from "./support/engine";

const lago = useLocalLagoWithOwnKey();
const scratch = useScratchDir("e2e-pricing-preview-invoice");
const PASSPHRASE = "pricing-preview-invoice-e2e";
const STACK = "shop";

const catalog = (packagePrice: string, starterFee: number) => `
metrics:
  - { code: api_calls, name: API calls, aggregationType: sum_agg, fieldName: calls }
  - { code: storage_gb, name: Storage, aggregationType: sum_agg, fieldName: gb }
plans:
  - code: api
    name: API
    interval: monthly
    amountCents: 2000
    amountCurrency: EUR
    taxCodes: [vat_10]
    minimumCommitment: { amountCents: 6000, invoiceDisplayName: Minimum spend }
    charges:
      - { billableMetricCode: api_calls, chargeModel: package, amount: "${packagePrice}", packageSize: 1000, freeUnits: 10000 }
      - billableMetricCode: storage_gb
        chargeModel: volume
        volumeRanges:
          - { fromValue: 0, toValue: 100, perUnitAmount: "0.5" }
          - { fromValue: 101, toValue: null, perUnitAmount: "0.4" }
  - code: starter
    name: Starter
    interval: monthly
    amountCents: ${starterFee}
    amountCurrency: EUR
    payInAdvance: true
    trialPeriod: 30
    charges:
      - { billableMetricCode: api_calls, chargeModel: standard, amount: "0.001" }
  - code: business
    name: Business
    interval: monthly
    amountCents: 3500
    amountCurrency: EUR
    charges:
      - { billableMetricCode: api_calls, chargeModel: standard, amount: "0.001" }
  - { code: empty, name: Empty, interval: monthly, amountCents: 0, amountCurrency: EUR }
`;

const files = { base: path.join(scratch, "catalog.yaml"), changed: path.join(scratch, "catalog-changed.yaml"), program: path.join(scratch, "program.ts"), policy: path.join(scratch, "pricing-policy.yaml") };
let catalogPath = files.base;
let stack: Stack;

/** Anna's anniversary day: the 15th of this month, or of the last one before the 15th (her period has begun). */
function annaStart(now = new Date()): Date {
  const monthsBack = now.getUTCDate() >= 15 ? 0 : 1;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 15));
}

beforeAll(async () => {
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(files.base, catalog("5", 3000));
  fs.writeFileSync(files.changed, catalog("6", 4000));
  // The tax the API plan names exists before the plan does.
  await lago.client.taxes.createTax({ tax: { name: "VAT 10", code: "vat_10", rate: 10 } as never });
  stack = await offlineStack({
    stateDir: scratch,
    projectName: "pulumi-lago-shop",
    stackName: STACK,
    program: async () => {
      catalogResources(loadCatalog(catalogPath));
      return {};
    },
    lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey },
    passphrase: PASSPHRASE,
    cli: await ensurePulumiCli({ acquire: false }),
  });
  expect((await stack.up()).summary.result).toBe("succeeded");

  const { customers, subscriptions, coupons, appliedCoupons, events } = lago.client;
  for (const id of ["anna", "bruno", "carla"]) await customers.createCustomer({ customer: { external_id: id, name: id, currency: "EUR" } });
  await subscriptions.createSubscription({ subscription: { external_customer_id: "anna", plan_code: "api", external_id: "anna-api", billing_time: "anniversary", subscription_at: annaStart().toISOString() } });
  await subscriptions.createSubscription({ subscription: { external_customer_id: "bruno", plan_code: "starter", external_id: "bruno-starter" } });
  await subscriptions.createSubscription({ subscription: { external_customer_id: "carla", plan_code: "business", external_id: "carla-main" } });
  // Starter costs less than Business: Lago keeps the change pending until the period ends (a downgrade).
  await subscriptions.createSubscription({ subscription: { external_customer_id: "carla", plan_code: "starter", external_id: "carla-main" } });
  await coupons.createCoupon({ coupon: { name: "Welcome", code: "welcome", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "EUR", frequency: "once", expiration: "no_expiration" } as never });
  await appliedCoupons.applyCoupon({ applied_coupon: { external_customer_id: "anna", coupon_code: "welcome" } } as never);
  await events.createEvent({ event: { transaction_id: "anna-1", external_subscription_id: "anna-api", code: "api_calls", timestamp: Math.floor(Date.now() / 1000), properties: { calls: "16000" } } });
  const pending = await subscriptions.findAllSubscriptions({ external_customer_id: "carla", "status[]": ["pending"] } as never);
  expect(pending.data.subscriptions.map((s) => [s.plan_code, s.status])).toEqual([["starter", "pending"]]);
}, 300_000);

describe("pricing preview with invoice-faithful periods and Lago's side effects", () => {
  let report: PreviewReport;

  it("previews the change with customers", async () => {
    catalogPath = files.changed;
    ({ report } = await runPricingPreview({ stack, stackName: STACK, customers: true }));
    expect(report.steps.map((s) => `${s.op} ${s.kind} ${s.key} ${s.changed.join(",")}`).sort()).toEqual(["update Plan api charges", "update Plan starter amountCents"]);
  }, 300_000);

  it("the package price rise shows at a named level: 20,000 calls +€10.00, under the commitment below that", () => {
    const api = report.plans.find((p) => p.code === "api")!;
    expect(api.changes.map((c) => c.text)).toEqual(["API · API calls: package price €5.00 → €6.00 per package"]);
    // 20 fee + packages past 10,000 free, topped up to the €60 commitment (commitments/minimum/calculate_true_up_fee_service.rb):
    // 10,000: 20 → 60; 10,001 and 11,000: 1 package, 25 / 26 → 60; 20,000: 10 packages, 20 + 50 = 70 / 20 + 60 = 80.
    expect(api.impact.map((l) => [l.chargeLabel, l.units, l.beforeCents, l.afterCents])).toEqual([
      ["API calls", "10000", 6000, 6000],
      ["API calls", "10001", 6000, 6000],
      ["API calls", "11000", 6000, 6000],
      ["API calls", "20000", 7000, 8000],
    ]);
  });

  it("Anna: anniversary since the 15th, full fee, commitment true-up, €10 coupon, 10 % tax", () => {
    const anna = report.customers!.subscriptions.find((s) => s.customer === "anna")!;
    const start = annaStart();
    expect(anna.period.from).toBe(start.toISOString().replace(".000Z", "Z"));
    // 16,000 calls = 6 packages past the free 10,000: €30 → €36. Full period: 20 + 30 = 50 → 20 + 36 = 56.
    expect([anna.beforeCents, anna.afterCents]).toEqual([5000, 5600]);
    // This period (fees/subscription_service.rb: an anniversary period bills the whole fee): fees 50 → true-up 10 →
    // 60; coupon −10 → 50; tax 10 % = 5 → 55.00. After: 56 → true-up 4 → 60 → the same 55.00.
    for (const invoice of [anna.invoiceBefore!, anna.invoiceAfter!]) {
      expect(invoice.fee).toMatchObject({ amountCents: 2000, basis: "full", billed: "in arrears" });
      expect([invoice.feesCents, invoice.couponsCents, invoice.taxesCents, invoice.totalCents]).toEqual([6000, 1000, 500, 5500]);
      expect(invoice.coupons).toEqual([{ code: "welcome", amountCents: 1000 }]);
    }
    expect([anna.invoiceBefore!.commitmentTrueUpCents, anna.invoiceAfter!.commitmentTrueUpCents]).toEqual([1000, 400]);
  });

  it("Bruno: a first calendar period inside the 30-day trial bills 0 fee, while the full month rises €30 → €40", () => {
    const bruno = report.customers!.subscriptions.find((s) => s.customer === "bruno")!;
    expect([bruno.beforeCents, bruno.afterCents]).toEqual([3000, 4000]);
    for (const invoice of [bruno.invoiceBefore!, bruno.invoiceAfter!]) {
      expect(invoice.fee).toMatchObject({ amountCents: 0, basis: "trial", billed: "in advance" });
      expect(invoice.totalCents).toBe(0);
    }
  });

  it("names Carla's pending downgrade turned into an upgrade in the attention section", () => {
    // Starter at €40 is €480 a year, no less than Business's €35 × 12 = €420 (plans/update_service.rb process_pending_subscriptions).
    expect(report.attention.map((a) => [a.rule, a.object, a.customers])).toEqual([["pending-downgrade-upgraded", "Plan starter", ["carla"]]]);
    const markdown = renderMarkdown(report);
    expect(markdown.indexOf("### ⚠️ Needs attention")).toBeLessThan(markdown.indexOf("### Lago changes"));
    expect(markdown).toContain("turns 1 pending downgrade into immediate upgrade: Lago terminates and invoices the current subscription (carla-main on business)");
    expect(markdown).toContain("| API calls | 20,000 | €70.00 | €80.00 | +€10.00 (+14.29%) |");
  });

  it("a policy file with three violations: each reported, exit 6", async () => {
    fs.writeFileSync(
      files.policy,
      ["maxIncrease: { amountCents: 900, per: [customer] }", "requireTrial: { plans: [api] }", "requireCharges: true", "currencies: [EUR]", ""].join("\n"),
    );
    fs.writeFileSync(files.program, `import { catalogResources, loadCatalog } from ${JSON.stringify(path.join(REPO_ROOT, "provider", "catalog"))};\nexport async function program() { catalogResources(loadCatalog(${JSON.stringify(files.changed)})); return {}; }\n`);
    const printed: string[] = [];
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    let result;
    try {
      result = await runPreviewCommand(
        { stack: STACK, cwd: scratch, program: files.program, customers: true, policy: files.policy, pulumiHome: path.join(scratch, ".pulumi-home") },
        { out: (t) => printed.push(t), err: (t) => printed.push(t) },
      );
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
    }
    expect(result.exitCode).toBe(EXIT_CODES.policy);
    // Bruno's full month +€10.00 > €9.00; API has no trial; Empty has no charge. Anna's +€6.00 is allowed.
    expect(result.report.policy!.violations.map((v) => `${v.rule}: ${v.object}`).sort()).toEqual(["maxIncrease: customer bruno (bruno-starter)", "requireCharges: Plan empty", "requireTrial: Plan api"]);
    expect(result.markdown).toContain("### ❌ Pricing policy: 3 violations");
    expect(result.markdown).toContain("| `maxIncrease` | customer bruno (bruno-starter) | rises by 10.00 EUR (33.33%), 30.00 EUR → 40.00 EUR; at most 9.00 EUR allowed |");
    expect(printed.filter((t) => t.startsWith("gate failed: policy "))).toHaveLength(3);
  }, 300_000);
});
