// Customer: arguments ↔ Lago's `customer` object (lago-api.md §4.2–4.4), typed by Lago's contract.
import type { Wire } from "../../contract";
import { camelCase } from "../../errors";
import type { Args, Managed } from "../../kind";
import { STRIPE_PAYMENT_METHODS, type CustomerInputs } from "./schema";

const isStripePaymentMethod = (m: string): m is (typeof STRIPE_PAYMENT_METHODS)[number] => (STRIPE_PAYMENT_METHODS as readonly string[]).includes(m);

/** Lago's customer object. */
export type LagoCustomer = Wire["CustomerObjectExtended"];
/** The `customer` body of Lago's create-or-update POST. */
export type CustomerBody = Wire["CustomerInput"];

export type CustomerArgs = Managed<CustomerInputs>;
type AddressArgs = NonNullable<CustomerArgs["shippingAddress"]>;
type AddressWire = Wire["Address"];

/** Lago field → argument where it is not the camelCase of one (shipping fields are flattened in Lago's errors). */
export const argForField = (field: string): string | undefined => {
  if (field === "shipping_country") return "shippingAddress.country";
  if (["invoice_grace_period", "document_locale", "provider_payment_methods"].includes(field)) return `billingConfiguration.${camelCase(field)}`;
  if (field === "key" || field === "value") return `metadata[].${field}`;
  if (field === "tax_not_found") return "taxCodes";
  return undefined;
};

/** Nested objects are managed whole: every member is sent, null when unset. */
const addressToWire = (a: AddressArgs | null | undefined): AddressWire => ({
  address_line1: a?.addressLine1 ?? null,
  address_line2: a?.addressLine2 ?? null,
  city: a?.city ?? null,
  state: a?.state ?? null,
  zipcode: a?.zipcode ?? null,
  country: a?.country ?? null,
});

/**
 * The `customer` body for the arguments in `payload` (absent ones are not sent). Metadata is matched to Lago's rows
 * by key so kept entries carry their id (Lago reconciles by id, §4.3).
 */
export function toWire(externalId: string, p: CustomerArgs, current?: LagoCustomer): CustomerBody {
  const body: CustomerBody = { external_id: externalId };
  if ("name" in p) body.name = p.name;
  if ("firstname" in p) body.firstname = p.firstname;
  if ("lastname" in p) body.lastname = p.lastname;
  if ("legalName" in p) body.legal_name = p.legalName;
  if ("legalNumber" in p) body.legal_number = p.legalNumber;
  if ("taxIdentificationNumber" in p) body.tax_identification_number = p.taxIdentificationNumber;
  if ("email" in p) body.email = p.email;
  if ("url" in p) body.url = p.url;
  if ("phone" in p) body.phone = p.phone;
  if ("logoUrl" in p) body.logo_url = p.logoUrl;
  if ("externalSalesforceId" in p) body.external_salesforce_id = p.externalSalesforceId;
  if ("customerType" in p) body.customer_type = p.customerType;
  if ("addressLine1" in p) body.address_line1 = p.addressLine1;
  if ("addressLine2" in p) body.address_line2 = p.addressLine2;
  if ("city" in p) body.city = p.city;
  if ("state" in p) body.state = p.state;
  if ("zipcode" in p) body.zipcode = p.zipcode;
  if ("country" in p) body.country = p.country;
  if ("currency" in p) body.currency = p.currency;
  if ("timezone" in p) body.timezone = p.timezone;
  if ("netPaymentTerm" in p) body.net_payment_term = p.netPaymentTerm;
  if ("finalizeZeroAmountInvoice" in p) body.finalize_zero_amount_invoice = p.finalizeZeroAmountInvoice ?? undefined;
  if ("shippingAddress" in p) body.shipping_address = addressToWire(p.shippingAddress);
  if ("taxCodes" in p) body.tax_codes = p.taxCodes ?? [];
  if ("billingConfiguration" in p) body.billing_configuration = billingToWire(p.billingConfiguration);
  if ("metadata" in p) {
    body.metadata = (p.metadata ?? []).map((m) => {
      const id = current?.metadata?.find((row) => row.key === m.key)?.lago_id;
      return { ...(id ? { id } : {}), key: m.key, value: m.value, display_in_invoice: m.displayInInvoice ?? false };
    });
  }
  return body;
}

type BillingArgs = NonNullable<CustomerArgs["billingConfiguration"]>;
type BillingWire = NonNullable<CustomerBody["billing_configuration"]>;

/** Managed whole: no paymentProvider unlinks the customer (Lago's `payment_provider: null`). */
function billingToWire(billing: BillingArgs | null | undefined): BillingWire {
  const provider = billing?.paymentProvider ?? null;
  return {
    invoice_grace_period: billing?.invoiceGracePeriod ?? null,
    document_locale: billing?.documentLocale ?? null,
    payment_provider: provider,
    ...(provider
      ? {
          payment_provider_code: billing?.paymentProviderCode ?? null,
          provider_customer_id: billing?.providerCustomerId ?? null,
          ...(provider === "stripe" && billing?.providerPaymentMethods ? { provider_payment_methods: billing.providerPaymentMethods } : {}),
        }
      : {}),
  };
}

function billingArgs(billing: LagoCustomer["billing_configuration"]): BillingArgs | null {
  const out: BillingArgs = {};
  if (billing?.invoice_grace_period != null) out.invoiceGracePeriod = billing.invoice_grace_period;
  if (billing?.document_locale != null) out.documentLocale = billing.document_locale;
  if (billing?.payment_provider != null) {
    out.paymentProvider = billing.payment_provider;
    if (billing.payment_provider_code != null) out.paymentProviderCode = billing.payment_provider_code;
    if (billing.provider_customer_id != null) out.providerCustomerId = billing.provider_customer_id;
    if (billing.provider_payment_methods != null) out.providerPaymentMethods = billing.provider_payment_methods.filter(isStripePaymentMethod);
  }
  return Object.keys(out).length ? out : null;
}

const addressArgs = (address: AddressWire | undefined): AddressArgs | null => {
  const out: AddressArgs = {};
  if (address?.address_line1 != null) out.addressLine1 = address.address_line1;
  if (address?.address_line2 != null) out.addressLine2 = address.address_line2;
  if (address?.city != null) out.city = address.city;
  if (address?.state != null) out.state = address.state;
  if (address?.zipcode != null) out.zipcode = address.zipcode;
  if (address?.country != null) out.country = address.country;
  return Object.keys(out).length ? out : null;
};

export function toArgs(r: LagoCustomer): CustomerArgs {
  return {
    externalId: r.external_id,
    name: r.name,
    firstname: r.firstname,
    lastname: r.lastname,
    legalName: r.legal_name,
    legalNumber: r.legal_number,
    taxIdentificationNumber: r.tax_identification_number,
    email: r.email,
    url: r.url,
    phone: r.phone,
    logoUrl: r.logo_url,
    externalSalesforceId: r.external_salesforce_id,
    customerType: r.customer_type,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    city: r.city,
    state: r.state,
    zipcode: r.zipcode,
    country: r.country,
    currency: r.currency,
    timezone: r.timezone,
    netPaymentTerm: r.net_payment_term,
    finalizeZeroAmountInvoice: r.finalize_zero_amount_invoice,
    shippingAddress: addressArgs(r.shipping_address),
    taxCodes: (r.taxes ?? []).map((t) => t.code),
    billingConfiguration: billingArgs(r.billing_configuration),
    metadata: (r.metadata ?? []).map((m) => ({ key: m.key, value: m.value, displayInInvoice: m.display_in_invoice })),
  };
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
const dropBlank = (o: object): Args | undefined => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  return Object.keys(kept).length ? kept : undefined;
};

/** Comparable form: Lago's defaults and blanks dropped, countries upper-cased, lists as sorted sets. */
export function normalize(args: CustomerArgs): Args {
  const out: Args = { ...args };
  for (const [k, v] of Object.entries(out)) if (v === "") delete out[k];
  if (out.country) out.country = upper(out.country);
  if (out.finalizeZeroAmountInvoice === "inherit") delete out.finalizeZeroAmountInvoice;
  if (args.shippingAddress && typeof args.shippingAddress === "object") {
    const address: Args = { ...args.shippingAddress };
    if (address.country) address.country = upper(address.country);
    out.shippingAddress = dropBlank(address);
  }
  if (args.billingConfiguration && typeof args.billingConfiguration === "object") {
    const billing: Args = { ...args.billingConfiguration };
    // Stripe's default methods; a set, in any order.
    const methods = Array.isArray(billing.providerPaymentMethods) ? [...new Set(billing.providerPaymentMethods as string[])].sort() : undefined;
    billing.providerPaymentMethods = billing.paymentProvider === "stripe" && methods && !(methods.length === 1 && methods[0] === "card") ? methods : undefined;
    out.billingConfiguration = dropBlank(billing);
  }
  if (Array.isArray(args.taxCodes)) out.taxCodes = args.taxCodes.length ? [...new Set(args.taxCodes)].sort() : undefined;
  if (Array.isArray(args.metadata)) {
    const items = args.metadata
      .map((m) => ({ key: m.key, value: m.value, ...(m.displayInInvoice ? { displayInInvoice: true } : {}) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    out.metadata = items.length ? items : undefined;
  }
  return out;
}
