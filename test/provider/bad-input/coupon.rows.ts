// Bad Coupon specs (lago-api.md §7; app/models/coupon.rb, coupons/create_service.rb).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "coupon", args: { name: "Launch", code: "launch", couponType: "fixed_amount", amountCents: 1000, amountCurrency: "USD", frequency: "once" } };
const coupon = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const percentage = (args: Record<string, unknown>) => coupon({ couponType: "percentage", amountCents: undefined, amountCurrency: undefined, percentageRate: "10", ...args });

export const rows: BadInputRow[] = [
  { name: "unknown coupon type", kind: "coupon", args: coupon({ couponType: "free_month" }), failure: { property: "couponType", reason: "couponType must be one of fixed_amount, percentage" } },
  { name: "fixed amount without amount", kind: "coupon", args: coupon({ amountCents: undefined }), failure: { property: "amountCents", reason: "amountCents is required for a fixed_amount coupon (1000 is 10.00)" } },
  { name: "fixed amount without currency", kind: "coupon", args: coupon({ amountCurrency: undefined }), failure: { property: "amountCurrency", reason: 'amountCurrency is required for a fixed_amount coupon (e.g. "USD")' } },
  { name: "zero amount", kind: "coupon", args: coupon({ amountCents: 0 }), failure: { property: "amountCents", reason: "amountCents must be a whole number of cents above 0 (1000 is 10.00)" } },
  { name: "fixed amount with a rate", kind: "coupon", args: coupon({ percentageRate: "10" }), failure: { property: "percentageRate", reason: "percentageRate applies to percentage coupons only: drop it, or set couponType: percentage" } },
  { name: "percentage without rate", kind: "coupon", args: percentage({ percentageRate: undefined }), failure: { property: "percentageRate", reason: 'percentageRate is required for a percentage coupon ("10" is 10 %)' } },
  { name: "percentage above 100", kind: "coupon", args: percentage({ percentageRate: "150" }), failure: { property: "percentageRate", reason: "percentageRate must be a percentage above 0, at most 100 (got 150)" } },
  { name: "percentage with an amount", kind: "coupon", args: percentage({ amountCents: 500 }), failure: { property: "amountCents", reason: "amountCents applies to fixed_amount coupons only: drop it, or set couponType: fixed_amount" } },
  { name: "recurring without duration", kind: "coupon", args: coupon({ frequency: "recurring" }), failure: { property: "frequencyDuration", reason: "frequencyDuration is required for a recurring coupon (the number of billing periods)" } },
  { name: "duration on a once coupon", kind: "coupon", args: coupon({ frequencyDuration: 3 }), failure: { property: "frequencyDuration", reason: "frequencyDuration applies to recurring coupons only (this one is once): drop it" } },
  { name: "unknown frequency", kind: "coupon", args: coupon({ frequency: "monthly" }), failure: { property: "frequency", reason: "frequency must be one of once, recurring, forever" } },
  { name: "time limit without date", kind: "coupon", args: coupon({ expiration: "time_limit" }), failure: { property: "expirationAt", reason: "expirationAt is required with expiration: time_limit (the date after which it cannot be applied)" } },
  { name: "date without time limit", kind: "coupon", args: coupon({ expirationAt: "2030-01-01T00:00:00Z" }), failure: { property: "expirationAt", reason: "expirationAt needs expiration: time_limit (Lago ignores the date otherwise)" } },
  { name: "date that is not a date", kind: "coupon", args: coupon({ expiration: "time_limit", expirationAt: "next year" }), failure: { property: "expirationAt", reason: 'expirationAt must be an ISO 8601 date-time such as "2026-12-31T23:59:59Z"' } },
  { name: "limited to plans and metrics", kind: "coupon", args: coupon({ planCodes: ["team"], billableMetricCodes: ["mtu"] }), failure: { property: "billableMetricCodes", reason: "billableMetricCodes cannot be set with planCodes: a coupon is limited to plans or to metrics (Lago: only_one_limitation_type_per_coupon_allowed)" } },
];
