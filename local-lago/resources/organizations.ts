// The organization (Lago's GET and PUT /organizations): the one organization the API key belongs to, its legal
// details and billing settings. Written from app/controllers/api/v1/organizations_controller.rb,
// app/services/organizations/update_service.rb, app/models/organization.rb and app/serializers/v1/organization_serializer.rb.
import type { Room } from "../api";
import { isoSeconds, type LagoContext } from "../context";
import { isLagoCurrency } from "../currencies";
import { lagoRaises, Validation } from "../errors";
import { COUNTRIES, TIMEZONES } from "../geography";
import type { Table } from "../store";
import { isObject, NOT_A_NUMBER, permitScalarArray, permitScalars, railsBoolean, railsInteger } from "./rails-casts";
import { serializeTax, type TaxRecord } from "./taxes";

/** Organization::EMAIL_SETTINGS. */
const EMAIL_SETTINGS = ["invoice.finalized", "credit_note.created", "payment_receipt.created"];
/** Organization::DOCUMENT_NUMBERINGS. */
const DOCUMENT_NUMBERINGS = ["per_customer", "per_organization"];
/** The locales Lago has invoice translations for (LanguageCodeValidator). */
const DOCUMENT_LOCALES = ["en", "fr", "nb", "de", "it", "es", "sv", "pt-BR", "zh-TW"];
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

const NAME = "Local Lago";

export interface OrganizationRow {
  id: string;
  name: string;
  created_at: string;
  default_currency: string | null;
  country: string | null;
  address_line1: string | null;
  address_line2: string | null;
  state: string | null;
  zipcode: string | null;
  city: string | null;
  email: string | null;
  legal_name: string | null;
  legal_number: string | null;
  tax_identification_number: string | null;
  timezone: string | null;
  net_payment_term: number | null;
  email_settings: string[];
  document_numbering: string | null;
  document_number_prefix: string | null;
  finalize_zero_amount_invoice: boolean | null;
  invoice_footer: string | null;
  invoice_grace_period: number | null;
  document_locale: string | null;
}

const table = (lago: LagoContext) => lago.store.table<OrganizationRow>("organizations") as Table<OrganizationRow>;

/** The organization as Lago creates it (organization.rb defaults; the prefix from after_create generate_document_number_prefix). */
function organization(lago: LagoContext): OrganizationRow {
  const existing = table(lago).get(lago.organizationId);
  if (existing) return existing;
  return {
    id: lago.organizationId,
    name: NAME,
    created_at: isoSeconds(lago.now()),
    default_currency: "USD",
    country: null,
    address_line1: null,
    address_line2: null,
    state: null,
    zipcode: null,
    city: null,
    email: null,
    legal_name: null,
    legal_number: null,
    tax_identification_number: null,
    timezone: "UTC",
    net_payment_term: 0,
    email_settings: [],
    document_numbering: "per_customer",
    document_number_prefix: `${NAME.slice(0, 3).toUpperCase()}-${lago.organizationId.slice(-4).toUpperCase()}`,
    finalize_zero_amount_invoice: true,
    invoice_footer: null,
    invoice_grace_period: 0,
    document_locale: "en",
  };
}

function serialize(lago: LagoContext, row: OrganizationRow, withTaxes: boolean) {
  const urls = lago.store
    .table<{ id: string; webhook_url: string | null; created_at: string }>("webhook_endpoints")
    .all()
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
    .map((w) => w.webhook_url ?? "");
  const taxes = withTaxes
    ? { taxes: (lago.store.table<TaxRecord>("taxes").all() as TaxRecord[]).filter((t) => t.deleted_at === null && t.applied_to_organization).map(serializeTax) }
    : {};
  return {
    lago_id: row.id,
    name: row.name,
    default_currency: row.default_currency,
    created_at: row.created_at,
    webhook_url: urls[0] ?? "",
    webhook_urls: urls,
    country: row.country,
    address_line1: row.address_line1,
    address_line2: row.address_line2,
    state: row.state,
    zipcode: row.zipcode,
    email: row.email,
    city: row.city,
    legal_name: row.legal_name,
    legal_number: row.legal_number,
    timezone: row.timezone,
    net_payment_term: row.net_payment_term,
    email_settings: row.email_settings,
    document_numbering: row.document_numbering,
    document_number_prefix: row.document_number_prefix,
    tax_identification_number: row.tax_identification_number,
    finalize_zero_amount_invoice: row.finalize_zero_amount_invoice,
    billing_configuration: { invoice_footer: row.invoice_footer, invoice_grace_period: row.invoice_grace_period, document_locale: row.document_locale },
    ...taxes,
  };
}

/** `value&.upcase` on a permitted scalar: a number or boolean has no upcase, so Lago raises. */
function upcased(field: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") throw lagoRaises(`undefined method 'upcase' for ${JSON.stringify(v)} (${field})`);
  return v.toUpperCase();
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function validate(row: OrganizationRow, sent: { net_payment_term?: unknown; invoice_grace_period?: unknown }) {
  const v = new Validation();
  if (row.country !== null && !COUNTRIES.has(row.country)) v.add("country", "not_a_valid_country_code");
  if (row.default_currency === null || !isLagoCurrency(row.default_currency)) v.add("default_currency", "value_is_invalid");
  if (row.document_locale === null || !DOCUMENT_LOCALES.includes(row.document_locale)) v.add("document_locale", "not_a_valid_language_code");
  if (row.email !== null && row.email !== "" && !EMAIL.test(row.email)) v.add("email", "invalid_email_format");
  if (row.invoice_footer !== null && row.invoice_footer.length > 600) v.add("invoice_footer", "value_is_too_long");
  const prefix = row.document_number_prefix ?? "";
  if (prefix.length < 1) v.add("document_number_prefix", "value_is_too_short");
  if (prefix.length > 10) v.add("document_number_prefix", "value_is_too_long");
  if (row.invoice_grace_period === null) v.add("invoice_grace_period", sent.invoice_grace_period === undefined ? "value_is_out_of_range" : NOT_A_NUMBER);
  else if (row.invoice_grace_period < 0) v.add("invoice_grace_period", "value_is_out_of_range");
  if (row.net_payment_term === null) v.add("net_payment_term", NOT_A_NUMBER);
  else if (row.net_payment_term < 0) v.add("net_payment_term", "value_is_out_of_range");
  if (row.timezone === null || !TIMEZONES.has(row.timezone)) v.add("timezone", "invalid_timezone");
  if (row.finalize_zero_amount_invoice === null) v.add("finalize_zero_amount_invoice", "value_is_invalid");
  if (row.document_numbering === null || !DOCUMENT_NUMBERINGS.includes(row.document_numbering)) v.add("document_numbering", "value_is_invalid");
  if (!row.email_settings.every((s) => EMAIL_SETTINGS.includes(s))) v.add("email_settings", "unsupported_value");
  v.throwIfAny();
}

const FIELDS = [
  "country", "default_currency", "address_line1", "address_line2", "state", "zipcode", "email", "city", "legal_name", "legal_number",
  "net_payment_term", "tax_identification_number", "timezone", "document_numbering", "document_number_prefix", "finalize_zero_amount_invoice",
] as const;

export const organizations: Room = (api, lago) => {
  api.get("/organizations", () => ({ organization: serialize(lago, organization(lago), false) }));

  api.put("/organizations", (req) => {
    const body = req.body("organization");
    const input = permitScalars(body, FIELDS);
    const next: OrganizationRow = { ...organization(lago) };
    for (const field of ["email", "legal_name", "legal_number", "tax_identification_number", "address_line1", "address_line2", "zipcode", "city", "state"] as const)
      if (field in input) next[field] = text(input[field]);
    if ("country" in input) next.country = upcased("country", input.country);
    if ("default_currency" in input) next.default_currency = upcased("default_currency", input.default_currency);
    if ("document_number_prefix" in input) next.document_number_prefix = upcased("document_number_prefix", input.document_number_prefix);
    if ("finalize_zero_amount_invoice" in input) next.finalize_zero_amount_invoice = railsBoolean(input.finalize_zero_amount_invoice);
    if ("net_payment_term" in input) next.net_payment_term = railsInteger(input.net_payment_term);
    if ("document_numbering" in input) next.document_numbering = input.document_numbering === null ? null : String(input.document_numbering);
    const billing = isObject(body.billing_configuration) ? permitScalars(body.billing_configuration, ["invoice_footer", "invoice_grace_period", "document_locale"] as const) : {};
    if ("invoice_footer" in billing) next.invoice_footer = text(billing.invoice_footer);
    if ("document_locale" in billing) next.document_locale = text(billing.document_locale);
    // Without a premium licence these are ignored and the answer is 200 (update_service.rb: License.premium?).
    if (lago.premium) {
      if ("invoice_grace_period" in billing) next.invoice_grace_period = railsInteger(billing.invoice_grace_period);
      if ("timezone" in input) next.timezone = text(input.timezone);
      const settings = permitScalarArray(body.email_settings);
      if (settings) next.email_settings = settings.map((s) => String(s));
    }
    validate(next, { invoice_grace_period: billing.invoice_grace_period });
    table(lago).put(next);
    // The update answers with the organization's taxes (the controller passes `includes: %i[taxes]`; show passes `include:`, which the serializer ignores).
    return { organization: serialize(lago, next, true) };
  });
};
