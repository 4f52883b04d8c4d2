// WebhookEndpoint: where Lago posts billing events, as a Pulumi resource (lago-api.md §9). Its arguments are the
// kind's schema (kinds/webhook-endpoint/schema.ts), each a Pulumi input. Lago's answer holds no secret; the URL,
// which often carries a token, is kept as a Pulumi secret in the state and in outputs.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { webhookEndpointSchema } from "../kinds/webhook-endpoint/schema";
import { LagoResource } from "./reference";

/** `adopt`: take over the endpoint with this URL instead of failing. `allowDestroy`: allow deleting it (deliveries stop, its history is deleted). */
export type WebhookEndpointArgs = ArgsOf<typeof webhookEndpointSchema>;

export class WebhookEndpoint extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** A secret. */
  declare readonly webhookUrl: pulumi.Output<string>;
  declare readonly signatureAlgo: pulumi.Output<"jwt" | "hmac" | undefined>;

  constructor(name: string, args: WebhookEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "webhookUrl"];
    super("WebhookEndpoint", name, { ...args, webhookUrl: pulumi.secret(args.webhookUrl), lagoId: undefined, createdAt: undefined }, { ...opts, additionalSecretOutputs: secretOutputs });
  }
}
