// Plan lookups shared by the plan, charge and subscription rooms (kept apart from plans.ts so the
// charge room can use them without an import cycle; plans.ts re-exports them).
import type { LagoContext } from "../context";
import { notFound } from "../errors";
import { tables, type PlanRow } from "../model";

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
