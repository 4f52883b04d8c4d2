// The integration templates are real: the Segment function compiles and, run with a Segment-shaped track call and
// the real fetch, posts an event the local Lago bills; the Hightouch body with row values substituted and the
// Nexla record are events the local Lago accepts and bills too.
import * as vm from "node:vm";
import { beforeEach, describe, expect, it } from "vitest";
import { eventRecord, hightouchBody, integrationTemplates, segmentFunction, segmentTrackToLagoEvent, templatesByMetric, type SegmentTrackEvent } from "../../provider/integrations";
import { createSegmentTeam } from "../support/billing-fixtures";
import { useLocalLago } from "../support/local-lago";
import { mtuMetric, mtuMetricArgs } from "../support/segment-team";

const lago = useLocalLago({ resetEach: true });

const mtu = mtuMetricArgs;
const apiCalls = { code: "api_calls", name: "API calls", aggregationType: "count_agg" };
const storage = { code: "storage_gb", name: "Storage", aggregationType: "sum_agg", fieldName: "gb" };

/** Acme on the §12 Team plan since the start of the month, so events sent now fall in the current period. */
beforeEach(async () => {
  await createSegmentTeam(lago);
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", name: "Acme Inc", currency: "USD" } as never });
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-main", subscription_at: monthStart } as never });
});

async function mtuUnits(): Promise<string> {
  const { data } = await lago.client.customers.findCustomerCurrentUsage("acme", { external_subscription_id: "acme-main" });
  return data.customer_usage.charges_usage.find((c) => c.billable_metric.code === "mtu")!.units;
}

function track(overrides: Partial<SegmentTrackEvent> = {}): SegmentTrackEvent {
  return {
    type: "track",
    event: "mtu",
    messageId: "ajs-next-1a2b3c",
    userId: "u_123",
    timestamp: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    properties: { user_id: "u_123", plan: "ignored" },
    ...overrides,
  };
}

/** Segment's runtime, as far as a destination function uses it: the real fetch and its error classes. */
class RetryError extends Error {}
class ValidationError extends Error {}

/** Compiles the function source as Segment would and returns its onTrack. */
function loadSegmentFunction(source: string, withSegmentErrors = true) {
  const context = vm.createContext({ fetch, JSON, Date, Math, console, ...(withSegmentErrors ? { RetryError, ValidationError } : {}) });
  new vm.Script(source, { filename: "segment-destination-function.js" }).runInContext(context);
  return context.onTrack as (event: SegmentTrackEvent, settings: Record<string, string>) => Promise<any>;
}

describe("Segment destination function", () => {
  it("parses as JavaScript and defines onTrack(event, settings)", () => {
    const source = segmentFunction(mtu);
    expect(() => new vm.Script(source)).not.toThrow();
    expect(typeof loadSegmentFunction(source)).toBe("function");
    expect(source).toContain('const LAGO_CODES = {"mtu":"mtu"};');
  });

  it("a track call becomes a Lago event on the subscription named in settings, billed by the Team plan", async () => {
    const onTrack = loadSegmentFunction(segmentFunction(mtu));
    const event = track({ userId: "end-user-9" , properties: { user_id: "end-user-9" } });
    const answer = await onTrack(event, { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" });

    const expected = segmentTrackToLagoEvent(mtu, event, { externalSubscriptionId: "acme-main" });
    expect(expected).toEqual({
      transaction_id: "ajs-next-1a2b3c",
      external_subscription_id: "acme-main",
      code: "mtu",
      timestamp: Date.parse(event.timestamp) / 1000,
      properties: { user_id: "end-user-9" },
    });
    // The function returns Lago's answer; what Lago stored is exactly what the TypeScript mapping produces.
    expect(answer.event).toMatchObject({ transaction_id: "ajs-next-1a2b3c", external_subscription_id: "acme-main", code: "mtu", properties: { user_id: "end-user-9" } });
    const stored = (await lago.client.events.findEvent("ajs-next-1a2b3c")).data.event;
    expect(stored).toMatchObject({ ...expected, timestamp: event.timestamp.replace("Z", "").replace(/\.\d+$/, "") + ".000Z" });
    expect(await mtuUnits()).toBe("1.0");
    const writes = lago.server.admin.requests.filter((r) => r.path === "/api/v1/events");
    expect(writes.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 200"]);
  });

  it("without externalSubscriptionId the track call's userId names the subscription", async () => {
    const onTrack = loadSegmentFunction(segmentFunction(mtu));
    await onTrack(track({ userId: "acme-main", messageId: "m-2", properties: { user_id: "u_1" } }), { apiUrl: lago.server.url + "/", apiKey: lago.server.apiKey });
    expect((await lago.client.events.findEvent("m-2")).data.event.external_subscription_id).toBe("acme-main");
    expect(await mtuUnits()).toBe("1.0");
  });

  it("a Segment retry of the same message is billed once (messageId is Lago's transaction id)", async () => {
    const onTrack = loadSegmentFunction(segmentFunction(mtu));
    const settings = { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" };
    await onTrack(track(), settings);
    const retry = await onTrack(track(), settings).catch((e: Error) => e);
    expect(retry).toBeInstanceOf(ValidationError);
    expect((retry as Error).message).toBe(
      'Lago refused the event: {"status":422,"error":"Unprocessable Entity","code":"validation_errors","error_details":{"transaction_id":["value_already_exist"]}}',
    );
    expect(await mtuUnits()).toBe("1.0");
  });

  it("ignores track names it does not map, and maps the ones given as trackEvents", async () => {
    const settings = { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" };
    expect(await loadSegmentFunction(segmentFunction(mtu))(track({ event: "Page Viewed" }), settings)).toBeUndefined();
    expect(lago.server.admin.requests.filter((r) => r.path === "/api/v1/events")).toEqual([]);

    const pages = loadSegmentFunction(segmentFunction(mtu, { trackEvents: ["Page Viewed", "Signed In"] }));
    await pages(track({ event: "Signed In", messageId: "m-signed-in" }), settings);
    expect((await lago.client.events.findEvent("m-signed-in")).data.event.code).toBe("mtu");
  });

  it("refuses a track call without the metric's property, before calling Lago", async () => {
    const onTrack = loadSegmentFunction(segmentFunction(mtu));
    const error = await onTrack(track({ properties: {} }), { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe("track property user_id is required by the Lago metric mtu");
    expect(lago.server.admin.requests.filter((r) => r.path === "/api/v1/events")).toEqual([]);
  });

  it("asks Segment to retry when Lago answers 5xx or 429, and uses plain errors outside Segment", async () => {
    const settings = { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" };
    lago.server.admin.addFault({ kind: "server_error", status: 503, path: "/events" });
    const error = await loadSegmentFunction(segmentFunction(mtu))(track(), settings).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RetryError);
    expect((error as Error).message).toBe("Lago answered 503");

    lago.server.admin.addFault({ kind: "rate_limit", path: "/events" });
    const plain = await loadSegmentFunction(segmentFunction(mtu), false)(track(), settings).catch((e: Error) => e);
    expect((plain as Error).constructor.name).toBe("Error");
    expect((plain as Error).message).toBe("Lago answered 429");
    expect(await mtuUnits()).toBe("0.0");
  });

  it("a count metric sends no properties", async () => {
    const source = segmentFunction(apiCalls);
    expect(source).toContain("properties: {},");
    await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "API calls", code: "api_calls", aggregation_type: "count_agg" } as never });
    await loadSegmentFunction(source)(track({ event: "api_calls", messageId: "call-1" }), { apiUrl: lago.server.url, apiKey: lago.server.apiKey, externalSubscriptionId: "acme-main" });
    expect((await lago.client.events.findEvent("call-1")).data.event.properties).toEqual({});
  });
});

/** Hightouch's Liquid, as far as the template uses it: `{{ row.<column> }}` replaced by the row's value. */
const liquid = (template: string, row: Record<string, string>) =>
  template.replace(/\{\{\s*row\.([A-Za-z0-9_]+)\s*\}\}/g, (_, column: string) => {
    if (!(column in row)) throw new Error(`row has no column ${column}`);
    return row[column]!;
  });

describe("Hightouch HTTP request body", () => {
  it("names exactly the columns it reads, and is valid JSON for a row", () => {
    const { body, columns } = hightouchBody(mtu);
    expect(columns).toEqual(["transaction_id", "external_subscription_id", "timestamp", "user_id"]);
    expect([...body.matchAll(/\{\{ row\.(\w+) \}\}/g)].map((m) => m[1])).toEqual(columns);
    const row = { transaction_id: "row-1", external_subscription_id: "acme-main", timestamp: "1735689600", user_id: "u_1" };
    expect(JSON.parse(liquid(body, row))).toEqual({
      event: { transaction_id: "row-1", external_subscription_id: "acme-main", code: "mtu", timestamp: "1735689600", properties: { user_id: "u_1" } },
    });
  });

  it("with a warehouse row substituted, is an event the local Lago accepts and bills", async () => {
    const { body } = hightouchBody(mtu);
    const rows = ["u_1", "u_2", "u_1"].map((user, i) => ({ transaction_id: `ht-${i}`, external_subscription_id: "acme-main", timestamp: String(Math.floor(Date.now() / 1000)), user_id: user }));
    for (const row of rows) {
      const res = await lago.http("POST", "/events", liquid(body, row));
      expect(res.status).toBe(200);
      expect(res.body.event).toMatchObject({ transaction_id: row.transaction_id, code: "mtu", external_subscription_id: "acme-main", properties: { user_id: row.user_id } });
    }
    expect(await mtuUnits()).toBe("2.0"); // two distinct users
  });

  it("a sum metric's value arrives as a string Lago aggregates", async () => {
    const { body, columns } = hightouchBody(storage);
    expect(columns).toEqual(["transaction_id", "external_subscription_id", "timestamp", "gb"]);
    const res = await lago.http("POST", "/events", liquid(body, { transaction_id: "gb-1", external_subscription_id: "acme-main", timestamp: "1735689600", gb: "12.5" }));
    expect(res.status).toBe(200);
    expect(res.body.event.properties).toEqual({ gb: "12.5" });
  });
});

describe("Nexla / plain API event record", () => {
  it("carries the current fields: transaction_id, external_subscription_id, code, Unix-seconds timestamp, properties", () => {
    expect(eventRecord(mtu, { externalSubscriptionId: "acme-main" })).toEqual({
      transaction_id: "unique-id-per-event",
      external_subscription_id: "acme-main",
      code: "mtu",
      timestamp: 1735689600,
      properties: { user_id: "user_123" },
    });
    expect(eventRecord(storage).properties).toEqual({ gb: 1 });
    expect(eventRecord(apiCalls).properties).toEqual({});
  });

  it("is accepted as a single event and, grouped under events, as a batch", async () => {
    const record = { ...eventRecord(mtu, { externalSubscriptionId: "acme-main" }), timestamp: Math.floor(Date.now() / 1000) };
    const single = await lago.http("POST", "/events", { event: record });
    expect(single.status).toBe(200);
    expect(single.body.event).toMatchObject({ transaction_id: "unique-id-per-event", external_subscription_id: "acme-main", code: "mtu", properties: { user_id: "user_123" } });
    const batch = await lago.client.events.createBatchEvents({
      events: [
        { ...record, transaction_id: "nexla-1", properties: { user_id: "u_a" } },
        { ...record, transaction_id: "nexla-2", properties: { user_id: "u_b" } },
      ],
    });
    expect(batch.data.events.map((e) => e.transaction_id)).toEqual(["nexla-1", "nexla-2"]);
    expect(await mtuUnits()).toBe("3.0");
  });
});

describe("templates per metric", () => {
  it("one set per metric code, all three shapes", () => {
    const all = templatesByMetric([mtu, apiCalls], { externalSubscriptionId: "acme-main" });
    expect(Object.keys(all)).toEqual(["mtu", "api_calls"]);
    expect(all.mtu).toEqual(integrationTemplates(mtu, { externalSubscriptionId: "acme-main" }));
    expect(Object.keys(all.api_calls!)).toEqual(["segmentFunction", "hightouchBody", "hightouchColumns", "eventRecord"]);
    expect(mtuMetric.field_name).toBe(mtu.fieldName); // the fixture's metric is the one these templates target
  });
});
