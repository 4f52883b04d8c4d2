// Subscription: a customer on a plan, as a Pulumi resource (lago-api.md §5).
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { subscriptionSchema } from "../kinds/subscription/schema";
import { LagoResource } from "./reference";
import type { Customer } from "./customer";
import type { Plan } from "./plan";

type Declared = ArgsOf<typeof subscriptionSchema>;

/**
 * The schema's arguments, with the customer and the plan given either as resources of this stack or by
 * external id and code. `adopt`: take over an existing subscription with this external id instead of failing.
 * `allowDestroy`: allow delete/replace of an active subscription (it is terminated and its final invoice issued).
 */
export type SubscriptionArgs = Omit<Declared, "externalCustomerId" | "planCode"> &
  Partial<Pick<Declared, "externalCustomerId" | "planCode">> & {
    /** The customer as a resource of this stack (or `externalCustomerId`). */
    customer?: Customer;
    /** The plan as a resource of this stack (or `planCode`). */
    plan?: Plan;
  };

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
