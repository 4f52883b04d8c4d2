// Conformance of plan_overrides with Lago's code (lago-api.md §5.5): the first override copies the plan into a child
// (app/services/plans/override_service.rb, app/services/charges/override_service.rb,
// app/services/commitments/override_service.rb); a later one updates that child like a plan attached to a subscription
// (app/services/subscriptions/update_service.rb handle_plan_override → app/services/plans/update_service.rb).
import { describe, expect, it } from "vitest";
import { createPlainPlan } from "../support/billing-fixtures";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

async function subscribed(planOverrides: Record<string, unknown>) {
  await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
  await createPlainPlan(lago, "basic", 1000);
  const res = await lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "x", plan_overrides: planOverrides } });
  expect(res.status).toBe(200);
  return res.body.subscription;
}
const put = (planOverrides: Record<string, unknown>) => lago.http("PUT", "/subscriptions/x", { subscription: { plan_overrides: planOverrides } });

describe("§5.5 plan_overrides: the first override", () => {
  it("applies the commitment's tax codes (commitments/override_service.rb ApplyTaxesService)", async () => {
    const sub = await subscribed({ minimum_commitment: { amount_cents: 500, invoice_display_name: "Floor", tax_codes: ["vat"] } });
    expect(sub.plan.minimum_commitment).toMatchObject({ amount_cents: 500, invoice_display_name: "Floor", taxes: [expect.objectContaining({ code: "vat" })] });
  });
});

describe("§5.5 plan_overrides: a later override updates the child plan", () => {
  it("changes the name and amount but keeps amount_currency and trial_period (plans/update_service.rb: the child is attached to a subscription)", async () => {
    const first = await subscribed({ amount_cents: 700, trial_period: 3 });
    const res = await put({ amount_cents: 800, name: "Basic (deal)", amount_currency: "EUR", trial_period: 10 });
    expect(res.status).toBe(200);
    expect(res.body.subscription.plan).toMatchObject({ lago_id: first.plan.lago_id, amount_cents: 800, name: "Basic (deal)", amount_currency: "USD", trial_period: 3 });
  });

  it("replaces the usage thresholds when the key is sent (Plans::UpdateUsageThresholdsService) and keeps them when it is not", async () => {
    await subscribed({ usage_thresholds: [{ amount_cents: 10000, threshold_display_name: "first" }] });
    await put({ name: "Renamed" });
    expect((await lago.http("GET", "/subscriptions/x")).body.subscription.plan.usage_thresholds).toMatchObject([{ amount_cents: 10000, threshold_display_name: "first" }]);
    const res = await put({ usage_thresholds: [{ amount_cents: 20000, recurring: true }] });
    expect(res.body.subscription.plan.usage_thresholds).toMatchObject([{ amount_cents: 20000, recurring: true }]);
  });

  it("updates the commitment when sent, leaves it when left out, and deletes it when sent blank (process_minimum_commitment)", async () => {
    await subscribed({ minimum_commitment: { amount_cents: 500 } });
    let res = await put({ minimum_commitment: { amount_cents: 900, tax_codes: ["vat"] } });
    expect(res.body.subscription.plan.minimum_commitment).toMatchObject({ amount_cents: 900, taxes: [expect.objectContaining({ code: "vat" })] });
    res = await put({ name: "Renamed" });
    expect(res.body.subscription.plan.minimum_commitment).toMatchObject({ amount_cents: 900 });
    res = await put({ minimum_commitment: {} });
    expect(res.body.subscription.plan.minimum_commitment).toBeUndefined();
  });
});
