// Lago's objects as catalog entries: each kind's own toArgs (the arguments Lago holds), then what a person would not
// write left out: nulls, empty lists and the values the kind sends when an argument is absent. What is left is
// exactly what the kind compares, so an adopted entry previews as no change (an absent argument is not managed).
import type { z } from "zod";
import { canonicalDecimal, isDecimal, toDecimalString } from "../decimal";
import { toArgs as addOnArgs, type LagoAddOn } from "../kinds/add-on/payload";
import { toArgs as appliedCouponArgs, type LagoAppliedCoupon } from "../kinds/applied-coupon/payload";
import { toArgs as metricArgs, type LagoBillableMetric } from "../kinds/billable-metric/payload";
import { toArgs as couponArgs, type LagoCoupon } from "../kinds/coupon/payload";
import { toArgs as customerArgs, type LagoCustomer } from "../kinds/customer/payload";
import { toArgs as planArgs, type LagoPlan } from "../kinds/plan/payload";
import { toArgs as subscriptionArgs, type LagoSubscription } from "../kinds/subscription/payload";
import { toArgs as taxArgs, type LagoTax } from "../kinds/tax/payload";
import { toArgs as walletArgs, type LagoWallet } from "../kinds/wallet/payload";
import { toArgs as webhookArgs, type LagoWebhookEndpoint } from "../kinds/webhook-endpoint/payload";

type Json = Record<string, unknown>;

/** Values a kind sends (or Lago holds) when the argument is absent, per argument. */
type Defaults = Record<string, unknown>;

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) ? v.length === 0 : typeof v === "object" && Object.keys(v).length === 0);

/** `entry` without empty values and without the listed defaults (one level; nested values are kept whole). */
function withoutDefaults(entry: Json, defaults: Defaults = {}): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(entry)) {
    if (isEmpty(value)) continue;
    if (key in defaults && defaults[key] === value) continue;
    out[key] = value;
  }
  return out;
}

const PLAN_DEFAULTS: Defaults = { payInAdvance: false, billChargesMonthly: false, billFixedChargesMonthly: false, trialPeriod: 0 };
const FIXED_CHARGE_DEFAULTS: Defaults = { payInAdvance: false, prorated: false };
const CHARGE_DEFAULTS: Defaults = { payInAdvance: false, prorated: false, invoiceable: true, minAmountCents: 0 };

export function planEntry(remote: LagoPlan): Json {
  const args = planArgs(remote) as Json;
  const plan = withoutDefaults(args, PLAN_DEFAULTS);
  const commitment = args.minimumCommitment as Json | null | undefined;
  if (commitment) plan.minimumCommitment = withoutDefaults(commitment);
  const thresholds = args.usageThresholds as Json[] | undefined;
  if (thresholds?.length) plan.usageThresholds = thresholds.map((t) => withoutDefaults(t, { recurring: false }));
  const charges = args.charges as Json[] | undefined;
  if (charges?.length)
    plan.charges = charges.map((c) => {
      const charge = withoutDefaults(c, CHARGE_DEFAULTS);
      const filters = c.filters as Json[] | undefined;
      if (filters?.length) charge.filters = filters.map((f) => withoutDefaults(f));
      return charge;
    });
  const fixed = args.fixedCharges as Json[] | undefined;
  if (fixed?.length) plan.fixedCharges = fixed.map((c) => withoutDefaults(c, FIXED_CHARGE_DEFAULTS));
  return plan;
}

export const metricEntry = (remote: LagoBillableMetric): Json => withoutDefaults(metricArgs(remote) as Json, { recurring: false });
/** The rate as a decimal string, as every price of the catalog ("20", "5.5"); Lago answers a number. */
export const taxEntry = (remote: LagoTax): Json => {
  const entry = withoutDefaults(taxArgs(remote) as Json, { appliedToOrganization: false });
  if (isDecimal(entry.rate)) entry.rate = toDecimalString(entry.rate);
  return entry;
};
export const addOnEntry = (remote: LagoAddOn): Json => withoutDefaults(addOnArgs(remote) as Json);
export const couponEntry = (remote: LagoCoupon): Json => withoutDefaults(couponArgs(remote) as Json, { reusable: true, expiration: "no_expiration" });
export const webhookEndpointEntry = (remote: LagoWebhookEndpoint): Json => {
  const entry = withoutDefaults(webhookArgs(remote) as Json, { signatureAlgo: "jwt" });
  const types = entry.eventTypes as string[] | undefined;
  if (types?.length === 1 && types[0] === "*") delete entry.eventTypes; // Lago's "every event type", as none
  return entry;
};
export function customerEntry(remote: LagoCustomer): Json {
  const args = customerArgs(remote) as Json;
  const entry = withoutDefaults(args, { finalizeZeroAmountInvoice: "inherit" });
  const shipping = args.shippingAddress as Json | null | undefined;
  if (shipping) {
    const address = withoutDefaults(shipping);
    if (Object.keys(address).length) entry.shippingAddress = address;
    else delete entry.shippingAddress;
  }
  const billing = args.billingConfiguration as Json | null | undefined;
  if (billing) entry.billingConfiguration = withoutDefaults(billing);
  return entry;
}
/**
 * A subscription. When the kind reads plan overrides (the plan billed, in the overrides' shape), only what differs
 * from the plan under that code is written: the overrides as they were asked. None when it bills that plan itself.
 */
export function subscriptionEntry(remote: LagoSubscription, parent?: LagoPlan): Json {
  const args = subscriptionArgs(remote) as Json;
  const entry = withoutDefaults(args, { billingTime: "calendar" });
  if (!("planOverrides" in entry)) return entry;
  const billed = (remote as { plan?: { lago_id?: string } }).plan;
  const overridden = parent !== undefined && billed?.lago_id !== undefined && billed.lago_id !== parent.lago_id;
  const asked = overridden ? overridesAsked(args.planOverrides as Json, (subscriptionArgs({ ...remote, plan: parent } as LagoSubscription) as Json).planOverrides as Json) : undefined;
  if (asked) entry.planOverrides = asked;
  else delete entry.planOverrides;
  return entry;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of the billed plan that differ from its parent's, and the charges that differ, whole. */
function overridesAsked(billed: Json, parent: Json | undefined): Json | undefined {
  const out: Json = {};
  for (const [key, value] of Object.entries(billed)) if (key !== "charges" && !same(value, parent?.[key]) && !isEmpty(value)) out[key] = value;
  const parentCharges = new Map(((parent?.charges as Json[] | undefined) ?? []).map((c) => [c.code, c]));
  const charges = ((billed.charges as Json[] | undefined) ?? []).filter((c) => !same(c, parentCharges.get(c.code)));
  if (charges.length)
    out.charges = charges.map((c) => {
      const charge = withoutDefaults(c, CHARGE_DEFAULTS);
      const filters = c.filters as Json[] | undefined;
      if (filters?.length) charge.filters = filters.map((f) => withoutDefaults(f));
      return charge;
    });
  return Object.keys(out).length ? out : undefined;
}
/** Lago copies the coupon's terms into each application: only the ones that differ (the overrides) are written. */
export function appliedCouponEntry(remote: LagoAppliedCoupon, coupon?: Json): Json {
  const entry = withoutDefaults(appliedCouponArgs(remote) as Json);
  if (!coupon) return entry;
  for (const key of ["frequency", "frequencyDuration", "amountCents", "amountCurrency", "percentageRate"]) {
    const mine = entry[key];
    const theirs = coupon[key];
    if (mine === undefined) continue;
    const same = isDecimal(mine) && isDecimal(theirs) && typeof mine !== "boolean" ? canonicalDecimal(mine) === canonicalDecimal(theirs) : mine === theirs;
    if (same) delete entry[key];
  }
  return entry;
}

/** A wallet's terms and its recurring top-up (the credits granted at its creation are history, not configuration). */
export function walletEntry(remote: LagoWallet): Json {
  const args = walletArgs(remote) as Json;
  const entry = withoutDefaults(args, { invoiceRequiresSuccessfulPayment: false });
  const rules = args.recurringTransactionRules as Json[] | undefined;
  if (rules?.length) entry.recurringTransactionRules = rules.map((r) => withoutDefaults(r, { method: "fixed" }));
  return entry;
}

/** Why the kind's schema refuses an entry, in one line (paths as the catalog names them). */
export function schemaProblem(schema: z.ZodType, entry: Json): string | undefined {
  const parsed = schema.safeParse(entry);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((i) => `${i.path.join(".") || "(entry)"} ${i.message}`).join("; ");
}
