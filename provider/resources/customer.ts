// Customer: a Lago customer as a Pulumi resource (lago-api.md §4). Lago updates customers by POSTing
// the same external_id again; a new external_id is a new customer (replace).
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf, Inputs } from "../inputs";
import type { customerSchema, metadataEntrySchema, shippingAddressSchema } from "../kinds/customer/schema";
import { LagoResource } from "./reference";

export type CustomerAddressArgs = Inputs<z.input<typeof shippingAddressSchema>>;
export type CustomerMetadataArgs = Inputs<z.input<typeof metadataEntrySchema>>;

/** `adopt`: take over an existing customer with this external id instead of failing. `allowDestroy`: allow delete/replace even while the customer has live subscriptions (they are terminated). */
export type CustomerArgs = ArgsOf<typeof customerSchema>;

export class Customer extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly sequentialId: pulumi.Output<number>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly applicableTimezone: pulumi.Output<string>;
  declare readonly billingEntityCode: pulumi.Output<string>;
  declare readonly externalId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string | undefined>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly currency: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerArgs, opts?: pulumi.CustomResourceOptions) {
    const computed = { lagoId: undefined, createdAt: undefined, sequentialId: undefined, slug: undefined, applicableTimezone: undefined, billingEntityCode: undefined };
    super("Customer", name, { ...args, ...computed }, opts);
  }
}
