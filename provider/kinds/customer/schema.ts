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
    /** Managed as a whole. `invoiceGracePeriod` is premium. */
    billingConfiguration: z
      .object({
        invoiceGracePeriod: z.number().int("must be a whole number of days").min(0, "must be 0 or more days").nullish(),
        documentLocale: text(),
      })
      .nullish(),
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
