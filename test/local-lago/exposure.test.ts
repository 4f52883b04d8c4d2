// Who reaches what on a local Lago: the admin API is open on a loopback interface and needs a token on any other
// (the API key, or an admin token of its own); the Lago routes need the API key; bodies over the limit get 413 and
// change nothing. Servers bound to 0.0.0.0 are reached through 127.0.0.1 only: the interface bound decides.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES, startLocalLago, type LocalLago, type LocalLagoOptions } from "../../local-lago";
import { isLoopbackHost } from "../../local-lago/auth";
import { useOpenApiValidation } from "../support/local-lago";

const onResponse = useOpenApiValidation();
const servers: LocalLago[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function start(options: LocalLagoOptions): Promise<LocalLago> {
  const server = await startLocalLago({ port: 0, onResponse, ...options });
  servers.push(server);
  return server;
}

/** The server's base URL through loopback, whatever interface it listens on. */
const viaLoopback = (server: LocalLago) => `http://127.0.0.1:${new URL(server.url).port}`;

const bearer = (token?: string): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });

async function call(server: LocalLago, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const res = await fetch(viaLoopback(server) + path, {
    method,
    headers: { ...bearer(options.token), ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Every admin route, each with a body it would act on. */
const ADMIN_CALLS: Array<[method: string, path: string, body?: unknown]> = [
  ["GET", "/__admin/requests"],
  ["DELETE", "/__admin/requests"],
  ["POST", "/__admin/reset"],
  ["GET", "/__admin/faults"],
  ["POST", "/__admin/faults", { kind: "server_error", times: 5 }],
  ["DELETE", "/__admin/faults"],
  ["GET", "/__admin/config"],
  ["PUT", "/__admin/config", { premium: false }],
];

const metric = (code: string, extra: Record<string, unknown> = {}) => ({ billable_metric: { name: `Metric ${code}`, code, aggregation_type: "count_agg", ...extra } });

/** What an admin call could change: the store, the request log, armed faults, the premium switch. */
async function observable(server: LocalLago) {
  const requests = server.admin.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
  const metrics = await call(server, "GET", "/api/v1/billable_metrics", { token: server.apiKey });
  const faults = await call(server, "GET", "/__admin/faults", { token: server.apiKey });
  server.admin.requests.pop(); // the read above, so that two snapshots compare
  return { metrics: metrics.body.billable_metrics.map((m: { code: string }) => m.code), requests, faults: faults.body.faults, premium: server.lago.premium };
}

describe("a local Lago listening on 0.0.0.0 (all interfaces)", () => {
  const API_KEY = "exposure-key-5f0c2a";
  let server: LocalLago;
  beforeEach(async () => {
    server ??= await start({ host: "0.0.0.0", apiKey: API_KEY });
    server.admin.reset();
    expect((await call(server, "POST", "/api/v1/billable_metrics", { token: API_KEY, body: metric("mtu") })).status).toBe(200);
  });

  it("says so: the admin API needs the API key as token, and other machines reach it", () => {
    expect(server.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(server.exposure).toBe(`admin API ${server.url}/__admin (needs the API key as token); reachable from other machines too (listening on 0.0.0.0)`);
  });

  it("answers 401 to every admin call without a token, even through 127.0.0.1, and nothing changes", async () => {
    const before = await observable(server);
    for (const [method, path, body] of ADMIN_CALLS) {
      const res = await call(server, method, path, { body });
      expect([method, path, res.status], "no token").toEqual([method, path, 401]);
      expect(res.body.error).toContain("Authorization: Bearer <token>");
    }
    expect(await observable(server)).toEqual(before);
    expect(before.metrics).toEqual(["mtu"]);
  });

  it("answers 401 to a wrong token, a near miss, another scheme's header and an empty one, and nothing changes", async () => {
    const before = await observable(server);
    for (const header of [`Bearer wrong`, `Bearer ${API_KEY}x`, `Bearer ${API_KEY.slice(0, -1)}`, `Basic ${API_KEY}x`, "Bearer", ""]) {
      const res = await fetch(`${viaLoopback(server)}/__admin/reset`, { method: "POST", headers: { authorization: header } });
      expect([header, res.status]).toEqual([header, 401]);
    }
    expect(await observable(server)).toEqual(before);
  });

  it("serves every admin call with the API key as token", async () => {
    for (const [method, path, body] of ADMIN_CALLS) expect([method, path, (await call(server, method, path, { token: API_KEY, body })).status]).toEqual([method, path, 200]);
    expect(server.lago.premium).toBe(false); // the PUT acted
    // The reset acted too: the metric created before is gone.
    expect((await call(server, "GET", "/api/v1/billable_metrics", { token: API_KEY })).body.billable_metrics).toEqual([]);
  });

  it("keeps the Lago routes behind the API key", async () => {
    expect((await call(server, "GET", "/api/v1/billable_metrics")).status).toBe(401);
    expect((await call(server, "GET", "/api/v1/billable_metrics", { token: API_KEY.replace(/.$/, "0") })).status).toBe(401);
    expect((await call(server, "GET", "/api/v1/billable_metrics/mtu", { token: API_KEY })).status).toBe(200);
  });
});

describe("an admin token of its own", () => {
  it("is the admin API's only token: the API key is refused there, and it opens no Lago route", async () => {
    const server = await start({ host: "0.0.0.0", apiKey: "own-token-api-key", adminToken: "own-admin-token" });
    expect(server.exposure).toContain("(needs the admin token)");
    expect((await call(server, "GET", "/__admin/config", { token: "own-api-key" })).status).toBe(401);
    expect((await call(server, "GET", "/__admin/config", { token: "own-token-api-key" })).status).toBe(401);
    expect(await call(server, "GET", "/__admin/config", { token: "own-admin-token" })).toEqual({ status: 200, body: { premium: true } });
    expect((await call(server, "GET", "/api/v1/billable_metrics", { token: "own-admin-token" })).status).toBe(401);
  });

  it("is required on loopback too when one is given", async () => {
    const server = await start({ apiKey: "loopback-key", adminToken: "loopback-admin-token" });
    expect((await call(server, "POST", "/__admin/reset")).status).toBe(401);
    expect((await call(server, "POST", "/__admin/reset", { token: "loopback-admin-token" })).status).toBe(200);
  });
});

describe("a local Lago on loopback (the default)", () => {
  it("keeps its admin API open to this machine without a token, as before", async () => {
    const server = await start({ apiKey: "loopback-open-key" });
    expect(server.exposure).toBe(`admin API ${server.url}/__admin (no token); reachable from this machine only (loopback)`);
    expect(await call(server, "PUT", "/__admin/config", { body: { premium: false } })).toEqual({ status: 200, body: { premium: false } });
    expect(await call(server, "POST", "/__admin/faults", { body: { kind: "latency", ms: 1 } })).toEqual({ status: 200, body: { ok: true, armed: 1 } });
    expect((await call(server, "POST", "/__admin/reset")).status).toBe(200);
    expect(server.lago.premium).toBe(true);
  });

  it("counts ::1 and localhost as loopback, and any other interface as not", () => {
    for (const host of ["localhost", "127.0.0.1", "127.10.0.1", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "lago.internal", "::ffff:10.0.0.1"]) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("request bodies over the limit", () => {
  const KEY = "body-limit-key";
  let server: LocalLago;
  beforeEach(async () => {
    server ??= await start({ apiKey: KEY });
    server.admin.reset();
  });

  const metricCodes = async (s: LocalLago) => (await call(s, "GET", "/api/v1/billable_metrics", { token: KEY })).body.billable_metrics.map((m: { code: string }) => m.code);

  /** A metric create whose JSON is exactly `bytes` long, padded through its description. */
  const bodyOfSize = (code: string, bytes: number): string => {
    const empty = JSON.stringify(metric(code, { description: "" }));
    return JSON.stringify(metric(code, { description: "x".repeat(bytes - empty.length) }));
  };

  it("are refused with 413 before anything is read, logged or written; a body at the limit is served", async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
    const over = bodyOfSize("too_big", DEFAULT_MAX_BODY_BYTES + 1);
    expect(Buffer.byteLength(over)).toBe(DEFAULT_MAX_BODY_BYTES + 1);
    expect(await call(server, "POST", "/api/v1/billable_metrics", { token: KEY, body: over })).toEqual({ status: 413, body: { status: 413, error: "Payload Too Large" } });
    expect(server.admin.requests).toEqual([]);
    expect(await metricCodes(server)).toEqual([]);

    const at = bodyOfSize("just_fits", DEFAULT_MAX_BODY_BYTES);
    expect((await call(server, "POST", "/api/v1/billable_metrics", { token: KEY, body: at })).status).toBe(200);
    expect(server.admin.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["GET /api/v1/billable_metrics 200", "POST /api/v1/billable_metrics 200"]);
    expect(await metricCodes(server)).toEqual(["just_fits"]);
  });

  it("are refused when sent in chunks without a length, too", async () => {
    const over = Buffer.from(bodyOfSize("chunked", DEFAULT_MAX_BODY_BYTES + 10));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < over.length; at += 64 * 1024) controller.enqueue(over.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const res = await fetch(`${server.apiUrl}/billable_metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect([res.status, await res.json()]).toEqual([413, { status: 413, error: "Payload Too Large" }]);
    expect(server.admin.requests).toEqual([]);
    expect(await metricCodes(server)).toEqual([]);
  });

  it("are refused on the admin API as well: no fault is armed", async () => {
    const res = await call(server, "POST", "/__admin/faults", { body: { kind: "latency", ms: 1, padding: "x".repeat(DEFAULT_MAX_BODY_BYTES) } });
    expect(res.status).toBe(413);
    expect((await call(server, "GET", "/__admin/faults")).body.faults).toEqual([]);
  });

  it("follow the limit a server is given", async () => {
    const small = await start({ apiKey: KEY, maxBodyBytes: 200 });
    expect((await call(small, "POST", "/api/v1/billable_metrics", { token: KEY, body: bodyOfSize("small", 201) })).status).toBe(413);
    expect((await call(small, "POST", "/api/v1/billable_metrics", { token: KEY, body: bodyOfSize("small", 200) })).status).toBe(200);
  });
});
