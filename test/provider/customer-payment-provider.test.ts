// Customer.billingConfiguration's payment provider through the provider's CRUD against the local Lago: a customer
// linked to a connected provider by its code and the customer's id there, read back and compared (Stripe's default
// methods are no drift), a changed provider customer id applied in place, an unlink, Lago's refusal of a provider
// the organization has not connected named by argument, and the rules checked before any call.
import { describe, expect, it } from "vitest";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const customers = () => runtime.customer;

async function connect(type: string, code: string): Promise<void> {
  const res = await fetch(`${lago.server.url}/__admin/payment_providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type, code }) });
  expect(res.status).toBe(200);
}
const billing = async (externalId = "acme") => (await lago.client.customers.findCustomer(externalId)).data.customer.billing_configuration;
const stripe = { paymentProvider: "stripe", paymentProviderCode: "stripe_prod", providerCustomerId: "cus_123" } as const;

describe("Customer payment provider", () => {
  it("links, reads back without drift, changes the provider customer in place, and unlinks", async () => {
    await connect("stripe", "stripe_prod");
    const args = { externalId: "acme", name: "Acme", billingConfiguration: { ...stripe, documentLocale: "fr" } };
    const created = await customers().create({ ...args });
    expect(await billing()).toMatchObject({ payment_provider: "stripe", payment_provider_code: "stripe_prod", provider_customer_id: "cus_123", provider_payment_methods: ["card"], document_locale: "fr" });

    const read = await customers().read(created.id, created.outs!);
    expect(read.inputs!.billingConfiguration).toEqual({ ...stripe, documentLocale: "fr", providerPaymentMethods: ["card"] });
    expect((await customers().diff(created.id, read.props!, args)).changes).toBe(false); // ["card"] is Stripe's default

    const moved = { ...args, billingConfiguration: { ...stripe, providerCustomerId: "cus_456", providerPaymentMethods: ["sepa_debit", "card"] as Array<"card" | "sepa_debit"> } };
    expect(await customers().diff(created.id, read.props!, moved)).toMatchObject({ changes: true, changed: ["billingConfiguration"], replaces: [] });
    const updated = await customers().update(created.id, read.props!, moved);
    expect(await billing()).toMatchObject({ provider_customer_id: "cus_456", provider_payment_methods: ["sepa_debit", "card"], document_locale: null });
    expect((await customers().diff(created.id, (await customers().read(created.id, updated.outs!)).props!, moved)).changes).toBe(false);

    const unlinked = { ...args, billingConfiguration: { documentLocale: "fr" } };
    await customers().update(created.id, updated.outs!, unlinked);
    const after = await billing();
    expect(after).toMatchObject({ payment_provider: null, payment_provider_code: null, document_locale: "fr" });
    expect(after).not.toHaveProperty("provider_customer_id");
  });

  it("a provider the organization has not connected: Lago's refusal names the arguments to fix, and nothing is created", async () => {
    const message = await failure(customers().create({ externalId: "globex", billingConfiguration: { paymentProvider: "gocardless", paymentProviderCode: "gc", providerCustomerId: "CU1" } }));
    expect(message).toContain('Customer external_id "globex": create failed: Lago rejected it (422)');
    expect(message).toContain("names no payment provider connected to the organization");
    expect(message).toContain("billingConfiguration.paymentProvider / paymentProviderCode");
    expect((await lago.http("GET", "/customers/globex")).status).toBe(404);
  });

  it("checks the link's rules before any call", async () => {
    const before = apiRequests(lago).length;
    const problems = async (billingConfiguration: Record<string, unknown>) => {
      const checked = await customers().check({}, { externalId: "acme", billingConfiguration });
      return (checked.failures ?? []).map((f) => f.reason);
    };
    expect(await problems({ paymentProvider: "stripe" })).toEqual([
      "billingConfiguration.providerCustomerId is required with paymentProvider: the customer's id at stripe (Lago links the customer only with it)",
      "billingConfiguration.paymentProviderCode is required with paymentProvider: the code of the stripe connection in Lago (Settings → Integrations)",
    ]);
    expect(await problems({ providerCustomerId: "cus_1" })).toEqual(["billingConfiguration.providerCustomerId needs paymentProvider: set it, or remove this field"]);
    expect(await problems({ paymentProvider: "paypal", paymentProviderCode: "pp", providerCustomerId: "x" })).toEqual([
      "billingConfiguration.paymentProvider must be one of stripe, gocardless, cashfree, adyen, flutterwave, moneyhash",
    ]);
    expect(await problems({ ...stripe, paymentProvider: "adyen", providerPaymentMethods: ["card"] })).toEqual(["billingConfiguration.providerPaymentMethods applies to stripe only, not adyen: remove it"]);
    expect(await problems({ ...stripe, providerPaymentMethods: ["link"] })).toEqual(['billingConfiguration.providerPaymentMethods lists "link" without "card": Stripe Link needs card']);
    expect(await problems({ ...stripe, providerPaymentMethods: ["customer_balance", "card"] })).toEqual(['billingConfiguration.providerPaymentMethods "customer_balance" cannot be combined with other methods']);
    expect(await problems({ ...stripe, providerPaymentMethods: ["paypal"] })).toHaveLength(1);
    expect(apiRequests(lago).length).toBe(before);
  });
});
