// Setups the customer, subscription, event and usage tests share: the §12 Segment example created in
// the local Lago and plain plans to subscribe to. Everything goes through lago-javascript-client.
import type { LagoFixture } from "./local-lago";
import { mtuMetric, segmentTeamPlan } from "./segment-team";

/** Creates the MTU metric and the Segment Team plan; returns the metric's lago_id. */
export async function createSegmentTeam(lago: LagoFixture): Promise<string> {
  const metric = await lago.client.billableMetrics.createBillableMetric({ billable_metric: mtuMetric as any });
  await lago.client.plans.createPlan({ plan: segmentTeamPlan(metric.data.billable_metric.lago_id) as any });
  return metric.data.billable_metric.lago_id;
}

/** A plan without charges, for subscription lifecycle tests. */
export async function createPlainPlan(
  lago: LagoFixture,
  code: string,
  amountCents: number,
  options: { currency?: string; interval?: string; payInAdvance?: boolean; charges?: unknown[] } = {},
) {
  const { data } = await lago.client.plans.createPlan({
    plan: {
      name: code,
      code,
      interval: options.interval ?? "monthly",
      amount_cents: amountCents,
      amount_currency: options.currency ?? "USD",
      pay_in_advance: options.payInAdvance ?? false,
      charges: options.charges ?? [],
    } as any,
  });
  return data.plan;
}
