// Conformance of the local Lago's plan fixed charges and plan metadata with Lago's code (lago-api v1.51.0), for what
// the Plan kind relies on, each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const plan = { name: "Team", code: "team", interval: "monthly", amount_cents: 0, amount_currency: "USD", pay_in_advance: false };
type Fixed = Record<string, any>;

async function addOn(code: string): Promise<string> {
  const res = await lago.http("POST", "/add_ons", { add_on: { name: code, code, amount_cents: 1000, amount_currency: "USD" } });
  expect(res.status).toBe(200);
  return res.body.add_on.lago_id;
}

async function teamWithSeats(fields: Fixed = {}): Promise<{ seat: string; fixed: Fixed }> {
  const seat = await addOn("seat");
  const res = await lago.http("POST", "/plans", { plan: { ...plan, fixed_charges: [{ add_on_id: seat, charge_model: "standard", units: 3, properties: { amount: "10" }, ...fields }] } });
  expect(res.status).toBe(200);
  return { seat, fixed: res.body.plan.fixed_charges[0] };
}

const put = (body: Record<string, unknown>) => lago.http("PUT", "/plans/team", { plan: { interval: "monthly", ...body } });
const fixedCharges = async (): Promise<Fixed[]> => (await lago.http("GET", "/plans/team")).body.plan.fixed_charges;

async function subscribe() {
  await lago.http("POST", "/customers", { customer: { external_id: "acme", currency: "USD" } });
  expect((await lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-team" } })).status).toBe(200);
}

describe("plan fixed charges as Lago's code has them", () => {
  it("answers units as decimal text and names the add-on (serializers/v1/fixed_charge_serializer.rb, a decimal(30,10) column)", async () => {
    const { seat, fixed } = await teamWithSeats({ units: "2.5" });
    expect(fixed).toMatchObject({ lago_add_on_id: seat, add_on_code: "seat", code: "seat", units: "2.5", charge_model: "standard", pay_in_advance: false, prorated: false, invoice_display_name: null, taxes: [] });
  });

  it("a fixed charge sent with its id is updated in place: units, properties, display name and taxes (plans/update_service.rb process_fixed_charges, fixed_charges/update_service.rb)", async () => {
    const { seat, fixed } = await teamWithSeats();
    await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
    const res = await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: seat, charge_model: "standard", units: "5", invoice_display_name: "Seats", properties: { amount: "12" }, tax_codes: ["vat"] }] });
    expect(res.status).toBe(200);
    expect(res.body.plan.fixed_charges).toEqual([
      expect.objectContaining({ lago_id: fixed.lago_id, units: "5.0", invoice_display_name: "Seats", properties: { amount: "12" }, taxes: [expect.objectContaining({ code: "vat" })] }),
    ]);
  });

  it("the update never changes the add-on, pay_in_advance or prorated of an existing fixed charge: 200 with the old values (fixed_charges/update_service.rb)", async () => {
    const { seat, fixed } = await teamWithSeats();
    const admin = await addOn("admin");
    const res = await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: admin, charge_model: "standard", units: 3, pay_in_advance: true, prorated: true, properties: { amount: "10" } }] });
    expect(res.status).toBe(200);
    expect(res.body.plan.fixed_charges[0]).toMatchObject({ lago_id: fixed.lago_id, lago_add_on_id: seat, add_on_code: "seat", pay_in_advance: false, prorated: false });
  });

  it("the model changes in place until the plan has a subscription, then it is kept (fixed_charges/update_service.rb `unless plan.attached_to_subscriptions?`)", async () => {
    const { seat, fixed } = await teamWithSeats();
    const graduated = { graduated_ranges: [{ from_value: 0, to_value: null, per_unit_amount: "9", flat_amount: "0" }] };
    expect((await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: seat, charge_model: "graduated", units: 3, properties: graduated }] })).body.plan.fixed_charges[0]).toMatchObject({
      charge_model: "graduated",
      properties: graduated,
    });
    await subscribe();
    // The model stays graduated and the properties are cut to its keys (charge_models/filter_properties/base_service.rb):
    // a standard price leaves none, which fixed_charge.rb refuses.
    const standard = await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: seat, charge_model: "standard", units: 4, properties: { amount: "10" } }] });
    expect(standard.status).toBe(422);
    expect(standard.body.error_details).toEqual({ properties: ["value_is_mandatory"] });
    const res = await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: seat, charge_model: "standard", units: 4, properties: { amount: "10", ...graduated } }] });
    expect(res.status).toBe(200);
    expect(res.body.plan.fixed_charges[0]).toMatchObject({ lago_id: fixed.lago_id, charge_model: "graduated", units: "4.0", properties: graduated });
  });

  it("units left out of an update are nil, which the model refuses (fixed_charges/update_service.rb sets units as given; fixed_charge.rb numericality)", async () => {
    const { seat, fixed } = await teamWithSeats();
    const res = await put({ fixed_charges: [{ id: fixed.lago_id, add_on_id: seat, charge_model: "standard", properties: { amount: "10" } }] });
    expect(res.status).toBe(422);
    expect(res.body.error_details).toEqual({ units: ["is not a number"] });
  });

  it("a fixed charge sent without an id is created before the others are deleted: a live code is refused (plans/update_service.rb, fixed_charge.rb validate_code_unique)", async () => {
    const { seat } = await teamWithSeats();
    const again = await put({ fixed_charges: [{ add_on_id: seat, code: "seat", charge_model: "standard", units: 1 }] });
    expect(again.status).toBe(422);
    expect(again.body.error_details).toEqual({ code: ["value_already_exist"] });
    const renamed = await put({ fixed_charges: [{ add_on_id: seat, code: "seat_2", charge_model: "standard", units: 1, prorated: true }] });
    expect(renamed.body.plan.fixed_charges.map((f: Fixed) => [f.code, f.prorated])).toEqual([["seat_2", true]]);
  });
});

describe("plan metadata as Lago's code has it", () => {
  it("a null metadata on update is dropped by strong parameters and changes nothing (plans_controller.rb permits `metadata: {}`)", async () => {
    await lago.http("POST", "/plans", { plan: { ...plan, metadata: { owner: "growth" } } });
    const res = await put({ metadata: null });
    expect(res.status).toBe(200);
    expect(res.body.plan.metadata).toEqual({ owner: "growth" });
  });

  it("a metadata hash replaces the whole value, {} included, which is answered as {} (metadata/update_item_service.rb, serializers/v1/plan_serializer.rb)", async () => {
    await lago.http("POST", "/plans", { plan: { ...plan, metadata: { owner: "growth", tier: "b" } } });
    expect((await put({ metadata: { owner: "platform" } })).body.plan.metadata).toEqual({ owner: "platform" });
    expect((await put({ metadata: {} })).body.plan.metadata).toEqual({});
    expect((await put({ name: "Team" })).body.plan.metadata).toEqual({});
  });
});
