// Coupon kind (lago-api.md §7). Once a coupon has been applied to any customer, Lago keeps its economics and limits
// and answers 200 (coupons/update_service.rb): such a change is found at preview and becomes a replace, which
// deleting the coupon makes costly, since Lago terminates the applications still active (coupons/destroy_service.rb).
import { segment, send } from "../../contract";
import { unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { FROZEN_ONCE_APPLIED, normalize, outputs, toArgs, toWire, type CouponBody, type LagoCoupon } from "./payload";
import { couponSchema, type CouponInputs } from "./schema";

/** The coupon's applications, any status (Lago's freeze counts terminated ones too). */
export async function applicationsOf({ client }: KindCall, code: string) {
  return listAll(async (page) => {
    const data = await send(client, "findAllAppliedCoupons", { method: "GET", path: "/applied_coupons", query: { "coupon_code[]": [code], page, per_page: 100 } });
    return { items: data.applied_coupons.filter((a) => a.coupon_code === code), meta: data.meta };
  });
}

const frozenIn = (args: readonly string[]) => args.filter((a) => (FROZEN_ONCE_APPLIED as readonly string[]).includes(a));

const appliedTo = (customers: string[]) => `it has been applied to ${customers.slice(0, 5).join(", ")}${customers.length > 5 ? ` and ${customers.length - 5} more` : ""}`;

export const couponSpec: KindSpec<CouponInputs, LagoCoupon, CouponBody> = {
  kind: "Coupon",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a second live coupon with this code (app/models/coupon.rb uniqueness): a create is one POST.
  createRefusesDuplicate: true,
  schema: couponSchema,
  cleared: { description: null, amountCents: null, amountCurrency: null, percentageRate: null, frequencyDuration: null, reusable: true, expiration: "no_expiration", expirationAt: null, planCodes: [], billableMetricCodes: [] },
  normalize,
  toArgs,
  outputs,
  // Lago requires an expiration on create (app/models/coupon.rb enum, validated; the create sends none by default).
  toWire: (payload, { current }) => toWire(current ? payload : { expiration: "no_expiration", ...payload }, current),
  argFor: (field) => (field === "plans_not_found" ? "planCodes" : field === "billable_metrics_not_found" ? "billableMetricCodes" : undefined),
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(send(client, "findCoupon", { method: "GET", path: `/coupons/${segment(code)}` })))?.coupon;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const data = await send(client, "findAllCoupons", { method: "GET", path: "/coupons", query: { page, per_page: 100 } });
        return { items: data.coupons, meta: data.meta };
      });
      return all.find((c) => c.lago_id === lagoId);
    },
    async create({ client }, body) {
      return (await send(client, "createCoupon", { method: "POST", path: "/coupons", body: { coupon: body } })).coupon;
    },
    async update({ client }, current, body) {
      return (await send(client, "updateCoupon", { method: "PUT", path: `/coupons/${segment(current.code)}`, body: { coupon: body } })).coupon;
    },
    async remove({ client }, current) {
      await send(client, "destroyCoupon", { method: "DELETE", path: `/coupons/${segment(current.code)}` });
    },
  },
  async loss(call, remote) {
    const active = (await applicationsOf(call, remote.code)).filter((a) => a.status === "active").map((a) => a.external_customer_id);
    return active.length ? `${appliedTo(active)} (active); deleting it terminates those applied coupons` : undefined;
  },
  async frozen(call, remote, changed) {
    const args = frozenIn(changed);
    if (!args.length) return undefined;
    const customers = (await applicationsOf(call, remote.code)).map((a) => a.external_customer_id);
    if (!customers.length) return undefined;
    return { args, reason: `${appliedTo([...new Set(customers)])}, and Lago keeps a coupon's ${args.join(", ")} once it has been applied (it answers 200 and changes nothing)` };
  },
  async ignoredReason(call, remote, args) {
    const frozen = frozenIn(args);
    if (frozen.length && (await applicationsOf(call, remote.code)).length)
      return `Lago keeps a coupon's ${frozen.join(", ")} once it has been applied to a customer (replace it with allowDestroy: true, or create another coupon)`;
    return "Lago kept its previous values";
  },
};

export const couponKind = (runtime: KindRuntime): KindProvider => defineKind(couponSpec, runtime);
