// BillableMetric through the provider's CRUD against the local Lago (lago-api.md §2).
import { describe, expect, it } from "vitest";
import { mtuMetricArgs } from "../support/segment-team";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const metrics = () => runtime.billableMetric;

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
    const created = await metrics().create({ ...mtuMetricArgs, __provider: "serialized" });
    const remote = (await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric;
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({ ...mtuMetricArgs, lagoId: remote.lago_id, createdAt: remote.created_at, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await metrics().read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual(created.outs);
    expect(read.inputs).toEqual(mtuMetricArgs);

    const noop = await metrics().diff(created.id, { ...read.props!, __provider: "x" }, { ...mtuMetricArgs, __provider: "y" });
    expect(noop.changes).toBe(false);

    const renamed = { ...mtuMetricArgs, name: "MTU", description: "unique users per month" };
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

describe("BillableMetric frozen identity (§2.4)", () => {
  const sumArgs = { name: "Storage", code: "storage", aggregationType: "sum_agg", fieldName: "gb" };

  it("changes identity fields in place while no plan charges the metric", async () => {
    const created = await metrics().create(sumArgs);
    const next = { ...sumArgs, code: "storage_gb", aggregationType: "max_agg" };
    expect(await metrics().diff(created.id, created.outs!, next)).toMatchObject({ changes: true, replaces: [] });
    const updated = await metrics().update(created.id, created.outs!, next);
    expect(updated.outs).toMatchObject({ code: "storage_gb", aggregationType: "max_agg", lagoId: created.id });
    expect((await lago.client.billableMetrics.findBillableMetric("storage_gb")).data.billable_metric.lago_id).toBe(created.id);
  });

  it("refuses at preview what Lago would ignore while a plan charges it, and replaces once allowed", async () => {
    const created = await metrics().create(sumArgs);
    await planCharging(created.id);
    const next = { ...sumArgs, aggregationType: "max_agg" };
    expect(await failure(metrics().diff(created.id, created.outs!, next))).toBe(
      'BillableMetric code "storage": refusing to replace it to change aggregationType (aggregationType cannot change in place: plan team charges this metric, and Lago ignores changes to them while a plan uses the metric): plan team charges this metric; deleting it removes those charges from the plans and Lago discards its events. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(await metrics().diff(created.id, created.outs!, { ...sumArgs, name: "Stored GB" })).toMatchObject({ changes: true, replaces: [] });
    const allowed = { ...created.outs!, allowDestroy: true };
    expect(await metrics().diff(created.id, allowed, { ...next, allowDestroy: true })).toMatchObject({
      replaces: ["aggregationType"],
      deleteBeforeReplace: true,
    });
  });

  it("an update Lago silently ignored fails naming the fields and why, recording Lago's values", async () => {
    const created = await metrics().create(sumArgs);
    await planCharging(created.id); // attached after the preview: only the response shows it
    const error = await metrics().update(created.id, created.outs!, { ...sumArgs, fieldName: "bytes" }).catch((e) => e);
    expect(error.message).toBe(
      'BillableMetric code "storage": update did not apply fieldName (asked "bytes", Lago has "gb"): plan team charges this metric, and Lago ignores changes to fieldName while a plan uses the metric (replace it with allowDestroy: true, or create a new metric)',
    );
    expect(error.id).toBe(created.id);
    expect(error.properties).toMatchObject({ fieldName: "gb", lagoId: created.id });
  });
});

describe("BillableMetric errors and adoption", () => {
  it("a Lago refusal names the resource, the Lago field and the argument", async () => {
    const message = await failure(metrics().create({ name: "Bad", code: "bad", aggregationType: "sum_agg", fieldName: "x", expression: "round((" }));
    expect(message).toBe('BillableMetric code "bad": create failed: Lago rejected it (422): argument "expression" (Lago field expression) is not a valid expression (invalid_expression)');
  });

  it("create never takes over an existing metric unless adopt: true", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "Old", code: "mtu", aggregation_type: "count_agg" } as never });
    expect(await failure(metrics().create(mtuMetricArgs))).toMatch(/already exists in Lago .* Set adopt: true to take it over, or choose another code\.$/);
    const adopted = await metrics().create({ ...mtuMetricArgs, adopt: true });
    expect((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric).toMatchObject({
      lago_id: adopted.id,
      name: mtuMetricArgs.name,
      aggregation_type: "unique_count_agg",
      field_name: "user_id",
    });
  });

  it("refresh follows a code renamed outside Pulumi by lago_id, and reports a deleted metric as gone", async () => {
    const created = await metrics().create(mtuMetricArgs);
    await lago.client.billableMetrics.updateBillableMetric("mtu", { billable_metric: { code: "mtu_v2" } });
    const read = await metrics().read(created.id, created.outs!);
    expect(read).toMatchObject({ id: created.id, inputs: { ...mtuMetricArgs, code: "mtu_v2" } });
    await lago.client.billableMetrics.destroyBillableMetric("mtu_v2");
    expect(await metrics().read(created.id, read.props!)).toEqual({});
  });

  it("equivalent spellings and key order are no change; filters compare as sets", async () => {
    const withFilters = { ...mtuMetricArgs, filters: [{ key: "region", values: ["us", "eu"] }, { key: "plan", values: ["pro"] }] };
    const created = await metrics().create(withFilters);
    const reordered = { filters: [{ values: ["pro"], key: "plan" }, { key: "region", values: ["eu", "us"] }], fieldName: "user_id", aggregationType: "unique_count_agg", code: "mtu", name: mtuMetricArgs.name, recurring: false };
    expect((await metrics().diff(created.id, created.outs!, reordered)).changes).toBe(false);
    const read = await metrics().read(created.id, created.outs!);
    expect((await metrics().diff(created.id, read.props!, withFilters)).changes).toBe(false);
  });
});
