// One subscription's billing period as Lago will invoice it: the subscription fee after trials and first-period
// proration, the charges, the minimum commitment true-up, progressive billing already invoiced, coupons, taxes and
// prepaid credits, in Lago's order (app/services/invoices/calculate_fees_service.rb: fees, then progressive billing
// credits, then coupons, then taxes, then prepaid credits). Pure: dates come in as ISO strings, money in minor units.
import Decimal from "decimal.js";
import { dec } from "./charge-models";

export type BillingTime = "calendar" | "anniversary";

/** A tax as Lago reports it on a plan, a charge, a customer or the organization. */
export interface TaxRate {
  code: string;
  /** Percent, e.g. "10.0". */
  rate: Decimal.Value;
}

/** One charge's amount for the period. */
export interface InvoiceCharge {
  code: string;
  billableMetricCode?: string | null;
  amountCents: number;
  /** Pay-in-advance charges are invoiced as events arrive, not at period end. */
  payInAdvance?: boolean;
  /** The charge's own taxes; empty: the plan's apply. */
  taxes?: readonly TaxRate[];
}

/** An applied coupon as Lago lists it (GET /applied_coupons, the fields the credit reads). */
export interface AppliedCouponTerms {
  code: string;
  couponType: "fixed_amount" | "percentage";
  amountCents?: number | null;
  amountCurrency?: string | null;
  /** What is left of a `once` fixed coupon. */
  amountCentsRemaining?: number | null;
  percentageRate?: Decimal.Value | null;
  frequency: "once" | "recurring" | "forever";
  /** Limited to these plans (empty or absent: any plan). */
  planCodes?: readonly string[];
  /** Limited to these metrics (empty or absent: any fee). */
  billableMetricCodes?: readonly string[];
  createdAt?: string;
}

export interface UsageThresholdTerms {
  amountCents: number;
  recurring: boolean;
}

export interface PeriodInvoiceInput {
  currency: string;
  plan: {
    code: string;
    amountCents: number;
    interval: string;
    payInAdvance: boolean;
    trialPeriodDays: number;
    minimumCommitmentCents?: number | null;
    /** The commitment's own taxes (else the plan's). */
    commitmentTaxes?: readonly TaxRate[];
    taxes?: readonly TaxRate[];
    usageThresholds?: readonly UsageThresholdTerms[];
  };
  subscription: {
    billingTime: BillingTime;
    /** When the subscription (or the first of its external id) started. */
    startedAt: string;
    /** The current period, as Lago's current usage gives it. */
    periodFrom: string;
    periodTo: string;
    progressiveBillingDisabled?: boolean;
  };
  charges: readonly InvoiceCharge[];
  customerTaxes?: readonly TaxRate[];
  /** The taxes applied to the organization (its default billing entity). */
  organizationTaxes?: readonly TaxRate[];
  coupons?: readonly AppliedCouponTerms[];
  /** Prepaid credits available in the customer's active wallets, in this currency. */
  walletBalanceCents?: number;
}

export type FeeBasis = "full" | "trial" | "trial-then-prorated" | "prorated";

export interface PeriodInvoice {
  currency: string;
  period: { from: string; to: string };
  /** The plan fee for a whole period, what "full month at these prices" shows. */
  fullPeriodFeeCents: number;
  fee: {
    amountCents: number;
    basis: FeeBasis;
    /** Days billed and days in the whole period, when prorated. */
    days: number | null;
    periodDays: number | null;
    billed: "in advance" | "in arrears";
  };
  /** Every charge fee of the period. */
  chargesCents: number;
  /** The part of chargesCents billed as events arrive (pay-in-advance charges). */
  inAdvanceChargesCents: number;
  commitmentTrueUpCents: number;
  /** Fee + charges + true-up. */
  feesCents: number;
  /** Usage already invoiced by progressive billing, deducted at period end (an estimate, see notes). */
  progressiveBilledCents: number;
  couponsCents: number;
  coupons: Array<{ code: string; amountCents: number }>;
  taxesCents: number;
  taxes: Array<{ code: string; rate: string; amountCents: number }>;
  /** What the period costs, taxes included. */
  totalCents: number;
  /** Paid from wallets' prepaid credits. */
  creditsCents: number;
  /** Left to pay. */
  dueCents: number;
  /** Plan fee + charges without trials, proration, commitments, coupons or taxes. */
  fullPeriodCents: number;
  /** Why some figures are estimates. */
  estimates: string[];
}

const DAY_MS = 86_400_000;

/**
 * Whole days between two instants, counted up (app/services/utils/datetime.rb `date_diff_with_timezone`): a period
 * ending at 23:59:59 counts its last day, one ending exactly at midnight gains a second so that day counts too.
 * Instants are compared as given, so a daylight-saving change inside the period is not corrected.
 */
export function daysBetween(from: string | Date, to: string | Date): number {
  const start = new Date(from).getTime();
  let end = new Date(to).getTime();
  if (end % DAY_MS === 0) end += 1000;
  return Math.ceil((end - start) / DAY_MS);
}

const MONTHS: Readonly<Record<string, number>> = { monthly: 1, quarterly: 3, semiannual: 6, yearly: 12 };

/**
 * Days in the whole period that ends at `periodTo` (app/services/subscriptions/dates/*_service.rb
 * `compute_duration`): calendar periods follow the calendar (a month's days, a quarter's …), anniversary periods
 * run from their anniversary day, which the first period starts on.
 */
export function fullPeriodDays(interval: string, billingTime: BillingTime, periodFrom: string, periodTo: string): number {
  if (interval === "weekly") return 7;
  if (billingTime === "anniversary") return daysBetween(periodFrom, periodTo);
  const end = new Date(periodTo);
  const months = MONTHS[interval] ?? 1;
  const lastMonth = end.getUTCMonth(); // 0-based
  const firstMonth = lastMonth - months + 1;
  const start = Date.UTC(end.getUTCFullYear(), firstMonth, 1);
  const after = Date.UTC(end.getUTCFullYear(), lastMonth + 1, 1);
  return Math.round((after - start) / DAY_MS);
}

const roundCents = (value: Decimal): number => value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

/**
 * The subscription fee of the period (app/services/fees/subscription_service.rb): a period the trial covers bills
 * 0; a trial ending inside it bills the days after it; a first calendar period bills the days from the start
 * (amount ÷ days in the period × days), an anniversary one the whole fee.
 */
function subscriptionFee(input: PeriodInvoiceInput): PeriodInvoice["fee"] {
  const { plan, subscription } = input;
  const billed = plan.payInAdvance ? "in advance" : "in arrears";
  const from = new Date(subscription.periodFrom).getTime();
  const to = new Date(subscription.periodTo).getTime();
  const started = new Date(subscription.startedAt).getTime();
  const firstPeriod = started >= from - 1000;
  const periodDays = fullPeriodDays(plan.interval, subscription.billingTime, subscription.periodFrom, subscription.periodTo);
  const dayPrice = new Decimal(plan.amountCents).dividedBy(periodDays);
  const trialEnd = plan.trialPeriodDays > 0 ? started + plan.trialPeriodDays * DAY_MS : null;

  // `first_subscription_amount` compares the trial's end *date* (midnight); the other paths its exact instant.
  if (trialEnd !== null) {
    const trialEndDate = Math.floor(trialEnd / DAY_MS) * DAY_MS;
    if ((firstPeriod ? trialEndDate : trialEnd) >= to) return { amountCents: 0, basis: "trial", days: 0, periodDays, billed };
    if (trialEnd > from && trialEnd < to) {
      const days = daysBetween(new Date(trialEnd), subscription.periodTo);
      return { amountCents: roundCents(dayPrice.times(days)), basis: "trial-then-prorated", days, periodDays, billed };
    }
  }
  // `should_use_full_amount?`: a pay-in-advance anniversary subscription bills its whole first period.
  if (!firstPeriod || (plan.payInAdvance && subscription.billingTime === "anniversary")) return { amountCents: plan.amountCents, basis: "full", days: null, periodDays: null, billed };
  const days = daysBetween(subscription.startedAt, subscription.periodTo);
  if (days >= periodDays) return { amountCents: plan.amountCents, basis: "full", days: null, periodDays: null, billed };
  return { amountCents: roundCents(dayPrice.times(days)), basis: "prorated", days, periodDays, billed };
}

/**
 * The minimum commitment's shortfall (app/services/commitments/minimum/calculate_true_up_fee_service.rb): the
 * commitment, prorated over the days the subscription ran in its first period
 * (commitments/calculate_prorated_coefficient_service.rb), less the period's subscription and charge fees.
 */
function commitmentTrueUp(input: PeriodInvoiceInput, feeCents: number, chargesCents: number): number {
  const commitment = input.plan.minimumCommitmentCents ?? 0;
  if (!commitment) return 0;
  const { subscription, plan } = input;
  const from = new Date(subscription.periodFrom).getTime();
  const start = Math.max(from, new Date(subscription.startedAt).getTime());
  const periodDays = fullPeriodDays(plan.interval, subscription.billingTime, subscription.periodFrom, subscription.periodTo);
  const days = Math.min(periodDays, daysBetween(new Date(start), subscription.periodTo));
  const prorated = roundCents(new Decimal(commitment).times(days).dividedBy(periodDays));
  return Math.max(0, prorated - feeCents - chargesCents);
}

/**
 * Usage progressive billing has already invoiced this period: the highest threshold the usage passed
 * (a recurring threshold repeats after the highest fixed one). Lago invoices the usage at the moment a threshold is
 * crossed, which can be a little more than the threshold, so this is a lower bound.
 */
export function progressiveBilledCents(usageCents: number, thresholds: readonly UsageThresholdTerms[]): number {
  const fixed = thresholds.filter((t) => !t.recurring).map((t) => t.amountCents).sort((a, b) => a - b);
  const recurring = thresholds.find((t) => t.recurring)?.amountCents ?? 0;
  const passed = fixed.filter((amount) => amount <= usageCents);
  let billed = passed.at(-1) ?? 0;
  if (recurring > 0) {
    const base = fixed.at(-1) ?? 0;
    if (usageCents >= base + recurring) billed = base + Math.floor((usageCents - base) / recurring) * recurring;
  }
  return billed;
}

interface FeeLine {
  kind: "subscription" | "charge" | "commitment";
  amountCents: number;
  billableMetricCode: string | null;
  taxes: readonly TaxRate[] | undefined;
  /** Credits taken off this fee before taxes (coupons, progressive billing), full precision. */
  credits: Decimal;
}

const nonEmpty = (taxes: readonly TaxRate[] | undefined): readonly TaxRate[] | undefined => (taxes?.length ? taxes : undefined);

/**
 * The taxes of one fee (app/services/fees/apply_taxes_service.rb `applicable_taxes`): the charge's (or the
 * commitment's) own, else the plan's, else the customer's, else the organization's billing entity's.
 */
function feeTaxes(fee: FeeLine, input: PeriodInvoiceInput): readonly TaxRate[] {
  return nonEmpty(fee.taxes) ?? nonEmpty(input.plan.taxes) ?? nonEmpty(input.customerTaxes) ?? input.organizationTaxes ?? [];
}

/** Takes `credit` off the fees in proportion to what is left of each, never below zero (credits/applied_coupon_service.rb). */
function spread(fees: readonly FeeLine[], credit: number, base: number): void {
  if (base <= 0 || credit <= 0) return;
  for (const fee of fees) {
    const left = new Decimal(fee.amountCents).minus(fee.credits);
    fee.credits = Decimal.min(new Decimal(fee.amountCents), fee.credits.plus(new Decimal(credit).times(left).dividedBy(base)));
  }
}

const remaining = (fees: readonly FeeLine[]): number => roundCents(fees.reduce((sum, f) => sum.plus(f.amountCents).minus(f.credits), new Decimal(0)));

/**
 * Coupons in Lago's order (credits/applied_coupons_service.rb: limited to metrics first, then to plans, then the
 * rest, oldest first), each on what is left (applied_coupons/amount_service.rb): a percentage of it rounded, or a
 * fixed amount up to it; a fixed coupon in another currency does not apply.
 */
function applyCoupons(fees: FeeLine[], input: PeriodInvoiceInput): PeriodInvoice["coupons"] {
  const rank = (c: AppliedCouponTerms) => (c.billableMetricCodes?.length ? 0 : c.planCodes?.length ? 1 : 2);
  const ordered = [...(input.coupons ?? [])].sort((a, b) => rank(a) - rank(b) || (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
  const applied: PeriodInvoice["coupons"] = [];
  for (const coupon of ordered) {
    if (remaining(fees) <= 0) break;
    if (coupon.couponType === "fixed_amount" && coupon.amountCurrency && coupon.amountCurrency !== input.currency) continue;
    let targets = fees;
    if (coupon.billableMetricCodes?.length) targets = fees.filter((f) => f.kind === "charge" && f.billableMetricCode !== null && coupon.billableMetricCodes!.includes(f.billableMetricCode));
    else if (coupon.planCodes?.length) targets = coupon.planCodes.includes(input.plan.code) ? fees : [];
    if (!targets.length) continue;
    const base = remaining(targets);
    if (base <= 0) continue;
    let amount: number;
    if (coupon.couponType === "percentage") {
      const value = new Decimal(base).times(dec(coupon.percentageRate)).dividedBy(100);
      amount = value.gte(base) ? base : roundCents(value);
    } else {
      const available = coupon.frequency === "once" ? (coupon.amountCentsRemaining ?? coupon.amountCents ?? 0) : (coupon.amountCents ?? 0);
      amount = Math.min(available, base);
    }
    spread(targets, amount, base);
    applied.push({ code: coupon.code, amountCents: amount });
  }
  return applied;
}

/** Taxes per code on what each fee owes after credits (invoices/apply_taxes_service.rb), rounded per tax. */
function applyTaxes(fees: readonly FeeLine[], input: PeriodInvoiceInput): PeriodInvoice["taxes"] {
  const byCode = new Map<string, { rate: Decimal; base: Decimal }>();
  for (const fee of fees)
    for (const tax of feeTaxes(fee, input)) {
      const entry = byCode.get(tax.code) ?? { rate: dec(tax.rate), base: new Decimal(0) };
      entry.base = entry.base.plus(new Decimal(fee.amountCents).minus(fee.credits));
      byCode.set(tax.code, entry);
    }
  return [...byCode.entries()].map(([code, { rate, base }]) => ({ code, rate: rate.toFixed(), amountCents: roundCents(base.times(rate).dividedBy(100)) }));
}

export function periodInvoice(input: PeriodInvoiceInput): PeriodInvoice {
  const estimates: string[] = [];
  const fee = subscriptionFee(input);
  const chargesCents = input.charges.reduce((sum, c) => sum + c.amountCents, 0);
  const inAdvanceChargesCents = input.charges.filter((c) => c.payInAdvance).reduce((sum, c) => sum + c.amountCents, 0);
  const commitmentTrueUpCents = commitmentTrueUp(input, fee.amountCents, chargesCents);

  const fees: FeeLine[] = [
    { kind: "subscription", amountCents: fee.amountCents, billableMetricCode: null, taxes: undefined, credits: new Decimal(0) },
    ...input.charges.map((c): FeeLine => ({ kind: "charge", amountCents: c.amountCents, billableMetricCode: c.billableMetricCode ?? null, taxes: c.taxes, credits: new Decimal(0) })),
    ...(commitmentTrueUpCents ? [{ kind: "commitment" as const, amountCents: commitmentTrueUpCents, billableMetricCode: null, taxes: input.plan.commitmentTaxes, credits: new Decimal(0) }] : []),
  ];
  const feesCents = fees.reduce((sum, f) => sum + f.amountCents, 0);

  // Progressive billing invoices are deducted from the period's charge fees (credits/progressive_billing_service.rb).
  const thresholds = input.subscription.progressiveBillingDisabled ? [] : (input.plan.usageThresholds ?? []);
  const progressive = Math.min(progressiveBilledCents(chargesCents, thresholds), chargesCents);
  if (progressive > 0) {
    const chargeFees = fees.filter((f) => f.kind === "charge");
    spread(chargeFees, progressive, remaining(chargeFees));
    estimates.push("progressive billing: the usage already invoiced is taken as the highest threshold passed; Lago invoiced the usage at the moment it passed, which can be more");
  }

  const coupons = applyCoupons(fees, input);
  const couponsCents = coupons.reduce((sum, c) => sum + c.amountCents, 0);
  const taxes = applyTaxes(fees, input);
  const taxesCents = taxes.reduce((sum, t) => sum + t.amountCents, 0);
  const totalCents = Math.max(0, feesCents - progressive - couponsCents) + taxesCents;
  // Prepaid credits pay the invoice after taxes (credits/applied_prepaid_credits_service.rb).
  const creditsCents = Math.min(totalCents, Math.max(0, input.walletBalanceCents ?? 0));

  if (fee.billed === "in advance") estimates.push("the plan fee is paid in advance: Lago invoiced it when the period started, and the period-end invoice holds the charges with the next period's fee");
  if (inAdvanceChargesCents) estimates.push("pay-in-advance charges are invoiced as events arrive, each invoice with its own coupons and taxes");
  if (input.coupons?.length) estimates.push("coupons and prepaid credits are the customer's, shared by all its subscriptions: this assumes this period's invoice takes them first");
  if (input.plan.minimumCommitmentCents && input.plan.payInAdvance) estimates.push("a pay-in-advance plan's commitment true-up is invoiced with the next period's fee");

  return {
    currency: input.currency,
    period: { from: input.subscription.periodFrom, to: input.subscription.periodTo },
    fullPeriodFeeCents: input.plan.amountCents,
    fee,
    chargesCents,
    inAdvanceChargesCents,
    commitmentTrueUpCents,
    feesCents,
    progressiveBilledCents: progressive,
    couponsCents,
    coupons,
    taxesCents,
    taxes,
    totalCents,
    creditsCents,
    dueCents: totalCents - creditsCents,
    fullPeriodCents: input.plan.amountCents + chargesCents,
    estimates,
  };
}
