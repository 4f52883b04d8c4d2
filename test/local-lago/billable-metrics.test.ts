// lago-api.md §2: billable metrics.
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { mtuMetric as mtu } from "../support/segment-team";

const lago = useLocalLago({ resetEach: true });

describe("§2.2 create", () => {
  it("creates a metric and echoes Lago's response shape with deprecated zero counters", async () => {
    const { status, data } = await lago.client.billableMetrics.createBillableMetric({ billable_metric: mtu as any });
    expect(status).toBe(200);
    expect(data.billable_metric).toMatchObject({ ...mtu, filters: [], expression: null, plans_count: 0, active_subscriptions_count: 0, draft_invoices_count: 0 });
  });

  it("rejects a duplicate live code with value_already_exist", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: mtu as any });
    const err = await lagoError(lago.client.billableMetrics.createBillableMetric({ billable_metric: mtu as any }));
    expect(err).toEqual({ status: 422, body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: { code: ["value_already_exist"] } } });
  });

  it("requires field_name except for count_agg, and forces it to null for count_agg", async () => {
    const missing = await lago.http("POST", "/billable_metrics", { billable_metric: { name: "S", code: "s", aggregation_type: "sum_agg" } });
    expect(missing.status).toBe(422);
    expect(missing.body.error_details).toEqual({ field_name: ["value_is_mandatory"] });
    const count = await lago.http("POST", "/billable_metrics", { billable_metric: { name: "C", code: "c", aggregation_type: "count_agg", field_name: "x" } });
    expect(count.body.billable_metric.field_name).toBeNull();
  });

  it("refuses recurring with count/max/latest aggregation", async () => {
    const res = await lago.http("POST", "/billable_metrics", { billable_metric: { name: "C", code: "c", aggregation_type: "max_agg", field_name: "x", recurring: true } });
    expect(res.body.error_details).toEqual({ recurring: ["not_compatible_with_aggregation_type"] });
  });
});

describe("§2.5 delete", () => {
  it("soft-deletes: 200 with the metric, then 404 billable_metric_not_found, and the code is reusable", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: mtu as any });
    const del = await lago.client.billableMetrics.destroyBillableMetric("mtu");
    expect(del.status).toBe(200);
    expect(await lagoError(lago.client.billableMetrics.findBillableMetric("mtu"))).toEqual({
      status: 404,
      body: { status: 404, error: "Not Found", code: "billable_metric_not_found" },
    });
    const again = await lago.client.billableMetrics.createBillableMetric({ billable_metric: mtu as any });
    expect(again.data.billable_metric.lago_id).not.toBe(del.data.billable_metric.lago_id);
  });
});
