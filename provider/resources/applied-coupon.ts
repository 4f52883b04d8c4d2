// AppliedCoupon: a coupon applied to a customer, as a Pulumi resource (lago-api.md §7). Its arguments are the
// kind's schema (kinds/applied-coupon/schema.ts), each a Pulumi input, with the customer and the coupon given as
// resources of this stack or by external id and code.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { appliedCouponSchema } from "../kinds/applied-coupon/schema";
import type { Coupon } from "./coupon";
import type { Customer } from "./customer";
import { LagoResource } from "./reference";

type Declared = ArgsOf<typeof appliedCouponSchema>;

/**
 * `adopt`: take over the customer's active application of the coupon instead of failing. `allowDestroy`: allow
 * removing (or applying again, to change an override) an application still active: its discount ends.
 */
export type AppliedCouponArgs = Omit<Declared, "externalCustomerId" | "couponCode"> &
  Partial<Pick<Declared, "externalCustomerId" | "couponCode">> & {
    /** The customer as a resource of this stack (or `externalCustomerId`). */
    customer?: Customer;
    /** The coupon as a resource of this stack (or `couponCode`). */
    coupon?: Coupon;
  };

export class AppliedCoupon extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** active, or terminated once Lago has used it up (it is not applied again). */
  declare readonly status: pulumi.Output<"active" | "terminated">;
  declare readonly amountCentsRemaining: pulumi.Output<number | null>;
  declare readonly frequencyDurationRemaining: pulumi.Output<number | null>;
  declare readonly terminatedAt: pulumi.Output<string | null>;

  constructor(name: string, args: AppliedCouponArgs, opts?: pulumi.CustomResourceOptions) {
    const { customer, coupon, ...rest } = args;
    const computed = { lagoId: undefined, createdAt: undefined, status: undefined, amountCentsRemaining: undefined, frequencyDurationRemaining: undefined, terminatedAt: undefined };
    const references = { externalCustomerId: rest.externalCustomerId ?? customer?.externalId, couponCode: rest.couponCode ?? coupon?.code };
    super("AppliedCoupon", name, { ...rest, ...references, ...computed }, opts);
  }
}
