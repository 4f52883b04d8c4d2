// lago-api.md §10: events. Single and batch ingestion, per-subscription transaction_id
// idempotency, index-keyed all-or-nothing batch errors, timestamps, lookups and lists.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "lago-javascript-client";
import { describe, expect, it } from "vitest";
import { startLocalLago } from "../../local-lago";
import { createPlainPlan } from "../support/billing-fixtures";
import { notFoundBody, validationBody } from "../support/lago-errors";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const send = (event: Record<string, unknown>) => lago.client.events.createEvent({ event: event as any });
const sendBatch = (events: Array<Record<string, unknown>>) => lago.client.events.createBatchEvents({ events: events as any });

describe("§10 POST /events", () => {
  it("stores the event and answers with null customer/subscription ids (processing is async)", async () => {
    const { status, data } = await send({ transaction_id: "tx-1", code: "mtu", external_subscription_id: "acme-main", timestamp: 1651240791, properties: { user_id: "u_1" } });
    expect(status).toBe(200);
    expect(data.event).toMatchObject({
      transaction_id: "tx-1",
      code: "mtu",
      external_subscription_id: "acme-main",
      timestamp: "2022-04-29T13:59:51.000Z",
      properties: { user_id: "u_1" },
      precise_total_amount_cents: null,
      lago_customer_id: null,
      lago_subscription_id: null,
    });
    expect(data.event.lago_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.event.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("reads Unix seconds as integer, float or numeric string; defaults to the reception time", async () => {
    expect((await send({ transaction_id: "a", code: "c", external_subscription_id: "s", timestamp: "1651240791.123" })).data.event.timestamp).toBe("2022-04-29T13:59:51.123Z");
    expect((await send({ transaction_id: "b", code: "c", external_subscription_id: "s", timestamp: 1651240791.5 })).data.event.timestamp).toBe("2022-04-29T13:59:51.500Z");
    const before = Date.now();
    const defaulted = Date.parse((await send({ transaction_id: "d", code: "c", external_subscription_id: "s" })).data.event.timestamp);
    expect(defaulted).toBeGreaterThanOrEqual(before - 1000);
    expect(defaulted).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("rejects ISO timestamps: timestamp invalid_format", async () => {
    const err = await lagoError(send({ transaction_id: "a", code: "c", external_subscription_id: "s", timestamp: "2024-05-01T12:00:00Z" }));
    expect(err).toEqual({ status: 422, body: validationBody({ timestamp: ["invalid_format"] }) });
  });

  it("requires transaction_id and code; the code is not checked against metrics", async () => {
    const res = await lago.http("POST", "/events", { event: { external_subscription_id: "s" } });
    expect(res).toMatchObject({ status: 422, body: validationBody({ transaction_id: ["value_is_mandatory"], code: ["value_is_mandatory"] }) });
    expect((await send({ transaction_id: "a", code: "no_such_metric", external_subscription_id: "s" })).status).toBe(200);
  });

  it("is idempotent per subscription: the same transaction_id again → 422 value_already_exist; on another subscription it is accepted", async () => {
    await send({ transaction_id: "tx", code: "c", external_subscription_id: "s1" });
    expect(await lagoError(send({ transaction_id: "tx", code: "c", external_subscription_id: "s1" }))).toEqual({
      status: 422,
      body: validationBody({ transaction_id: ["value_already_exist"] }),
    });
    expect((await send({ transaction_id: "tx", code: "c", external_subscription_id: "s2" })).status).toBe(200);
  });

  it("echoes precise_total_amount_cents as a decimal string", async () => {
    expect((await send({ transaction_id: "a", code: "c", external_subscription_id: "s", precise_total_amount_cents: "12" })).data.event.precise_total_amount_cents).toBe("12.0");
    expect((await send({ transaction_id: "b", code: "c", external_subscription_id: "s", precise_total_amount_cents: "1234.56" })).data.event.precise_total_amount_cents).toBe("1234.56");
  });

  it("answers 400 without the event root", async () => {
    expect(await lago.http("POST", "/events", { transaction_id: "a" })).toMatchObject({ status: 400, body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: event" } });
  });
});

describe("§10 POST /events/batch", () => {
  it("stores every event and answers them all", async () => {
    const { data } = await sendBatch([
      { transaction_id: "a", code: "c", external_subscription_id: "s", timestamp: 1700000000 },
      { transaction_id: "b", code: "c", external_subscription_id: "s", timestamp: 1700000001 },
    ]);
    expect(data.events.map((e) => [e.transaction_id, e.timestamp, e.lago_subscription_id])).toEqual([
      ["a", "2023-11-14T22:13:20.000Z", null],
      ["b", "2023-11-14T22:13:21.000Z", null],
    ]);
  });

  it("is all-or-nothing: one duplicate of a stored event fails the batch, keyed by its index, and stores nothing", async () => {
    await send({ transaction_id: "stored", code: "c", external_subscription_id: "s" });
    const err = await lagoError(
      sendBatch([
        { transaction_id: "fresh", code: "c", external_subscription_id: "s" },
        { transaction_id: "stored", code: "c", external_subscription_id: "s" },
      ]),
    );
    expect(err).toEqual({ status: 422, body: validationBody({ "1": { transaction_id: ["value_already_exist"] } }) });
    expect(await lagoError(lago.client.events.findEvent("fresh"))).toEqual({ status: 404, body: notFoundBody("event_not_found") });
  });

  it("catches duplicates inside the batch", async () => {
    const err = await lagoError(
      sendBatch([
        { transaction_id: "a", code: "c", external_subscription_id: "s" },
        { transaction_id: "b", code: "c", external_subscription_id: "s" },
        { transaction_id: "a", code: "c", external_subscription_id: "s" },
      ]),
    );
    expect(err).toEqual({ status: 422, body: validationBody({ "2": { transaction_id: ["value_already_exist"] } }) });
  });

  it("reports every invalid event by index", async () => {
    const err = await lagoError(
      sendBatch([
        { transaction_id: "a", code: "c", external_subscription_id: "s", timestamp: "2024-01-01T00:00:00Z" },
        { transaction_id: "b", code: "c", external_subscription_id: "s" },
        { transaction_id: "c", external_subscription_id: "s" },
      ]),
    );
    expect(err).toEqual({ status: 422, body: validationBody({ "0": { timestamp: ["invalid_format"] }, "2": { code: ["value_is_mandatory"] } }) });
    expect(await lagoError(lago.client.events.findEvent("b"))).toMatchObject({ status: 404 });
  });

  it("refuses an empty batch (no_events) and more than 100 events (too_many_events)", async () => {
    expect(await lagoError(sendBatch([]))).toEqual({ status: 422, body: validationBody({ events: ["no_events"] }) });
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ transaction_id: `t${i}`, code: "c", external_subscription_id: "s" }));
    expect(await lagoError(sendBatch(tooMany))).toEqual({ status: 422, body: validationBody({ events: ["too_many_events"] }) });
    const hundred = tooMany.slice(0, 100);
    expect((await sendBatch(hundred)).data.events).toHaveLength(100);
  });
});

describe("§10 GET /events", () => {
  it("finds an event by transaction_id with the subscription and customer it belongs to", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const sub = (await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "s" } as any })).data.subscription;
    await send({ transaction_id: "tx", code: "c", external_subscription_id: "s", properties: { n: "1" } });
    const { data } = await lago.client.events.findEvent("tx");
    expect(data.event).toMatchObject({ transaction_id: "tx", lago_subscription_id: sub.lago_id, lago_customer_id: sub.lago_customer_id, properties: { n: "1" } });
    expect(await lagoError(lago.client.events.findEvent("missing"))).toEqual({ status: 404, body: notFoundBody("event_not_found") });
  });

  it("lists newest timestamp first, filtered by code, subscription and time range", async () => {
    await sendBatch([
      { transaction_id: "old", code: "a", external_subscription_id: "s1", timestamp: 1700000000 },
      { transaction_id: "mid", code: "b", external_subscription_id: "s1", timestamp: 1700001000 },
      { transaction_id: "new", code: "a", external_subscription_id: "s2", timestamp: 1700002000 },
    ]);
    const all = await lago.client.events.findAllEvents();
    expect(all.data.events.map((e) => e.transaction_id)).toEqual(["new", "mid", "old"]);
    expect(all.data.meta).toMatchObject({ total_count: 3 });
    expect((await lago.client.events.findAllEvents({ code: "a" })).data.events.map((e) => e.transaction_id)).toEqual(["new", "old"]);
    expect((await lago.client.events.findAllEvents({ external_subscription_id: "s1" })).data.events.map((e) => e.transaction_id)).toEqual(["mid", "old"]);
    const range = await lago.client.events.findAllEvents({ timestamp_from: "2023-11-14T22:20:00Z", timestamp_to: "2023-11-14T22:40:00Z" } as any);
    expect(range.data.events.map((e) => e.transaction_id)).toEqual(["mid"]);
  });
});

describe("§10 volume", () => {
  it("ingests 20,000 events in batches of 100 through the client and keeps idempotency exact", async () => {
    for (let b = 0; b < 200; b++) {
      const batch = Array.from({ length: 100 }, (_, i) => ({ transaction_id: `t${b * 100 + i}`, code: "c", external_subscription_id: "s", timestamp: 1700000000 + b }));
      await sendBatch(batch);
    }
    expect((await lago.client.events.findAllEvents({ per_page: 1 })).data.meta.total_count).toBe(20000);
    expect(await lagoError(send({ transaction_id: "t12345", code: "c", external_subscription_id: "s" }))).toMatchObject({ status: 422 });
  });
});

describe("§10 idempotency survives what rebuilds the event index", () => {
  it("forgets transaction ids after an admin reset", async () => {
    await send({ transaction_id: "tx", code: "c", external_subscription_id: "s" });
    lago.server.admin.reset();
    expect((await send({ transaction_id: "tx", code: "c", external_subscription_id: "s" })).status).toBe(200);
    expect(await lagoError(send({ transaction_id: "tx", code: "c", external_subscription_id: "s" }))).toMatchObject({ status: 422 });
  });

  it("remembers them after a restart that replays the data directory", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-lago-events-"));
    try {
      const first = await startLocalLago({ dataDir, fsync: false });
      const client = Client(first.apiKey, { baseUrl: first.apiUrl });
      await client.events.createBatchEvents({ events: [{ transaction_id: "a", code: "c", external_subscription_id: "s" }, { transaction_id: "b", code: "c", external_subscription_id: "s" }] });
      await first.stop();

      const second = await startLocalLago({ dataDir, fsync: false });
      try {
        const again = Client(second.apiKey, { baseUrl: second.apiUrl });
        expect(await lagoError(again.events.createEvent({ event: { transaction_id: "b", code: "c", external_subscription_id: "s" } }))).toEqual({
          status: 422,
          body: validationBody({ transaction_id: ["value_already_exist"] }),
        });
        expect((await again.events.findEvent("a")).data.event.transaction_id).toBe("a");
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
