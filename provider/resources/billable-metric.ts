// BillableMetric: a Lago billable metric as a Pulumi resource (lago-api.md §2).
import * as pulumi from "@pulumi/pulumi";

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

// The provider is serialized into the state: each method only loads the implementation in the provider
// host (the runtime path is inlined: a captured constant or helper costs more bytes than it saves), so the
// serialized text stays under 2 KB and never holds a client or an API key.
const billableMetricProvider: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-lago/runtime").billableMetric.configure(...a),
  check: (...a) => require("pulumi-lago/runtime").billableMetric.check(...a),
  diff: (...a) => require("pulumi-lago/runtime").billableMetric.diff(...a),
  create: (...a) => require("pulumi-lago/runtime").billableMetric.create(...a),
  read: (...a) => require("pulumi-lago/runtime").billableMetric.read(...a),
  update: (...a) => require("pulumi-lago/runtime").billableMetric.update(...a),
  delete: (...a) => require("pulumi-lago/runtime").billableMetric.delete(...a),
};

export class BillableMetric extends pulumi.dynamic.Resource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly aggregationType: pulumi.Output<string>;
  declare readonly fieldName: pulumi.Output<string | undefined>;
  declare readonly recurring: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: BillableMetricArgs, opts?: pulumi.CustomResourceOptions) {
    super(billableMetricProvider, name, { ...args, lagoId: undefined, createdAt: undefined }, opts, "lago", "BillableMetric");
  }
}

/** The provider object, exposed for serialization checks. */
export const billableMetricProviderShell = billableMetricProvider;
