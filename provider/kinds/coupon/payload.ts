// Coupon: arguments ↔ Lago's `coupon` object (lago-api.md §7), typed by Lago's contract.
import type { Wire } from "../../contract";
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";
import type { Args, Managed } from "../../kind";
import type { CouponInputs } from "./schema";

/** Lago's coupon object. */
export type LagoCoupon = Wire["CouponObject"];
/** The `coupon` body of a create or update. */
export type CouponBody = Wire["CouponBaseInput"];

export type CouponArgs = Managed<CouponInputs>;
export type CouponArg = keyof CouponArgs;

/** What Lago stops changing once the coupon has been applied to any customer (coupons/update_service.rb). */
export const FROZEN_ONCE_APPLIED: readonly CouponArg[] = ["code", "couponType", "amountCents", "amountCurrency", "percentageRate", "frequency", "frequencyDuration", "reusable", "planCodes", "billableMetricCodes"];

const sameInstant = (a: string | null | undefined, b: string | null | undefined) => (a == null || b == null ? a == b : Date.parse(a) === Date.parse(b));

/**
 * The `coupon` body for the arguments in `payload` (absent ones are not sent). On update an unchanged expirationAt
 * is left out: Lago refuses a date in the past (validators/expiration_date_validator.rb), as one becomes in time.
 */
export function toWire(p: CouponArgs, current?: LagoCoupon): CouponBody {
  const body: CouponBody = {};
  if ("name" in p) body.name = p.name ?? undefined;
  if ("code" in p) body.code = p.code ?? undefined;
  if ("description" in p) body.description = p.description ?? null;
  if ("couponType" in p) body.coupon_type = p.couponType ?? undefined;
  if ("amountCents" in p) body.amount_cents = p.amountCents ?? null;
  if ("amountCurrency" in p) body.amount_currency = p.amountCurrency ?? null;
  if ("percentageRate" in p) body.percentage_rate = p.percentageRate == null ? null : toDecimalString(p.percentageRate);
  if ("frequency" in p) body.frequency = p.frequency ?? undefined;
  if ("frequencyDuration" in p) body.frequency_duration = p.frequencyDuration ?? null;
  if ("reusable" in p) body.reusable = p.reusable ?? true;
  if ("expiration" in p) body.expiration = p.expiration ?? "no_expiration";
  if ("expirationAt" in p && !(current && sameInstant(p.expirationAt, current.expiration_at))) body.expiration_at = p.expirationAt ?? null;
  if ("planCodes" in p || "billableMetricCodes" in p) body.applies_to = { plan_codes: p.planCodes ?? [], billable_metric_codes: p.billableMetricCodes ?? [] };
  return body;
}

export function toArgs(r: LagoCoupon): CouponArgs {
  return {
    name: r.name,
    code: r.code,
    description: r.description ?? null,
    couponType: r.coupon_type,
    amountCents: r.amount_cents ?? null,
    amountCurrency: r.amount_currency ?? null,
    percentageRate: r.percentage_rate ?? null,
    frequency: r.frequency,
    frequencyDuration: r.frequency_duration ?? null,
    reusable: r.reusable,
    expiration: r.expiration,
    expirationAt: r.expiration_at ?? null,
    planCodes: r.plan_codes ?? [],
    billableMetricCodes: r.billable_metric_codes ?? [],
  };
}

export const outputs = (r: LagoCoupon): Args => ({ lagoId: r.lago_id, createdAt: r.created_at, terminatedAt: r.terminated_at ?? null });

const codes = (list: readonly string[] | undefined) => (list?.length ? [...new Set(list)].sort() : undefined);

/** Comparable form: Lago's defaults dropped (reusable, no expiration, no limits, blank description), one spelling for the rate and the date. */
export function normalize(args: CouponArgs): Args {
  const out: Args = { ...args };
  if (out.description === "") delete out.description;
  if (out.reusable === true) delete out.reusable;
  if (out.expiration === "no_expiration") delete out.expiration;
  if (isDecimal(args.percentageRate)) out.percentageRate = canonicalDecimal(args.percentageRate);
  if (typeof args.expirationAt === "string" && !Number.isNaN(Date.parse(args.expirationAt))) out.expirationAt = new Date(Date.parse(args.expirationAt)).toISOString();
  if ("planCodes" in args) out.planCodes = codes(args.planCodes ?? undefined);
  if ("billableMetricCodes" in args) out.billableMetricCodes = codes(args.billableMetricCodes ?? undefined);
  return out;
}
