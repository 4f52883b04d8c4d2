// Current usage as Lago v1.51.0's code computes it, where lago-api.md is silent or says otherwise. Each test
// names the Lago file (getlago/lago-api at v1.51.0) whose behaviour it pins.
import { describe, expect, it } from "vitest";
import { createPlainPlan } from "../support/billing-fixtures";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const usageOf = async (query = "") => {
  const res = await lago.http("GET", `/customers/acme/current_usage?external_subscription_id=s${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.customer_usage;
};

async function metric(body: Record<string, unknown>): Promise<string> {
  const res = await lago.http("POST", "/billable_metrics", { billable_metric: body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.billable_metric.lago_id;
}

/** Acme (USD) subscribed as "s" to a plan holding these charges. */
async function subscribe(charges: unknown[], customer: Record<string, unknown> = {}) {
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD", ...customer } as any });
  await createPlainPlan(lago, "p", 0, { charges });
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "p", external_id: "s" } as any });
}

let sent = 0;
/** Events of `code` to "s", now. */
async function send(code: string, ...properties: Array<Record<string, unknown>>) {
  const res = await lago.http("POST", "/events/batch", { events: properties.map((p) => ({ transaction_id: `t${++sent}`, code, external_subscription_id: "s", properties: p })) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("aggregation edge cases", () => {
  it("a sum that goes negative bills nothing and reports 0 units, keeping its events (fees/charge_service.rb#init_fee)", async () => {
    await subscribe([{ billable_metric_id: await metric({ name: "Credits", code: "credits", aggregation_type: "sum_agg", field_name: "v" }), charge_model: "standard", properties: { amount: "1" } }]);
    await send("credits", { v: "5" }, { v: "-8" });
    expect((await usageOf()).charges_usage[0]).toMatchObject({ units: "0.0", total_aggregated_units: "0.0", events_count: 2, amount_cents: 0 });
  });

  it("only plain decimal text and JSON numbers are numbers: not '1e3', ' 12 ', '+5', '.5', booleans or null (events/stores/postgres_store.rb#numeric_condition)", async () => {
    await subscribe([{ billable_metric_id: await metric({ name: "Bytes", code: "bytes", aggregation_type: "sum_agg", field_name: "v" }), charge_model: "standard", properties: { amount: "1" } }]);
    await send("bytes", { v: "1e3" }, { v: " 12 " }, { v: "+5" }, { v: ".5" }, { v: true }, { v: null }, {}, { v: "7" }, { v: 3 }, { v: "-2.5" }, { v: 1e3 });
    expect((await usageOf()).charges_usage[0]).toMatchObject({ units: "1007.5", events_count: 4, amount_cents: 100750 });
  });

  it("max of negative values is negative units, billed as 0; a negative latest value is 0 (max_service.rb, latest_service.rb)", async () => {
    const max = await metric({ name: "A peak", code: "peak", aggregation_type: "max_agg", field_name: "v" });
    const latest = await metric({ name: "B last", code: "last", aggregation_type: "latest_agg", field_name: "v" });
    await subscribe([max, latest].map((id) => ({ billable_metric_id: id, charge_model: "standard", properties: { amount: "1" } })));
    await send("peak", { v: "-3" }, { v: "-1" });
    await send("last", { v: "4" }, { v: "-6" });
    const [peak, last] = (await usageOf()).charges_usage;
    expect(peak).toMatchObject({ units: "0.0", events_count: 2, amount_cents: 0 });
    expect(last).toMatchObject({ units: "0.0", events_count: 2, amount_cents: 0 });
  });

  it("events_count of a unique count is the number of values counted; an event without the field counts as one more value (unique_count_service.rb, postgres/unique_count_query.rb)", async () => {
    await subscribe([{ billable_metric_id: await metric({ name: "Seats", code: "seats", aggregation_type: "unique_count_agg", field_name: "user" }), charge_model: "standard", properties: { amount: "1" } }]);
    await send("seats", { user: "a" }, { user: "a" }, { user: "b" }, { user: "b", operation_type: "remove" }, { other: 1 }, { other: 2 });
    // a, and the NULL value of the two events without `user`: 2 values, from 6 events
    expect((await usageOf()).charges_usage[0]).toMatchObject({ units: "2.0", events_count: 2, amount_cents: 200 });
  });

  it("rounding_precision may be negative: round/ceil/floor left of the point (apply_rounding_service.rb)", async () => {
    const ids = await Promise.all(
      (["round", "ceil", "floor"] as const).map((fn) => metric({ name: `${fn} hundreds`, code: fn, aggregation_type: "sum_agg", field_name: "v", rounding_function: fn, rounding_precision: -2 })),
    );
    await subscribe(ids.map((id) => ({ billable_metric_id: id, charge_model: "standard", properties: { amount: "1" } })));
    for (const code of ["round", "ceil", "floor"]) await send(code, { v: "1250.5" });
    const units = Object.fromEntries((await usageOf()).charges_usage.map((c: any) => [c.billable_metric.code, c.units]));
    expect(units).toEqual({ round: "1300.0", ceil: "1300.0", floor: "1200.0" });
  });
});

describe("charge filters and pricing groups", () => {
  const REGION_TIER = [
    { key: "region", values: ["eu", "us", "asia"] },
    { key: "tier", values: ["a", "b"] },
  ];

  it("a more specific filter takes its events from the broader one; partly overlapping filters both count what they share (charge_filters/matching_and_ignored_service.rb)", async () => {
    const id = await metric({ name: "Calls", code: "calls", aggregation_type: "count_agg", filters: REGION_TIER });
    await subscribe([
      {
        billable_metric_id: id,
        charge_model: "standard",
        properties: { amount: "1000" },
        filters: [
          { invoice_display_name: "eu", properties: { amount: "1" }, values: { region: ["eu"] } },
          { invoice_display_name: "eu-a", properties: { amount: "10" }, values: { region: ["eu"], tier: ["a"] } },
          { invoice_display_name: "eu+us", properties: { amount: "100" }, values: { region: ["eu", "us"] } },
        ],
      },
    ]);
    await send("calls", { region: "eu", tier: "a" }, { region: "eu", tier: "b" }, { region: "us", tier: "a" }, { region: "asia", tier: "a" });
    const filters = (await usageOf()).charges_usage[0].filters.map((f: any) => [f.invoice_display_name, f.units]);
    // "eu" is a strict subset of "eu+us", so eu+us leaves eu's events to it; "eu-a" is more specific than both
    expect(filters).toEqual([
      ["eu", "1.0"], // eu/b (eu/a belongs to eu-a)
      ["eu-a", "1.0"],
      ["eu+us", "1.0"], // us/a
      [null, "1.0"], // asia
    ]);
  });

  it("two filters sharing only some values both count the shared events (charge_filters/matching_and_ignored_service.rb)", async () => {
    const id = await metric({ name: "Calls", code: "calls", aggregation_type: "count_agg", filters: REGION_TIER });
    await subscribe([
      {
        billable_metric_id: id,
        charge_model: "standard",
        properties: { amount: "0" },
        filters: [
          { invoice_display_name: "eu+us", properties: { amount: "1" }, values: { region: ["eu", "us"] } },
          { invoice_display_name: "us+asia", properties: { amount: "1" }, values: { region: ["us", "asia"] } },
        ],
      },
    ]);
    await send("calls", { region: "us" });
    const usage = await usageOf();
    expect(usage.charges_usage[0].filters.map((f: any) => [f.invoice_display_name, f.units])).toEqual([
      ["eu+us", "1.0"],
      ["us+asia", "1.0"],
      [null, "0.0"],
    ]);
    expect(usage.amount_cents).toBe(200); // one event billed twice
  });

  it("a filter groups by its own pricing_group_keys, the default slice by the charge's; an empty slice is one zero fee grouped by null (fees/charge_service.rb#grouped_by_keys, aggregations/base_service.rb.null_result)", async () => {
    const id = await metric({ name: "Compute", code: "cpu", aggregation_type: "sum_agg", field_name: "h", filters: REGION_TIER });
    await subscribe([
      {
        billable_metric_id: id,
        charge_model: "standard",
        properties: { amount: "1", pricing_group_keys: ["cloud"] },
        filters: [{ invoice_display_name: "eu", properties: { amount: "2", pricing_group_keys: ["zone"] }, values: { region: ["eu"] } }],
      },
    ]);
    await send("cpu", { h: "3", region: "eu", zone: "z1", cloud: "aws" }, { h: "4", region: "eu", zone: "z2", cloud: "aws" });
    const charge = (await usageOf()).charges_usage[0];
    expect(charge.grouped_usage.map((g: any) => [g.grouped_by, g.units, g.amount_cents])).toEqual([
      [{ zone: "z1" }, "3.0", 600],
      [{ zone: "z2" }, "4.0", 800],
      [{ cloud: null }, "0.0", 0],
    ]);
  });
});

describe("taxes and order", () => {
  it("several taxes are summed unrounded and rounded once: 5% + 5% of 10 cents is 1 cent (invoices/apply_taxes_service.rb)", async () => {
    for (const code of ["t1", "t2"]) await lago.client.taxes.createTax({ tax: { name: code, code, rate: "5" } as any });
    await subscribe([{ billable_metric_id: await metric({ name: "Calls", code: "calls", aggregation_type: "count_agg" }), charge_model: "standard", properties: { amount: "0.1" } }], { tax_codes: ["t1", "t2"] });
    await send("calls", {});
    expect(await usageOf()).toMatchObject({ amount_cents: 10, taxes_amount_cents: 1, total_amount_cents: 11 });
  });

  it("charges_usage lists charges by the byte order of their metrics' down-cased names (invoices/customer_usage_service.rb#compute_charge_fees)", async () => {
    const names = ["zeta", "Élan", "alpha", "Beta", "_under"];
    const ids = [];
    for (const name of names) ids.push(await metric({ name, code: name.normalize("NFD").replace(/[^a-z_]/gi, "").toLowerCase() || "x", aggregation_type: "count_agg" }));
    await subscribe(ids.map((id) => ({ billable_metric_id: id, charge_model: "standard", properties: { amount: "1" } })));
    // "_" (0x5F) sorts before letters, "é" (0xC3 0xA9) after them
    expect((await usageOf()).charges_usage.map((c: any) => c.billable_metric.name)).toEqual(["_under", "alpha", "Beta", "zeta", "Élan"]);
  });
});
