// Runs a pricing preview: a Pulumi preview of the stack through the Automation API, its Lago steps captured from
// the engine's events, then (with `customers`) the current usage of every active subscription on a changed plan,
// read from Lago with GET calls only. Works with any automation Stack: an inline program (`offlineStack`) or a
// project directory.
import type { EngineEvent, PreviewResult, Stack } from "@pulumi/pulumi/automation";
import type Decimal from "decimal.js";
import { lagoClient, type LagoClient } from "../client";
import { normalizeApiUrl } from "../config";
import { isNotFound, unlessNotFound } from "../errors";
import { applicationsOf } from "../kinds/coupon";
import type { Policy } from "../policy";
import type { AppliedCouponTerms, TaxRate } from "../pricing";
import type { DowngradingSubscription, PendingDowngrade } from "./attention";
import { listAll } from "../paging";
import { DEFAULT_RETRY } from "../retry";
import type { LagoChargeUsage, SubscriptionTerms, SubscriptionUsage } from "./impact";
import { containsUnknown } from "../canonical";
import { segment, send } from "../contract";
import type { OverridesArgsLike } from "../kinds/subscription/payload";
import { overrideSides } from "./override-sides";
import { buildReport, type PreviewReport } from "./report";
import { stepsFromEvents, type PreviewStep, type StepMetadataLike } from "./steps";

export interface PricingPreviewOptions {
  stack: Stack;
  /** Shown in the report and its marker; default: the stack's name. */
  stackName?: string;
  /** Re-price the active subscriptions of changed plans with their current usage. */
  customers?: boolean;
  /** Where to read usage; default: the stack's `lago:apiUrl` / `lago:apiKey`, else LAGO_API_URL / LAGO_API_KEY. */
  lago?: { apiUrl: string; apiKey: string };
  /** Usage levels for the bill impact; default: the plans' range edges. */
  levels?: readonly Decimal.Value[];
  anonymize?: boolean;
  /** Premium-only pricing rules apply (default true, as on Lago Cloud). */
  premium?: boolean;
  /** A pricing policy to check the change against (`--policy`). */
  policy?: Policy;
  /** Pulumi's own preview output. */
  onOutput?: (text: string) => void;
}

export interface PricingPreviewResult {
  report: PreviewReport;
  steps: PreviewStep[];
  preview: PreviewResult;
}

export async function runPricingPreview(options: PricingPreviewOptions): Promise<PricingPreviewResult> {
  const events: StepMetadataLike[] = [];
  const onEvent = (event: EngineEvent) => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata) events.push(metadata);
  };
  const preview = await options.stack.preview({ onEvent, onOutput: options.onOutput, diff: false });
  const steps = stepsFromEvents(events);
  const base = { stack: options.stackName ?? options.stack.name, steps, levels: options.levels, anonymize: options.anonymize, premium: options.premium, policy: options.policy };
  const deleted = deletedPlanCodes(steps);
  if (!options.customers && !(options.policy && options.policy.noDeleteWithSubscribers !== false && deleted.length)) return { report: buildReport(base), steps, preview };

  const client = lagoClient({ ...(await lagoSettings(options)), retry: DEFAULT_RETRY });
  if (!options.customers) {
    // The policy's "no deletion of a plan with subscribers" needs only the deleted plans' subscribers.
    const subscribers = await subscribersOf(client, deleted);
    return { report: buildReport({ ...base, facts: { pendingDowngrades: [], downgrading: [], subscribers } }), steps, preview };
  }

  // Which plans change is the report's call; their subscriptions are read only then.
  const planCodes = buildReport(base)
    .plans.filter((p) => p.op !== "create")
    .map((p) => p.code);
  const reader = new LagoReader(client);
  const { usage, overridden: onOwnPrices, downgrading } = await reader.usageOf(planCodes);
  // A subscription whose plan overrides change is re-priced on its own plan, before and after.
  const overrideChanges = await reader.overrideChangesOf(steps);
  usage.push(...overrideChanges);
  const overridden = onOwnPrices.filter((o) => !overrideChanges.some((u) => u.externalSubscriptionId === o.subscription));
  const metricPlans = plansChargingChangedMetrics(steps).filter((code) => !planCodes.includes(code));
  const metricUsage = (await reader.usageOf(metricPlans)).usage;
  const facts = {
    pendingDowngrades: await reader.pendingDowngrades(planCodes),
    downgrading,
    subscribers: await subscribersOf(client, [...new Set([...planCodes, ...deleted])]),
    metricUsage,
    couponHolders: await couponHoldersOf(client, changedCouponCodes(steps)),
  };
  return { report: buildReport({ ...base, usage, overridden, facts }), steps, preview };
}

const codeOf = (state: PreviewStep["old"]) => (typeof state?.inputs.code === "string" ? state.inputs.code : typeof state?.outputs.code === "string" ? state.outputs.code : undefined);

function deletedPlanCodes(steps: readonly PreviewStep[]): string[] {
  return steps.filter((s) => s.kind === "Plan" && (s.op === "delete" || s.op === "replace")).flatMap((s) => codeOf(s.old) ?? []);
}

/** Plans (their old side) charging a metric the preview updates, replaces or deletes. */
function plansChargingChangedMetrics(steps: readonly PreviewStep[]): string[] {
  const metrics = new Set(steps.filter((s) => s.kind === "BillableMetric" && ["update", "replace", "delete"].includes(s.op)).flatMap((s) => codeOf(s.old) ?? []));
  if (!metrics.size) return [];
  return steps
    .filter((s) => s.kind === "Plan" && s.old)
    .filter((s) => {
      const charges = (s.old!.outputs.charges ?? s.old!.inputs.charges) as Array<{ billableMetricCode?: string }> | undefined;
      return (charges ?? []).some((c) => c.billableMetricCode && metrics.has(c.billableMetricCode));
    })
    .flatMap((s) => codeOf(s.old) ?? []);
}

async function lagoSettings(options: PricingPreviewOptions): Promise<{ apiUrl: string; apiKey: string }> {
  if (options.lago) return { apiUrl: normalizeApiUrl(options.lago.apiUrl), apiKey: options.lago.apiKey };
  const config = await options.stack.getAllConfig();
  const apiUrl = config["lago:apiUrl"]?.value ?? process.env.LAGO_API_URL;
  const apiKey = config["lago:apiKey"]?.value ?? process.env.LAGO_API_KEY;
  if (!apiUrl || !apiKey) throw new Error("--customers needs Lago's address and key: set lago:apiUrl and lago:apiKey in the stack config, or LAGO_API_URL and LAGO_API_KEY");
  return { apiUrl: normalizeApiUrl(apiUrl), apiKey };
}

interface ListedSubscription {
  external_id: string;
  external_customer_id: string;
  plan_code: string;
  plan_amount_currency: string;
  billing_time: "calendar" | "anniversary";
  started_at: string | null;
  subscription_at: string | null;
  next_plan_code: string | null;
  previous_plan_code: string | null;
  progressive_billing_disabled?: boolean;
}

const SUBSCRIBER_STATUSES = ["active", "pending", "terminated", "canceled"];

async function listSubscriptions(client: LagoClient, query: { plan_code: string; "status[]": string[]; overridden?: boolean }): Promise<ListedSubscription[]> {
  return listAll(async (page) => {
    const { data } = await client.subscriptions.findAllSubscriptions({ ...query, page, per_page: 100 } as never);
    return { items: data.subscriptions as unknown as ListedSubscription[], meta: data.meta };
  });
}

/** Customers with a subscription of any status on each plan: Lago's "attached to subscriptions" (app/models/plan.rb). */
async function subscribersOf(client: LagoClient, planCodes: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const code of planCodes) out[code] = [...new Set((await listSubscriptions(client, { plan_code: code, "status[]": SUBSCRIBER_STATUSES })).map((s) => s.external_customer_id))].sort();
  return out;
}

/** Coupons an update or replace touches: Lago freezes their terms once applied. */
const changedCouponCodes = (steps: readonly PreviewStep[]): string[] =>
  [...new Set(steps.filter((s) => s.kind === "Coupon" && (s.op === "update" || s.op === "replace")).map((s) => codeOf(s.old) ?? codeOf(s.new)).filter((c): c is string => !!c))];

/** Customers each coupon has been applied to, any status (the Coupon kind's own lookup). */
async function couponHoldersOf(client: LagoClient, codes: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const code of codes) out[code] = [...new Set((await applicationsOf({ client }, code)).map((a) => a.external_customer_id))].sort();
  return out;
}

interface LagoTax {
  code: string;
  rate: number | string;
  applied_to_organization?: boolean;
}

/**
 * The GET calls behind `--customers`, each object read once: subscriptions and their current usage, customers'
 * taxes, the organization's taxes, applied coupons and their coupons, wallets, and plans named by pending downgrades.
 */
class LagoReader {
  private taxes?: Promise<LagoTax[]>;
  private readonly customers = new Map<string, Promise<{ taxes: TaxRate[] }>>();
  private readonly plans = new Map<string, Promise<{ amount_cents: number; interval: string } | undefined>>();
  private readonly perCustomer = new Map<string, Promise<{ coupons: AppliedCouponTerms[]; walletBalanceCents: number | null }>>();

  constructor(private readonly client: LagoClient) {}

  /** Active subscriptions of each plan (those with plan overrides apart) with their usage and billing terms. */
  async usageOf(planCodes: readonly string[]) {
    const usage: SubscriptionUsage[] = [];
    const overridden: Array<{ customer: string; subscription: string; planCode: string }> = [];
    const downgrading: DowngradingSubscription[] = [];
    for (const planCode of planCodes) {
      for (const s of await listSubscriptions(this.client, { plan_code: planCode, "status[]": ["active"], overridden: true }))
        overridden.push({ customer: s.external_customer_id, subscription: s.external_id, planCode });
      for (const s of await listSubscriptions(this.client, { plan_code: planCode, "status[]": ["active"], overridden: false })) {
        const current = await currentUsage(this.client, s);
        if (current) usage.push({ ...current, terms: await this.termsOf(s) });
        if (s.next_plan_code) {
          const next = await this.plan(s.next_plan_code);
          if (next) downgrading.push({ customer: s.external_customer_id, subscription: s.external_id, planCode, nextPlanCode: s.next_plan_code, nextPlanAmountCents: next.amount_cents });
        }
      }
    }
    return { usage, overridden, downgrading };
  }

  /** Active subscriptions whose plan overrides this preview changes, with their usage and their own plan's two sides. */
  async overrideChangesOf(steps: readonly PreviewStep[]): Promise<SubscriptionUsage[]> {
    const out: SubscriptionUsage[] = [];
    for (const step of steps) {
      const inputs = step.new?.inputs;
      if (step.kind !== "Subscription" || step.op !== "update" || !step.diffs.includes("planOverrides") || !inputs || containsUnknown(inputs.planOverrides)) continue;
      if (typeof inputs.externalId !== "string") continue;
      const found = await unlessNotFound(send(this.client, "findSubscription", { method: "GET", path: `/subscriptions/${segment(inputs.externalId)}` }));
      const s = found?.subscription;
      if (!s?.plan) continue;
      const plan = (await unlessNotFound(send(this.client, "findPlan", { method: "GET", path: `/plans/${segment(s.plan_code)}` })))?.plan;
      const sides = plan ? overrideSides(s.plan, plan, (inputs.planOverrides ?? {}) as OverridesArgsLike) : null;
      if (!sides) continue;
      const listed: ListedSubscription = {
        external_id: s.external_id,
        external_customer_id: s.external_customer_id,
        plan_code: s.plan_code,
        plan_amount_currency: s.plan_amount_currency ?? s.plan.amount_currency,
        billing_time: s.billing_time,
        started_at: s.started_at,
        subscription_at: s.subscription_at,
        next_plan_code: s.next_plan_code,
        previous_plan_code: s.previous_plan_code,
      };
      const current = await currentUsage(this.client, listed);
      if (current) out.push({ ...current, terms: await this.termsOf(listed), sides });
    }
    return out;
  }

  /** Pending subscriptions waiting to move to each plan (downgrades), with the yearly fee of the plan they leave. */
  async pendingDowngrades(planCodes: readonly string[]): Promise<PendingDowngrade[]> {
    const out: PendingDowngrade[] = [];
    for (const planCode of planCodes)
      for (const s of await listSubscriptions(this.client, { plan_code: planCode, "status[]": ["pending"] })) {
        if (!s.previous_plan_code) continue;
        const from = await this.plan(s.previous_plan_code);
        if (!from) continue;
        out.push({ customer: s.external_customer_id, subscription: s.external_id, planCode, fromPlanCode: s.previous_plan_code, fromPlanYearlyCents: from.amount_cents * (PERIODS_PER_YEAR[from.interval] ?? 12) });
      }
    return out;
  }

  private plan(code: string) {
    let found = this.plans.get(code);
    if (!found) {
      found = unlessNotFound(this.client.plans.findPlan(code)).then((r) => (r ? { amount_cents: r.data.plan.amount_cents, interval: r.data.plan.interval } : undefined));
      this.plans.set(code, found);
    }
    return found;
  }

  private allTaxes(): Promise<LagoTax[]> {
    this.taxes ??= listAll(async (page) => {
      const { data } = await this.client.taxes.findAllTaxes({ page, per_page: 100 });
      return { items: data.taxes as unknown as LagoTax[], meta: data.meta };
    });
    return this.taxes;
  }

  private customer(externalId: string) {
    let found = this.customers.get(externalId);
    if (!found) {
      found = this.client.customers.findCustomer(externalId).then(({ data }) => ({
        taxes: ((data.customer as { taxes?: LagoTax[] }).taxes ?? []).map((t) => ({ code: t.code, rate: String(t.rate) })),
      }));
      this.customers.set(externalId, found);
    }
    return found;
  }

  private customerCredits(externalId: string) {
    let found = this.perCustomer.get(externalId);
    if (!found) {
      found = (async () => ({ coupons: await this.coupons(externalId), walletBalanceCents: await this.wallets(externalId) }))();
      this.perCustomer.set(externalId, found);
    }
    return found;
  }

  private coupons(externalId: string): Promise<AppliedCouponTerms[]> {
    return activeCouponTerms(this.client, externalId);
  }

  /** Prepaid credits of the customer's active wallets; null when this Lago serves no wallets. */
  private async wallets(externalId: string): Promise<number | null> {
    try {
      const wallets = await listAll(async (page) => {
        const { data } = await this.client.wallets.findAllWallets({ external_customer_id: externalId, page, per_page: 100 } as never);
        return { items: data.wallets as Array<{ status: string; balance_cents: number }>, meta: data.meta };
      });
      return wallets.filter((w) => w.status === "active").reduce((sum, w) => sum + w.balance_cents, 0);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private async termsOf(s: ListedSubscription): Promise<SubscriptionTerms> {
    const taxes = await this.allTaxes();
    const customer = await this.customer(s.external_customer_id);
    const credits = await this.customerCredits(s.external_customer_id);
    return {
      billingTime: s.billing_time,
      startedAt: s.started_at ?? s.subscription_at ?? new Date(0).toISOString(),
      progressiveBillingDisabled: s.progressive_billing_disabled === true,
      customerTaxes: customer.taxes,
      organizationTaxes: taxes.filter((t) => t.applied_to_organization).map((t) => ({ code: t.code, rate: String(t.rate) })),
      taxRates: Object.fromEntries(taxes.map((t) => [t.code, String(t.rate)])),
      coupons: credits.coupons,
      walletBalanceCents: credits.walletBalanceCents,
    };
  }
}

const PERIODS_PER_YEAR: Readonly<Record<string, number>> = { weekly: 52, monthly: 12, quarterly: 4, semiannual: 2, yearly: 1 };

async function currentUsage(client: LagoClient, subscription: ListedSubscription): Promise<SubscriptionUsage | undefined> {
  try {
    const { data } = await client.customers.findCustomerCurrentUsage(subscription.external_customer_id, {
      external_subscription_id: subscription.external_id,
      apply_taxes: false,
    });
    const u = data.customer_usage;
    return {
      externalCustomerId: subscription.external_customer_id,
      externalSubscriptionId: subscription.external_id,
      planCode: subscription.plan_code,
      from: u.from_datetime,
      to: u.to_datetime,
      currency: u.currency ?? subscription.plan_amount_currency, // usage is in the plan currency (§11)
      chargesUsage: u.charges_usage as unknown as LagoChargeUsage[],
    };
  } catch (error) {
    // Terminated between the list and this call (405 no_active_subscription, or 404): nothing to re-price.
    const status = (error as { status?: number }).status;
    if (status === 405 || isNotFound(error)) return undefined;
    throw error;
  }
}

/** A customer's active applied coupons as the invoice reads them, with their coupon's plan and metric limits (GET /coupons/:code). */
export async function activeCouponTerms(client: LagoClient, externalCustomerId: string): Promise<AppliedCouponTerms[]> {
  const applied = await listAll(async (page) => {
    const { data } = await client.appliedCoupons.findAllAppliedCoupons({ external_customer_id: externalCustomerId, status: "active", page, per_page: 100 });
    return { items: data.applied_coupons, meta: data.meta };
  });
  const out: AppliedCouponTerms[] = [];
  for (const a of applied) {
    const coupon = (await unlessNotFound(client.coupons.findCoupon(a.coupon_code)))?.data.coupon as
      | { coupon_type?: string; plan_codes?: string[]; billable_metric_codes?: string[]; limited_plans?: boolean; limited_billable_metrics?: boolean }
      | undefined;
    out.push({
      code: a.coupon_code,
      couponType: (coupon?.coupon_type ?? (a.percentage_rate !== null && a.percentage_rate !== undefined ? "percentage" : "fixed_amount")) as AppliedCouponTerms["couponType"],
      amountCents: a.amount_cents ?? null,
      amountCurrency: a.amount_currency ?? null,
      amountCentsRemaining: (a as { amount_cents_remaining?: number | null }).amount_cents_remaining ?? null,
      percentageRate: a.percentage_rate ?? null,
      frequency: a.frequency as AppliedCouponTerms["frequency"],
      planCodes: coupon?.limited_plans ? (coupon.plan_codes ?? []) : [],
      billableMetricCodes: coupon?.limited_billable_metrics ? (coupon.billable_metric_codes ?? []) : [],
      createdAt: a.created_at,
    });
  }
  return out;
}
