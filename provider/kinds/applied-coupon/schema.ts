// AppliedCoupon arguments (lago-api.md §7; app/services/applied_coupons/create_service.rb): a coupon applied to a
// customer, with Lago's overrides of the coupon's amount, rate and frequency. Checked before any API call.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { decimalProblem } from "../../decimal";
import { ALWAYS_RUN, identifierArg, known, providerOptions } from "../../schema";
import { FREQUENCIES } from "../coupon/schema";

const present = (v: unknown) => v !== undefined && v !== null;

export const appliedCouponShape = {
  /** The customer, by external id (or pass `customer`: a Customer resource). */
  externalCustomerId: identifierArg("the customer's external id, or pass customer: a Customer resource"),
  /** The coupon, by code (or pass `coupon`: a Coupon resource). */
  couponCode: identifierArg("the coupon's code, or pass coupon: a Coupon resource"),
  /** Overrides the coupon's frequency for this customer. */
  frequency: z.enum(FREQUENCIES, { error: `must be one of ${FREQUENCIES.join(", ")}` }).optional(),
  /** Overrides the number of billing periods of a recurring coupon. */
  frequencyDuration: z
    .number({ error: "must be a whole number of billing periods above 0" })
    .refine((n) => Number.isSafeInteger(n) && n > 0, { message: "must be a whole number of billing periods above 0" })
    .optional(),
  /** Overrides a fixed_amount coupon's discount, in cents. */
  amountCents: z
    .number({ error: "must be a whole number of cents above 0 (1000 is 10.00)" })
    .refine((n) => Number.isSafeInteger(n) && n > 0, { message: "must be a whole number of cents above 0 (1000 is 10.00)" })
    .optional(),
  /** Overrides a fixed_amount coupon's currency (it becomes the customer's currency). */
  amountCurrency: z
    .string({ error: "must be a currency code" })
    .refine(isLagoCurrency, { error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")` })
    .optional(),
  /** Overrides a percentage coupon's rate, in percent. */
  percentageRate: z
    .custom<string | number>((v) => decimalProblem(v) === undefined && Number(v) > 0 && Number(v) <= 100, {
      error: (issue) => decimalProblem(issue.input) ?? `must be a percentage above 0, at most 100 (got ${String(issue.input)})`,
    })
    .optional(),
  ...providerOptions,
};

export const appliedCouponSchema = z
  .strictObject(appliedCouponShape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to an applied coupon` : undefined),
  })
  .superRefine((a, ctx) => {
    if (present(a.percentageRate) && (present(a.amountCents) || present(a.amountCurrency)))
      ctx.addIssue({ code: "custom", path: ["percentageRate"], message: "cannot be set with amountCents or amountCurrency: a coupon is a fixed amount or a percentage" });
    const frequency: unknown = a.frequency;
    if (known(frequency) && frequency !== "recurring" && present(a.frequencyDuration))
      ctx.addIssue({ code: "custom", path: ["frequencyDuration"], message: `applies to a recurring frequency only (this one is ${String(frequency)}): drop it` });
  }, ALWAYS_RUN);

export type AppliedCouponInputs = z.infer<typeof appliedCouponSchema>;
