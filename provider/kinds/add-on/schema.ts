// AddOn arguments and Lago's rules for them (lago-api.md §6; app/models/add_on.rb), checked before any API call.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { identifierArg, providerOptions } from "../../schema";

export const addOnShape = {
  /** Shown on invoices unless `invoiceDisplayName` is set. */
  name: identifierArg("the add-on's display name"),
  /** Unique among live add-ons; one-off invoices and plans' fixed charges name the add-on by it. */
  code: identifierArg("the code one-off invoices name the add-on by"),
  /** The default price in cents (10000 = 100.00), above 0. */
  amountCents: z
    .number({ error: "must be a whole number of cents above 0 (10000 is 100.00)" })
    .refine((n) => Number.isSafeInteger(n) && n > 0, { message: "must be a whole number of cents above 0 (10000 is 100.00)" }),
  /** ISO 4217, upper case. */
  amountCurrency: z.string({ error: 'is required: an ISO 4217 currency code Lago supports, e.g. "USD"' }).refine(isLagoCurrency, {
    error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")`,
  }),
  invoiceDisplayName: z.string({ error: "must be a string" }).nullish(),
  description: z.string({ error: "must be a string" }).nullish(),
  /** Taxes applied to the add-on's fees, by code. */
  taxCodes: z.array(identifierArg("a Lago tax code"), { error: "must be a list of tax codes" }).optional(),
  ...providerOptions,
};

export const addOnSchema = z.strictObject(addOnShape, {
  error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to an add-on` : undefined),
});

export type AddOnInputs = z.infer<typeof addOnSchema>;
