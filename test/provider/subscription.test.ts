// Subscription through the provider's CRUD against the local Lago (lago-api.md §5).
import { describe, expect, it } from "vitest";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const subs = () => runtime.subscription;

const main = { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" };

async function plan(code: string, amountCents: number) {
  await lago.client.plans.createPlan({
    plan: { name: code, code, interval: "monthly", amount_cents: amountCents, amount_currency: "USD", pay_in_advance: false } as never,
  });
}

async function world() {
  await plan("free", 0);
  await plan("team", 12000);
  await plan("enterprise", 50000);
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } as never });
}

const live = async (externalId: string, status = "active") => (await lago.http("GET", `/subscriptions/${externalId}?status=${status}`)).body.subscription;

describe("Subscription lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete refused → opted-in delete", async () => {
    await world();
    expect((await subs().check({}, main)).failures).toEqual([]);

    const created = await subs().create({ ...main, __provider: "serialized" });
    const remote = await live("acme-main");
    expect(created.id).toBe("acme-main");
    expect(created.outs).toMatchObject({ ...main, lagoId: remote.lago_id, createdAt: remote.created_at, status: "active", currentPlanCode: "team", nextPlanCode: null });

    const read = await subs().read(created.id, created.outs);
    expect(read.id).toBe("acme-main");
    expect(read.props).toEqual(created.outs);
    expect(read.inputs).toEqual(main);
    expect((await subs().diff(created.id, { ...read.props!, __provider: "x" }, { ...main, __provider: "y" })).changes).toBe(false);

    // name and end date go by PUT on the same subscription
    const named = { ...main, name: "Main", endingAt: "2099-01-01T00:00:00Z" };
    expect(await subs().diff(created.id, created.outs, named)).toMatchObject({ changes: true, changed: ["name", "endingAt"], replaces: [] });
    const updated = await subs().update(created.id, created.outs, named);
    expect(updated.outs).toMatchObject({ ...named, lagoId: remote.lago_id });
    expect(await live("acme-main")).toMatchObject({ lago_id: remote.lago_id, name: "Main", ending_at: "2099-01-01T00:00:00Z" });
    expect((await subs().diff(created.id, updated.outs, { ...named, endingAt: "2099-01-01" })).changes).toBe(false);

    // drift through the API
    await lago.client.subscriptions.updateSubscription("acme-main", { subscription: { name: "Renamed in the UI" } as never });
    const refreshed = await subs().read(created.id, updated.outs);
    expect(refreshed.props).toMatchObject({ name: "Renamed in the UI" });
    expect(await subs().diff(created.id, refreshed.props!, named)).toMatchObject({ changes: true, changed: ["name"], replaces: [] });

    // active: delete refused, nothing sent
    const before = apiRequests(lago).length;
    expect(await failure(subs().delete(created.id, refreshed.props!))).toBe(
      'Subscription external_id "acme-main": refusing to delete it: subscription "acme-main" is active on plan "team" for customer "acme"; terminating it ends its billing and issues its final invoice. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(before).filter((r) => !r.startsWith("GET"))).toEqual([]);

    // opted in: terminated
    const optedIn = await subs().update(created.id, refreshed.props!, { ...named, allowDestroy: true });
    await subs().delete(created.id, optedIn.outs);
    expect(await live("acme-main", "terminated")).toMatchObject({ lago_id: remote.lago_id, status: "terminated" });
    expect((await lago.http("GET", "/subscriptions/acme-main")).status).toBe(404);
    expect(await subs().read(created.id, optedIn.outs)).toEqual({});
  });
});

describe("§5.3 plan changes", () => {
  it("upgrades at once (new lago_id, outputs follow), downgrades at period end (next plan shown), and can go back", async () => {
    await world();
    const created = await subs().create(main);
    const first = created.outs.lagoId;

    const upgraded = await subs().update(created.id, created.outs, { ...main, planCode: "enterprise" });
    expect(upgraded.outs).toMatchObject({ planCode: "enterprise", currentPlanCode: "enterprise", previousPlanCode: "team", status: "active", nextPlanCode: null });
    expect(upgraded.outs.lagoId).not.toBe(first);
    expect(await live("acme-main")).toMatchObject({ lago_id: upgraded.outs.lagoId, plan_code: "enterprise" });
    expect(await live("acme-main", "terminated")).toMatchObject({ lago_id: first, plan_code: "team" });
    // The Pulumi id stays the external id: refresh still finds it.
    expect((await subs().read(created.id, upgraded.outs)).props).toMatchObject({ lagoId: upgraded.outs.lagoId });

    const downgrade = { ...main, planCode: "free" };
    const downgraded = await subs().update(created.id, upgraded.outs, downgrade);
    const pending = await live("acme-main", "pending");
    expect(pending).toMatchObject({ plan_code: "free" });
    expect(downgraded.outs).toMatchObject({ planCode: "free", currentPlanCode: "enterprise", nextPlanCode: "free", lagoId: upgraded.outs.lagoId });
    expect(downgraded.outs.downgradePlanDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The waiting downgrade is the plan asked for: no change, also after a refresh.
    const read = await subs().read(created.id, downgraded.outs);
    expect(read.inputs).toMatchObject({ planCode: "free" });
    expect((await subs().diff(created.id, read.props!, downgrade)).changes).toBe(false);

    // Back to the current plan: the pending downgrade is canceled.
    const stay = { ...main, planCode: "enterprise" };
    expect(await subs().diff(created.id, read.props!, stay)).toMatchObject({ changes: true, changed: ["planCode"], replaces: [] });
    const stayed = await subs().update(created.id, read.props!, stay);
    expect(stayed.outs).toMatchObject({ planCode: "enterprise", currentPlanCode: "enterprise", nextPlanCode: null });
    expect(await live("acme-main", "canceled")).toMatchObject({ lago_id: pending.lago_id, status: "canceled" });
  });

  it("fails a plan change Lago refused, naming the argument", async () => {
    await world();
    const created = await subs().create(main);
    expect(await failure(subs().update(created.id, created.outs, { ...main, planCode: "missing" }))).toBe(
      'Subscription external_id "acme-main": update failed: Lago answered 404 plan_not_found — Not Found',
    );
  });
});

describe("§5.2 replace, pending subscriptions and adoption", () => {
  it("refuses at preview to replace an active subscription (billing time, customer) unless allowDestroy is in the state", async () => {
    await world();
    const created = await subs().create(main);
    const message = await failure(subs().diff(created.id, created.outs, { ...main, billingTime: "anniversary" }));
    expect(message).toBe(
      'Subscription external_id "acme-main": refusing to replace it to change billingTime: subscription "acme-main" is active on plan "team" for customer "acme"; terminating it ends its billing and issues its final invoice. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    const allowed = await subs().update(created.id, created.outs, { ...main, allowDestroy: true });
    expect(await subs().diff(created.id, allowed.outs, { ...main, billingTime: "anniversary", allowDestroy: true })).toMatchObject({
      changes: true,
      replaces: ["billingTime"],
      deleteBeforeReplace: true,
    });
  });

  it("starts a future subscription pending, moves its start in place, and cancels it without allowDestroy", async () => {
    await world();
    const future = { ...main, subscriptionAt: "2099-01-01T00:00:00Z" };
    const created = await subs().create(future);
    expect(created.outs).toMatchObject({ status: "pending", currentPlanCode: "team" });
    const moved = { ...main, subscriptionAt: "2099-02-01T00:00:00Z" };
    expect(await subs().diff(created.id, created.outs, moved)).toMatchObject({ changes: true, changed: ["subscriptionAt"], replaces: [] });
    const updated = await subs().update(created.id, created.outs, moved);
    expect(await live("acme-main", "pending")).toMatchObject({ subscription_at: "2099-02-01T00:00:00Z" });
    await subs().delete(created.id, updated.outs);
    expect(await live("acme-main", "canceled")).toMatchObject({ status: "canceled" });
  });

  it("refuses to take over an existing subscription unless adopt: true, then converges it", async () => {
    await world();
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "free", external_id: "acme-main" } as never });
    const existing = await live("acme-main");
    expect(await failure(subs().create(main))).toBe(
      `Subscription external_id "acme-main": already exists in Lago (lago_id ${existing.lago_id}). Set adopt: true to take it over, or choose another externalId.`,
    );
    const adopted = await subs().create({ ...main, name: "Main", adopt: true });
    expect(adopted.id).toBe("acme-main");
    expect(adopted.outs).toMatchObject({ planCode: "team", currentPlanCode: "team", previousPlanCode: "free", name: "Main" });
  });
});
