// Which plan changes Lago ignores once the plan has had a subscription (lago-api.md §3.6), down to
// the charge field, and how to say so. Pure: the caller finds out whether subscriptions exist.
import { comparableCharges, comparableFixedCharges, type ChargeArgsLike, type FixedChargeArgsLike } from "./payload";

/** Plan arguments Lago freezes once the plan has had any subscription (§3.6). */
export const FROZEN_PLAN_ARGS = ["code", "interval", "payInAdvance", "amountCurrency", "trialPeriod", "billChargesMonthly", "billFixedChargesMonthly"] as const;
/** Fields of an existing charge frozen on a plan that has had subscriptions (§3.6). */
export const FROZEN_CHARGE_FIELDS = ["chargeModel", "billableMetricCode", "payInAdvance", "prorated", "invoiceable", "minAmountCents"] as const;
/** Fields of an existing fixed charge Lago never changes: its update sets neither the add-on, pay_in_advance nor prorated (app/services/fixed_charges/update_service.rb). */
export const KEPT_FIXED_CHARGE_FIELDS = ["addOnCode", "payInAdvance", "prorated"] as const;
/** Fields of an existing fixed charge frozen on a plan that has had subscriptions (the same service, `unless plan.attached_to_subscriptions?`). */
export const FROZEN_FIXED_CHARGE_FIELDS = ["chargeModel"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Paths `<arg>[code]` (added or removed) or `<arg>[code].field` where two keyed comparable lists differ. */
function keyedDifferences(arg: string, want: Record<string, Record<string, unknown>>, have: Record<string, Record<string, unknown>>): string[] {
  const paths: string[] = [];
  for (const code of new Set([...Object.keys(want), ...Object.keys(have)])) {
    const w = want[code];
    const h = have[code];
    if (!w || !h) {
      paths.push(`${arg}[${code}]`);
      continue;
    }
    for (const key of new Set([...Object.keys(w), ...Object.keys(h)])) if (!same(w[key], h[key])) paths.push(`${arg}[${code}].${key}`);
  }
  return paths;
}

/**
 * Charge paths where `actual` differs from `desired`: `charges[mtu]` (added or removed) or
 * `charges[mtu].graduatedRanges`. Defaults, key order and decimal spelling do not count.
 */
export const chargeDifferences = (desired: readonly ChargeArgsLike[], actual: readonly ChargeArgsLike[]): string[] =>
  keyedDifferences("charges", comparableCharges(desired), comparableCharges(actual));

/** The same for fixed charges: `fixedCharges[seat]`, `fixedCharges[seat].units`. */
export const fixedChargeDifferences = (desired: readonly FixedChargeArgsLike[], actual: readonly FixedChargeArgsLike[]): string[] =>
  keyedDifferences("fixedCharges", comparableFixedCharges(desired), comparableFixedCharges(actual));

const CHARGE_PATH = /^charges\[(.+)\]\.(\w+)$/;
const FIXED_CHARGE_PATH = /^fixedCharges\[(.+)\]\.(\w+)$/;

/** Among fixed charge paths, the changes Lago ignores on an existing fixed charge, subscribed or not. */
export const keptByLago = (fixedChargePaths: readonly string[]): string[] =>
  fixedChargePaths.filter((p) => (KEPT_FIXED_CHARGE_FIELDS as readonly string[]).includes(FIXED_CHARGE_PATH.exec(p)?.[2] ?? ""));

/** Why Lago keeps its own value at a fixed charge path whatever the plan's history. */
export function keptReason(path: string): string {
  return `${path} never changes on an existing fixed charge (Lago keeps it); to change it, give the fixed charge a new code so Lago removes the old one and adds a new one`;
}

/**
 * Among changed plan arguments (and, for charges, the charge paths that change), those Lago would
 * ignore on a plan that has had subscriptions. Adding and removing charges stays possible.
 */
export function frozenOnceSubscribed(changedArgs: readonly string[], chargePaths: readonly string[]): string[] {
  const planArgs = changedArgs.filter((a) => (FROZEN_PLAN_ARGS as readonly string[]).includes(a));
  const chargeFields = chargePaths.filter((p) => (FROZEN_CHARGE_FIELDS as readonly string[]).includes(CHARGE_PATH.exec(p)?.[2] ?? ""));
  const fixedFields = chargePaths.filter((p) => (FROZEN_FIXED_CHARGE_FIELDS as readonly string[]).includes(FIXED_CHARGE_PATH.exec(p)?.[2] ?? ""));
  return [...planArgs, ...chargeFields, ...fixedFields];
}

/** Why Lago kept its own value at `path` on a plan that has had subscriptions. */
export function frozenReason(path: string): string {
  if (FIXED_CHARGE_PATH.test(path))
    return `${path} is frozen once the plan has had a subscription; to change it, add a fixed charge with a new code and remove this one`;
  const charge = CHARGE_PATH.exec(path);
  if (charge) {
    const premium = charge[2] === "invoiceable" || charge[2] === "minAmountCents" ? " (and needs a Lago premium licence)" : "";
    return `${path} is frozen once the plan has had a subscription${premium}; to change it, add a charge with a new code and remove this one`;
  }
  return `${path} is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions`;
}

/** Is the change at `path` (an argument or a charge path) one Lago ignores once subscribed? */
export const isFrozenPath = (path: string): boolean => {
  const listed = /^(charges|fixedCharges)\[/.test(path);
  return frozenOnceSubscribed(listed ? [] : [path], listed ? [path] : []).length > 0;
};

/** Why a premium-only argument or charge field may have been dropped (§1.10). */
export function premiumReason(path: string): string | undefined {
  if (path === "minimumCommitment") return "minimumCommitment needs a Lago premium licence; without one Lago ignores it";
  if (path === "usageThresholds") return "usageThresholds need a Lago premium licence and progressive billing; without them Lago ignores them";
  const field = CHARGE_PATH.exec(path)?.[2];
  if (field === "invoiceable" || field === "minAmountCents") return `${path} needs a Lago premium licence; without one Lago ignores it`;
  return undefined;
}
