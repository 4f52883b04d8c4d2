// BillableMetric through the provider's CRUD against the local Lago (lago-api.md §2).
import { describe, expect, it } from "vitest";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const metrics = () => runtime.billableMetric;

const mtuArgs = { name: "Monthly Tracked Users", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id" };

async function planCharging(metricLagoId: string) {
  await lago.client.plans.createPlan({
    plan: {
      name: "Team", code: "team", interval: "monthly", amount_cents: 12000, amount_currency: "USD", pay_in_advance: true,
      charges: [{ billable_metric_id: metricLagoId, charge_model: "standard", properties: { amount: "0.01" } }],
    } as never,
  });
}

describe("BillableMetric lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete refused → opted-in delete", async () => {
    const created = await metrics().create({ ...mtuArgs, __provider: "serialized" });
    const remote = (await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric;
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({ ...mtuArgs, lagoId: remote.lago_id, createdAt: remote.created_at });

    const read = await metrics().read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual(created.outs);
    expect(read.inputs).toEqual(mtuArgs);

    const noop = await metrics().diff(created.id, { ...read.props!, __provider: "x" }, { ...mtuArgs, __provider: "y" });
    expect(noop.changes).toBe(false);

    const renamed = { ...mtuArgs, name: "MTU", description: "unique users per month" };
    const diff = await metrics().diff(created.id, created.outs!, renamed);
    expect(diff).toMatchObject({ changes: true, changed: ["name", "description"], replaces: [] });
    const updated = await metrics().update(created.id, created.outs!, renamed);
    expect(updated.outs).toMatchObject({ ...renamed, lagoId: created.id });
    expect((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric).toMatchObject({ lago_id: created.id, name: "MTU", description: "unique users per month" });

    await lago.client.billableMetrics.updateBillableMetric("mtu", { billable_metric: { name: "Changed in the UI" } });
    const refreshed = await metrics().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ name: "Changed in the UI" });
    const drift = await metrics().diff(created.id, refreshed.props!, renamed);
    expect(drift).toMatchObject({ changes: true, changed: ["name"], replaces: [] });

    await planCharging(created.id);
    const before = apiRequests(lago).length;
    expect(await failure(metrics().delete(created.id, updated.outs!))).toBe(
      'BillableMetric code "mtu": refusing to delete it: plan team charges this metric; deleting it removes those charges from the plans and Lago discards its events. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(before)).not.toContain("DELETE /billable_metrics/mtu");

    const optedIn = await metrics().update(created.id, updated.outs!, { ...renamed, allowDestroy: true });
    await metrics().delete(created.id, optedIn.outs!);
    expect((await lago.http("GET", "/billable_metrics/mtu")).status).toBe(404);
  });
});
