// AppliedCoupon kind (lago-api.md §7): a coupon applied to a customer. Lago has no update for it: a change of
// customer, coupon or override is a replace, i.e. terminating the application (DELETE
// /customers/{id}/applied_coupons/{id}, applied_coupons/terminate_service.rb) and applying again, which is guarded
// while the application is active. Lago terminates an application itself once it is used up (a once coupon after
// its invoice): the resource then stays in the state as terminated, never applied again by a later up.
import { segment, send } from "../../contract";
import { LagoProviderError, unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { normalize, outputs, toArgs, toWire, type AppliedCouponBody, type LagoAppliedCoupon } from "./payload";
import { appliedCouponSchema, type AppliedCouponInputs } from "./schema";

async function applications({ client }: KindCall, query: { external_customer_id?: string; "coupon_code[]"?: string[]; status?: "active" | "terminated" }) {
  return listAll(async (page) => {
    const data = await send(client, "findAllAppliedCoupons", { method: "GET", path: "/applied_coupons", query: { ...query, page, per_page: 100 } });
    return { items: data.applied_coupons, meta: data.meta };
  });
}

const OVERRIDES = ["frequency", "frequencyDuration", "amountCents", "amountCurrency", "percentageRate"] as const;

export const appliedCouponSpec: KindSpec<AppliedCouponInputs, LagoAppliedCoupon, AppliedCouponBody> = {
  kind: "AppliedCoupon",
  keyArg: "externalCustomerId",
  keyField: "external_customer_id",
  identify: (args) => `coupon "${String(args.couponCode)}" on customer "${String(args.externalCustomerId)}"`,
  schema: appliedCouponSchema,
  // Another customer or coupon is another application; an override change applies it again (see `frozen`).
  replaceOn: ["externalCustomerId", "couponCode"],
  normalize,
  toArgs,
  outputs,
  toWire: (payload) => toWire(payload),
  argFor: (field) => (field === "coupon_not_found" || field === "coupon" ? "couponCode" : field === "customer_not_found" ? "externalCustomerId" : undefined),
  api: {
    /** The customer's active application of this coupon (the newest, when a reusable one is applied twice). */
    async find(call, externalCustomerId, args) {
      const found = await applications(call, { external_customer_id: externalCustomerId, "coupon_code[]": [String(args.couponCode)], status: "active" });
      return found.find((a) => a.coupon_code === args.couponCode);
    },
    /** Ours by id, in any status: a terminated application stays what the state describes. */
    async findById(call, lagoId) {
      return (await applications(call, {})).find((a) => a.lago_id === lagoId);
    },
    async create({ client }, body) {
      return (await send(client, "applyCoupon", { method: "POST", path: "/applied_coupons", body: { applied_coupon: body } })).applied_coupon;
    },
    async update(_call, current) {
      // Never reached: every managed argument replaces.
      throw new LagoProviderError(`AppliedCoupon ${current.lago_id}: Lago has no update for an applied coupon; it is applied again instead`);
    },
    async remove({ client }, current) {
      await send(client, "deleteAppliedCoupon", { method: "DELETE", path: `/customers/${segment(current.external_customer_id)}/applied_coupons/${segment(current.lago_id)}` });
    },
  },
  /** Lago has no update: a changed override means terminating and applying again, which a coupon that is not reusable refuses. */
  async frozen(call, remote, changed) {
    const overrides = changed.filter((a) => (OVERRIDES as readonly string[]).includes(a));
    if (!overrides.length) return undefined;
    const coupon = (await unlessNotFound(send(call.client, "findCoupon", { method: "GET", path: `/coupons/${segment(remote.coupon_code)}` })))?.coupon;
    if (coupon && !coupon.reusable)
      throw new LagoProviderError(
        `AppliedCoupon coupon "${remote.coupon_code}" on customer "${remote.external_customer_id}": ${overrides.join(", ")} cannot change: Lago has no update for an applied coupon, and coupon "${remote.coupon_code}" is not reusable, so Lago refuses to apply it to this customer again (coupon_is_not_reusable)`,
      );
    return { args: overrides, reason: "Lago has no update for an applied coupon: it is terminated and applied again" };
  },
  async loss(_call, remote) {
    if (remote.status !== "active") return undefined;
    const left =
      remote.frequency === "forever" ? "for every period" : remote.frequency === "recurring" ? `for ${remote.frequency_duration_remaining ?? "its remaining"} more period(s)` : "on its next invoice";
    return `customer "${remote.external_customer_id}" still has coupon "${remote.coupon_code}" active (${left}${remote.amount_cents_remaining ? `, ${remote.amount_cents_remaining} cents left` : ""}); removing it ends that discount`;
  },
};

export const appliedCouponKind = (runtime: KindRuntime): KindProvider => defineKind(appliedCouponSpec, runtime);
