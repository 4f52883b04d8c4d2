// Customer: a Lago customer as a Pulumi resource (lago-api.md §4). Lago updates customers by POSTing
// the same external_id again; a new external_id is a new customer (replace).
import * as pulumi from "@pulumi/pulumi";
import { LagoResource } from "./reference";

export interface CustomerAddressArgs {
  addressLine1?: pulumi.Input<string>;
  addressLine2?: pulumi.Input<string>;
  city?: pulumi.Input<string>;
  state?: pulumi.Input<string>;
  zipcode?: pulumi.Input<string>;
  /** ISO 3166 alpha-2 (Lago upper-cases it). */
  country?: pulumi.Input<string>;
}

export interface CustomerMetadataArgs {
  /** At most 20 characters; unique per customer. */
  key: pulumi.Input<string>;
  /** At most 100 characters. */
  value: pulumi.Input<string>;
  displayInInvoice?: pulumi.Input<boolean>;
}

export interface CustomerArgs extends CustomerAddressArgs {
  /** Your id for the customer; Lago addresses customers by it. Changing it creates another customer. */
  externalId: pulumi.Input<string>;
  name?: pulumi.Input<string>;
  firstname?: pulumi.Input<string>;
  lastname?: pulumi.Input<string>;
  legalName?: pulumi.Input<string>;
  legalNumber?: pulumi.Input<string>;
  taxIdentificationNumber?: pulumi.Input<string>;
  /** One address, or a comma-separated list. */
  email?: pulumi.Input<string>;
  url?: pulumi.Input<string>;
  phone?: pulumi.Input<string>;
  logoUrl?: pulumi.Input<string>;
  externalSalesforceId?: pulumi.Input<string>;
  customerType?: pulumi.Input<"company" | "individual">;
  /** Managed as a whole: members left out are cleared. */
  shippingAddress?: pulumi.Input<CustomerAddressArgs>;
  /** ISO 4217, upper case; cannot change once the customer has subscriptions. */
  currency?: pulumi.Input<string>;
  /** IANA time zone (premium). */
  timezone?: pulumi.Input<string>;
  netPaymentTerm?: pulumi.Input<number>;
  finalizeZeroAmountInvoice?: pulumi.Input<"inherit" | "skip" | "finalize">;
  taxCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Managed as a whole. `invoiceGracePeriod` is premium. */
  billingConfiguration?: pulumi.Input<{ invoiceGracePeriod?: pulumi.Input<number>; documentLocale?: pulumi.Input<string> }>;
  /** At most 5 entries. */
  metadata?: pulumi.Input<pulumi.Input<CustomerMetadataArgs>[]>;
  /** Take over an existing customer with this external id instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** Allow delete/replace even while the customer has live subscriptions (they are terminated). */
  allowDestroy?: pulumi.Input<boolean>;
}

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
