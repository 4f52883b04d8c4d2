// Bad AppliedCoupon specs (lago-api.md §7; app/services/applied_coupons/create_service.rb, app/models/applied_coupon.rb).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "appliedCoupon", args: { externalCustomerId: "acme", couponCode: "launch" } };
const applied = (args: Record<string, unknown>) => ({ ...base.args, ...args });

export const rows: BadInputRow[] = [
  { name: "missing customer", kind: "appliedCoupon", args: applied({ externalCustomerId: undefined }), failure: { property: "externalCustomerId", reason: "externalCustomerId is required (the customer's external id, or pass customer: a Customer resource)" } },
  { name: "blank customer", kind: "appliedCoupon", args: applied({ externalCustomerId: "" }), failure: { property: "externalCustomerId", reason: "externalCustomerId must not be blank (the customer's external id, or pass customer: a Customer resource)" } },
  { name: "missing coupon", kind: "appliedCoupon", args: applied({ couponCode: undefined }), failure: { property: "couponCode", reason: "couponCode is required (the coupon's code, or pass coupon: a Coupon resource)" } },
  { name: "unknown frequency", kind: "appliedCoupon", args: applied({ frequency: "weekly" }), failure: { property: "frequency", reason: "frequency must be one of once, recurring, forever" } },
  { name: "zero duration", kind: "appliedCoupon", args: applied({ frequency: "recurring", frequencyDuration: 0 }), failure: { property: "frequencyDuration", reason: "frequencyDuration must be a whole number of billing periods above 0" } },
  { name: "duration on a once application", kind: "appliedCoupon", args: applied({ frequency: "once", frequencyDuration: 2 }), failure: { property: "frequencyDuration", reason: "frequencyDuration applies to a recurring frequency only (this one is once): drop it" } },
  { name: "negative amount", kind: "appliedCoupon", args: applied({ amountCents: -5 }), failure: { property: "amountCents", reason: "amountCents must be a whole number of cents above 0 (1000 is 10.00)" } },
  { name: "amount in currency units", kind: "appliedCoupon", args: applied({ amountCents: 9.99 }), failure: { property: "amountCents", reason: "amountCents must be a whole number of cents above 0 (1000 is 10.00)" } },
  { name: "lower-case currency", kind: "appliedCoupon", args: applied({ amountCurrency: "eur" }), failure: { property: "amountCurrency", reason: 'amountCurrency "eur" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' } },
  { name: "rate above 100", kind: "appliedCoupon", args: applied({ percentageRate: 120 }), failure: { property: "percentageRate", reason: "percentageRate must be a percentage above 0, at most 100 (got 120)" } },
  { name: "rate and amount together", kind: "appliedCoupon", args: applied({ percentageRate: "10", amountCents: 100 }), failure: { property: "percentageRate", reason: "percentageRate cannot be set with amountCents or amountCurrency: a coupon is a fixed amount or a percentage" } },
  { name: "a coupon's field", kind: "appliedCoupon", args: applied({ reusable: false }), failure: { property: "", reason: "reusable does not apply to an applied coupon" } },
];
