// Conformance with Lago's code (lago-api v1.51.0) where lago-api.md is silent or wrong: plan, subscription,
// customer and billable metric behaviours, each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { createPlainPlan } from "../../support/billing-fixtures";
import { notFound, unprocessable } from "../../support/lago-errors";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const subscribe = (subscription: Record<string, unknown>) => lago.http("POST", "/subscriptions", { subscription });
const subscription = async (externalId: string, status = "active") => (await lago.http("GET", `/subscriptions/${externalId}?status=${status}`)).body.subscription;
const putPlan = (code: string, plan: Record<string, unknown>) => lago.http("PUT", `/plans/${code}`, { plan });
const createMetric = async (billable_metric: Record<string, unknown>) =>
  (await lago.http("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg", ...billable_metric } })).body.billable_metric;

/** Acme on `pro` (10000/month) with a pending downgrade to `lite` (5000/month). */
async function pendingDowngrade() {
  await createPlainPlan(lago, "pro", 10_000);
  await createPlainPlan(lago, "lite", 5_000);
  const current = (await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" })).body.subscription;
  await subscribe({ external_customer_id: "acme", plan_code: "lite", external_id: "s" });
  const pending = await subscription("s", "pending");
  expect(pending.plan_code).toBe("lite");
  return { current, pending };
}

describe("a plan-fee change and the subscriptions on it — app/services/plans/update_service.rb", () => {
  it("a pending downgrade whose target now costs at least the current plan becomes an upgrade at once (process_pending_subscriptions → subscriptions/plan_upgrade_service.rb)", async () => {
    const { current, pending } = await pendingDowngrade();
    expect((await putPlan("lite", { amount_cents: 20_000 })).status).toBe(200);
    const active = await subscription("s");
    expect(active).toMatchObject({ plan_code: "lite", plan_amount_cents: 20_000, previous_plan_code: "pro", next_plan_code: null, status: "active" });
    expect([current.lago_id, pending.lago_id]).not.toContain(active.lago_id);
    expect(await subscription("s", "terminated")).toMatchObject({ lago_id: current.lago_id, next_plan_code: "lite" });
    expect(await subscription("s", "canceled")).toMatchObject({ lago_id: pending.lago_id });
    expect((await lago.http("GET", "/subscriptions/s?status=pending")).status).toBe(404);
  });

  it("a raise that leaves the target below the current plan keeps the downgrade pending", async () => {
    const { pending } = await pendingDowngrade();
    await putPlan("lite", { amount_cents: 9_999 });
    expect(await subscription("s", "pending")).toMatchObject({ lago_id: pending.lago_id, plan_amount_cents: 9_999 });
    expect((await subscription("s")).plan_code).toBe("pro");
  });

  it("lowering the current plan below the pending target cancels the downgrade (process_downgraded_subscriptions; amounts compared as they are)", async () => {
    const { pending } = await pendingDowngrade();
    await putPlan("pro", { amount_cents: 4_000 });
    expect(await subscription("s", "canceled")).toMatchObject({ lago_id: pending.lago_id });
    expect((await subscription("s")).next_plan_code).toBeNull();
  });

  it("cascade_updates carries the new amount to override plans still at the old one (cascade_subscription_fee_update → plans/update_amount_service.rb)", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "same", plan_overrides: { description: "custom" } });
    await subscribe({ external_customer_id: "beta", plan_code: "basic", external_id: "own", plan_overrides: { amount_cents: 700 } });
    await putPlan("basic", { amount_cents: 1_500 });
    expect((await subscription("same")).plan_amount_cents).toBe(1_000);
    await putPlan("basic", { amount_cents: 2_000, cascade_updates: true });
    expect((await subscription("same")).plan_amount_cents).toBe(1_000); // no longer at the old amount (1500)
    await putPlan("basic", { amount_cents: 1_000 });
    await putPlan("basic", { amount_cents: 3_000, cascade_updates: "true" });
    expect((await subscription("same")).plan_amount_cents).toBe(3_000);
    expect((await subscription("own")).plan_amount_cents).toBe(700);
  });
});

describe("plan update inputs — app/controllers/api/v1/plans_controller.rb, app/services/plans/update_service.rb", () => {
  it("usage_thresholds: null is dropped by strong parameters: 200 and the thresholds stay (usage_thresholds/update_service.rb only sees arrays)", async () => {
    await lago.http("POST", "/plans", { plan: { name: "P", code: "p", interval: "monthly", amount_cents: 100, amount_currency: "USD", pay_in_advance: false, usage_thresholds: [{ amount_cents: 500 }] } });
    const { status, body } = await putPlan("p", { usage_thresholds: null });
    expect(status).toBe(200);
    expect(body.plan.usage_thresholds.map((t: { amount_cents: number }) => t.amount_cents)).toEqual([500]);
    expect((await putPlan("p", { usage_thresholds: [] })).body.plan.usage_thresholds).toEqual([]);
  });

  it("interval: null on a plan without subscriptions raises in Lago (`params[:interval].to_sym`): 500, nothing written", async () => {
    await createPlainPlan(lago, "p", 100);
    const { status } = await putPlan("p", { interval: null, name: "Renamed" });
    expect(status).toBe(500);
    expect((await lago.http("GET", "/plans/p")).body.plan).toMatchObject({ name: "p", interval: "monthly" });
  });

  it("GET /plans takes no filter: PlansQuery gets pagination only", async () => {
    await createPlainPlan(lago, "a", 100);
    await createPlainPlan(lago, "b", 100, { currency: "EUR" });
    const { body } = await lago.http("GET", "/plans?code=a&search_term=a&amount_currency=EUR");
    expect(body.plans.map((p: { code: string }) => p.code)).toEqual(["b", "a"]);
  });

  it("deleting a plan leaves subscriptions on its override plans running (plans/destroy_service.rb acts on plan.subscriptions; prepare_destroy_service.rb marks the children)", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "plain" });
    await subscribe({ external_customer_id: "beta", plan_code: "basic", external_id: "custom", plan_overrides: { amount_cents: 500 } });
    expect((await lago.http("DELETE", "/plans/basic")).body.plan.pending_deletion).toBe(true);
    expect((await subscription("plain", "terminated")).plan_code).toBe("basic");
    expect(await subscription("custom")).toMatchObject({ status: "active", plan_amount_cents: 500, plan: { pending_deletion: true } });
  });
});

describe("plan overrides — app/services/plans/override_service.rb, charges/override_service.rb, fixed_charges/override_service.rb", () => {
  it("the child plan copies attributes, charges and fixed charges, but not plan taxes, commitment, thresholds or charge taxes", async () => {
    await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: 20 } });
    const metric = await createMetric({});
    const addOn = (await lago.http("POST", "/add_ons", { add_on: { name: "Setup", code: "setup", amount_cents: 100, amount_currency: "USD" } })).body.add_on;
    const created = await lago.http("POST", "/plans", {
      plan: {
        name: "Team",
        code: "team",
        interval: "monthly",
        amount_cents: 1_000,
        amount_currency: "USD",
        pay_in_advance: false,
        tax_codes: ["vat"],
        minimum_commitment: { amount_cents: 5_000 },
        usage_thresholds: [{ amount_cents: 800 }],
        charges: [{ billable_metric_id: metric.lago_id, charge_model: "standard", properties: { amount: "1" }, tax_codes: ["vat"] }],
        fixed_charges: [{ add_on_id: addOn.lago_id, charge_model: "standard", units: 1, properties: { amount: "10" } }],
      },
    });
    expect(created.status).toBe(200);
    await subscribe({ external_customer_id: "acme", plan_code: "team", external_id: "s", plan_overrides: { description: "custom" } });
    const child = (await subscription("s")).plan;
    expect(child).toMatchObject({ code: "team", name: "Team", amount_cents: 1_000, description: "custom", taxes: [], usage_thresholds: [] });
    expect(child).not.toHaveProperty("minimum_commitment");
    expect(child.charges).toHaveLength(1);
    expect(child.charges[0]).toMatchObject({ billable_metric_code: "calls", properties: { amount: "1" }, taxes: [] });
    // The answer's plan leaves fixed charges out (subscription_serializer.rb); the subscription's own list has the copies.
    expect(child).not.toHaveProperty("fixed_charges");
    const fixed = (await lago.http("GET", "/subscriptions/s/fixed_charges")).body.fixed_charges;
    expect(fixed.map((f: { add_on_code: string; taxes: unknown[] }) => [f.add_on_code, f.taxes])).toEqual([["setup", []]]);
    // What it bills against still comes from the parent (§5.7 applicable_usage_thresholds).
    expect((await subscription("s")).applicable_usage_thresholds.map((t: { amount_cents: number }) => t.amount_cents)).toEqual([800]);
  });
});

describe("DELETE /subscriptions/{external_id} — app/controllers/api/v1/subscriptions_controller.rb#terminate", () => {
  it("answers with render_subscription's default includes: the plan and applied_invoice_custom_sections, no thresholds or entitlements", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    const { body } = await lago.http("DELETE", "/subscriptions/s");
    expect(body.subscription).toMatchObject({ status: "terminated", plan: { code: "basic" }, applied_invoice_custom_sections: [] });
    expect(body.subscription).not.toHaveProperty("applicable_usage_thresholds");
    expect(body.subscription).not.toHaveProperty("entitlements");
  });

  it("?status=pending picks the pending one and cancels it; any other status value means the active one", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "later", subscription_at: tomorrow });
    expect(await lago.http("DELETE", "/subscriptions/later?status=terminated")).toEqual(expect.objectContaining(notFound("subscription_not_found")));
    const { body } = await lago.http("DELETE", "/subscriptions/later?status=pending");
    expect(body.subscription).toMatchObject({ status: "canceled", plan: { code: "basic" } });
  });
});

describe("subscription list filters — app/controllers/concerns/subscription_index.rb, app/queries/subscriptions_query.rb", () => {
  const list = async (query: string) => (await lago.http("GET", `/subscriptions?${query}`)).body.subscriptions?.map((s: { external_id: string }) => s.external_id).sort();

  async function three() {
    await createPlainPlan(lago, "basic", 1_000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "a" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "b", plan_overrides: { amount_cents: 10 } });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "c" });
    await lago.http("DELETE", "/subscriptions/c");
  }

  it("status is read only as an array (permit(status: [])): a scalar ?status= is dropped and the default, active, applies", async () => {
    await three();
    expect(await list("status=terminated")).toEqual(["a", "b"]);
    expect(await list("status[]=terminated")).toEqual(["c"]);
    expect(await list("status[]=terminated&status[]=bogus")).toEqual(["a", "b", "c"]);
  });

  it("an empty plan_code, currency or external_id still filters and matches nothing (Ruby's \"\" is truthy)", async () => {
    await three();
    expect(await list("plan_code=")).toEqual([]);
    expect(await list("currency=")).toEqual([]);
    expect(await list("external_id=")).toEqual([]);
  });

  it("overridden is cast like a Rails boolean: 1 and t are true, 0, f, off and an empty value are false", async () => {
    await three();
    for (const yes of ["true", "1", "t", "yes"]) expect(await list(`overridden=${yes}`)).toEqual(["b"]);
    for (const no of ["false", "0", "f", "off", ""]) expect(await list(`overridden=${no}`)).toEqual(["a"]);
    expect(await list("overriden=1")).toEqual(["b"]);
  });

  it("billing_entity_codes[] must all name billing entities, repeats included: else 404 billing_entity_not_found", async () => {
    await three();
    expect(await list("billing_entity_codes[]=default")).toEqual(["a", "b"]);
    expect(await lago.http("GET", "/subscriptions?billing_entity_codes[]=other")).toEqual(expect.objectContaining(notFound("billing_entity_not_found")));
    expect(await lago.http("GET", "/subscriptions?billing_entity_codes[]=default&billing_entity_codes[]=default")).toEqual(expect.objectContaining(notFound("billing_entity_not_found")));
  });
});

describe("customer list filters — app/contracts/queries/customers_query_filters_contract.rb, spec/requests/api/v1/customers_controller_spec.rb", () => {
  const customer = (external_id: string, fields: Record<string, unknown> = {}) => lago.http("POST", "/customers", { customer: { external_id, ...fields } });

  it("a country or currency outside Lago's lists answers 422 keyed by the entry's index", async () => {
    const countries = await lago.http("GET", "/customers?countries[]=FR&countries[]=XX");
    expect(countries.status).toBe(422);
    expect(countries.body.error_details).toEqual({ countries: { "1": [expect.stringMatching(/^must be one of: AD, /)] } });
    const currencies = await lago.http("GET", "/customers?currencies[]=ZZZ");
    expect(currencies.body.error_details).toEqual({ currencies: { "0": [expect.stringMatching(/^must be one of: .*USD/)] } });
  });

  it("has_tax_identification_number takes only true or false; has_customer_type=false with a customer_type is refused", async () => {
    expect(await lago.http("GET", "/customers?has_tax_identification_number=invalid")).toEqual(
      expect.objectContaining(unprocessable({ has_tax_identification_number: ["must be one of: true, false"] })),
    );
    expect(await lago.http("GET", "/customers?has_customer_type=false&customer_type=company")).toEqual(
      expect.objectContaining(unprocessable({ customer_type: ["must be nil when has_customer_type is false"] })),
    );
  });

  it("array filters are read only in array form: a scalar ?currencies= is dropped by permit(currencies: [])", async () => {
    await customer("eu", { currency: "EUR" });
    await customer("us", { currency: "USD" });
    const ids = async (query: string) => (await lago.http("GET", `/customers?${query}`)).body.customers.map((c: { external_id: string }) => c.external_id).sort();
    expect(await ids("currencies=EUR")).toEqual(["eu", "us"]);
    expect(await ids("currencies[]=EUR")).toEqual(["eu"]);
  });
});

describe("billable metric filters — app/services/billable_metrics/update_service.rb, billable_metric_filters/create_or_update_batch_service.rb", () => {
  const putMetric = (billable_metric: Record<string, unknown>) => lago.http("PUT", "/billable_metrics/calls", { billable_metric });

  it("filters: null (or any non-array) is dropped and keeps them; [] removes them all", async () => {
    await createMetric({ filters: [{ key: "region", values: ["eu"] }] });
    expect((await putMetric({ filters: null })).body.billable_metric.filters).toEqual([{ key: "region", values: ["eu"] }]);
    expect((await putMetric({ filters: "region" })).body.billable_metric.filters).toEqual([{ key: "region", values: ["eu"] }]);
    expect((await putMetric({ filters: [] })).body.billable_metric.filters).toEqual([]);
  });

  it("filters come back ordered by key (billable_metric.rb has_many :filters order(:key)); a repeated key keeps its last values", async () => {
    const metric = await createMetric({ filters: [{ key: "tier", values: ["gold"] }, { key: "region", values: ["us", "eu"] }, { key: "tier", values: ["silver"] }] });
    expect(metric.filters).toEqual([
      { key: "region", values: ["eu", "us"] },
      { key: "tier", values: ["silver"] },
    ]);
  });

  it("a filter without a key is refused by the filter model's presence check", async () => {
    const { status, body } = await lago.http("POST", "/billable_metrics", { billable_metric: { name: "C", code: "c", aggregation_type: "count_agg", filters: [{ values: ["x"] }] } });
    expect({ status, body }).toEqual(unprocessable({ key: ["value_is_mandatory"] }));
  });

  it("removing values trims charge filters: values left stay, an emptied key goes, the charge filter goes only when no key is left", async () => {
    const metric = await createMetric({ filters: [{ key: "region", values: ["eu", "us", "apac"] }, { key: "tier", values: ["gold", "silver"] }] });
    await lago.http("POST", "/plans", {
      plan: {
        name: "P",
        code: "p",
        interval: "monthly",
        amount_cents: 0,
        amount_currency: "USD",
        pay_in_advance: false,
        charges: [
          {
            billable_metric_id: metric.lago_id,
            charge_model: "standard",
            properties: { amount: "1" },
            filters: [
              { invoice_display_name: "eu-us gold", properties: { amount: "2" }, values: { region: ["eu", "us"], tier: ["gold"] } },
              { invoice_display_name: "apac", properties: { amount: "3" }, values: { region: ["apac"] } },
            ],
          },
        ],
      },
    });
    await putMetric({ filters: [{ key: "region", values: ["us"] }, { key: "tier", values: ["silver"] }] });
    const charge = (await lago.http("GET", "/plans/p")).body.plan.charges[0];
    expect(charge.filters.map((f: { invoice_display_name: string; values: unknown }) => [f.invoice_display_name, f.values])).toEqual([["eu-us gold", { region: ["us"] }]]);
  });
});

describe("the body's root key — app/controllers/api/v1/*_controller.rb (params.require versus params.expect)", () => {
  it("require(:plan).permit raises on a root that is present but not an object; expect(billable_metric: …) answers 400; blank roots answer 400", async () => {
    for (const root of ["x", 12, true, [1]]) expect((await lago.http("POST", "/plans", { plan: root })).status).toBe(500);
    for (const root of ["", " ", [], {}, null]) expect((await lago.http("POST", "/plans", { plan: root })).status).toBe(400);
    for (const root of ["x", 12, [1]]) expect((await lago.http("POST", "/billable_metrics", { billable_metric: root })).status).toBe(400);
    expect((await lago.http("GET", "/plans")).body.plans).toEqual([]);
  });
});

describe("a subscription's payment method — subscriptions/create_service.rb, payment_methods/validate_service.rb, spec/requests/api/v1/subscriptions_controller_spec.rb", () => {
  const UUID = "2f2c1c3e-9d4c-4c55-9a55-0e0f2b3c4d5e";

  it("defaults to the provider with no id (the column's default), and a plan change does not copy the current one (plan_upgrade_service.rb)", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    await createPlainPlan(lago, "pro", 5_000);
    const created = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", payment_method: { payment_method_type: "manual", payment_method_id: UUID } })).body.subscription;
    expect(created.payment_method).toEqual({ payment_method_type: "manual", payment_method_id: UUID });
    const upgraded = (await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" })).body.subscription;
    expect(upgraded.payment_method).toEqual({ payment_method_type: "provider", payment_method_id: null });
    await subscribe({ external_customer_id: "beta", plan_code: "basic", external_id: "b" });
    expect((await subscription("b")).payment_method).toEqual({ payment_method_type: "provider", payment_method_id: null });
  });

  it("refuses a provider payment method with an id it does not know, and any other type but manual", async () => {
    await createPlainPlan(lago, "basic", 1_000);
    const refused = unprocessable({ payment_method: ["invalid_payment_method"] });
    expect(await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", payment_method: { payment_method_type: "provider", payment_method_id: UUID } })).toEqual(expect.objectContaining(refused));
    expect(await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", payment_method: { payment_method_type: "card" } })).toEqual(expect.objectContaining(refused));
    expect((await lago.http("GET", "/subscriptions?external_customer_id=acme")).body.subscriptions).toEqual([]);
  });
});

describe("applied coupon list filters — app/controllers/concerns/applied_coupon_index.rb, app/queries/applied_coupons_query.rb", () => {
  it("coupon_code is read only as an array (permit(:status, coupon_code: [])); an unknown status is ignored", async () => {
    await lago.http("POST", "/customers", { customer: { external_id: "acme", currency: "USD" } });
    for (const code of ["ten", "twenty"]) {
      await lago.http("POST", "/coupons", { coupon: { name: code, code, coupon_type: "percentage", percentage_rate: 10, frequency: "once", expiration: "no_expiration" } });
      await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: code } });
    }
    const codes = async (query: string) => (await lago.http("GET", `/applied_coupons?${query}`)).body.applied_coupons.map((a: { coupon_code: string }) => a.coupon_code).sort();
    expect(await codes("coupon_code=ten")).toEqual(["ten", "twenty"]);
    expect(await codes("coupon_code[]=ten")).toEqual(["ten"]);
    expect(await codes("status=bogus")).toEqual(["ten", "twenty"]);
  });
});
