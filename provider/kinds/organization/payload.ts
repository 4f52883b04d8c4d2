// Organization: settings ↔ Lago's `organization` object (Lago's PUT /organizations), typed by Lago's contract.
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import { isDocumentLocale, isEmailSetting, type OrganizationInputs } from "./schema";

/** Lago's organization object. */
export type LagoOrganization = Wire["OrganizationObject"];
/** The `organization` body of Lago's PUT. */
export type OrganizationBody = Wire["OrganizationInput"];

export type OrganizationArgs = Managed<OrganizationInputs>;

export function toWire(p: OrganizationArgs): OrganizationBody {
  const body: OrganizationBody = {};
  if ("defaultCurrency" in p) body.default_currency = p.defaultCurrency ?? undefined;
  if ("timezone" in p) body.timezone = p.timezone ?? undefined;
  if ("netPaymentTerm" in p) body.net_payment_term = p.netPaymentTerm ?? undefined;
  if ("documentNumbering" in p) body.document_numbering = p.documentNumbering ?? undefined;
  if ("documentNumberPrefix" in p) body.document_number_prefix = p.documentNumberPrefix ?? undefined;
  if ("finalizeZeroAmountInvoice" in p) body.finalize_zero_amount_invoice = p.finalizeZeroAmountInvoice ?? undefined;
  if ("emailSettings" in p) body.email_settings = p.emailSettings ?? [];
  // The billing configuration's members are managed one by one: only those in play are sent.
  const billing: NonNullable<OrganizationBody["billing_configuration"]> = {};
  if ("invoiceFooter" in p) billing.invoice_footer = p.invoiceFooter ?? null;
  if ("invoiceGracePeriod" in p) billing.invoice_grace_period = p.invoiceGracePeriod ?? 0;
  if ("documentLocale" in p) billing.document_locale = p.documentLocale ?? "en";
  if (Object.keys(billing).length) body.billing_configuration = billing;
  if ("legalName" in p) body.legal_name = p.legalName ?? null;
  if ("legalNumber" in p) body.legal_number = p.legalNumber ?? null;
  if ("taxIdentificationNumber" in p) body.tax_identification_number = p.taxIdentificationNumber ?? null;
  if ("email" in p) body.email = p.email ?? null;
  if ("addressLine1" in p) body.address_line1 = p.addressLine1 ?? null;
  if ("addressLine2" in p) body.address_line2 = p.addressLine2 ?? null;
  if ("city" in p) body.city = p.city ?? null;
  if ("state" in p) body.state = p.state ?? null;
  if ("zipcode" in p) body.zipcode = p.zipcode ?? null;
  if ("country" in p) body.country = p.country ?? null;
  return body;
}

export function toArgs(r: LagoOrganization): OrganizationArgs {
  const b = r.billing_configuration;
  return {
    defaultCurrency: r.default_currency,
    timezone: r.timezone,
    netPaymentTerm: r.net_payment_term,
    documentNumbering: r.document_numbering,
    documentNumberPrefix: r.document_number_prefix,
    finalizeZeroAmountInvoice: r.finalize_zero_amount_invoice,
    emailSettings: (r.email_settings ?? []).filter(isEmailSetting),
    invoiceFooter: b.invoice_footer ?? null,
    invoiceGracePeriod: b.invoice_grace_period ?? null,
    documentLocale: b.document_locale && isDocumentLocale(b.document_locale) ? b.document_locale : null,
    legalName: r.legal_name ?? null,
    legalNumber: r.legal_number ?? null,
    taxIdentificationNumber: r.tax_identification_number ?? null,
    email: r.email ?? null,
    addressLine1: r.address_line1 ?? null,
    addressLine2: r.address_line2 ?? null,
    city: r.city ?? null,
    state: r.state ?? null,
    zipcode: r.zipcode ?? null,
    country: r.country ?? null,
  };
}

export const outputs = (r: LagoOrganization): Args => ({ lagoId: r.lago_id, name: r.name, createdAt: r.created_at });

const upper = (v: unknown) => (typeof v === "string" ? v.toUpperCase() : v);

/** Lago's defaults (organization.rb): a setting at its default reads as unset. */
const DEFAULTS: Args = { timezone: "UTC", netPaymentTerm: 0, documentNumbering: "per_customer", finalizeZeroAmountInvoice: true, invoiceGracePeriod: 0, documentLocale: "en" };

/** Comparable form: Lago's defaults and blanks unset; Lago upper-cases the country and the prefix; settings are sets. */
export function normalize(args: OrganizationArgs): Args {
  const out: Args = { ...args };
  for (const [k, v] of Object.entries(DEFAULTS)) if (out[k] === v) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v === "") delete out[k];
  if (out.country) out.country = upper(out.country);
  if (out.documentNumberPrefix) out.documentNumberPrefix = upper(out.documentNumberPrefix);
  if (Array.isArray(args.emailSettings)) out.emailSettings = args.emailSettings.length ? [...new Set(args.emailSettings)].sort() : undefined;
  return out;
}
