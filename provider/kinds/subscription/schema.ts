// Subscription arguments (lago-api.md §5.2). The plan and customer are named by code and external
// id; the resource class fills them from Plan / Customer resources when those are given.
import { z } from "zod";
import { ALWAYS_RUN, identifierArg, providerOptions } from "../../schema";
import { planOverridesSchema } from "./overrides";

export const BILLING_TIMES = ["calendar", "anniversary"] as const;


/** ISO 8601 as Lago parses it; a date alone means midnight UTC. */
const instant = z
  .string({ error: 'must be an ISO 8601 date-time such as "2025-01-01T00:00:00Z"' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 date-time such as "2025-01-01T00:00:00Z"',
  });

export const subscriptionShape = {
  /** Your id for the subscription (no "/": Lago uses it in URL paths); events name it. Changing it starts another subscription. */
  externalId: identifierArg("your id for this subscription").refine((s) => !s.includes("/"), { message: 'must not contain "/": Lago uses it in URL paths' }),
  /** The customer by external id (or pass `customer`: a Customer resource). Changing the customer replaces the subscription. */
  externalCustomerId: identifierArg("the customer's external id, or pass customer: a Customer resource"),
  /** The plan by code (or pass `plan`: a Plan resource). A change is a plan change: an upgrade applies now, a downgrade at the end of the period. */
  planCode: identifierArg("the plan code, or pass plan: a Plan resource"),
  name: z.string({ error: "must be a string" }).optional(),
  /** calendar (default) or anniversary; changing it replaces the subscription. */
  billingTime: z.enum(BILLING_TIMES, { error: `must be one of ${BILLING_TIMES.join(", ")}` }).optional(),
  /** ISO 8601; in the future the subscription starts pending. */
  subscriptionAt: instant.optional(),
  /** ISO 8601; Lago terminates the subscription then. */
  endingAt: instant.optional(),
  /**
   * This subscription's own prices (premium in Lago): the plan's amount, currency, texts, trial, taxes, minimum
   * commitment, usage thresholds, and its charges' properties, filters, minimum, display name and taxes. A charge
   * override names the plan's charge by code (or billableMetricCode); properties given replace those keys only.
   * Only what is written here is managed; taking an override out returns that field to the plan's value.
   */
  planOverrides: planOverridesSchema.optional(),
  ...providerOptions,
};

export const subscriptionSchema = z
  .strictObject(subscriptionShape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to a subscription` : undefined),
  })
  .superRefine((sub, ctx) => {
    const start = typeof sub.subscriptionAt === "string" ? Date.parse(sub.subscriptionAt) : Number.NaN;
    const end = typeof sub.endingAt === "string" ? Date.parse(sub.endingAt) : Number.NaN;
    if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start)
      ctx.addIssue({ code: "custom", path: ["endingAt"], message: `must be after subscriptionAt (${sub.subscriptionAt})` });
  }, ALWAYS_RUN);

export type SubscriptionArgs = z.infer<typeof subscriptionSchema>;
