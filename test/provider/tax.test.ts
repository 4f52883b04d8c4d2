// Tax through the provider's CRUD against the local Lago (lago-api.md §8; Lago's app/services/taxes/*).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const taxes = () => runtime.tax;
const vat = { name: "VAT", code: "vat_fr", rate: "20", description: "French VAT" };

describe("Tax lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete naming its users → opted-in delete", async () => {
    const created = await taxes().create({ ...vat, __provider: "x" });
    expect(apiRequests(lago)).toEqual(["POST /taxes"]); // one call: Lago refuses a duplicate code itself
    const remote = (await lago.client.taxes.findTax("vat_fr")).data.tax;
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({ ...vat, lagoId: remote.lago_id, createdAt: remote.created_at, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await taxes().read(created.id, created.outs);
    // Lago answers the rate as a number; "20" and 20 are the same rate.
    expect(read.props).toEqual({ ...created.outs, rate: 20 });
    expect((await taxes().diff(created.id, read.props!, vat)).changes).toBe(false);

    const raised = { ...vat, rate: "20.5", name: "TVA" };
    expect(await taxes().diff(created.id, read.props!, raised)).toMatchObject({ changes: true, changed: ["name", "rate"], replaces: [] });
    const updated = await taxes().update(created.id, read.props!, raised);
    expect((await lago.client.taxes.findTax("vat_fr")).data.tax).toMatchObject({ lago_id: created.id, name: "TVA", rate: 20.5 });

    await lago.client.taxes.updateTax("vat_fr", { tax: { rate: "19" } });
    const refreshed = await taxes().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ rate: 19 });
    expect(await taxes().diff(created.id, refreshed.props!, raised)).toMatchObject({ changes: true, changed: ["rate"] });

    // A plan, one of its charges and a customer carry the tax.
    const metric = (await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "API", code: "api", aggregation_type: "count_agg" } })).data.billable_metric;
    await lago.http("POST", "/plans", {
      plan: { name: "Team", code: "team", interval: "monthly", amount_cents: 100, amount_currency: "EUR", pay_in_advance: false, tax_codes: ["vat_fr"], charges: [{ billable_metric_id: metric.lago_id, code: "api", charge_model: "standard", properties: { amount: "1" }, tax_codes: ["vat_fr"] }] },
    });
    await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", tax_codes: ["vat_fr"] } });
    const before = apiRequests(lago).length;
    expect(await failure(taxes().delete(created.id, updated.outs!))).toBe(
      'Tax code "vat_fr": refusing to delete it: plan team; charge team/api; customers acme use it; deleting it removes it from them, and their next invoices are taxed without it. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([]);

    const optedIn = await taxes().update(created.id, updated.outs!, { ...raised, allowDestroy: true });
    await taxes().delete(created.id, optedIn.outs!);
    expect((await lago.http("GET", "/taxes/vat_fr")).status).toBe(404);
  });

  it("a tax applied to the organization is guarded too", async () => {
    const created = await taxes().create({ ...vat, appliedToOrganization: true });
    expect(await failure(taxes().delete(created.id, created.outs!))).toContain(
      "refusing to delete it: the organization (applied to every customer of its default billing entity) use it",
    );
  });
});

describe("Tax adoption and what Lago keeps", () => {
  it("an existing code is an error unless adopt: true, which converges it", async () => {
    await lago.client.taxes.createTax({ tax: { name: "Old VAT", code: "vat_fr", rate: "19.6" } });
    expect(await failure(taxes().create(vat))).toMatch(/^Tax code "vat_fr": already exists in Lago \(lago_id [0-9a-f-]+\)\. Set adopt: true to take it over, or choose another code\.$/);
    const adopted = await taxes().create({ ...vat, adopt: true });
    expect((await lago.client.taxes.findTax("vat_fr")).data.tax).toMatchObject({ lago_id: adopted.id, name: "VAT", rate: 20, description: "French VAT" });
  });

  it("a rate finer than Lago's float column holds is reported after the write, with Lago's value recorded", async () => {
    const asked = { ...vat, rate: "20.12345678901234567" };
    const message = await failure(taxes().create(asked));
    expect(message).toBe(
      'Tax code "vat_fr": create did not apply rate (asked "20.12345678901234567", Lago has 20.123456789012344): Lago stores a rate as a float (about 15 significant digits): give the rate with fewer digits',
    );
  });

  it("a code Lago keeps for a deleted tax is refused, saying why", async () => {
    await lago.client.taxes.createTax({ tax: { name: "Gone", code: "vat_fr", rate: "5" } });
    await lago.client.taxes.destroyTax("vat_fr");
    expect(await failure(taxes().create(vat))).toBe(
      'Tax code "vat_fr": create failed: a deleted tax still holds this code (Lago keeps the codes of deleted taxes, app/models/tax.rb); choose another code',
    );
  });
});
