// Plan lookups and tax merging shared by the plan, charge and subscription rooms (kept apart from
// plans.ts so the charge modules can use them without an import cycle; plans.ts re-exports them).
import type { LagoContext } from "../context";
import { notFound } from "../errors";
import { tables, type PlanRow } from "../model";
import { resolveTaxCodes } from "./taxes";

/** The live parent plan with this code (override children are never addressable), else 404 plan_not_found. */
export function findPlan(lago: LagoContext, code: string): PlanRow {
  const plan = tables(lago.store).plans.find((p) => p.code === code && p.deleted_at === null && p.parent_id === null);
  if (!plan) throw notFound("plan");
  return plan;
}

/** Any subscription in any status, terminated ones included, freezes a plan's identity (§3.6). */
export function planHasHadSubscription(lago: LagoContext, planId: string): boolean {
  return tables(lago.store).subscriptions.find((s) => s.plan_id === planId) !== undefined;
}

/**
 * `tax_codes` on an update: taxes kept stay in place and new ones follow in request order, since
 * Lago keeps existing applied-tax rows and only adds the missing ones. Unknown code → 404.
 */
export function replaceTaxIds(lago: LagoContext, current: readonly string[], codes: unknown): string[] {
  const ids = resolveTaxCodes(lago, codes);
  return [...current.filter((id) => ids.includes(id)), ...ids.filter((id) => !current.includes(id))];
}
