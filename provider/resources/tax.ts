// Tax: a Lago tax as a Pulumi resource (lago-api.md §8). Its arguments are the kind's schema
// (kinds/tax/schema.ts), each a Pulumi input; plans, charges, add-ons and customers name it by `code`.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { taxSchema } from "../kinds/tax/schema";
import { LagoResource } from "./reference";

/** `adopt`: take over an existing tax with this code instead of failing. `allowDestroy`: allow delete/replace even while plans, charges, add-ons, customers or the organization use it (they lose it). */
export type TaxArgs = ArgsOf<typeof taxSchema>;

export class Tax extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** Pass it to `taxCodes` of plans, charges, add-ons and customers: they then depend on this tax. */
  declare readonly code: pulumi.Output<string>;
  declare readonly rate: pulumi.Output<string | number>;

  constructor(name: string, args: TaxArgs, opts?: pulumi.CustomResourceOptions) {
    super("Tax", name, { ...args, lagoId: undefined, createdAt: undefined }, opts);
  }
}
