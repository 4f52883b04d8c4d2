// AppliedCoupon: arguments ↔ Lago's `applied_coupon` object (lago-api.md §7), typed by Lago's contract.
import type { Wire } from "../../contract";
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";
import type { Args, Managed } from "../../kind";
import type { AppliedCouponInputs } from "./schema";

/** Lago's applied coupon object. */
export type LagoAppliedCoupon = Wire["AppliedCouponObject"];
/** The `applied_coupon` body of Lago's POST (there is no update). */
export type AppliedCouponBody = Wire["AppliedCouponInput"]["applied_coupon"];

export type AppliedCouponArgs = Managed<AppliedCouponInputs>;

/** The body applying the coupon: the keys, and each override set (absent ones take the coupon's). */
export function toWire(p: AppliedCouponArgs): AppliedCouponBody {
  const body: AppliedCouponBody = { external_customer_id: p.externalCustomerId ?? "", coupon_code: p.couponCode ?? "" };
  if (p.frequency != null) body.frequency = p.frequency;
  if (p.frequencyDuration != null) body.frequency_duration = p.frequencyDuration;
  if (p.amountCents != null) body.amount_cents = p.amountCents;
  if (p.amountCurrency != null) body.amount_currency = p.amountCurrency;
  if (p.percentageRate != null) body.percentage_rate = toDecimalString(p.percentageRate);
  return body;
}

export function toArgs(r: LagoAppliedCoupon): AppliedCouponArgs {
  return {
    externalCustomerId: r.external_customer_id,
    couponCode: r.coupon_code,
    frequency: r.frequency,
    frequencyDuration: r.frequency_duration ?? null,
    amountCents: r.amount_cents ?? null,
    amountCurrency: r.amount_currency ?? null,
    percentageRate: r.percentage_rate ?? null,
  };
}

/** What Lago computes: the status (Lago terminates a coupon used up), what is left, when it ended. */
export const outputs = (r: LagoAppliedCoupon): Args => ({
  lagoId: r.lago_id,
  createdAt: r.created_at,
  status: r.status,
  amountCentsRemaining: r.amount_cents_remaining ?? null,
  frequencyDurationRemaining: r.frequency_duration_remaining ?? null,
  terminatedAt: r.terminated_at ?? null,
});

export function normalize(args: AppliedCouponArgs): Args {
  const out: Args = { ...args };
  if (isDecimal(args.percentageRate)) out.percentageRate = canonicalDecimal(args.percentageRate);
  return out;
}
