// Organization settings (Lago's PUT /organizations; app/models/organization.rb, organizations/update_service.rb),
// checked before any API call. Every setting is optional: one left out is not managed.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { providerOptions } from "../../schema";
import { isCountryCode } from "../customer/schema";

export const EMAIL_SETTINGS = ["invoice.finalized", "credit_note.created", "payment_receipt.created"] as const;
export const DOCUMENT_NUMBERINGS = ["per_customer", "per_organization"] as const;
/** The invoice languages Lago has (organization.rb validates document_locale as a language code it translates). */
export const isEmailSetting = (v: string): v is (typeof EMAIL_SETTINGS)[number] => (EMAIL_SETTINGS as readonly string[]).includes(v);
export const DOCUMENT_LOCALES = ["en", "fr", "nb", "de", "it", "es", "sv", "pt-BR", "zh-TW"] as const;
export const isDocumentLocale = (v: string): v is (typeof DOCUMENT_LOCALES)[number] => (DOCUMENT_LOCALES as readonly string[]).includes(v);
const TIMEZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

const text = () => z.string({ error: "must be a string" }).nullish();
const days = () => z.number({ error: "must be a whole number of days, 0 or more" }).refine((n) => Number.isSafeInteger(n) && n >= 0, { message: "must be a whole number of days, 0 or more" });

export const organizationShape = {
  /** ISO 4217, upper case: the currency of new customers and plans. */
  defaultCurrency: z.string({ error: "must be a currency code" }).refine(isLagoCurrency, { error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")` }).optional(),
  /** IANA time zone of billing periods (premium: Lago ignores it otherwise). */
  timezone: z.string({ error: "must be a time zone" }).refine((tz) => TIMEZONES.has(tz), { error: (i) => `"${String(i.input)}" is not an IANA time zone (e.g. "Europe/Paris")` }).optional(),
  /** Days after issue an invoice is due. */
  netPaymentTerm: days().optional(),
  /** Invoice numbers count per customer or across the organization. */
  documentNumbering: z.enum(DOCUMENT_NUMBERINGS, { error: "must be per_customer or per_organization" }).optional(),
  /** 1 to 10 characters before each invoice number; Lago upper-cases it. */
  documentNumberPrefix: z.string({ error: "must be a string" }).min(1, "must be 1 to 10 characters").max(10, "must be 1 to 10 characters").optional(),
  /** Whether invoices of 0 are finalized (true) or skipped. */
  finalizeZeroAmountInvoice: z.boolean({ error: "must be true or false" }).optional(),
  /** Which documents Lago e-mails to customers (premium). */
  emailSettings: z.array(z.enum(EMAIL_SETTINGS, { error: `must be one of ${EMAIL_SETTINGS.join(", ")}` }), { error: "must be a list" }).optional(),
  /** Printed at the bottom of invoices, at most 600 characters (Lago's billing_configuration.invoice_footer). */
  invoiceFooter: z.string({ error: "must be a string" }).max(600, "must be at most 600 characters").nullish(),
  /** Days invoices stay drafts before being finalized (premium; billing_configuration.invoice_grace_period). */
  invoiceGracePeriod: days().optional(),
  /** The language of invoices (billing_configuration.document_locale). */
  documentLocale: z.enum(DOCUMENT_LOCALES, { error: `must be one of ${DOCUMENT_LOCALES.join(", ")}` }).optional(),
  legalName: text(),
  legalNumber: text(),
  taxIdentificationNumber: text(),
  email: z.string({ error: "must be a string" }).refine((s) => EMAIL.test(s), { error: (i) => `"${String(i.input)}" is not a valid e-mail address` }).nullish(),
  addressLine1: text(),
  addressLine2: text(),
  city: text(),
  state: text(),
  zipcode: text(),
  /** ISO 3166 alpha-2 (Lago upper-cases it). */
  country: z.string({ error: "must be a country code" }).refine(isCountryCode, { error: (i) => `"${String(i.input)}" is not an ISO 3166 alpha-2 country code (e.g. "FR")` }).nullish(),
  ...providerOptions,
};

export const organizationSchema = z.strictObject(organizationShape, {
  error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to the organization (webhooks are WebhookEndpoint resources)` : undefined),
});

export type OrganizationInputs = z.infer<typeof organizationSchema>;
