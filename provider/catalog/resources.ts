// Turns a validated catalog into Lago resources. Plans receive their metrics as resources and subscriptions
// their plan and customer, so the engine creates metrics before the plans charging them and plans and
// customers before subscriptions, and deletes in the reverse order.
import type * as pulumi from "@pulumi/pulumi";
import { BillableMetric, type BillableMetricArgs } from "../resources/billable-metric";
import { Customer, type CustomerArgs } from "../resources/customer";
import { Plan, type PlanArgs, type PlanChargeArgs } from "../resources/plan";
import { Subscription, type SubscriptionArgs } from "../resources/subscription";
import type { Catalog, CatalogCustomer, CatalogMetric, CatalogPlan, CatalogSubscription } from "./schema";

export interface CatalogResourceOptions {
  /** Prefixed to every resource name (default ""), to hold two catalogs in one stack. */
  namePrefix?: string;
  /** Options given to every resource (parent, protect, provider hooks …). */
  resourceOptions?: pulumi.CustomResourceOptions;
}

export interface CatalogResources {
  /** By metric code. */
  metrics: Record<string, BillableMetric>;
  /** By plan code. */
  plans: Record<string, Plan>;
  /** By customer external id. */
  customers: Record<string, Customer>;
  /** By subscription external id. */
  subscriptions: Record<string, Subscription>;
}

/**
 * One resource per catalog entry, named `<prefix>metric-<code>`, `plan-<code>`, `customer-<externalId>`,
 * `subscription-<externalId>`: names follow the codes, so reordering the YAML changes nothing.
 */
export function catalogResources(catalog: Catalog, options: CatalogResourceOptions = {}): CatalogResources {
  const prefix = options.namePrefix ?? "";
  const opts = options.resourceOptions;

  const metrics = byKey(catalog.metrics, (m) => m.code, (m) => new BillableMetric(`${prefix}metric-${m.code}`, metricArgs(m), opts));
  const plans = byKey(catalog.plans, (p) => p.code, (p) => new Plan(`${prefix}plan-${p.code}`, planArgs(p, metrics), opts));
  const customers = byKey(catalog.customers, (c) => c.externalId, (c) => new Customer(`${prefix}customer-${c.externalId}`, customerArgs(c), opts));
  const subscriptions = byKey(
    catalog.subscriptions,
    (s) => s.externalId,
    (s) => new Subscription(`${prefix}subscription-${s.externalId}`, subscriptionArgs(s, plans, customers), opts),
  );
  return { metrics, plans, customers, subscriptions };
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
