// A subscription whose plan overrides change: its own plan before (the plan Lago bills it now) and after (the plan
// with the program's overrides, as the Subscription kind will write them: each field overridden, else the plan's).
import { toArgs as planArgs, type ChargeArgsLike, type LagoPlan } from "../kinds/plan/payload";
import { chargeFor, type PlanChargeRef } from "../kinds/subscription/overrides";
import type { OverridesArgsLike } from "../kinds/subscription/payload";
import { modelProperties } from "../kinds/plan/schema";
import { planSide, type PlanSide } from "./plan-side";

const PLAN_FIELDS = ["amountCents", "amountCurrency", "name", "invoiceDisplayName", "description", "trialPeriod", "taxCodes", "minimumCommitment", "usageThresholds"] as const;

/** `plan` with `overrides` applied, in the Plan kind's arguments. Charges the overrides do not name keep the plan's. */
export function overriddenPlanArgs(plan: LagoPlan, overrides: OverridesArgsLike): Record<string, unknown> {
  const args: Record<string, unknown> = { ...planArgs(plan) };
  const record = overrides as Record<string, unknown>;
  for (const field of PLAN_FIELDS) if (record[field] !== undefined && record[field] !== null) args[field] = record[field];
  const charges = (args.charges ?? []) as Array<ChargeArgsLike & PlanChargeRef>;
  const byCode = new Map<string, Record<string, unknown>>();
  for (const override of overrides.charges ?? []) {
    const found = chargeFor(override, charges, plan.code);
    if ("charge" in found) byCode.set(found.charge.code, override);
  }
  args.charges = charges.map((charge) => {
    const override = byCode.get(charge.code);
    if (!override) return charge;
    const keys = [...Object.keys(modelProperties[charge.chargeModel] ?? {}), "filters", "invoiceDisplayName", "minAmountCents", "taxCodes"];
    return { ...charge, ...Object.fromEntries(keys.filter((k) => override[k] !== undefined).map((k) => [k, override[k]])) };
  });
  return args;
}

/** Before: the plan billed now. After: the plan the subscription is overridden from, with the program's overrides. */
export function overrideSides(billed: LagoPlan, plan: LagoPlan, overrides: OverridesArgsLike): { before: PlanSide; after: PlanSide } | null {
  const before = planSide({ inputs: planArgs(billed) as Record<string, unknown>, outputs: {} }, "new");
  const after = planSide({ inputs: overriddenPlanArgs(plan, overrides), outputs: {} }, "new");
  return before && after ? { before, after } : null;
}
