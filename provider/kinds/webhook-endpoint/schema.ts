// WebhookEndpoint arguments and Lago's rules for them (lago-api.md §9; app/models/webhook_endpoint.rb), checked
// before any API call.
import { z } from "zod";
import { identifierArg, providerOptions } from "../../schema";

export const SIGNATURE_ALGOS = ["jwt", "hmac"] as const;

const httpUrl = (s: string) => {
  try {
    const url = new URL(s);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
};

export const webhookEndpointShape = {
  /** Where Lago posts events; unique in the organization. Kept as a Pulumi secret: such URLs often carry a token. */
  webhookUrl: identifierArg("the URL Lago posts events to").refine(httpUrl, { message: "must be an http(s) URL, e.g. https://billing.example.com/lago" }),
  /** How Lago signs each delivery: jwt (verify with Lago's public key) or hmac (with the organization's HMAC key). Default jwt. */
  signatureAlgo: z.enum(SIGNATURE_ALGOS, { error: "must be jwt or hmac" }).optional(),
  name: z.string({ error: "must be a string" }).nullish(),
  /** Only these event types are sent (e.g. "invoice.created"); ["*"] or none: all of them. */
  eventTypes: z.array(identifierArg("a Lago webhook event type, e.g. invoice.created"), { error: "must be a list of event types" }).optional(),
  ...providerOptions,
};

export const webhookEndpointSchema = z.strictObject(webhookEndpointShape, {
  error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to a webhook endpoint` : undefined),
});

export type WebhookEndpointInputs = z.infer<typeof webhookEndpointSchema>;
