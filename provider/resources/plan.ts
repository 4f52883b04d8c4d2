// Plan: a Lago plan with its charges as a Pulumi resource (lago-api.md §3).
import * as pulumi from "@pulumi/pulumi";
import { LagoResource } from "./reference";
import type { BillableMetric } from "./billable-metric";

/** A price: a decimal string ("0.012"); a number only when it converts exactly (0.012, not 0.1 + 0.2). */
export type DecimalInput = pulumi.Input<string | number>;

export interface PriceRangeArgs {
  fromValue: pulumi.Input<number>;
  /** null on the last range: Lago cannot cap the last tier. */
  toValue: pulumi.Input<number | null>;
  perUnitAmount: DecimalInput;
  flatAmount?: DecimalInput;
}

export interface PercentageRangeArgs {
  fromValue: pulumi.Input<number>;
  toValue: pulumi.Input<number | null>;
  rate: DecimalInput;
  fixedAmount?: DecimalInput;
  flatAmount?: DecimalInput;
}

export interface StandardProperties {
  amount?: DecimalInput;
}
export interface GraduatedProperties {
  /** Each range starts at the previous toValue or one above it; the first at 0 or 1. */
  graduatedRanges: pulumi.Input<pulumi.Input<PriceRangeArgs>[]>;
}
export interface VolumeProperties {
  /** Each range starts one or two above the previous toValue; the first at 0 or 1. */
  volumeRanges: pulumi.Input<pulumi.Input<PriceRangeArgs>[]>;
}
export interface PackageProperties {
  amount: DecimalInput;
  packageSize: pulumi.Input<number>;
  freeUnits?: pulumi.Input<number>;
}
export interface PercentageProperties {
  rate: DecimalInput;
  fixedAmount?: DecimalInput;
  freeUnitsPerEvents?: pulumi.Input<number>;
  freeUnitsPerTotalAggregation?: DecimalInput;
  /** Premium. */
  perTransactionMinAmount?: DecimalInput;
  /** Premium. */
  perTransactionMaxAmount?: DecimalInput;
}
export interface GraduatedPercentageProperties {
  graduatedPercentageRanges: pulumi.Input<pulumi.Input<PercentageRangeArgs>[]>;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DynamicProperties {}

/** Per-filter prices: the charge model's properties for events whose metric filters match `values`. */
export interface ChargeFilterArgs<P> {
  values: pulumi.Input<Record<string, pulumi.Input<pulumi.Input<string>[]>>>;
  properties?: pulumi.Input<P>;
  invoiceDisplayName?: pulumi.Input<string>;
}

interface ChargeCommonArgs {
  /** The metric as a resource; its lago_id and code are passed on. */
  billableMetric?: BillableMetric;
  /** The metric by code, when it is not a resource of this stack. */
  billableMetricCode?: pulumi.Input<string>;
  /** Unique in the plan; defaults to the metric code (then `<code>_2`, …). Kept charges are matched by it. */
  code?: pulumi.Input<string>;
  invoiceDisplayName?: pulumi.Input<string>;
  payInAdvance?: pulumi.Input<boolean>;
  prorated?: pulumi.Input<boolean>;
  /** Premium; false only with payInAdvance. */
  invoiceable?: pulumi.Input<boolean>;
  /** Premium; not with payInAdvance. */
  minAmountCents?: pulumi.Input<number>;
  taxCodes?: pulumi.Input<pulumi.Input<string>[]>;
  pricingGroupKeys?: pulumi.Input<pulumi.Input<string>[]>;
}

type Charge<M extends string, P> = ChargeCommonArgs & P & { chargeModel: M; filters?: pulumi.Input<pulumi.Input<ChargeFilterArgs<P>>[]> };

export type PlanChargeArgs =
  | Charge<"standard", StandardProperties>
  | Charge<"graduated", GraduatedProperties>
  | Charge<"volume", VolumeProperties>
  | Charge<"package", PackageProperties>
  | Charge<"percentage", PercentageProperties>
  | Charge<"graduated_percentage", GraduatedPercentageProperties>
  | Charge<"dynamic", DynamicProperties>;

export interface PlanArgs {
  name: pulumi.Input<string>;
  /** Unique among live plans; subscriptions name the plan by it. Frozen once subscribed. */
  code: pulumi.Input<string>;
  interval: pulumi.Input<"weekly" | "monthly" | "quarterly" | "semiannual" | "yearly">;
  /** The subscription fee in cents (12000 = 120.00); 0 for pay as you go. */
  amountCents: pulumi.Input<number>;
  amountCurrency: pulumi.Input<string>;
  /** Bill the subscription fee at the start of the period (default false). */
  payInAdvance?: pulumi.Input<boolean>;
  /** Days; only the subscription fee is waived during the trial. */
  trialPeriod?: pulumi.Input<number>;
  invoiceDisplayName?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** Yearly and semiannual plans only. */
  billChargesMonthly?: pulumi.Input<boolean>;
  taxCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Premium. */
  minimumCommitment?: pulumi.Input<{ amountCents: pulumi.Input<number>; invoiceDisplayName?: pulumi.Input<string>; taxCodes?: pulumi.Input<pulumi.Input<string>[]> }>;
  /** Premium, with progressive billing. At most one recurring; amounts distinct. */
  usageThresholds?: pulumi.Input<pulumi.Input<{ amountCents: pulumi.Input<number>; thresholdDisplayName?: pulumi.Input<string>; recurring?: pulumi.Input<boolean> }>[]>;
  /** Managed as a whole: charges left out are removed from the plan. */
  charges?: PlanChargeArgs[];
  /** Take over an existing plan with this code instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** Allow delete/replace even when the plan has or had subscriptions (active ones are terminated). */
  allowDestroy?: pulumi.Input<boolean>;
}

/** A charge as Lago holds it. */
export interface PlanChargeOutputs {
  lagoId: string;
  code: string;
  /** The metric's lago_id. */
  billableMetric: string;
  billableMetricCode: string;
  chargeModel: PlanChargeArgs["chargeModel"];
  [property: string]: unknown;
}

/** A metric given as a resource travels as its lago_id (the dependency) and its code (the charge's name). */
function withMetricReferences(charges: PlanChargeArgs[] | undefined) {
  return charges?.map(({ billableMetric, ...charge }) =>
    billableMetric ? { ...charge, billableMetric: billableMetric.lagoId, billableMetricCode: billableMetric.code } : charge,
  );
}

export class Plan extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  declare readonly interval: pulumi.Output<string>;
  declare readonly amountCents: pulumi.Output<number>;
  declare readonly amountCurrency: pulumi.Output<string>;
  /** Lago's charges, with their lago_ids (when the plan manages charges). */
  declare readonly charges: pulumi.Output<PlanChargeOutputs[] | undefined>;
  declare readonly pendingDeletion: pulumi.Output<boolean>;

  constructor(name: string, args: PlanArgs, opts?: pulumi.CustomResourceOptions) {
    const computed = { lagoId: undefined, createdAt: undefined, pendingDeletion: undefined };
    super("Plan", name, { ...args, charges: withMetricReferences(args.charges), ...computed }, opts);
  }
}
