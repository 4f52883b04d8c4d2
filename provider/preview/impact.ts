// What a plan change does to bills: the plan's total at sample usage levels before and after, and every active
// subscription's current period re-priced under the old and the new prices, summed into monthly revenue.
import Decimal from "decimal.js";
import {
  chargeLevels,
  dec,
  levelsShowingChange,
  periodInvoice,
  planBill,
  type AppliedCouponTerms,
  type BillingTime,
  type ChargeUsageInput,
  type PeriodInvoice,
  type PeriodInvoiceInput,
  type PlanBill,
  type Properties,
  type TaxRate,
  type UsageSlice,
} from "../pricing";
import { percentChange } from "./format";
import { chargeLabel, type MetricNames } from "./pricing-diff";
import type { PlanSide } from "./plan-side";

export interface LevelImpact {
  /** The charge this row exercises (its code); null: the plan's own fee, no usage. */
  charge: string | null;
  /** The charge's name for people (invoice name, metric name, code). */
  chargeLabel: string | null;
  /** The filter whose prices the row exercises (`region: eu`); null: the charge's own prices. */
  filter: string | null;
  /** Units given to that charge; every other charge has none. */
  units: string;
  /** Plan fee + the charge at these units + the minimum commitment's true-up, for a whole period, before taxes. null: the plan does not exist on that side. */
  beforeCents: number | null;
  afterCents: number | null;
  deltaCents: number | null;
  /** Two decimals; null when there is no before, or the before is zero and the after is not. */
  percent: string | null;
}

const delta = (before: number | null, after: number | null) =>
  before === null || after === null ? { deltaCents: null, percent: null } : { deltaCents: after - before, percent: percentChange(before, after) };

const commitmentCents = (side: PlanSide): number => {
  const c = side.args.minimumCommitment as { amountCents?: unknown } | null | undefined;
  return c && typeof c.amountCents === "number" ? c.amountCents : 0;
};

/** A whole period's bill for one charge's usage: fee, charge, and the commitment's shortfall (commitments/minimum/calculate_true_up_fee_service.rb). */
function sampleBill(side: PlanSide, code: string | null, usage: ChargeUsageInput, options: { premium?: boolean }): number {
  const bill = planBill(side.wire, code ? { [code]: usage } : {}, options);
  return bill.totalCents + Math.max(0, commitmentCents(side) - bill.totalCents);
}

const filterKey = (values: Record<string, string[]>) =>
  Object.keys(values)
    .sort()
    .map((k) => `${k}: ${[...(values[k] ?? [])].sort().join(", ")}`)
    .join("; ");

/**
 * The plan's bill at levels chosen per changed charge from that charge's own shape (free units, package
 * boundaries, the edges of the tiers that moved, filters), each charge priced alone at its level. `levels` (from
 * `--usage`) replaces the chosen levels for every changed charge. A plan whose fee alone moves gets one row at no usage.
 */
export function levelImpacts(before: PlanSide | null, after: PlanSide | null, changedCharges: ReadonlySet<string>, options: { premium?: boolean; levels?: readonly Decimal.Value[]; metricNames?: MetricNames } = {}): LevelImpact[] {
  const rows: LevelImpact[] = [];
  const row = (code: string | null, label: string | null, filter: string | null, units: Decimal, usage: ChargeUsageInput): LevelImpact => {
    const beforeCents = before ? sampleBill(before, code, usage, options) : null;
    const afterCents = after ? sampleBill(after, code, usage, options) : null;
    return { charge: code, chargeLabel: label, filter, units: units.toFixed(), beforeCents, afterCents, ...delta(beforeCents, afterCents) };
  };
  const codes = [...new Set([...(before?.charges.keys() ?? []), ...(after?.charges.keys() ?? [])])].filter((c) => changedCharges.has(c) || !before || !after);
  for (const code of codes) {
    const [b, a] = [before?.charges.get(code), after?.charges.get(code)];
    const label = chargeLabel((a ?? b)!, options.metricNames ?? new Map());
    const billsDiffer = (usage: (units: Decimal) => ChargeUsageInput) => (units: Decimal) => {
      const r = row(code, label, null, units, usage(units));
      return r.beforeCents !== r.afterCents;
    };
    const chosen = options.levels?.length ? options.levels.map((l) => dec(l)) : levelsShowingChange(chargeLevels(b?.wire, a?.wire), billsDiffer((u) => u));
    for (const units of chosen) rows.push(row(code, label, null, units, units));
    // A filter whose prices moved is exercised through usage carrying its values.
    const filters = new Map<string, Record<string, string[]>>();
    const props = new Map<string, [unknown, unknown]>();
    for (const [i, side] of [b, a].entries())
      for (const f of side?.wire.filters ?? []) {
        const key = filterKey(f.values);
        filters.set(key, f.values);
        const pair = props.get(key) ?? [undefined, undefined];
        pair[i] = f.properties;
        props.set(key, pair);
      }
    for (const [key, values] of filters) {
      const [pb, pa] = props.get(key)!;
      if (JSON.stringify(pb) === JSON.stringify(pa)) continue;
      const asCharge = (side: typeof b, properties: unknown) => (side && properties ? { ...side.wire, properties: properties as Properties, filters: [] } : null);
      const levels = options.levels?.length ? options.levels.map((l) => dec(l)) : levelsShowingChange(chargeLevels(asCharge(b, pb), asCharge(a, pa)), billsDiffer((u) => ({ units: u, slices: [{ units: u, filterValues: values }] })));
      for (const units of levels) rows.push(row(code, label, key, units, { units, slices: [{ units, filterValues: values }] }));
    }
  }
  if (!rows.length) rows.push(row(null, null, null, new Decimal(0), 0));
  return rows;
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

/**
 * What Lago says about a subscription's billing beyond its usage: the reads an invoice-faithful period needs
 * (subscription, customer, taxes, applied coupons, wallets).
 */
export interface SubscriptionTerms {
  billingTime: BillingTime;
  startedAt: string;
  progressiveBillingDisabled?: boolean;
  customerTaxes: TaxRate[];
  /** Taxes applied to the organization (`applied_to_organization`). */
  organizationTaxes: TaxRate[];
  /** Every tax's rate by code, to price either side's tax codes. */
  taxRates: Readonly<Record<string, string>>;
  coupons: AppliedCouponTerms[];
  /** null: the wallets could not be read. */
  walletBalanceCents: number | null;
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
  /** Absent: only the full-period figures can be given. */
  terms?: SubscriptionTerms;
  /** Its own plan before and after, when its plan overrides change (absent: the sides of its plan's step). */
  sides?: { before: PlanSide; after: PlanSide };
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
  /** This period as Lago will invoice it (trial, proration, commitment, coupons, taxes, credits); null without terms. */
  invoiceBefore: PeriodInvoice | null;
  invoiceAfter: PeriodInvoice | null;
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
  const invoiceBefore = usage.terms ? periodInvoice(invoiceInput(usage, usage.terms, before, oldBill)) : null;
  const invoiceAfter = usage.terms && after && newBill ? periodInvoice(invoiceInput(usage, usage.terms, after, newBill)) : null;
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
    invoiceBefore,
    invoiceAfter,
  };
}

const taxesOf = (codes: unknown, rates: Readonly<Record<string, string>>): TaxRate[] =>
  (Array.isArray(codes) ? (codes as string[]) : []).filter((code) => rates[code] !== undefined).map((code) => ({ code, rate: rates[code]! }));

/** One side of a plan and its bill for the period, in the terms `periodInvoice` reads. */
function invoiceInput(usage: SubscriptionUsage, terms: SubscriptionTerms, side: PlanSide, bill: PlanBill): PeriodInvoiceInput {
  const args = side.args;
  const commitment = args.minimumCommitment as { amountCents?: number; taxCodes?: string[] } | null | undefined;
  const thresholds = Array.isArray(args.usageThresholds) ? (args.usageThresholds as Array<{ amountCents: number; recurring?: boolean }>) : [];
  return {
    currency: usage.currency,
    plan: {
      code: side.code,
      amountCents: side.wire.amount_cents,
      interval: side.interval,
      payInAdvance: args.payInAdvance === true,
      trialPeriodDays: side.trialPeriodDays,
      minimumCommitmentCents: commitment?.amountCents ?? null,
      commitmentTaxes: taxesOf(commitment?.taxCodes, terms.taxRates),
      taxes: taxesOf(args.taxCodes, terms.taxRates),
      usageThresholds: thresholds.map((t) => ({ amountCents: t.amountCents, recurring: t.recurring === true })),
    },
    subscription: { billingTime: terms.billingTime, startedAt: terms.startedAt, periodFrom: usage.from, periodTo: usage.to, progressiveBillingDisabled: terms.progressiveBillingDisabled },
    charges: bill.charges.map((c) => {
      const charge = side.charges.get(c.code);
      return { code: c.code, billableMetricCode: charge?.billableMetricCode ?? null, amountCents: c.amountCents, payInAdvance: charge?.args.payInAdvance === true, taxes: taxesOf(charge?.args.taxCodes, terms.taxRates) };
    }),
    customerTaxes: terms.customerTaxes,
    organizationTaxes: terms.organizationTaxes,
    coupons: terms.coupons,
    walletBalanceCents: terms.walletBalanceCents ?? 0,
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
