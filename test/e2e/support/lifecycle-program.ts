// The lifecycle e2e's billing stack (Segment's pricing, lago-api.md §12): the MTU metric, Free and Team plans, Acme
// subscribed to Team. A module of its own so that the preview CLI can load the same program from a file.
import { BillableMetric, Customer, Plan, Subscription } from "../../../provider";

/** What the program declares; the lifecycle steps edit it between operations, as a user edits their code. */
export interface LifecycleDesired {
  /** Team's per-unit price beyond 100,000 MTUs. */
  teamTopPrice: string;
  allowDestroy: boolean;
}

const graduated = (top: string) => [
  { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
  { fromValue: 100001, toValue: null, perUnitAmount: top },
];

/** The program for `desired`, read each time the program runs (so edits between operations apply). */
export const lifecycleProgram = (desired: LifecycleDesired) => async () => {
  const guard = desired.allowDestroy ? { allowDestroy: true } : {};
  const mtu = new BillableMetric("mtu", { name: "Monthly Tracked Users", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id", ...guard });
  const free = new Plan("free", {
    name: "Free",
    code: "free",
    interval: "monthly",
    amountCents: 0,
    amountCurrency: "USD",
    charges: [{ billableMetric: mtu, chargeModel: "graduated", graduatedRanges: [{ fromValue: 0, toValue: 1000, perUnitAmount: "0" }, { fromValue: 1001, toValue: null, perUnitAmount: "0.01" }] }],
    ...guard,
  });
  const team = new Plan("team", {
    name: "Team",
    code: "team",
    interval: "monthly",
    amountCents: 12000,
    amountCurrency: "USD",
    payInAdvance: true,
    trialPeriod: 14,
    charges: [{ billableMetric: mtu, chargeModel: "graduated", graduatedRanges: graduated(desired.teamTopPrice) }],
    ...guard,
  });
  const acme = new Customer("acme", { externalId: "acme", name: "Acme Inc", currency: "USD", ...guard });
  const subscription = new Subscription("acme-main", { externalId: "acme-main", customer: acme, plan: team, ...guard });
  return { freePlanId: free.lagoId, teamCharges: team.charges, subscriptionStatus: subscription.status };
};
