// Customer: arguments ↔ Lago's `customer` object (lago-api.md §4.2–4.4).
import { camelCase } from "../../errors";
import type { Args } from "../../kind";

type Address = Record<"address_line1" | "address_line2" | "city" | "state" | "zipcode" | "country", string | null>;

/** The fields of Lago's customer response the provider reads. */
export interface LagoCustomer extends Address {
  lago_id: string;
  external_id: string;
  sequential_id: number;
  slug: string;
  created_at: string;
  updated_at: string;
  applicable_timezone: string;
  billing_entity_code: string;
  name: string | null;
  firstname: string | null;
  lastname: string | null;
  legal_name: string | null;
  legal_number: string | null;
  tax_identification_number: string | null;
  email: string | null;
  url: string | null;
  phone: string | null;
  logo_url: string | null;
  external_salesforce_id: string | null;
  customer_type: string | null;
  currency: string | null;
  timezone: string | null;
  net_payment_term: number | null;
  finalize_zero_amount_invoice: string;
  shipping_address: Address;
  billing_configuration: { invoice_grace_period: number | null; document_locale: string | null };
  metadata: Array<{ lago_id: string; key: string; value: string; display_in_invoice: boolean }>;
  taxes: Array<{ code: string }>;
}

/** Plain attributes: the argument is the camelCase of the Lago field. */
const PLAIN = [
  "external_id", "name", "firstname", "lastname", "legal_name", "legal_number", "tax_identification_number", "email",
  "url", "phone", "logo_url", "external_salesforce_id", "customer_type", "address_line1", "address_line2", "city",
  "state", "zipcode", "country", "currency", "timezone", "net_payment_term", "finalize_zero_amount_invoice",
] as const;
const ADDRESS = ["address_line1", "address_line2", "city", "state", "zipcode", "country"] as const;

export const CUSTOMER_ARGS = [...PLAIN.map(camelCase), "shippingAddress", "taxCodes", "billingConfiguration", "metadata"] as const;

/** Lago field → argument where it is not the camelCase of one (shipping fields are flattened in Lago's errors). */
export const argForField = (field: string): string | undefined => {
  if (field === "shipping_country") return "shippingAddress.country";
  if (field === "invoice_grace_period" || field === "document_locale") return `billingConfiguration.${camelCase(field)}`;
  if (field === "key" || field === "value") return `metadata[].${field}`;
  if (field === "tax_not_found") return "taxCodes";
  return undefined;
};

type MetadataArg = { key: string; value: string; displayInInvoice?: boolean };

/** Nested objects are managed whole: every member is sent, null when unset. */
const addressToWire = (address: Args | null | undefined) =>
  Object.fromEntries(ADDRESS.map((f) => [f, (address?.[camelCase(f)] as string | undefined) ?? null]));

/**
 * The `customer` body for the arguments in `payload`. Metadata is matched to Lago's rows by key so
 * kept entries carry their id (Lago reconciles by id, §4.3).
 */
export function toWire(externalId: string, payload: Args, current?: LagoCustomer): Record<string, unknown> {
  const wire: Record<string, unknown> = { external_id: externalId };
  for (const field of PLAIN) {
    const arg = camelCase(field);
    if (arg in payload) wire[field] = payload[arg];
  }
  if ("shippingAddress" in payload) wire.shipping_address = addressToWire(payload.shippingAddress as Args | null);
  if ("taxCodes" in payload) wire.tax_codes = payload.taxCodes ?? [];
  if ("billingConfiguration" in payload) {
    const billing = (payload.billingConfiguration ?? {}) as Args;
    wire.billing_configuration = { invoice_grace_period: billing.invoiceGracePeriod ?? null, document_locale: billing.documentLocale ?? null };
  }
  if ("metadata" in payload) {
    wire.metadata = ((payload.metadata ?? []) as MetadataArg[]).map((m) => {
      const id = current?.metadata.find((row) => row.key === m.key)?.lago_id;
      return { ...(id ? { id } : {}), key: m.key, value: m.value, display_in_invoice: m.displayInInvoice ?? false };
    });
  }
  return wire;
}

const addressArgs = (address: Address | undefined): Args | null => {
  const out = Object.fromEntries(ADDRESS.filter((f) => address?.[f] != null).map((f) => [camelCase(f), address![f]]));
  return Object.keys(out).length ? out : null;
};

export function toArgs(remote: LagoCustomer): Args {
  const args: Args = Object.fromEntries(PLAIN.map((f) => [camelCase(f), remote[f]]));
  args.shippingAddress = addressArgs(remote.shipping_address);
  args.taxCodes = remote.taxes.map((t) => t.code);
  const billing = remote.billing_configuration ?? { invoice_grace_period: null, document_locale: null };
  args.billingConfiguration =
    billing.invoice_grace_period == null && billing.document_locale == null
      ? null
      : { invoiceGracePeriod: billing.invoice_grace_period, documentLocale: billing.document_locale };
  args.metadata = remote.metadata.map((m) => ({ key: m.key, value: m.value, displayInInvoice: m.display_in_invoice }));
  return args;
}

export const outputs = (remote: LagoCustomer): Args => ({
  lagoId: remote.lago_id,
  createdAt: remote.created_at,
  sequentialId: remote.sequential_id,
  slug: remote.slug,
  applicableTimezone: remote.applicable_timezone,
  billingEntityCode: remote.billing_entity_code,
});

const upper = (v: unknown) => (typeof v === "string" ? v.toUpperCase() : v);
const dropBlank = (o: Args): Args | undefined => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  return Object.keys(kept).length ? kept : undefined;
};

/** Comparable form: Lago's defaults and blanks dropped, countries upper-cased, lists as sorted sets. */
export function normalize(args: Args): Args {
  const out: Args = { ...args };
  for (const [k, v] of Object.entries(out)) if (v === "") delete out[k];
  if (out.country) out.country = upper(out.country);
  if (out.finalizeZeroAmountInvoice === "inherit") delete out.finalizeZeroAmountInvoice;
  if (out.shippingAddress && typeof out.shippingAddress === "object") {
    const address = { ...(out.shippingAddress as Args) };
    if (address.country) address.country = upper(address.country);
    out.shippingAddress = dropBlank(address);
  }
  if (out.billingConfiguration && typeof out.billingConfiguration === "object") out.billingConfiguration = dropBlank(out.billingConfiguration as Args);
  if (Array.isArray(out.taxCodes)) out.taxCodes = out.taxCodes.length ? [...new Set(out.taxCodes as string[])].sort() : undefined;
  if (Array.isArray(out.metadata)) {
    const items = (out.metadata as MetadataArg[])
      .map((m) => ({ key: m.key, value: m.value, ...(m.displayInInvoice ? { displayInInvoice: true } : {}) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    out.metadata = items.length ? items : undefined;
  }
  return out;
}
