// Subscriptions (lago-api.md §5; Lago's api/v1/subscriptions_controller.rb). The rules live in
// ../domain/subscriptions.ts and ../domain/subscription-lifecycle.ts.
import type { ApiRequest, Room } from "../api";
import type { LagoContext } from "../context";
import { findCustomer } from "../domain/customers";
import { planOf, settleSubscriptions, type SubscriptionRecord } from "../domain/subscription-lifecycle";
import { findSubscription, postSubscription, subscriptionToUpdate, terminateByRequest, updateSubscription } from "../domain/subscriptions";
import { lagoRaises, notFound } from "../errors";
import { tables } from "../model";
import { listPage, newestFirst, paginate } from "../pagination";
import { unitsMapFor } from "../domain/fixed-charge-units";
import { liveFixedChargesOf, serializeFixedCharge, type FixedChargeRow } from "./fixed-charges";
import { serializeSubscription } from "../serializers/subscription";
import { DEFAULT_BILLING_ENTITY_CODE } from "./taxes";

/** Default order of subscription lists: latest subscription date, then latest created. */
const bySubscriptionDate = (a: SubscriptionRecord, b: SubscriptionRecord) =>
  a.subscription_at !== b.subscription_at ? (a.subscription_at < b.subscription_at ? 1 : -1) : a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;

const STATUSES = ["pending", "active", "terminated", "canceled", "incomplete"];

/** ActiveModel::Type::Boolean's cast: blank is nil, these are false, anything else is true. */
const railsFlag = (value: string): boolean | null => (value === "" ? null : !["0", "f", "F", "false", "FALSE", "off", "OFF"].includes(value));

/**
 * The list filters (app/controllers/concerns/subscription_index.rb, app/queries/subscriptions_query.rb):
 * `status` only as an array, unknown statuses disable it, none means active only; an empty
 * `plan_code`, `currency` or `external_id` still filters (Ruby's "" is truthy), matching nothing.
 */
function listSubscriptions(lago: LagoContext, req: ApiRequest, customerId: string | null) {
  const requested = req.queryArray("status");
  const statuses = requested.length ? (requested.every((s) => STATUSES.includes(s)) ? requested : null) : ["active"];
  const planCode = req.query("plan_code");
  const currency = req.query("currency");
  const externalId = req.query("external_id");
  const overriddenParam = req.query("overridden") ?? req.query("overriden");
  const overridden = overriddenParam === undefined ? undefined : railsFlag(overriddenParam) === true;
  const rows = (tables(lago.store).subscriptions.all() as SubscriptionRecord[])
    .filter((s) => customerId === null || s.customer_id === customerId)
    .filter((s) => !statuses || statuses.includes(s.status))
    .filter((s) => externalId === undefined || s.external_id === externalId)
    .filter((s) => {
      const plan = planOf(lago, s);
      if (planCode !== undefined && plan.code !== planCode) return false;
      if (currency !== undefined && plan.amount_currency !== currency) return false;
      if (overridden !== undefined && (plan.parent_id !== null) !== overridden) return false;
      return true;
    })
    .sort(bySubscriptionDate);
  return listPage("subscriptions", rows, req.queries, (s) => serializeSubscription(lago, s));
}

/**
 * `billing_entity_codes` (subscription_index.rb): each code must name a billing entity, else 404.
 * Sent as a scalar it reaches `String#count` without an argument, which raises.
 */
function assertBillingEntityCodes(req: ApiRequest): void {
  const codes = req.queryArray("billing_entity_codes");
  const scalar = req.query("billing_entity_codes");
  if (scalar !== undefined && scalar !== "" && !codes.length) throw lagoRaises("billing_entity_codes as a scalar on the subscription list");
  // Lago compares the entities found with the codes sent, repeats included.
  const found = codes.includes(DEFAULT_BILLING_ENTITY_CODE) ? 1 : 0;
  if (codes.length && found !== codes.length) throw notFound("billing_entity");
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
    assertBillingEntityCodes(req);
    const externalCustomerId = req.query("external_customer_id");
    if (externalCustomerId === undefined) return listSubscriptions(lago, req, null);
    const customer = t().customers.find((c) => c.external_id === externalCustomerId && c.deleted_at === null);
    return customer ? listSubscriptions(lago, req, customer.id) : { subscriptions: [], meta: paginate([], req.queries).meta };
  }));

  api.get("/customers/:external_customer_id/subscriptions", settled((req) => {
    assertBillingEntityCodes(req);
    return listSubscriptions(lago, req, findCustomer(lago, req.params.external_customer_id!).id);
  }));

  api.get("/subscriptions/:external_id", settled((req) => ({ subscription: serializeSubscription(lago, findSubscription(lago, req.params.external_id!, req.query("status")), single) })));

  // The fixed charges the subscription bills (app/controllers/api/v1/subscriptions/fixed_charges_controller.rb): its
  // plan's (the child plan's once overridden), newest first, units as the subscription's own units override them.
  const fixedChargeOf = (sub: SubscriptionRecord, units: Map<string, string>) => (row: FixedChargeRow) => ({ ...serializeFixedCharge(lago, row), units: units.get(row.id) ?? row.units });
  api.get("/subscriptions/:external_id/fixed_charges", settled((req) => {
    const sub = findSubscription(lago, req.params.external_id!, req.query("subscription_status") ?? req.query("status"));
    const rows = liveFixedChargesOf(lago, sub.plan_id).sort(newestFirst);
    return listPage("fixed_charges", rows, req.queries, fixedChargeOf(sub, unitsMapFor(lago, sub.id)));
  }));
  api.get("/subscriptions/:external_id/fixed_charges/:code{.+}", settled((req) => {
    const sub = findSubscription(lago, req.params.external_id!, req.query("subscription_status") ?? req.query("status"));
    const row = liveFixedChargesOf(lago, sub.plan_id).find((f) => f.code === req.params.code);
    if (!row) throw notFound("fixed_charge");
    return { fixed_charge: fixedChargeOf(sub, unitsMapFor(lago, sub.id))(row) };
  }));

  api.put("/subscriptions/:external_id", settled((req) => {
    const input = req.body("subscription");
    const current = subscriptionToUpdate(lago, req.params.external_id!, req.query("status"));
    return { subscription: serializeSubscription(lago, updateSubscription(lago, current, input), { plan: true, thresholds: true, customSections: true }) };
  }));

  api.delete("/subscriptions/:external_id", settled((req) => ({ subscription: serializeSubscription(lago, terminateByRequest(lago, req.params.external_id!, req.queries), { plan: true, customSections: true }) })));
};
