// The pricing preview end to end: the Segment stack applied to a fresh local Lago through the real Pulumi engine,
// usage for two customers (30,000 and 12,000 MTUs), then a Team price change previewed with customers, checked
// against numbers computed by hand; then a change that deletes the Free plan, through the CLI with its gate.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { runPreviewCommand } from "../../bin/commands/preview";
import { CATALOG_PATH, segmentProgram } from "../../examples/segment";
import { offlineStack } from "../../provider/engine";
import { EXIT_CODES, renderJson, renderMarkdown, runPricingPreview, type PreviewReport } from "../../provider/preview";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { useLocalLagoWithOwnKey, useScratchDir, REPO_ROOT } from "./support/engine";

const lago = useLocalLagoWithOwnKey();
const scratch = useScratchDir("e2e-pricing-preview");
const PROJECT = "pulumi-lago-segment";
const STACK = "ci";
const PASSPHRASE = "pricing-preview-e2e";

/** Catalog variants written next to the state: the example's own, Team at $0.013, and that without Free. */
const catalogs = { base: path.join(scratch, "catalog.yaml"), newPrice: path.join(scratch, "catalog-0.013.yaml"), noFree: path.join(scratch, "catalog-no-free.yaml") };
let catalogPath = catalogs.base;
let stack: Stack;

function writeCatalogs(): void {
  fs.mkdirSync(scratch, { recursive: true });
  const original = fs.readFileSync(CATALOG_PATH, "utf8");
  fs.writeFileSync(catalogs.base, original);
  // The one edit a pricing PR would make: the 10,001–25,000 tier from $0.012 to $0.013.
  const newPrice = original.replace('{ fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" }', '{ fromValue: 10001, toValue: 25000, perUnitAmount: "0.013" }');
  expect(newPrice).not.toBe(original);
  fs.writeFileSync(catalogs.newPrice, newPrice);
  const withoutFree = parseYaml(newPrice) as { plans: Array<{ code: string }> };
  withoutFree.plans = withoutFree.plans.filter((p) => p.code !== "free");
  fs.writeFileSync(catalogs.noFree, stringifyYaml(withoutFree));
}

/** `users` distinct user ids on a subscription, 100 per batch, stamped just after the subscription started. */
async function sendUsers(externalSubscriptionId: string, users: number): Promise<void> {
  const { data } = await lago.client.subscriptions.findSubscription(externalSubscriptionId);
  const timestamp = Math.ceil(Date.parse(data.subscription.started_at!) / 1000) + 1;
  for (let start = 0; start < users; start += 100) {
    const events = Array.from({ length: Math.min(100, users - start) }, (_, i) => ({
      transaction_id: `${externalSubscriptionId}-${start + i}`,
      external_subscription_id: externalSubscriptionId,
      code: "mtu",
      timestamp,
      properties: { user_id: `user-${start + i}` },
    }));
    await lago.client.events.createBatchEvents({ events });
  }
}

const usageCents = async (customer: string, subscription: string) =>
  (await lago.client.customers.findCustomerCurrentUsage(customer, { external_subscription_id: subscription, apply_taxes: false })).data.customer_usage.amount_cents;

beforeAll(async () => {
  writeCatalogs();
  stack = await offlineStack({
    stateDir: scratch,
    projectName: PROJECT,
    stackName: STACK,
    program: () => segmentProgram({ catalogPath })(),
    lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey },
    passphrase: PASSPHRASE,
    cli: await ensurePulumiCli({ acquire: false }),
  });
  const up = await stack.up();
  expect(up.summary.result).toBe("succeeded");

  // Acme's subscription comes from the stack; Globex signed up through the product, outside it.
  await lago.client.customers.createCustomer({ customer: { external_id: "globex", name: "Globex", currency: "USD" } });
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "globex", plan_code: "team", external_id: "globex-main" } });
  await sendUsers("acme-main", 30_000);
  await sendUsers("globex-main", 12_000);
  // What Lago bills today: 15,000 × 0.012 + 5,000 × 0.011 = 235.00 and 2,000 × 0.012 = 24.00.
  expect(await usageCents("acme", "acme-main")).toBe(23500);
  expect(await usageCents("globex", "globex-main")).toBe(2400);
});

describe("pricing preview of a Team price change, with customers", () => {
  let report: PreviewReport;
  let firstRequest: number;

  it("runs the preview through the engine and reports the one plan update", async () => {
    catalogPath = catalogs.newPrice;
    firstRequest = lago.server.admin.requests.length;
    ({ report } = await runPricingPreview({ stack, stackName: STACK, customers: true }));
    expect(report.marker).toBe("<!-- pulumi-lago-preview stack=ci -->");
    expect(report.destructive).toEqual([]);
    expect(report.steps.map((s) => `${s.op} ${s.kind} ${s.key}`)).toEqual(["update Plan team"]);
    expect(report.summary.changes).toEqual({ update: 1 });
  });

  it("reads Lago without writing to it", () => {
    const calls = lago.server.admin.requests.slice(firstRequest);
    expect(calls.filter((r) => r.method !== "GET")).toEqual([]);
    expect(calls.map((r) => r.path)).toEqual(expect.arrayContaining(["/api/v1/subscriptions", "/api/v1/customers/acme/current_usage", "/api/v1/customers/globex/current_usage"]));
  });

  it("prints the price line and the bill at the edges of the tier that moved", () => {
    const [team] = report.plans;
    expect(team!.changes.map((c) => c.text)).toEqual(["Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit"]);
    // 10,001: one unit in the tier, 0.012 and 0.013 both round to a cent; 25,000: 120 + 15,000 × 0.012 = 300 → 315;
    // 25,001: 300 + 0.011 → 300.01 / 315.01.
    expect(team!.impact.map((l) => [l.charge, l.units, l.beforeCents, l.afterCents, l.deltaCents, l.percent])).toEqual([
      ["mtu", "10001", 12001, 12001, 0, "0.00"],
      ["mtu", "25000", 30000, 31500, 1500, "5.00"],
      ["mtu", "25001", 30001, 31501, 1500, "5.00"],
    ]);
  });

  it("re-prices both customers' current usage: Acme 355 → 370, Globex 144 → 146, revenue +17.00 a month", () => {
    const json = JSON.parse(renderJson(report));
    expect(json.customers.subscriptions.map((s: any) => [s.customer, s.subscription, s.usage, s.lagoChargesCents, s.beforeCents, s.afterCents, s.deltaCents, s.percent])).toEqual([
      // 120 + 235 → 120 + 15,000 × 0.013 + 55 = 370: +15.00 of 355 = +4.23 %
      ["acme", "acme-main", [{ charge: "mtu", units: "30000" }], 23500, 35500, 37000, 1500, "4.23"],
      // 120 + 24 → 120 + 2,000 × 0.013 = 146: +2.00 of 144 = +1.39 %
      ["globex", "globex-main", [{ charge: "mtu", units: "12000" }], 2400, 14400, 14600, 200, "1.39"],
    ]);
    expect(json.customers.revenue).toEqual([{ currency: "USD", subscriptions: 2, beforeCents: 49900, afterCents: 51600, deltaCents: 1700, percent: "3.41" }]);
    expect(json.customers.overridden).toEqual([]);
    expect(json.summary).toEqual({ changes: { update: 1 }, destructive: 0, plansChanged: 1, maxIncreasePercent: "5.00", increaseFromZero: false, attention: 0, policyViolations: 0 });
  });

  it("the markdown starts with the marker and never shows Lago's URL, the API key or the passphrase", () => {
    const markdown = renderMarkdown(report);
    expect(markdown.split("\n")[0]).toBe("<!-- pulumi-lago-preview stack=ci -->");
    expect(markdown).toContain("**Monthly revenue (USD, 2 subscriptions): $499.00 → $516.00, +$17.00 (+3.41%)**");
    for (const secret of [lago.server.apiKey, PASSPHRASE, lago.server.url]) expect(markdown + renderJson(report)).not.toContain(secret);
  });
});

describe("a change that deletes the Free plan, through the CLI", () => {
  it("lists the plan delete first and in bold, and exits 3 with --fail-on-destructive", async () => {
    const programFile = path.join(scratch, "program-no-free.ts");
    fs.writeFileSync(
      programFile,
      `import { segmentProgram } from ${JSON.stringify(path.join(REPO_ROOT, "examples", "segment"))};\nexport const program = segmentProgram({ catalogPath: ${JSON.stringify(catalogs.noFree)} });\n`,
    );
    const files = { markdown: path.join(scratch, "preview.md"), json: path.join(scratch, "preview.json") };
    const printed: string[] = [];
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    // The home offlineStack prepared (its logs folder blocked): the CLI's own log files would hold the API key.
    const pulumiHome = path.join(scratch, ".pulumi-home");
    let result;
    try {
      result = await runPreviewCommand(
        { stack: STACK, cwd: scratch, program: programFile, markdown: files.markdown, json: files.json, customers: true, failOnDestructive: true, pulumiHome },
        { out: (t) => printed.push(t), err: (t) => printed.push(t) },
      );
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
    }
    expect(result.exitCode).toBe(EXIT_CODES.destructive);
    // The CLI ran in that home and could keep no log files there.
    expect(fs.statSync(path.join(pulumiHome, "logs")).isFile()).toBe(true);
    expect(printed.join("")).toContain("gate failed: 1 destructive step(s): delete Plan free");

    const json = JSON.parse(fs.readFileSync(files.json, "utf8")) as PreviewReport;
    expect(json.marker).toBe("<!-- pulumi-lago-preview stack=ci -->");
    expect(json.steps.map((s) => `${s.op} ${s.kind} ${s.key} ${s.destructive}`)).toEqual(["delete Plan free true", "update Plan team false"]);
    expect(json.destructive).toEqual([json.steps[0]]);
    expect(json.destructive[0]!.consequence).toBe("Lago terminates every subscription on the plan and deletes it");
    // Free has no subscription; Team's customers are re-priced as before.
    expect(json.customers!.revenue).toEqual([{ currency: "USD", subscriptions: 2, beforeCents: 49900, afterCents: 51600, deltaCents: 1700, percent: "3.41" }]);

    const markdown = fs.readFileSync(files.markdown, "utf8");
    expect(markdown).toBe(result.markdown);
    const written = markdown + fs.readFileSync(files.json, "utf8");
    for (const secret of [lago.server.apiKey, PASSPHRASE, lago.server.url]) expect(written).not.toContain(secret);
    expect(markdown.split("\n")[0]).toBe("<!-- pulumi-lago-preview stack=ci -->");
    const bold = markdown.indexOf("- **delete Plan `free` (plan-free): Lago terminates every subscription on the plan and deletes it**");
    expect(bold).toBeGreaterThan(0);
    expect(bold).toBeLessThan(markdown.indexOf("### Lago changes"));
    expect(bold).toBeLessThan(markdown.indexOf("### Team"));
    // A preview changes nothing: Free is still in Lago.
    expect((await lago.client.plans.findPlan("free")).data.plan.code).toBe("free");
  });
});
