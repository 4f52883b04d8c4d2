// Coupon arguments and Lago's rules for them (lago-api.md §7; app/models/coupon.rb, coupons/create_service.rb),
// checked before any API call.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { decimalProblem } from "../../decimal";
import { ALWAYS_RUN, identifierArg, known, providerOptions } from "../../schema";

export const COUPON_TYPES = ["fixed_amount", "percentage"] as const;
export const FREQUENCIES = ["once", "recurring", "forever"] as const;
export const EXPIRATIONS = ["no_expiration", "time_limit"] as const;

const wholeAbove0 = (what: string) =>
  z.number({ error: `must be ${what}` }).refine((n) => Number.isSafeInteger(n) && n > 0, { message: `must be ${what}` });

/** ISO 8601 as Lago parses it (Utils::Datetime.valid_format?). */
export const instant = z
  .string({ error: 'must be an ISO 8601 date-time such as "2026-12-31T23:59:59Z"' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 date-time such as "2026-12-31T23:59:59Z"',
  });

const rate = z.custom<string | number>((v) => decimalProblem(v) === undefined && Number(v) > 0 && Number(v) <= 100, {
  error: (issue) => decimalProblem(issue.input) ?? `must be a percentage above 0, at most 100 (got ${String(issue.input)})`,
});

export const couponShape = {
  name: identifierArg("the coupon's display name"),
  /** Unique among live coupons; applied coupons name it. Frozen once the coupon has been applied. */
  code: identifierArg("the code customers' applied coupons name"),
  description: z.string({ error: "must be a string" }).nullish(),
  /** fixed_amount (amountCents + amountCurrency) or percentage (percentageRate). Frozen once applied. */
  couponType: z.enum(COUPON_TYPES, { error: `must be one of ${COUPON_TYPES.join(", ")}` }),
  /** fixed_amount only: the discount in cents (1000 = 10.00). */
  amountCents: wholeAbove0("a whole number of cents above 0 (1000 is 10.00)").nullish(),
  /** fixed_amount only: ISO 4217, upper case. */
  amountCurrency: z
    .string({ error: "must be a currency code" })
    .refine(isLagoCurrency, { error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")` })
    .nullish(),
  /** percentage only: in percent ("10" is 10 %). */
  percentageRate: rate.nullish(),
  /** once, recurring (for frequencyDuration billing periods) or forever. Frozen once applied. */
  frequency: z.enum(FREQUENCIES, { error: `must be one of ${FREQUENCIES.join(", ")}` }),
  /** recurring only: how many billing periods the discount lasts. */
  frequencyDuration: wholeAbove0("a whole number of billing periods above 0").nullish(),
  /** Whether a customer can have the coupon applied more than once (Lago's default: true). */
  reusable: z.boolean({ error: "must be true or false" }).optional(),
  /** no_expiration (default) or time_limit (with expirationAt): after it the coupon can no longer be applied. */
  expiration: z.enum(EXPIRATIONS, { error: `must be one of ${EXPIRATIONS.join(", ")}` }).optional(),
  expirationAt: instant.nullish(),
  /** Limit the discount to these plans (not with billableMetricCodes). Frozen once applied. */
  planCodes: z.array(identifierArg("a plan code"), { error: "must be a list of plan codes" }).optional(),
  /** Limit the discount to the charges of these metrics (not with planCodes). Frozen once applied. */
  billableMetricCodes: z.array(identifierArg("a billable metric code"), { error: "must be a list of billable metric codes" }).optional(),
  ...providerOptions,
};

const present = (v: unknown) => v !== undefined && v !== null;

export const couponSchema = z
  .strictObject(couponShape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to a coupon` : undefined),
  })
  .superRefine((c, ctx) => {
    const type: unknown = c.couponType;
    if (type === "fixed_amount") {
      if (!present(c.amountCents)) ctx.addIssue({ code: "custom", path: ["amountCents"], message: "is required for a fixed_amount coupon (1000 is 10.00)" });
      if (!present(c.amountCurrency)) ctx.addIssue({ code: "custom", path: ["amountCurrency"], message: 'is required for a fixed_amount coupon (e.g. "USD")' });
      if (present(c.percentageRate)) ctx.addIssue({ code: "custom", path: ["percentageRate"], message: "applies to percentage coupons only: drop it, or set couponType: percentage" });
    }
    if (type === "percentage") {
      if (!present(c.percentageRate)) ctx.addIssue({ code: "custom", path: ["percentageRate"], message: 'is required for a percentage coupon ("10" is 10 %)' });
      for (const key of ["amountCents", "amountCurrency"] as const)
        if (present(c[key])) ctx.addIssue({ code: "custom", path: [key], message: "applies to fixed_amount coupons only: drop it, or set couponType: fixed_amount" });
    }
    const frequency: unknown = c.frequency;
    if (frequency === "recurring" && !present(c.frequencyDuration))
      ctx.addIssue({ code: "custom", path: ["frequencyDuration"], message: "is required for a recurring coupon (the number of billing periods)" });
    if (known(frequency) && frequency !== "recurring" && present(c.frequencyDuration))
      ctx.addIssue({ code: "custom", path: ["frequencyDuration"], message: `applies to recurring coupons only (this one is ${String(frequency)}): drop it` });
    const expiration: unknown = c.expiration;
    if (expiration === "time_limit" && !present(c.expirationAt))
      ctx.addIssue({ code: "custom", path: ["expirationAt"], message: "is required with expiration: time_limit (the date after which it cannot be applied)" });
    if (expiration !== "time_limit" && known(c.expirationAt))
      ctx.addIssue({ code: "custom", path: ["expirationAt"], message: "needs expiration: time_limit (Lago ignores the date otherwise)" });
    if (Array.isArray(c.planCodes) && c.planCodes.length && Array.isArray(c.billableMetricCodes) && c.billableMetricCodes.length)
      ctx.addIssue({ code: "custom", path: ["billableMetricCodes"], message: "cannot be set with planCodes: a coupon is limited to plans or to metrics (Lago: only_one_limitation_type_per_coupon_allowed)" });
  }, ALWAYS_RUN);

export type CouponInputs = z.infer<typeof couponSchema>;
