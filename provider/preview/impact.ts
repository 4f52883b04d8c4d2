// What a plan change does to bills: the plan's total at sample usage levels before and after, and every active
// subscription's current period re-priced under the old and the new prices, summed into monthly revenue.
import Decimal from "decimal.js";
import { dec, planBill, sampleLevels, type ChargeUsageInput, type PlanBill, type UsageSlice } from "../pricing";
import { percentChange } from "./format";
import type { PlanSide } from "./plan-side";

export interface LevelImpact {
  /** Units given to every charge of the plan. */
  units: string;
  /** null: the plan does not exist on that side (created or deleted). */
  beforeCents: number | null;
  afterCents: number | null;
  deltaCents: number | null;
  /** Two decimals; null when there is no before, or the before is zero and the after is not. */
  percent: string | null;
}

const delta = (before: number | null, after: number | null) =>
  before === null || after === null ? { deltaCents: null, percent: null } : { deltaCents: after - before, percent: percentChange(before, after) };

/** The plan's bill at each level (every charge at that many units); levels default to the plans' range edges. */
export function levelImpacts(before: PlanSide | null, after: PlanSide | null, levels?: readonly Decimal.Value[], options: { premium?: boolean } = {}): LevelImpact[] {
  const chosen = levels?.length ? levels.map((l) => dec(l)) : sampleLevels([before?.wire, after?.wire]);
  const billAt = (side: PlanSide | null, units: Decimal) =>
    side ? planBill(side.wire, Object.fromEntries(side.wire.charges.map((c) => [c.code, units])), options).totalCents : null;
  return chosen.map((units) => {
    const [beforeCents, afterCents] = [billAt(before, units), billAt(after, units)];
    return { units: units.toFixed(), beforeCents, afterCents, ...delta(beforeCents, afterCents) };
  });
}

// ---------------------------------------------------------------- customers

/** One charge of Lago's `customer_usage.charges_usage` (the fields re-pricing reads, lago-api.md §11). */
export interface LagoChargeUsage {
  units: string;
  events_count: number;
  amount_cents: number;
  charge: { code: string; charge_model: string };
  billable_metric?: { code: string; name?: string };
  filters?: Array<{ units: string; events_count: number; values: Record<string, string[]> | null }>;
  grouped_usage?: Array<{ units: string; events_count: number; filters?: Array<{ units: string; events_count: number; values: Record<string, string[]> | null }> }>;
}

/** What Lago says about one active subscription on a changed plan. */
export interface SubscriptionUsage {
  externalCustomerId: string;
  externalSubscriptionId: string;
  planCode: string;
  /** The current usage period. */
  from: string;
  to: string;
  currency: string;
  chargesUsage: LagoChargeUsage[];
}

export interface SubscriptionImpact {
  customer: string;
  subscription: string;
  planCode: string;
  currency: string;
  interval: string;
  period: { from: string; to: string };
  /** Units per charge code in the current period, as Lago counts them. */
  usage: Array<{ charge: string; units: string }>;
  /** Lago's own amount for these charges now: the old prices re-priced should match it. */
  lagoChargesCents: number;
  /** Plan fee + charges for the period; after is 0 when the plan is deleted. */
  beforeCents: number;
  afterCents: number;
  deltaCents: number;
  percent: string | null;
  /** The same, as monthly amounts (a yearly plan's fee over 12 …), for the revenue totals. */
  monthlyBeforeCents: number;
  monthlyAfterCents: number;
}

/** Lago prices each pricing group and each filter on its own: the slices re-pricing must repeat. */
export function usageInput(usage: LagoChargeUsage): ChargeUsageInput {
  const filterSlices = (filters: LagoChargeUsage["filters"]): UsageSlice[] =>
    (filters ?? []).map((f) => ({ units: dec(f.units), eventsCount: f.events_count, filterValues: f.values }));
  let slices: UsageSlice[] = [];
  if (usage.grouped_usage?.length)
    slices = usage.grouped_usage.flatMap((g) => (g.filters?.length ? filterSlices(g.filters) : [{ units: dec(g.units), eventsCount: g.events_count }]));
  else if (usage.filters?.length) slices = filterSlices(usage.filters);
  return { units: dec(usage.units), eventsCount: usage.events_count, slices };
}

const PERIODS_PER_YEAR: Readonly<Record<string, number>> = { weekly: 52, monthly: 12, quarterly: 4, semiannual: 2, yearly: 1 };

/** A period's bill as a monthly amount: the fee follows the plan's interval, charges too unless billed monthly. */
export function monthlyCents(bill: PlanBill, side: PlanSide): number {
  const perYear = PERIODS_PER_YEAR[side.interval] ?? 12;
  const chargesPerYear = side.billChargesMonthly ? 12 : perYear;
  const monthly = new Decimal(bill.planFeeCents).times(perYear).dividedBy(12).plus(new Decimal(bill.chargesCents).times(chargesPerYear).dividedBy(12));
  return monthly.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/**
 * One subscription's period re-priced under both sides of its plan. Charges Lago cannot re-price from the plan
 * (dynamic: the events carry the price) keep Lago's own amount on both sides; charges the new plan adds have no
 * usage yet, so they bill as zero units.
 */
export function subscriptionImpact(usage: SubscriptionUsage, before: PlanSide, after: PlanSide | null, options: { premium?: boolean } = {}): SubscriptionImpact {
  const inputs = Object.fromEntries(usage.chargesUsage.map((c) => [c.charge.code, usageInput(c)]));
  const lagoAmounts = new Map(usage.chargesUsage.map((c) => [c.charge.code, c.amount_cents]));
  const billFor = (side: PlanSide): PlanBill => {
    const bill = planBill(side.wire, inputs, options);
    const charges = bill.charges.map((c) => (c.priced ? c : { ...c, amountCents: lagoAmounts.get(c.code) ?? 0 }));
    const chargesCents = charges.reduce((sum, c) => sum + c.amountCents, 0);
    return { ...bill, charges, chargesCents, totalCents: bill.planFeeCents + chargesCents };
  };
  const oldBill = billFor(before);
  const newBill = after ? billFor(after) : null;
  const beforeCents = oldBill.totalCents;
  const afterCents = newBill?.totalCents ?? 0;
  return {
    customer: usage.externalCustomerId,
    subscription: usage.externalSubscriptionId,
    planCode: usage.planCode,
    currency: usage.currency,
    interval: before.interval,
    period: { from: usage.from, to: usage.to },
    usage: usage.chargesUsage.map((c) => ({ charge: c.charge.code, units: dec(c.units).toFixed() })),
    lagoChargesCents: usage.chargesUsage.reduce((sum, c) => sum + c.amount_cents, 0),
    beforeCents,
    afterCents,
    deltaCents: afterCents - beforeCents,
    percent: percentChange(beforeCents, afterCents),
    monthlyBeforeCents: monthlyCents(oldBill, before),
    monthlyAfterCents: newBill && after ? monthlyCents(newBill, after) : 0,
  };
}

export interface RevenueChange {
  currency: string;
  subscriptions: number;
  /** Sum of the subscriptions' monthly amounts. */
  beforeCents: number;
  afterCents: number;
  deltaCents: number;
  percent: string | null;
}

/** Monthly revenue before and after, per currency (amounts in different currencies are never added). */
export function revenueChange(impacts: readonly SubscriptionImpact[]): RevenueChange[] {
  const byCurrency = new Map<string, RevenueChange>();
  for (const impact of impacts) {
    const sum = byCurrency.get(impact.currency) ?? { currency: impact.currency, subscriptions: 0, beforeCents: 0, afterCents: 0, deltaCents: 0, percent: null };
    sum.subscriptions += 1;
    sum.beforeCents += impact.monthlyBeforeCents;
    sum.afterCents += impact.monthlyAfterCents;
    byCurrency.set(impact.currency, sum);
  }
  return [...byCurrency.values()]
    .map((r) => ({ ...r, deltaCents: r.afterCents - r.beforeCents, percent: percentChange(r.beforeCents, r.afterCents) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
