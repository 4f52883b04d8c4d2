// A subscription's plan overrides through the provider's CRUD against the local Lago (lago-api.md §5.5;
// app/services/plans/override_service.rb for the first override, app/services/plans/update_service.rb for later ones).
import { describe, expect, it } from "vitest";
import { catalogSchema } from "../../provider/catalog/schema";
import { UNKNOWN } from "../../provider/canonical";
import { overrideSides } from "../../provider/preview/override-sides";
import { buildReport } from "../../provider/preview/report";
import { overrideDifferences, overrideIgnoredReason } from "../../provider/kinds/subscription/overrides";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const subs = () => runtime.subscription;

const main = { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" };
const ranges = (first: string) => [
  { fromValue: 0, toValue: 1000, perUnitAmount: first },
  { fromValue: 1001, toValue: null, perUnitAmount: "0.01" },
];

/** Plan "team" (120.00 USD, taxed "vat", a 50.00 commitment): a graduated "mtu" charge and a standard "seats" charge. */
async function world() {
  await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as never });
  await lago.client.taxes.createTax({ tax: { name: "Reduced", code: "reduced", rate: "5" } as never });
  const mtu = (await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "MTU", code: "mtu", aggregation_type: "count_agg" } as never })).data.billable_metric;
  const seats = (await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "Seats", code: "seats", aggregation_type: "count_agg" } as never })).data.billable_metric;
  await lago.http("POST", "/plans", {
    plan: {
      name: "Team",
      code: "team",
      interval: "monthly",
      amount_cents: 12000,
      amount_currency: "USD",
      pay_in_advance: false,
      tax_codes: ["vat"],
      minimum_commitment: { amount_cents: 5000, tax_codes: [] },
      charges: [
        {
          billable_metric_id: mtu.lago_id,
          code: "mtu",
          charge_model: "graduated",
          tax_codes: ["vat"],
          properties: { graduated_ranges: [{ from_value: 0, to_value: 1000, per_unit_amount: "0.02", flat_amount: "0" }, { from_value: 1001, to_value: null, per_unit_amount: "0.01", flat_amount: "0" }] },
        },
        { billable_metric_id: seats.lago_id, code: "seats", charge_model: "package", properties: { amount: "10", package_size: 5, free_units: 0 } },
      ],
    },
  });
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } as never });
}

const live = async (externalId = "acme-main") => (await lago.http("GET", `/subscriptions/${externalId}`)).body.subscription;
const chargeOf = (sub: { plan: { charges: Array<{ code: string }> } }, code: string) => sub.plan.charges.find((c) => c.code === code) as Record<string, any>;
const writes = (from: number) => apiRequests(lago).slice(from).filter((r) => !r.startsWith("GET"));

const overrides = {
  amountCents: 9000,
  name: "Team (Acme deal)",
  charges: [{ code: "mtu", chargeModel: "graduated" as const, graduatedRanges: ranges("0.015"), invoiceDisplayName: "Tracked users" }],
};

describe("Subscription planOverrides", () => {
  it("create → Lago bills a child plan with the overrides and keeps the plan's taxes and commitment → read equals → no-op diff", async () => {
    await world();
    const args = { ...main, planOverrides: overrides };
    expect((await subs().check({}, args)).failures).toEqual([]);
    const created = await subs().create({ ...args, __provider: "serialized" });

    const remote = await live();
    expect(remote.plan).toMatchObject({ code: "team", amount_cents: 9000, name: "Team (Acme deal)", parent_id: expect.any(String) });
    // Lago's first override copies no taxes nor commitment (plans/override_service.rb `plan.dup`): the provider sends the plan's.
    expect(remote.plan.taxes.map((t: { code: string }) => t.code)).toEqual(["vat"]);
    expect(remote.plan.minimum_commitment).toMatchObject({ amount_cents: 5000 });
    expect(chargeOf(remote, "mtu")).toMatchObject({ invoice_display_name: "Tracked users", taxes: [expect.objectContaining({ code: "vat" })] });
    expect(chargeOf(remote, "mtu").properties.graduated_ranges[0]).toMatchObject({ per_unit_amount: "0.015" });
    expect(chargeOf(remote, "seats").properties).toMatchObject({ amount: "10", package_size: 5 });
    // the plan itself is untouched
    expect((await lago.client.plans.findPlan("team")).data.plan.amount_cents).toBe(12000);

    const read = await subs().read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ ...main, planOverrides: { amountCents: 9000, name: "Team (Acme deal)", charges: [{ code: "mtu", invoiceDisplayName: "Tracked users" }] } });
    const before = apiRequests(lago).length;
    expect((await subs().diff(created.id, { ...read.props!, __provider: "x" }, { ...args, __provider: "y" })).changes).toBe(false);
    expect(apiRequests(lago).length).toBe(before);
  });

  it("a charge named by its metric, package properties given in part (the rest kept from the plan), a commitment and taxes overridden", async () => {
    await world();
    const args = {
      ...main,
      planOverrides: { taxCodes: ["reduced"], minimumCommitment: { amountCents: 2000, taxCodes: ["reduced"] }, charges: [{ billableMetricCode: "seats", chargeModel: "package" as const, amount: "8", taxCodes: ["reduced"] }] },
    };
    const created = await subs().create({ ...args, __provider: "serialized" });
    const remote = await live();
    expect(remote.plan.taxes.map((t: { code: string }) => t.code)).toEqual(["reduced"]);
    expect(remote.plan.minimum_commitment).toMatchObject({ amount_cents: 2000, taxes: [expect.objectContaining({ code: "reduced" })] });
    expect(chargeOf(remote, "seats")).toMatchObject({ properties: { amount: "8", package_size: 5, free_units: 0 }, taxes: [expect.objectContaining({ code: "reduced" })] });
    expect(chargeOf(remote, "mtu").taxes.map((t: { code: string }) => t.code)).toEqual(["vat"]);
    const read = await subs().read(created.id, created.outs);
    expect((await subs().diff(created.id, read.props!, args)).changes).toBe(false);
  });

  it("in-place update of the overrides (a later override updates the child plan by its own charge ids), then an override taken out returns to the plan's value", async () => {
    await world();
    const created = await subs().create({ ...main, planOverrides: overrides, __provider: "serialized" });
    const first = await live();

    const cheaper = { ...main, planOverrides: { ...overrides, charges: [{ ...overrides.charges[0]!, graduatedRanges: ranges("0.012") }] } };
    expect(await subs().diff(created.id, created.outs, cheaper)).toMatchObject({ changes: true, changed: ["planOverrides"], replaces: [] });
    const before = apiRequests(lago).length;
    const updated = await subs().update(created.id, created.outs, cheaper);
    expect(writes(before)).toEqual(["PUT /subscriptions/acme-main"]);
    const second = await live();
    expect(second.lago_id).toBe(first.lago_id);
    expect(second.plan.lago_id).toBe(first.plan.lago_id);
    expect(chargeOf(second, "mtu").properties.graduated_ranges[0]).toMatchObject({ per_unit_amount: "0.012" });
    expect(chargeOf(second, "mtu").invoice_display_name).toBe("Tracked users");
    expect(chargeOf(second, "seats")).toMatchObject({ properties: { amount: "10", package_size: 5 } });
    expect(second.plan.taxes.map((t: { code: string }) => t.code)).toEqual(["vat"]);

    // amountCents and the display name no longer overridden: the plan's again
    const fewer = { ...main, planOverrides: { name: "Team (Acme deal)", charges: [{ code: "mtu", chargeModel: "graduated" as const, graduatedRanges: ranges("0.012") }] } };
    await subs().update(created.id, updated.outs, fewer);
    const third = await live();
    expect(third.plan).toMatchObject({ amount_cents: 12000, name: "Team (Acme deal)" });
    expect(chargeOf(third, "mtu").invoice_display_name).toBeNull();
  });

  it("planOverrides taken out entirely: the subscription's plan goes back to the plan's values (Lago keeps it on its own copy)", async () => {
    await world();
    const created = await subs().create({ ...main, planOverrides: overrides, __provider: "s" });
    expect(await subs().diff(created.id, created.outs, main)).toMatchObject({ changes: true, changed: ["planOverrides"], replaces: [] });
    const updated = await subs().update(created.id, created.outs, main);
    const remote = await live();
    expect(remote.plan).toMatchObject({ amount_cents: 12000, name: "Team", parent_id: expect.any(String) });
    expect(chargeOf(remote, "mtu")).toMatchObject({ invoice_display_name: null });
    expect(chargeOf(remote, "mtu").properties.graduated_ranges[0]).toMatchObject({ per_unit_amount: "0.02" });
    expect(updated.outs).not.toHaveProperty("planOverrides");
    expect((await subs().diff(created.id, updated.outs, main)).changes).toBe(false);
  });

  it("drift: an override changed in Lago shows at refresh and is changed back", async () => {
    await world();
    const args = { ...main, planOverrides: overrides };
    const created = await subs().create({ ...args, __provider: "serialized" });
    await lago.http("PUT", "/subscriptions/acme-main", { subscription: { plan_overrides: { amount_cents: 9900 } } });
    const refreshed = await subs().read(created.id, created.outs);
    expect(refreshed.inputs).toMatchObject({ planOverrides: { amountCents: 9900 } });
    expect(await subs().diff(created.id, refreshed.props!, args)).toMatchObject({ changes: true, changed: ["planOverrides"] });
    await subs().update(created.id, refreshed.props!, args);
    expect((await live()).plan.amount_cents).toBe(9000);
  });

  it("a silent ignore is caught: Lago keeps a charge's minimum and the currency once the subscription's plan is overridden", async () => {
    await world();
    const created = await subs().create({ ...main, planOverrides: overrides, __provider: "serialized" });
    const minimum = { ...main, planOverrides: { ...overrides, charges: [{ ...overrides.charges[0]!, minAmountCents: 500 }] } };
    // at preview: a change in place Lago would ignore is a replacement, and an active subscription's is refused
    expect(await failure(subs().diff(created.id, created.outs, minimum))).toContain(
      "refusing to replace it to change planOverrides (planOverrides cannot change in place: Lago keeps planOverrides.charges[mtu].minAmountCents once the subscription's plan is overridden)",
    );
    // at apply, had preview been skipped: the step fails naming what Lago kept, and why
    const message = await failure(subs().update(created.id, created.outs, minimum));
    expect(message).toContain('Subscription external_id "acme-main": update did not apply planOverrides');
    expect(message).toContain("planOverrides.charges[mtu].minAmountCents: Lago keeps it once the subscription's plan is overridden");
    expect((await live()).plan.amount_cents).toBe(9000);
    const currency = { ...main, planOverrides: { ...overrides, amountCurrency: "EUR" } };
    expect(await failure(subs().diff(created.id, created.outs, currency))).toContain("Lago keeps planOverrides.amountCurrency once the subscription's plan is overridden");
    // the other overrides still change in place
    expect(await subs().diff(created.id, created.outs, { ...main, planOverrides: { ...overrides, amountCents: 9100 } })).toMatchObject({ changes: true, replaces: [] });
  });

  it("an override naming no charge of the plan stops the write with the path and the plan's charges", async () => {
    await world();
    const before = apiRequests(lago).length;
    const message = await failure(subs().create({ ...main, planOverrides: { charges: [{ code: "events", invoiceDisplayName: "Events" }] }, __provider: "s" }));
    expect(message).toContain('planOverrides.charges[0].code "events" is not a charge of plan "team" (its charges: mtu, seats): use one of its charge codes');
    expect(writes(before)).toEqual([]);
    const wrongModel = await failure(subs().create({ ...main, planOverrides: { charges: [{ code: "seats", chargeModel: "standard", amount: "1" }] }, __provider: "s" }));
    expect(wrongModel).toContain('planOverrides.charges[0].chargeModel must be "package", the model of charge "seats"');
    expect(writes(before)).toEqual([]);
  });

  it("check lets values unknown at preview through", async () => {
    const args = { ...main, planOverrides: { amountCents: UNKNOWN, charges: [{ code: UNKNOWN, chargeModel: "standard", amount: UNKNOWN }] } };
    expect((await subs().check({}, args)).failures).toEqual([]);
    expect(apiRequests(lago)).toEqual([]);
  });
});

describe("planOverrides cross-checked with the plan in the same catalog", () => {
  const catalog = (planOverrides: Record<string, unknown>) => ({
    taxes: [{ name: "VAT", code: "vat", rate: "20" }],
    metrics: [{ name: "MTU", code: "mtu", aggregationType: "count_agg" }],
    plans: [{ name: "Team", code: "team", interval: "monthly", amountCents: 12000, amountCurrency: "USD", charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount: "0.01" }] }],
    customers: [{ externalId: "acme", currency: "USD" }],
    subscriptions: [{ ...main, planOverrides }],
  });
  const issues = (planOverrides: Record<string, unknown>) => {
    const parsed = catalogSchema.safeParse(catalog(planOverrides));
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("a charge override for a metric the plan does not charge, a model not the charge's, another currency", () => {
    expect(issues({ charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount: "0.02" }] })).toEqual([]);
    expect(issues({ charges: [{ billableMetricCode: "seats", invoiceDisplayName: "Seats" }] })).toEqual([
      'subscriptions.0.planOverrides.charges.0.billableMetricCode: plan "team" has no charge for metric "seats" (its charges: mtu): override one of its charges',
    ]);
    expect(issues({ charges: [{ code: "mtu", chargeModel: "package", amount: "1", packageSize: 10 }] })).toEqual([
      'subscriptions.0.planOverrides.charges.0.chargeModel: must be "standard", the model of charge "mtu": Lago never changes a charge\'s model in an override (change the plan, or subscribe to another plan)',
    ]);
    expect(issues({ amountCurrency: "EUR" })).toEqual(['subscriptions.0.planOverrides: bills in EUR but customer "acme" pays in USD (Lago: currencies_does_not_match): align the currencies']);
  });
});

describe("Subscription planOverrides: filters and plan changes", () => {
  it("a charge's filters are overridden as a whole list, compared as a set", async () => {
    await lago.http("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg", filters: [{ key: "region", values: ["eu", "us"] }] } });
    const metric = (await lago.http("GET", "/billable_metrics/calls")).body.billable_metric;
    await lago.http("POST", "/plans", {
      plan: {
        name: "API",
        code: "api",
        interval: "monthly",
        amount_cents: 0,
        amount_currency: "USD",
        pay_in_advance: false,
        charges: [{ billable_metric_id: metric.lago_id, code: "calls", charge_model: "standard", properties: { amount: "0.01" }, filters: [{ values: { region: ["eu"] }, properties: { amount: "0.02" } }] }],
      },
    });
    const args = {
      externalId: "acme-api",
      externalCustomerId: "acme",
      planCode: "api",
      planOverrides: {
        charges: [
          {
            code: "calls",
            chargeModel: "standard" as const,
            filters: [
              { values: { region: ["us"] }, properties: { amount: "0.005" }, invoiceDisplayName: "US calls" },
              { values: { region: ["eu"] }, properties: { amount: "0.015" } },
            ],
          },
        ],
      },
    };
    const created = await subs().create({ ...args, __provider: "s" });
    const charge = chargeOf(await live("acme-api"), "calls");
    expect(charge.properties).toMatchObject({ amount: "0.01" });
    expect(charge.filters.map((f: { values: unknown; properties: { amount: string } }) => [f.values, f.properties.amount])).toEqual(
      expect.arrayContaining([
        [{ region: ["us"] }, "0.005"],
        [{ region: ["eu"] }, "0.015"],
      ]),
    );
    const read = await subs().read(created.id, created.outs);
    expect((await subs().diff(created.id, read.props!, args)).changes).toBe(false);
  });

  it("a plan change takes the overrides with it: one POST against the new plan's charges", async () => {
    await world();
    await lago.http("POST", "/plans", { plan: { name: "Business", code: "business", interval: "monthly", amount_cents: 30000, amount_currency: "USD", pay_in_advance: false } });
    const created = await subs().create({ ...main, planOverrides: { amountCents: 11000 }, __provider: "s" });
    const moved = { ...main, planCode: "business", planOverrides: { amountCents: 25000, name: "Business (Acme)" } };
    const before = apiRequests(lago).length;
    const updated = await subs().update(created.id, created.outs, moved);
    expect(writes(before)).toEqual(["POST /subscriptions"]);
    expect((await live()).plan).toMatchObject({ code: "business", amount_cents: 25000, name: "Business (Acme)", parent_id: expect.any(String) });
    expect(updated.outs).toMatchObject({ currentPlanCode: "business" });
  });

  it("a downgrade carrying overrides waits for the period end with them, and is not taken for an ignore", async () => {
    await world();
    await lago.http("POST", "/plans", { plan: { name: "Starter", code: "starter", interval: "monthly", amount_cents: 5000, amount_currency: "USD", pay_in_advance: false } });
    const created = await subs().create({ ...main, planOverrides: { amountCents: 11000 }, __provider: "s" });
    const down = { ...main, planCode: "starter", planOverrides: { amountCents: 4000 } };
    const updated = await subs().update(created.id, created.outs, down);
    expect(updated.outs).toMatchObject({ planCode: "starter", currentPlanCode: "team", nextPlanCode: "starter" });
    const pending = (await lago.http("GET", "/subscriptions/acme-main?status=pending")).body.subscription;
    expect(pending.plan).toMatchObject({ code: "starter", amount_cents: 4000, parent_id: expect.any(String) });
    expect((await live()).plan.amount_cents).toBe(11000);
  });

  it("overrides equal to the plan's values on a subscription never overridden write nothing at adoption", async () => {
    await world();
    await lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-main" } });
    const before = apiRequests(lago).length;
    const adopted = await subs().create({ ...main, adopt: true, planOverrides: { amountCents: 12000, charges: [{ code: "seats", chargeModel: "package", amount: "10" }] }, __provider: "s" });
    expect(writes(before)).toEqual([]);
    expect((await live()).plan.parent_id).toBeNull();
    expect(adopted.id).toBe("acme-main");
  });
});

describe("pricing preview of a planOverrides change", () => {
  it("re-prices the subscription on its own plan: before the plan Lago bills it, after the plan with the new overrides", async () => {
    await world();
    await subs().create({ ...main, planOverrides: overrides, __provider: "s" });
    const billed = (await live()).plan;
    const plan = (await lago.http("GET", "/plans/team")).body.plan;
    const cheaper = { ...overrides, amountCents: 8000, charges: [{ ...overrides.charges[0]!, graduatedRanges: ranges("0.012") }] };
    const sides = overrideSides(billed, plan, cheaper)!;
    expect(sides.before.wire.amount_cents).toBe(9000);
    expect(sides.after.wire.amount_cents).toBe(8000);
    // the charge the overrides leave alone keeps the plan's package price on both sides
    expect(sides.after.charges.get("seats")!.wire.properties).toEqual(sides.before.charges.get("seats")!.wire.properties);

    const usage = {
      externalCustomerId: "acme",
      externalSubscriptionId: "acme-main",
      planCode: "team",
      from: "2026-11-01T00:00:00Z",
      to: "2026-11-30T23:59:59Z",
      currency: "USD",
      chargesUsage: [{ units: "1000", events_count: 1000, amount_cents: 1500, charge: { code: "mtu", charge_model: "graduated" } }],
      sides,
    };
    const report = buildReport({ stack: "dev", steps: [], usage: [usage] });
    // 90.00 + 1,000 × 0.015 before; 80.00 + 1,000 × 0.012 after
    expect(report.customers!.subscriptions).toMatchObject([{ subscription: "acme-main", beforeCents: 10500, afterCents: 9200, deltaCents: -1300 }]);
  });
});

describe("Subscription planOverrides.fixedCharges (read through GET /subscriptions/{external_id}/fixed_charges)", () => {
  /** The world's plan "team" with two fixed charges on add-on "seat": "support" (standard, 2 units at 25) and "onboarding" (1 unit at 100). */
  async function withFixedCharges() {
    await world();
    const addOn = (await lago.http("POST", "/add_ons", { add_on: { name: "Seat", code: "seat", amount_cents: 100, amount_currency: "USD" } })).body.add_on;
    const plan = (await lago.http("GET", "/plans/team")).body.plan;
    const res = await lago.http("PUT", "/plans/team", {
      plan: {
        charges: plan.charges.map((c: Record<string, unknown>) => ({ id: c.lago_id, billable_metric_id: c.lago_billable_metric_id, charge_model: c.charge_model, properties: c.properties })),
        fixed_charges: [
          { add_on_id: addOn.lago_id, code: "support", charge_model: "standard", units: 2, properties: { amount: "25" } },
          { add_on_id: addOn.lago_id, code: "onboarding", charge_model: "standard", units: 1, properties: { amount: "100" } },
        ],
      },
    });
    expect(res.status).toBe(200);
  }
  const fixedOf = async (code: string) => (await lago.http("GET", `/subscriptions/acme-main/fixed_charges/${code}`)).body.fixed_charge;
  const deal = { name: "Team (Acme deal)", fixedCharges: [{ code: "support", chargeModel: "standard" as const, units: 5, amount: "20", invoiceDisplayName: "Support seats", taxCodes: ["vat"], applyUnitsImmediately: true }] };

  it("create → the child plan's fixed charge has the units, price, name and taxes → read equals → no-op diff", async () => {
    await withFixedCharges();
    const args = { ...main, planOverrides: deal };
    expect((await subs().check({}, args)).failures).toEqual([]);
    const created = await subs().create({ ...args, __provider: "serialized" });
    const support = await fixedOf("support");
    expect(support).toMatchObject({ units: "5.0", properties: { amount: "20" }, invoice_display_name: "Support seats", lago_parent_id: expect.any(String), taxes: [expect.objectContaining({ code: "vat" })] });
    expect(await fixedOf("onboarding")).toMatchObject({ units: "1.0", properties: { amount: "100" } });
    // the plan keeps its own
    expect((await lago.http("GET", "/plans/team")).body.plan.fixed_charges.find((f: { code: string }) => f.code === "support")).toMatchObject({ units: "2.0" });

    const read = await subs().read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ planOverrides: { fixedCharges: [{ code: "support", units: "5.0", amount: "20", invoiceDisplayName: "Support seats", taxCodes: ["vat"] }] } });
    const before = apiRequests(lago).length;
    expect((await subs().diff(created.id, { ...read.props!, __provider: "x" }, { ...args, __provider: "y" })).changes).toBe(false);
    expect(apiRequests(lago).length).toBe(before);
  });

  it("in place: a later override updates the child's fixed charge by its own id; taken out, the units go back to the plan's", async () => {
    await withFixedCharges();
    const created = await subs().create({ ...main, planOverrides: deal, __provider: "serialized" });
    const first = await fixedOf("support");
    const more = { ...main, planOverrides: { ...deal, fixedCharges: [{ ...deal.fixedCharges[0]!, units: "7.5" }] } };
    expect(await subs().diff(created.id, created.outs, more)).toMatchObject({ changes: true, changed: ["planOverrides"], replaces: [] });
    const before = apiRequests(lago).length;
    const updated = await subs().update(created.id, created.outs, more);
    expect(writes(before)).toEqual(["PUT /subscriptions/acme-main"]);
    expect(await fixedOf("support")).toMatchObject({ lago_id: first.lago_id, units: "7.5", properties: { amount: "20" } });
    expect((await subs().diff(created.id, updated.outs, more)).changes).toBe(false);

    const back = { ...main, planOverrides: { name: "Team (Acme deal)" } };
    const after = await subs().update(created.id, updated.outs, back);
    expect(await fixedOf("support")).toMatchObject({ lago_id: first.lago_id, units: "2.0", properties: { amount: "25" }, invoice_display_name: null });
    expect((await subs().diff(created.id, after.outs, back)).changes).toBe(false);
  });

  it("drift: units changed in Lago show at refresh and are changed back", async () => {
    await withFixedCharges();
    const args = { ...main, planOverrides: deal };
    const created = await subs().create({ ...args, __provider: "serialized" });
    const support = await fixedOf("support");
    await lago.http("PUT", "/subscriptions/acme-main", { subscription: { plan_overrides: { fixed_charges: [{ id: support.lago_id, units: 9 }] } } });
    const refreshed = await subs().read(created.id, created.outs);
    expect(refreshed.inputs).toMatchObject({ planOverrides: { fixedCharges: [{ code: "support", units: "9.0" }] } });
    expect(await subs().diff(created.id, refreshed.props!, args)).toMatchObject({ changes: true, changed: ["planOverrides"] });
    await subs().update(created.id, refreshed.props!, args);
    expect(await fixedOf("support")).toMatchObject({ units: "5.0" });
  });

  it("a fixed charge override Lago did not apply is named with its path and reason (overrideDifferences, overrideIgnoredReason)", () => {
    // Lago's first override drops a copy it cannot save (plans/override_service.rb ignores FixedCharges::OverrideService's result).
    const held = { charges: [], fixedCharges: [{ code: "onboarding", chargeModel: "standard" as const, units: "1.0", amount: "100" }] };
    const paths = overrideDifferences({ fixedCharges: [{ code: "support", units: 5, applyUnitsImmediately: true }] }, held);
    expect(paths).toEqual(["fixedCharges[support].units"]);
    expect(overrideIgnoredReason(paths[0]!, false)).toContain("fixed_charges/override_service.rb");
    // held as asked: nothing, whatever applyUnitsImmediately (never held, never compared) and the units' spelling
    const same = { charges: [], fixedCharges: [{ code: "support", chargeModel: "standard" as const, units: "5.0", amount: "20" }] };
    expect(overrideDifferences({ fixedCharges: [{ code: "support", chargeModel: "standard", units: 5, amount: "20.00", applyUnitsImmediately: false }] }, same)).toEqual([]);
  });

  it("a fixed-charge override naming no fixed charge of the plan stops the write with the path and the plan's fixed charges", async () => {
    await withFixedCharges();
    const before = apiRequests(lago).length;
    const message = await failure(subs().create({ ...main, planOverrides: { fixedCharges: [{ code: "setup", units: 1 }] }, __provider: "s" }));
    expect(message).toContain('planOverrides.fixedCharges[0].code "setup" is not a fixed charge of plan "team" (its fixed charges: support, onboarding): use one of its fixed charge codes');
    expect(writes(before)).toEqual([]);
  });

  it("the catalog names a fixed-charge override for a code the plan lacks", () => {
    const parsed = catalogSchema.safeParse({
      addOns: [{ name: "Seat", code: "seat", amountCents: 100, amountCurrency: "USD" }],
      plans: [{ name: "Team", code: "team", interval: "monthly", amountCents: 12000, amountCurrency: "USD", fixedCharges: [{ addOnCode: "seat", chargeModel: "standard", units: 2, amount: "25" }] }],
      customers: [{ externalId: "acme", currency: "USD" }],
      subscriptions: [{ ...main, planOverrides: { fixedCharges: [{ code: "seat", units: 3 }, { code: "setup", units: 1 }] } }],
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      'subscriptions.0.planOverrides.fixedCharges.1.code: "setup" is not a fixed charge of plan "team" (its fixed charges: seat): use one of its fixed charge codes',
    ]);
  });
});
