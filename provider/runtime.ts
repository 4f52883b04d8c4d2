// What the dynamic-provider host loads: provider configuration for this process plus one provider object per kind.
// A resource's `__provider` is one line naming its kind here (`require("pulumi-lago/runtime").kinds.Plan`, see
// resources/reference.ts), so the pulumi-lago installed next to the program is what runs, whatever release wrote
// the state. Release 0.1.0 serialized closures calling `require("pulumi-lago/runtime").<camelKind>.<method>`: those
// names (billableMetric, customer, plan, subscription) are kept, so its checkpoints run this code too.
import { lagoClient } from "./client";
import { resolveSettings, setConfigured, type ConfiguredValues } from "./config";
import type { KindProvider, KindRuntime } from "./kind";
import { billableMetricKind } from "./kinds/billable-metric";
import { customerKind } from "./kinds/customer";
import { planKind } from "./kinds/plan";
import { subscriptionKind } from "./kinds/subscription";
import { taxKind } from "./kinds/tax";
import { addOnKind } from "./kinds/add-on";
import { couponKind } from "./kinds/coupon";
import { appliedCouponKind } from "./kinds/applied-coupon";
import { webhookEndpointKind } from "./kinds/webhook-endpoint";
import { organizationKind } from "./kinds/organization";
import { walletKind } from "./kinds/wallet";

const runtime: KindRuntime = {
  call: () => {
    const settings = resolveSettings();
    return { client: lagoClient(settings), retry: settings.retry };
  },
};

/** Pulumi calls this once per provider process with the stack config (`lago:apiUrl`, secret `lago:apiKey`). */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  setConfigured({ apiUrl: req.config.get("lago:apiUrl"), apiKey: req.config.get("lago:apiKey") });
}

/** Programmatic configuration (tests, tools): same effect as stack config. */
export function configureWith(values: ConfiguredValues): void {
  setConfigured(values);
}

/** What a resource shell reaches: the kind's provider methods plus the process-wide `configure`. */
export type HostedKind = KindProvider & { configure: typeof configure };

const hosted = (provider: KindProvider): HostedKind => ({ ...pickMethods(provider), configure });

const pickMethods = (p: KindProvider): KindProvider => ({
  check: (o, n) => p.check(o, n),
  diff: (id, o, n) => p.diff(id, o, n),
  create: (i) => p.create(i),
  read: (id, props) => p.read(id, props),
  update: (id, o, n) => p.update(id, o, n),
  delete: (id, props) => p.delete(id, props),
});

export const billableMetric: HostedKind = hosted(billableMetricKind(runtime));
export const customer: HostedKind = hosted(customerKind(runtime));
export const plan: HostedKind = hosted(planKind(runtime));
export const subscription: HostedKind = hosted(subscriptionKind(runtime));
export const tax: HostedKind = hosted(taxKind(runtime));
export const addOn: HostedKind = hosted(addOnKind(runtime));
export const coupon: HostedKind = hosted(couponKind(runtime));
export const appliedCoupon: HostedKind = hosted(appliedCouponKind(runtime));
export const webhookEndpoint: HostedKind = hosted(webhookEndpointKind(runtime));
export const organization: HostedKind = hosted(organizationKind(runtime));
export const wallet: HostedKind = hosted(walletKind(runtime));

/** Each kind under its resource type name: what a provider reference resolves. */
export const kinds = { BillableMetric: billableMetric, Customer: customer, Plan: plan, Subscription: subscription, Tax: tax, AddOn: addOn, Coupon: coupon, AppliedCoupon: appliedCoupon, WebhookEndpoint: webhookEndpoint, Organization: organization, Wallet: wallet } satisfies Record<string, HostedKind>;

export type KindName = keyof typeof kinds;
