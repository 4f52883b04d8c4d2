// Bad WebhookEndpoint specs (lago-api.md §9; app/models/webhook_endpoint.rb: url, signature_algo enum, event types).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "webhookEndpoint", args: { webhookUrl: "https://billing.example.com/lago", signatureAlgo: "hmac" } };
const endpoint = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const URL_REASON = "webhookUrl must be an http(s) URL, e.g. https://billing.example.com/lago";

export const rows: BadInputRow[] = [
  { name: "missing URL", kind: "webhookEndpoint", args: endpoint({ webhookUrl: undefined }), failure: { property: "webhookUrl", reason: "webhookUrl is required (the URL Lago posts events to)" } },
  { name: "blank URL", kind: "webhookEndpoint", args: endpoint({ webhookUrl: "  " }), failure: { property: "webhookUrl", reason: "webhookUrl must not be blank (the URL Lago posts events to)" } },
  { name: "URL without scheme", kind: "webhookEndpoint", args: endpoint({ webhookUrl: "billing.example.com/lago" }), failure: { property: "webhookUrl", reason: URL_REASON } },
  { name: "ftp URL", kind: "webhookEndpoint", args: endpoint({ webhookUrl: "ftp://billing.example.com/lago" }), failure: { property: "webhookUrl", reason: URL_REASON } },
  { name: "URL as a number", kind: "webhookEndpoint", args: endpoint({ webhookUrl: 443 }), failure: { property: "webhookUrl", reason: "webhookUrl is required (the URL Lago posts events to)" } },
  { name: "unknown signature", kind: "webhookEndpoint", args: endpoint({ signatureAlgo: "rsa" }), failure: { property: "signatureAlgo", reason: "signatureAlgo must be jwt or hmac" } },
  { name: "upper-case signature", kind: "webhookEndpoint", args: endpoint({ signatureAlgo: "HMAC" }), failure: { property: "signatureAlgo", reason: "signatureAlgo must be jwt or hmac" } },
  { name: "event types as a string", kind: "webhookEndpoint", args: endpoint({ eventTypes: "invoice.created" }), failure: { property: "eventTypes", reason: "eventTypes must be a list of event types" } },
  { name: "blank event type", kind: "webhookEndpoint", args: endpoint({ eventTypes: ["invoice.created", " "] }), failure: { property: "eventTypes[1]", reason: "eventTypes[1] must not be blank (a Lago webhook event type, e.g. invoice.created)" } },
  { name: "name as a number", kind: "webhookEndpoint", args: endpoint({ name: 7 }), failure: { property: "name", reason: "name must be a string" } },
  { name: "a secret given as a field", kind: "webhookEndpoint", args: endpoint({ secret: "s3cr3t" }), failure: { property: "", reason: "secret does not apply to a webhook endpoint" } },
];
