// Conformance of the local Lago's taxes with Lago's code (lago-api v1.51.0), for what the Tax kind relies on, each
// test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });

describe("taxes as Lago's code has them", () => {
  it("a tax's usage counters are always 0, whatever uses it (app/serializers/v1/tax_serializer.rb)", async () => {
    await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
    await lago.http("POST", "/customers", { customer: { external_id: "acme", tax_codes: ["vat"] } });
    const { body } = await lago.http("GET", "/taxes/vat");
    expect(body.tax).toMatchObject({ customers_count: 0, plans_count: 0, add_ons_count: 0, charges_count: 0 });
  });

  it("the rate is a float column: digits beyond a double's are lost, without an error (app/models/tax.rb, rate :float)", async () => {
    const res = await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20.12345678901234567" } });
    expect(res.status).toBe(200);
    expect(res.body.tax.rate).toBe(20.123456789012344);
  });

  it("the lists of plans, add-ons and customers embed each one's taxes (plans_controller.rb, add_ons_controller.rb, customers_controller.rb index includes taxes)", async () => {
    await lago.http("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: "20" } });
    await lago.http("POST", "/plans", { plan: { name: "P", code: "p", interval: "monthly", amount_cents: 0, amount_currency: "EUR", pay_in_advance: false, tax_codes: ["vat"] } });
    await lago.http("POST", "/add_ons", { add_on: { name: "Setup", code: "setup", amount_cents: 100, amount_currency: "EUR", tax_codes: ["vat"] } });
    await lago.http("POST", "/customers", { customer: { external_id: "acme", tax_codes: ["vat"] } });
    for (const [route, root] of [["/plans", "plans"], ["/add_ons", "add_ons"], ["/customers", "customers"]] as const) {
      const { body } = await lago.http("GET", route);
      expect(body[root][0].taxes.map((t: { code: string }) => t.code)).toEqual(["vat"]);
    }
  });
});
