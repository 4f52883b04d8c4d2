// BillableMetric: a Lago billable metric as a Pulumi resource (lago-api.md §2).
import * as pulumi from "@pulumi/pulumi";
import { LagoResource } from "./reference";

export interface BillableMetricFilterArgs {
  key: pulumi.Input<string>;
  values: pulumi.Input<pulumi.Input<string>[]>;
}

export interface BillableMetricArgs {
  name: pulumi.Input<string>;
  /** Unique among live metrics; events are sent with this code. */
  code: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  aggregationType: pulumi.Input<"count_agg" | "sum_agg" | "max_agg" | "unique_count_agg" | "weighted_sum_agg" | "latest_agg" | "custom_agg">;
  /** The event property aggregated; required except for count_agg / custom_agg. */
  fieldName?: pulumi.Input<string>;
  recurring?: pulumi.Input<boolean>;
  /** Required ("seconds") for weighted_sum_agg. */
  weightedInterval?: pulumi.Input<"seconds">;
  roundingFunction?: pulumi.Input<"round" | "ceil" | "floor">;
  roundingPrecision?: pulumi.Input<number>;
  expression?: pulumi.Input<string>;
  filters?: pulumi.Input<pulumi.Input<BillableMetricFilterArgs>[]>;
  /** Take over an existing metric with this code instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** Allow delete/replace even while plans charge this metric (their charges are removed). */
  allowDestroy?: pulumi.Input<boolean>;
}

export class BillableMetric extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly aggregationType: pulumi.Output<string>;
  declare readonly fieldName: pulumi.Output<string | undefined>;
  declare readonly recurring: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: BillableMetricArgs, opts?: pulumi.CustomResourceOptions) {
    super("BillableMetric", name, { ...args, lagoId: undefined, createdAt: undefined }, opts);
  }
}
