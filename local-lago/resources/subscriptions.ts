// Subscriptions (lago-api.md §5; Lago's api/v1/subscriptions_controller.rb). The rules live in
// ../domain/subscriptions.ts and ../domain/subscription-lifecycle.ts.
import type { ApiRequest, Room } from "../api";
import type { LagoContext } from "../context";
import { findCustomer } from "../domain/customers";
import { planOf, settleSubscriptions, type SubscriptionRecord } from "../domain/subscription-lifecycle";
import { findSubscription, postSubscription, subscriptionToUpdate, terminateByRequest, updateSubscription } from "../domain/subscriptions";
import { tables } from "../model";
import { listPage, paginate } from "../pagination";
import { serializeSubscription } from "../serializers/subscription";

/** Default order of subscription lists: latest subscription date, then latest created. */
const bySubscriptionDate = (a: SubscriptionRecord, b: SubscriptionRecord) =>
  a.subscription_at !== b.subscription_at ? (a.subscription_at < b.subscription_at ? 1 : -1) : a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;

const STATUSES = ["pending", "active", "terminated", "canceled", "incomplete"];

function listSubscriptions(lago: LagoContext, req: ApiRequest, customerId: string | null) {
  const requested = req.queryAll("status");
  // Unknown statuses disable the filter altogether, as in Lago; none means active only.
  const statuses = requested.length ? (requested.every((s) => STATUSES.includes(s)) ? requested : null) : ["active"];
  const planCode = req.query("plan_code");
  const currency = req.query("currency");
  const externalId = req.query("external_id");
  const overridden = req.query("overridden") ?? req.query("overriden");
  const rows = (tables(lago.store).subscriptions.all() as SubscriptionRecord[])
    .filter((s) => customerId === null || s.customer_id === customerId)
    .filter((s) => !statuses || statuses.includes(s.status))
    .filter((s) => !externalId || s.external_id === externalId)
    .filter((s) => {
      const plan = planOf(lago, s);
      if (planCode && plan.code !== planCode) return false;
      if (currency && plan.amount_currency !== currency) return false;
      if (overridden !== undefined && (plan.parent_id !== null) !== (overridden === "true")) return false;
      return true;
    })
    .sort(bySubscriptionDate);
  return listPage("subscriptions", rows, req.queries, (s) => serializeSubscription(lago, s));
}

export const subscriptions: Room = (api, lago) => {
  const t = () => tables(lago.store);
  const single = { plan: true, entitlements: true, thresholds: true, customSections: true };
  // Every answer first catches up with the clock (starts, downgrades, expiries).
  const settled =
    <R>(handler: (req: ApiRequest) => R) =>
    (req: ApiRequest): R => {
      settleSubscriptions(lago);
      return handler(req);
    };

  api.post("/subscriptions", settled((req) => ({ subscription: serializeSubscription(lago, postSubscription(lago, req.body("subscription")), single) })));

  api.get("/subscriptions", settled((req) => {
    const externalCustomerId = req.query("external_customer_id");
    if (externalCustomerId === undefined) return listSubscriptions(lago, req, null);
    const customer = t().customers.find((c) => c.external_id === externalCustomerId && c.deleted_at === null);
    return customer ? listSubscriptions(lago, req, customer.id) : { subscriptions: [], meta: paginate([], req.queries).meta };
  }));

  api.get("/customers/:external_customer_id/subscriptions", settled((req) => listSubscriptions(lago, req, findCustomer(lago, req.params.external_customer_id!).id)));

  api.get("/subscriptions/:external_id", settled((req) => ({ subscription: serializeSubscription(lago, findSubscription(lago, req.params.external_id!, req.query("status")), single) })));

  api.put("/subscriptions/:external_id", settled((req) => {
    const input = req.body("subscription");
    const current = subscriptionToUpdate(lago, req.params.external_id!, req.query("status"));
    return { subscription: serializeSubscription(lago, updateSubscription(lago, current, input), { plan: true, thresholds: true, customSections: true }) };
  }));

  api.delete("/subscriptions/:external_id", settled((req) => ({ subscription: serializeSubscription(lago, terminateByRequest(lago, req.params.external_id!, req.queries)) })));
};
