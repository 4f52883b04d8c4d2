// lago-api.md §1.1–1.3 and §1.7: transport, authentication, bad input, unknown routes, pagination.
// Every bad request is followed by a good one: the local Lago answers like Lago and keeps serving.
import { describe, expect, it } from "vitest";
import { Client } from "lago-javascript-client";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const metric = (code: string) => ({ name: `Metric ${code}`, code, aggregation_type: "count_agg" });
const missingRoot = (root: string) => ({ status: 400, body: { status: 400, error: `BadRequest: param is missing or the value is empty or invalid: ${root}` } });
const unauthorized = { status: 401, body: { status: 401, error: "Unauthorized" } };
const resourceNotFound = { status: 404, body: { status: 404, error: "Not Found", code: "resource_not_found" } };

/** Raw fetch with full control of headers and body bytes. */
async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}) {
  const res = await fetch(lago.server.apiUrl + path, { method, headers: init.headers, body: init.body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : text };
}

/** After any bad request the server still serves: a create succeeds and can be read back. */
async function stillServing() {
  const code = `alive_${Math.random().toString(36).slice(2, 8)}`;
  const created = await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric(code) as any });
  expect(created.status).toBe(200);
  const found = await lago.client.billableMetrics.findBillableMetric(code);
  expect(found.data.billable_metric.code).toBe(code);
}

describe("§1.2 authentication", () => {
  it("answers 401 without an Authorization header, with no code field", async () => {
    const res = await send("GET", "/billable_metrics");
    expect(res).toEqual(unauthorized);
    await stillServing();
  });

  it("answers 401 for an unknown key, through the real client too", async () => {
    expect(await send("GET", "/billable_metrics", { headers: { authorization: "Bearer not-the-key" } })).toEqual(unauthorized);
    const stranger = Client("not-the-key", { baseUrl: lago.server.apiUrl });
    expect(await lagoError(stranger.billableMetrics.findAllBillableMetrics())).toEqual(unauthorized);
    await stillServing();
  });

  it("takes the second token of the header whatever the scheme word", async () => {
    for (const scheme of ["Bearer", "Token", "bearer", "Anything"]) {
      const res = await send("GET", "/billable_metrics", { headers: { authorization: `${scheme} ${lago.server.apiKey}` } });
      expect(res.status).toBe(200);
    }
  });

  it("answers 401 when the header has the key but no scheme word, or the scheme word only", async () => {
    expect(await send("GET", "/billable_metrics", { headers: { authorization: lago.server.apiKey } })).toEqual(unauthorized);
    expect(await send("GET", "/billable_metrics", { headers: { authorization: "Bearer" } })).toEqual(unauthorized);
  });

  it("checks the key before the body: a keyless POST without a body is 401, not 400", async () => {
    expect(await send("POST", "/billable_metrics", { headers: { "content-type": "application/json" }, body: "{}" })).toEqual(unauthorized);
  });
});

describe("§1.1/§1.3 bodies: missing or empty root key, malformed JSON, wrong content type → 400", () => {
  const auth = () => ({ authorization: `Bearer ${lago.server.apiKey}` });
  const json = () => ({ ...auth(), "content-type": "application/json" });

  it("answers 400 naming the root when the root key is missing", async () => {
    expect(await send("POST", "/billable_metrics", { headers: json(), body: JSON.stringify({ metric: metric("m") }) })).toEqual(missingRoot("billable_metric"));
    await stillServing();
  });

  it("answers 400 when the root is empty, null, a string or an array", async () => {
    for (const root of [{}, null, "", "mtu", [], [metric("m")]]) {
      const res = await send("POST", "/billable_metrics", { headers: json(), body: JSON.stringify({ billable_metric: root }) });
      expect(res, JSON.stringify(root)).toEqual(missingRoot("billable_metric"));
    }
    await stillServing();
  });

  it("answers 400 when there is no body at all", async () => {
    expect(await send("POST", "/billable_metrics", { headers: json() })).toEqual(missingRoot("billable_metric"));
    await stillServing();
  });

  it("answers 400 for malformed JSON and for a JSON body that is not an object", async () => {
    for (const body of ['{"billable_metric": {"name": "x", ', "{billable_metric: 1}", "not json at all", "[1,2,3]", '"billable_metric"', "42"]) {
      expect(await send("POST", "/billable_metrics", { headers: json(), body }), body).toEqual(missingRoot("billable_metric"));
    }
    await stillServing();
  });

  it("answers 400 for bytes that are not UTF-8", async () => {
    const res = await send("POST", "/billable_metrics", { headers: json(), body: new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x7d]) });
    expect(res).toEqual(missingRoot("billable_metric"));
    await stillServing();
  });

  it("does not parse a valid JSON body sent without the JSON content type", async () => {
    const body = JSON.stringify({ billable_metric: metric("typed") });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      expect(await send("POST", "/billable_metrics", { headers: { ...auth(), "content-type": type }, body }), type).toEqual(missingRoot("billable_metric"));
    }
    expect(await send("POST", "/billable_metrics", { headers: auth(), body })).toEqual(missingRoot("billable_metric"));
    // None of them created anything.
    expect(await lagoError(lago.client.billableMetrics.findBillableMetric("typed"))).toEqual({
      status: 404,
      body: { status: 404, error: "Not Found", code: "billable_metric_not_found" },
    });
  });

  it("parses JSON whatever the case of the type and with a charset parameter", async () => {
    const body = JSON.stringify({ billable_metric: metric("charset") });
    const res = await send("POST", "/billable_metrics", { headers: { ...auth(), "content-type": "Application/JSON; charset=utf-8" }, body });
    expect(res.status).toBe(200);
    expect((res.body as any).billable_metric.code).toBe("charset");
  });

  it("answers every success with 200, creates and deletes included", async () => {
    const created = await lago.http("POST", "/billable_metrics", { billable_metric: metric("ok") });
    const deleted = await lago.http("DELETE", "/billable_metrics/ok");
    expect([created.status, deleted.status]).toEqual([200, 200]);
  });
});

describe("§1.3 unknown routes and methods → 404 resource_not_found, no auth check", () => {
  it("answers unknown routes with resource_not_found, with and without a key", async () => {
    expect(await send("GET", "/no_such_things")).toEqual(resourceNotFound);
    expect(await lago.http("GET", "/no_such_things")).toMatchObject(resourceNotFound);
    expect(await send("POST", "/no_such_things/1/deeper", { headers: { "content-type": "application/json" }, body: "{" })).toEqual(resourceNotFound);
    await stillServing();
  });

  it("answers a known path with an unknown method with resource_not_found", async () => {
    expect(await send("PATCH", "/billable_metrics")).toEqual(resourceNotFound);
    expect(await send("DELETE", "/billable_metrics")).toEqual(resourceNotFound);
    expect(await send("PATCH", "/billable_metrics/mtu", { headers: { authorization: "Bearer wrong" } })).toEqual(resourceNotFound);
    await stillServing();
  });

  it("ignores a trailing slash, like Rails' router", async () => {
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") as any });
    const list = await lago.http("GET", "/billable_metrics/");
    expect([list.status, list.body.billable_metrics.map((m: { code: string }) => m.code)]).toEqual([200, ["mtu"]]);
    const one = await lago.http("GET", "/billable_metrics/mtu/");
    expect([one.status, one.body.billable_metric?.code]).toEqual([200, "mtu"]);
  });

  it("does not crash on percent-encoding that does not decode", async () => {
    const res = await lago.http("GET", "/billable_metrics/%E0%A4%A");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 404, error: "Not Found", code: "billable_metric_not_found" });
    await stillServing();
  });
});

describe("§1.7 lists and pagination", () => {
  it("answers an empty collection with current_page 0 and total_pages 0", async () => {
    const { data } = await lago.client.billableMetrics.findAllBillableMetrics();
    expect(data).toEqual({
      billable_metrics: [],
      meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 },
    });
    const paged = await lago.http("GET", "/billable_metrics?page=3&per_page=5");
    expect(paged.body.meta).toEqual({ current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 });
  });

  it("pages with page/per_page and null next/prev at the ends", async () => {
    for (const code of ["a", "b", "c"]) await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric(code) as any });
    const first = await lago.client.billableMetrics.findAllBillableMetrics({ page: 1, per_page: 2 });
    expect(first.data.billable_metrics).toHaveLength(2);
    expect(first.data.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 3 });
    const second = await lago.client.billableMetrics.findAllBillableMetrics({ page: 2, per_page: 2 });
    expect(second.data.billable_metrics).toHaveLength(1);
    expect(second.data.meta).toEqual({ current_page: 2, next_page: null, prev_page: 1, total_pages: 2, total_count: 3 });
    const codes = [...first.data.billable_metrics, ...second.data.billable_metrics].map((m) => m.code).sort();
    expect(codes).toEqual(["a", "b", "c"]);
  });

  it("answers a page beyond the end with [] and current_page = the requested page", async () => {
    for (const code of ["a", "b", "c"]) await lago.client.billableMetrics.createBillableMetric({ billable_metric: metric(code) as any });
    const { data } = await lago.client.billableMetrics.findAllBillableMetrics({ page: 7, per_page: 2 });
    expect(data).toEqual({ billable_metrics: [], meta: { current_page: 7, next_page: null, prev_page: 6, total_pages: 2, total_count: 3 } });
  });

  it("defaults per_page to 100", async () => {
    for (let i = 0; i < 101; i++) await lago.http("POST", "/billable_metrics", { billable_metric: metric(`m${i}`) });
    const first = await lago.client.billableMetrics.findAllBillableMetrics();
    expect(first.data.billable_metrics).toHaveLength(100);
    expect(first.data.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 101 });
    const second = await lago.client.billableMetrics.findAllBillableMetrics({ page: 2 });
    expect(second.data.billable_metrics).toHaveLength(1);
  });
});
