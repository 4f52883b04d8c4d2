// pulumi-lago: Lago objects as Pulumi resources.
export { BillableMetric, type BillableMetricArgs, type BillableMetricFilterArgs } from "./resources/billable-metric";
export { Customer, type CustomerArgs, type CustomerAddressArgs, type CustomerMetadataArgs } from "./resources/customer";
export { Plan, type PlanArgs, type PlanChargeArgs, type PlanChargeOutputs, type PlanFixedChargeArgs, type PlanFixedChargeOutputs, type PriceRangeArgs, type PercentageRangeArgs, type ChargeFilterArgs, type DecimalInput } from "./resources/plan";
export { Subscription, type SubscriptionArgs } from "./resources/subscription";
export { Tax, type TaxArgs } from "./resources/tax";
export { AddOn, type AddOnArgs } from "./resources/add-on";
export { Coupon, type CouponArgs } from "./resources/coupon";
export { AppliedCoupon, type AppliedCouponArgs } from "./resources/applied-coupon";
export { WebhookEndpoint, type WebhookEndpointArgs } from "./resources/webhook-endpoint";
export { Organization, type OrganizationArgs } from "./resources/organization";
export { Wallet, type WalletArgs, type WalletRecurringRuleArgs } from "./resources/wallet";
export * from "./catalog";
export * from "./integrations";
