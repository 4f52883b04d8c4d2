// Plans (lago-api.md §3, premium gating §1.10; Lago's api/v1/plans_controller.rb). The rules live in
// ../domain/plans.ts; charges in charges.ts, fixed charges in fixed-charges.ts.
import type { Room } from "../api";
import { createPlan, destroyPlan, preparePlanDeletion, updatePlan } from "../domain/plans";
import { tables, type PlanRow } from "../model";
import { listPage } from "../pagination";
import { serializePlan } from "../serializers/plan";
import { findPlan } from "./plan-lookup";

/** Newest first; rows keep insertion order, which breaks ties within Lago's one-second timestamps. */
const newestFirst = (rows: PlanRow[]): PlanRow[] =>
  [...rows].reverse().sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));

export const plans: Room = (api, lago) => {
  api.post("/plans", (req) => ({ plan: serializePlan(lago, createPlan(lago, req.body("plan"))) }));

  // Only page and per_page: the controller passes no filter but include_pending_deletion (§3.1); override plans are never listed.
  api.get("/plans", (req) => {
    const rows = newestFirst(tables(lago.store).plans.filter((p) => p.deleted_at === null && p.parent_id === null));
    return listPage("plans", rows, req.queries, (p) => serializePlan(lago, p, { list: true }));
  });

  api.get("/plans/:code{.+}", (req) => ({ plan: serializePlan(lago, findPlan(lago, req.params.code!)) }));

  api.put("/plans/:code{.+}", (req) => {
    const input = req.body("plan"); // Lago reads the body before looking the plan up: 400 wins over 404
    return { plan: serializePlan(lago, updatePlan(lago, findPlan(lago, req.params.code!), input)) };
  });

  // Lago answers with the plan marked pending deletion, then its job deletes it.
  api.delete("/plans/:code{.+}", (req) => {
    const pending = preparePlanDeletion(lago, findPlan(lago, req.params.code!));
    const answer = serializePlan(lago, pending);
    destroyPlan(lago, pending);
    return { plan: answer };
  });
};
