// Bad Organization settings (Lago's PUT /organizations; app/models/organization.rb validations).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "organization", args: { defaultCurrency: "EUR", netPaymentTerm: 30, documentLocale: "fr", adopt: true } };
const org = (args: Record<string, unknown>) => ({ ...base.args, ...args });

export const rows: BadInputRow[] = [
  { name: "lower-case currency", kind: "organization", args: org({ defaultCurrency: "eur" }), failure: { property: "defaultCurrency", reason: 'defaultCurrency "eur" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' } },
  { name: "unknown time zone", kind: "organization", args: org({ timezone: "Paris" }), failure: { property: "timezone", reason: 'timezone "Paris" is not an IANA time zone (e.g. "Europe/Paris")' } },
  { name: "negative payment term", kind: "organization", args: org({ netPaymentTerm: -1 }), failure: { property: "netPaymentTerm", reason: "netPaymentTerm must be a whole number of days, 0 or more" } },
  { name: "fractional grace period", kind: "organization", args: org({ invoiceGracePeriod: 1.5 }), failure: { property: "invoiceGracePeriod", reason: "invoiceGracePeriod must be a whole number of days, 0 or more" } },
  { name: "unknown numbering", kind: "organization", args: org({ documentNumbering: "per_year" }), failure: { property: "documentNumbering", reason: "documentNumbering must be per_customer or per_organization" } },
  { name: "prefix too long", kind: "organization", args: org({ documentNumberPrefix: "ACME-INVOICE" }), failure: { property: "documentNumberPrefix", reason: "documentNumberPrefix must be 1 to 10 characters" } },
  { name: "empty prefix", kind: "organization", args: org({ documentNumberPrefix: "" }), failure: { property: "documentNumberPrefix", reason: "documentNumberPrefix must be 1 to 10 characters" } },
  { name: "unknown e-mail setting", kind: "organization", args: org({ emailSettings: ["invoice.paid"] }), failure: { property: "emailSettings[0]", reason: "emailSettings[0] must be one of invoice.finalized, credit_note.created, payment_receipt.created" } },
  { name: "footer too long", kind: "organization", args: org({ invoiceFooter: "x".repeat(601) }), failure: { property: "invoiceFooter", reason: "invoiceFooter must be at most 600 characters" } },
  { name: "unknown locale", kind: "organization", args: org({ documentLocale: "klingon" }), failure: { property: "documentLocale", reason: "documentLocale must be one of en, fr, nb, de, it, es, sv, pt-BR, zh-TW" } },
  { name: "country name", kind: "organization", args: org({ country: "France" }), failure: { property: "country", reason: 'country "France" is not an ISO 3166 alpha-2 country code (e.g. "FR")' } },
  { name: "bad e-mail", kind: "organization", args: org({ email: "billing@" }), failure: { property: "email", reason: 'email "billing@" is not a valid e-mail address' } },
  { name: "a webhook URL", kind: "organization", args: org({ webhookUrl: "https://example.com/hook" }), failure: { property: "", reason: "webhookUrl does not apply to the organization (webhooks are WebhookEndpoint resources)" } },
];
