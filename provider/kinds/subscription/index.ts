// Subscription kind (lago-api.md §5). A plan change is a POST with the same external_id: an upgrade
// starts a new subscription (new lago_id) at once, a downgrade waits for the period end. The Pulumi
// id is therefore the external id. Delete terminates (an active one only with allowDestroy).
import { segment, send, type BodyOf } from "../../contract";
import { LagoProviderError, unlessNotFound } from "../../errors";
import { AmbiguousWriteError } from "../../retry";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import type { LagoPlan } from "../plan/payload";
import { containsUnknown, sameCanonical } from "../../canonical";
import { comparableOverrides, keptOnceOverridden, overrideDifferences, overrideIgnoredReason, overridesBody, overridesFromPlan } from "./overrides";
import { intendedPlan, normalize, outputs, project, toArgs, toWire, type LagoSubscription, type OverridesArgsLike, type SubscriptionBody, type SubscriptionKindArgs, type SubscriptionManaged } from "./payload";
import { subscriptionSchema } from "./schema";

/** The running subscription with this external id, else the one waiting to start. */
async function findLive(call: KindCall, externalId: string): Promise<LagoSubscription | undefined> {
  for (const status of ["active", "pending"] as const) {
    const found = await unlessNotFound(send(call.client, "findSubscription", { method: "GET", path: `/subscriptions/${segment(externalId)}`, query: { status } }));
    if (found) return withFixedCharges(call, found.subscription);
  }
  return undefined;
}

const FIXED_CHARGES_PAGE = 100;

/**
 * The subscription with its plan's fixed charges as Lago bills them to it: its answer's plan leaves them out
 * (app/serializers/v1/subscription_serializer.rb), GET /subscriptions/{external_id}/fixed_charges lists them
 * (app/controllers/api/v1/subscriptions/fixed_charges_controller.rb), units as this subscription overrides them.
 */
export async function withFixedCharges(call: KindCall, subscription: LagoSubscription): Promise<LagoSubscription> {
  // Only an overridden subscription bills fixed charges of its own (a child plan's); one on its plan needs no extra
  // call: what it bills is the plan's (a units-only override made outside a stack is the exception, left unread).
  if (!subscription.plan?.parent_id) return subscription;
  const fixed: NonNullable<LagoPlan["fixed_charges"]> = [];
  for (let page = 1; ; page++) {
    const answer = await send(call.client, "findAllSubscriptionFixedCharges", {
      method: "GET",
      path: `/subscriptions/${segment(subscription.external_id)}/fixed_charges`,
      query: { page, per_page: FIXED_CHARGES_PAGE, subscription_status: subscription.status as "active" },
    });
    fixed.push(...(answer.fixed_charges as unknown as NonNullable<LagoPlan["fixed_charges"]>));
    if (!answer.meta.next_page) break;
  }
  return { ...subscription, plan: { ...subscription.plan, fixed_charges: fixed } };
}

type CreateBody = BodyOf<"createSubscription">["subscription"];

/** A create or plan-change body: its keys and plan are required (the schema made sure they are set). */
function createBody(body: SubscriptionBody): CreateBody {
  const { external_id, external_customer_id, plan_code } = body;
  if (!external_id || !external_customer_id || !plan_code)
    throw new LagoProviderError(`Subscription: externalId, externalCustomerId and planCode are required to create one (got ${JSON.stringify({ external_id, external_customer_id, plan_code })})`);
  return { ...body, external_id, external_customer_id, plan_code };
}

/**
 * POST the plan change. When the answer is lost, sending it again is safe: Lago answers a POST for
 * the plan already in place (or already waiting) with the subscription unchanged (§5.3).
 */
async function changePlan(call: KindCall, body: CreateBody): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send(call.client, "createSubscription", { method: "POST", path: "/subscriptions", body: { subscription: body } });
      return;
    } catch (error) {
      if (!(error instanceof AmbiguousWriteError) || attempt >= PLAN_CHANGE_ATTEMPTS) throw error;
    }
  }
}

const PLAN_CHANGE_ATTEMPTS = 3;

/**
 * The plan_overrides body, or none when nothing is to write: the plan billed already is the plan with these overrides
 * (a field no longer overridden counts: it goes back to the plan's value), or no override is asked of a subscription
 * never overridden. A plan change takes the overrides with it (made against the new plan's charge ids).
 */
async function planOverridesFor(call: KindCall, payload: SubscriptionManaged, current: LagoSubscription | undefined) {
  if (!("planOverrides" in payload)) return undefined;
  const overrides: OverridesArgsLike = payload.planOverrides ?? {};
  const planCode = payload.planCode ?? current?.plan_code;
  if (!planCode) return undefined;
  const billed = current && planCode === current.plan_code ? current.plan : undefined;
  if (!Object.keys(comparableOverrides(overrides)).length && !billed?.parent_id) return undefined;
  const plan = (await send(call.client, "findPlan", { method: "GET", path: `/plans/${segment(planCode)}` })).plan;
  const identify = `Subscription external_id "${String(payload.externalId ?? current?.external_id)}"`;
  const body = overridesBody(overrides, plan, billed, identify);
  if (billed && sameCanonical(body, asBilled(plan, billed, identify))) return undefined;
  return body;
}

/** The body that would leave the billed plan as it is (undefined when it cannot be said in overrides of `plan`). */
function asBilled(plan: LagoPlan, billed: LagoPlan, identify: string) {
  try {
    return overridesBody(overridesFromPlan(billed), plan, billed, identify);
  } catch {
    return undefined;
  }
}

const sameInstant = (a: unknown, b: unknown) => (a === null || a === undefined ? b === null || b === undefined : typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b));

export const subscriptionSpec: KindSpec<SubscriptionKindArgs, LagoSubscription, SubscriptionBody> = {
  kind: "Subscription",
  keyArg: "externalId",
  keyField: "external_id",
  schema: subscriptionSchema,
  replaceOn: ["externalId", "externalCustomerId", "billingTime"],
  cleared: { name: "" },
  normalize,
  toArgs,
  project,
  outputs,
  idOf: (remote) => remote.external_id,
  toWire: async (payload, { call, current }) => toWire(payload, undefined, await planOverridesFor(call, payload, current)),
  api: {
    find: findLive,
    async create(call, body) {
      return withFixedCharges(call, (await send(call.client, "createSubscription", { method: "POST", path: "/subscriptions", body: { subscription: createBody(body) } })).subscription);
    },
    async update(call, current, body) {
      const { client } = call;
      const wanted = body.plan_code;
      if (wanted !== undefined && wanted !== intendedPlan(current)) {
        if (wanted === current.plan_code && current.next_plan_code) {
          // Back to the current plan: the waiting downgrade is the pending subscription; cancel it.
          await unlessNotFound(send(client, "destroySubscription", { method: "DELETE", path: `/subscriptions/${segment(current.external_id)}`, query: { status: "pending" } })); // 404: a replayed DELETE went through
        } else {
          const change = {
            external_id: current.external_id,
            external_customer_id: current.external_customer_id,
            plan_code: wanted,
            ...("name" in body ? { name: body.name } : {}),
            // Lago overrides the new plan (plan_upgrade_service.rb, plan_downgrade_service.rb); sent once, here.
            ...(body.plan_overrides ? { plan_overrides: body.plan_overrides } : {}),
          };
          await changePlan(call, change);
        }
      }
      const after = (await findLive(call, current.external_id)) ?? current;
      // What PUT takes (§5.4): the name, the end, and the start of a subscription that has not started.
      const edits: BodyOf<"updateSubscription">["subscription"] = {};
      if ("name" in body && (body.name ?? "") !== (after.name ?? "")) edits.name = body.name ?? "";
      if ("ending_at" in body && !sameInstant(body.ending_at, after.ending_at)) edits.ending_at = body.ending_at ?? null;
      if (body.subscription_at !== undefined && after.status === "pending" && !sameInstant(body.subscription_at, after.subscription_at)) edits.subscription_at = body.subscription_at;
      const planChanged = wanted !== undefined && wanted !== current.plan_code;
      if (body.plan_overrides && !planChanged) edits.plan_overrides = body.plan_overrides;
      if (!Object.keys(edits).length) return after;
      const status = after.status === "pending" ? { status: "pending" as const } : undefined;
      return withFixedCharges(call, (await send(client, "updateSubscription", { method: "PUT", path: `/subscriptions/${segment(current.external_id)}`, query: status, body: { subscription: edits } })).subscription);
    },
    async remove({ client }, current) {
      const query = current.status === "pending" ? { status: "pending" as const } : undefined;
      await send(client, "destroySubscription", { method: "DELETE", path: `/subscriptions/${segment(current.external_id)}`, query });
    },
  },
  async loss(_call, remote) {
    if (remote.status !== "active") return undefined;
    return `subscription "${remote.external_id}" is active on plan "${remote.plan_code}" for customer "${remote.external_customer_id}"; terminating it ends its billing and issues its final invoice`;
  },
  async frozen(_call, remote, changed, news) {
    const args: string[] = [];
    const reasons: string[] = [];
    if (changed.includes("subscriptionAt") && remote.status !== "pending") {
      args.push("subscriptionAt");
      reasons.push("Lago only moves the start of a subscription that has not started yet");
    }
    // Once overridden, the subscription's plan is attached to it: Lago keeps its currency, trial and charge minimums.
    const overrides = news.planOverrides;
    if (changed.includes("planOverrides") && !changed.includes("planCode") && remote.plan?.parent_id && overrides && !containsUnknown(overrides)) {
      const kept = overrideDifferences(overrides, overridesFromPlan(remote.plan)).filter(keptOnceOverridden);
      if (kept.length) {
        args.push("planOverrides");
        reasons.push(`Lago keeps ${kept.map((p) => `planOverrides.${p}`).join(", ")} once the subscription's plan is overridden`);
      }
    }
    return args.length ? { args, reason: reasons.join("; ") } : undefined;
  },
  async ignoredReason(_call, remote, args, asked) {
    if (args.includes("planCode"))
      return `Lago kept plan "${remote.plan_code}"${remote.next_plan_code ? ` (next: "${remote.next_plan_code}")` : ""}; check that the plan exists and uses the customer's currency`;
    const reasons: string[] = [];
    if (args.includes("planOverrides") && asked.planOverrides && remote.plan) {
      const paths = overrideDifferences(asked.planOverrides, overridesFromPlan(remote.plan));
      reasons.push(...new Set(paths.map((p) => `planOverrides.${p}: ${overrideIgnoredReason(p, !!remote.plan?.parent_id)}`)));
    }
    if (args.some((a) => a !== "planOverrides")) reasons.push("Lago kept its previous values");
    return reasons.join("; ");
  },
};

export const subscriptionKind = (runtime: KindRuntime): KindProvider => defineKind(subscriptionSpec, runtime);
