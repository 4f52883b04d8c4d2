// lago-api.md §4: customers. POST is an upsert by external_id; there is no PUT route.
import { describe, expect, it } from "vitest";
import { createPlainPlan } from "../support/billing-fixtures";
import { notFoundBody, validationBody } from "../support/lago-errors";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const upsert = (customer: Record<string, unknown>) => lago.client.customers.createCustomer({ customer: customer as any });

describe("§4.1 endpoints", () => {
  it("has no PUT /customers/{external_id}: the catch-all answers 404 resource_not_found", async () => {
    await upsert({ external_id: "acme" });
    const res = await lago.http("PUT", "/customers/acme", { customer: { name: "Acme" } });
    expect(res).toMatchObject({ status: 404, body: notFoundBody("resource_not_found") });
  });

  it("answers 400 when the customer root is missing", async () => {
    const res = await lago.http("POST", "/customers", { external_id: "acme" });
    expect(res).toMatchObject({ status: 400, body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: customer" } });
  });
});

describe("§4.3 upsert by external_id", () => {
  it("creates with only external_id: every other attribute null, Lago's server fields filled", async () => {
    const { status, data } = await upsert({ external_id: "acme" });
    expect(status).toBe(200);
    expect(data.customer).toMatchObject({
      external_id: "acme",
      sequential_id: 1,
      name: null,
      email: null,
      currency: null,
      timezone: null,
      applicable_timezone: "UTC",
      billing_entity_code: "default",
      account_type: "customer",
      finalize_zero_amount_invoice: "inherit",
      net_payment_term: null,
      shipping_address: { address_line1: null, address_line2: null, city: null, zipcode: null, state: null, country: null },
      billing_configuration: {
        invoice_grace_period: null,
        payment_provider: null,
        payment_provider_code: null,
        document_locale: null,
        subscription_invoice_issuing_date_anchor: null,
        subscription_invoice_issuing_date_adjustment: null,
      },
      metadata: [],
      taxes: [],
      integration_customers: [],
      applicable_invoice_custom_sections: [],
      error_details: [],
    });
    expect(data.customer.lago_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.customer.slug).toMatch(/-001$/);
  });

  it("updates partially: keys not sent are kept, the lago_id stays, sequential ids count up", async () => {
    const first = await upsert({ external_id: "acme", name: "Acme", email: "billing@acme.test", country: "fr" });
    const second = await upsert({ external_id: "acme", name: "Acme Inc" });
    expect(second.data.customer).toMatchObject({ lago_id: first.data.customer.lago_id, name: "Acme Inc", email: "billing@acme.test", country: "FR" });
    const other = await upsert({ external_id: "globex" });
    expect(other.data.customer.sequential_id).toBe(2);
  });

  it("clears an attribute sent as explicit null", async () => {
    await upsert({ external_id: "acme", email: "billing@acme.test", shipping_address: { city: "Paris" } });
    const { data } = await upsert({ external_id: "acme", email: null, shipping_address: { city: null } });
    expect(data.customer.email).toBeNull();
    expect(data.customer.shipping_address?.city).toBeNull();
  });

  it("creates a brand-new customer (new lago_id) for the external_id of a deleted one", async () => {
    const first = await upsert({ external_id: "acme" });
    await lago.client.customers.destroyCustomer("acme");
    const again = await upsert({ external_id: "acme" });
    expect(again.data.customer.lago_id).not.toBe(first.data.customer.lago_id);
  });

  it("validates: external_id mandatory, country code, e-mail list, currency list", async () => {
    expect(await lago.http("POST", "/customers", { customer: { name: "No id" } })).toMatchObject({ status: 422, body: validationBody({ external_id: ["value_is_mandatory"] }) });
    const bad = await lago.http("POST", "/customers", { customer: { external_id: "acme", country: "XX", email: "a@b.test,not-an-email", currency: "usd" } });
    expect(bad).toMatchObject({
      status: 422,
      body: validationBody({ country: ["not_a_valid_country_code"], currency: ["value_is_invalid"], email: ["invalid_email_format"] }),
    });
    const list = await upsert({ external_id: "acme", email: "a@b.test, c@d.test" });
    expect(list.data.customer.email).toBe("a@b.test, c@d.test");
  });

  it("rejects an unknown finalize_zero_amount_invoice with invalid_value", async () => {
    const res = await lago.http("POST", "/customers", { customer: { external_id: "acme", finalize_zero_amount_invoice: "sometimes" } });
    expect(res).toMatchObject({ status: 422, body: validationBody({ finalize_zero_amount_invoice: ["invalid_value"] }) });
  });
});

describe("§4.3 currency", () => {
  it("sets and changes the currency while nothing is attached to the customer", async () => {
    await upsert({ external_id: "acme", currency: "USD" });
    const { data } = await upsert({ external_id: "acme", currency: "EUR" });
    expect(data.customer.currency).toBe("EUR");
  });

  it("refuses a different currency once the customer has a subscription: 422 currencies_does_not_match", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await upsert({ external_id: "acme", currency: "USD" });
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "acme-main" } as any });
    const err = await lagoError(upsert({ external_id: "acme", currency: "EUR" }));
    expect(err).toEqual({ status: 422, body: validationBody({ currency: ["currencies_does_not_match"] }) });
    // the same value is a no-op
    expect((await upsert({ external_id: "acme", currency: "USD", name: "Acme" })).data.customer).toMatchObject({ currency: "USD", name: "Acme" });
  });
});

describe("§4.3 metadata", () => {
  it("reconciles by metadata id: ids update in place, items without id are created, missing ids are deleted", async () => {
    const created = await upsert({
      external_id: "acme",
      metadata: [
        { key: "po", value: "123", display_in_invoice: true },
        { key: "region", value: "eu", display_in_invoice: false },
      ],
    });
    const [po, region] = created.data.customer.metadata!;
    expect([po!.key, region!.key]).toEqual(["po", "region"]);
    const { data } = await upsert({
      external_id: "acme",
      metadata: [
        { id: po!.lago_id, key: "po", value: "456", display_in_invoice: true },
        { key: "tier", value: "gold", display_in_invoice: false },
      ],
    });
    expect(data.customer.metadata!.map((m) => [m.key, m.value])).toEqual([
      ["po", "456"],
      ["tier", "gold"],
    ]);
    expect(data.customer.metadata![0]!.lago_id).toBe(po!.lago_id);
    expect(data.customer.metadata!.some((m) => m.lago_id === region!.lago_id)).toBe(false);
  });

  it("re-sending an existing key without its id collides: key value_already_exist", async () => {
    await upsert({ external_id: "acme", metadata: [{ key: "po", value: "123", display_in_invoice: false }] });
    const err = await lagoError(upsert({ external_id: "acme", metadata: [{ key: "po", value: "999", display_in_invoice: false }] }));
    expect(err).toEqual({ status: 422, body: validationBody({ key: ["value_already_exist"] }) });
  });

  it("accepts at most 5 items: metadata invalid_count", async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: "v", display_in_invoice: false }));
    const err = await lagoError(upsert({ external_id: "acme", metadata: six }));
    expect(err).toEqual({ status: 422, body: validationBody({ metadata: ["invalid_count"] }) });
  });
});

describe("§4.3 tax_codes", () => {
  it("replaces the customer's taxes; an unknown code is 404 tax_not_found", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat_20", rate: "20.0" } as any });
    await lago.client.taxes.createTax({ tax: { name: "Reduced", code: "vat_5", rate: "5.0" } as any });
    const withVat = await upsert({ external_id: "acme", tax_codes: ["vat_20"] });
    expect(withVat.data.customer.taxes!.map((t) => [t.code, t.rate])).toEqual([["vat_20", 20]]);
    const replaced = await upsert({ external_id: "acme", tax_codes: ["vat_5"] });
    expect(replaced.data.customer.taxes!.map((t) => t.code)).toEqual(["vat_5"]);
    expect(await lagoError(upsert({ external_id: "acme", tax_codes: ["nope"] }))).toEqual({ status: 404, body: notFoundBody("tax_not_found") });
  });
});

describe("§1.10 premium-only customer fields", () => {
  it("honours timezone with premium and ignores it silently without", async () => {
    const premium = await upsert({ external_id: "acme", timezone: "Europe/Paris" });
    expect(premium.data.customer).toMatchObject({ timezone: "Europe/Paris", applicable_timezone: "Europe/Paris" });
    lago.server.lago.premium = false;
    try {
      const free = await upsert({ external_id: "globex", timezone: "Europe/Paris" });
      expect(free.data.customer).toMatchObject({ timezone: null, applicable_timezone: "UTC" });
    } finally {
      lago.server.lago.premium = true;
    }
  });

  it("rejects an unknown timezone with invalid_timezone", async () => {
    const res = await lago.http("POST", "/customers", { customer: { external_id: "acme", timezone: "Mars/Olympus" } });
    expect(res).toMatchObject({ status: 422, body: validationBody({ timezone: ["invalid_timezone"] }) });
  });
});

describe("§4.4 read and list", () => {
  it("GET finds live customers only: 404 customer_not_found otherwise", async () => {
    await upsert({ external_id: "acme", name: "Acme" });
    expect((await lago.client.customers.findCustomer("acme")).data.customer.name).toBe("Acme");
    expect(await lagoError(lago.client.customers.findCustomer("nobody"))).toEqual({ status: 404, body: notFoundBody("customer_not_found") });
  });

  it("lists newest first with Lago's pagination meta; list items carry no error_details", async () => {
    for (const id of ["a", "b", "c"]) await upsert({ external_id: id });
    const { data } = await lago.client.customers.findAllCustomers({ per_page: 2 });
    expect(data.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 3 });
    expect(data.customers).toHaveLength(2);
    expect(data.customers[0]).not.toHaveProperty("error_details");
    const all = await lago.client.customers.findAllCustomers();
    expect(all.data.customers.map((c) => c.external_id).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("§4.4 list filters", () => {
  it("filters by currency, country, tax id presence and metadata; an unknown billing entity is 404", async () => {
    await upsert({ external_id: "a", currency: "USD", country: "US", tax_identification_number: "US-1", metadata: [{ key: "tier", value: "gold", display_in_invoice: false }] });
    await upsert({ external_id: "b", currency: "EUR", country: "FR" });
    const ids = async (query: Record<string, unknown>) => (await lago.client.customers.findAllCustomers(query as any)).data.customers.map((c) => c.external_id).sort();
    expect(await ids({ "currencies[]": ["EUR"] })).toEqual(["b"]);
    expect(await ids({ "countries[]": ["US", "FR"] })).toEqual(["a", "b"]);
    expect(await ids({ has_tax_identification_number: false })).toEqual(["b"]);
    expect(await ids({ "metadata[tier]": "gold" })).toEqual(["a"]);
    expect(await lagoError(lago.client.customers.findAllCustomers({ "billing_entity_codes[]": ["elsewhere"] } as any))).toEqual({ status: 404, body: notFoundBody("billing_entity_not_found") });
  });
});

describe("§4.5 delete", () => {
  it("soft-deletes, then terminates the active subscription and cancels the pending one at once", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const sub = (external_id: string, extra: Record<string, unknown> = {}) =>
      lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "basic", external_id, ...extra } as any });
    await sub("acme-now");
    await sub("acme-later", { subscription_at: new Date(Date.now() + 10 * 86_400_000).toISOString() });

    const { status, data } = await lago.client.customers.destroyCustomer("acme");
    expect(status).toBe(200);
    expect(data.customer.external_id).toBe("acme");
    expect(await lagoError(lago.client.customers.findCustomer("acme"))).toEqual({ status: 404, body: notFoundBody("customer_not_found") });
    expect((await lago.client.subscriptions.findSubscription("acme-now", { status: "terminated" })).data.subscription.status).toBe("terminated");
    expect((await lago.client.subscriptions.findSubscription("acme-later", { status: "canceled" })).data.subscription.status).toBe("canceled");
    expect(await lagoError(lago.client.customers.destroyCustomer("acme"))).toEqual({ status: 404, body: notFoundBody("customer_not_found") });
  });
});
