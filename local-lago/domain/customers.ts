// Customer rules (lago-api.md §4; Lago's Customers::CreateService / UpdateService and the Customer
// model's validations): attributes, metadata, the currency rule, and the upsert by external_id.
import { isoSeconds, newId, type LagoContext } from "../context";
import { isLagoCurrency } from "../currencies";
import { lagoRaises, notFound, Validation, validationError } from "../errors";
import { COUNTRIES, TIMEZONES } from "../geography";
import { tables, type CustomerRow } from "../model";
import { DEFAULT_BILLING_ENTITY_CODE, resolveTaxCodes } from "../resources/taxes";
import { findPaymentProvider, isPaymentProviderType } from "./payment-providers";

/** Free-text attributes: stored as sent (cast to strings), `null` clears them. */
export const TEXT_FIELDS = [
  "name",
  "firstname",
  "lastname",
  "legal_name",
  "legal_number",
  "tax_identification_number",
  "email",
  "url",
  "phone",
  "logo_url",
  "external_salesforce_id",
  "address_line1",
  "address_line2",
  "city",
  "state",
  "zipcode",
  "country",
  "customer_type",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

const ADDRESS_FIELDS = ["address_line1", "address_line2", "city", "zipcode", "state", "country"] as const;
type Address = Record<(typeof ADDRESS_FIELDS)[number], string | null>;

/** Kept on the customer; the payment provider's own fields are handled by applyPaymentProvider. */
const BILLING_FIELDS = ["invoice_grace_period", "document_locale", "subscription_invoice_issuing_date_anchor", "subscription_invoice_issuing_date_adjustment"] as const;
type BillingConfiguration = Record<(typeof BILLING_FIELDS)[number], unknown> & { payment_provider: string | null; payment_provider_code: string | null };

/** The customer's record at a payment provider (Lago's payment_provider_customers, one per provider type). */
export interface ProviderCustomer {
  provider_customer_id: string | null;
  sync_with_provider: boolean | null;
  /** Stripe only. */
  provider_payment_methods: string[] | null;
}

/** Stripe payment methods (app/models/payment_provider_customers/stripe_customer.rb). */
const STRIPE_PAYMENT_METHODS = ["card", "sepa_debit", "us_bank_account", "bacs_debit", "link", "boleto", "crypto", "customer_balance"];
const DOCUMENT_LOCALES = ["en", "fr", "nb", "de", "it", "es", "sv", "pt-BR", "zh-TW"];
const FINALIZE_OPTIONS = ["inherit", "skip", "finalize"];
const MAX_METADATA = 5;

export interface MetadataItem {
  id: string;
  key: string;
  value: string;
  display_in_invoice: boolean;
  created_at: string;
}

export interface CustomerRecord extends CustomerRow, Record<TextField, string | null> {
  sequential_id: number;
  slug: string;
  updated_at: string;
  account_type: "customer" | "partner";
  /** Premium only (§1.10). */
  timezone: string | null;
  net_payment_term: number | null;
  finalize_zero_amount_invoice: string;
  skip_invoice_custom_sections: boolean;
  shipping_address: Address;
  billing_configuration: BillingConfiguration;
  /** By payment provider type; the current provider's one is what the API shows. */
  provider_customers: Partial<Record<string, ProviderCustomer>>;
  metadata: MetadataItem[];
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === "object" ? JSON.stringify(v) : String(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// An e-mail address as Lago checks it: dot-separated local atoms, '@', dot-separated host labels.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;
const validEmails = (value: string) => value.split(",").every((email) => EMAIL.test(email.trim()));

/** The customer with this external_id among live customers, or 404 customer_not_found. */
export function findCustomer(lago: LagoContext, externalId: string): CustomerRecord {
  const row = tables(lago.store).customers.find((c) => c.external_id === externalId && c.deleted_at === null);
  if (!row) throw notFound("customer");
  return row as CustomerRecord;
}

export const findLiveCustomer = (lago: LagoContext, externalId: string): CustomerRecord | undefined =>
  tables(lago.store).customers.find((c) => c.external_id === externalId && c.deleted_at === null) as CustomerRecord | undefined;

/** The customer's timezone, else the billing entity's (UTC here). */
export const applicableTimezone = (customer: CustomerRecord): string => customer.timezone ?? "UTC";

/** Lago's organisation document prefix: three letters of its name and the end of its id. */
const documentPrefix = (lago: LagoContext) => `LOC-${lago.organizationId.slice(-4).toUpperCase()}`;

/** A new customer row with only its external id (what POST /subscriptions auto-creates). */
export function newCustomer(lago: LagoContext, externalId: string): CustomerRecord {
  const { customers } = tables(lago.store);
  // Sequential ids count deleted customers too: they are never reused.
  const sequentialId = customers.all().reduce((max, c) => Math.max(max, (c as CustomerRecord).sequential_id ?? 0), 0) + 1;
  const now = isoSeconds(lago.now());
  return {
    id: newId(),
    external_id: externalId,
    currency: null,
    tax_ids: [],
    created_at: now,
    updated_at: now,
    deleted_at: null,
    sequential_id: sequentialId,
    slug: `${documentPrefix(lago)}-${String(sequentialId).padStart(3, "0")}`,
    account_type: "customer",
    ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, null])) as Record<TextField, null>),
    timezone: null,
    net_payment_term: null,
    finalize_zero_amount_invoice: "inherit",
    skip_invoice_custom_sections: false,
    shipping_address: Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, null])) as Address,
    billing_configuration: { ...(Object.fromEntries(BILLING_FIELDS.map((f) => [f, null])) as Record<(typeof BILLING_FIELDS)[number], null>), payment_provider: null, payment_provider_code: null },
    provider_customers: {},
    metadata: [],
  };
}

/**
 * Whether the customer's currency may still change: nothing billed in a currency is attached
 * yet (Customer#editable?). The local Lago has no invoices or applied add-ons, so subscriptions and
 * wallets (any status) and currency-bound applied coupons decide.
 */
export function customerIsEditable(lago: LagoContext, customerId: string): boolean {
  const { subscriptions, appliedCoupons, wallets } = tables(lago.store);
  if (subscriptions.find((s) => s.customer_id === customerId)) return false;
  if (wallets.find((w) => w.customer_id === customerId)) return false;
  // Fixed-amount coupons carry an amount (and currency); percentage ones do not.
  const currencyBound = (a: { amount_cents?: number | null; amount_currency?: string | null }) => (a.amount_currency ?? null) !== null || (a.amount_cents ?? null) !== null;
  return !appliedCoupons.find((a) => a.customer_id === customerId && currencyBound(a as object));
}

/**
 * Lago's currency rule. From a customer update (`customerUpdate`), a different currency is only
 * accepted while the customer is editable; from a new subscription, only when the customer has
 * no currency yet and is editable. Otherwise 422 currencies_does_not_match.
 */
export function applyCurrency(lago: LagoContext, customer: CustomerRecord, currency: string | null, customerUpdate: boolean): CustomerRecord {
  if (customer.currency === currency) return customer;
  const editable = customerIsEditable(lago, customer.id);
  const refused = customerUpdate ? !editable : customer.currency !== null || !editable;
  if (refused) throw validationError({ currency: ["currencies_does_not_match"] });
  return { ...customer, currency };
}

function validateCustomer(row: CustomerRecord, v: Validation) {
  if (blank(row.external_id)) v.add("external_id", "value_is_mandatory");
  if (row.name !== null && row.name.length > 255) v.add("name", "value_is_too_long");
  if (row.country !== null && !COUNTRIES.has(row.country)) v.add("country", "not_a_valid_country_code");
  if (row.shipping_address.country !== null && !COUNTRIES.has(row.shipping_address.country)) v.add("shipping_country", "not_a_valid_country_code");
  if (row.currency !== null && !isLagoCurrency(row.currency)) v.add("currency", "value_is_invalid");
  if (row.timezone !== null && !TIMEZONES.has(row.timezone)) v.add("timezone", "invalid_timezone");
  if (row.email !== null && row.email !== "" && !validEmails(row.email)) v.add("email", "invalid_email_format");
  if (row.net_payment_term !== null && (!Number.isFinite(row.net_payment_term) || row.net_payment_term < 0)) v.add("net_payment_term", "value_is_out_of_range");
  const grace = row.billing_configuration.invoice_grace_period;
  if (grace !== null && (typeof grace !== "number" || grace < 0)) v.add("invoice_grace_period", "value_is_out_of_range");
  const locale = row.billing_configuration.document_locale;
  if (locale !== null && !DOCUMENT_LOCALES.includes(String(locale))) v.add("document_locale", "not_a_valid_language_code");
  if (row.customer_type !== null && !["company", "individual"].includes(row.customer_type)) v.add("customer_type", "value_is_invalid");
}

const integer = (v: unknown): number | null => {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : NaN;
};

/** Writes the keys present in the request; explicit null clears (§4.3). */
function assignAttributes(lago: LagoContext, row: CustomerRecord, input: Record<string, unknown>): CustomerRecord {
  const next: CustomerRecord = { ...row, shipping_address: { ...row.shipping_address }, billing_configuration: { ...row.billing_configuration } };
  for (const field of TEXT_FIELDS) if (field in input) next[field] = text(input[field]);
  if (next.country) next.country = next.country.toUpperCase();
  if ("net_payment_term" in input) next.net_payment_term = integer(input.net_payment_term);
  if ("finalize_zero_amount_invoice" in input) next.finalize_zero_amount_invoice = (input.finalize_zero_amount_invoice as string | null) ?? "inherit";
  if ("skip_invoice_custom_sections" in input) next.skip_invoice_custom_sections = input.skip_invoice_custom_sections === true;
  // Premium-only attributes are silently ignored without a licence (§1.10).
  if (lago.premium && "timezone" in input) next.timezone = text(input.timezone);
  const shipping = isObject(input.shipping_address) ? input.shipping_address : {};
  for (const field of ADDRESS_FIELDS) if (field in shipping) next.shipping_address[field] = text(shipping[field]);
  if (next.shipping_address.country) next.shipping_address.country = next.shipping_address.country.toUpperCase();
  const billing = isObject(input.billing_configuration) ? input.billing_configuration : {};
  for (const field of BILLING_FIELDS) {
    if (!(field in billing)) continue;
    if (field === "invoice_grace_period") {
      if (lago.premium) next.billing_configuration.invoice_grace_period = integer(billing.invoice_grace_period);
    } else next.billing_configuration[field] = billing[field] ?? null;
  }
  return next;
}

const present = (v: unknown) => !blank(v);

/** The provider customer of the customer's current payment provider (Customer#provider_customer). */
export const currentProviderCustomer = (row: CustomerRecord): ProviderCustomer | undefined =>
  row.billing_configuration.payment_provider ? row.provider_customers?.[row.billing_configuration.payment_provider] : undefined;

/**
 * The payment provider part of billing_configuration, as customers/upsert_from_api_service.rb handles it. A new
 * customer (or one without a provider customer id yet) only links to a provider when it names one and asks for a
 * provider customer (`sync_with_provider` or `provider_customer_id`): the connected provider of that type and code is
 * looked up then. Otherwise `payment_provider` switches or removes the provider, and the provider customer follows.
 * `sync_with_provider` makes Lago create the customer at the provider in a job; the local Lago has no provider to call,
 * so the provider customer id stays what was sent.
 */
function applyPaymentProvider(lago: LagoContext, row: CustomerRecord, billing: Record<string, unknown>, isNew: boolean): CustomerRecord {
  const next: CustomerRecord = { ...row, billing_configuration: { ...row.billing_configuration }, provider_customers: { ...(row.provider_customers ?? {}) } };
  const config = next.billing_configuration;
  const wantsProviderCustomer = billing.sync_with_provider === true || present(billing.provider_customer_id);
  if (isNew || (wantsProviderCustomer && !present(currentProviderCustomer(row)?.provider_customer_id))) {
    if (!("payment_provider" in billing) || billing.payment_provider === null || !wantsProviderCustomer) return next;
    const provider = findPaymentProvider(lago, String(billing.payment_provider), present(billing.payment_provider_code) ? String(billing.payment_provider_code) : null);
    config.payment_provider = provider.type;
    config.payment_provider_code = provider.code;
    return withProviderCustomer(next, billing);
  }
  const hadProviderCustomer = currentProviderCustomer(row) !== undefined;
  if ("payment_provider" in billing) {
    config.payment_provider = isPaymentProviderType(billing.payment_provider) ? billing.payment_provider : null;
    if (config.payment_provider && "payment_provider_code" in billing) config.payment_provider_code = (billing.payment_provider_code as string | null) ?? null;
  }
  if (hadProviderCustomer && "payment_provider" in billing && billing.payment_provider === null) {
    config.payment_provider_code = null;
    delete next.provider_customers[row.billing_configuration.payment_provider!];
  }
  if (config.payment_provider === null) return next;
  const keep = present(billing.provider_customer_id) || present(currentProviderCustomer(next)?.provider_customer_id) || hadProviderCustomer;
  return keep ? withProviderCustomer(next, billing) : next;
}

/** PaymentProviders::<Type>::Customers::CreateService: the keys sent are written; Stripe's payment methods default to card. */
function withProviderCustomer(row: CustomerRecord, billing: Record<string, unknown>): CustomerRecord {
  const type = row.billing_configuration.payment_provider!;
  const existing = row.provider_customers[type];
  const record: ProviderCustomer = existing ? { ...existing } : { provider_customer_id: null, sync_with_provider: null, provider_payment_methods: null };
  if ("provider_customer_id" in billing) record.provider_customer_id = present(billing.provider_customer_id) ? String(billing.provider_customer_id) : null;
  if ("sync_with_provider" in billing) record.sync_with_provider = billing.sync_with_provider === true ? true : null;
  if (type === "stripe") {
    const methods = Array.isArray(billing.provider_payment_methods) && billing.provider_payment_methods.length ? billing.provider_payment_methods.map(String) : null;
    if (methods) record.provider_payment_methods = methods;
    else if (!existing) record.provider_payment_methods = ["card"];
    const v = new Validation();
    const chosen = record.provider_payment_methods ?? [];
    if (chosen.some((m) => !STRIPE_PAYMENT_METHODS.includes(m))) v.add("provider_payment_methods", "value_is_invalid");
    if (chosen.includes("link") && !chosen.includes("card")) v.add("provider_payment_methods", "value_is_invalid");
    if (chosen.includes("customer_balance") && chosen.length > 1) v.add("provider_payment_methods", "customer_balance cannot be combined with other payment methods");
    v.throwIfAny();
  }
  return { ...row, provider_customers: { ...row.provider_customers, [type]: record } };
}

/**
 * Applies `metadata` the way Lago does (§4.3): items are processed in order, an item whose `id`
 * matches is updated, any other is created, and each write is validated against the rows that
 * exist at that moment; afterwards rows not mentioned are deleted. So re-sending an existing key
 * without its id collides with the old row → `key: value_already_exist`.
 */
function reconcileMetadata(lago: LagoContext, current: MetadataItem[], input: unknown[]): MetadataItem[] {
  const now = isoSeconds(lago.now());
  let rows = [...current];
  const mentioned = new Set<string>();
  for (const item of input.filter(isObject)) {
    const existing = typeof item.id === "string" ? rows.find((m) => m.id === item.id) : undefined;
    const record: MetadataItem = {
      id: existing?.id ?? newId(),
      key: text(item.key) ?? "",
      value: text(item.value) ?? "",
      display_in_invoice: item.display_in_invoice === true,
      created_at: existing?.created_at ?? now,
    };
    const v = new Validation();
    if (blank(record.key)) v.add("key", "value_is_mandatory");
    else if (record.key.length > 20) v.add("key", "value_is_too_long");
    if (!blank(record.key) && rows.some((other) => other.id !== record.id && other.key === record.key)) v.add("key", "value_already_exist");
    if (blank(record.value)) v.add("value", "value_is_mandatory");
    else if (record.value.length > 100) v.add("value", "value_is_too_long");
    v.throwIfAny();
    rows = existing ? rows.map((m) => (m.id === record.id ? record : m)) : [...rows, record];
    mentioned.add(record.id);
  }
  return rows.filter((m) => mentioned.has(m.id));
}

/** Upsert by external_id (§4.3): create when no live customer has it, else a partial update. */
export function upsertCustomer(lago: LagoContext, input: Record<string, unknown>): CustomerRecord {
  const { customers } = tables(lago.store);
  if ("billing_entity_code" in input && !blank(input.billing_entity_code) && input.billing_entity_code !== DEFAULT_BILLING_ENTITY_CODE)
    throw notFound("billing_entity");
  const externalId = text(input.external_id)?.trim() ?? "";
  const existing = findLiveCustomer(lago, externalId);
  if (Array.isArray(input.metadata) && input.metadata.length > MAX_METADATA) throw validationError({ metadata: ["invalid_count"] });
  // `value.to_sym` in valid_finalize_zero_amount_invoice? (customers/upsert_from_api_service.rb) raises on numbers and booleans.
  const finalize = input.finalize_zero_amount_invoice;
  if (typeof finalize === "number" || typeof finalize === "boolean") throw lagoRaises("finalize_zero_amount_invoice.to_sym on a number or boolean");
  if ("finalize_zero_amount_invoice" in input && input.finalize_zero_amount_invoice !== null && !FINALIZE_OPTIONS.includes(String(input.finalize_zero_amount_invoice)))
    throw validationError({ finalize_zero_amount_invoice: ["invalid_value"] });
  const integrationTypes = (Array.isArray(input.integration_customers) ? input.integration_customers : []).map((i) => (isObject(i) ? i.integration_type : undefined));
  if (new Set(integrationTypes).size !== integrationTypes.length) throw validationError({ integration_customers: ["invalid_count_per_integration_type"] });

  let row = assignAttributes(lago, existing ?? newCustomer(lago, externalId), input);
  row = applyPaymentProvider(lago, row, isObject(input.billing_configuration) ? input.billing_configuration : {}, existing === undefined);
  if ("currency" in input) row = applyCurrency(lago, row, text(input.currency), true);
  const v = new Validation();
  validateCustomer(row, v);
  v.throwIfAny();
  if ("tax_codes" in input && input.tax_codes !== null) row = { ...row, tax_ids: resolveTaxCodes(lago, input.tax_codes) };
  if (Array.isArray(input.metadata)) row = { ...row, metadata: reconcileMetadata(lago, row.metadata, input.metadata) };
  row = { ...row, updated_at: isoSeconds(lago.now()) };
  customers.put(row);
  return row;
}
