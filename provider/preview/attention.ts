// Lago's side effects of a change, named in plain words for the attention section: each rule is one found in
// Lago's code (cited), applied to the preview's steps and, with `--customers`, to what Lago says about the
// subscriptions involved. Pure.
import { stableStringify } from "../canonical";
import { FROZEN_WHEN_CHARGED } from "../kinds/billable-metric/payload";
import { FROZEN_ONCE_APPLIED } from "../kinds/coupon/payload";
import { FROZEN_PLAN_ARGS } from "../kinds/plan/compare";
import { formatCents } from "./format";
import type { SubscriptionUsage } from "./impact";
import type { PlanSide } from "./plan-side";
import type { PreviewStep } from "./steps";

export interface AttentionItem {
  /** A stable name for the rule. */
  rule: "pending-downgrade-upgraded" | "pending-downgrade-canceled" | "charge-removed-with-usage" | "metric-changed-with-usage" | "metric-code-changed" | "ignored-while-in-use";
  /** `Plan pro`, `BillableMetric api_calls`. */
  object: string;
  text: string;
  /** The Lago file the rule is read from. */
  lagoSource: string;
  /** Affected customers (external ids), when Lago was read. */
  customers: string[];
  /** Money involved, in the currency's minor units (unbilled usage …), when known. */
  amountCents: number | null;
  currency: string | null;
}

/** A pending subscription (a downgrade waiting for period end) and what it replaces. */
export interface PendingDowngrade {
  customer: string;
  subscription: string;
  /** The plan it will move to. */
  planCode: string;
  /** The plan of the subscription it replaces, and that plan's yearly fee. */
  fromPlanCode: string;
  fromPlanYearlyCents: number;
}

/** An active subscription with a pending downgrade to another plan. */
export interface DowngradingSubscription {
  customer: string;
  subscription: string;
  planCode: string;
  nextPlanCode: string;
  nextPlanAmountCents: number;
}

export interface LagoFacts {
  pendingDowngrades: readonly PendingDowngrade[];
  downgrading: readonly DowngradingSubscription[];
  /** Customers with a subscription (any status) on each plan involved. */
  subscribers: Readonly<Record<string, readonly string[]>>;
  /** Current usage of the subscriptions on changed plans and on plans charging a changed metric. */
  usage: readonly SubscriptionUsage[];
  /** Customers a changed coupon has been applied to (any status), by coupon code. */
  couponHolders?: Readonly<Record<string, readonly string[]>>;
}

export interface ChangedPlanSides {
  step: PreviewStep;
  before: PlanSide | null;
  after: PlanSide | null;
}

const PERIODS_PER_YEAR: Readonly<Record<string, number>> = { weekly: 52, monthly: 12, quarterly: 4, semiannual: 2, yearly: 1 };
/** app/models/plan.rb `yearly_amount_cents`. */
export const yearlyAmountCents = (side: PlanSide): number => side.wire.amount_cents * (PERIODS_PER_YEAR[side.interval] ?? 12);

const argsOf = (state: PreviewStep["old"]): Record<string, unknown> => ({ ...(state?.inputs ?? {}) });

/** Top-level arguments whose values differ between the step's old and new inputs (what the Changed column lists). */
export function changedArguments(step: PreviewStep): string[] {
  const reported = step.diffs.filter((d) => !d.startsWith("__"));
  if (reported.length || step.op !== "update") return reported.map((d) => d.split(/[.[]/)[0]!).filter((d, i, all) => all.indexOf(d) === i);
  const [before, after] = [argsOf(step.old), argsOf(step.new)];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !key.startsWith("__") && stableStringify(before[key] ?? null) !== stableStringify(after[key] ?? null))
    .sort();
}

const list = (ids: readonly string[]) => (ids.length > 5 ? `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more` : ids.join(", "));
const uniq = (ids: readonly string[]) => [...new Set(ids)].sort();

function pendingDowngradeRules(plan: ChangedPlanSides, facts: LagoFacts | null): AttentionItem[] {
  const { before, after } = plan;
  if (!before || !after || plan.step.op !== "update" || before.wire.amount_cents === after.wire.amount_cents) return [];
  const object = `Plan ${after.code}`;
  const fee = (side: PlanSide) => formatCents(side.wire.amount_cents, side.wire.amount_currency);
  const items: AttentionItem[] = [];
  const source = "app/services/plans/update_service.rb (process_pending_subscriptions)";
  if (!facts) {
    items.push({
      rule: "pending-downgrade-upgraded",
      object,
      text: `Changing ${after.name}'s fee (${fee(before)} → ${fee(after)}) makes Lago re-check every pending downgrade to it: one whose current plan costs no more a year becomes an immediate upgrade, which terminates and invoices the current subscription. Run with --customers to list them.`,
      lagoSource: source,
      customers: [],
      amountCents: null,
      currency: null,
    });
    return items;
  }
  const upgraded = facts.pendingDowngrades.filter((p) => p.planCode === after.code && yearlyAmountCents(after) >= p.fromPlanYearlyCents);
  if (upgraded.length)
    items.push({
      rule: "pending-downgrade-upgraded",
      object,
      text: `Raising ${after.name}'s fee (${fee(before)} → ${fee(after)}) turns ${upgraded.length} pending downgrade${upgraded.length === 1 ? "" : "s"} into immediate upgrade${upgraded.length === 1 ? "" : "s"}: Lago terminates and invoices the current subscription${upgraded.length === 1 ? "" : "s"} (${list(upgraded.map((p) => `${p.subscription} on ${p.fromPlanCode}`))}) and starts ${after.code} now instead of at period end.`,
      lagoSource: source,
      customers: uniq(upgraded.map((p) => p.customer)),
      amountCents: null,
      currency: null,
    });
  // app/services/plans/update_service.rb (process_downgraded_subscriptions): a fee now below a pending plan's cancels it.
  const canceled = facts.downgrading.filter((d) => d.planCode === after.code && after.wire.amount_cents < d.nextPlanAmountCents);
  if (canceled.length)
    items.push({
      rule: "pending-downgrade-canceled",
      object,
      text: `Lowering ${after.name}'s fee below the plan${canceled.length === 1 ? "" : "s"} its subscribers are downgrading to cancels ${canceled.length} pending downgrade${canceled.length === 1 ? "" : "s"} (${list(canceled.map((d) => `${d.subscription} → ${d.nextPlanCode}`))}): they stay on ${after.code}.`,
      lagoSource: "app/services/plans/update_service.rb (process_downgraded_subscriptions)",
      customers: uniq(canceled.map((d) => d.customer)),
      amountCents: null,
      currency: null,
    });
  return items;
}

/** Usage Lago counted this period for charges matching `pick`, per currency, with the customers. */
function usageOf(usage: readonly SubscriptionUsage[], pick: (u: SubscriptionUsage, c: SubscriptionUsage["chargesUsage"][number]) => boolean) {
  const byCurrency = new Map<string, { cents: number; customers: string[] }>();
  for (const u of usage)
    for (const c of u.chargesUsage)
      if (pick(u, c) && (Number(c.units) !== 0 || c.amount_cents !== 0)) {
        const sum = byCurrency.get(u.currency) ?? { cents: 0, customers: [] };
        sum.cents += c.amount_cents;
        sum.customers.push(u.externalCustomerId);
        byCurrency.set(u.currency, sum);
      }
  return [...byCurrency.entries()].map(([currency, s]) => ({ currency, cents: s.cents, customers: uniq(s.customers) }));
}

function removedChargeRules(plan: ChangedPlanSides, facts: LagoFacts | null): AttentionItem[] {
  const { before, after } = plan;
  if (!before) return [];
  const removed = [...before.charges.keys()].filter((code) => !after?.charges.has(code));
  const items: AttentionItem[] = [];
  for (const code of removed) {
    const found = facts ? usageOf(facts.usage, (u, c) => u.planCode === before.code && c.charge.code === code) : [];
    for (const { currency, cents, customers } of found)
      items.push({
        rule: "charge-removed-with-usage",
        object: `Plan ${before.code}`,
        text: `Removing charge ${code} from ${before.name} drops usage already counted this period: ${formatCents(cents, currency)} that Lago will not bill (${customers.length} customer${customers.length === 1 ? "" : "s"}).`,
        lagoSource: "app/services/charges/destroy_service.rb, app/services/invoices/calculate_fees_service.rb (fees only for the plan's live charges)",
        customers,
        amountCents: cents,
        currency,
      });
  }
  return items;
}

const MEASURE_ARGS = ["aggregationType", "fieldName", "weightedInterval", "expression", "recurring", "roundingFunction", "roundingPrecision"];

function metricRules(step: PreviewStep, facts: LagoFacts | null): AttentionItem[] {
  if (step.kind !== "BillableMetric" || step.op === "create" || step.op === "same") return [];
  const before = argsOf(step.old);
  const after = argsOf(step.new);
  const code = String(before.code ?? after.code ?? step.name);
  const object = `BillableMetric ${code}`;
  const items: AttentionItem[] = [];
  if (step.op !== "delete" && typeof after.code === "string" && before.code !== after.code)
    items.push({
      rule: "metric-code-changed",
      object,
      text: `Renaming the metric's code ${String(before.code)} → ${after.code} breaks every event template and integration still sending code ${String(before.code)}: Lago matches events to metrics by code and drops those events from billing.`,
      lagoSource: "app/services/events/create_service.rb, app/services/billable_metrics/update_service.rb",
      customers: [],
      amountCents: null,
      currency: null,
    });
  const measured = step.op === "delete" ? ["the metric"] : changedArguments(step).filter((a) => MEASURE_ARGS.includes(a));
  if (measured.length && facts)
    for (const { currency, cents, customers } of usageOf(facts.usage, (_, c) => c.billable_metric?.code === code))
      items.push({
        rule: "metric-changed-with-usage",
        object,
        text: `${step.op === "delete" ? "Deleting" : `Changing ${measured.join(", ")} of`} metric ${code} while this period has usage on it: ${formatCents(cents, currency)} of usage counted so far would not be billed as counted (${customers.length} customer${customers.length === 1 ? "" : "s"}).`,
        lagoSource: "app/services/billable_metrics/update_service.rb, app/services/billable_metrics/destroy_service.rb",
        customers,
        amountCents: cents,
        currency,
      });
  return items;
}

/** Where Lago keeps a kind's arguments unchanged while the object is in use, and who holds it then. */
const FROZEN_WHILE_IN_USE: Readonly<Record<string, { args: readonly string[]; inUse: string; lagoSource: string; holders: (facts: LagoFacts, code: string) => readonly string[] | undefined }>> = {
  Plan: { args: FROZEN_PLAN_ARGS, inUse: "while the plan has subscriptions", lagoSource: "app/services/plans/update_service.rb (attached_to_subscriptions?)", holders: (f, code) => f.subscribers[code] ?? [] },
  BillableMetric: { args: FROZEN_WHEN_CHARGED, inUse: "while a plan charges the metric", lagoSource: "app/services/billable_metrics/update_service.rb (attached_to_plan?)", holders: () => undefined },
  Coupon: { args: FROZEN_ONCE_APPLIED, inUse: "once the coupon has been applied to a customer", lagoSource: "app/services/coupons/update_service.rb (applied coupons exist)", holders: (f, code) => f.couponHolders?.[code] ?? [] },
};

/** Arguments Lago keeps unchanged while the object is in use: a plan with subscriptions, a charged metric, an applied coupon. */
function ignoredRules(steps: readonly PreviewStep[], facts: LagoFacts | null): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const step of steps) {
    const rule = FROZEN_WHILE_IN_USE[step.kind];
    if (!rule || (step.op !== "update" && step.op !== "replace")) continue;
    const frozen = changedArguments(step).filter((a) => rule.args.includes(a));
    if (!frozen.length) continue;
    const code = String(argsOf(step.old).code ?? argsOf(step.new).code ?? step.name);
    const holders = facts ? rule.holders(facts, code) : undefined;
    // With Lago read (--customers), an object nobody uses is not frozen; without, the rule is named as possible.
    if (holders && !holders.length) continue;
    const how = step.op === "replace" ? "the provider replaces the object instead, which is a destructive step above" : "the provider refuses the change at preview";
    items.push({
      rule: "ignored-while-in-use",
      object: `${step.kind} ${code}`,
      text: `Lago ignores changes to ${frozen.join(", ")} ${rule.inUse} (it answers 200 with the old values); ${how}.`,
      lagoSource: rule.lagoSource,
      customers: [...(holders ?? [])],
      amountCents: null,
      currency: null,
    });
  }
  return items;
}

/** Every side effect of the change that Lago's code makes happen beyond the change itself. */
export function attentionItems(steps: readonly PreviewStep[], plans: readonly ChangedPlanSides[], facts: LagoFacts | null): AttentionItem[] {
  return [
    ...plans.flatMap((p) => [...pendingDowngradeRules(p, facts), ...removedChargeRules(p, facts)]),
    ...steps.flatMap((s) => metricRules(s, facts)),
    ...ignoredRules(steps, facts),
  ];
}
