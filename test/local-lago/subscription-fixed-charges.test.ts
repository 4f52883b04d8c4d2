// Conformance of a subscription's fixed charges with Lago's code: read through
// app/controllers/api/v1/subscriptions/fixed_charges_controller.rb (index and show, units as the subscription's own
// units override them: app/models/subscription/fixed_charge_units_override.rb); overridden by plan_overrides.fixed_charges
// (app/services/plans/override_service.rb → app/services/fixed_charges/override_service.rb on the first override;
// app/services/subscriptions/update_service.rb plan_update_params_with_full_fixed_charges → plans/update_service.rb
// later); units alone make no child plan (app/services/subscriptions/concerns/fixed_charge_units_override_detection_concern.rb).
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

/** Plan "basic" with two fixed charges (seats: standard, 2 units; setup: standard, 1 unit), and the tax "vat". */
async function planWithFixedCharges() {
  await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
  const addOn = (await lago.http("POST", "/add_ons", { add_on: { name: "Seat", code: "seat", amount_cents: 100, amount_currency: "USD" } })).body.add_on;
  const res = await lago.http("POST", "/plans", {
    plan: {
      name: "Basic",
      code: "basic",
      interval: "monthly",
      amount_cents: 1000,
      amount_currency: "USD",
      pay_in_advance: false,
      fixed_charges: [
        { add_on_id: addOn.lago_id, code: "seats", charge_model: "standard", units: 2, properties: { amount: "10" } },
        { add_on_id: addOn.lago_id, code: "setup", charge_model: "standard", units: 1, properties: { amount: "50" } },
      ],
    },
  });
  expect(res.body).toMatchObject({ plan: { code: "basic" } });
  const ids = Object.fromEntries(res.body.plan.fixed_charges.map((f: { code: string; lago_id: string }) => [f.code, f.lago_id]));
  return ids as Record<"seats" | "setup", string>;
}

const subscribe = (planOverrides?: Record<string, unknown>) =>
  lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "x", ...(planOverrides ? { plan_overrides: planOverrides } : {}) } });
const put = (planOverrides: Record<string, unknown>) => lago.http("PUT", "/subscriptions/x", { subscription: { plan_overrides: planOverrides } });
const fixedCharges = async () => {
  const res = await lago.http("GET", "/subscriptions/x/fixed_charges");
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.fixed_charges.map((f: { code: string }) => [f.code, f])) as Record<string, Record<string, unknown>>;
};

describe("GET /subscriptions/{external_id}/fixed_charges (subscriptions/fixed_charges_controller.rb)", () => {
  it("lists the plan's fixed charges under fixed_charges with meta, newest first, for a subscription without overrides", async () => {
    const ids = await planWithFixedCharges();
    expect((await subscribe()).status).toBe(200);
    const res = await lago.http("GET", "/subscriptions/x/fixed_charges?per_page=1");
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ current_page: 1, total_count: 2, total_pages: 2 });
    expect(res.body.fixed_charges).toHaveLength(1);
    const all = await fixedCharges();
    expect(all.seats).toMatchObject({ lago_id: ids.seats, units: "2.0", lago_parent_id: null, taxes: [] });
  });

  it("shows one by code, 404 fixed_charge for a code the plan lacks and 404 subscription for an unknown subscription", async () => {
    await planWithFixedCharges();
    await subscribe();
    const shown = await lago.http("GET", "/subscriptions/x/fixed_charges/setup");
    expect(shown.status).toBe(200);
    expect(shown.body.fixed_charge).toMatchObject({ code: "setup", units: "1.0", properties: { amount: "50" } });
    expect((await lago.http("GET", "/subscriptions/x/fixed_charges/nope")).body).toMatchObject({ status: 404, code: "fixed_charge_not_found" });
    expect((await lago.http("GET", "/subscriptions/none/fixed_charges")).body).toMatchObject({ status: 404, code: "subscription_not_found" });
  });
});

describe("plan_overrides.fixed_charges: the first override (fixed_charges/override_service.rb)", () => {
  it("copies every fixed charge into the child plan, the one named by id with its units, properties, display name and taxes", async () => {
    const ids = await planWithFixedCharges();
    const res = await subscribe({ name: "Basic (deal)", fixed_charges: [{ id: ids.seats, units: 5, properties: { amount: "8", bogus: 1 }, invoice_display_name: "Seats", tax_codes: ["vat"], apply_units_immediately: true }] });
    expect(res.status).toBe(200);
    expect(res.body.subscription.plan.parent_id).toBeTruthy();
    const all = await fixedCharges();
    expect(all.seats).toMatchObject({ units: "5.0", properties: { amount: "8" }, invoice_display_name: "Seats", lago_parent_id: ids.seats, taxes: [expect.objectContaining({ code: "vat" })] });
    expect(all.seats!.properties).not.toHaveProperty("bogus");
    expect(all.setup).toMatchObject({ units: "1.0", lago_parent_id: ids.setup });
    // The plan itself keeps its values.
    const plan = (await lago.http("GET", "/plans/basic")).body.plan;
    expect(plan.fixed_charges.find((f: { code: string }) => f.code === "seats")).toMatchObject({ units: "2.0", properties: { amount: "10" } });
  });

  it("drops the copy whose units fail validation (the override's result is ignored)", async () => {
    const ids = await planWithFixedCharges();
    expect((await subscribe({ name: "Deal", fixed_charges: [{ id: ids.seats, units: -1 }] })).status).toBe(200);
    expect(Object.keys(await fixedCharges())).toEqual(["setup"]);
  });
});

describe("plan_overrides.fixed_charges: units alone make no child plan (fixed_charge_units_override_detection_concern.rb)", () => {
  it("keeps the units for the subscription on its plan, shown by its fixed charges, not by the plan", async () => {
    const ids = await planWithFixedCharges();
    const res = await subscribe({ fixed_charges: [{ id: ids.seats, units: 7, apply_units_immediately: false }] });
    expect(res.status).toBe(200);
    expect(res.body.subscription.plan.parent_id ?? null).toBeNull();
    expect((await fixedCharges()).seats).toMatchObject({ lago_id: ids.seats, units: "7.0" });
    expect((await lago.http("GET", "/plans/basic")).body.plan.fixed_charges.find((f: { code: string }) => f.code === "seats").units).toBe("2.0");
    expect((await put({ fixed_charges: [{ id: ids.seats, units: "3.5" }] })).status).toBe(200);
    expect((await fixedCharges()).seats).toMatchObject({ units: "3.5" });
  });

  it("answers 404 fixed_charge for an id the plan lacks, and 422 for negative units, creating nothing", async () => {
    const ids = await planWithFixedCharges();
    expect((await subscribe({ fixed_charges: [{ id: "00000000-0000-0000-0000-000000000000", units: 1 }] })).body).toMatchObject({ status: 404, code: "fixed_charge_not_found" });
    expect((await lago.http("GET", "/subscriptions/x")).status).toBe(404);
    expect((await subscribe({ fixed_charges: [{ id: ids.seats, units: -2 }] })).status).toBe(422);
    expect((await lago.http("GET", "/subscriptions/x")).status).toBe(404);
  });

  it("a later full override carries the subscription's units into the child plan (promote_units_overrides_to_fixed_charges_params)", async () => {
    const ids = await planWithFixedCharges();
    await subscribe({ fixed_charges: [{ id: ids.seats, units: 7 }] });
    expect((await put({ name: "Deal" })).status).toBe(200);
    const all = await fixedCharges();
    expect(all.seats).toMatchObject({ units: "7.0", lago_parent_id: ids.seats });
  });
});

describe("plan_overrides.fixed_charges: a later override updates the child's fixed charges by id (plans/update_service.rb)", () => {
  it("changes the one named and keeps the others; an id of the parent plan is a 404", async () => {
    const ids = await planWithFixedCharges();
    await subscribe({ name: "Deal", fixed_charges: [{ id: ids.seats, units: 5 }] });
    const child = await fixedCharges();
    let res = await put({ fixed_charges: [{ id: child.seats!.lago_id, units: 6, properties: { amount: "9" }, invoice_display_name: "Seats", tax_codes: ["vat"] }] });
    expect(res.status).toBe(200);
    const after = await fixedCharges();
    expect(after.seats).toMatchObject({ lago_id: child.seats!.lago_id, units: "6.0", properties: { amount: "9" }, invoice_display_name: "Seats", taxes: [expect.objectContaining({ code: "vat" })] });
    expect(after.setup).toMatchObject({ lago_id: child.setup!.lago_id, units: "1.0" });
    res = await put({ fixed_charges: [{ id: ids.seats, units: 1 }] });
    expect(res.body).toMatchObject({ status: 404, code: "fixed_charge_not_found" });
    expect((await fixedCharges()).seats).toMatchObject({ units: "6.0" });
  });
});
