// The billing stack the upgrade fixtures hold: one object of each kind, linked as users link them (the plan
// charges the metric, the subscription names the customer and the plan). The fixture script ran it under an
// older release; the upgrade test runs it, unchanged, under this one. Edit it only together with new fixtures.
import { BillableMetric, Customer, Plan, Subscription } from "../../provider";

/** What a test may vary between operations, as a user edits their code; the fixtures were written with the defaults. */
export interface UpgradeProgramKnobs {
  /** Team's per-unit price beyond 100,000 MTUs. */
  teamTopPrice: string;
  allowDestroy: boolean;
}

export const FIXTURE_KNOBS: Readonly<UpgradeProgramKnobs> = Object.freeze({ teamTopPrice: "0.010", allowDestroy: false });

/** The project and stack names the fixtures were exported under. */
export const FIXTURE_PROJECT = "upgrade";
export const FIXTURE_STACK = "fixture";
/** A fixed test passphrase: it only encrypts the fixture's fake API key. */
export const FIXTURE_PASSPHRASE = "pulumi-lago-upgrade-fixture";
/** A fake key the fixture Lago accepted; the test's local Lago accepts it too, so the stored config still works. */
export const FIXTURE_API_KEY = "upgrade-fixture-key";

export function upgradeProgram(knobs: UpgradeProgramKnobs) {
  return async () => {
    const guard = knobs.allowDestroy ? { allowDestroy: true } : {};
    const mtu = new BillableMetric("mtu", { name: "Monthly Tracked Users", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id", ...guard });
    const team = new Plan("team", {
      name: "Team",
      code: "team",
      interval: "monthly",
      amountCents: 12000,
      amountCurrency: "USD",
      payInAdvance: true,
      trialPeriod: 14,
      charges: [
        {
          billableMetric: mtu,
          chargeModel: "graduated",
          graduatedRanges: [
            { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
            { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
            { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
            { fromValue: 100001, toValue: null, perUnitAmount: knobs.teamTopPrice },
          ],
        },
      ],
      ...guard,
    });
    const acme = new Customer("acme", { externalId: "acme", name: "Acme Inc", currency: "USD", ...guard });
    const subscription = new Subscription("acme-team", { externalId: "acme-team", customer: acme, plan: team, ...guard });
    return { metricId: mtu.lagoId, planId: team.lagoId, customerId: acme.lagoId, subscriptionStatus: subscription.status };
  };
}
