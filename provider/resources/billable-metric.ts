// BillableMetric: a Lago billable metric as a Pulumi resource (lago-api.md §2). Its arguments are the kind's
// schema (kinds/billable-metric/schema.ts), each a Pulumi input.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf, Inputs } from "../inputs";
import type { billableMetricSchema, metricFilterSchema } from "../kinds/billable-metric/schema";
import { LagoResource } from "./reference";

export type BillableMetricFilterArgs = Inputs<z.input<typeof metricFilterSchema>>;

/** `adopt`: take over an existing metric with this code instead of failing. `allowDestroy`: allow delete/replace even while plans charge this metric (their charges are removed). */
export type BillableMetricArgs = ArgsOf<typeof billableMetricSchema>;

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
