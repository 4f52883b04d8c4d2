// BillableMetric kind: the exemplar of how a kind plugs into the shared machinery (see provider/README.md).
import { segment, send } from "../../contract";
import { unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { billableMetricSchema, type BillableMetricInputs } from "./schema";
import { FROZEN_WHEN_CHARGED, normalize, outputs, toArgs, toWire, type BillableMetricBody, type LagoBillableMetric } from "./payload";

/** Codes of the live plans with a charge on this metric (what a delete would strip, §2.5). */
export async function plansCharging({ client }: KindCall, metricId: string): Promise<string[]> {
  const plans = await listAll(async (page) => {
    const { data } = await client.plans.findAllPlans({ page, per_page: 100 });
    return { items: data.plans, meta: data.meta };
  });
  return plans
    .filter((p) => !(p as { pending_deletion?: boolean }).pending_deletion && (p.charges ?? []).some((c) => c.lago_billable_metric_id === metricId))
    .map((p) => p.code);
}

const chargedBy = (codes: string[]) => `plan${codes.length > 1 ? "s" : ""} ${codes.join(", ")} charge${codes.length > 1 ? "" : "s"} this metric`;

export const billableMetricSpec: KindSpec<BillableMetricInputs, LagoBillableMetric, BillableMetricBody> = {
  kind: "BillableMetric",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a second live object with this code (422 value_already_exist): a create is one POST.
  createRefusesDuplicate: true,
  schema: billableMetricSchema,
  cleared: { recurring: false, filters: [] },
  normalize,
  toArgs,
  outputs,
  toWire,
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(send(client, "findBillableMetric", { method: "GET", path: `/billable_metrics/${segment(code)}` })))?.billable_metric;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const data = await send(client, "findAllBillableMetrics", { method: "GET", path: "/billable_metrics", query: { page, per_page: 100 } });
        return { items: data.billable_metrics, meta: data.meta };
      });
      return all.find((m) => m.lago_id === lagoId);
    },
    async create({ client }, body) {
      return (await send(client, "createBillableMetric", { method: "POST", path: "/billable_metrics", body: { billable_metric: body } })).billable_metric;
    },
    async update({ client }, current, body) {
      return (await send(client, "updateBillableMetric", { method: "PUT", path: `/billable_metrics/${segment(current.code)}`, body: { billable_metric: body } })).billable_metric;
    },
    async remove({ client }, current) {
      await send(client, "destroyBillableMetric", { method: "DELETE", path: `/billable_metrics/${segment(current.code)}` });
    },
  },
  async loss(call, remote) {
    const plans = await plansCharging(call, remote.lago_id);
    return plans.length ? `${chargedBy(plans)}; deleting it removes those charges from the plans and Lago discards its events` : undefined;
  },
  async frozen(call, remote, changed) {
    const args = changed.filter((a) => (FROZEN_WHEN_CHARGED as readonly string[]).includes(a));
    if (!args.length) return undefined;
    const plans = await plansCharging(call, remote.lago_id);
    return plans.length ? { args, reason: `${chargedBy(plans)}, and Lago ignores changes to them while a plan uses the metric` } : undefined;
  },
  async ignoredReason(call, remote, args) {
    const plans = await plansCharging(call, remote.lago_id);
    const frozen = args.filter((a) => (FROZEN_WHEN_CHARGED as readonly string[]).includes(a));
    if (plans.length && frozen.length)
      return `${chargedBy(plans)}, and Lago ignores changes to ${frozen.join(", ")} while a plan uses the metric (replace it with allowDestroy: true, or create a new metric)`;
    return "Lago kept its previous values";
  },
};

export const billableMetricKind = (runtime: KindRuntime): KindProvider => defineKind(billableMetricSpec, runtime);
