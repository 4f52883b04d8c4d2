// Bad Customer specs (lago-api.md §4.2).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "customer", args: { externalId: "acme", name: "Acme", currency: "USD" } };
const customer = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const metadata = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));

export const rows: BadInputRow[] = [
  { name: "missing external id", kind: "customer", args: customer({ externalId: undefined }), failure: { property: "externalId", reason: "externalId is required (your id for this customer)" } },
  { name: "blank external id", kind: "customer", args: customer({ externalId: " " }), failure: { property: "externalId", reason: "externalId must not be blank (your id for this customer)" } },
  { name: "name too long", kind: "customer", args: customer({ name: "x".repeat(256) }), failure: { property: "name", reason: "name must be at most 255 characters" } },
  { name: "bad e-mail", kind: "customer", args: customer({ email: "billing@acme.test, nobody" }), failure: { property: "email", reason: 'email "billing@acme.test, nobody" is not a valid e-mail address (a comma-separated list is allowed)' } },
  { name: "country name", kind: "customer", args: customer({ country: "France" }), failure: { property: "country", reason: 'country "France" is not an ISO 3166 alpha-2 country code (e.g. "FR")' } },
  { name: "unknown shipping country", kind: "customer", args: customer({ shippingAddress: { city: "Lyon", country: "XX" } }), failure: { property: "shippingAddress.country", reason: 'shippingAddress.country "XX" is not an ISO 3166 alpha-2 country code (e.g. "FR")' } },
  { name: "lower-case currency", kind: "customer", args: customer({ currency: "usd" }), failure: { property: "currency", reason: 'currency "usd" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' } },
  { name: "unknown time zone", kind: "customer", args: customer({ timezone: "Mars/Olympus" }), failure: { property: "timezone", reason: 'timezone "Mars/Olympus" is not an IANA time zone (e.g. "Europe/Paris")' } },
  { name: "negative payment term", kind: "customer", args: customer({ netPaymentTerm: -1 }), failure: { property: "netPaymentTerm", reason: "netPaymentTerm must be 0 or more days" } },
  { name: "fractional payment term", kind: "customer", args: customer({ netPaymentTerm: 1.5 }), failure: { property: "netPaymentTerm", reason: "netPaymentTerm must be a whole number of days" } },
  { name: "unknown customer type", kind: "customer", args: customer({ customerType: "business" }), failure: { property: "customerType", reason: "customerType must be company or individual" } },
  { name: "unknown zero-invoice rule", kind: "customer", args: customer({ finalizeZeroAmountInvoice: "always" }), failure: { property: "finalizeZeroAmountInvoice", reason: "finalizeZeroAmountInvoice must be inherit, skip or finalize" } },
  { name: "six metadata entries", kind: "customer", args: customer({ metadata: metadata(6) }), failure: { property: "metadata", reason: "metadata holds at most 5 entries (Lago: invalid_count)" } },
  { name: "metadata key too long", kind: "customer", args: customer({ metadata: [{ key: "k".repeat(21), value: "v" }] }), failure: { property: "metadata[0].key", reason: "metadata[0].key must be at most 20 characters" } },
  { name: "metadata key twice", kind: "customer", args: customer({ metadata: [{ key: "tier", value: "a" }, { key: "tier", value: "b" }] }), failure: { property: "metadata[1].key", reason: 'metadata[1].key "tier" is used twice (Lago: value_already_exist)' } },
  { name: "negative grace period", kind: "customer", args: customer({ billingConfiguration: { invoiceGracePeriod: -2 } }), failure: { property: "billingConfiguration.invoiceGracePeriod", reason: "billingConfiguration.invoiceGracePeriod must be 0 or more days" } },
  { name: "blank tax code", kind: "customer", args: customer({ taxCodes: ["vat", ""] }), failure: { property: "taxCodes[1]", reason: "taxCodes[1] must not be blank (a Lago tax code)" } },
  // `value.to_sym` raises in Lago on a boolean (customers/upsert_from_api_service.rb): stopped before any call.
  { name: "finalize as a boolean", kind: "customer", args: customer({ finalizeZeroAmountInvoice: true }), failure: { property: "finalizeZeroAmountInvoice", reason: "finalizeZeroAmountInvoice must be inherit, skip or finalize" } },
  // The payment provider link (customers/upsert_from_api_service.rb, payment_provider_customers/stripe_customer.rb).
  { name: "unknown payment provider", kind: "customer", args: customer({ billingConfiguration: { paymentProvider: "paypal", paymentProviderCode: "pp", providerCustomerId: "x" } }), failure: { property: "billingConfiguration.paymentProvider", reason: "billingConfiguration.paymentProvider must be one of stripe, gocardless, cashfree, adyen, flutterwave, moneyhash" } },
  { name: "provider without customer id", kind: "customer", args: customer({ billingConfiguration: { paymentProvider: "stripe", paymentProviderCode: "stripe_prod" } }), failure: { property: "billingConfiguration.providerCustomerId", reason: "billingConfiguration.providerCustomerId is required with paymentProvider: the customer's id at stripe (Lago links the customer only with it)" } },
  { name: "provider customer id without provider", kind: "customer", args: customer({ billingConfiguration: { providerCustomerId: "cus_1" } }), failure: { property: "billingConfiguration.providerCustomerId", reason: "billingConfiguration.providerCustomerId needs paymentProvider: set it, or remove this field" } },
  { name: "Stripe methods on GoCardless", kind: "customer", args: customer({ billingConfiguration: { paymentProvider: "gocardless", paymentProviderCode: "gc", providerCustomerId: "CU1", providerPaymentMethods: ["card"] } }), failure: { property: "billingConfiguration.providerPaymentMethods", reason: "billingConfiguration.providerPaymentMethods applies to stripe only, not gocardless: remove it" } },
  { name: "Stripe link without card", kind: "customer", args: customer({ billingConfiguration: { paymentProvider: "stripe", paymentProviderCode: "s", providerCustomerId: "cus_1", providerPaymentMethods: ["link"] } }), failure: { property: "billingConfiguration.providerPaymentMethods", reason: 'billingConfiguration.providerPaymentMethods lists "link" without "card": Stripe Link needs card' } },
];
