// What the dynamic-provider host loads: provider configuration for this process plus one provider object per kind.
// A resource's `__provider` is one line naming its kind here (`require("pulumi-lago/runtime").kinds.Plan`, see
// resources/reference.ts), so the pulumi-lago installed next to the program is what runs, whatever release wrote
// the state. Release 0.1.0 serialized closures calling `require("pulumi-lago/runtime").<camelKind>.<method>`: those
// names (billableMetric, customer, plan, subscription) are kept, so its checkpoints run this code too.
import { lagoClient } from "./client";
import { resolveSettings, setConfigured, type ConfiguredValues } from "./config";
import type { KindProvider, KindRuntime } from "./kind";

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

type KindFactory = (runtime: KindRuntime) => KindProvider;

/**
 * A kind's module is loaded when a resource of that kind is first served, not with this file: a provider host
 * serves one engine operation, usually of a few kinds, and loading every kind's schemas would add to each start.
 * Loaded by Node's CommonJS loader (the installed package's dist/, or the sources under tsx's hook in a checkout's
 * provider host), the module is required the same way; a test runner that evaluates this file itself (vitest)
 * imports it instead.
 */
const loadModule = <M>(specifier: string): Promise<M> =>
  typeof require === "function" && require.cache[__filename] ? Promise.resolve(require(specifier) as M) : (import(specifier) as Promise<M>);

const hosted = (load: () => Promise<KindFactory>): HostedKind => {
  let loaded: Promise<KindProvider> | undefined;
  const provider = () => (loaded ??= load().then((factory) => factory(runtime)));
  return {
    check: async (o, n) => (await provider()).check(o, n),
    diff: async (id, o, n) => (await provider()).diff(id, o, n),
    create: async (i) => (await provider()).create(i),
    read: async (id, props) => (await provider()).read(id, props),
    update: async (id, o, n) => (await provider()).update(id, o, n),
    delete: async (id, props) => (await provider()).delete(id, props),
    configure,
  };
};

// One line per kind: its module and the factory it exports.
export const billableMetric = hosted(async () => (await loadModule<typeof import("./kinds/billable-metric")>("./kinds/billable-metric")).billableMetricKind);
export const customer = hosted(async () => (await loadModule<typeof import("./kinds/customer")>("./kinds/customer")).customerKind);
export const plan = hosted(async () => (await loadModule<typeof import("./kinds/plan")>("./kinds/plan")).planKind);
export const subscription = hosted(async () => (await loadModule<typeof import("./kinds/subscription")>("./kinds/subscription")).subscriptionKind);
export const tax = hosted(async () => (await loadModule<typeof import("./kinds/tax")>("./kinds/tax")).taxKind);
export const addOn = hosted(async () => (await loadModule<typeof import("./kinds/add-on")>("./kinds/add-on")).addOnKind);
export const coupon = hosted(async () => (await loadModule<typeof import("./kinds/coupon")>("./kinds/coupon")).couponKind);
export const appliedCoupon = hosted(async () => (await loadModule<typeof import("./kinds/applied-coupon")>("./kinds/applied-coupon")).appliedCouponKind);
export const webhookEndpoint = hosted(async () => (await loadModule<typeof import("./kinds/webhook-endpoint")>("./kinds/webhook-endpoint")).webhookEndpointKind);
export const organization = hosted(async () => (await loadModule<typeof import("./kinds/organization")>("./kinds/organization")).organizationKind);
export const wallet = hosted(async () => (await loadModule<typeof import("./kinds/wallet")>("./kinds/wallet")).walletKind);

/** Each kind under its resource type name: what a provider reference resolves. */
export const kinds = { BillableMetric: billableMetric, Customer: customer, Plan: plan, Subscription: subscription, Tax: tax, AddOn: addOn, Coupon: coupon, AppliedCoupon: appliedCoupon, WebhookEndpoint: webhookEndpoint, Organization: organization, Wallet: wallet } satisfies Record<string, HostedKind>;

export type KindName = keyof typeof kinds;
