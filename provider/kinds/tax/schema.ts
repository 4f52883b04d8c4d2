// Tax arguments and Lago's rules for them (lago-api.md §8; app/models/tax.rb), checked before any API call.
import { z } from "zod";
import { decimalProblem } from "../../decimal";
import { identifierArg, known, providerOptions } from "../../schema";

/** A tax rate in percent: a decimal string or an exact number, 0 to 100. */
const rate = z.custom<string | number>(
  (v) => decimalProblem(v) === undefined && Number(v) >= 0 && Number(v) <= 100,
  {
    error: (issue) => {
      if (issue.input === undefined || issue.input === null) return 'is required: the rate in percent, e.g. "20" for 20 %';
      const problem = decimalProblem(issue.input);
      if (problem) return problem;
      return `must be a percentage from 0 to 100 (got ${String(issue.input)}; 20 is 20 %)`;
    },
  },
);

export const taxShape = {
  /** Shown on invoices. */
  name: identifierArg("the tax's display name"),
  /** Plans, charges, add-ons and customers name the tax by it (`taxCodes`). Lago keeps the codes of deleted taxes: a code is used once. */
  code: identifierArg("the code plans and customers name the tax by"),
  /** In percent: "20" is 20 %. Lago stores it as a float. */
  rate,
  description: z.string({ error: "must be a string" }).nullish(),
  /** Apply the tax to every customer of the organization's default billing entity. */
  appliedToOrganization: z.boolean({ error: "must be true or false" }).optional(),
  ...providerOptions,
};

export const taxSchema = z.strictObject(taxShape, {
  error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to a tax` : undefined),
});

export type TaxInputs = z.infer<typeof taxSchema>;

/** Whether a rate is readable yet (not unknown at preview). */
export const knownRate = (v: unknown): v is string | number => known(v) && decimalProblem(v) === undefined;
