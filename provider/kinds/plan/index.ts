// Plan kind (lago-api.md §3): charges resolved to metric lago_ids at apply, kept charges updated in
// place by id, and Lago's freeze on subscribed plans refused at preview instead of ignored at apply.
import { containsUnknown } from "../../canonical";
import { LagoProviderError, unlessNotFound } from "../../errors";
import { defineKind, type Args, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { chargeDifferences, frozenOnceSubscribed, frozenReason, isFrozenPath, premiumReason } from "./compare";
import { argFor, normalize, outputs, PLAN_ARGS, toArgs, toWire, withCodes, type ChargeArgsLike, type LagoPlan } from "./payload";
import { planSchema, type PlanArgs } from "./schema";

const STATUSES = ["active", "pending", "terminated", "canceled"] as const;

/** External ids of every subscription the plan has or had, by status. */
export async function subscriptionHistory({ client }: KindCall, planCode: string): Promise<Record<string, string[]>> {
  const subs = await listAll(async (page) => {
    const { data } = await client.subscriptions.findAllSubscriptions({ plan_code: planCode, "status[]": [...STATUSES], page, per_page: 100 });
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
async function metricIds({ client }: KindCall, payload: Args): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const charges = Array.isArray(payload.charges) ? (payload.charges as ChargeArgsLike[]) : [];
  for (const [i, charge] of charges.entries()) {
    const code = charge.billableMetricCode;
    if (charge.billableMetric || !code || ids.has(code)) continue;
    const found = await unlessNotFound(client.billableMetrics.findBillableMetric(code));
    if (!found)
      throw new LagoProviderError(
        `Plan code "${String(payload.code)}": charges[${i}].billableMetricCode "${code}": Lago has no billable metric with this code; create it first (or pass billableMetric: <BillableMetric resource>)`,
      );
    ids.set(code, found.data.billable_metric.lago_id);
  }
  return ids;
}

/**
 * Charge paths (`charges[mtu].chargeModel`) where the asked charges differ from Lago's. A charge with
 * values unknown at preview cannot be judged yet and is left out.
 */
function chargePaths(asked: Args, remote: LagoPlan): string[] {
  if (!Array.isArray(asked.charges)) return [];
  const charges = withCodes(asked.charges as ChargeArgsLike[]).filter((c) => !containsUnknown(c));
  const judged = new Set(charges.map((c) => c.code));
  const held = (toArgs(remote).charges as Array<ChargeArgsLike & { code: string }>).filter((c) => judged.has(c.code));
  return chargeDifferences(charges, held);
}

export const planSpec: KindSpec<PlanArgs, LagoPlan> = {
  kind: "Plan",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a second live object with this code (422 value_already_exist): a create is one POST.
  createRefusesDuplicate: true,
  schema: planSchema,
  args: PLAN_ARGS,
  // Removing these arguments means "none": no taxes, no thresholds, no charges, no commitment.
  cleared: { payInAdvance: false, billChargesMonthly: false, taxCodes: [], usageThresholds: [], charges: [], minimumCommitment: null },
  normalize,
  toArgs,
  outputs,
  argFor,
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(client.plans.findPlan(code)))?.data.plan as unknown as LagoPlan | undefined;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const { data } = await client.plans.findAllPlans({ page, per_page: 100 });
        return { items: data.plans, meta: data.meta };
      });
      return all.find((p) => p.lago_id === lagoId) as unknown as LagoPlan | undefined;
    },
    async create(call, payload) {
      // Lago requires pay_in_advance on create (§3.2); unset means in arrears.
      const body = toWire({ payInAdvance: false, ...payload }, { metricIds: await metricIds(call, payload) });
      const { data } = await call.client.plans.createPlan({ plan: body as never });
      return data.plan as unknown as LagoPlan;
    },
    async update(call, current, payload) {
      const body = toWire(payload, { metricIds: await metricIds(call, payload), current });
      const { data } = await call.client.plans.updatePlan(current.code, { plan: body as never });
      return data.plan as unknown as LagoPlan;
    },
    async remove({ client }, current) {
      await client.plans.destroyPlan(current.code);
    },
  },
  async loss(call, remote) {
    const history = await subscriptionHistory(call, remote.code);
    if (!hasHistory(history)) return undefined;
    return `plan "${remote.code}" has had subscriptions (${describeHistory(history)}); deleting it terminates the active ones (with their final invoices) and cancels the pending ones`;
  },
  async frozen(call, remote, changed, news) {
    const paths = frozenOnceSubscribed(changed, changed.includes("charges") ? chargePaths(news, remote) : []);
    if (!paths.length) return undefined;
    const history = await subscriptionHistory(call, remote.code);
    if (!hasHistory(history)) return undefined;
    const args = [...new Set(paths.map((p) => (p.startsWith("charges[") ? "charges" : p)))];
    return { args, reason: paths.map(frozenReason).join("; ") };
  },
  async ignoredReason(call, remote, args, asked) {
    const paths = [...args.filter((a) => a !== "charges"), ...(args.includes("charges") ? chargePaths(asked, remote) : [])];
    const subscribed = paths.some(isFrozenPath) && hasHistory(await subscriptionHistory(call, remote.code));
    const reasons = paths.map((p) => (subscribed && isFrozenPath(p) ? frozenReason(p) : premiumReason(p))).filter((r): r is string => r !== undefined);
    return reasons.length ? [...new Set(reasons)].join("; ") : "Lago kept its previous values";
  },
};

export const planKind = (runtime: KindRuntime): KindProvider => defineKind(planSpec, runtime);
