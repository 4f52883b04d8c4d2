// Subscription kind (lago-api.md §5). A plan change is a POST with the same external_id: an upgrade
// starts a new subscription (new lago_id) at once, a downgrade waits for the period end. The Pulumi
// id is therefore the external id. Delete terminates (an active one only with allowDestroy).
import { unlessNotFound } from "../../errors";
import { AmbiguousWriteError } from "../../retry";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { intendedPlan, normalize, outputs, PUT_ARGS, SUBSCRIPTION_ARGS, toArgs, toWire, type LagoSubscription } from "./payload";
import { subscriptionSchema, type SubscriptionArgs } from "./schema";

/** The running subscription with this external id, else the one waiting to start. */
async function findLive({ client }: KindCall, externalId: string): Promise<LagoSubscription | undefined> {
  for (const status of ["active", "pending"] as const) {
    const found = await unlessNotFound(client.subscriptions.findSubscription(externalId, { status }));
    if (found) return found.data.subscription as unknown as LagoSubscription;
  }
  return undefined;
}

/**
 * POST the plan change. When the answer is lost, sending it again is safe: Lago answers a POST for
 * the plan already in place (or already waiting) with the subscription unchanged (§5.3).
 */
async function changePlan(call: KindCall, body: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await call.client.subscriptions.createSubscription({ subscription: body as never });
      return;
    } catch (error) {
      if (!(error instanceof AmbiguousWriteError) || attempt >= PLAN_CHANGE_ATTEMPTS) throw error;
    }
  }
}

const PLAN_CHANGE_ATTEMPTS = 3;

const sameInstant = (a: unknown, b: unknown) => (a === null || a === undefined ? b === null || b === undefined : typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b));

export const subscriptionSpec: KindSpec<SubscriptionArgs, LagoSubscription> = {
  kind: "Subscription",
  keyArg: "externalId",
  keyField: "external_id",
  schema: subscriptionSchema,
  args: SUBSCRIPTION_ARGS,
  replaceOn: ["externalId", "externalCustomerId", "billingTime"],
  cleared: { name: "" },
  normalize,
  toArgs,
  outputs,
  idOf: (remote) => remote.external_id,
  api: {
    find: findLive,
    async create({ client }, payload) {
      const { data } = await client.subscriptions.createSubscription({ subscription: toWire(payload) as never });
      return data.subscription as unknown as LagoSubscription;
    },
    async update(call, current, payload) {
      const { client } = call;
      const wanted = payload.planCode as string | undefined;
      if (wanted !== undefined && wanted !== intendedPlan(current)) {
        if (wanted === current.plan_code && current.next_plan_code) {
          // Back to the current plan: the waiting downgrade is the pending subscription; cancel it.
          await unlessNotFound(client.subscriptions.destroySubscription(current.external_id, { status: "pending" })); // 404: a replayed DELETE went through
        } else {
          const body = { external_id: current.external_id, external_customer_id: current.external_customer_id, plan_code: wanted, ...toWire(payload, ["name"]) };
          await changePlan(call, body);
        }
      }
      const after = (await findLive(call, current.external_id)) ?? current;
      const edits = PUT_ARGS.filter((a) => a in payload && !(a === "subscriptionAt" && after.status !== "pending"));
      const held = toArgs(after);
      const changed = edits.filter((a) => (a === "name" ? (payload.name ?? "") !== held.name : !sameInstant(payload[a], held[a])));
      if (!changed.length) return after;
      const { data } = await client.subscriptions.updateSubscription(current.external_id, { subscription: toWire(payload, changed) as never }, after.status === "pending" ? { status: "pending" } : undefined);
      return data.subscription as unknown as LagoSubscription;
    },
    async remove({ client }, current) {
      await client.subscriptions.destroySubscription(current.external_id, current.status === "pending" ? { status: "pending" } : undefined);
    },
  },
  async loss(_call, remote) {
    if (remote.status !== "active") return undefined;
    return `subscription "${remote.external_id}" is active on plan "${remote.plan_code}" for customer "${remote.external_customer_id}"; terminating it ends its billing and issues its final invoice`;
  },
  async frozen(_call, remote, changed) {
    if (!changed.includes("subscriptionAt") || remote.status === "pending") return undefined;
    return { args: ["subscriptionAt"], reason: "Lago only moves the start of a subscription that has not started yet" };
  },
  async ignoredReason(_call, remote, args) {
    if (args.includes("planCode"))
      return `Lago kept plan "${remote.plan_code}"${remote.next_plan_code ? ` (next: "${remote.next_plan_code}")` : ""}; check that the plan exists and uses the customer's currency`;
    return "Lago kept its previous values";
  },
};

export const subscriptionKind = (runtime: KindRuntime): KindProvider => defineKind(subscriptionSpec, runtime);
