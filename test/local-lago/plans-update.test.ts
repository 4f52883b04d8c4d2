// lago-api.md §3.6 (plan PUT: partial update, charge reconciliation by id, silent ignores once the
// plan has had a subscription) and §3.7 (DELETE: the cascade job, run synchronously here).
import { afterEach, describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";
import { teamPlanFields } from "../support/segment-team";

const lago = useLocalLago({ resetEach: true });
afterEach(() => {
  lago.server.lago.premium = true;
});

async function metric(code: string, overrides: Record<string, unknown> = {}) {
  const body = { name: code, code, aggregation_type: "sum_agg", field_name: "n", ...overrides };
  return (await lago.client.billableMetrics.createBillableMetric({ billable_metric: body as any })).data.billable_metric;
}

/** The §12 Team plan's own fields (no charges unless given). */
const basePlan = (overrides: Record<string, unknown> = {}) => ({ ...teamPlanFields, ...overrides });
const createPlan = async (overrides: Record<string, unknown> = {}) => (await lago.client.plans.createPlan({ plan: basePlan(overrides) as any })).data.plan;
const updatePlan = async (code: string, plan: Record<string, unknown>) => (await lago.client.plans.updatePlan(code, { plan: plan as any })).data.plan;

/** A customer subscribed to the plan through POST /subscriptions (which creates the customer). */
async function subscribe(planCode: string, externalId = "sub-1", extra: Record<string, unknown> = {}) {
  const { data } = await lago.client.subscriptions.createSubscription({
    subscription: { external_customer_id: `cust-${externalId}`, plan_code: planCode, external_id: externalId, ...extra } as any,
  });
  return data.subscription;
}

describe("§3.6 PUT is partial", () => {
  it("changes only the keys sent; charges absent → untouched", async () => {
    const calls = await metric("calls");
    const before = await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard", properties: { amount: "0.5" } }] });
    const after = await updatePlan("team", { name: "Team 2024", description: "New" });
    expect(after).toEqual({ ...before, name: "Team 2024", description: "New" });
  });

  it("recomputes bill_charges_monthly from the request's interval: a PUT without interval resets it to null", async () => {
    await createPlan({ interval: "yearly", bill_charges_monthly: true });
    expect(await updatePlan("team", { interval: "yearly", bill_charges_monthly: true })).toMatchObject({ bill_charges_monthly: true, bill_fixed_charges_monthly: false });
    expect(await updatePlan("team", { name: "Renamed" })).toMatchObject({ interval: "yearly", bill_charges_monthly: null, bill_fixed_charges_monthly: null });
  });

  it("validates like create, can rename the code, and answers 404 / 400", async () => {
    await createPlan();
    await createPlan({ code: "other" });
    expect(await lagoError(lago.client.plans.updatePlan("team", { plan: { code: "other" } as any }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
    expect(await lagoError(lago.client.plans.updatePlan("team", { plan: { amount_currency: "XXX" } as any }))).toEqual(
      unprocessable({ amount_currency: ["value_is_invalid"] }),
    );
    expect((await updatePlan("team", { code: "team-v2" })).code).toBe("team-v2");
    expect(await lagoError(lago.client.plans.updatePlan("team", { plan: { name: "x" } as any }))).toEqual(notFound("plan_not_found"));
    // The body is read before the plan is looked up: a missing root wins over the unknown code.
    const res = await lago.http("PUT", "/plans/unknown", {});
    expect(res.body).toEqual({ status: 400, error: "BadRequest: param is missing or the value is empty or invalid: plan" });
  });

  it("replaces taxes when tax_codes is sent ([] clears)", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as any });
    await createPlan({ tax_codes: ["vat"] });
    expect((await updatePlan("team", { name: "n" })).taxes?.map((t) => t.code)).toEqual(["vat"]);
    expect((await updatePlan("team", { tax_codes: [] })).taxes).toEqual([]);
    expect(await lago.http("PUT", "/plans/team", { plan: { tax_codes: ["nope"] } })).toMatchObject(notFound("tax_not_found"));
  });

  it("updates, removes ({}) or leaves the minimum commitment and replaces usage thresholds", async () => {
    const created = await createPlan({ minimum_commitment: { amount_cents: 1000, invoice_display_name: "Min" }, usage_thresholds: [{ amount_cents: 500 }] });
    const updated = await updatePlan("team", { minimum_commitment: { amount_cents: 2000 }, usage_thresholds: [{ amount_cents: 700, threshold_display_name: "New" }] });
    expect(updated.minimum_commitment).toMatchObject({ lago_id: created.minimum_commitment!.lago_id, amount_cents: 2000, invoice_display_name: "Min" });
    expect(updated.usage_thresholds!.map((t) => [t.amount_cents, t.threshold_display_name])).toEqual([[700, "New"]]);
    expect(await updatePlan("team", { name: "n" })).toHaveProperty("minimum_commitment");
    const cleared = await updatePlan("team", { minimum_commitment: {}, usage_thresholds: [] });
    expect(cleared).not.toHaveProperty("minimum_commitment");
    expect(cleared.usage_thresholds).toEqual([]);
  });

  it("without premium, minimum_commitment and usage_thresholds in a PUT are silently ignored (§1.10)", async () => {
    const created = await createPlan({ minimum_commitment: { amount_cents: 1000 }, usage_thresholds: [{ amount_cents: 500 }] });
    lago.server.lago.premium = false;
    const updated = await updatePlan("team", { minimum_commitment: {}, usage_thresholds: [] });
    expect(updated.minimum_commitment).toEqual(created.minimum_commitment);
    expect(updated.usage_thresholds).toEqual(created.usage_thresholds);
  });
});

describe("§3.6 charges present → full reconciliation by id", () => {
  it("keeps the lago_id of charges sent with their id, creates charges without one, soft-deletes the rest", async () => {
    const calls = await metric("calls");
    const storage = await metric("storage");
    const plan = await createPlan({
      charges: [
        { billable_metric_id: calls.lago_id, charge_model: "standard", properties: { amount: "0.5" } },
        { billable_metric_id: storage.lago_id, charge_model: "package", properties: { amount: "10", package_size: 100, free_units: 0 } },
      ],
    });
    const [kept, dropped] = plan.charges!;
    const updated = await updatePlan("team", {
      charges: [
        { id: kept!.lago_id, billable_metric_id: calls.lago_id, charge_model: "graduated", properties: { graduated_ranges: [{ from_value: 0, to_value: null, per_unit_amount: "0.4", flat_amount: "0" }] } },
        { billable_metric_id: storage.lago_id, charge_model: "standard", properties: { amount: "2" } },
      ],
    });
    // The new storage charge is created while the old one still holds "storage", hence storage_2.
    expect(updated.charges!.map((c) => [c.lago_id, c.code, c.charge_model])).toEqual([
      [kept!.lago_id, "calls", "graduated"],
      [expect.any(String), "storage_2", "standard"],
    ]);
    expect([kept!.lago_id, dropped!.lago_id]).not.toContain(updated.charges![1]!.lago_id);
    expect(await lagoError(lago.client.plans.findPlanCharge("team", "storage"))).toEqual(notFound("charge_not_found"));
  });

  it("[] removes every charge", async () => {
    const calls = await metric("calls");
    await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard" }] });
    expect((await updatePlan("team", { charges: [] })).charges).toEqual([]);
    expect((await lago.client.plans.findAllPlanCharges("team")).data.charges).toEqual([]);
  });

  it("a kept charge needs its charge_model (omitted → 422) and gets model defaults when properties are omitted", async () => {
    const calls = await metric("calls");
    const plan = await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard", properties: { amount: "5" }, invoice_display_name: "Calls" }] });
    const id = plan.charges![0]!.lago_id;
    expect(await lagoError(lago.client.plans.updatePlan("team", { plan: { charges: [{ id, properties: { amount: "6" } }] } as any }))).toEqual(
      unprocessable({ charge_model: ["value_is_invalid", "value_is_mandatory"] }),
    );
    const reset = await updatePlan("team", { charges: [{ id, charge_model: "standard" }] });
    expect(reset.charges![0]).toMatchObject({ lago_id: id, properties: { amount: "0" }, invoice_display_name: null });
  });

  it("re-sending an existing charge's code without its id clashes (creation happens before deletion)", async () => {
    const calls = await metric("calls");
    await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard" }] });
    const res = await lago.http("PUT", "/plans/team", { plan: { charges: [{ billable_metric_id: calls.lago_id, code: "calls", charge_model: "standard" }] } });
    expect(res).toMatchObject(unprocessable({ code: ["value_already_exist"] }));
    // Without a code, the new charge is named after the still-present one and the old one goes.
    const replaced = await updatePlan("team", { charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard" }] });
    expect(replaced.charges!.map((c) => c.code)).toEqual(["calls_2"]);
  });

  it("an unknown metric anywhere in the list is 404 billable_metrics_not_found and nothing changes", async () => {
    const calls = await metric("calls");
    const plan = await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard" }] });
    const res = await lago.http("PUT", "/plans/team", { plan: { name: "changed", charges: [{ billable_metric_id: "00000000-0000-4000-8000-00000000abcd", charge_model: "standard" }] } });
    expect(res).toMatchObject(notFound("billable_metrics_not_found"));
    expect((await lago.client.plans.findPlan("team")).data.plan).toEqual(plan);
  });
});

describe("§3.6 amount changes re-evaluate pending downgrades", () => {
  it("a pending downgrade to a plan that is now dearer than the current one is canceled", async () => {
    await createPlan({ code: "pro", amount_cents: 5000 });
    await createPlan({ code: "basic", amount_cents: 2000 });
    await subscribe("pro", "acme");
    const downgrade = await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "cust-acme", plan_code: "basic", external_id: "acme" } as any });
    expect(downgrade.data.subscription).toMatchObject({ plan_code: "pro", next_plan_code: "basic" });
    expect((await lago.client.subscriptions.findSubscription("acme", { status: "pending" } as any)).data.subscription.plan_code).toBe("basic");
    await updatePlan("pro", { amount_cents: 3000 });
    expect((await lago.client.subscriptions.findSubscription("acme", { status: "pending" } as any)).data.subscription.plan_code).toBe("basic");
    await updatePlan("pro", { amount_cents: 1000 });
    const canceled = await lago.client.subscriptions.findSubscription("acme", { status: "canceled" } as any);
    expect(canceled.data.subscription).toMatchObject({ plan_code: "basic", status: "canceled" });
  });
});

describe("§3.6 silent ignores once the plan has had a subscription", () => {
  it("keeps code, interval, pay_in_advance, currency, trial and bill_* but applies name and amount, with 200", async () => {
    await createPlan({ interval: "yearly", bill_charges_monthly: true });
    await subscribe("team");
    const res = await updatePlan("team", {
      name: "Renamed",
      amount_cents: 15000,
      code: "team-2",
      interval: "monthly",
      pay_in_advance: false,
      amount_currency: "EUR",
      trial_period: 30,
      bill_charges_monthly: false,
      bill_fixed_charges_monthly: true,
    });
    expect(res).toMatchObject({
      name: "Renamed",
      amount_cents: 15000,
      code: "team",
      interval: "yearly",
      pay_in_advance: true,
      amount_currency: "USD",
      trial_period: 14,
      bill_charges_monthly: true,
      bill_fixed_charges_monthly: false,
    });
  });

  it("still applies after the subscription was terminated", async () => {
    await createPlan();
    await subscribe("team");
    await lago.client.subscriptions.destroySubscription("sub-1");
    expect((await updatePlan("team", { code: "renamed", interval: "weekly" })).code).toBe("team");
  });

  it("kept charges: properties and display name change; model, metric, code, timing and premium fields do not", async () => {
    const calls = await metric("calls");
    const other = await metric("other");
    const plan = await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard", properties: { amount: "1" } }] });
    const id = plan.charges![0]!.lago_id;
    await subscribe("team");
    const updated = await updatePlan("team", {
      charges: [
        {
          id,
          billable_metric_id: other.lago_id,
          code: "renamed",
          charge_model: "standard",
          pay_in_advance: true,
          invoiceable: false,
          min_amount_cents: 100,
          invoice_display_name: "API calls",
          properties: { amount: "2" },
        },
      ],
    });
    expect(updated.charges![0]).toMatchObject({
      lago_id: id,
      lago_billable_metric_id: calls.lago_id,
      code: "calls",
      charge_model: "standard",
      pay_in_advance: false,
      invoiceable: true,
      min_amount_cents: 0,
      invoice_display_name: "API calls",
      properties: { amount: "2" },
    });
  });

  it("charges can still be added and removed", async () => {
    const calls = await metric("calls");
    const storage = await metric("storage");
    await createPlan({ charges: [{ billable_metric_id: calls.lago_id, charge_model: "standard" }] });
    await subscribe("team");
    const updated = await updatePlan("team", { charges: [{ billable_metric_id: storage.lago_id, charge_model: "standard" }] });
    expect(updated.charges!.map((c) => c.code)).toEqual(["storage"]);
  });
});

describe("§3.7 DELETE", () => {
  it("answers the plan pending deletion, then it is gone (404, not listed) and its code is reusable", async () => {
    const plan = await createPlan();
    const { status, data } = await lago.client.plans.destroyPlan("team");
    expect(status).toBe(200);
    expect(data.plan).toEqual({ ...plan, pending_deletion: true });
    expect(await lagoError(lago.client.plans.findPlan("team"))).toEqual(notFound("plan_not_found"));
    expect((await lago.client.plans.findAllPlans()).data.plans).toEqual([]);
    expect((await createPlan()).lago_id).not.toBe(plan.lago_id);
    expect(await lagoError(lago.client.plans.destroyPlan("nope"))).toEqual(notFound("plan_not_found"));
  });

  it("terminates active subscriptions and cancels pending ones", async () => {
    await createPlan();
    await subscribe("team", "active-sub");
    await subscribe("team", "future-sub", { subscription_at: "2099-01-01T00:00:00Z" });
    await lago.client.plans.destroyPlan("team");
    const terminated = await lago.client.subscriptions.findSubscription("active-sub", { status: "terminated" } as any);
    expect(terminated.data.subscription).toMatchObject({ status: "terminated", terminated_at: expect.any(String) });
    const canceled = await lago.client.subscriptions.findSubscription("future-sub", { status: "canceled" } as any);
    expect(canceled.data.subscription).toMatchObject({ status: "canceled", canceled_at: expect.any(String) });
  });
});
