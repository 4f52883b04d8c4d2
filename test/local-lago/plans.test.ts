// lago-api.md §3 (plans) and §12 (the Segment Team plan): plan fields and their validation, taxes,
// minimum commitment, usage thresholds, fixed charges, the response shape and the plan list.
// Update and delete semantics (§3.6–3.7) are in plans-update.test.ts; charges in plans-charges.test.ts.
import type { ApplicableUsageThreshold, PlanObject } from "lago-javascript-client";
import { afterEach, describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });
afterEach(() => {
  lago.server.lago.premium = true;
});

const basePlan = (overrides: Record<string, unknown> = {}) => ({
  name: "Starter",
  code: "starter",
  interval: "monthly",
  amount_cents: 1000,
  amount_currency: "USD",
  pay_in_advance: false,
  ...overrides,
});

/** A plan as Lago answers it: the client's PlanObject lacks applicable_usage_thresholds, which every plan carries (§3.5). */
type PlanAnswer = PlanObject & { applicable_usage_thresholds?: ApplicableUsageThreshold[] };

const createPlan = async (overrides: Record<string, unknown> = {}): Promise<PlanAnswer> =>
  (await lago.client.plans.createPlan({ plan: basePlan(overrides) as any })).data.plan;

describe("§12 the Segment Team plan", () => {
  // Spelled out on purpose, not taken from test/support/segment-team.ts: this is lago-api.md §12's request
  // as written there, so the test shows exactly what is sent and what comes back.
  it("is accepted and echoed: trial_period 14.0, charge code mtu, prices as the same strings", async () => {
    const mtu = (
      await lago.client.billableMetrics.createBillableMetric({
        billable_metric: { name: "Monthly Tracked Users", code: "mtu", aggregation_type: "unique_count_agg", field_name: "user_id", recurring: false } as any,
      })
    ).data.billable_metric;
    const graduatedRanges = [
      { from_value: 0, to_value: 10000, per_unit_amount: "0", flat_amount: "0" },
      { from_value: 10001, to_value: 25000, per_unit_amount: "0.012", flat_amount: "0" },
      { from_value: 25001, to_value: 100000, per_unit_amount: "0.011", flat_amount: "0" },
      { from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" },
    ];
    const team = {
      name: "Team",
      code: "team",
      interval: "monthly",
      amount_cents: 12000,
      amount_currency: "USD",
      pay_in_advance: true,
      trial_period: 14,
      charges: [{ billable_metric_id: mtu.lago_id, charge_model: "graduated", pay_in_advance: false, properties: { graduated_ranges: graduatedRanges } }],
    };
    const { status, data } = await lago.client.plans.createPlan({ plan: team as any });
    expect(status).toBe(200);
    expect(data.plan).toEqual({
      lago_id: expect.any(String),
      name: "Team",
      invoice_display_name: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      code: "team",
      interval: "monthly",
      description: null,
      amount_cents: 12000,
      amount_currency: "USD",
      trial_period: 14.0,
      pay_in_advance: true,
      bill_charges_monthly: null,
      bill_fixed_charges_monthly: null,
      customers_count: 0,
      active_subscriptions_count: 0,
      draft_invoices_count: 0,
      parent_id: null,
      pending_deletion: false,
      charges: [
        {
          lago_id: expect.any(String),
          lago_billable_metric_id: mtu.lago_id,
          code: "mtu",
          invoice_display_name: null,
          billable_metric_code: "mtu",
          created_at: expect.any(String),
          charge_model: "graduated",
          invoiceable: true,
          regroup_paid_fees: null,
          pay_in_advance: false,
          prorated: false,
          min_amount_cents: 0,
          accepts_target_wallet: false,
          properties: { graduated_ranges: graduatedRanges },
          applied_pricing_unit: null,
          lago_parent_id: null,
          filters: [],
          taxes: [],
        },
      ],
      fixed_charges: [],
      entitlements: [],
      usage_thresholds: [],
      applicable_usage_thresholds: [],
      taxes: [],
    });
    // No minimum commitment and no metadata: the keys are absent, not null (§3.5).
    expect(data.plan).not.toHaveProperty("minimum_commitment");
    expect(data.plan).not.toHaveProperty("metadata");
    expect((await lago.client.plans.findPlan("team")).data.plan).toEqual(data.plan);
  });
});

describe("§3.2 plan fields", () => {
  it("reports every missing required field with Lago's codes", async () => {
    const res = await lago.http("POST", "/plans", { plan: { description: "nothing else" } });
    expect(res).toMatchObject(
      unprocessable({
        interval: ["value_is_invalid"],
        amount_cents: ["value_is_mandatory"],
        name: ["value_is_mandatory"],
        code: ["value_is_mandatory"],
        amount_currency: ["value_is_invalid"],
        pay_in_advance: ["value_is_invalid"],
      }),
    );
  });

  it("refuses an unknown interval or currency, and a code already used by a live plan", async () => {
    expect(await lago.http("POST", "/plans", { plan: basePlan({ interval: "daily" }) })).toMatchObject(unprocessable({ interval: ["value_is_invalid"] }));
    expect(await lago.http("POST", "/plans", { plan: basePlan({ amount_currency: "usd" }) })).toMatchObject(unprocessable({ amount_currency: ["value_is_invalid"] }));
    await createPlan();
    expect(await lagoError(lago.client.plans.createPlan({ plan: basePlan() as any }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
  });

  it("answers 400 when the plan root is missing", async () => {
    const res = await lago.http("POST", "/plans", { name: "x" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, error: "BadRequest: param is missing or the value is empty or invalid: plan" });
  });

  it("keeps bill_charges_monthly / bill_fixed_charges_monthly only for yearly and semiannual plans", async () => {
    expect(await createPlan({ code: "y", interval: "yearly" })).toMatchObject({ bill_charges_monthly: false, bill_fixed_charges_monthly: false });
    expect(await createPlan({ code: "s", interval: "semiannual", bill_charges_monthly: true })).toMatchObject({ bill_charges_monthly: true, bill_fixed_charges_monthly: false });
    expect(await createPlan({ code: "m", interval: "monthly", bill_charges_monthly: true, bill_fixed_charges_monthly: true })).toMatchObject({
      bill_charges_monthly: null,
      bill_fixed_charges_monthly: null,
    });
  });

  it("takes trial_period as a number of days, fractions included", async () => {
    expect((await createPlan({ trial_period: 14.5 })).trial_period).toBe(14.5);
  });

  it("applies taxes by tax_codes; an unknown code is 404 tax_not_found and nothing is created", async () => {
    const { data } = await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as any });
    const plan = await createPlan({ tax_codes: ["vat"] });
    // The embedded tax is the tax object without its billing-entity list (§3.5).
    const { applied_to_billing_entities_codes: _entities, ...taxItem } = data.tax;
    expect(plan.taxes).toEqual([taxItem]);
    const res = await lago.http("POST", "/plans", { plan: basePlan({ code: "other", tax_codes: ["vat", "gst"] }) });
    expect(res).toMatchObject(notFound("tax_not_found"));
    expect(await lagoError(lago.client.plans.findPlan("other"))).toEqual(notFound("plan_not_found"));
  });

  it("echoes metadata when sent and omits the key otherwise", async () => {
    expect((await createPlan({ metadata: { team: "growth", owner: null } })).metadata).toEqual({ team: "growth", owner: null });
    const res = await lago.http("POST", "/plans", { plan: basePlan({ code: "x", metadata: { nested: { no: 1 } } }) });
    expect(res).toMatchObject(unprocessable({ value: ["value for key 'nested' must be empty or a String up to 255 characters"] }));
  });
});

describe("§3.2 minimum_commitment (premium)", () => {
  it("is echoed with plan_code, interval and taxes; the key is absent when unset", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as any });
    const plan = await createPlan({ minimum_commitment: { amount_cents: 50000, invoice_display_name: "Minimum", tax_codes: ["vat"] } });
    expect(plan.minimum_commitment).toEqual({
      lago_id: expect.any(String),
      plan_code: "starter",
      invoice_display_name: "Minimum",
      amount_cents: 50000,
      interval: "monthly",
      created_at: expect.any(String),
      updated_at: expect.any(String),
      taxes: [expect.objectContaining({ code: "vat", rate: 20 })],
    });
    expect(await createPlan({ code: "bare" })).not.toHaveProperty("minimum_commitment");
  });

  it("needs amount_cents > 0", async () => {
    const res = await lago.http("POST", "/plans", { plan: basePlan({ minimum_commitment: { amount_cents: 0 } }) });
    expect(res).toMatchObject(unprocessable({ amount_cents: ["value_is_out_of_range"] }));
  });

  it("is silently ignored without premium (§1.10)", async () => {
    lago.server.lago.premium = false;
    const plan = await createPlan({ minimum_commitment: { amount_cents: 50000 } });
    expect(plan).not.toHaveProperty("minimum_commitment");
  });
});

describe("§3.2 usage_thresholds (premium)", () => {
  it("are created, the recurring one first, and mirrored in applicable_usage_thresholds", async () => {
    const plan = await createPlan({
      usage_thresholds: [
        { amount_cents: 10000, threshold_display_name: "First" },
        { amount_cents: 5000, recurring: true },
        { amount_cents: 20000 },
      ],
    });
    expect(plan.usage_thresholds!.map((t) => [t.amount_cents, t.recurring, t.threshold_display_name])).toEqual([
      [5000, true, null],
      [10000, false, "First"],
      [20000, false, null],
    ]);
    expect(plan.usage_thresholds![0]).toEqual({ lago_id: expect.any(String), threshold_display_name: null, amount_cents: 5000, recurring: true, created_at: expect.any(String), updated_at: expect.any(String) });
    expect(plan.applicable_usage_thresholds).toEqual([
      { threshold_display_name: null, amount_cents: 5000, recurring: true },
      { threshold_display_name: "First", amount_cents: 10000, recurring: false },
      { threshold_display_name: null, amount_cents: 20000, recurring: false },
    ]);
  });

  it.each([
    [[{ threshold_display_name: "no amount" }], "missing_amount_cents"],
    [[{ amount_cents: 100 }, { amount_cents: 100 }], "duplicated_values"],
    [[{ amount_cents: 100, recurring: true }, { amount_cents: 200, recurring: true }], "multiple_recurring_thresholds"],
  ])("reject %j with usage_thresholds: %s", async (thresholds, code) => {
    const res = await lago.http("POST", "/plans", { plan: basePlan({ usage_thresholds: thresholds }) });
    expect(res).toMatchObject(unprocessable({ usage_thresholds: [code] }));
  });

  it("need a positive amount", async () => {
    const res = await lago.http("POST", "/plans", { plan: basePlan({ usage_thresholds: [{ amount_cents: -5 }] }) });
    expect(res).toMatchObject(unprocessable({ amount_cents: ["value_is_out_of_range"] }));
  });

  it("are silently ignored without premium (§1.10)", async () => {
    lago.server.lago.premium = false;
    const plan = await createPlan({ usage_thresholds: [{ amount_cents: 10000 }, { amount_cents: 10000 }] });
    expect(plan.usage_thresholds).toEqual([]);
    expect(plan.applicable_usage_thresholds).toEqual([]);
  });
});

describe("§3.2 fixed charges", () => {
  const addOn = async (code = "setup") =>
    (await lago.client.addOns.createAddOn({ add_on: { name: "Setup", code, amount_cents: 5000, amount_currency: "USD" } as any })).data.add_on;

  it("an unknown add_on_id is 404 add_ons_not_found, checked before the plan's own validation", async () => {
    const res = await lago.http("POST", "/plans", {
      plan: basePlan({ name: "", fixed_charges: [{ add_on_id: "00000000-0000-4000-8000-00000000abcd", charge_model: "standard" }] }),
    });
    expect(res).toMatchObject(notFound("add_ons_not_found"));
  });

  it("are created from add-ons: code from the add-on, units as decimal text, model defaults", async () => {
    const setup = await addOn();
    const plan = await createPlan({
      fixed_charges: [
        { add_on_id: setup.lago_id, charge_model: "standard", units: 2, properties: { amount: "500" }, invoice_display_name: "Setup fee" },
        { add_on_id: setup.lago_id, charge_model: "graduated" },
      ],
    });
    expect(plan.fixed_charges).toEqual([
      {
        lago_id: expect.any(String),
        lago_add_on_id: setup.lago_id,
        code: "setup",
        invoice_display_name: "Setup fee",
        add_on_code: "setup",
        created_at: expect.any(String),
        charge_model: "standard",
        pay_in_advance: false,
        prorated: false,
        properties: { amount: "500" },
        units: "2.0",
        lago_parent_id: null,
        taxes: [],
      },
      expect.objectContaining({
        code: "setup_2",
        charge_model: "graduated",
        units: "0.0",
        properties: { graduated_ranges: [{ from_value: 0, to_value: null, per_unit_amount: "0", flat_amount: "0" }] },
      }),
    ]);
  });

  it("validate like charges: volume cannot be paid in advance, prices are strings", async () => {
    const setup = await addOn();
    const fixed = (charge: Record<string, unknown>) => lago.http("POST", "/plans", { plan: basePlan({ fixed_charges: [{ add_on_id: setup.lago_id, ...charge }] }) });
    expect(await fixed({ charge_model: "volume", pay_in_advance: true })).toMatchObject(unprocessable({ pay_in_advance: ["invalid_charge_model"] }));
    expect(await fixed({ charge_model: "standard", properties: { amount: 5 } })).toMatchObject(unprocessable({ properties: ["invalid_amount"] }));
    expect(await fixed({ charge_model: "standard", units: -1 })).toMatchObject(unprocessable({ units: ["value_is_out_of_range"] }));
  });
});

describe("§3.5 response and §3.1 list", () => {
  it("lists plans newest first with pagination meta; list items carry no fixed_charges", async () => {
    await createPlan({ code: "a" });
    await createPlan({ code: "b" });
    await createPlan({ code: "c" });
    const page1 = await lago.client.plans.findAllPlans({ per_page: 2 });
    expect(page1.data.plans.map((p) => p.code)).toEqual(["c", "b"]);
    expect(page1.data.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 3 });
    expect(page1.data.plans[0]).not.toHaveProperty("fixed_charges");
    expect(page1.data.plans[0]).toMatchObject({ customers_count: 0, active_subscriptions_count: 0, draft_invoices_count: 0, charges: [], taxes: [] });
    const page2 = await lago.client.plans.findAllPlans({ page: 2, per_page: 2 });
    expect(page2.data.plans.map((p) => p.code)).toEqual(["a"]);
  });

  it("an empty list has current_page 0", async () => {
    const { data } = await lago.client.plans.findAllPlans();
    expect(data).toEqual({ plans: [], meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 } });
  });

  it("GET of an unknown code is 404 plan_not_found", async () => {
    expect(await lagoError(lago.client.plans.findPlan("nope"))).toEqual(notFound("plan_not_found"));
  });
});
