// Plan kind (lago-api.md §3): charges resolved to metric lago_ids at apply, kept charges updated in
// place by id, and Lago's freeze on subscribed plans refused at preview instead of ignored at apply.
import { containsUnknown } from "../../canonical";
import { LagoProviderError, unlessNotFound } from "../../errors";
import { defineKind, type Args, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { chargeDifferences, fixedChargeDifferences, frozenOnceSubscribed, frozenReason, isFrozenPath, keptByLago, keptReason, premiumReason } from "./compare";
import { segment, send } from "../../contract";
import {
  argFor,
  normalize,
  outputs,
  toArgs,
  toWire,
  withCodes,
  withFixedCodes,
  type ChargeArgsLike,
  type FixedChargeArgsLike,
  type LagoPlan,
  type PlanBody,
  type PlanKindArgs,
  type PlanManaged,
} from "./payload";
import { planSchema } from "./schema";

const STATUSES = ["active", "pending", "terminated", "canceled"] as const;

/** External ids of every subscription the plan has or had, by status. */
export async function subscriptionHistory({ client }: KindCall, planCode: string): Promise<Record<string, string[]>> {
  const subs = await listAll(async (page) => {
    const data = await send(client, "findAllSubscriptions", { method: "GET", path: "/subscriptions", query: { plan_code: planCode, "status[]": [...STATUSES], page, per_page: 100 } });
    return { items: data.subscriptions, meta: data.meta };
  });
  const byStatus: Record<string, string[]> = {};
  for (const s of subs) (byStatus[s.status] ??= []).push(s.external_id);
  return byStatus;
}

const describeHistory = (history: Record<string, string[]>) =>
  STATUSES.filter((s) => history[s]?.length)
    .map((s) => `${s}: ${history[s]!.slice(0, 5).join(", ")}${history[s]!.length > 5 ? ` and ${history[s]!.length - 5} more` : ""}`)
    .join("; ");

const hasHistory = (history: Record<string, string[]>) => Object.values(history).some((ids) => ids.length > 0);

/** Metric lago_id for each metric code the charges name (a BillableMetric resource passes its id too). */
async function metricIds({ client }: KindCall, payload: PlanManaged): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const charges = payload.charges ?? [];
  for (const [i, charge] of charges.entries()) {
    const code = charge.billableMetricCode;
    if (charge.billableMetric || !code || ids.has(code)) continue;
    const found = await unlessNotFound(send(client, "findBillableMetric", { method: "GET", path: `/billable_metrics/${segment(code)}` }));
    if (!found)
      throw new LagoProviderError(
        `Plan code "${String(payload.code)}": charges[${i}].billableMetricCode "${code}": Lago has no billable metric with this code; create it first (or pass billableMetric: <BillableMetric resource>)`,
      );
    ids.set(code, found.billable_metric.lago_id);
  }
  return ids;
}

/** Add-on lago_id for each add-on code the fixed charges name (an AddOn resource passes its id too). */
async function addOnIds({ client }: KindCall, payload: PlanManaged): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [i, charge] of (payload.fixedCharges ?? []).entries()) {
    const code = charge.addOnCode;
    if (charge.addOn || !code || ids.has(code)) continue;
    const found = await unlessNotFound(send(client, "findAddOn", { method: "GET", path: `/add_ons/${segment(code)}` }));
    if (!found)
      throw new LagoProviderError(
        `Plan code "${String(payload.code)}": fixedCharges[${i}].addOnCode "${code}": Lago has no add-on with this code; create it first (or pass addOn: <AddOn resource>)`,
      );
    ids.set(code, found.add_on.lago_id);
  }
  return ids;
}

/**
 * Charge paths (`charges[mtu].chargeModel`) where the asked charges differ from Lago's. A charge with
 * values unknown at preview cannot be judged yet and is left out.
 */
function chargePaths(asked: PlanManaged, remote: LagoPlan): string[] {
  if (!Array.isArray(asked.charges)) return [];
  const charges = withCodes<ChargeArgsLike>(asked.charges).filter((c) => !containsUnknown(c));
  const judged = new Set(charges.map((c) => c.code));
  const held = withCodes(toArgs(remote).charges ?? []).filter((c) => judged.has(c.code));
  return chargeDifferences(charges, held);
}

/** The same for fixed charges: `fixedCharges[seat].units`. Only fixed charges Lago already holds can be kept or frozen. */
function fixedChargePaths(asked: PlanManaged, remote: LagoPlan): string[] {
  if (!Array.isArray(asked.fixedCharges)) return [];
  const charges = withFixedCodes<FixedChargeArgsLike>(asked.fixedCharges).filter((c) => !containsUnknown(c));
  const judged = new Set(charges.map((c) => c.code));
  const held = withFixedCodes(toArgs(remote).fixedCharges ?? []).filter((c) => judged.has(c.code));
  return fixedChargeDifferences(charges, held);
}

/** The argument a path belongs to: `fixedCharges[seat].prorated` → fixedCharges. */
const argOfPath = (path: string) => /^(\w+)\[/.exec(path)?.[1] ?? path;

export const planSpec: KindSpec<PlanKindArgs, LagoPlan, PlanBody> = {
  kind: "Plan",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a second live object with this code (422 value_already_exist): a create is one POST.
  createRefusesDuplicate: true,
  schema: planSchema,
  // Removing these arguments means "none": no taxes, no thresholds, no charges, no commitment, no metadata.
  cleared: {
    payInAdvance: false,
    billChargesMonthly: false,
    billFixedChargesMonthly: false,
    taxCodes: [],
    usageThresholds: [],
    charges: [],
    fixedCharges: [],
    minimumCommitment: null,
    metadata: {},
  },
  normalize,
  toArgs,
  outputs,
  argFor,
  async toWire(payload, { call, current }) {
    // Lago requires pay_in_advance on create (§3.2); unset means in arrears.
    const body = current ? payload : { payInAdvance: false, ...payload };
    return toWire(body, { metricIds: await metricIds(call, payload), addOnIds: await addOnIds(call, payload), current });
  },
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(send(client, "findPlan", { method: "GET", path: `/plans/${segment(code)}` })))?.plan;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const data = await send(client, "findAllPlans", { method: "GET", path: "/plans", query: { page, per_page: 100 } });
        return { items: data.plans, meta: data.meta };
      });
      const listed = all.find((p) => p.lago_id === lagoId);
      // List items carry no fixed charges (plans_controller.rb index): the plan itself is read for them.
      if (!listed) return undefined;
      return (await unlessNotFound(send(client, "findPlan", { method: "GET", path: `/plans/${segment(listed.code)}` })))?.plan ?? listed;
    },
    async create({ client }, body) {
      return (await send(client, "createPlan", { method: "POST", path: "/plans", body: { plan: body } })).plan;
    },
    async update({ client }, current, body) {
      return (await send(client, "updatePlan", { method: "PUT", path: `/plans/${segment(current.code)}`, body: { plan: body } })).plan;
    },
    async remove({ client }, current) {
      await send(client, "destroyPlan", { method: "DELETE", path: `/plans/${segment(current.code)}` });
    },
  },
  async loss(call, remote) {
    const history = await subscriptionHistory(call, remote.code);
    if (!hasHistory(history)) return undefined;
    return `plan "${remote.code}" has had subscriptions (${describeHistory(history)}); deleting it terminates the active ones (with their final invoices) and cancels the pending ones`;
  },
  async frozen(call, remote, changed, news) {
    const fixed = changed.includes("fixedCharges") ? fixedChargePaths(news, remote) : [];
    // Lago never changes these on an existing fixed charge, whatever the plan's history.
    const kept = keptByLago(fixed);
    let frozen = frozenOnceSubscribed(changed, [...(changed.includes("charges") ? chargePaths(news, remote) : []), ...fixed]);
    if (frozen.length && !hasHistory(await subscriptionHistory(call, remote.code))) frozen = [];
    if (!kept.length && !frozen.length) return undefined;
    const args = [...new Set([...kept, ...frozen].map(argOfPath))];
    return { args, reason: [...kept.map(keptReason), ...frozen.map(frozenReason)].join("; ") };
  },
  async ignoredReason(call, remote, args, asked) {
    const listed = ["charges", "fixedCharges"];
    const fixed = args.includes("fixedCharges") ? fixedChargePaths(asked, remote) : [];
    const kept = keptByLago(fixed);
    const paths = [...args.filter((a) => !listed.includes(a)), ...(args.includes("charges") ? chargePaths(asked, remote) : []), ...fixed.filter((p) => !kept.includes(p))];
    const subscribed = paths.some(isFrozenPath) && hasHistory(await subscriptionHistory(call, remote.code));
    const reasons = [
      ...kept.map(keptReason),
      ...paths.map((p) => (subscribed && isFrozenPath(p) ? frozenReason(p) : premiumReason(p))).filter((r): r is string => r !== undefined),
    ];
    return reasons.length ? [...new Set(reasons)].join("; ") : "Lago kept its previous values";
  },
};

export const planKind = (runtime: KindRuntime): KindProvider => defineKind(planSpec, runtime);
