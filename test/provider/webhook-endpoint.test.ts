// WebhookEndpoint through the provider's CRUD against the local Lago (lago-api.md §9; app/models/webhook_endpoint.rb).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const endpoints = () => runtime.webhookEndpoint;
const url = "https://billing.example.com/lago?token=t0k3n";
const hook = { webhookUrl: url, signatureAlgo: "hmac", eventTypes: ["invoice.created"] };
const listed = async () => (await lago.http("GET", "/webhook_endpoints")).body.webhook_endpoints as Array<Record<string, unknown>>;

describe("WebhookEndpoint lifecycle", () => {
  it("create → read equals → no-op diff → in-place update (the URL too) → drift detected → guarded delete → opted-in delete", async () => {
    const created = await endpoints().create({ ...hook, __provider: "x" });
    expect(apiRequests(lago)).toEqual(["POST /webhook_endpoints"]);
    const [row] = await listed();
    expect(created.id).toBe(row!.lago_id);
    expect(created.outs).toEqual({ ...hook, lagoId: row!.lago_id, createdAt: row!.created_at, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await endpoints().read(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    // Lago's spelling of event types: trimmed, lower case, once each.
    expect((await endpoints().diff(created.id, read.props!, { ...hook, eventTypes: [" Invoice.Created", "invoice.created"] })).changes).toBe(false);

    const moved = { webhookUrl: "https://hooks.example.com/lago", signatureAlgo: "jwt", eventTypes: ["*"] };
    expect(await endpoints().diff(created.id, read.props!, moved)).toMatchObject({ changes: true, changed: ["webhookUrl", "signatureAlgo", "eventTypes"], replaces: [] });
    const updated = await endpoints().update(created.id, read.props!, moved);
    expect(await listed()).toEqual([expect.objectContaining({ lago_id: created.id, webhook_url: "https://hooks.example.com/lago", signature_algo: "jwt", event_types: null })]);

    await lago.http("PUT", `/webhook_endpoints/${created.id}`, { webhook_endpoint: { webhook_url: "https://elsewhere.example.com/hook" } });
    const refreshed = await endpoints().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ webhookUrl: "https://elsewhere.example.com/hook" });
    expect(await endpoints().diff(created.id, refreshed.props!, moved)).toMatchObject({ changes: true, changed: ["webhookUrl"] });

    expect(await failure(endpoints().delete(created.id, refreshed.props!))).toBe(
      'WebhookEndpoint webhook_url "https://elsewhere.example.com/hook": refusing to delete it: Lago stops sending billing events to it (invoices, payments, alerts…) and deletes its delivery history. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    await endpoints().delete(created.id, { ...refreshed.props!, allowDestroy: true });
    expect(await listed()).toEqual([]);
  });

  it("messages never show the URL's query (it may hold a token)", async () => {
    await lago.http("POST", "/webhook_endpoints", { webhook_endpoint: { webhook_url: url } });
    const message = await failure(endpoints().create(hook));
    expect(message).toMatch(/^WebhookEndpoint webhook_url "https:\/\/billing\.example\.com\/lago": already exists in Lago/);
    expect(message).not.toContain("t0k3n");
    const adopted = await endpoints().create({ ...hook, adopt: true });
    expect(await listed()).toEqual([expect.objectContaining({ lago_id: adopted.id, signature_algo: "hmac", event_types: ["invoice.created"] })]);
  });

  it("an event type Lago does not know is its 422, naming the argument", async () => {
    expect(await failure(endpoints().create({ ...hook, eventTypes: ["invoice.exploded"] }))).toMatch(/^WebhookEndpoint webhook_url "https:\/\/billing\.example\.com\/lago": create failed: Lago rejected it \(422\): argument "eventTypes" \(Lago field event_types\)/);
  });
});
