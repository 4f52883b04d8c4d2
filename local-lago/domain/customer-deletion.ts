// Customer deletion (lago-api.md §4.5; Lago's Customers::DestroyService and TerminateRelationsService):
// the customer is soft-deleted, then its subscriptions, applied coupons and wallets end with it.
import { isoSeconds, type LagoContext } from "../context";
import { tables } from "../model";
import type { CustomerRecord } from "./customers";
import { cancelSubscription, settleSubscriptions, terminateSubscription } from "./subscription-lifecycle";
import { terminateCustomerWallets } from "./wallets";

/** Lago's delete job, run synchronously (§4.5): subscriptions, applied coupons and wallets end with the customer. */
function terminateRelations(lago: LagoContext, customerId: string) {
  const { subscriptions, appliedCoupons } = tables(lago.store);
  for (const sub of subscriptions.filter((s) => s.customer_id === customerId && s.status === "active")) terminateSubscription(lago, sub);
  for (const sub of subscriptions.filter((s) => s.customer_id === customerId && s.status === "pending")) cancelSubscription(lago, sub);
  for (const applied of appliedCoupons.filter((a) => a.customer_id === customerId && a.status === "active"))
    appliedCoupons.put({ ...applied, status: "terminated", ...({ terminated_at: isoSeconds(lago.now()) } as object) });
  terminateCustomerWallets(lago, customerId);
}

/** Soft-deletes the customer and runs Lago's relation-termination job synchronously. */
export function deleteCustomer(lago: LagoContext, current: CustomerRecord): CustomerRecord {
  settleSubscriptions(lago); // cascade over the subscriptions as they stand now
  const deleted: CustomerRecord = { ...current, deleted_at: isoSeconds(lago.now()) };
  tables(lago.store).customers.put(deleted);
  terminateRelations(lago, current.id);
  return deleted;
}
