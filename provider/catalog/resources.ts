// Turns a validated catalog into Lago resources. Plans receive their metrics as resources, subscriptions their plan
// and customer, applied coupons their customer and coupon; what names a tax, a plan or a metric by code depends on
// that resource. So the engine creates taxes and metrics before the plans using them, plans before the coupons
// limited to them, plans and customers before subscriptions, and deletes in the reverse order.
import type * as pulumi from "@pulumi/pulumi";
import { AddOn, type AddOnArgs } from "../resources/add-on";
import { AppliedCoupon } from "../resources/applied-coupon";
import { BillableMetric, type BillableMetricArgs } from "../resources/billable-metric";
import { Coupon, type CouponArgs } from "../resources/coupon";
import { Customer, type CustomerArgs } from "../resources/customer";
import { Plan, type PlanArgs, type PlanChargeArgs } from "../resources/plan";
import { Subscription, type SubscriptionArgs } from "../resources/subscription";
import { Tax, type TaxArgs } from "../resources/tax";
import { Wallet } from "../resources/wallet";
import { WebhookEndpoint, type WebhookEndpointArgs } from "../resources/webhook-endpoint";
import { fixedChargesOf, overridesOf, type Catalog, type CatalogCustomer, type CatalogMetric, type CatalogPlan, type CatalogSubscription, type CatalogWebhookEndpoint } from "./schema";

export interface CatalogResourceOptions {
  /** Prefixed to every resource name (default ""), to hold two catalogs in one stack. */
  namePrefix?: string;
  /** Options given to every resource (parent, protect, provider hooks …). */
  resourceOptions?: pulumi.CustomResourceOptions;
  /**
   * Every resource takes over the Lago object with its key when it is created (`adopt: true`), as a program exported
   * from an existing organization does on its first `up`. Adoption is only consulted at create: once a resource is
   * in the state, a deletion in Lago is drift (`pulumi refresh` drops it, the next preview shows it created again).
   */
  adopt?: boolean;
}

export interface CatalogResources {
  /** By tax code. */
  taxes: Record<string, Tax>;
  /** By metric code. */
  metrics: Record<string, BillableMetric>;
  /** By plan code. */
  plans: Record<string, Plan>;
  /** By customer external id. */
  customers: Record<string, Customer>;
  /** By subscription external id. */
  subscriptions: Record<string, Subscription>;
  /** By add-on code. */
  addOns: Record<string, AddOn>;
  /** By coupon code. */
  coupons: Record<string, Coupon>;
  /** By `<externalCustomerId>/<couponCode>`. */
  appliedCoupons: Record<string, AppliedCoupon>;
  /** By the environment variable holding the URL, else by the entry's position (URLs are secrets, never names). */
  webhookEndpoints: Record<string, WebhookEndpoint>;
  /** By `<externalCustomerId>/<currency>`, and `/<name>` when named. */
  wallets: Record<string, Wallet>;
}

/**
 * One resource per catalog entry, named `<prefix>tax-<code>`, `metric-<code>`, `plan-<code>`, `addon-<code>`,
 * `coupon-<code>`, `customer-<externalId>`, `subscription-<externalId>`, `applied-coupon-<externalId>-<code>`,
 * `webhook-<env name or position>`, `wallet-<externalId>-<currency>[-<name>]`: names follow the keys, so reordering the YAML changes nothing (but the position
 * of a webhook endpoint written with its URL).
 */
export function catalogResources(catalog: Catalog, options: CatalogResourceOptions = {}): CatalogResources {
  const prefix = options.namePrefix ?? "";
  const opts = options.resourceOptions;
  const adopting = <T extends object>(args: T): T => (options.adopt ? { ...args, adopt: true } : args);
  /** The options, plus a dependency on what the entry names by code. */
  const after = (needed: ReadonlyArray<pulumi.Resource | undefined>): pulumi.CustomResourceOptions | undefined => {
    const extra = needed.filter((r): r is pulumi.Resource => r !== undefined);
    if (!extra.length) return opts;
    const own = opts?.dependsOn;
    return { ...opts, dependsOn: own === undefined ? extra : ([] as pulumi.Input<pulumi.Resource>[]).concat(own as never, extra) };
  };

  const taxes = byKey(catalog.taxes, (t) => t.code, (t) => new Tax(`${prefix}tax-${t.code}`, adopting(withoutNulls(t) as TaxArgs), opts));
  const taxesOf = (codes: ReadonlyArray<string> | undefined) => (codes ?? []).map((code) => taxes[code]);
  const metrics = byKey(catalog.metrics, (m) => m.code, (m) => new BillableMetric(`${prefix}metric-${m.code}`, adopting(metricArgs(m)), opts));
  const addOns = byKey(catalog.addOns, (a) => a.code, (a) => new AddOn(`${prefix}addon-${a.code}`, adopting(withoutNulls(a) as AddOnArgs), after(taxesOf(a.taxCodes))));
  const plans = byKey(catalog.plans, (p) => p.code, (p) =>
    new Plan(`${prefix}plan-${p.code}`, adopting(planArgs(p, metrics)), after([...planTaxes(p).map((c) => taxes[c]), ...fixedChargesOf(p).map((f) => addOns[f.addOnCode ?? ""])])),
  );
  const coupons = byKey(
    catalog.coupons,
    (c) => c.code,
    (c) =>
      new Coupon(`${prefix}coupon-${c.code}`, adopting(withoutNulls(c) as CouponArgs), after([...(c.planCodes ?? []).map((p) => plans[p]), ...(c.billableMetricCodes ?? []).map((m) => metrics[m])])),
  );
  const webhookEndpoints = Object.fromEntries(
    catalog.webhookEndpoints.map((e, i) => {
      const key = e.webhookUrlEnv ?? String(i + 1);
      return [key, new WebhookEndpoint(`${prefix}webhook-${key}`, adopting(webhookArgs(e, i)), opts)];
    }),
  );
  const customers = byKey(catalog.customers, (c) => c.externalId, (c) => new Customer(`${prefix}customer-${c.externalId}`, adopting(customerArgs(c)), after(taxesOf(c.taxCodes))));
  const subscriptions = byKey(
    catalog.subscriptions,
    (s) => s.externalId,
    (s) => new Subscription(`${prefix}subscription-${s.externalId}`, adopting(subscriptionArgs(s, plans, customers)), after(taxesOf(overrideTaxes(s)))),
  );
  const appliedCoupons = byKey(
    catalog.appliedCoupons,
    (a) => `${a.externalCustomerId}/${a.couponCode}`,
    (a) => {
      const { externalCustomerId, couponCode, ...overrides } = withoutNulls(a);
      const args = { ...overrides, customer: customers[externalCustomerId]!, coupon: coupons[couponCode]! };
      return new AppliedCoupon(`${prefix}applied-coupon-${externalCustomerId}-${couponCode}`, adopting(args), opts);
    },
  );
  const wallets = byKey(
    catalog.wallets,
    (w) => [w.externalCustomerId, w.currency, ...(w.name ? [w.name] : [])].join("/"),
    (w) => {
      const { externalCustomerId, ...rest } = withoutNulls(w);
      const name = [externalCustomerId, w.currency, ...(w.name ? [w.name] : [])].join("-");
      return new Wallet(`${prefix}wallet-${name}`, adopting({ ...rest, customer: customers[externalCustomerId]! }), opts);
    },
  );
  return { taxes, metrics, plans, customers, subscriptions, addOns, coupons, appliedCoupons, webhookEndpoints, wallets };
}

/** Every tax code a plan names: its own, its commitment's, its charges' and its fixed charges'. */
const planTaxes = (p: CatalogPlan): string[] => [
  ...new Set([
    ...(p.taxCodes ?? []),
    ...(p.minimumCommitment?.taxCodes ?? []),
    ...(p.charges ?? []).flatMap((c) => c.taxCodes ?? []),
    ...fixedChargesOf(p).flatMap((f) => f.taxCodes ?? []),
  ]),
];

/** Every tax code a subscription's plan overrides name. */
function overrideTaxes(s: CatalogSubscription): string[] {
  const o = overridesOf(s);
  return [...new Set([...(o?.taxCodes ?? []), ...(o?.minimumCommitment?.taxCodes ?? []), ...(o?.charges ?? []).flatMap((c) => c.taxCodes ?? [])])];
}

/** The URL as written, or read from its environment variable when the program runs (the file then holds no token). */
function webhookArgs(entry: CatalogWebhookEndpoint, index: number): WebhookEndpointArgs {
  const { webhookUrl, webhookUrlEnv, ...rest } = withoutNulls(entry);
  const url = webhookUrl ?? (webhookUrlEnv ? process.env[webhookUrlEnv] : undefined);
  if (!url)
    throw new Error(
      `catalog webhookEndpoints[${index}]${rest.name ? ` ("${rest.name}")` : ""}: the environment variable ${webhookUrlEnv} is not set: set it to the endpoint's URL (Lago's UI shows it under Developers → Webhooks)`,
    );
  return { ...rest, webhookUrl: url };
}

function byKey<T, R>(items: readonly T[], key: (item: T) => string, make: (item: T) => R): Record<string, R> {
  return Object.fromEntries(items.map((item) => [key(item), make(item)]));
}

/** YAML `~` means "not set" in a declaration; the resources take absent arguments, not nulls. */
function withoutNulls<T extends object>(entry: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null && v !== undefined)) as never;
}

const metricArgs = (m: CatalogMetric): BillableMetricArgs => withoutNulls(m) as BillableMetricArgs;

function planArgs(plan: CatalogPlan, metrics: Record<string, BillableMetric>): PlanArgs {
  const charges = plan.charges?.map(({ billableMetricCode, ...charge }) => {
    // The catalog schema guarantees the code names one of its metrics.
    const metric = metrics[billableMetricCode!]!;
    return { ...charge, billableMetric: metric } as PlanChargeArgs;
  });
  return { ...plan, charges } as PlanArgs;
}

const customerArgs = (c: CatalogCustomer): CustomerArgs => withoutNulls(c) as CustomerArgs;

function subscriptionArgs(s: CatalogSubscription, plans: Record<string, Plan>, customers: Record<string, Customer>): SubscriptionArgs {
  const { planCode, externalCustomerId, ...rest } = s;
  return { ...rest, plan: plans[planCode]!, customer: customers[externalCustomerId]! };
}
