// A readable bill from a plan (as the catalog declares it) and Lago's current usage. Pure; money in decimal.js.
// The per-tier split comes from the library's pricing (Lago's graduated rule, lago-api.md §11) and is checked
// against the amount Lago itself reports, so the bill never shows numbers Lago did not arrive at.
import Decimal from "decimal.js";
import type { CatalogPlan } from "../../provider/catalog";
import {
  currencyDecimals,
  graduatedTiers as pricedTiers,
  periodInvoice,
  toAmountCents,
  type AppliedCouponTerms,
  type BillingTime,
  type PeriodInvoice,
  type TaxRate,
} from "../../provider/pricing";

export interface GraduatedRange {
  fromValue: number;
  toValue: number | null;
  perUnitAmount: string | number;
  flatAmount?: string | number;
}

export interface Tier {
  fromValue: number;
  toValue: number | null;
  units: Decimal;
  /** As the plan writes it ("0.012"), for display. */
  perUnitAmount: string;
  /** Units × price + the range's flat fee; zero for ranges above the total, which Lago never reaches. */
  amount: Decimal;
}

/** Every range of a graduated charge with what it bills for `total` units (unreached ranges bill nothing). */
export function graduatedTiers(total: Decimal.Value, ranges: readonly GraduatedRange[]): Tier[] {
  const wire = {
    graduated_ranges: ranges.map((r) => ({ from_value: r.fromValue, to_value: r.toValue, per_unit_amount: String(r.perUnitAmount), flat_amount: String(r.flatAmount ?? "0") })),
  };
  const reached = pricedTiers(new Decimal(total), wire);
  return ranges.map((range, index) => {
    const line = reached.find((l) => l.index === index);
    return {
      fromValue: range.fromValue,
      toValue: range.toValue,
      perUnitAmount: String(range.perUnitAmount),
      units: line?.units ?? new Decimal(0),
      amount: line?.amount ?? new Decimal(0),
    };
  });
}

/** The fields of Lago's `customer_usage` the bill reads (lago-api.md §11). */
export interface CurrentUsage {
  from_datetime: string;
  to_datetime: string;
  currency: string;
  amount_cents: number;
  charges_usage: Array<{
    units: string;
    amount_cents: number;
    billable_metric: { code: string; name: string };
  }>;
}

export interface UsageLine {
  metricCode: string;
  metricName: string;
  units: Decimal;
  /** Null when the charge is not graduated (then only Lago's amount is shown). */
  tiers: Tier[] | null;
  /** What Lago charges for this metric. */
  amountCents: number;
  /** What the tiers add up to, rounded like a fee; equals amountCents when the plan and Lago agree. */
  tierCents: number | null;
}

export interface Bill {
  customer: string;
  plan: { code: string; name: string; interval: string; payInAdvance: boolean; trialDays: number };
  currency: string;
  period: { from: string; to: string };
  planFeeCents: number;
  lines: UsageLine[];
  /** Lago's usage total (the plan fee is not part of current usage). */
  usageCents: number;
  /** Plan fee + usage: the full month at these prices. */
  totalCents: number;
  /** This period as Lago will invoice it (trial, first-period proration, commitment); null without the subscription's terms. */
  invoice: PeriodInvoice | null;
}

/** What the bill needs to know to follow Lago's invoice: the subscription (GET /subscriptions/:id), the customer's taxes and active coupons. */
export interface SubscriptionTerms {
  billingTime: BillingTime;
  startedAt: string;
  customerTaxes?: readonly TaxRate[];
  coupons?: readonly AppliedCouponTerms[];
}

export function buildBill(customer: string, plan: CatalogPlan, usage: CurrentUsage, subscription?: SubscriptionTerms): Bill {
  const lines = usage.charges_usage.map((charge): UsageLine => {
    const declared = plan.charges?.find((c) => c.billableMetricCode === charge.billable_metric.code);
    const tiers = declared?.chargeModel === "graduated" ? graduatedTiers(charge.units, declared.graduatedRanges as GraduatedRange[]) : null;
    const tierCents = tiers ? toAmountCents(tiers.reduce((sum, t) => sum.plus(t.amount), new Decimal(0)), usage.currency) : null;
    return { metricCode: charge.billable_metric.code, metricName: charge.billable_metric.name, units: new Decimal(charge.units), tiers, amountCents: charge.amount_cents, tierCents };
  });
  return {
    customer,
    plan: { code: plan.code, name: plan.name, interval: plan.interval, payInAdvance: plan.payInAdvance === true, trialDays: plan.trialPeriod ?? 0 },
    currency: usage.currency,
    period: { from: usage.from_datetime, to: usage.to_datetime },
    planFeeCents: plan.amountCents,
    lines,
    usageCents: usage.amount_cents,
    totalCents: plan.amountCents + usage.amount_cents,
    invoice: subscription
      ? periodInvoice({
          currency: usage.currency,
          plan: {
            code: plan.code,
            amountCents: plan.amountCents,
            interval: plan.interval,
            payInAdvance: plan.payInAdvance === true,
            trialPeriodDays: plan.trialPeriod ?? 0,
            minimumCommitmentCents: plan.minimumCommitment?.amountCents ?? null,
          },
          subscription: { billingTime: subscription.billingTime, startedAt: subscription.startedAt, periodFrom: usage.from_datetime, periodTo: usage.to_datetime },
          charges: lines.map((l) => ({ code: l.metricCode, billableMetricCode: l.metricCode, amountCents: l.amountCents })),
          customerTaxes: subscription.customerTaxes,
          coupons: subscription.coupons,
        })
      : null,
  };
}

const BASIS: Readonly<Record<string, string>> = {
  full: "the whole fee",
  trial: "nothing: the trial covers the period",
  "trial-then-prorated": "the days after the trial",
  prorated: "the days from the start",
};

/** Minor units → "1,234.56" in the currency's own decimals. */
const money = (cents: number, currency: string): string => {
  const decimals = currencyDecimals(currency);
  return grouped(new Decimal(cents).dividedBy(new Decimal(10).pow(decimals)).toFixed(decimals));
};
const count = (value: Decimal.Value): string => grouped(new Decimal(value).toFixed());

/** 30000.5 → "30,000.5", without going through a binary float. */
function grouped(plain: string): string {
  const [whole, fraction] = plain.split(".");
  const sign = whole!.startsWith("-") ? "-" : "";
  const digits = whole!.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + digits + (fraction === undefined ? "" : `.${fraction}`);
}

const WIDTH = 76;
/** Amounts right-aligned; `currency` only on totals, with the other amounts padded to line up with them. */
const row = (label: string, amount: string, currency = "") => {
  const right = `${amount} ${currency.padEnd(3)}`;
  return `${label}${" ".repeat(Math.max(1, WIDTH - label.length - right.length))}${right}`.trimEnd();
};

export function formatBill(bill: Bill): string {
  const { plan } = bill;
  const amount = (cents: number) => money(cents, bill.currency);
  const terms = [plan.interval, plan.payInAdvance ? "paid in advance" : "paid in arrears", ...(plan.trialDays ? [`${plan.trialDays}-day trial`] : [])];
  const out = [
    `${bill.customer} · plan ${plan.name} (${plan.code}) · ${bill.currency}`,
    `Current period ${bill.period.from.slice(0, 10)} → ${bill.period.to.slice(0, 10)}`,
    "",
    row(`  Plan fee (${terms.join(", ")})`, amount(bill.planFeeCents)),
  ];
  for (const line of bill.lines) {
    out.push("", `  ${line.metricName} (${line.metricCode}): ${count(line.units)} units`);
    for (const tier of line.tiers ?? []) {
      const range = `${count(tier.fromValue)} – ${tier.toValue === null ? "∞" : count(tier.toValue)}`;
      out.push(row(`    ${range.padEnd(20)} ${count(tier.units).padStart(9)} × ${tier.perUnitAmount.padEnd(6)}`, amount(toAmountCents(tier.amount, bill.currency))));
    }
    out.push(row("    Subtotal", amount(line.amountCents)));
    if (line.tierCents !== null && line.tierCents !== line.amountCents)
      out.push(`    ! the plan's tiers add up to ${amount(line.tierCents)}, Lago charges ${amount(line.amountCents)}`);
  }
  out.push("", row("  Usage", amount(bill.usageCents), bill.currency), row("  Full month at these prices (plan fee + usage)", amount(bill.totalCents), bill.currency));
  const invoice = bill.invoice;
  if (invoice) {
    const fee = invoice.fee;
    const days = fee.days !== null && fee.basis !== "trial" ? `, ${fee.days} of ${fee.periodDays} days` : "";
    out.push(
      "",
      "  This period, as Lago will invoice it",
      row(`    Plan fee: ${BASIS[fee.basis]}${days} (${fee.billed})`, amount(fee.amountCents)),
      row("    Usage", amount(invoice.chargesCents)),
    );
    if (invoice.commitmentTrueUpCents) out.push(row("    Minimum commitment true-up", amount(invoice.commitmentTrueUpCents)));
    for (const coupon of invoice.coupons) out.push(row(`    Coupon ${coupon.code}`, `-${amount(coupon.amountCents)}`));
    for (const tax of invoice.taxes) out.push(row(`    Tax ${tax.code} (${tax.rate} %)`, amount(tax.amountCents)));
    out.push(row("  This period's total, taxes included", amount(invoice.totalCents), bill.currency));
  }
  return out.join("\n");
}
