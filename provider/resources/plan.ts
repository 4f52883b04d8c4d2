// Plan: a Lago plan with its charges as a Pulumi resource (lago-api.md §3).
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf, Inputs } from "../inputs";
import type { chargeSchema, graduatedPercentageRanges, graduatedRanges, planSchema } from "../kinds/plan/schema";
import { LagoResource } from "./reference";
import type { BillableMetric } from "./billable-metric";

/** A price: a decimal string ("0.012"); a number only when it converts exactly (0.012, not 0.1 + 0.2). */
export type DecimalInput = pulumi.Input<string | number>;

/** A graduated or volume range. Each starts at the previous toValue or one above it; null toValue on the last. */
export type PriceRangeArgs = Inputs<z.input<typeof graduatedRanges>[number]>;
/** A graduated_percentage range. */
export type PercentageRangeArgs = Inputs<z.input<typeof graduatedPercentageRanges>[number]>;

type DeclaredCharge = Inputs<z.input<typeof chargeSchema>>;

/**
 * A charge: the schema's charge (one shape per charge model), with the metric given as a resource of this stack
 * (`billableMetric`; its lago_id and code are passed on) or by code (`billableMetricCode`). Unique `code` in the
 * plan (defaults to the metric code, then `<code>_2`, …); kept charges are matched by it.
 */
export type PlanChargeArgs = DeclaredCharge extends infer C ? (C extends object ? Omit<C, "billableMetric"> & { billableMetric?: BillableMetric } : never) : never;

/** Per-filter prices: the charge model's properties for events whose metric filters match `values`. */
export type ChargeFilterArgs = NonNullable<Inputs<z.input<typeof chargeSchema>["filters"]>> extends Array<infer F> ? F : never;

/**
 * The schema's plan arguments; charges are managed as a whole (charges left out are removed from the plan).
 * `adopt`: take over an existing plan with this code instead of failing. `allowDestroy`: allow delete/replace
 * even when the plan has or had subscriptions (active ones are terminated).
 */
export type PlanArgs = Omit<ArgsOf<typeof planSchema>, "charges"> & { charges?: PlanChargeArgs[] };

/** A charge as Lago holds it. */
export interface PlanChargeOutputs {
  lagoId: string;
  code: string;
  /** The metric's lago_id. */
  billableMetric: string;
  billableMetricCode: string;
  chargeModel: z.infer<typeof chargeSchema>["chargeModel"];
  [property: string]: unknown;
}

/** A metric given as a resource travels as its lago_id (the dependency) and its code (the charge's name). */
function withMetricReferences(charges: PlanChargeArgs[] | undefined) {
  return charges?.map(({ billableMetric, ...charge }) =>
    billableMetric ? { ...charge, billableMetric: billableMetric.lagoId, billableMetricCode: billableMetric.code } : charge,
  );
}

export class Plan extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly interval: pulumi.Output<string>;
  declare readonly amountCents: pulumi.Output<number>;
  declare readonly amountCurrency: pulumi.Output<string>;
  /** Lago's charges, with their lago_ids (when the plan manages charges). */
  declare readonly charges: pulumi.Output<PlanChargeOutputs[] | undefined>;
  declare readonly pendingDeletion: pulumi.Output<boolean>;

  constructor(name: string, args: PlanArgs, opts?: pulumi.CustomResourceOptions) {
    const computed = { lagoId: undefined, createdAt: undefined, pendingDeletion: undefined };
    super("Plan", name, { ...args, charges: withMetricReferences(args.charges), ...computed }, opts);
  }
}
