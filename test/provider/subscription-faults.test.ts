// Plan and subscription writes whose answers are lost or refused for a while converge without
// duplicates (lago-api.md §3, §5.3): the local Lago injects the faults over real HTTP.
import { describe, expect, it } from "vitest";
import { apiRequests, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const fault = (spec: Parameters<typeof lago.server.admin.addFault>[0]) => lago.server.admin.addFault(spec);

async function world() {
  await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: "MTU", code: "mtu", aggregation_type: "unique_count_agg", field_name: "user_id" } as never });
  for (const [code, amount] of [["free", 0], ["team", 12000], ["enterprise", 50000]] as const)
    await lago.client.plans.createPlan({ plan: { name: code, code, interval: "monthly", amount_cents: amount, amount_currency: "USD", pay_in_advance: false } as never });
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } as never });
}

const main = { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" };

/** Every subscription with this external id, any status, as `plan:status`. */
async function history(externalId: string) {
  const { data } = await lago.client.subscriptions.findAllSubscriptions({ external_id: externalId, "status[]": ["active", "pending", "terminated", "canceled"] });
  return data.subscriptions.map((s) => `${s.plan_code}:${s.status}`).sort();
}

describe("lost answers converge without duplicates", () => {
  it("a plan create committed before the connection reset is adopted, not duplicated", async () => {
    await world();
    fault({ kind: "reset_after", method: "POST", path: "/plans" });
    const created = await runtime.plan.create({
      name: "Pro", code: "pro", interval: "monthly", amountCents: 9900, amountCurrency: "USD",
      charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount: "0.01" }],
    });
    const { data } = await lago.client.plans.findAllPlans();
    expect(data.plans.filter((p) => p.code === "pro").map((p) => p.lago_id)).toEqual([created.id]);
    expect(created.outs.charges).toHaveLength(1);
  });

  it("an upgrade whose answer was lost is sent again and lands once", async () => {
    await world();
    const created = await runtime.subscription.create(main);
    fault({ kind: "reset_after", method: "POST", path: "/subscriptions" });
    const upgraded = await runtime.subscription.update(created.id, created.outs, { ...main, planCode: "enterprise" });
    expect(upgraded.outs).toMatchObject({ currentPlanCode: "enterprise", status: "active" });
    expect(await history("acme-main")).toEqual(["enterprise:active", "team:terminated"]);
    expect(apiRequests(lago).filter((r) => r === "POST /subscriptions")).toHaveLength(3); // create, lost upgrade, replay
  });

  it("a downgrade whose answer was lost leaves exactly one pending subscription", async () => {
    await world();
    const created = await runtime.subscription.create(main);
    fault({ kind: "reset_after", method: "POST", path: "/subscriptions" });
    const downgraded = await runtime.subscription.update(created.id, created.outs, { ...main, planCode: "free" });
    expect(downgraded.outs).toMatchObject({ currentPlanCode: "team", nextPlanCode: "free" });
    const statuses = await history("acme-main");
    expect(statuses.filter((s) => s.endsWith(":pending"))).toEqual(["free:pending"]);
    expect(statuses.filter((s) => s.endsWith(":active"))).toEqual(["team:active"]);
  });

  it("a subscription create through 429 and 5xx answers lands once", async () => {
    await world();
    fault({ kind: "rate_limit", method: "POST", path: "/subscriptions", resetSeconds: 0 });
    fault({ kind: "server_error", method: "POST", path: "/subscriptions", status: 503 });
    const created = await runtime.subscription.create(main);
    expect(created.outs).toMatchObject({ status: "active", currentPlanCode: "team" });
    expect(await history("acme-main")).toEqual(["team:active"]);
  });
});
