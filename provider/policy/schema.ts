// A pricing policy file: the rules a pricing change must keep to, as a CI gate (`pulumi-lago preview --policy`).
// Every rule is optional; a file with none is valid and checks nothing.
import { z } from "zod";

const percent = z.number({ error: "must be a percentage, e.g. 5 for 5 %" }).refine((n) => Number.isFinite(n) && n >= 0, { message: "must be a percentage, 0 or more" });
const cents = z.number({ error: "must be an amount in the currency's minor units (cents), e.g. 2000 for 20.00" }).int({ message: "must be a whole number of minor units (cents)" }).min(0, { message: "must be 0 or more" });
const codes = (what: string) => z.array(z.string({ error: `must be ${what}` }).min(1, { message: `must be ${what}` }), { error: `must be a list of ${what}s` });

export const policySchema = z.strictObject(
  {
    /** A bill may rise by at most this much: per customer (`--customers`) and per sample level. */
    maxIncrease: z
      .strictObject({
        percent: percent.optional(),
        amountCents: cents.optional(),
        /** Which bills it applies to (default both). */
        per: z.array(z.enum(["customer", "level"], { error: 'must be "customer" or "level"' })).min(1, { message: "must name customer, level or both" }).optional(),
      })
      .refine((r) => r.percent !== undefined || r.amountCents !== undefined, { message: "needs percent, amountCents or both" })
      .optional(),
    /** Self-serve plans must have a trial of at least `minDays` (default 1). */
    requireTrial: z.strictObject({ plans: codes("a plan code"), minDays: z.number().int().min(1, { message: "must be at least 1 day" }).optional() }).optional(),
    /** Graduated and volume ranges start at 0, follow on without gap or overlap, in one bound style, and end open. */
    contiguousRanges: z.boolean({ error: "must be true or false" }).optional(),
    /** Unit prices never rise from one graduated tier to the next, except on the charges listed as `plan/chargeCode`. */
    nonIncreasingTiers: z.union([z.boolean({ error: "must be true or false, or { allow: [plan/charge …] }" }), z.strictObject({ allow: codes('"plan/charge"') })]).optional(),
    /** Plan currencies allowed. */
    currencies: z.array(z.string().regex(/^[A-Z]{3}$/, { message: "must be an ISO 4217 code such as USD" }), { error: "must be a list of currency codes" }).min(1, { message: "must list at least one currency" }).optional(),
    /** Every plan has at least one charge. */
    requireCharges: z.boolean({ error: "must be true or false" }).optional(),
    /** A plan that has subscribers is never deleted or replaced (default true). */
    noDeleteWithSubscribers: z.boolean({ error: "must be true or false" }).optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "must be a map of rules (maxIncrease, requireTrial, contiguousRanges, nonIncreasingTiers, currencies, requireCharges, noDeleteWithSubscribers)" : undefined) },
);

export type Policy = z.output<typeof policySchema>;
