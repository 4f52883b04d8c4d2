// Subscription: a customer on a plan, as a Pulumi resource (lago-api.md §5).
import * as pulumi from "@pulumi/pulumi";
import { LagoResource } from "./reference";
import type { Customer } from "./customer";
import type { Plan } from "./plan";

export interface SubscriptionArgs {
  /** Your id for the subscription (no "/"); events name it. Changing it starts another subscription. */
  externalId: pulumi.Input<string>;
  /** The customer as a resource of this stack… */
  customer?: Customer;
  /** …or by external id. Changing the customer replaces the subscription. */
  externalCustomerId?: pulumi.Input<string>;
  /** The plan as a resource of this stack… */
  plan?: Plan;
  /** …or by code. A change is a plan change: an upgrade applies now, a downgrade at the end of the period. */
  planCode?: pulumi.Input<string>;
  name?: pulumi.Input<string>;
  /** calendar (default) or anniversary; changing it replaces the subscription. */
  billingTime?: pulumi.Input<"calendar" | "anniversary">;
  /** ISO 8601; in the future the subscription starts pending. */
  subscriptionAt?: pulumi.Input<string>;
  /** ISO 8601; Lago terminates the subscription then. */
  endingAt?: pulumi.Input<string>;
  /** Take over an existing subscription with this external id instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** Allow delete/replace of an active subscription (it is terminated and its final invoice issued). */
  allowDestroy?: pulumi.Input<boolean>;
}

export class Subscription extends LagoResource {
  /** Changes with every upgrade (Lago starts a new subscription under the same external id). */
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly externalId: pulumi.Output<string>;
  declare readonly externalCustomerId: pulumi.Output<string>;
  declare readonly lagoCustomerId: pulumi.Output<string>;
  /** The plan asked for. */
  declare readonly planCode: pulumi.Output<string>;
  /** The plan billed now (the previous one while a downgrade waits). */
  declare readonly currentPlanCode: pulumi.Output<string>;
  declare readonly previousPlanCode: pulumi.Output<string | null>;
  /** Set while a downgrade waits for the end of the period. */
  declare readonly nextPlanCode: pulumi.Output<string | null>;
  declare readonly downgradePlanDate: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<"pending" | "active" | "terminated" | "canceled" | "incomplete">;
  declare readonly startedAt: pulumi.Output<string | null>;
  declare readonly trialEndedAt: pulumi.Output<string | null>;
  declare readonly terminatedAt: pulumi.Output<string | null>;
  declare readonly currentBillingPeriodStartedAt: pulumi.Output<string | null>;
  declare readonly currentBillingPeriodEndingAt: pulumi.Output<string | null>;

  constructor(name: string, args: SubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    const { customer, plan, ...rest } = args;
    const computed = {
      lagoId: undefined,
      createdAt: undefined,
      lagoCustomerId: undefined,
      currentPlanCode: undefined,
      previousPlanCode: undefined,
      nextPlanCode: undefined,
      downgradePlanDate: undefined,
      status: undefined,
      startedAt: undefined,
      trialEndedAt: undefined,
      terminatedAt: undefined,
      currentBillingPeriodStartedAt: undefined,
      currentBillingPeriodEndingAt: undefined,
    };
    const references = {
      externalCustomerId: rest.externalCustomerId ?? customer?.externalId,
      planCode: rest.planCode ?? plan?.code,
    };
    super("Subscription", name, { ...rest, ...references, ...computed }, opts);
  }
}
