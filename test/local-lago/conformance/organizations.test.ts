// Conformance of the local Lago's organization (GET and PUT /organizations) with Lago's code (lago-api v1.51.0),
// each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true }); // with a premium licence, as Lago Cloud
const basic = useLocalLago({ resetEach: true, premium: false });
const put = (organization: unknown) => lago.http("PUT", "/organizations", { organization });

describe("the organization as Lago's code has it", () => {
  it("answers the organization with its billing configuration (app/serializers/v1/organization_serializer.rb)", async () => {
    const { status, body } = await lago.http("GET", "/organizations");
    expect(status).toBe(200);
    expect(body.organization).toMatchObject({
      default_currency: "USD", timezone: "UTC", net_payment_term: 0, document_numbering: "per_customer", finalize_zero_amount_invoice: true, email_settings: [],
      document_number_prefix: expect.stringMatching(/^LOC-[0-9A-F]{4}$/), // organization.rb generate_document_number_prefix
      billing_configuration: { invoice_footer: null, invoice_grace_period: 0, document_locale: "en" },
    });
  });

  it("updates what is sent, upper-casing the country, the currency and the prefix (organizations/update_service.rb, organization.rb)", async () => {
    const res = await put({ country: "fr", default_currency: "eur", document_number_prefix: "acme", legal_name: "Acme SAS", net_payment_term: 30, billing_configuration: { invoice_footer: "Merci", document_locale: "fr" } });
    expect(res.status).toBe(200);
    expect(res.body.organization).toMatchObject({ country: "FR", default_currency: "EUR", document_number_prefix: "ACME", legal_name: "Acme SAS", net_payment_term: 30, billing_configuration: { invoice_footer: "Merci", document_locale: "fr" } });
    expect((await lago.http("GET", "/organizations")).body.organization).toMatchObject({ country: "FR", legal_name: "Acme SAS" });
  });

  it("without a premium licence, timezone, email settings and the grace period are ignored with a 200 (update_service.rb: License.premium?)", async () => {
    const res = await basic.http("PUT", "/organizations", { organization: { timezone: "Europe/Paris", email_settings: ["invoice.finalized"], billing_configuration: { invoice_grace_period: 3 } } });
    expect(res.status).toBe(200);
    expect(res.body.organization).toMatchObject({ timezone: "UTC", email_settings: [], billing_configuration: { invoice_grace_period: 0 } });
  });

  it("refuses what organization.rb's validations refuse, with Lago's codes (config/locales/en.yml)", async () => {
    const res = await put({ country: "XX", default_currency: "ABC", document_number_prefix: "PREFIX-TOO-LONG", net_payment_term: -1, document_numbering: "per_planet", billing_configuration: { invoice_footer: "x".repeat(601), document_locale: "klingon" } });
    expect(res.status).toBe(422);
    expect(res.body.error_details).toEqual({
      country: ["not_a_valid_country_code"], default_currency: ["value_is_invalid"], document_locale: ["not_a_valid_language_code"], invoice_footer: ["value_is_too_long"],
      document_number_prefix: ["value_is_too_long"], net_payment_term: ["value_is_out_of_range"], document_numbering: ["value_is_invalid"],
    });
    expect((await lago.http("GET", "/organizations")).body.organization.country).toBeNull();
  });
});

describe("the organization with a premium licence", () => {
  const premium = lago;
  it("applies timezone, email settings and the grace period, each validated (update_service.rb assign_premium_attributes)", async () => {
    const ok = await premium.http("PUT", "/organizations", { organization: { timezone: "Europe/Paris", email_settings: ["invoice.finalized"], billing_configuration: { invoice_grace_period: 3 } } });
    expect(ok.body.organization).toMatchObject({ timezone: "Europe/Paris", email_settings: ["invoice.finalized"], billing_configuration: { invoice_grace_period: 3 } });
    const bad = await premium.http("PUT", "/organizations", { organization: { timezone: "Mars/Olympus", email_settings: ["invoice.paid"] } });
    expect(bad.body.error_details).toEqual({ timezone: ["invalid_timezone"], email_settings: ["unsupported_value"] });
  });
});
