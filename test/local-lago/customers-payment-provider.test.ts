// A customer's payment provider (billing_configuration), as app/services/customers/upsert_from_api_service.rb
// (create_billing_configuration, handle_api_billing_configuration), app/services/payment_providers/find_service.rb,
// app/services/payment_providers/stripe/customers/create_service.rb, app/models/payment_provider_customers/
// stripe_customer.rb and app/serializers/v1/customer_serializer.rb (billing_configuration) of Lago v1.51.0 handle it.
// Providers are connected in Lago's UI; here through the admin API, as users of the local Lago do.
import { describe, expect, it } from "vitest";
import { unprocessable } from "../support/lago-errors";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

async function connect(type: string, code: string): Promise<void> {
  const res = await fetch(`${lago.server.url}/__admin/payment_providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type, code }) });
  expect(res.status).toBe(200);
}
const upsert = (customer: Record<string, unknown>) => lago.http("POST", "/customers", { customer });
const billingOf = async (externalId: string) => (await lago.client.customers.findCustomer(externalId)).data.customer.billing_configuration;

describe("linking a customer to a payment provider", () => {
  it("a new customer naming a provider customer id links to the connected provider of that type; Stripe's methods default to card", async () => {
    await connect("stripe", "stripe_prod");
    const res = await upsert({ external_id: "acme", billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_123" } });
    expect(res.status).toBe(200);
    expect(res.body.customer.billing_configuration).toMatchObject({ payment_provider: "stripe", payment_provider_code: "stripe_prod", provider_customer_id: "cus_123", provider_payment_methods: ["card"] });
    expect(await billingOf("acme")).toMatchObject({ payment_provider: "stripe", provider_customer_id: "cus_123" });
  });

  it("refuses a provider the organization has not connected, and creates nothing (the upsert is one transaction)", async () => {
    expect(await upsert({ external_id: "acme", name: "Acme", billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_123" } })).toMatchObject(
      unprocessable({ base: ["payment_provider_not_found"] }),
    );
    expect((await lago.http("GET", "/customers/acme")).status).toBe(404);
  });

  it("needs the code when two providers of the type are connected, and finds the one it names", async () => {
    await connect("stripe", "stripe_eu");
    await connect("stripe", "stripe_us");
    expect(await upsert({ external_id: "acme", billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_1" } })).toMatchObject(
      unprocessable({ base: ["payment_provider_code_missing"] }),
    );
    const res = await upsert({ external_id: "acme", billing_configuration: { payment_provider: "stripe", payment_provider_code: "stripe_us", provider_customer_id: "cus_1" } });
    expect(res.body.customer.billing_configuration).toMatchObject({ payment_provider_code: "stripe_us", provider_customer_id: "cus_1" });
    expect(await upsert({ external_id: "globex", billing_configuration: { payment_provider: "stripe", payment_provider_code: "stripe_jp", provider_customer_id: "cus_2" } })).toMatchObject(
      unprocessable({ base: ["payment_provider_not_found"] }),
    );
  });

  it("a new customer naming only a provider (no provider customer id, no sync) is not linked", async () => {
    await connect("gocardless", "gc");
    const res = await upsert({ external_id: "acme", billing_configuration: { payment_provider: "gocardless" } });
    expect(res.body.customer.billing_configuration).toMatchObject({ payment_provider: null, payment_provider_code: null });
    expect(res.body.customer.billing_configuration).not.toHaveProperty("provider_customer_id");
  });

  it("a later upsert changes the provider customer id, and payment_provider: null unlinks the customer", async () => {
    await connect("gocardless", "gc");
    await upsert({ external_id: "acme", billing_configuration: { payment_provider: "gocardless", provider_customer_id: "CU001" } });
    const changed = await upsert({ external_id: "acme", billing_configuration: { payment_provider: "gocardless", provider_customer_id: "CU002" } });
    expect(changed.body.customer.billing_configuration).toMatchObject({ payment_provider: "gocardless", payment_provider_code: "gc", provider_customer_id: "CU002" });
    expect(changed.body.customer.billing_configuration).not.toHaveProperty("provider_payment_methods"); // Stripe only
    const removed = await upsert({ external_id: "acme", billing_configuration: { payment_provider: null } });
    expect(removed.body.customer.billing_configuration).toMatchObject({ payment_provider: null, payment_provider_code: null });
    expect(removed.body.customer.billing_configuration).not.toHaveProperty("provider_customer_id");
  });

  it("an upsert without billing_configuration leaves the link as it is", async () => {
    await connect("stripe", "stripe_prod");
    await upsert({ external_id: "acme", billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_123", provider_payment_methods: ["card", "sepa_debit"] } });
    await upsert({ external_id: "acme", name: "Acme" });
    expect(await billingOf("acme")).toMatchObject({ payment_provider: "stripe", provider_customer_id: "cus_123", provider_payment_methods: ["card", "sepa_debit"] });
  });

  it("checks Stripe's payment methods: known ones, link only with card, customer_balance alone", async () => {
    await connect("stripe", "stripe_prod");
    const withMethods = (methods: string[]) => upsert({ external_id: "acme", billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_1", provider_payment_methods: methods } });
    expect(await withMethods(["card", "paypal"])).toMatchObject(unprocessable({ provider_payment_methods: ["value_is_invalid"] }));
    expect(await withMethods(["link"])).toMatchObject(unprocessable({ provider_payment_methods: ["value_is_invalid"] }));
    expect(await withMethods(["customer_balance", "card"])).toMatchObject(unprocessable({ provider_payment_methods: ["customer_balance cannot be combined with other payment methods"] }));
    expect((await lago.http("GET", "/customers/acme")).status).toBe(404);
    expect((await withMethods(["card", "link", "us_bank_account"])).body.customer.billing_configuration.provider_payment_methods).toEqual(["card", "link", "us_bank_account"]);
  });

  it("the admin API refuses a provider type Lago does not know and a code used twice", async () => {
    const post = (body: unknown) => fetch(`${lago.server.url}/__admin/payment_providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ type: "paypal", code: "pp" })).status).toBe(400);
    await connect("adyen", "adyen");
    expect((await post({ type: "stripe", code: "adyen" })).status).toBe(400);
    const listed = (await (await fetch(`${lago.server.url}/__admin/payment_providers`)).json()) as { payment_providers: Array<{ type: string; code: string }> };
    expect(listed.payment_providers.map((p) => [p.type, p.code])).toEqual([["adyen", "adyen"]]);
  });
});
