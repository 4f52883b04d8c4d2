// Runs a pricing preview: a Pulumi preview of the stack through the Automation API, its Lago steps captured from
// the engine's events, then (with `customers`) the current usage of every active subscription on a changed plan,
// read from Lago with GET calls only. Works with any automation Stack: an inline program (`offlineStack`) or a
// project directory.
import type { EngineEvent, PreviewResult, Stack } from "@pulumi/pulumi/automation";
import type Decimal from "decimal.js";
import { lagoClient, type LagoClient } from "../client";
import { normalizeApiUrl } from "../config";
import { isNotFound } from "../errors";
import { listAll } from "../paging";
import { DEFAULT_RETRY } from "../retry";
import type { LagoChargeUsage, SubscriptionUsage } from "./impact";
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
  const base = { stack: options.stackName ?? options.stack.name, steps, levels: options.levels, anonymize: options.anonymize, premium: options.premium };
  if (!options.customers) return { report: buildReport(base), steps, preview };

  // Which plans change is the report's call; their subscriptions are read only then.
  const planCodes = buildReport(base)
    .plans.filter((p) => p.op !== "create")
    .map((p) => p.code);
  const client = lagoClient({ ...(await lagoSettings(options)), retry: DEFAULT_RETRY });
  const { usage, overridden } = await readUsage(client, planCodes);
  return { report: buildReport({ ...base, usage, overridden }), steps, preview };
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
}

/** Active subscriptions of each plan (those with plan overrides apart), and the current usage of the others. */
async function readUsage(client: LagoClient, planCodes: readonly string[]) {
  const usage: SubscriptionUsage[] = [];
  const overridden: Array<{ customer: string; subscription: string; planCode: string }> = [];
  for (const planCode of planCodes) {
    const list = (isOverridden: boolean) =>
      listAll(async (page) => {
        const { data } = await client.subscriptions.findAllSubscriptions({ plan_code: planCode, "status[]": ["active"], overridden: isOverridden, page, per_page: 100 });
        return { items: data.subscriptions as ListedSubscription[], meta: data.meta };
      });
    for (const s of await list(true)) overridden.push({ customer: s.external_customer_id, subscription: s.external_id, planCode });
    for (const s of await list(false)) {
      const current = await currentUsage(client, s);
      if (current) usage.push(current);
    }
  }
  return { usage, overridden };
}

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
