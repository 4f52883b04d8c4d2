// Customer through the provider's CRUD against the local Lago (lago-api.md §4): upsert by external_id,
// adoption, clearing, replace on a new external_id, and the guard for live subscriptions.
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const customers = () => runtime.customer;

const acmeArgs = {
  externalId: "acme",
  name: "Acme Inc",
  email: "billing@acme.test",
  country: "fr",
  currency: "USD",
  shippingAddress: { city: "Lyon", country: "FR" },
  metadata: [{ key: "segment", value: "smb", displayInInvoice: true }],
  taxCodes: ["vat"],
};

async function seedTax() {
  await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20.0" } as never });
}

async function subscribe(externalCustomerId: string, externalId = "acme-main") {
  await lago.client.plans.createPlan({ plan: { name: "Team", code: "team", interval: "monthly", amount_cents: 12000, amount_currency: "USD", pay_in_advance: true } as never });
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: externalCustomerId, plan_code: "team", external_id: externalId } as never });
}

const remoteCustomer = async (externalId = "acme") => (await lago.client.customers.findCustomer(externalId)).data.customer;

describe("Customer lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete refused → opted-in delete", async () => {
    await seedTax();
    const created = await customers().create({ ...acmeArgs, __provider: "serialized" });
    const remote = await remoteCustomer();
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({
      ...acmeArgs,
      lagoId: remote.lago_id,
      createdAt: remote.created_at,
      sequentialId: remote.sequential_id,
      slug: remote.slug,
      applicableTimezone: "UTC",
      billingEntityCode: remote.billing_entity_code,
      [STATE_VERSION_KEY]: STATE_VERSION,
    });
    expect(remote).toMatchObject({ name: "Acme Inc", country: "FR", shipping_address: { city: "Lyon", country: "FR", address_line1: null } });

    const read = await customers().read(created.id, created.outs!);
    expect(read.id).toBe(created.id);
    expect(read.inputs).toEqual({ ...acmeArgs, country: "FR", shippingAddress: { city: "Lyon", country: "FR" } });
    expect((await customers().diff(created.id, read.props!, acmeArgs)).changes).toBe(false);
    expect((await customers().diff(created.id, created.outs!, acmeArgs)).changes).toBe(false);

    const metadataId = remote.metadata![0]!.lago_id;
    const changed = { ...acmeArgs, name: "Acme SAS", metadata: [{ key: "segment", value: "mid-market", displayInInvoice: true }] };
    expect(await customers().diff(created.id, created.outs!, changed)).toMatchObject({ changes: true, changed: ["name", "metadata"], replaces: [] });
    const updated = await customers().update(created.id, created.outs!, changed);
    expect(updated.outs).toMatchObject({ name: "Acme SAS", lagoId: created.id });
    const afterUpdate = await remoteCustomer();
    expect(afterUpdate.lago_id).toBe(created.id);
    expect(afterUpdate.metadata).toEqual([expect.objectContaining({ lago_id: metadataId, key: "segment", value: "mid-market" })]);
    expect(apiRequests(lago).filter((r) => r.startsWith("PUT"))).toEqual([]); // no PUT route for customers

    await lago.client.customers.createCustomer({ customer: { external_id: "acme", name: "Renamed in the UI" } as never });
    const refreshed = await customers().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ name: "Renamed in the UI" });
    expect(await customers().diff(created.id, refreshed.props!, changed)).toMatchObject({ changes: true, changed: ["name"] });

    await subscribe("acme");
    const refused = await failure(customers().delete(created.id, updated.outs!));
    expect(refused).toBe(
      'Customer external_id "acme": refusing to delete it: it has live subscriptions acme-main (active); deleting the customer terminates active ones (with their final invoices) and cancels pending ones. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect((await remoteCustomer()).lago_id).toBe(created.id);

    const optedIn = await customers().update(created.id, updated.outs!, { ...changed, allowDestroy: true });
    await customers().delete(created.id, optedIn.outs!);
    expect((await lago.http("GET", "/customers/acme")).body).toEqual({ status: 404, error: "Not Found", code: "customer_not_found" });
    const subscription = await lago.http("GET", "/subscriptions/acme-main?status=terminated");
    expect(subscription.body.subscription.status).toBe("terminated");
  });

  it("deleting a customer that is already gone succeeds without a DELETE", async () => {
    const created = await customers().create({ externalId: "gone" });
    await lago.client.customers.destroyCustomer("gone");
    const before = apiRequests(lago).length;
    await customers().delete(created.id, created.outs!);
    expect(apiRequests(lago).slice(before)).toEqual(["GET /customers/gone"]);
    expect(await customers().read(created.id, created.outs!)).toEqual({});
  });
});

describe("Customer create and adoption", () => {
  it("refuses to take over an existing customer without adopt, and POSTs nothing", async () => {
    await lago.client.customers.createCustomer({ customer: { external_id: "acme", name: "Theirs" } as never });
    const before = apiRequests(lago).length;
    const message = await failure(customers().create({ externalId: "acme", name: "Ours" }));
    expect(message).toMatch(/^Customer external_id "acme": already exists in Lago \(lago_id [0-9a-f-]{36}\)\. Set adopt: true to take it over, or choose another externalId\.$/);
    expect(apiRequests(lago).slice(before)).toEqual(["GET /customers/acme"]);
    expect((await remoteCustomer()).name).toBe("Theirs");
  });

  it("adopt: true converges the managed fields and leaves unmanaged ones alone", async () => {
    const theirs = (await lago.client.customers.createCustomer({ customer: { external_id: "acme", name: "Theirs", phone: "+33 1 23" } as never })).data.customer;
    const adopted = await customers().create({ externalId: "acme", name: "Ours", adopt: true });
    expect(adopted.id).toBe(theirs.lago_id);
    expect(await remoteCustomer()).toMatchObject({ lago_id: theirs.lago_id, name: "Ours", phone: "+33 1 23" });
  });

  it("removing an argument clears it in Lago", async () => {
    const created = await customers().create({ externalId: "acme", name: "Acme", email: "a@acme.test", shippingAddress: { city: "Lyon" } });
    const next = { externalId: "acme", name: "Acme" };
    expect(await customers().diff(created.id, created.outs!, next)).toMatchObject({ changes: true, changed: ["email", "shippingAddress"] });
    await customers().update(created.id, created.outs!, next);
    expect(await remoteCustomer()).toMatchObject({ name: "Acme", email: null, shipping_address: { city: null } });
  });
});

describe("Customer refusals from Lago", () => {
  it("name the argument: an unknown tax code, a currency frozen by a subscription", async () => {
    expect(await failure(customers().create({ externalId: "acme", taxCodes: ["vat"] }))).toBe(
      'Customer external_id "acme": create failed: argument "taxCodes" refers to something Lago does not have (404 tax_not_found)',
    );
    const created = await customers().create({ externalId: "acme", currency: "USD" });
    await subscribe("acme");
    expect(await failure(customers().update(created.id, created.outs!, { externalId: "acme", currency: "EUR" }))).toBe(
      'Customer external_id "acme": update failed: Lago rejected it (422): argument "currency" (Lago field currency) cannot change: the customer already has subscriptions, invoices or wallets in another currency (currencies_does_not_match)',
    );
  });
});

describe("Customer replace", () => {
  it("a new externalId is a replacement created before the old one is deleted", async () => {
    const created = await customers().create({ externalId: "acme", name: "Acme" });
    expect(await customers().diff(created.id, created.outs!, { externalId: "acme-2", name: "Acme" })).toMatchObject({
      changes: true,
      replaces: ["externalId"],
      deleteBeforeReplace: false,
    });
  });

  it("is refused at preview while the customer has live subscriptions", async () => {
    const created = await customers().create({ externalId: "acme", name: "Acme" });
    await subscribe("acme");
    const message = await failure(customers().diff(created.id, created.outs!, { externalId: "acme-2", name: "Acme" }));
    expect(message).toContain('Customer external_id "acme": refusing to replace it to change externalId: it has live subscriptions acme-main (active)');
    const allowedInState = { ...created.outs!, allowDestroy: true };
    const diff = await customers().diff(created.id, allowedInState, { externalId: "acme-2", name: "Acme", allowDestroy: true });
    expect(diff.replaces).toEqual(["externalId"]);
  });
});

describe("Customer silent ignores (§1.10)", () => {
  it("without premium, a timezone Lago ignores fails the create naming it, and records Lago's values", async () => {
    lago.server.lago.premium = false;
    try {
      const error = await customers().create({ externalId: "acme", timezone: "Europe/Paris" }).catch((e) => e);
      expect(error.message).toBe(
        'Customer external_id "acme": create did not apply timezone (asked "Europe/Paris", Lago has null): Lago ignores timezone without a premium licence (timezone, invoice grace period)',
      );
      const remote = await remoteCustomer();
      expect(error.id).toBe(remote.lago_id);
      expect(error.properties).toMatchObject({ externalId: "acme", lagoId: remote.lago_id });
      expect(error.properties.timezone).toBeUndefined();
    } finally {
      lago.server.lago.premium = true;
    }
  });
});
