// Coupon: a Lago coupon as a Pulumi resource (lago-api.md §7). Its arguments are the kind's schema
// (kinds/coupon/schema.ts), each a Pulumi input. Apply it to a customer with an AppliedCoupon.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { couponSchema } from "../kinds/coupon/schema";
import { LagoResource } from "./reference";

/**
 * `adopt`: take over an existing coupon with this code instead of failing. `allowDestroy`: allow delete/replace
 * even while it is applied to customers (those applied coupons are terminated); a change Lago ignores once the
 * coupon has been applied (its amount, rate, frequency, limits…) needs a replace.
 */
export type CouponArgs = ArgsOf<typeof couponSchema>;

export class Coupon extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly terminatedAt: pulumi.Output<string | null>;

  constructor(name: string, args: CouponArgs, opts?: pulumi.CustomResourceOptions) {
    super("Coupon", name, { ...args, lagoId: undefined, createdAt: undefined, terminatedAt: undefined }, opts);
  }
}
