// The whole Segment example, end to end, against any Lago: apply the stack, send Segment-style track events for
// a number of distinct users to Acme's subscription, read Acme's current usage and build the bill. Shared by
// `npm start` and the end-to-end test. Running it again applies nothing and sends nothing new: events carry
// transaction ids derived from the user and the billing period, and only those Lago does not hold yet are sent.
import { Client } from "lago-javascript-client";
import type { UpResult } from "@pulumi/pulumi/automation";
import { offlineStack } from "../../provider/engine";
import { loadCatalog, type CatalogMetric } from "../../provider/catalog";
import { segmentTrackToLagoEvent, type LagoEventInput, type SegmentTrackEvent } from "../../provider/integrations";
import { activeCouponTerms } from "../../provider/preview/run";
import type { PulumiCli } from "../../provider/pulumi-cli";
import { buildBill, type Bill, type CurrentUsage } from "./bill";
import { ACME, ACME_SUBSCRIPTION, CATALOG_PATH, segmentProgram } from "./index";

export const PROJECT_NAME = "pulumi-lago-segment";
/** Lago's default batch limit (lago-api.md §10). */
export const BATCH_SIZE = 100;
export const DEMO_USERS = 30_000;

export interface SegmentDemoOptions {
  lago: { apiUrl: string; apiKey: string };
  /** Pulumi state (file backend) and the stack's work dir. */
  stateDir: string;
  stackName?: string;
  /** Distinct users to track (default 30,000). */
  users?: number;
  /** Progress lines; Pulumi's own progress display arrives through `onPulumiOutput`. */
  log?: (line: string) => void;
  onPulumiOutput?: (chunk: string) => void;
  cli?: PulumiCli;
  /** How long to wait for a real Lago to aggregate the events it accepted (default 60 s). */
  usageTimeoutMs?: number;
}

export interface SegmentDemoResult {
  up: UpResult;
  /** True when `up` changed nothing. */
  unchanged: boolean;
  /** Events sent by this run (0 when Lago already held them all). */
  sent: number;
  bill: Bill;
}

type LagoClient = ReturnType<typeof Client>;

export async function runSegmentDemo(options: SegmentDemoOptions): Promise<SegmentDemoResult> {
  const log = options.log ?? (() => {});
  const users = options.users ?? DEMO_USERS;
  const catalog = loadCatalog(CATALOG_PATH);
  const plan = catalog.plans.find((p) => p.code === ACME_SUBSCRIPTION.planCode)!;
  const metric = metricCharged(catalog.metrics, plan.charges?.[0]?.billableMetricCode);

  const stack = await offlineStack({
    stateDir: options.stateDir,
    projectName: PROJECT_NAME,
    stackName: options.stackName ?? "local",
    program: segmentProgram(),
    lago: options.lago,
    cli: options.cli,
  });
  // Lago may have lost objects the state still lists (a wiped local Lago): look before applying.
  log("Refreshing the stack's state from Lago…");
  await stack.refresh();
  log("Applying the Segment stack…");
  const up = await stack.up({ onOutput: options.onPulumiOutput });
  const changes = up.summary.resourceChanges ?? {};
  const unchanged = Object.keys(changes).every((kind) => kind === "same");
  log(unchanged ? "No changes: Lago already holds what the stack declares." : `Applied: ${describeChanges(changes)}.`);

  const client = Client(options.lago.apiKey, { baseUrl: options.lago.apiUrl });
  const before = await currentUsage(client);
  const period = before.from_datetime.slice(0, 10);
  const held = unitsOf(before, metric.code);
  let sent = 0;
  if (held >= users) {
    log(`Lago already counts ${held} ${metric.code} in the period starting ${period}: no events to send.`);
  } else {
    await afterSubscriptionStart(client);
    log(`Sending Segment track events for ${users} users to ${ACME_SUBSCRIPTION.externalId}, ${BATCH_SIZE} per batch…`);
    const events = trackEvents(metric, users, period).map((e) => segmentTrackToLagoEvent(metric, e, { externalSubscriptionId: ACME_SUBSCRIPTION.externalId }));
    sent = await sendMissing(client, events, (done) => log(`  ${done}/${events.length} events`));
    log(`Sent ${sent} new events (${events.length - sent} were already in Lago).`);
  }
  const usage = await usageReaching(client, metric.code, Math.max(users, held), options.usageTimeoutMs ?? 60_000);
  // The subscription's start and billing time decide what Lago invoices for this period (trial, proration); Acme's
  // taxes and active coupons what comes off and on top.
  const { data } = await client.subscriptions.findSubscription(ACME_SUBSCRIPTION.externalId);
  const customer = (await client.customers.findCustomer(ACME.externalId)).data.customer;
  const terms = {
    billingTime: data.subscription.billing_time,
    startedAt: data.subscription.started_at ?? data.subscription.subscription_at!,
    customerTaxes: (customer.taxes ?? []).map((t) => ({ code: t.code, rate: String(t.rate) })),
    coupons: await activeCouponTerms(client, ACME.externalId),
  };
  return { up, unchanged, sent, bill: buildBill(ACME.name, plan, usage, terms) };
}

function metricCharged(metrics: readonly CatalogMetric[], code: string | undefined): CatalogMetric {
  const metric = metrics.find((m) => m.code === code);
  if (!metric) throw new Error(`the ${ACME_SUBSCRIPTION.planCode} plan charges no metric of the catalog`);
  return metric;
}

const PAST: Record<string, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced" };
const describeChanges = (changes: Record<string, number>) =>
  Object.entries(changes)
    .filter(([kind]) => kind !== "same")
    .map(([kind, n]) => `${n} ${PAST[kind] ?? kind}`)
    .join(", ");

/**
 * Track calls as Segment delivers them for Acme's workspace: one per user, the user's id as `userId` and as the
 * `user_id` property the metric counts; the message id (Lago's transaction id) is stable per user and period.
 */
export function trackEvents(metric: CatalogMetric, users: number, period: string, now = new Date()): SegmentTrackEvent[] {
  const width = String(users).length;
  return Array.from({ length: users }, (_, i) => {
    const user = `user-${String(i + 1).padStart(width, "0")}`;
    return {
      type: "track",
      event: metric.code,
      messageId: `seg-${user}-${period}`,
      userId: user,
      timestamp: now.toISOString(),
      properties: { [metric.fieldName ?? "user_id"]: user },
    };
  });
}

/**
 * Sends in batches of 100. A batch is all-or-nothing in Lago: when it is refused only because some transaction
 * ids are already stored (a re-run, or a run cut short), those events are dropped and the rest sent again.
 * Returns how many events Lago accepted.
 */
export async function sendMissing(client: LagoClient, events: LagoEventInput[], progress: (done: number) => void): Promise<number> {
  let accepted = 0;
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    let batch = events.slice(start, start + BATCH_SIZE);
    while (batch.length) {
      try {
        await client.events.createBatchEvents({ events: batch });
        accepted += batch.length;
        break;
      } catch (error) {
        const duplicates = duplicateIndexes(error);
        if (!duplicates) throw describeRefusal(error);
        batch = batch.filter((_, i) => !duplicates.has(i));
      }
    }
    const done = Math.min(start + BATCH_SIZE, events.length);
    if (done % 5_000 === 0 || done === events.length) progress(done);
  }
  return accepted;
}

/** The batch indexes refused as already stored, or undefined when the refusal was anything else. */
function duplicateIndexes(error: unknown): Set<number> | undefined {
  const e = error as { status?: number; error?: { code?: string; error_details?: Record<string, Record<string, string[]>> } };
  const details = e.status === 422 && e.error?.code === "validation_errors" ? e.error.error_details : undefined;
  if (!details) return undefined;
  const entries = Object.entries(details);
  const onlyDuplicates = entries.length > 0 && entries.every(([i, fields]) => /^\d+$/.test(i) && Object.keys(fields).length === 1 && fields.transaction_id?.includes("value_already_exist"));
  return onlyDuplicates ? new Set(entries.map(([i]) => Number(i))) : undefined;
}

function describeRefusal(error: unknown): Error {
  const e = error as { status?: number; error?: unknown };
  return e.status ? new Error(`Lago refused an event batch (${e.status}): ${JSON.stringify(e.error)}`) : (error as Error);
}

async function currentUsage(client: LagoClient): Promise<CurrentUsage> {
  const { data } = await client.customers.findCustomerCurrentUsage(ACME.externalId, { external_subscription_id: ACME_SUBSCRIPTION.externalId });
  return data.customer_usage as unknown as CurrentUsage;
}

const unitsOf = (usage: CurrentUsage, code: string): number => Number(usage.charges_usage.find((c) => c.billable_metric.code === code)?.units ?? 0);

/** Lago counts only events at or after the subscription start; a fresh subscription may have started this very second. */
async function afterSubscriptionStart(client: LagoClient): Promise<void> {
  const { data } = await client.subscriptions.findSubscription(ACME_SUBSCRIPTION.externalId);
  const startedAt = data.subscription.started_at ? Date.parse(data.subscription.started_at) : Date.now();
  const wait = Math.ceil(startedAt / 1000) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** A real Lago aggregates asynchronously: read until the expected units show up, or the timeout passes. */
async function usageReaching(client: LagoClient, code: string, units: number, timeoutMs: number): Promise<CurrentUsage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const usage = await currentUsage(client);
    if (unitsOf(usage, code) >= units || Date.now() >= deadline) return usage;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
