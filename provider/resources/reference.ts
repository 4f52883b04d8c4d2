// How a Lago resource names its provider in the state. The engine sees an ordinary dynamic resource: the type
// token `pulumi-nodejs:dynamic/lago:<Kind>`, the dynamic-provider host as its plugin, and a `__provider` module
// whose `handler()` returns the provider. That module is one line resolving the pulumi-lago installed next to the
// program when the host runs it, instead of a closure serialized from the program: the text is the same for every
// release (an upgrade shows no `__provider` change, and create, update, refresh and delete of resources written
// by any release run the installed code), it weighs ~70 bytes instead of ~2 KB, and it can hold no key.
import * as pulumi from "@pulumi/pulumi";

/** The resource type names; each is a key of the runtime's `kinds`. */
export type LagoKind = "BillableMetric" | "Customer" | "Plan" | "Subscription" | "Tax" | "AddOn" | "Coupon" | "AppliedCoupon" | "WebhookEndpoint" | "Organization" | "Wallet";

/** The token `pulumi.dynamic.Resource` registers with module "lago": the dynamic-provider host serves it. */
export const dynamicType = (kind: LagoKind): string => `pulumi-nodejs:dynamic/lago:${kind}`;

/** The `__provider` text: never change it, every state in the field holds it. */
export const providerReference = (kind: LagoKind): string => `exports.handler = () => require("pulumi-lago/runtime").kinds.${kind};`;

/** A Lago object as a dynamic resource whose provider is the installed pulumi-lago. */
export abstract class LagoResource extends pulumi.CustomResource {
  protected constructor(kind: LagoKind, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super(dynamicType(kind), name, { ...props, __provider: providerReference(kind) }, opts);
  }
}
