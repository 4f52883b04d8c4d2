// `npm start` (scripts/start.ts) against a fresh local Lago named by LAGO_API_URL and LAGO_API_KEY, through the real
// Pulumi engine: the Segment stack applied from the YAML catalog, 30,000 Segment-style users sent to Acme's
// subscription, and the bill read back from Lago's current usage. A second run applies nothing, sends nothing and
// prints the same bill. Nothing it printed or wrote holds the key.
import * as fs from "node:fs";
import * as path from "node:path";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBill, graduatedTiers, type GraduatedRange } from "../../examples/segment/bill";
import type { SegmentDemoResult } from "../../examples/segment/demo";
import { LOCAL_PASSPHRASE } from "../../provider/engine";
import { ensurePulumiCli, type PulumiCli } from "../../provider/pulumi-cli";
import { runStart } from "../../scripts/start";
import { useLocalLagoWithOwnKey } from "./support/engine";
import { regularFiles, secretOccurrences } from "./support/secrets";

const lago = useLocalLagoWithOwnKey();
const root = path.resolve(__dirname, "../../.tmp", `e2e-segment-${process.pid}`);
let cli: PulumiCli;
/** Everything `npm start` printed, run after run. */
const printed: string[] = [];

beforeAll(async () => {
  cli = await ensurePulumiCli({ acquire: false });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** `npm start` as a user runs it against their own Lago (the passphrase left to its default, as theirs would be). */
const run = (users?: number) =>
  runStart({
    env: { LAGO_API_URL: lago.server.apiUrl, LAGO_API_KEY: lago.server.apiKey },
    root,
    print: (text) => printed.push(text),
    demo: { cli, usageTimeoutMs: 0, users },
  });

const writes = (from: number) =>
  lago.server.admin.requests
    .slice(from)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path} ${r.status}`);

describe("npm start: the Segment example end to end", () => {
  let first: SegmentDemoResult;

  it("applies the stack, sends 30,000 users and bills 235.00 USD of usage on top of the 120.00 plan fee", async () => {
    first = await run();
    expect(first.up.summary.result).toBe("succeeded");
    // The metric, both plans, the sales tax, the welcome coupon, Acme, its coupon and its subscription (the stack
    // itself is recorded by the refresh before `up`).
    expect(first.up.summary.resourceChanges).toEqual({ create: 9 });
    expect(first.unchanged).toBe(false);
    expect(first.sent).toBe(30_000);

    const { bill } = first;
    expect(bill.customer).toBe("Acme Inc");
    expect(bill.plan).toEqual({ code: "team", name: "Team", interval: "monthly", payInAdvance: true, trialDays: 14 });
    expect(bill.currency).toBe("USD");
    expect(bill.planFeeCents).toBe(12000);
    expect(bill.usageCents).toBe(23500);
    expect(bill.totalCents).toBe(35500);
    // The subscription starts today with a 14-day trial, in a calendar month (app/services/fees/subscription_service.rb
    // first_subscription_amount): no fee while the trial lasts past the month's end, else 120.00 / days-in-month for
    // each day from the trial's end to the month's end. Started on the 29th, as in the issue: 0.00 + 235.00.
    const start = new Date(bill.period.from);
    const trialEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 14);
    const monthEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    const daysInMonth = new Date(monthEnd - 1).getUTCDate();
    const expectedFee = trialEnd >= monthEnd ? 0 : Math.round((12000 / daysInMonth) * Math.ceil((monthEnd - (Date.parse(bill.period.from) + 14 * 86_400_000)) / 86_400_000));
    expect(bill.invoice!.fee.amountCents).toBe(expectedFee);
    // Then the welcome coupon's 20.00 comes off the fees, and the 8.5 % sales tax goes on what is left
    // (app/services/invoices/compute_amounts_from_fees.rb: coupons before taxes), rounded half up to the cent.
    expect(bill.invoice!.coupons).toEqual([{ code: "welcome-20", amountCents: 2000 }]);
    const taxable = expectedFee + 23500 - 2000;
    expect(bill.invoice!.taxes).toEqual([{ code: "us-sales-tax", rate: "8.5", amountCents: Math.round(taxable * 0.085) }]);
    expect(bill.invoice!.totalCents).toBe(taxable + Math.round(taxable * 0.085));
    expect(bill.lines).toHaveLength(1);
    const [mtu] = bill.lines;
    expect(mtu!.metricCode).toBe("mtu");
    expect(mtu!.units.toFixed()).toBe("30000");
    expect(mtu!.amountCents).toBe(23500);
    expect(mtu!.tierCents).toBe(23500);
    expect(mtu!.tiers!.map((t) => [t.fromValue, t.toValue, t.units.toFixed(), t.perUnitAmount, t.amount.toFixed(2)])).toEqual([
      [0, 10000, "10000", "0", "0.00"],
      [10001, 25000, "15000", "0.012", "180.00"],
      [25001, 100000, "5000", "0.011", "55.00"],
      [100001, null, "0", "0.010", "0.00"],
    ]);

    // What Lago holds is what the catalog and the program declare.
    const sub = (await lago.client.subscriptions.findSubscription("acme-main")).data.subscription;
    expect(sub).toMatchObject({ external_customer_id: "acme", plan_code: "team", status: "active", name: "Acme on Team" });
    const customer = (await lago.client.customers.findCustomer("acme")).data.customer;
    expect(customer).toMatchObject({ name: "Acme Inc", currency: "USD" });
    expect(customer.taxes!.map((t) => [t.code, t.rate])).toEqual([["us-sales-tax", 8.5]]);
    const applied = (await lago.client.appliedCoupons.findAllAppliedCoupons({ external_customer_id: "acme" })).data.applied_coupons;
    expect(applied.map((a) => [a.coupon_code, a.status, a.amount_cents, a.frequency, a.frequency_duration])).toEqual([["welcome-20", "active", 2000, "recurring", 3]]);
    const free = (await lago.client.plans.findPlan("free")).data.plan;
    expect(free).toMatchObject({ amount_cents: 0, amount_currency: "USD", interval: "monthly" });
    expect(free.charges![0]!.properties).toEqual({
      graduated_ranges: [
        { from_value: 0, to_value: 1000, per_unit_amount: "0", flat_amount: "0" },
        { from_value: 1001, to_value: null, per_unit_amount: "0", flat_amount: "0" },
      ],
    });

    // Events went in batches of 100, each accepted whole.
    const batches = lago.server.admin.requests.filter((r) => r.path === "/api/v1/events/batch");
    expect(batches).toHaveLength(300);
    expect(new Set(batches.map((r) => r.status))).toEqual(new Set([200]));
  }, 240_000);

  it("exports the event templates for every metric, bound to Acme's subscription", () => {
    const outputs = first.up.outputs;
    const templates = outputs.eventTemplates!.value as Record<string, { segmentFunction: string; hightouchBody: string; eventRecord: Record<string, unknown> }>;
    expect(Object.keys(templates)).toEqual(["mtu"]);
    expect(templates.mtu!.segmentFunction).toContain("async function onTrack(event, settings)");
    expect(templates.mtu!.hightouchBody).toContain('"user_id": "{{ row.user_id }}"');
    expect(templates.mtu!.eventRecord).toMatchObject({ external_subscription_id: "acme-main", code: "mtu", properties: { user_id: "user_123" } });
    expect(outputs.acme!.value).toMatchObject({ externalCustomerId: "acme", externalSubscriptionId: "acme-main", planCode: "team", status: "active" });
  });

  it("a second run applies nothing, sends nothing, writes nothing and shows the same bill", async () => {
    const before = lago.server.admin.requests.length;
    const second = await run();
    expect(second.up.summary.resourceChanges).toEqual({ same: 9 });
    expect(second.unchanged).toBe(true);
    expect(second.sent).toBe(0);
    expect(writes(before)).toEqual([]);
    expect(formatBill(second.bill)).toBe(formatBill(first.bill));
  }, 240_000);

  it("events Lago already holds are dropped from their batches; only the missing ones are sent", async () => {
    // 250 more users than before: the first 300 batches are refused whole as duplicates and dropped, the rest go in.
    const before = lago.server.admin.requests.length;
    const more = await run(30_250);
    expect(more.unchanged).toBe(true);
    expect(more.sent).toBe(250);
    expect(more.bill.lines[0]!.units.toFixed()).toBe("30250");
    expect(more.bill.usageCents).toBe(23500 + 275); // 250 more users at 0.011
    const batchWrites = writes(before).filter((w) => w.startsWith("POST /api/v1/events/batch"));
    expect(batchWrites.filter((w) => w.endsWith(" 422"))).toHaveLength(300);
    expect(batchWrites.filter((w) => w.endsWith(" 200"))).toHaveLength(3);
  }, 240_000);

  it("printed the bill and where it ran, and neither its output nor what it wrote holds the key or the passphrase", () => {
    const output = printed.join("");
    expect(output).toContain(`Using the Lago at ${lago.server.apiUrl} (LAGO_API_URL)`);
    expect(output).toContain("Applied: "); // the first run's engine output and progress lines were captured too
    expect(output.match(/Done in /g)).toHaveLength(3);
    // Both figures: the full month at these prices and this period as Lago will invoice it.
    expect(output).toMatch(/Full month at these prices \(plan fee \+ usage\) +355\.00 USD/);
    expect(output).toMatch(/Coupon welcome-20 +-20\.00\n +Tax us-sales-tax \(8\.5 %\) +\d+\.\d\d\n/);
    expect(output).toMatch(new RegExp(`This period's total, taxes included +${(first.bill.invoice!.totalCents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} USD`));
    const files = regularFiles(root);
    expect(files.some((f) => f.endsWith(`${path.sep}Pulumi.remote-127-0-0-1.yaml`))).toBe(true);
    const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE; // what offlineStack used
    for (const secret of [lago.server.apiKey, passphrase]) expect(secretOccurrences(secret, { dirs: [root], texts: printed })).toEqual([]);
  });
});

describe("graduatedTiers (Lago's graduated rule, lago-api.md §11)", () => {
  const team: GraduatedRange[] = [
    { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
    { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
    { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
    { fromValue: 100001, toValue: null, perUnitAmount: "0.010" },
  ];
  const split = (units: number, ranges = team) => graduatedTiers(units, ranges).map((t) => [t.units.toFixed(), t.amount.toFixed()]);

  it("bills each range's own units; ranges written +1 count their start unit", () => {
    expect(split(10001)).toEqual([["10000", "0"], ["1", "0.012"], ["0", "0"], ["0", "0"]]);
    expect(split(150000)).toEqual([["10000", "0"], ["15000", "180"], ["75000", "825"], ["50000", "500"]]);
    expect(split(0)).toEqual([["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"]]);
  });

  it("adjacent ranges (each starting at the previous end) do not add the start unit", () => {
    const adjacent: GraduatedRange[] = [
      { fromValue: 0, toValue: 100, perUnitAmount: "1" },
      { fromValue: 100, toValue: null, perUnitAmount: "0.5" },
    ];
    expect(split(150, adjacent)).toEqual([["100", "100"], ["50", "25"]]);
  });

  it("flat fees apply to every range reached, the first one even at zero units, never beyond the total", () => {
    const flat: GraduatedRange[] = [
      { fromValue: 0, toValue: 10, perUnitAmount: "0", flatAmount: "5" },
      { fromValue: 11, toValue: 20, perUnitAmount: "1", flatAmount: "2" },
      { fromValue: 21, toValue: null, perUnitAmount: "1", flatAmount: "3" },
    ];
    expect(split(0, flat)).toEqual([["0", "5"], ["0", "0"], ["0", "0"]]);
    expect(split(15, flat)).toEqual([["10", "5"], ["5", "7"], ["0", "0"]]);
    expect(split(12.5, flat)).toEqual([["10", "5"], ["2.5", "4.5"], ["0", "0"]]);
  });
});
