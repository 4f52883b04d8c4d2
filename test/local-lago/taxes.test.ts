// lago-api.md §8: taxes.
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });

const vat = { name: "TVA", code: "french_vat", rate: "20.0", description: "French standard VAT" };
const taxNotFound = notFound("tax_not_found");

describe("§8 create", () => {
  it("creates a tax: rate sent as a string comes back a number, counters are 0", async () => {
    const { status, data } = await lago.client.taxes.createTax({ tax: { ...vat, applied_to_organization: false } });
    expect(status).toBe(200);
    expect(data.tax).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "TVA",
      code: "french_vat",
      rate: 20,
      description: "French standard VAT",
      applied_to_organization: false,
      add_ons_count: 0,
      customers_count: 0,
      plans_count: 0,
      charges_count: 0,
      commitments_count: 0,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      applied_to_billing_entities_codes: [],
    });
  });

  it("takes a numeric rate as is and keeps decimals", async () => {
    const res = await lago.http("POST", "/taxes", { tax: { name: "Reduced", code: "reduced", rate: 5.5 } });
    expect(res.status).toBe(200);
    expect(res.body.tax.rate).toBe(5.5);
  });

  it("applied_to_organization applies it to the default billing entity", async () => {
    const { data } = await lago.client.taxes.createTax({ tax: { ...vat, applied_to_organization: true } });
    expect(data.tax.applied_to_organization).toBe(true);
    expect((data.tax as { applied_to_billing_entities_codes?: string[] }).applied_to_billing_entities_codes).toHaveLength(1);
  });

  it("requires name, code and rate", async () => {
    const res = await lago.http("POST", "/taxes", { tax: { description: "nothing else" } });
    expect({ status: res.status, body: res.body }).toEqual(
      unprocessable({ name: ["value_is_mandatory"], code: ["value_is_mandatory"], rate: ["value_is_mandatory"] }),
    );
  });

  it("has no range check on the rate", async () => {
    const res = await lago.http("POST", "/taxes", { tax: { name: "Odd", code: "odd", rate: "-3" } });
    expect(res.status).toBe(200);
    expect(res.body.tax.rate).toBe(-3);
  });

  it("refuses a code already used, even by a deleted tax", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    expect(await lagoError(lago.client.taxes.createTax({ tax: vat }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
    await lago.client.taxes.destroyTax("french_vat");
    expect(await lagoError(lago.client.taxes.createTax({ tax: vat }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
  });

  it("answers 400 without the tax root", async () => {
    const res = await lago.http("POST", "/taxes", { name: "TVA" });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: tax" },
    });
  });
});

describe("§8 read and list", () => {
  it("finds a tax by code and answers 404 tax_not_found for an unknown one", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    const { data } = await lago.client.taxes.findTax("french_vat");
    expect(data.tax).toMatchObject({ code: "french_vat", rate: 20 });
    expect(await lagoError(lago.client.taxes.findTax("nope"))).toEqual(taxNotFound);
  });

  it("lists taxes ordered by name, with pagination meta", async () => {
    for (const [name, code] of [["Zeta", "z"], ["Alpha", "a"], ["Mid", "m"]]) await lago.client.taxes.createTax({ tax: { name, code, rate: "1" } });
    const { data } = await lago.client.taxes.findAllTaxes();
    expect(data.taxes.map((t) => t.name)).toEqual(["Alpha", "Mid", "Zeta"]);
    expect(data.meta).toEqual({ current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 3 });
    const page2 = await lago.client.taxes.findAllTaxes({ page: 2, per_page: 2 });
    expect(page2.data.taxes.map((t) => t.name)).toEqual(["Zeta"]);
    expect(page2.data.meta).toEqual({ current_page: 2, next_page: null, prev_page: 1, total_pages: 2, total_count: 3 });
  });
});

describe("§8 update", () => {
  it("is partial and can change every field, the code included", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    const { data } = await lago.client.taxes.updateTax("french_vat", { tax: { code: "fr_vat", rate: "19.6" } });
    expect(data.tax).toMatchObject({ name: "TVA", code: "fr_vat", rate: 19.6, description: "French standard VAT" });
    expect(await lagoError(lago.client.taxes.findTax("french_vat"))).toEqual(taxNotFound);
    expect((await lago.client.taxes.findTax("fr_vat")).data.tax.rate).toBe(19.6);
  });

  it("refuses blanking a required field and a code taken by another tax", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    await lago.client.taxes.createTax({ tax: { name: "Other", code: "other", rate: "1" } });
    const res = await lago.http("PUT", "/taxes/other", { tax: { code: "french_vat", rate: null } });
    expect({ status: res.status, body: res.body }).toEqual(unprocessable({ code: ["value_already_exist"], rate: ["value_is_mandatory"] }));
    expect((await lago.client.taxes.findTax("other")).data.tax.rate).toBe(1);
  });

  it("reads the body first: no tax root is a 400 even for an unknown code", async () => {
    const res = await lago.http("PUT", "/taxes/nope", { name: "x" });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: tax" },
    });
  });

  it("answers 404 tax_not_found for an unknown code", async () => {
    expect(await lagoError(lago.client.taxes.updateTax("nope", { tax: { name: "x" } }))).toEqual(taxNotFound);
  });
});

describe("§8 delete", () => {
  it("answers 200 with the tax, then 404, and drops it from lists", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    const { status, data } = await lago.client.taxes.destroyTax("french_vat");
    expect(status).toBe(200);
    expect(data.tax.code).toBe("french_vat");
    expect(await lagoError(lago.client.taxes.findTax("french_vat"))).toEqual(taxNotFound);
    expect((await lago.client.taxes.findAllTaxes()).data.taxes).toEqual([]);
    expect(await lagoError(lago.client.taxes.destroyTax("french_vat"))).toEqual(taxNotFound);
  });

  it("detaches the tax from plans, their commitment, charges and fixed charges", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    await lago.client.taxes.createTax({ tax: { name: "Other", code: "other", rate: "1" } });
    const both = ["french_vat", "other"];
    const metric = await lago.http("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg" } });
    const addOn = await lago.http("POST", "/add_ons", { add_on: { name: "Setup", code: "setup", amount_cents: 1000, amount_currency: "USD" } });
    const created = await lago.http("POST", "/plans", {
      plan: {
        name: "Team",
        code: "team",
        interval: "monthly",
        amount_cents: 1000,
        amount_currency: "USD",
        pay_in_advance: false,
        tax_codes: both,
        minimum_commitment: { amount_cents: 5000, invoice_display_name: "Minimum", tax_codes: both },
        charges: [{ billable_metric_id: metric.body.billable_metric.lago_id, charge_model: "standard", properties: { amount: "1" }, tax_codes: both }],
        fixed_charges: [{ add_on_id: addOn.body.add_on.lago_id, charge_model: "standard", units: 1, properties: { amount: "10" }, tax_codes: both }],
      },
    });
    expect(created.status).toBe(200);
    await lago.client.taxes.destroyTax("french_vat");
    const { plan } = (await lago.http("GET", "/plans/team")).body;
    const codes = (taxes: Array<{ code: string }>) => taxes.map((t) => t.code);
    expect(codes(plan.taxes)).toEqual(["other"]);
    expect(codes(plan.minimum_commitment.taxes)).toEqual(["other"]);
    expect(codes(plan.charges[0].taxes)).toEqual(["other"]);
    expect(codes(plan.fixed_charges[0].taxes)).toEqual(["other"]);
  });

  it("detaches the tax from customers", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    await lago.client.taxes.createTax({ tax: { name: "Other", code: "other", rate: "1" } });
    await lago.http("POST", "/customers", { customer: { external_id: "acme", tax_codes: ["french_vat", "other"] } });
    await lago.client.taxes.destroyTax("french_vat");
    const { customer } = (await lago.http("GET", "/customers/acme")).body;
    expect(customer.taxes.map((t: { code: string }) => t.code)).toEqual(["other"]);
  });

  it("detaches the tax from add-ons that carried it", async () => {
    await lago.client.taxes.createTax({ tax: vat });
    await lago.client.taxes.createTax({ tax: { name: "Other", code: "other", rate: "1" } });
    await lago.client.addOns.createAddOn({ add_on: { name: "Setup", code: "setup", amount_cents: 1000, amount_currency: "EUR", tax_codes: ["french_vat", "other"] } });
    await lago.client.taxes.destroyTax("french_vat");
    const { data } = await lago.client.addOns.findAddOn("setup");
    expect(data.add_on.taxes?.map((t) => t.code)).toEqual(["other"]);
  });
});
