// lago-api.md §9: webhook endpoints.
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });

const endpointNotFound = notFound("webhook_endpoint_not_found");
const internalError = { status: 500, body: { status: 500, error: "Internal Server Error" } };

const create = (webhook_endpoint: Record<string, unknown>) => lago.http("POST", "/webhook_endpoints", { webhook_endpoint });

describe("§9 create", () => {
  it("creates an endpoint with jwt by default and every event (null)", async () => {
    const { status, data } = await lago.client.webhookEndpoints.createWebhookEndpoint({ webhook_endpoint: { webhook_url: "https://billing.example.com/lago" } });
    expect(status).toBe(200);
    expect(data.webhook_endpoint).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lago_organization_id: lago.server.lago.organizationId,
      webhook_url: "https://billing.example.com/lago",
      signature_algo: "jwt",
      name: null,
      event_types: null,
      created_at: expect.stringMatching(/Z$/),
    });
  });

  it("takes hmac and a name", async () => {
    const res = await create({ webhook_url: "http://localhost:4000/hooks", signature_algo: "hmac", name: "Local" });
    expect(res.status).toBe(200);
    expect(res.body.webhook_endpoint).toMatchObject({ signature_algo: "hmac", name: "Local" });
  });

  it("normalises event_types: trimmed, lower-cased, blanks dropped, deduplicated", async () => {
    const res = await create({ webhook_url: "https://a.example.com", event_types: [" Invoice.Created", "invoice.created", "", "customer.updated"] });
    expect(res.body.webhook_endpoint.event_types).toEqual(["invoice.created", "customer.updated"]);
  });

  it('stores ["*"] as null (every event) and keeps [] as an empty list', async () => {
    const star = await create({ webhook_url: "https://star.example.com", event_types: ["*"] });
    expect(star.body.webhook_endpoint.event_types).toBeNull();
    const none = await create({ webhook_url: "https://none.example.com", event_types: [] });
    expect(none.body.webhook_endpoint.event_types).toEqual([]);
  });

  it("names unknown event types in a sentence, and wants an array", async () => {
    const unknown = await create({ webhook_url: "https://a.example.com", event_types: ["invoice.created", "wrong.type", "*"] });
    expect({ status: unknown.status, body: unknown.body }).toEqual(unprocessable({ event_types: ['contains invalid types: ["wrong.type", "*"]'] }));
    const notArray = await create({ webhook_url: "https://a.example.com", event_types: "invoice.created" });
    expect({ status: notArray.status, body: notArray.body }).toEqual(unprocessable({ event_types: ["must_be_array"] }));
  });

  it("wants an http(s) URL with a host, unique in the organisation", async () => {
    const missing = await create({ name: "no url" });
    expect({ status: missing.status, body: missing.body }).toEqual(unprocessable({ webhook_url: ["value_is_mandatory", "url_is_invalid"] }));
    for (const url of ["ftp://files.example.com", "https://", "example.com/hook", "https://exa mple.com"]) {
      const bad = await create({ webhook_url: url });
      expect({ url, status: bad.status, body: bad.body }).toEqual({ url, ...unprocessable({ webhook_url: ["url_is_invalid"] }) });
    }
    await create({ webhook_url: "https://a.example.com" });
    const duplicate = await create({ webhook_url: "https://a.example.com" });
    expect({ status: duplicate.status, body: duplicate.body }).toEqual(unprocessable({ webhook_url: ["value_already_exist"] }));
  });

  it("allows 10 endpoints, then answers a sentence under base", async () => {
    for (let i = 0; i < 10; i++) expect((await create({ webhook_url: `https://h${i}.example.com` })).status).toBe(200);
    const eleventh = await create({ webhook_url: "https://h10.example.com" });
    expect({ status: eleventh.status, body: eleventh.body }).toEqual(unprocessable({ base: ["Maximum number of webhook endpoints was reached"] }));
  });

  it("raises (500) on an unknown signature_algo, like Lago, and stores nothing", async () => {
    for (const algo of ["rsa", "JWT", 1]) {
      const res = await create({ webhook_url: "https://a.example.com", signature_algo: algo });
      expect({ status: res.status, body: res.body }).toEqual(internalError);
    }
    expect((await lago.client.webhookEndpoints.findAllWebhookEndpoints()).data.webhook_endpoints).toEqual([]);
  });
});

describe("§9 read and list", () => {
  it("lists by webhook_url ascending and finds by lago_id", async () => {
    const ids: Record<string, string> = {};
    for (const url of ["https://c.example.com", "https://a.example.com", "https://b.example.com"])
      ids[url] = (await create({ webhook_url: url })).body.webhook_endpoint.lago_id;
    const { data } = await lago.client.webhookEndpoints.findAllWebhookEndpoints();
    expect(data.webhook_endpoints.map((w) => w.webhook_url)).toEqual(["https://a.example.com", "https://b.example.com", "https://c.example.com"]);
    expect(data.meta).toEqual({ current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 3 });
    const found = await lago.client.webhookEndpoints.findWebhookEndpoint(ids["https://b.example.com"]!);
    expect(found.data.webhook_endpoint.webhook_url).toBe("https://b.example.com");
  });

  it("answers 404 webhook_endpoint_not_found for an unknown or malformed id", async () => {
    expect(await lagoError(lago.client.webhookEndpoints.findWebhookEndpoint("00000000-0000-4000-8000-00000000abcd"))).toEqual(endpointNotFound);
    expect(await lagoError(lago.client.webhookEndpoints.findWebhookEndpoint("not-a-uuid"))).toEqual(endpointNotFound);
  });
});

describe("§9 update", () => {
  it("is partial: only the keys sent change", async () => {
    const id = (await create({ webhook_url: "https://a.example.com", name: "A", event_types: ["invoice.created"] })).body.webhook_endpoint.lago_id;
    const { data } = await lago.client.webhookEndpoints.updateWebhookEndpoint(id, { webhook_endpoint: { signature_algo: "hmac" } as never });
    expect(data.webhook_endpoint).toMatchObject({ webhook_url: "https://a.example.com", name: "A", signature_algo: "hmac", event_types: ["invoice.created"] });
    const all = await lago.http("PUT", `/webhook_endpoints/${id}`, { webhook_endpoint: { event_types: null } });
    expect(all.body.webhook_endpoint.event_types).toBeNull();
  });

  it("may keep its own URL but not take another endpoint's; the limit does not apply", async () => {
    for (let i = 0; i < 10; i++) await create({ webhook_url: `https://h${i}.example.com` });
    const id = (await lago.client.webhookEndpoints.findAllWebhookEndpoints()).data.webhook_endpoints[0]!.lago_id;
    const same = await lago.http("PUT", `/webhook_endpoints/${id}`, { webhook_endpoint: { webhook_url: "https://h0.example.com", name: "kept" } });
    expect(same.status).toBe(200);
    const taken = await lago.http("PUT", `/webhook_endpoints/${id}`, { webhook_endpoint: { webhook_url: "https://h1.example.com" } });
    expect({ status: taken.status, body: taken.body }).toEqual(unprocessable({ webhook_url: ["value_already_exist"] }));
  });

  it("raises (500) on a null or unknown signature_algo and keeps the row", async () => {
    const id = (await create({ webhook_url: "https://a.example.com" })).body.webhook_endpoint.lago_id;
    for (const algo of [null, "sha256"]) {
      const res = await lago.http("PUT", `/webhook_endpoints/${id}`, { webhook_endpoint: { signature_algo: algo } });
      expect({ status: res.status, body: res.body }).toEqual(internalError);
    }
    expect((await lago.client.webhookEndpoints.findWebhookEndpoint(id)).data.webhook_endpoint.signature_algo).toBe("jwt");
  });

  it("reads the body first: no webhook_endpoint root is a 400 even for an unknown id", async () => {
    const res = await lago.http("PUT", "/webhook_endpoints/00000000-0000-4000-8000-00000000abcd", { webhook_endpoint: {} });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: webhook_endpoint" },
    });
  });

  it("answers 404 for an unknown id", async () => {
    const res = await lago.http("PUT", "/webhook_endpoints/00000000-0000-4000-8000-00000000abcd", { webhook_endpoint: { name: "x" } });
    expect({ status: res.status, body: res.body }).toEqual(endpointNotFound);
  });
});

describe("§9 delete", () => {
  it("hard-deletes: 200 with the endpoint, then 404, and the URL is free again", async () => {
    const id = (await create({ webhook_url: "https://a.example.com" })).body.webhook_endpoint.lago_id;
    const { status, data } = await lago.client.webhookEndpoints.destroyWebhookEndpoint(id);
    expect(status).toBe(200);
    expect(data.webhook_endpoint.lago_id).toBe(id);
    expect(await lagoError(lago.client.webhookEndpoints.findWebhookEndpoint(id))).toEqual(endpointNotFound);
    expect(await lagoError(lago.client.webhookEndpoints.destroyWebhookEndpoint(id))).toEqual(endpointNotFound);
    expect((await create({ webhook_url: "https://a.example.com" })).status).toBe(200);
  });
});
