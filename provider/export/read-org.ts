// Reads a whole Lago organization as catalog entries (the arguments each kind's schema accepts), read-only: only GETs,
// through lago-javascript-client over the provider's retrying fetch, which paces requests by Lago's X-RateLimit-*
// headers and waits out a 429 instead of failing. Lists are walked page by page; a plan is read one by one as well,
// because Lago's plan list leaves out fixed charges (plans_controller.rb index vs show), and a live subscription is
// read alone for the plan it really bills (overrides live on a child plan, subscriptions_controller.rb show).
// `compare` and `export` both build on readOrg.
import type { z } from "zod";
import { send, segment, type AnswerOf } from "../contract";
import type { LagoClient } from "../client";
import { normalizeApiUrl } from "../config";
import { lagoFailure } from "../errors";
import { addOnSchema } from "../kinds/add-on/schema";
import { appliedCouponSchema } from "../kinds/applied-coupon/schema";
import { billableMetricSchema } from "../kinds/billable-metric/schema";
import { couponSchema } from "../kinds/coupon/schema";
import { customerSchema } from "../kinds/customer/schema";
import type { LagoPlan } from "../kinds/plan/payload";
import { planSchema } from "../kinds/plan/schema";
import { withFixedCharges } from "../kinds/subscription";
import type { LagoSubscription } from "../kinds/subscription/payload";
import { subscriptionSchema } from "../kinds/subscription/schema";
import { taxSchema } from "../kinds/tax/schema";
import { walletSchema } from "../kinds/wallet/schema";
import { webhookEndpointSchema } from "../kinds/webhook-endpoint/schema";
import { DEFAULT_RETRY, LagoUnreachableError, RateLimitPacer, retryingFetch, transportFailure, type RetryPolicy } from "../retry";
import { resolveReferences, sectionsNeeded } from "./references";
import { compareKeys, CUSTOMER_SECTIONS, entryKey, ORG_SECTIONS, type Entry, type OrgSection, type OrgSnapshot, type Unexpressible } from "./sections";
import {
  addOnEntry,
  appliedCouponEntry,
  couponEntry,
  customerEntry,
  metricEntry,
  planEntry,
  schemaProblem,
  subscriptionEntry,
  taxEntry,
  walletEntry,
  webhookEndpointEntry,
} from "./entries";

export { compareKeys, CUSTOMER_SECTIONS, entryKey, ORG_SECTIONS, type Entry, type OrgSection, type OrgSnapshot, type Unexpressible } from "./sections";

export interface OrgProgress {
  section: OrgSection;
  /** Objects read so far, of `total` known so far (totals grow as each list's first page arrives). */
  read: number;
  total: number;
}

export interface ReadOrgOptions {
  apiUrl: string;
  apiKey: string;
  /** Also customers, their live subscriptions and applied coupons. */
  customers?: boolean;
  /** Only these sections (default: every section the `customers` switch allows). */
  only?: readonly OrgSection[];
  onProgress?(progress: OrgProgress): void;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once for per-object reads (default 8); the pacer keeps them under Lago's limit. */
  concurrency?: number;
}

/** A wrong URL or key: one line naming which. */
export class OrgAccessError extends Error {
  override name = "OrgAccessError";
}

const SCHEMA_OF: Record<OrgSection, z.ZodType> = {
  taxes: taxSchema,
  metrics: billableMetricSchema,
  plans: planSchema,
  addOns: addOnSchema,
  coupons: couponSchema,
  webhookEndpoints: webhookEndpointSchema,
  customers: customerSchema,
  subscriptions: subscriptionSchema,
  appliedCoupons: appliedCouponSchema,
  wallets: walletSchema,
};

/** Whether a kind's schema has this argument yet (other kinds' fields land release by release). */
const hasArg = (schema: z.ZodType, arg: string): boolean => {
  const shape = (schema as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } }).shape;
  return shape !== undefined && arg in shape;
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
};

/** Runs `work` over `items` with at most `limit` in flight, keeping the results in order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Page<T> {
  items: T[];
  meta: { next_page?: number | null; total_count?: number | null };
}

/** Reads the sections of the organization at `apiUrl`. Never writes: every request is a GET. */
export async function readOrg(options: ReadOrgOptions): Promise<OrgSnapshot> {
  const apiUrl = normalizeApiUrl(options.apiUrl);
  const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 3, ...options.retry };
  let requests = 0;
  let rateLimited = 0;
  let answered = 0;
  const counted: typeof fetch = async (input, init) => {
    requests += 1;
    const response = await fetch(input, init);
    if (response.status === 429) rateLimited += 1;
    if (response.ok) answered += 1;
    return response;
  };
  const { Client } = require("lago-javascript-client") as typeof import("lago-javascript-client");
  const client: LagoClient = Client(options.apiKey, { baseUrl: apiUrl, customFetch: retryingFetch(counted, policy, undefined, new RateLimitPacer()) });

  // What the sections asked for name (a plan's metrics and taxes …) is read too, so the snapshot loads as a catalog.
  const wanted = new Set<OrgSection>(sectionsNeeded(options.only ?? ORG_SECTIONS).filter((s) => options.customers === true || !CUSTOMER_SECTIONS.includes(s)));
  const concurrency = options.concurrency ?? 8;
  const sections: OrgSnapshot["sections"] = {};
  const unexpressible: Unexpressible[] = [];
  let read = 0;
  let total = 0;
  const progress = (section: OrgSection) => options.onProgress?.({ section, read, total });

  /**
   * Every page of a list; the first page's total_count joins the progress total. `listedIsRead`: false when each
   * object is then read alone (it counts as read then).
   */
  async function list<T>(section: OrgSection, fetchPage: (page: number) => Promise<Page<T>>, listedIsRead = true): Promise<T[]> {
    const all: T[] = [];
    for (let page: number | null = 1; page !== null; ) {
      const { items, meta } = await fetchPage(page);
      if (page === 1) total += meta.total_count ?? items.length;
      all.push(...items);
      if (listedIsRead) {
        read += items.length;
        progress(section);
      }
      page = meta.next_page && meta.next_page > page ? meta.next_page : null;
    }
    return all;
  }

  /** Adds the entries of a section, sorted by key; an entry the kind's schema refuses is kept as unexpressible. */
  function keep(section: OrgSection, entries: Array<{ entry: Entry; reason?: string }>) {
    const good: Entry[] = [];
    for (const { entry, reason } of entries) {
      const why = reason ?? schemaProblem(SCHEMA_OF[section], entry);
      if (why) unexpressible.push({ section, key: section === "webhookEndpoints" ? hostOf(String(entry.webhookUrl)) : entryKey(section, entry), reason: why, entry });
      else good.push(entry);
    }
    sections[section] = good.sort((a, b) => compareKeys(entryKey(section, a), entryKey(section, b)));
  }

  const PER_PAGE = 100;
  const q = (page: number) => ({ page, per_page: PER_PAGE });

  try {
    if (wanted.has("taxes")) {
      const taxes = await list("taxes", async (page) => {
        const d = await send(client, "findAllTaxes", { method: "GET", path: "/taxes", query: q(page) });
        return { items: d.taxes, meta: d.meta };
      });
      keep("taxes", taxes.map((t) => ({ entry: taxEntry(t) })));
    }
    if (wanted.has("metrics")) {
      const metrics = await list("metrics", async (page) => {
        const d = await send(client, "findAllBillableMetrics", { method: "GET", path: "/billable_metrics", query: q(page) });
        return { items: d.billable_metrics, meta: d.meta };
      });
      keep("metrics", metrics.map((m) => ({ entry: metricEntry(m) })));
    }
    const livePlans = new Map<string, LagoPlan>();
    if (wanted.has("plans")) {
      // The list gives the codes and the count; each plan is then read whole (fixed charges are only in the show).
      const listed = await list(
        "plans",
        async (page) => {
          const d = await send(client, "findAllPlans", { method: "GET", path: "/plans", query: q(page) });
          return { items: d.plans, meta: d.meta };
        },
        false,
      );
      const plans = await pool(listed, concurrency, async (p) => {
        const d = await send(client, "findPlan", { method: "GET", path: `/plans/${segment(p.code)}` });
        read += 1;
        progress("plans");
        return d.plan;
      });
      for (const p of plans) livePlans.set(p.code, p);
      keep("plans", plans.filter((p) => p.pending_deletion !== true).map((p) => ({ entry: planEntry(p), reason: planReason(p) })));
    }
    if (wanted.has("addOns")) {
      const addOns = await list("addOns", async (page) => {
        const d = await send(client, "findAllAddOns", { method: "GET", path: "/add_ons", query: q(page) });
        return { items: d.add_ons, meta: d.meta };
      });
      keep("addOns", addOns.map((a) => ({ entry: addOnEntry(a) })));
    }
    if (wanted.has("coupons")) {
      const coupons = await list("coupons", async (page) => {
        const d = await send(client, "findAllCoupons", { method: "GET", path: "/coupons", query: q(page) });
        return { items: d.coupons, meta: d.meta };
      });
      // A terminated coupon can no longer be applied nor changed: it is history, not configuration.
      keep("coupons", coupons.filter((c) => !c.terminated_at).map((c) => ({ entry: couponEntry(c) })));
    }
    if (wanted.has("webhookEndpoints")) {
      const endpoints = await list("webhookEndpoints", async (page) => {
        const d = await send(client, "findAllWebhookEndpoints", { method: "GET", path: "/webhook_endpoints", query: q(page) });
        return { items: d.webhook_endpoints, meta: d.meta };
      });
      keep("webhookEndpoints", endpoints.map((e) => ({ entry: webhookEndpointEntry(e) })));
    }
    if (wanted.has("customers")) {
      const customers = await list("customers", async (page) => {
        const d = await send(client, "findAllCustomers", { method: "GET", path: "/customers", query: q(page) });
        return { items: d.customers, meta: d.meta };
      });
      keep("customers", customers.map((c) => ({ entry: customerEntry(c) })));
    }
    if (wanted.has("subscriptions")) {
      const listed = await list("subscriptions", async (page) => {
        const d = await send(client, "findAllSubscriptions", { method: "GET", path: "/subscriptions", query: { ...q(page), "status[]": ["active", "pending"] } });
        return { items: d.subscriptions, meta: d.meta };
      });
      // One subscription per external id: the active one (a pending one only when nothing runs under that id yet).
      const byId = new Map<string, LagoSubscription>();
      for (const s of listed) if (!byId.has(s.external_id) || s.status === "active") byId.set(s.external_id, s);
      const subs = [...byId.values()];
      keep("subscriptions", await pool(subs, concurrency, (s) => readSubscription(client, s, livePlans)));
    }
    if (wanted.has("appliedCoupons")) {
      const applied = await list("appliedCoupons", async (page) => {
        const d = await send(client, "findAllAppliedCoupons", { method: "GET", path: "/applied_coupons", query: { ...q(page), status: "active" } });
        return { items: d.applied_coupons, meta: d.meta };
      });
      const coupons = new Map((sections.coupons ?? []).map((c) => [String(c.code), c]));
      keep("appliedCoupons", applied.map((a) => ({ entry: appliedCouponEntry(a, coupons.get(a.coupon_code)) })));
    }
    if (wanted.has("wallets")) {
      // Lago lists wallets per customer (external_customer_id is required): one list per customer read.
      const perCustomer = await pool(sections.customers ?? [], concurrency, async (customer) => {
        const externalId = String(customer.externalId);
        return list(
          "wallets",
          async (page) => {
            const d = await send(client, "findAllWallets", { method: "GET", path: "/wallets", query: { ...q(page), external_customer_id: externalId } });
            return { items: d.wallets, meta: d.meta };
          },
        );
      });
      // A terminated wallet is history: its credit is gone and it cannot change.
      keep("wallets", perCustomer.flat().filter((w) => w.status === "active").map((w) => ({ entry: walletEntry(w) })));
    }
  } catch (error) {
    throw (answered === 0 ? accessError(error, apiUrl) : undefined) ?? error;
  }
  const ordered = Object.fromEntries(ORG_SECTIONS.filter((s) => sections[s]).map((s) => [s, sections[s]]));
  return resolveReferences({ sections: ordered, unexpressible, requests, rateLimited });
}

/**
 * Why a plan cannot be written as a catalog entry yet, if it cannot: what Lago holds that the Plan kind does not
 * manage and would drop on its next write of the charges (each charge's properties are sent whole).
 */
function planReason(plan: LagoPlan): string | undefined {
  const fixed = (plan as LagoPlan & { fixed_charges?: unknown[] }).fixed_charges;
  if (fixed?.length && !hasArg(planSchema, "fixedCharges"))
    return `it has ${fixed.length} fixed charge(s) (add-ons billed by the plan), which the Plan kind does not manage yet`;
  type Loose = { code?: string; applied_pricing_unit?: unknown; properties?: { presentation_group_keys?: unknown } | null };
  const charges = (plan.charges ?? []) as Loose[];
  const priced = charges.filter((c) => c.applied_pricing_unit !== null && c.applied_pricing_unit !== undefined).map((c) => c.code);
  if (priced.length) return `charges ${priced.join(", ")} bill in a pricing unit (applied_pricing_unit), which the Plan kind does not manage yet`;
  const grouped = charges.filter((c) => Array.isArray(c.properties?.presentation_group_keys) && c.properties.presentation_group_keys.length).map((c) => c.code);
  if (grouped.length) return `charges ${grouped.join(", ")} group their invoice lines (presentation_group_keys), which the Plan kind does not manage yet`;
  return undefined;
}

/**
 * A live subscription read alone: its answer embeds the plan it really bills, a child plan of its own when it
 * overrides its plan (its lago_id differs from the plan listed under that code). The entry is made from that answer,
 * so a Subscription kind that manages overrides finds them there; until it does, such a subscription is not expressible.
 */
async function readSubscription(client: LagoClient, sub: LagoSubscription, plans: ReadonlyMap<string, LagoPlan>): Promise<{ entry: Entry; reason?: string }> {
  const answer: AnswerOf<"findSubscription"> = await send(client, "findSubscription", {
    method: "GET",
    path: `/subscriptions/${segment(sub.external_id)}`,
    query: { status: sub.status as "active" | "pending" },
  });
  // Its plan's fixed charges are not in the answer: read them as the kind does, from the subscription's own list.
  const full: LagoSubscription & { plan?: { lago_id?: string } } = await withFixedCharges({ client }, answer.subscription);
  const parent = plans.get(sub.plan_code);
  const overridden = full.plan?.lago_id !== undefined && parent !== undefined && full.plan.lago_id !== parent.lago_id;
  const reason =
    overridden && !hasArg(subscriptionSchema, "planOverrides")
      ? `it overrides plan "${sub.plan_code}" (a price, charge or threshold of its own), which the Subscription kind does not manage yet`
      : undefined;
  return { entry: subscriptionEntry(full, parent), reason };
}

/** A refusal of the first request that means the URL or the key is wrong, as one line naming which. */
function accessError(error: unknown, apiUrl: string): OrgAccessError | undefined {
  const failure = lagoFailure(error);
  if (failure?.status === 401) return new OrgAccessError(`Lago at ${apiUrl} refused the API key (401 Unauthorized): check --api-key (or LAGO_API_KEY)`);
  if (failure?.status === 404)
    return new OrgAccessError(`${apiUrl} is not a Lago API (it answered 404 to a list route): check --api-url (it ends in /api/v1)`);
  if (error instanceof LagoUnreachableError || transportFailure(error))
    return new OrgAccessError(`no Lago answers at ${apiUrl}: check --api-url (or LAGO_API_URL)`);
  // A body that is not Lago's JSON (an HTML page, another service) also means the URL is wrong.
  if (error instanceof SyntaxError) return new OrgAccessError(`${apiUrl} did not answer as a Lago API: check --api-url (it ends in /api/v1)`);
  return undefined;
}
