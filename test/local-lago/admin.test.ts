// The admin API real Lago does not have (/__admin): request log, reset, premium switch, fault injection.
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const metric = (code: string, extra: Record<string, unknown> = {}) => ({ name: `Metric ${code}`, code, aggregation_type: "count_agg", ...extra }) as any;

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${lago.server.url}/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const arm = (fault: Record<string, unknown>) => admin("POST", "/faults", fault);

/** Does the metric exist? Reads through the API (logged like any call). */
const exists = async (code: string) => (await lago.http("GET", `/billable_metrics/${code}`)).status === 200;

/** A POST whose connection is cut: resolves to the error fetch raised. */
async function cutPost(path: string, body: unknown): Promise<Error> {
  try {
    await fetch(lago.server.apiUrl + path, {
      method: "POST",
      headers: { authorization: `Bearer ${lago.server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the connection to be reset");
}

describe("request log", () => {
  it("records method, path, query and status of every API call, failures and unknown routes included", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    await lago.client.billableMetrics.findAllBillableMetrics({ page: 2, per_page: 5 });
    await lago.http("GET", "/billable_metrics/nope");
    await fetch(`${lago.server.apiUrl}/billable_metrics`); // no key
    await fetch(`${lago.server.apiUrl}/widgets`);
    const { status, body } = await admin("GET", "/requests");
    expect(status).toBe(200);
    expect(body.requests.map((r: any) => [r.method, r.path, r.query, r.status])).toEqual([
      ["POST", "/api/v1/billable_metrics", "", 200],
      ["GET", "/api/v1/billable_metrics", "?page=2&per_page=5", 200],
      ["GET", "/api/v1/billable_metrics/nope", "", 404],
      ["GET", "/api/v1/billable_metrics", "", 401],
      ["GET", "/api/v1/widgets", "", 404],
    ]);
    expect(Date.parse(body.requests[0].at)).not.toBeNaN();
    expect(lago.server.admin.requests).toHaveLength(5);
  });

  it("does not log admin calls, and DELETE empties the log", async () => {
    await lago.http("GET", "/billable_metrics");
    await admin("GET", "/config");
    expect((await admin("GET", "/requests")).body.requests).toHaveLength(1);
    expect(await admin("DELETE", "/requests")).toEqual({ status: 200, body: { ok: true } });
    expect((await admin("GET", "/requests")).body.requests).toEqual([]);
  });
});

describe("reset", () => {
  it("empties every table, the log and armed faults, and restores the premium switch", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    await arm({ kind: "server_error", times: 5 });
    await admin("PUT", "/config", { premium: false });
    expect(await admin("POST", "/reset")).toEqual({ status: 200, body: { ok: true } });
    expect((await admin("GET", "/requests")).body.requests).toEqual([]);
    expect((await admin("GET", "/faults")).body.faults).toEqual([]);
    expect((await admin("GET", "/config")).body).toEqual({ premium: true });
    const list = await lago.client.billableMetrics.findAllBillableMetrics();
    expect(list.status).toBe(200); // no armed fault answered it
    expect(list.data.billable_metrics).toEqual([]);
  });
});

describe("premium switch (§1.10)", () => {
  it("is on by default and gates custom_agg metrics with 403 feature_unavailable when off", async () => {
    expect(await admin("GET", "/config")).toEqual({ status: 200, body: { premium: true } });
    const custom = metric("custom", { aggregation_type: "custom_agg" });
    expect((await lago.http("POST", "/billable_metrics", { billable_metric: custom })).status).toBe(200);
    expect(await admin("PUT", "/config", { premium: false })).toEqual({ status: 200, body: { premium: false } });
    expect(lago.server.lago.premium).toBe(false);
    const refused = await lago.http("POST", "/billable_metrics", { billable_metric: { ...custom, code: "custom2" } });
    expect([refused.status, refused.body]).toEqual([403, { status: 403, error: "Forbidden", code: "feature_unavailable" }]);
  });

  it("refuses a config without a boolean premium", async () => {
    expect((await admin("PUT", "/config", { premium: "yes" })).status).toBe(400);
    expect((await admin("PUT", "/config", "not json")).status).toBe(400);
    expect((await admin("GET", "/config")).body).toEqual({ premium: true });
  });
});

describe("fault injection", () => {
  it("rate_limit: N× 429 with X-RateLimit-* headers and nothing written, then normal service", async () => {
    expect(await arm({ kind: "rate_limit", times: 2, resetSeconds: 7 })).toEqual({ status: 200, body: { ok: true, armed: 1 } });
    for (let i = 0; i < 2; i++) {
      const res = await lago.http("POST", "/billable_metrics", { billable_metric: metric("mtu") });
      expect([res.status, res.body]).toEqual([429, { status: 429, error: "Too Many Requests" }]);
      expect([res.headers.get("x-ratelimit-limit"), res.headers.get("x-ratelimit-remaining"), res.headers.get("x-ratelimit-reset")]).toEqual(["50", "0", "7"]);
    }
    expect(await exists("mtu")).toBe(false);
    expect((await lago.http("POST", "/billable_metrics", { billable_metric: metric("mtu") })).status).toBe(200);
  });

  it("rate_limit: carries Lago Cloud's per-endpoint limits (events 500/s, current usage 200/s, others 50/s)", async () => {
    await admin("POST", "/faults", { faults: [{ kind: "rate_limit", path: "/events" }, { kind: "rate_limit", path: "/customers" }] });
    const events = await lago.http("POST", "/events", { event: { transaction_id: "t1", code: "mtu" } });
    const usage = await lago.http("GET", "/customers/acme/current_usage?external_subscription_id=s1");
    expect([events.status, events.headers.get("x-ratelimit-limit")]).toEqual([429, "500"]);
    expect([usage.status, usage.headers.get("x-ratelimit-limit")]).toEqual([429, "200"]);
  });

  it("rate_limit: the real client sees a 429 error", async () => {
    await arm({ kind: "rate_limit" });
    expect(await lagoError(lago.client.billableMetrics.findAllBillableMetrics())).toEqual({ status: 429, body: { status: 429, error: "Too Many Requests" } });
  });

  it("server_error: answers the 5xx asked for, writes nothing, and only matching requests are hit", async () => {
    await arm({ kind: "server_error", status: 503, method: "post", path: "/billable_metrics" });
    const list = await lago.http("GET", "/billable_metrics"); // other method: not matched
    expect(list.status).toBe(200);
    const res = await lago.http("POST", "/billable_metrics", { billable_metric: metric("mtu") });
    expect([res.status, res.body]).toEqual([503, { status: 503, error: "Service Unavailable" }]);
    expect(await exists("mtu")).toBe(false);
    const third = await lago.http("POST", "/billable_metrics", { billable_metric: metric("mtu") });
    expect(third.status).toBe(200);
  });

  it("reset_before: the connection drops before the handler runs, so the write did NOT commit", async () => {
    await arm({ kind: "reset_before", method: "POST" });
    const error = await cutPost("/billable_metrics", { billable_metric: metric("mtu") });
    expect(error).toBeInstanceOf(TypeError); // fetch's network error, not an HTTP answer
    expect(await exists("mtu")).toBe(false);
    expect(lago.server.admin.requests.map((r) => [r.method, r.status])).toEqual([
      ["POST", 0],
      ["GET", 404],
    ]);
  });

  it("reset_after: the write DID commit but the client only saw a connection error", async () => {
    await arm({ kind: "reset_after", method: "POST" });
    const error = await cutPost("/billable_metrics", { billable_metric: metric("mtu") });
    expect(error).toBeInstanceOf(TypeError);
    expect(await exists("mtu")).toBe(true);
    // A retry of the same create now meets the committed row.
    const retry = await lagoError(lago.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") }));
    expect(retry).toEqual({ status: 422, body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: { code: ["value_already_exist"] } } });
    expect(lago.server.admin.requests.map((r) => r.status)).toEqual([0, 200, 422]);
  });

  it("reset faults also cut the real client's call", async () => {
    await arm({ kind: "reset_before" });
    const err = await lagoError(lago.client.billableMetrics.findAllBillableMetrics());
    expect(err.status).toBe(0);
    expect((await lago.client.billableMetrics.findAllBillableMetrics()).status).toBe(200);
  });

  it("latency: delays the answer by the given milliseconds, N times", async () => {
    await arm({ kind: "latency", ms: 300, times: 2 });
    const timed = async () => {
      const started = performance.now();
      const res = await lago.http("GET", "/billable_metrics");
      return { status: res.status, ms: performance.now() - started };
    };
    const [first, second, third] = [await timed(), await timed(), await timed()];
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(first.ms).toBeGreaterThanOrEqual(295);
    expect(second.ms).toBeGreaterThanOrEqual(295);
    expect(third.ms).toBeLessThan(295);
  });

  it("lists armed faults and disarms them all with DELETE", async () => {
    await arm({ kind: "server_error", times: 3 });
    expect((await admin("GET", "/faults")).body.faults).toEqual([{ kind: "server_error", times: 3, remaining: 3 }]);
    expect(await admin("DELETE", "/faults")).toEqual({ status: 200, body: { ok: true } });
    expect((await lago.http("GET", "/billable_metrics")).status).toBe(200);
  });

  it("refuses malformed fault specs with 400 and arms nothing", async () => {
    for (const bad of [{}, { kind: "explode" }, { kind: "latency", ms: -1 }, { kind: "server_error", status: 404 }, { kind: "rate_limit", times: 0 }, { faults: [] }, [1], "garbage"]) {
      const res = await admin("POST", "/faults", bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(typeof res.body.error).toBe("string");
    }
    expect((await admin("GET", "/faults")).body.faults).toEqual([]);
  });
});
