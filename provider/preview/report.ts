// The pricing preview's report: the one model both renderers (markdown, JSON) read. Built from the preview's Lago
// steps and, when asked, Lago's current usage of the subscriptions on changed plans. Pure: no I/O, no clock.
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import { evaluatePolicy, type Policy, type PolicyBill, type PolicyViolation } from "../policy";
import { attentionItems, changedArguments, type AttentionItem, type LagoFacts } from "./attention";
import { formatUnits } from "./format";
import { levelImpacts, revenueChange, subscriptionImpact, type LevelImpact, type RevenueChange, type SubscriptionImpact, type SubscriptionUsage } from "./impact";
import { planSide, type PlanSide } from "./plan-side";
import { chargeLabel, pricingDiff, type PriceChange } from "./pricing-diff";
import { DELETE_CONSEQUENCES, isDestructive, stepKey, type PreviewStep, type StepOp } from "./steps";

/** Bumped on any change that could break a reader of the JSON report. */
export const REPORT_VERSION = 2;

/** The hidden line a workflow finds its sticky comment by (the stack name follows it). */
export const MARKER_PREFIX = "<!-- pulumi-lago-preview";
export const markerFor = (stack: string): string => `${MARKER_PREFIX} stack=${stack.replace(/-->/g, "")} -->`;

export interface StepReport {
  op: Exclude<StepOp, "same">;
  /** Plan, BillableMetric, Customer, Subscription … */
  kind: string;
  /** The Pulumi resource name. */
  name: string;
  /** The code or external id Lago knows it by. */
  key: string | null;
  urn: string;
  /** A replace or delete of an object holding billing data. */
  destructive: boolean;
  /** Arguments that change (reported by the engine, else compared between the old and new inputs). */
  changed: string[];
  /** Arguments forcing the replacement. */
  replaceKeys: string[];
  /** What Lago does to billing data when this step runs (destructive steps only). */
  consequence: string | null;
}

export interface PlanReport {
  code: string;
  name: string;
  op: Exclude<StepOp, "same">;
  currency: string;
  interval: string;
  /** Every price that moves, as lines. */
  changes: PriceChange[];
  /** The plan's bill at levels exercising each changed charge, before and after. */
  impact: LevelImpact[];
}

export interface CustomersReport {
  /** Active subscriptions on changed plans, re-priced. */
  subscriptions: SubscriptionImpact[];
  /** Active subscriptions on changed plans that run on their own prices (plan overrides): not re-priced. */
  overridden: Array<{ customer: string; subscription: string; planCode: string }>;
  /** Monthly revenue of the subscriptions above, per currency. */
  revenue: RevenueChange[];
}

export interface ReportSummary {
  /** Lago resource steps by operation (unchanged resources left out). */
  changes: Partial<Record<Exclude<StepOp, "same">, number>>;
  destructive: number;
  plansChanged: number;
  /** The largest rise of any bill in the report (sample levels, subscriptions, revenue), two decimals; null if none rises. */
  maxIncreasePercent: string | null;
  /** Some bill rises from zero, which no percentage expresses. */
  increaseFromZero: boolean;
  /** Lago side effects named in the attention section. */
  attention: number;
  /** Pricing policy violations (0 without a policy). */
  policyViolations: number;
}

export interface PreviewReport {
  version: typeof REPORT_VERSION;
  stack: string;
  marker: string;
  /** Customer and subscription ids are hashed. */
  anonymized: boolean;
  summary: ReportSummary;
  /** Destructive steps, also listed (first) in `steps`. */
  destructive: StepReport[];
  /** Every Lago step that changes something: destructive ones first, then in the engine's order. */
  steps: StepReport[];
  plans: PlanReport[];
  /** null unless customers were asked for. */
  customers: CustomersReport | null;
  /** What Lago does beyond the change itself (pending downgrades upgraded, usage left unbilled …). */
  attention: AttentionItem[];
  /** null without a policy file. */
  policy: { violations: PolicyViolation[] } | null;
  /** What the numbers leave out. */
  notes: string[];
}

export interface ReportInput {
  stack: string;
  steps: readonly PreviewStep[];
  /** Usage levels for the bill impact; default: each plan's range edges. */
  levels?: readonly Decimal.Value[];
  /** Current usage of the active subscriptions on changed plans (`--customers`); absent: no customer section. */
  usage?: readonly SubscriptionUsage[];
  /** Active subscriptions on changed plans with plan overrides. */
  overridden?: ReadonlyArray<{ customer: string; subscription: string; planCode: string }>;
  anonymize?: boolean;
  /** Premium-only pricing rules apply (default true). */
  premium?: boolean;
  /** What Lago says about the plans and metrics involved (`--customers`): pending downgrades, subscribers, usage on changed metrics. */
  facts?: Omit<LagoFacts, "usage"> & { metricUsage?: readonly SubscriptionUsage[] };
  policy?: Policy;
}

/** A short, stable stand-in for an id: the first 12 hex digits of its SHA-256. */
export const anonymizeId = (id: string): string => `anon-${createHash("sha256").update(id).digest("hex").slice(0, 12)}`;

const ANONYMIZED_KINDS = new Set(["Customer", "Subscription"]);

function stepReport(step: PreviewStep, anonymize: boolean): StepReport {
  const destructive = isDestructive(step);
  const hide = anonymize && ANONYMIZED_KINDS.has(step.kind);
  const key = stepKey(step);
  const name = hide ? anonymizeId(step.name) : step.name;
  return {
    op: step.op as StepReport["op"],
    kind: step.kind,
    name,
    key: hide && key !== null ? anonymizeId(key) : key,
    urn: hide ? `${step.urn.slice(0, step.urn.length - step.name.length)}${name}` : step.urn,
    destructive,
    changed: changedArguments(step),
    replaceKeys: [...step.replaceKeys],
    consequence: destructive ? (step.op === "delete" ? DELETE_CONSEQUENCES[step.kind] ?? null : replaceConsequence(step)) : null,
  };
}

function replaceConsequence(step: PreviewStep): string {
  const why = step.replaceKeys.length ? ` because ${step.replaceKeys.map((k) => `\`${k}\``).join(", ")} cannot change in place` : "";
  return `Lago deletes the ${step.kind} and creates a new one${why}: ${DELETE_CONSEQUENCES[step.kind] ?? "its history is lost"}`;
}

/** Metric names by code, from the stack's BillableMetric steps (new names win). */
function metricNames(steps: readonly PreviewStep[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const step of steps)
    if (step.kind === "BillableMetric")
      for (const state of [step.old, step.new]) {
        const args = { ...state?.outputs, ...state?.inputs };
        if (typeof args.code === "string" && typeof args.name === "string") names.set(args.code, args.name);
      }
  return names;
}

interface ChangedPlan {
  step: PreviewStep;
  before: PlanSide | null;
  after: PlanSide | null;
}

function changedPlans(steps: readonly PreviewStep[]): ChangedPlan[] {
  return steps
    .filter((s) => s.kind === "Plan" && s.op !== "same")
    .map((step) => ({ step, before: planSide(step.old, "old"), after: planSide(step.new, "new") }))
    .filter((p) => p.before || p.after);
}

function maxIncrease(percents: Array<{ deltaCents: number | null; percent: string | null }>): { max: string | null; fromZero: boolean } {
  let max: Decimal | null = null;
  let fromZero = false;
  for (const { deltaCents, percent } of percents) {
    if (deltaCents === null || deltaCents <= 0) continue;
    if (percent === null) fromZero = true;
    else if (max === null || new Decimal(percent).gt(max)) max = new Decimal(percent);
  }
  return { max: max === null ? null : max.toFixed(2), fromZero };
}

export function buildReport(input: ReportInput): PreviewReport {
  const anonymize = input.anonymize === true;
  const pricing = { premium: input.premium ?? true };
  const changing = input.steps.filter((s) => s.op !== "same");
  const reports = changing.map((s) => stepReport(s, anonymize));
  const destructive = reports.filter((s) => s.destructive);
  const steps = [...destructive, ...reports.filter((s) => !s.destructive)];

  const names = metricNames(input.steps);
  const plans: PlanReport[] = [];
  const sides = new Map<string, ChangedPlan>();
  for (const changed of changedPlans(input.steps)) {
    const changes = pricingDiff(changed.before, changed.after, names);
    // An update that moves no price (a new description) is a step, not a pricing change.
    if (!changes.length && changed.step.op === "update") continue;
    const side = (changed.after ?? changed.before)!;
    sides.set((changed.before ?? changed.after)!.code, changed);
    plans.push({
      code: side.code,
      name: side.name,
      op: changed.step.op as PlanReport["op"],
      currency: side.wire.amount_currency,
      interval: side.interval,
      changes,
      impact: levelImpacts(changed.before, changed.after, new Set(changes.flatMap((c) => (c.charge ? [c.charge] : []))), { ...pricing, levels: input.levels, metricNames: names }),
    });
  }

  let customers: CustomersReport | null = null;
  if (input.usage) {
    const hide = (id: string) => (anonymize ? anonymizeId(id) : id);
    const subscriptions = input.usage
      .filter((u) => u.sides || sides.get(u.planCode)?.before)
      .map((u) => {
        const { before, after } = u.sides ?? sides.get(u.planCode)!;
        const impact = subscriptionImpact(u, before!, after, pricing);
        return { ...impact, customer: hide(impact.customer), subscription: hide(impact.subscription) };
      })
      .sort((a, b) => Math.abs(b.deltaCents) - Math.abs(a.deltaCents) || a.subscription.localeCompare(b.subscription));
    customers = {
      subscriptions,
      overridden: (input.overridden ?? []).map((o) => ({ customer: hide(o.customer), subscription: hide(o.subscription), planCode: o.planCode })),
      revenue: revenueChange(subscriptions),
    };
  }

  const hideAll = (ids: readonly string[]) => (anonymize ? ids.map(anonymizeId) : [...ids]);
  const facts: LagoFacts | null = input.facts ? { ...input.facts, usage: [...(input.usage ?? []), ...(input.facts.metricUsage ?? [])] } : null;
  const attention = attentionItems(input.steps, changedPlans(input.steps), facts).map((a) => ({ ...a, customers: hideAll(a.customers) }));
  const policy = input.policy ? { violations: evaluatePolicy(input.policy, policyInput(input, plans, customers, anonymize)) } : null;

  const { max, fromZero } = maxIncrease([...plans.flatMap((p) => p.impact), ...(customers?.subscriptions ?? []), ...(customers?.revenue ?? [])]);
  const counts: ReportSummary["changes"] = {};
  for (const s of reports) counts[s.op] = (counts[s.op] ?? 0) + 1;
  return {
    version: REPORT_VERSION,
    stack: input.stack,
    marker: markerFor(input.stack),
    anonymized: anonymize,
    summary: {
      changes: counts,
      destructive: destructive.length,
      plansChanged: plans.length,
      maxIncreasePercent: max,
      increaseFromZero: fromZero,
      attention: attention.length,
      policyViolations: policy?.violations.length ?? 0,
    },
    destructive,
    steps,
    plans,
    customers,
    attention,
    policy,
    notes: notesFor(plans, customers),
  };
}

/** What the policy reads: every plan the stack will hold, the bills of this report, and the plans deleted or replaced. */
function policyInput(input: ReportInput, plans: readonly PlanReport[], customers: CustomersReport | null, anonymize: boolean) {
  const names = metricNames(input.steps);
  const planSides = input.steps.filter((s) => s.kind === "Plan" && s.op !== "delete").map((s) => planSide(s.new, "new")).filter((p): p is PlanSide => p !== null);
  const bills: PolicyBill[] = [];
  for (const plan of plans)
    for (const level of plan.impact)
      if (level.beforeCents !== null && level.afterCents !== null)
        bills.push({
          per: "level",
          object: `Plan ${plan.code} · ${level.charge ? `${level.chargeLabel}${level.filter ? ` [${level.filter}]` : ""} at ${formatUnits(level.units)} units` : "no usage"}`,
          currency: plan.currency,
          beforeCents: level.beforeCents,
          afterCents: level.afterCents,
        });
  for (const s of customers?.subscriptions ?? []) bills.push({ per: "customer", object: `customer ${s.customer} (${s.subscription})`, currency: s.currency, beforeCents: s.beforeCents, afterCents: s.afterCents });
  const subscribers = input.facts?.subscribers;
  const deletions = input.steps
    .filter((s) => s.kind === "Plan" && (s.op === "delete" || s.op === "replace"))
    .map((s) => {
      const code = String(s.old?.outputs.code ?? s.old?.inputs.code ?? s.name);
      const ids = subscribers ? (subscribers[code] ?? []) : null;
      return { code, op: s.op as "delete" | "replace", subscribers: ids && anonymize ? ids.map(anonymizeId) : ids };
    });
  return {
    plans: planSides.map((p) => ({ code: p.code, name: p.name, currency: p.wire.amount_currency, trialPeriodDays: p.trialPeriodDays, charges: [...p.charges.values()].map((c) => ({ label: chargeLabel(c, names), wire: c.wire })) })),
    bills,
    deletions,
  };
}

function notesFor(plans: readonly PlanReport[], customers: CustomersReport | null): string[] {
  const notes: string[] = [];
  if (plans.length)
    notes.push(
      "Sample bills price each changed charge alone at levels taken from its own shape (free units, package boundaries, the edges of the tiers that moved), other charges at zero: a whole period's plan fee, that charge and the minimum commitment's true-up, before taxes and coupons (they depend on the customer); trials and first-period proration do not apply to a whole period.",
    );
  if (customers)
    notes.push(
      "Customer figures re-price the current period's usage so far (Lago's current usage, read-only). \"Full period\" is the plan fee plus charges at these prices; \"this period, as invoiced\" follows Lago's invoice: trial, first-period proration, commitment true-up, progressive billing already invoiced, coupons, taxes, and prepaid credits shown apart. Monthly revenue uses the full-period figures, converted to a month. Charges priced by their events (dynamic) keep Lago's amount; charges the change adds have no usage yet.",
    );
  const estimates = [...new Set((customers?.subscriptions ?? []).flatMap((s) => [...(s.invoiceBefore?.estimates ?? []), ...(s.invoiceAfter?.estimates ?? [])]))];
  for (const estimate of estimates) notes.push(`Estimate: ${estimate}.`);
  if (customers?.overridden.length) notes.push(`${customers.overridden.length} subscription(s) run on their own prices (plan overrides) and were not re-priced.`);
  return notes;
}

/** The report as JSON: two-space indented, keys in the order the types above declare them. */
export const renderJson = (report: PreviewReport): string => `${JSON.stringify(report, null, 2)}\n`;
