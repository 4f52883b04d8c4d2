// A plan's fixed charges, billFixedChargesMonthly and metadata (issue #11 step 3) through the provider against the
// local Lago: kept fixed charges are matched by code and updated in place by lago_id (app/services/plans/update_service.rb
// process_fixed_charges), what Lago never changes on an existing fixed charge (add-on, pay_in_advance, prorated:
// app/services/fixed_charges/update_service.rb) is found at preview, and metadata is managed as a whole
// (app/models/metadata/item_metadata.rb, app/services/metadata/update_item_service.rb).
import { describe, expect, it } from "vitest";
import { toWire, type PlanManaged } from "../../provider/kinds/plan/payload";
import { planSide, pricingDiff } from "../../provider/preview";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const plans = () => runtime.plan;

const seats = { addOnCode: "seat", chargeModel: "standard", units: 3, amount: "10" };
const onboarding = { addOnCode: "onboarding", code: "onboarding", chargeModel: "graduated", units: "1.5", payInAdvance: true, graduatedRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "100", flatAmount: "0" }] };
const team = (extra: Record<string, unknown> = {}) => ({
  name: "Team",
  code: "team",
  interval: "monthly",
  amountCents: 12000,
  amountCurrency: "USD",
  fixedCharges: [seats, onboarding],
  ...extra,
});

async function addOns() {
  for (const code of ["seat", "onboarding", "admin"])
    expect((await lago.http("POST", "/add_ons", { add_on: { name: code, code, amount_cents: 1000, amount_currency: "USD" } })).status).toBe(200);
}
const lagoFixedCharges = async () => (await lago.http("GET", "/plans/team")).body.plan.fixed_charges as Array<Record<string, any>>;
const idsByCode = (list: Array<Record<string, any>>) => Object.fromEntries(list.map((f) => [f.code, f.lago_id ?? f.lagoId]));

async function subscribe() {
  await lago.http("POST", "/customers", { customer: { external_id: "acme", currency: "USD" } });
  expect((await lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-team" } })).status).toBe(200);
}

describe("Plan fixed charges", () => {
  it("are created from add-on codes, read back as written, and compare equal in any spelling", async () => {
    await addOns();
    expect((await plans().check({}, team())).failures).toEqual([]);
    const created = await plans().create(team());
    const held = await lagoFixedCharges();
    expect(held).toEqual([
      expect.objectContaining({ code: "seat", add_on_code: "seat", charge_model: "standard", units: "3.0", pay_in_advance: false, prorated: false, properties: { amount: "10" } }),
      expect.objectContaining({ code: "onboarding", add_on_code: "onboarding", charge_model: "graduated", units: "1.5", pay_in_advance: true }),
    ]);
    expect(created.outs.fixedCharges).toEqual([
      expect.objectContaining({ lagoId: held[0]!.lago_id, addOn: held[0]!.lago_add_on_id, code: "seat", addOnCode: "seat", units: "3.0", amount: "10" }),
      expect.objectContaining({ lagoId: held[1]!.lago_id, code: "onboarding", units: "1.5" }),
    ]);

    const read = await plans().read(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect((await plans().check({}, read.inputs!)).failures).toEqual([]);
    const respelled = team({ fixedCharges: [{ ...seats, units: "3.000", amount: 10 }, { ...onboarding, units: 1.5 }] });
    const before = lago.server.admin.requests.length;
    expect((await plans().diff(created.id, read.props!, respelled)).changes).toBe(false);
    expect((await plans().diff(created.id, read.props!, team())).changes).toBe(false);
    expect(lago.server.admin.requests.length).toBe(before); // no Lago call for a no-op preview
  });

  it("are updated in place: units, price, display name and taxes change under the same lago_id; a removed one is deleted, a new one added", async () => {
    await addOns();
    await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
    const created = await plans().create(team());
    const ids = idsByCode(await lagoFixedCharges());

    const edited = team({
      fixedCharges: [
        { ...seats, units: 5, amount: "12", invoiceDisplayName: "Seats", taxCodes: ["vat"], applyUnitsImmediately: true },
        { addOnCode: "admin", chargeModel: "volume", units: 1, volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "50" }] },
      ],
    });
    const diff = await plans().diff(created.id, created.outs, edited);
    expect(diff).toMatchObject({ changes: true, changed: ["fixedCharges"], replaces: [] });
    // The kept fixed charge goes with its id and the units as decimal text; the new one without an id.
    const current = (await lago.http("GET", "/plans/team")).body.plan;
    const sent = toWire(edited as PlanManaged, { metricIds: new Map(), addOnIds: new Map([["seat", "id-seat"], ["admin", "id-admin"]]), current }).fixed_charges!;
    expect(sent[0]).toMatchObject({ id: ids.seat, add_on_id: "id-seat", code: "seat", units: "5", apply_units_immediately: true, properties: { amount: "12" }, tax_codes: ["vat"] });
    expect(sent[1]).toMatchObject({ add_on_id: "id-admin", code: "admin", units: "1", pay_in_advance: false, prorated: false });
    expect(sent[1]).not.toHaveProperty("id");

    const before = lago.server.admin.requests.length;
    const updated = await plans().update(created.id, created.outs, edited);
    expect(apiRequests(lago).slice(before)).toContain("PUT /plans/team");

    const held = await lagoFixedCharges();
    expect(idsByCode(held)).toEqual({ seat: ids.seat, admin: expect.any(String) });
    expect(held[0]).toMatchObject({ units: "5.0", properties: { amount: "12" }, invoice_display_name: "Seats", taxes: [expect.objectContaining({ code: "vat" })] });
    expect(idsByCode(updated.outs.fixedCharges as any[])).toEqual(idsByCode(held));
    // applyUnitsImmediately is an instruction for the write, never read back: no change afterwards.
    const read = await plans().read(created.id, updated.outs);
    expect((await plans().diff(created.id, read.props!, edited)).changes).toBe(false);

    // Removing the argument removes every fixed charge.
    const { fixedCharges: _dropped, ...bare } = edited;
    await plans().update(created.id, read.props!, bare);
    expect(await lagoFixedCharges()).toEqual([]);
  });

  it("refresh reads fixed charges changed in Lago, and the next preview shows the drift", async () => {
    await addOns();
    const created = await plans().create(team());
    const held = await lagoFixedCharges();
    // Someone edits the seat count in Lago's UI (the same in-place update by id).
    const body = held.map((f) => ({ id: f.lago_id, add_on_id: f.lago_add_on_id, code: f.code, charge_model: f.charge_model, units: f.code === "seat" ? "7" : f.units, pay_in_advance: f.pay_in_advance, properties: f.properties }));
    expect((await lago.http("PUT", "/plans/team", { plan: { interval: "monthly", fixed_charges: body } })).status).toBe(200);

    const read = await plans().read(created.id, created.outs);
    expect((read.props!.fixedCharges as any[])[0]).toMatchObject({ code: "seat", units: "7.0" });
    expect((await plans().diff(created.id, read.props!, team())).changed).toEqual(["fixedCharges"]);
  });

  it("refresh after the plan's code changed in Lago still reads its fixed charges (the plan list carries none)", async () => {
    await addOns();
    const created = await plans().create(team());
    expect((await lago.http("PUT", "/plans/team", { plan: { code: "team-2", interval: "monthly" } })).status).toBe(200);
    const read = await plans().read(created.id, created.outs);
    expect(read.props).toMatchObject({ code: "team-2" });
    expect((read.props!.fixedCharges as any[]).map((f) => f.code)).toEqual(["seat", "onboarding"]);
  });

  it("a change Lago never applies to an existing fixed charge is found at preview, and caught if it reaches Lago", async () => {
    await addOns();
    const created = await plans().create(team());
    const prorated = team({ fixedCharges: [{ ...seats, prorated: true }, onboarding] });

    // Preview: the plan must be replaced (no subscription, so nothing is lost), and says why.
    const diff = await plans().diff(created.id, created.outs, prorated);
    expect(diff).toMatchObject({ changes: true, changed: ["fixedCharges"], replaces: ["fixedCharges"] });

    // Sent anyway (an update without preview), Lago answers 200 with its old value: the step fails and says why.
    const message = await failure(plans().update(created.id, created.outs, prorated));
    expect(message).toContain("did not apply fixedCharges");
    expect(message).toContain("fixedCharges[seat].prorated never changes on an existing fixed charge (Lago keeps it); to change it, give the fixed charge a new code");
    expect((await lagoFixedCharges())[0]!.prorated).toBe(false);

    // A new code is a new fixed charge: an in-place update.
    const renamed = team({ fixedCharges: [{ ...seats, code: "seat_prorated", prorated: true }, onboarding] });
    expect(await plans().diff(created.id, created.outs, renamed)).toMatchObject({ replaces: [] });
    await plans().update(created.id, created.outs, renamed);
    const after = Object.fromEntries((await lagoFixedCharges()).map((f) => [f.code, f.prorated]));
    expect(after).toEqual({ onboarding: false, seat_prorated: true });
  });

  it("once the plan has a subscription, a fixed charge's model is frozen and the replace is guarded", async () => {
    await addOns();
    const created = await plans().create(team());
    await subscribe();
    const volume: Record<string, unknown> = team({ fixedCharges: [{ addOnCode: "seat", chargeModel: "volume", units: 3, volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "10" }] }, onboarding] });
    const message = await failure(plans().diff(created.id, created.outs, volume));
    expect(message).toContain("refusing to replace it");
    expect(message).toContain("fixedCharges[seat].chargeModel is frozen once the plan has had a subscription; to change it, add a fixed charge with a new code and remove this one");
    // Units still change in place on a subscribed plan.
    const more = team({ fixedCharges: [{ ...seats, units: 4 }, onboarding] });
    expect(await plans().diff(created.id, created.outs, more)).toMatchObject({ changes: true, replaces: [] });
    await plans().update(created.id, created.outs, more);
    expect((await lagoFixedCharges()).find((f) => f.code === "seat")?.units).toBe("4.0");
  });

  it("an unknown add-on code is named at apply, before the plan is written", async () => {
    const message = await failure(plans().create(team({ fixedCharges: [{ ...seats, addOnCode: "nope" }] })));
    expect(message).toContain('fixedCharges[0].addOnCode "nope": Lago has no add-on with this code; create it first (or pass addOn: <AddOn resource>)');
    expect(apiRequests(lago)).toEqual(["GET /add_ons/nope"]);
  });
});

describe("Plan billFixedChargesMonthly and metadata", () => {
  it("billFixedChargesMonthly is kept on a yearly plan and read back", async () => {
    await addOns();
    const yearly = team({ interval: "yearly", billFixedChargesMonthly: true });
    const created = await plans().create(yearly);
    expect((await lago.http("GET", "/plans/team")).body.plan).toMatchObject({ bill_fixed_charges_monthly: true, bill_charges_monthly: false });
    const read = await plans().read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ billFixedChargesMonthly: true });
    expect((await plans().diff(created.id, read.props!, yearly)).changes).toBe(false);
  });

  it("metadata is written, read back, replaced as a whole, and emptied when removed", async () => {
    await addOns();
    const created = await plans().create(team({ metadata: { owner: "growth", review: null } }));
    expect((await lago.http("GET", "/plans/team")).body.plan.metadata).toEqual({ owner: "growth", review: null });
    const read = await plans().read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ metadata: { owner: "growth", review: null } });

    // A key with an empty value is still a key: dropping it is a change.
    expect((await plans().diff(created.id, read.props!, team({ metadata: { owner: "growth" } }))).changed).toEqual(["metadata"]);
    expect((await plans().diff(created.id, read.props!, team({ metadata: { review: null, owner: "growth" } }))).changes).toBe(false);
    const replaced = team({ metadata: { owner: "platform" } });
    expect((await plans().diff(created.id, read.props!, replaced)).changed).toEqual(["metadata"]);
    const updated = await plans().update(created.id, read.props!, replaced);
    expect((await lago.http("GET", "/plans/team")).body.plan.metadata).toEqual({ owner: "platform" });

    // Lago drops a null metadata (plans_controller.rb permits `metadata: {}`), so removal sends {}.
    const removed = team();
    expect((await plans().diff(created.id, updated.outs, removed)).changed).toEqual(["metadata"]);
    const emptied = await plans().update(created.id, updated.outs, removed);
    expect((await lago.http("GET", "/plans/team")).body.plan.metadata).toEqual({});
    expect((await plans().diff(created.id, emptied.outs, removed)).changes).toBe(false);
    // Managed again, an empty metadata in Lago reads as none.
    const managed = await plans().read(created.id, { ...emptied.outs, metadata: { owner: "platform" } });
    expect(managed.inputs).toMatchObject({ metadata: {} });
    expect((await plans().diff(created.id, managed.props!, team({ metadata: {} }))).changes).toBe(false);
  });
});

describe("the pricing preview of fixed charges", () => {
  const side = (args: Record<string, unknown> | null, which: "old" | "new") => planSide(args && { inputs: args, outputs: { ...args, lagoId: "id" } }, which);
  const diff = (before: Record<string, unknown> | null, after: Record<string, unknown> | null) => pricingDiff(side(before, "old"), side(after, "new")).map((c) => c.text);

  it("prices each fixed charge for a whole period from the plan alone: units, prices and model", () => {
    const more = team({ fixedCharges: [{ ...seats, units: 5, amount: "12" }, onboarding] });
    expect(diff(team(), more)).toEqual(["Team · seat (fixed): fixed fee 3 × $10.00 per unit = $30.00 → 5 × $12.00 per unit = $60.00 per month"]);
    const volume: Record<string, unknown> = team({ fixedCharges: [seats, { ...onboarding, units: 2, chargeModel: "volume", payInAdvance: false, graduatedRanges: undefined, volumeRanges: [{ fromValue: 0, toValue: 1, perUnitAmount: "100" }, { fromValue: 2, toValue: null, perUnitAmount: "80" }] }] });
    expect(diff(team(), volume)).toEqual([
      "Team · onboarding (fixed): fixed fee 1.5 × graduated: 0+ $100.00 per unit = $150.00 → 2 × volume: 0–1 $100.00 · 2+ $80.00 per unit = $160.00 per month",
    ]);
    // Respelled units and prices are no change; the display name, when given, names the line.
    expect(diff(team(), team({ fixedCharges: [{ ...seats, units: "3.0", amount: "10.00" }, onboarding] }))).toEqual([]);
  });

  it("added and removed fixed charges, and fixed charges billed monthly on a yearly plan", () => {
    const named = { ...seats, invoiceDisplayName: "Seats" };
    expect(diff(team({ fixedCharges: [onboarding] }), team({ fixedCharges: [named, onboarding] }))).toEqual(["Team · Seats (fixed): added, 3 × $10.00 per unit = $30.00 per month"]);
    expect(diff(team({ fixedCharges: [named, onboarding] }), team({ fixedCharges: [onboarding] }))).toEqual(["Team · Seats (fixed): removed (was 3 × $10.00 per unit = $30.00 per month)"]);
    const yearly = (units: number) => team({ interval: "yearly", billFixedChargesMonthly: true, fixedCharges: [{ ...seats, units }] });
    expect(diff(yearly(3), yearly(4))).toEqual(["Team · seat (fixed): fixed fee 3 × $10.00 per unit = $30.00 → 4 × $10.00 per unit = $40.00 per month"]);
    expect(diff(team({ interval: "yearly", fixedCharges: [seats] }), team({ interval: "yearly", fixedCharges: [{ ...seats, units: 4 }] }))).toEqual([
      "Team · seat (fixed): fixed fee 3 × $10.00 per unit = $30.00 → 4 × $10.00 per unit = $40.00 per year",
    ]);
  });
});
