// Fault injection: rate limits, server errors, connections reset before and after the commit, and
// latency beyond the timeout. Every run converges to exactly one Lago object, never reports a spurious
// "already exists", and never leaves a duplicate.
import { afterEach, describe, expect, it } from "vitest";
import { mtuMetricArgs } from "../support/segment-team";
import { apiRequests, FAST_RETRY, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();

const fault = (spec: Parameters<typeof lago.server.admin.addFault>[0]) => lago.server.admin.addFault(spec);
const posts = (path: string) => apiRequests(lago).filter((r) => r === `POST ${path}`).length;

async function metricCount() {
  const { data } = await lago.client.billableMetrics.findAllBillableMetrics();
  return data.meta.total_count;
}

afterEach(() => {
  runtime.configureWith({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, retry: FAST_RETRY });
});

describe("create converges without duplicates", () => {
  it("429 on the POST: waits for X-RateLimit-Reset, then creates once", async () => {
    fault({ kind: "rate_limit", method: "POST", path: "/billable_metrics", resetSeconds: 1 });
    const started = Date.now();
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(lago.server.admin.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([429, 200]);
    expect(await metricCount()).toBe(1);
    expect(created.id).toBe((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id);
  });

  it("500 on the POST: looks the code up (absent), posts again, creates once", async () => {
    fault({ kind: "server_error", method: "POST", path: "/billable_metrics", times: 2, status: 503 });
    await runtime.billableMetric.create(mtuMetricArgs);
    expect(posts("/billable_metrics")).toBe(3);
    expect(await metricCount()).toBe(1);
  });

  it("no fault: a metric's create is one POST, no lookup first (Lago refuses a duplicate code itself)", async () => {
    await runtime.billableMetric.create(mtuMetricArgs);
    expect(apiRequests(lago)).toEqual(["POST /billable_metrics"]);
  });

  it("connection reset before the commit: retried after a lookup, created once", async () => {
    fault({ kind: "reset_before", method: "POST", path: "/billable_metrics" });
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    expect(apiRequests(lago)).toEqual(["POST /billable_metrics", "GET /billable_metrics/mtu", "POST /billable_metrics"]);
    expect(await metricCount()).toBe(1);
    expect(created.outs).toMatchObject({ code: "mtu" });
  });

  it("connection reset after the commit: the lookup finds what this create made and adopts it", async () => {
    fault({ kind: "reset_after", method: "POST", path: "/billable_metrics" });
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    expect(apiRequests(lago)).toEqual(["POST /billable_metrics", "GET /billable_metrics/mtu"]);
    expect(await metricCount()).toBe(1);
    expect(created.id).toBe((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id);
  });

  it("latency beyond the timeout: the late commit and the retry race, one metric results", async () => {
    runtime.configureWith({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, retry: { ...FAST_RETRY, timeoutMs: 300 } });
    fault({ kind: "latency", method: "POST", path: "/billable_metrics", ms: 700 });
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    await new Promise((r) => setTimeout(r, 800)); // let the slow first POST finish on the server
    expect(await metricCount()).toBe(1);
    expect(created.id).toBe((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id);
  });

  it("a metric that was there before, met after a lost answer, is not taken for this create's", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "Old", code: "mtu", aggregation_type: "count_agg" } as never });
    fault({ kind: "reset_before", method: "POST", path: "/billable_metrics" });
    const message = await runtime.billableMetric.create(mtuMetricArgs).then(() => "created", (e: Error) => e.message);
    expect(message).toMatch(/^BillableMetric code "mtu": already exists in Lago \(lago_id [0-9a-f-]{36}\)\. Set adopt: true to take it over, or choose another code\.$/);
    expect(await metricCount()).toBe(1);
  });

  it("Lago's 422 for a taken code: one lookup for the clear adopt error, no second POST", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "Old", code: "mtu", aggregation_type: "count_agg" } as never });
    const before = apiRequests(lago).length;
    const message = await runtime.billableMetric.create(mtuMetricArgs).then(() => "created", (e: Error) => e.message);
    expect(message).toMatch(/already exists in Lago .* Set adopt: true to take it over, or choose another code\.$/);
    expect(apiRequests(lago).slice(before)).toEqual(["POST /billable_metrics", "GET /billable_metrics/mtu"]);
  });

  it("customer upsert: reset after the commit converges on the one customer", async () => {
    fault({ kind: "reset_after", method: "POST", path: "/customers" });
    const created = await runtime.customer.create({ externalId: "acme", name: "Acme" });
    const { data } = await lago.client.customers.findAllCustomers();
    expect(data.customers.map((c) => c.lago_id)).toEqual([created.id]);
  });
});

describe("updates, reads and deletes retry safely", () => {
  it("PUT reset after the commit is replayed and verified", async () => {
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    fault({ kind: "reset_after", method: "PUT", path: "/billable_metrics/mtu" });
    const next = { ...mtuMetricArgs, name: "MTU" };
    const updated = await runtime.billableMetric.update(created.id, created.outs!, next);
    expect(updated.outs).toMatchObject({ name: "MTU", lagoId: created.id });
    expect(apiRequests(lago).filter((r) => r.startsWith("PUT"))).toEqual(["PUT /billable_metrics/mtu", "PUT /billable_metrics/mtu"]);
  });

  it("DELETE reset after the commit: the replay's 404 means done", async () => {
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    fault({ kind: "reset_after", method: "DELETE", path: "/billable_metrics/mtu" });
    await runtime.billableMetric.delete(created.id, created.outs!);
    expect(await metricCount()).toBe(0);
  });

  it("5xx and 429 on reads are retried", async () => {
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    fault({ kind: "server_error", method: "GET", path: "/billable_metrics/mtu", times: 2 });
    fault({ kind: "rate_limit", method: "GET", path: "/billable_metrics/mtu", resetSeconds: 0 });
    const read = await runtime.billableMetric.read(created.id, created.outs!);
    expect(read.id).toBe(created.id);
  });

  it("429s never use up the attempts: more of them than maxAttempts, and the read still succeeds", async () => {
    const created = await runtime.billableMetric.create(mtuMetricArgs);
    fault({ kind: "rate_limit", method: "GET", path: "/billable_metrics/mtu", resetSeconds: 0, times: FAST_RETRY.maxAttempts + 2 });
    const read = await runtime.billableMetric.read(created.id, created.outs!);
    expect(read.id).toBe(created.id);
    expect(lago.server.admin.requests.filter((r) => r.method === "GET").map((r) => r.status)).toEqual([...Array(FAST_RETRY.maxAttempts + 2).fill(429), 200]);
  });

  it("gives up after the attempts are spent, naming the resource and Lago's answer", async () => {
    // The POST's answer is lost, so the create must look the code up, and every lookup fails.
    fault({ kind: "reset_before", method: "POST", path: "/billable_metrics" });
    fault({ kind: "server_error", method: "GET", path: "/billable_metrics/mtu", times: FAST_RETRY.maxAttempts });
    await expect(runtime.billableMetric.create(mtuMetricArgs)).rejects.toThrow('BillableMetric code "mtu": create failed: Lago answered 500 — Internal Server Error');
    expect(apiRequests(lago)).toEqual(["POST /billable_metrics", ...Array(FAST_RETRY.maxAttempts).fill("GET /billable_metrics/mtu")]);
  });
});
