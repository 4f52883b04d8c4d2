// WebhookEndpoint: arguments ↔ Lago's `webhook_endpoint` object (lago-api.md §9), typed by Lago's contract.
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import type { WebhookEndpointInputs } from "./schema";

/** Lago's webhook endpoint object. */
export type LagoWebhookEndpoint = Wire["WebhookEndpointObject"];
/** The `webhook_endpoint` body of a create or update. */
export type WebhookEndpointBody = NonNullable<Wire["WebhookEndpointCreateInput"]["webhook_endpoint"]>;

export type WebhookEndpointArgs = Managed<WebhookEndpointInputs>;

export function toWire(p: WebhookEndpointArgs): WebhookEndpointBody {
  const body: WebhookEndpointBody = { webhook_url: p.webhookUrl ?? "" };
  if ("signatureAlgo" in p) body.signature_algo = p.signatureAlgo ?? "jwt";
  if ("name" in p) body.name = p.name ?? null;
  // ["*"] is Lago's "every event type" (webhook_endpoint.rb normalize_event_types), as is none.
  if ("eventTypes" in p) body.event_types = p.eventTypes?.length ? p.eventTypes : ["*"];
  return body;
}

export function toArgs(r: LagoWebhookEndpoint): WebhookEndpointArgs {
  return { webhookUrl: r.webhook_url, signatureAlgo: r.signature_algo ?? "jwt", name: r.name ?? null, eventTypes: r.event_types ?? [] };
}

export const outputs = (r: LagoWebhookEndpoint): Args => ({ lagoId: r.lago_id, createdAt: r.created_at });

/** Comparable form as Lago normalizes event types (trimmed, lower case, once each; ["*"] is all), jwt the default. */
export function normalize(args: WebhookEndpointArgs): Args {
  const out: Args = { ...args };
  if (out.signatureAlgo === "jwt") delete out.signatureAlgo;
  if (out.name === "") delete out.name;
  if (Array.isArray(args.eventTypes)) {
    const types = [...new Set(args.eventTypes.map((t) => t.trim().toLowerCase()).filter((t) => t))].sort();
    out.eventTypes = types.length && !(types.length === 1 && types[0] === "*") ? types : undefined;
  }
  return out;
}
