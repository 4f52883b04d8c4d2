// AddOn: a Lago add-on (a one-off fee, also the base of plans' fixed charges) as a Pulumi resource (lago-api.md §6).
// Its arguments are the kind's schema (kinds/add-on/schema.ts), each a Pulumi input.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { addOnSchema } from "../kinds/add-on/schema";
import { LagoResource } from "./reference";

/** `adopt`: take over an existing add-on with this code instead of failing. `allowDestroy`: allow delete/replace even while plans bill it as a fixed charge (those fixed charges are deleted). */
export type AddOnArgs = ArgsOf<typeof addOnSchema>;

export class AddOn extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly amountCents: pulumi.Output<number>;
  declare readonly amountCurrency: pulumi.Output<string>;

  constructor(name: string, args: AddOnArgs, opts?: pulumi.CustomResourceOptions) {
    super("AddOn", name, { ...args, lagoId: undefined, createdAt: undefined }, opts);
  }
}
