// What differs between two plans in args terms, and why Lago may have ignored a difference
// after a write (lago-api.md §1.10, §3.6): the paths feed `diff`, the reasons the silent-ignore check.
import { canonicalPlan, type NormalPlan } from "./payload";

/** Plan fields Lago freezes once the plan has had any subscription (§3.6). */
export const FROZEN_PLAN_FIELDS = ["code", "interval", "payInAdvance", "amountCurrency", "trialPeriod", "billChargesMonthly"] as const;
/** Charge fields frozen on a plan that has had subscriptions (§3.6). */
export const FROZEN_CHARGE_FIELDS = ["chargeModel", "billableMetric", "billableMetricCode", "payInAdvance", "prorated", "invoiceable", "minAmountCents"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A desired charge named only by metric code (or only by id) is compared on that reference alone. */
function projectMetricReference(desired: NormalPlan, actual: NormalPlan): NormalPlan {
  const wanted = new Map(desired.charges.map((c) => [c.code, c]));
  return {
    ...actual,
    charges: actual.charges.map((charge) => {
      const want = wanted.get(charge.code);
      if (!want) return charge;
      const { billableMetric, billableMetricCode, ...rest } = charge;
      return {
        ...rest,
        ...(want.billableMetric !== undefined ? { billableMetric } : {}),
        ...(want.billableMetricCode !== undefined ? { billableMetricCode } : {}),
      };
    }),
  };
}

/**
 * Paths (args terms) where `actual` differs from `desired`: `interval`, `charges[mtu]` (added or
 * removed), `charges[mtu].graduatedRanges`… Defaults, key order and decimal spelling do not count.
 */
export function planDifferences(desired: NormalPlan, actual: NormalPlan): string[] {
  const want = canonicalPlan(desired);
  const have = canonicalPlan(projectMetricReference(desired, actual));
  const paths: string[] = [];
  for (const key of Object.keys(want)) if (key !== "charges" && !same(want[key], have[key])) paths.push(key);
  const wantCharges = want.charges as Record<string, Record<string, unknown>>;
  const haveCharges = have.charges as Record<string, Record<string, unknown>>;
  for (const code of new Set([...Object.keys(wantCharges), ...Object.keys(haveCharges)])) {
    const w = wantCharges[code];
    const h = haveCharges[code];
    if (!w || !h) {
      paths.push(`charges[${code}]`);
      continue;
    }
    for (const key of new Set([...Object.keys(w), ...Object.keys(h)])) if (!same(w[key], h[key])) paths.push(`charges[${code}].${key}`);
  }
  return paths;
}

const CHARGE_PATH = /^charges\[(.+)\]\.(\w+)$/;

/** The changes among `paths` that Lago would ignore on a plan that has had subscriptions. */
export function frozenOnceSubscribed(paths: readonly string[]): string[] {
  return paths.filter((path) => {
    const charge = CHARGE_PATH.exec(path);
    if (charge) return (FROZEN_CHARGE_FIELDS as readonly string[]).includes(charge[2]!);
    return (FROZEN_PLAN_FIELDS as readonly string[]).includes(path);
  });
}

/** Why Lago answered 200 but kept its own value at `path`. */
export function ignoredReason(path: string): string {
  const charge = CHARGE_PATH.exec(path);
  if (charge) {
    const field = charge[2]!;
    const premium = field === "invoiceable" || field === "minAmountCents" ? " (it also needs a Lago premium licence)" : "";
    if ((FROZEN_CHARGE_FIELDS as readonly string[]).includes(field))
      return `${path} is frozen once the plan has had a subscription${premium}; to change it, add a charge with a new code and remove this one`;
  } else if ((FROZEN_PLAN_FIELDS as readonly string[]).includes(path)) {
    return `${path} is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions`;
  } else if (path === "minimumCommitment") {
    return "minimumCommitment needs a Lago premium licence; without one Lago ignores it";
  } else if (path === "usageThresholds") {
    return "usageThresholds need a Lago premium licence and progressive billing; without them Lago ignores them";
  }
  return `${path}: Lago kept a different value than the one sent`;
}

/** The failure raised after a write that Lago silently ignored in part. */
export function silentIgnoreMessage(planCode: string, paths: readonly string[]): string {
  return `Lago accepted plan "${planCode}" but ignored ${paths.length === 1 ? "a field" : `${paths.length} fields`}: ${paths.map(ignoredReason).join("; ")}`;
}
