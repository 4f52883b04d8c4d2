// Request payloads the customer, subscription, event and usage tests share: the §12 Segment
// example and plain plans to subscribe to. Everything goes through lago-javascript-client.
import type { LagoFixture } from "./local-lago";

/** §12 step 1: the Monthly Tracked Users metric. */
export const mtuMetric = { name: "Monthly Tracked Users", code: "mtu", aggregation_type: "unique_count_agg", field_name: "user_id", recurring: false } as const;

/** §12 step 2: the Team plan, $120/month, graduated MTU ranges. */
export const segmentTeamPlan = (mtuLagoId: string) => ({
  name: "Team",
  code: "team",
  interval: "monthly",
  amount_cents: 12000,
  amount_currency: "USD",
  pay_in_advance: true,
  trial_period: 14,
  charges: [
    {
      billable_metric_id: mtuLagoId,
      charge_model: "graduated",
      pay_in_advance: false,
      properties: {
        graduated_ranges: [
          { from_value: 0, to_value: 10000, per_unit_amount: "0", flat_amount: "0" },
          { from_value: 10001, to_value: 25000, per_unit_amount: "0.012", flat_amount: "0" },
          { from_value: 25001, to_value: 100000, per_unit_amount: "0.011", flat_amount: "0" },
          { from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" },
        ],
      },
    },
  ],
});

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

/** Lago's exact error body for a 422 with these details. */
export const validationBody = (details: Record<string, unknown>) => ({ status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: details });

export const notFoundBody = (code: string) => ({ status: 404, error: "Not Found", code });
