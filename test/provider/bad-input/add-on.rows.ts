// Bad AddOn specs (lago-api.md §6; app/models/add_on.rb validates name, code, amount_cents > 0, the currency).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "addOn", args: { name: "Onboarding", code: "onboarding", amountCents: 50000, amountCurrency: "USD" } };
const addOn = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const CENTS = "amountCents must be a whole number of cents above 0 (10000 is 100.00)";

export const rows: BadInputRow[] = [
  { name: "missing name", kind: "addOn", args: addOn({ name: undefined }), failure: { property: "name", reason: "name is required (the add-on's display name)" } },
  { name: "blank code", kind: "addOn", args: addOn({ code: " " }), failure: { property: "code", reason: "code must not be blank (the code one-off invoices name the add-on by)" } },
  { name: "missing amount", kind: "addOn", args: addOn({ amountCents: undefined }), failure: { property: "amountCents", reason: CENTS } },
  { name: "zero amount", kind: "addOn", args: addOn({ amountCents: 0 }), failure: { property: "amountCents", reason: CENTS } },
  { name: "negative amount", kind: "addOn", args: addOn({ amountCents: -100 }), failure: { property: "amountCents", reason: CENTS } },
  { name: "amount in currency units", kind: "addOn", args: addOn({ amountCents: 499.5 }), failure: { property: "amountCents", reason: CENTS } },
  { name: "amount as text", kind: "addOn", args: addOn({ amountCents: "500" }), failure: { property: "amountCents", reason: CENTS } },
  { name: "missing currency", kind: "addOn", args: addOn({ amountCurrency: undefined }), failure: { property: "amountCurrency", reason: 'amountCurrency is required: an ISO 4217 currency code Lago supports, e.g. "USD"' } },
  { name: "lower-case currency", kind: "addOn", args: addOn({ amountCurrency: "usd" }), failure: { property: "amountCurrency", reason: 'amountCurrency "usd" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' } },
  { name: "tax codes as a string", kind: "addOn", args: addOn({ taxCodes: "vat" }), failure: { property: "taxCodes", reason: "taxCodes must be a list of tax codes" } },
  { name: "blank tax code", kind: "addOn", args: addOn({ taxCodes: ["vat", ""] }), failure: { property: "taxCodes[1]", reason: "taxCodes[1] must not be blank (a Lago tax code)" } },
  { name: "a plan's field", kind: "addOn", args: addOn({ interval: "monthly" }), failure: { property: "", reason: "interval does not apply to an add-on" } },
];
