// BillableMetric arguments and Lago's rules for them (lago-api.md §2.2), checked before any API call.
import { z } from "zod";
import { isUnknown } from "../../canonical";
import { ALWAYS_RUN, identifierArg, known, providerOptions } from "../../schema";

export const AGGREGATION_TYPES = ["count_agg", "sum_agg", "max_agg", "unique_count_agg", "weighted_sum_agg", "latest_agg", "custom_agg"] as const;
/** Aggregations that read no event field (§2.2). */
const WITHOUT_FIELD = ["count_agg", "custom_agg"];
/** Aggregations Lago refuses as recurring (§2.2). */
const NEVER_RECURRING = ["count_agg", "max_agg", "latest_agg"];

export const metricFilterSchema = z.object({
  key: identifierArg("the event property filtered on"),
  values: z.array(z.string(), { error: "must be a list of strings" }).min(1, "must list at least one value (Lago: value_is_mandatory)"),
});

export const billableMetricSchema = z
  .object({
    name: identifierArg("the metric's display name"),
    /** Unique among live metrics; events are sent with this code. */
    code: identifierArg("the code events are sent with"),
    description: z.string().nullish(),
    aggregationType: z.enum(AGGREGATION_TYPES, { error: `must be one of ${AGGREGATION_TYPES.join(", ")}` }),
    /** The event property aggregated; required except for count_agg / custom_agg. */
    fieldName: z.string().nullish(),
    recurring: z.boolean().optional(),
    /** Required ("seconds") for weighted_sum_agg. */
    weightedInterval: z.literal("seconds", { error: 'must be "seconds"' }).nullish(),
    roundingFunction: z.enum(["round", "ceil", "floor"], { error: "must be round, ceil or floor" }).nullish(),
    roundingPrecision: z.number().int("must be an integer").nullish(),
    expression: z.string().nullish(),
    filters: z.array(metricFilterSchema).optional(),
    ...providerOptions,
  })
  .superRefine((m, ctx) => {
    const agg = m.aggregationType as string | undefined;
    if (!known(agg) || !(AGGREGATION_TYPES as readonly string[]).includes(agg!)) return;
    const field = m.fieldName;
    if (!isUnknown(field)) {
      if (!WITHOUT_FIELD.includes(agg!) && (typeof field !== "string" || !field.trim()))
        ctx.addIssue({ code: "custom", path: ["fieldName"], message: `is required for ${agg} (the event property to aggregate)` });
      if (agg === "count_agg" && typeof field === "string")
        ctx.addIssue({ code: "custom", path: ["fieldName"], message: "must be omitted for count_agg (Lago discards it)" });
    }
    if (m.recurring === true && NEVER_RECURRING.includes(agg!))
      ctx.addIssue({ code: "custom", path: ["recurring"], message: `cannot be true with ${agg} (Lago: not_compatible_with_aggregation_type)` });
    if (agg === "weighted_sum_agg" && m.weightedInterval == null)
      ctx.addIssue({ code: "custom", path: ["weightedInterval"], message: 'must be "seconds" for weighted_sum_agg' });
  }, ALWAYS_RUN)
  .superRefine((m, ctx) => {
    if (!Array.isArray(m.filters)) return;
    const seen = new Set<string>();
    m.filters.forEach((f, i) => {
      const key = (f as { key?: unknown })?.key;
      if (typeof key !== "string" || !known(key)) return;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["filters", i, "key"], message: `"${key}" is listed twice; merge the values into one filter` });
      seen.add(key);
    });
  }, ALWAYS_RUN);

export type BillableMetricInputs = z.infer<typeof billableMetricSchema>;
