// lago-api.md §11 (current usage) and §12 (the Segment Team plan at 30,000 MTUs = 23500 cents).
import { describe, expect, it } from "vitest";
import { createPlainPlan, createSegmentTeam } from "../support/billing-fixtures";
import { notAllowed, notFoundBody } from "../support/lago-errors";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const usageOf = (customer: string, subscription: string, query: Record<string, unknown> = {}) =>
  lago.client.customers.findCustomerCurrentUsage(customer, { external_subscription_id: subscription, ...query } as any).then((r) => r.data.customer_usage);

/** Sends `count` events for distinct users through the client, 100 per batch (Lago's batch maximum). */
async function sendDistinctUsers(subscription: string, count: number, prefix = "u") {
  for (let start = 0; start < count; start += 100) {
    const events = Array.from({ length: Math.min(100, count - start) }, (_, i) => ({
      transaction_id: `${prefix}-${start + i}`,
      code: "mtu",
      external_subscription_id: subscription,
      properties: { user_id: `${prefix}_${start + i}` },
    }));
    await lago.client.events.createBatchEvents({ events });
  }
}

const monthStart = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const seconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Acme subscribed (external id "s") to plan `planCode`, whose one charge is on a new metric. */
async function subscribeToCharge(planCode: string, metric: Record<string, unknown>, charge: Record<string, unknown>, subscription: Record<string, unknown> = {}) {
  const { data } = await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric as any });
  await createPlainPlan(lago, planCode, 0, { charges: [{ billable_metric_id: data.billable_metric.lago_id, ...charge }] });
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: planCode, external_id: "s", ...subscription } as any });
}

/** One `code` event to subscription "s" per properties object, transaction ids "1", "2", … */
const sendToS = (code: string, ...properties: Array<Record<string, string>>) =>
  lago.client.events.createBatchEvents({ events: properties.map((p, i) => ({ transaction_id: String(i + 1), code, external_subscription_id: "s", properties: p })) });

async function segmentCustomer(extra: Record<string, unknown> = {}) {
  const mtuId = await createSegmentTeam(lago);
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD", ...extra } as any });
  const sub = (await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-main" } as any })).data.subscription;
  return { mtuId, sub };
}

describe("§12 the Segment Team plan", () => {
  it("30,000 distinct users sent in batches of 100 cost 15,000 × $0.012 + 5,000 × $0.011 = 23500 cents", async () => {
    const { mtuId, sub } = await segmentCustomer();
    await sendDistinctUsers("acme-main", 30_000);
    const usage = await usageOf("acme", "acme-main");
    expect(usage).toMatchObject({
      currency: "USD",
      amount_cents: 23500,
      taxes_amount_cents: 0,
      total_amount_cents: 23500,
      lago_invoice_id: null,
      from_datetime: sub.current_billing_period_started_at,
      to_datetime: sub.current_billing_period_ending_at,
    });
    expect(usage.charges_usage).toHaveLength(1);
    expect(usage.charges_usage[0]).toMatchObject({
      units: "30000.0",
      total_aggregated_units: "30000.0",
      events_count: 30000,
      amount_cents: 23500,
      amount_currency: "USD",
      pricing_unit_details: null,
      charge: { charge_model: "graduated", code: "mtu", invoice_display_name: null },
      billable_metric: { lago_id: mtuId, name: "Monthly Tracked Users", code: "mtu", aggregation_type: "unique_count_agg" },
      filters: [],
      grouped_usage: [],
      presentation_breakdowns: [],
    });
    // only usage charges: the $120 subscription fee is not part of current usage
    expect(usage.amount_cents).not.toBe(23500 + 12000);
  });

  it("counts a user once however many events it sends, and a remove withdraws it", async () => {
    await segmentCustomer();
    await sendDistinctUsers("acme-main", 10_001);
    expect((await usageOf("acme", "acme-main")).amount_cents).toBe(1); // 10,001 MTUs → $0.012 → 1 cent
    await lago.client.events.createBatchEvents({
      events: [
        { transaction_id: "again", code: "mtu", external_subscription_id: "acme-main", properties: { user_id: "u_1" } },
        { transaction_id: "gone", code: "mtu", external_subscription_id: "acme-main", properties: { user_id: "u_2", operation_type: "remove" } },
      ],
    });
    const usage = await usageOf("acme", "acme-main");
    // events_count of a unique count is the number of values counted (unique_count_service.rb: result.count = result.aggregation)
    expect([usage.charges_usage[0]!.units, usage.charges_usage[0]!.events_count, usage.amount_cents]).toEqual(["10000.0", 10000, 0]);
  });
});

describe("§5.5 plan_overrides priced in current usage", () => {
  it("prices the subscription's own charge copy (matched by the parent charge id), not the parent plan's", async () => {
    await createSegmentTeam(lago);
    const parentCharge = (await lago.client.plans.findPlan("team")).data.plan.charges![0]!;
    const ranges = (parentCharge.properties as any).graduated_ranges.map((r: any, i: number) => (i === 1 ? { ...r, per_unit_amount: "0.5" } : r));
    const sub = (
      await lago.client.subscriptions.createSubscription({
        subscription: { external_customer_id: "acme", plan_code: "team", external_id: "deal", plan_overrides: { charges: [{ id: parentCharge.lago_id, properties: { graduated_ranges: ranges } }] } } as any,
      })
    ).data.subscription;
    expect(sub.plan!.charges![0]!.lago_id).not.toBe(parentCharge.lago_id);
    await sendDistinctUsers("deal", 10_002);
    // 2 MTUs in the second range at the overridden $0.5 = 100 cents (the parent's $0.012 would give 2)
    expect((await usageOf("acme", "deal")).amount_cents).toBe(100);
  });
});

describe("§11 period and events counted", () => {
  it("counts only this subscription's events inside the current period and after its start", async () => {
    await subscribeToCharge(
      "calls",
      { name: "Calls", code: "calls", aggregation_type: "count_agg" },
      { charge_model: "standard", properties: { amount: "0.5" } },
      { subscription_at: "2024-01-15T00:00:00Z" },
    );
    const periodStart = monthStart();
    const at = (d: Date) => Math.floor(d.getTime() / 1000);
    await lago.client.events.createBatchEvents({
      events: [
        { transaction_id: "last-month", code: "calls", external_subscription_id: "s", timestamp: at(periodStart) - 1 },
        { transaction_id: "first-second", code: "calls", external_subscription_id: "s", timestamp: at(periodStart) },
        { transaction_id: "now", code: "calls", external_subscription_id: "s" },
        { transaction_id: "other-sub", code: "calls", external_subscription_id: "other" },
        { transaction_id: "other-code", code: "unknown", external_subscription_id: "s" },
      ],
    });
    const usage = await usageOf("acme", "s");
    expect(usage.from_datetime).toBe(seconds(periodStart));
    expect(usage.charges_usage[0]).toMatchObject({ units: "2.0", events_count: 2, amount_cents: 100 });
  });

  it("an upgraded subscription counts from its own start, not the terminated one's events", async () => {
    const metric = await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg" } as any });
    const charges = [{ billable_metric_id: metric.data.billable_metric.lago_id, charge_model: "standard", properties: { amount: "1" } }];
    await createPlainPlan(lago, "small", 100, { charges });
    await createPlainPlan(lago, "big", 900, { charges });
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "small", external_id: "s", subscription_at: "2024-01-15T00:00:00Z" } as any });
    await lago.client.events.createEvent({ event: { transaction_id: "before", code: "calls", external_subscription_id: "s", timestamp: Math.floor(Date.now() / 1000) - 5 } as any });
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "big", external_id: "s" } as any });
    await lago.client.events.createEvent({ event: { transaction_id: "after", code: "calls", external_subscription_id: "s", timestamp: Math.floor(Date.now() / 1000) + 1 } as any });
    expect((await usageOf("acme", "s")).charges_usage[0]).toMatchObject({ units: "1.0", amount_cents: 100 });
  });
});

describe("§11 errors", () => {
  it("unknown customer → 404 resource_not_found; no active subscription → 405 no_active_subscription", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "later", subscription_at: new Date(Date.now() + 5 * 86_400_000).toISOString() } as any });
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "ended" } as any });
    await lago.client.subscriptions.destroySubscription("ended");
    expect(await lagoError(usageOf("nobody", "x"))).toEqual({ status: 404, body: notFoundBody("resource_not_found") });
    const noActive = notAllowed("no_active_subscription");
    expect(await lagoError(usageOf("acme", "missing"))).toEqual(noActive);
    expect(await lagoError(usageOf("acme", "later"))).toEqual(noActive);
    expect(await lagoError(usageOf("acme", "ended"))).toEqual(noActive);
  });

  it("a charge filter matching nothing → 404 charge_not_found; full_usage without a filter → 405 full_usage_not_allowed", async () => {
    await segmentCustomer();
    expect(await lagoError(usageOf("acme", "acme-main", { charge_code: "nope" }))).toEqual({ status: 404, body: notFoundBody("charge_not_found") });
    expect(await lagoError(usageOf("acme", "acme-main", { full_usage: true }))).toEqual(notAllowed("full_usage_not_allowed"));
    expect((await usageOf("acme", "acme-main", { charge_code: "mtu" })).charges_usage).toHaveLength(1);
  });
});

describe("§11 taxes", () => {
  it("applies the customer's taxes unless apply_taxes=false", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as any });
    await segmentCustomer({ tax_codes: ["vat"] });
    await sendDistinctUsers("acme-main", 30_000);
    expect(await usageOf("acme", "acme-main")).toMatchObject({ amount_cents: 23500, taxes_amount_cents: 4700, total_amount_cents: 28200 });
    expect(await usageOf("acme", "acme-main", { apply_taxes: false })).toMatchObject({ amount_cents: 23500, taxes_amount_cents: 0, total_amount_cents: 23500 });
  });
});

describe("§11 filters and pricing groups", () => {
  it("prices each charge filter apart and the unmatched events at the charge's own price", async () => {
    await subscribeToCharge(
      "storage",
      { name: "Storage", code: "gb", aggregation_type: "sum_agg", field_name: "gb", filters: [{ key: "region", values: ["eu", "us"] }] },
      { charge_model: "standard", properties: { amount: "1" }, filters: [{ invoice_display_name: "EU", properties: { amount: "2" }, values: { region: ["eu"] } }] },
    );
    await sendToS("gb", { gb: "3", region: "eu" }, { gb: "5", region: "us" });
    const charge = (await usageOf("acme", "s")).charges_usage[0]!;
    expect(charge).toMatchObject({ units: "8.0", amount_cents: 1100, events_count: 2 });
    expect(charge.filters).toEqual([
      { units: "3.0", total_aggregated_units: "3.0", events_count: 1, amount_cents: 600, pricing_unit_details: null, invoice_display_name: "EU", values: { region: ["eu"] }, presentation_breakdowns: [] },
      { units: "5.0", total_aggregated_units: "5.0", events_count: 1, amount_cents: 500, pricing_unit_details: null, invoice_display_name: null, values: null, presentation_breakdowns: [] },
    ]);
  });

  it("splits usage by pricing_group_keys into grouped_usage", async () => {
    await subscribeToCharge(
      "compute",
      { name: "Compute", code: "cpu", aggregation_type: "sum_agg", field_name: "hours" },
      { charge_model: "package", properties: { amount: "10", package_size: 10, free_units: 0, pricing_group_keys: ["cloud"] } },
    );
    await sendToS("cpu", { hours: "4", cloud: "aws" }, { hours: "4", cloud: "gcp" });
    // one package per group (2 × $10), where a single pool of 8 hours would be one package
    const charge = (await usageOf("acme", "s")).charges_usage[0]!;
    expect(charge).toMatchObject({ units: "8.0", amount_cents: 2000 });
    expect(charge.grouped_usage?.map((g) => [g.grouped_by, g.units, g.amount_cents])).toEqual([
      [{ cloud: "aws" }, "4.0", 1000],
      [{ cloud: "gcp" }, "4.0", 1000],
    ]);
  });
});

describe("§11 at volume", () => {
  // Latency at this size is a benchmark target (npm run bench), not a test assertion.
  it("prices 100,000 distinct users across all four Team tiers", async () => {
    await segmentCustomer();
    await sendDistinctUsers("acme-main", 100_000);
    const usage = await usageOf("acme", "acme-main");
    // 10,000 free + 15,000 × 0.012 + 75,000 × 0.011 = 1005 dollars
    expect(usage.amount_cents).toBe(100500);
  });
});
