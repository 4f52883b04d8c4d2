// AddOn through the provider's CRUD against the local Lago (lago-api.md §6; Lago's app/services/add_ons/*).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const addOns = () => runtime.addOn;
const onboarding = { name: "Onboarding", code: "onboarding", amountCents: 50000, amountCurrency: "USD", description: "One-off setup" };

describe("AddOn lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete naming the plans → opted-in delete", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } });
    const created = await addOns().create({ ...onboarding, taxCodes: ["vat"], __provider: "x" });
    expect(apiRequests(lago).slice(-1)).toEqual(["POST /add_ons"]);
    const remote = (await lago.client.addOns.findAddOn("onboarding")).data.add_on;
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({ ...onboarding, taxCodes: ["vat"], lagoId: remote.lago_id, createdAt: remote.created_at, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await addOns().read(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect((await addOns().diff(created.id, read.props!, { ...onboarding, taxCodes: ["vat"] })).changes).toBe(false);

    // Removing taxCodes clears them in Lago; a new price is written in place.
    const repriced = { ...onboarding, amountCents: 45000 };
    expect(await addOns().diff(created.id, read.props!, repriced)).toMatchObject({ changes: true, changed: ["amountCents", "taxCodes"], replaces: [] });
    const updated = await addOns().update(created.id, read.props!, repriced);
    expect((await lago.client.addOns.findAddOn("onboarding")).data.add_on).toMatchObject({ amount_cents: 45000, taxes: [] });

    await lago.client.addOns.updateAddOn("onboarding", { add_on: { amount_cents: 1 } });
    const refreshed = await addOns().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ amountCents: 1 });
    expect(await addOns().diff(created.id, refreshed.props!, repriced)).toMatchObject({ changes: true, changed: ["amountCents"] });

    await lago.http("POST", "/plans", {
      plan: { name: "Team", code: "team", interval: "monthly", amount_cents: 100, amount_currency: "USD", pay_in_advance: false, fixed_charges: [{ add_on_id: created.id, charge_model: "standard", units: 1, properties: { amount: "100" } }] },
    });
    const before = apiRequests(lago).length;
    expect(await failure(addOns().delete(created.id, updated.outs!))).toBe(
      'AddOn code "onboarding": refusing to delete it: plan team bills it as a fixed charge; deleting the add-on deletes those fixed charges. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([]);

    const optedIn = await addOns().update(created.id, updated.outs!, { ...repriced, allowDestroy: true });
    await addOns().delete(created.id, optedIn.outs!);
    expect((await lago.http("GET", "/add_ons/onboarding")).status).toBe(404);
    expect((await lago.http("GET", "/plans/team")).body.plan.fixed_charges).toEqual([]);
  });

  it("an add-on no plan uses is deleted without a guard", async () => {
    const created = await addOns().create(onboarding);
    await addOns().delete(created.id, created.outs!);
    expect((await lago.http("GET", "/add_ons/onboarding")).status).toBe(404);
  });

  it("an existing code is an error unless adopt: true, which converges it", async () => {
    await lago.client.addOns.createAddOn({ add_on: { name: "Old", code: "onboarding", amount_cents: 100, amount_currency: "USD" } });
    expect(await failure(addOns().create(onboarding))).toMatch(/^AddOn code "onboarding": already exists in Lago \(lago_id [0-9a-f-]+\)\. Set adopt: true/);
    const adopted = await addOns().create({ ...onboarding, adopt: true });
    expect((await lago.client.addOns.findAddOn("onboarding")).data.add_on).toMatchObject({ lago_id: adopted.id, name: "Onboarding", amount_cents: 50000 });
  });

  it("an unknown tax code is Lago's 404, naming the argument", async () => {
    expect(await failure(addOns().create({ ...onboarding, taxCodes: ["nope"] }))).toBe('AddOn code "onboarding": create failed: argument "taxCodes" refers to something Lago does not have (404 tax_not_found)');
  });
});
