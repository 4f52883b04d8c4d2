// Conformance of the local Lago's webhook endpoints with Lago's code (lago-api v1.51.0), for what the WebhookEndpoint
// kind relies on, each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });
const create = (webhook_endpoint: Record<string, unknown>) => lago.http("POST", "/webhook_endpoints", { webhook_endpoint });

describe("webhook endpoints as Lago's code has them", () => {
  it("event types are trimmed, lower-cased and kept once; [\"*\"] means all and reads back null (webhook_endpoint.rb normalize_event_types)", async () => {
    const a = await create({ webhook_url: "https://a.example.com/hook", event_types: [" Invoice.Created", "invoice.created", "customer.created"] });
    expect(a.body.webhook_endpoint.event_types).toEqual(["invoice.created", "customer.created"]);
    const b = await create({ webhook_url: "https://b.example.com/hook", event_types: ["*"] });
    expect(b.body.webhook_endpoint.event_types).toBeNull();
  });

  it("the answer holds no secret: no key, no token, only the URL given (app/serializers/v1/webhook_endpoint_serializer.rb)", async () => {
    const { body } = await create({ webhook_url: "https://a.example.com/hook", signature_algo: "hmac" });
    expect(Object.keys(body.webhook_endpoint).sort()).toEqual(["created_at", "event_types", "lago_id", "lago_organization_id", "name", "signature_algo", "webhook_url"]);
  });

  it("a URL is unique in the organization (webhook_endpoint.rb uniqueness)", async () => {
    await create({ webhook_url: "https://a.example.com/hook" });
    const again = await create({ webhook_url: "https://a.example.com/hook" });
    expect(again.status).toBe(422);
    expect(again.body.error_details).toEqual({ webhook_url: ["value_already_exist"] });
  });
});
