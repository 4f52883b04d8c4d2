// Conformance of the local Lago's add-ons with Lago's code (lago-api v1.51.0), for what the AddOn kind relies on,
// each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });

async function planWithFixedCharge() {
  const addOn = (await lago.http("POST", "/add_ons", { add_on: { name: "Seat", code: "seat", amount_cents: 1000, amount_currency: "USD" } })).body.add_on;
  const plan = { name: "Team", code: "team", interval: "monthly", amount_cents: 0, amount_currency: "USD", pay_in_advance: false };
  await lago.http("POST", "/plans", { plan: { ...plan, fixed_charges: [{ add_on_id: addOn.lago_id, charge_model: "standard", units: 3, properties: { amount: "10" } }] } });
  return addOn;
}

describe("add-ons as Lago's code has them", () => {
  it("a plan's fixed charges show on the plan, not in the plan list (plans_controller.rb index includes no fixed_charges)", async () => {
    const addOn = await planWithFixedCharge();
    expect((await lago.http("GET", "/plans/team")).body.plan.fixed_charges).toEqual([expect.objectContaining({ lago_add_on_id: addOn.lago_id, add_on_code: "seat" })]);
    expect((await lago.http("GET", "/plans")).body.plans[0].fixed_charges).toBeUndefined();
  });

  it("deleting an add-on deletes the fixed charges built on it (add_ons/destroy_service.rb)", async () => {
    await planWithFixedCharge();
    expect((await lago.http("DELETE", "/add_ons/seat")).status).toBe(200);
    expect((await lago.http("GET", "/plans/team")).body.plan.fixed_charges).toEqual([]);
  });

  it("every field of an add-on changes in place, the amount included (add_ons/update_service.rb)", async () => {
    await lago.http("POST", "/add_ons", { add_on: { name: "Seat", code: "seat", amount_cents: 1000, amount_currency: "USD" } });
    const res = await lago.http("PUT", "/add_ons/seat", { add_on: { name: "Seat+", amount_cents: 2000, amount_currency: "EUR", invoice_display_name: "Seats", description: "d" } });
    expect(res.body.add_on).toMatchObject({ name: "Seat+", amount_cents: 2000, amount_currency: "EUR", invoice_display_name: "Seats", description: "d" });
  });
});
