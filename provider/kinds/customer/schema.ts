// Customer arguments and Lago's rules for them (lago-api.md §4.2), checked before any API call.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { ALWAYS_RUN, identifierArg, providerOptions } from "../../schema";

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
/** ISO 3166 alpha-2, any case (Lago upper-cases it). */
export const isCountryCode = (value: string): boolean => {
  if (!/^[A-Za-z]{2}$/.test(value)) return false;
  const name = regionNames.of(value.toUpperCase());
  return name !== undefined && name !== value.toUpperCase() && name !== "Unknown Region";
};

const TIMEZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);

// Lago's e-mail check: dot-separated local atoms, '@', dot-separated host labels; a comma list allowed.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

const text = () => z.string().nullish();
const country = () =>
  z.string().refine(isCountryCode, { error: (i) => `"${String(i.input)}" is not an ISO 3166 alpha-2 country code (e.g. "FR")` }).nullish();

export const addressShape = {
  addressLine1: text(),
  addressLine2: text(),
  city: text(),
  state: text(),
  zipcode: text(),
};

export const metadataEntrySchema = z.object({
  /** At most 20 characters; unique per customer. */
  key: z.string().trim().min(1, "is required").max(20, "must be at most 20 characters"),
  /** At most 100 characters. */
  value: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  displayInInvoice: z.boolean().optional(),
});

/** Customer::PAYMENT_PROVIDERS (app/models/customer.rb). */
export const PAYMENT_PROVIDERS = ["stripe", "gocardless", "cashfree", "adyen", "flutterwave", "moneyhash"] as const;
/** PaymentProviderCustomers::StripeCustomer::PAYMENT_METHODS. */
export const STRIPE_PAYMENT_METHODS = ["card", "sepa_debit", "us_bank_account", "bacs_debit", "link", "boleto", "crypto", "customer_balance"] as const;

const billingConfigurationSchema = z
  .object({
    invoiceGracePeriod: z.number().int("must be a whole number of days").min(0, "must be 0 or more days").nullish(),
    documentLocale: text(),
    /** The payment provider connected to the organization (in Lago's UI) that collects this customer's invoices. */
    paymentProvider: z.enum(PAYMENT_PROVIDERS, { error: `must be one of ${PAYMENT_PROVIDERS.join(", ")}` }).nullish(),
    /** That provider's code in Lago (Settings → Integrations). */
    paymentProviderCode: text(),
    /** The customer's id at the provider (Stripe's cus_…): Lago links the customer to the provider with it. */
    providerCustomerId: text(),
    /** Stripe only; Lago's default is ["card"]. */
    providerPaymentMethods: z.array(z.enum(STRIPE_PAYMENT_METHODS, { error: `must be one of ${STRIPE_PAYMENT_METHODS.join(", ")}` })).min(1, "needs at least one method (Lago's default is [\"card\"])").nullish(),
  })
  .superRefine((b, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    const provider = typeof b.paymentProvider === "string" ? b.paymentProvider : undefined;
    if (provider) {
      // Lago links a new customer only when it is given the provider customer (customers/upsert_from_api_service.rb);
      // creating it at the provider (sync_with_provider) is Lago's job in the background, outside what a stack declares.
      if (!b.providerCustomerId) issue("providerCustomerId", `is required with paymentProvider: the customer's id at ${provider} (Lago links the customer only with it)`);
      if (!b.paymentProviderCode) issue("paymentProviderCode", `is required with paymentProvider: the code of the ${provider} connection in Lago (Settings → Integrations)`);
    } else {
      for (const field of ["paymentProviderCode", "providerCustomerId", "providerPaymentMethods"] as const)
        if (b[field] !== undefined && b[field] !== null) issue(field, "needs paymentProvider: set it, or remove this field");
    }
    const methods = Array.isArray(b.providerPaymentMethods) ? (b.providerPaymentMethods as string[]) : undefined;
    if (methods && provider && provider !== "stripe") issue("providerPaymentMethods", `applies to stripe only, not ${provider}: remove it`);
    if (methods?.includes("link") && !methods.includes("card")) issue("providerPaymentMethods", 'lists "link" without "card": Stripe Link needs card');
    if (methods?.includes("customer_balance") && methods.length > 1) issue("providerPaymentMethods", '"customer_balance" cannot be combined with other methods');
  }, ALWAYS_RUN);

export const shippingAddressSchema = z.object({ ...addressShape, country: country() });

export const customerSchema = z
  .object({
    /** Your id for the customer; Lago addresses customers by it. Changing it creates another customer. */
    externalId: identifierArg("your id for this customer"),
    name: z.string().max(255, "must be at most 255 characters").nullish(),
    firstname: text(),
    lastname: text(),
    legalName: text(),
    legalNumber: text(),
    taxIdentificationNumber: text(),
    /** One address, or a comma-separated list. */
    email: z
      .string()
      .refine((s) => s.split(",").every((e) => EMAIL.test(e.trim())), { error: (i) => `"${String(i.input)}" is not a valid e-mail address (a comma-separated list is allowed)` })
      .nullish(),
    url: text(),
    phone: text(),
    logoUrl: text(),
    externalSalesforceId: text(),
    customerType: z.enum(["company", "individual"], { error: "must be company or individual" }).nullish(),
    ...addressShape,
    country: country(),
    /** Managed as a whole: members left out are cleared. */
    shippingAddress: shippingAddressSchema.nullish(),
    /** ISO 4217, upper case; cannot change once the customer has subscriptions. */
    currency: z.string().refine(isLagoCurrency, { error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")` }).nullish(),
    /** IANA time zone (premium). */
    timezone: z.string().refine((tz) => TIMEZONES.has(tz), { error: (i) => `"${String(i.input)}" is not an IANA time zone (e.g. "Europe/Paris")` }).nullish(),
    netPaymentTerm: z.number().int("must be a whole number of days").min(0, "must be 0 or more days").nullish(),
    finalizeZeroAmountInvoice: z.enum(["inherit", "skip", "finalize"], { error: "must be inherit, skip or finalize" }).nullish(),
    taxCodes: z.array(identifierArg("a Lago tax code")).optional(),
    /** Managed as a whole: a payment provider left out is unlinked. `invoiceGracePeriod` is premium. */
    billingConfiguration: billingConfigurationSchema.nullish(),
    /** At most 5 entries. */
    metadata: z
      .array(metadataEntrySchema)
      .max(5, "holds at most 5 entries (Lago: invalid_count)")
      .optional(),
    ...providerOptions,
  })
  .superRefine((c, ctx) => {
    if (!Array.isArray(c.metadata)) return;
    const seen = new Set<string>();
    c.metadata.forEach((m, i) => {
      const key = (m as { key?: unknown })?.key;
      if (typeof key !== "string") return;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["metadata", i, "key"], message: `"${key}" is used twice (Lago: value_already_exist)` });
      seen.add(key);
    });
  }, ALWAYS_RUN);

export type CustomerInputs = z.infer<typeof customerSchema>;
