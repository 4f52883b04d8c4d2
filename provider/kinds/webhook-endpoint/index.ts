// WebhookEndpoint kind (lago-api.md §9). Lago addresses an endpoint by its lago_id and keeps its URL unique, so the
// URL is the key and a lookup lists the endpoints. Deleting one stops the deliveries to it and deletes its delivery
// history (app/models/webhook_endpoint.rb has_many :webhooks, dependent: :delete_all): it is always guarded.
import { segment, send } from "../../contract";
import { unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { normalize, outputs, toArgs, toWire, type LagoWebhookEndpoint, type WebhookEndpointBody } from "./payload";
import { webhookEndpointSchema, type WebhookEndpointInputs } from "./schema";

async function endpoints({ client }: KindCall) {
  return listAll(async (page) => {
    const data = await send(client, "findAllWebhookEndpoints", { method: "GET", path: "/webhook_endpoints", query: { page, per_page: 100 } });
    return { items: data.webhook_endpoints, meta: data.meta };
  });
}

export const webhookEndpointSpec: KindSpec<WebhookEndpointInputs, LagoWebhookEndpoint, WebhookEndpointBody> = {
  kind: "WebhookEndpoint",
  keyArg: "webhookUrl",
  keyField: "webhook_url",
  // The URL may carry a token: messages name the endpoint by its host and path only.
  identify: (args) => {
    try {
      const url = new URL(String(args.webhookUrl));
      return `webhook_url "${url.origin}${url.pathname}"`;
    } catch {
      return "webhook_url (not a URL)";
    }
  },
  // Lago refuses a second endpoint with this URL (webhook_endpoint.rb uniqueness): a create is one POST.
  createRefusesDuplicate: true,
  schema: webhookEndpointSchema,
  cleared: { signatureAlgo: "jwt", name: null, eventTypes: [] },
  normalize,
  toArgs,
  outputs,
  toWire: (payload) => toWire(payload),
  api: {
    async find(call, url) {
      return (await endpoints(call)).find((e) => e.webhook_url === url);
    },
    async findById({ client }, lagoId) {
      return (await unlessNotFound(send(client, "findWebhookEndpoint", { method: "GET", path: `/webhook_endpoints/${segment(lagoId)}` })))?.webhook_endpoint;
    },
    async create({ client }, body) {
      return (await send(client, "createWebhookEndpoint", { method: "POST", path: "/webhook_endpoints", body: { webhook_endpoint: body } })).webhook_endpoint;
    },
    async update({ client }, current, body) {
      return (await send(client, "updateWebhookEndpoint", { method: "PUT", path: `/webhook_endpoints/${segment(current.lago_id)}`, body: { webhook_endpoint: body } })).webhook_endpoint;
    },
    async remove({ client }, current) {
      await send(client, "destroyWebhookEndpoint", { method: "DELETE", path: `/webhook_endpoints/${segment(current.lago_id)}` });
    },
  },
  async loss() {
    return "Lago stops sending billing events to it (invoices, payments, alerts…) and deletes its delivery history";
  },
};

export const webhookEndpointKind = (runtime: KindRuntime): KindProvider => defineKind(webhookEndpointSpec, runtime);
