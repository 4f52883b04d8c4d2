// Plan: a Lago plan with its charges as a Pulumi resource (lago-api.md §3).
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf, Inputs } from "../inputs";
import type { chargeSchema, fixedChargeSchema, graduatedPercentageRanges, graduatedRanges, planSchema } from "../kinds/plan/schema";
import { LagoResource } from "./reference";
import type { AddOn } from "./add-on";
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

type DeclaredFixedCharge = Inputs<z.input<typeof fixedChargeSchema>>;

/**
 * A fixed charge: `units` of an add-on billed each period, priced standard (`amount` per unit), graduated or volume.
 * The add-on is given as a resource of this stack (`addOn`) or by code (`addOnCode`). Unique `code` in the plan
 * (defaults to the add-on code, then `<code>_2`, …); kept fixed charges are matched by it and updated in place.
 */
export type PlanFixedChargeArgs = DeclaredFixedCharge extends infer C ? (C extends object ? Omit<C, "addOn"> & { addOn?: AddOn } : never) : never;

/** Per-filter prices: the charge model's properties for events whose metric filters match `values`. */
export type ChargeFilterArgs = NonNullable<Inputs<z.input<typeof chargeSchema>["filters"]>> extends Array<infer F> ? F : never;

/**
 * The schema's plan arguments; charges are managed as a whole (charges left out are removed from the plan).
 * `adopt`: take over an existing plan with this code instead of failing. `allowDestroy`: allow delete/replace
 * even when the plan has or had subscriptions (active ones are terminated).
 */
export type PlanArgs = Omit<ArgsOf<typeof planSchema>, "charges" | "fixedCharges"> & { charges?: PlanChargeArgs[]; fixedCharges?: PlanFixedChargeArgs[] };

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

/** A fixed charge as Lago holds it. */
export interface PlanFixedChargeOutputs {
  lagoId: string;
  code: string;
  /** The add-on's lago_id. */
  addOn: string;
  addOnCode: string;
  chargeModel: z.infer<typeof fixedChargeSchema>["chargeModel"];
  /** Decimal text, as Lago answers it ("3.0"). */
  units: string;
  [property: string]: unknown;
}

/** An add-on given as a resource travels as its lago_id (the dependency) and its code (the fixed charge's name). */
function withAddOnReferences(charges: PlanFixedChargeArgs[] | undefined) {
  return charges?.map(({ addOn, ...charge }) => (addOn ? { ...charge, addOn: addOn.lagoId, addOnCode: addOn.code } : charge));
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
  /** Lago's fixed charges, with their lago_ids (when the plan manages fixed charges). */
  declare readonly fixedCharges: pulumi.Output<PlanFixedChargeOutputs[] | undefined>;
  declare readonly pendingDeletion: pulumi.Output<boolean>;

  constructor(name: string, args: PlanArgs, opts?: pulumi.CustomResourceOptions) {
    const computed = { lagoId: undefined, createdAt: undefined, pendingDeletion: undefined };
    super("Plan", name, { ...args, charges: withMetricReferences(args.charges), fixedCharges: withAddOnReferences(args.fixedCharges), ...computed }, opts);
  }
}
