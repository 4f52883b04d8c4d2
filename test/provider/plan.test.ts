// Plan through the provider's CRUD against the local Lago (lago-api.md §3).
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/canonical";
import { teamGraduatedRanges, teamPlanArgs, teamRangeArgs, withTier } from "../support/segment-team";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const plans = () => runtime.plan;

/** Team's MTU ranges with the open tier (100,001+) at another per-unit price. */
const ranges = (last: string) => withTier(teamRangeArgs, 3, { perUnitAmount: last });

/** The Segment Team plan (§12), its metric named by code. */
const team = teamPlanArgs;

async function metric(code: string, aggregation = "unique_count_agg") {
  const { data } = await lago.client.billableMetrics.createBillableMetric({
    billable_metric: { name: code, code, aggregation_type: aggregation, field_name: "user_id" } as never,
  });
  return data.billable_metric.lago_id;
}

async function subscribe(externalId: string) {
  await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } as never });
  await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "team", external_id: externalId } as never });
}

const chargeIds = (outs: Record<string, any>) => Object.fromEntries((outs.charges as any[]).map((c) => [c.code, c.lagoId]));

async function setPremium(premium: boolean) {
  const res = await fetch(lago.server.apiUrl.replace(/\/api\/v1$/, "") + "/__admin/config", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ premium }),
  });
  expect(res.status).toBe(200);
}

describe("Plan lifecycle", () => {
  it("create → read equals → no-op diff → in-place update (charge lago_ids kept) → drift detected → guarded delete refused → opted-in delete", async () => {
    const mtu = await metric("mtu");
    const api = await metric("api", "sum_agg");
    expect((await plans().check({}, team)).failures).toEqual([]);

    // create: the metric code is resolved to its lago_id; prices travel as strings
    const created = await plans().create({ ...team, __provider: "serialized" });
    const remote = (await lago.client.plans.findPlan("team")).data.plan;
    expect(created.id).toBe(remote.lago_id);
    const [mtuCharge] = remote.charges!;
    expect(mtuCharge).toMatchObject({ lago_billable_metric_id: mtu, code: "mtu", charge_model: "graduated" });
    expect((mtuCharge!.properties as any).graduated_ranges[3]).toEqual({ from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" });
    expect(created.outs).toMatchObject({ ...team, lagoId: remote.lago_id, createdAt: remote.created_at, pendingDeletion: false });
    expect(created.outs.charges).toEqual([expect.objectContaining({ lagoId: mtuCharge!.lago_id, code: "mtu", billableMetric: mtu, billableMetricCode: "mtu", chargeModel: "graduated" })]);

    // read: same props; inputs usable as args
    const read = await plans().read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual(created.outs);
    expect((await plans().check({}, read.inputs!)).failures).toEqual([]);

    // no-op diff, also with equivalent spellings of the same prices
    expect((await plans().diff(created.id, { ...read.props!, __provider: "x" }, { ...team, __provider: "y" })).changes).toBe(false);
    const respelled = { ...team, trialPeriod: 14.0, charges: [{ ...team.charges[0], graduatedRanges: ranges("0.01").map((r) => ({ ...r, flatAmount: 0 })) }] };
    expect((await plans().diff(created.id, read.props!, respelled)).changes).toBe(false);

    // in place: new price, new name, one more charge; the kept charge keeps its lago_id
    const repriced = {
      ...team,
      name: "Team 2025",
      charges: [
        { billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: ranges("0.009") },
        { billableMetricCode: "api", chargeModel: "standard", amount: 0.001 },
      ],
    };
    expect(await plans().diff(created.id, created.outs, repriced)).toMatchObject({ changes: true, changed: ["name", "charges"], replaces: [] });
    const before = lago.server.admin.requests.length;
    const updated = await plans().update(created.id, created.outs, repriced);
    const put = lago.server.admin.requests.slice(before).find((r) => r.method === "PUT");
    expect(put?.path).toBe("/api/v1/plans/team");
    expect(chargeIds(updated.outs)).toEqual({ mtu: mtuCharge!.lago_id, api: expect.any(String) });
    const afterUpdate = (await lago.client.plans.findPlan("team")).data.plan;
    expect(afterUpdate.name).toBe("Team 2025");
    expect(afterUpdate.charges!.map((c) => [c.lago_id, c.code, c.lago_billable_metric_id, c.properties])).toEqual([
      [mtuCharge!.lago_id, "mtu", mtu, { graduated_ranges: withTier(teamGraduatedRanges, 3, { per_unit_amount: "0.009" }) }],
      [updated.outs.charges[1].lagoId, "api", api, { amount: "0.001" }],
    ]);

    // drift made through the API, on a charge: refresh shows it, diff proposes to put it back
    await lago.client.plans.updatePlanCharge("team", "api", { charge: { charge_model: "standard", properties: { amount: "0.5" } } as never });
    const refreshed = await plans().read(created.id, updated.outs);
    expect(refreshed.props!.charges[1]).toMatchObject({ code: "api", amount: "0.5" });
    expect(await plans().diff(created.id, refreshed.props!, repriced)).toMatchObject({ changes: true, changed: ["charges"], replaces: [] });

    // subscribed: a delete is refused without touching Lago
    await subscribe("acme-main");
    const beforeDelete = apiRequests(lago).length;
    expect(await failure(plans().delete(created.id, refreshed.props!))).toBe(
      'Plan code "team": refusing to delete it: plan "team" has had subscriptions (active: acme-main); deleting it terminates the active ones (with their final invoices) and cancels the pending ones. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(beforeDelete).filter((r) => !r.startsWith("GET"))).toEqual([]);

    // opted in: the plan goes, its subscription is terminated
    const optedIn = await plans().update(created.id, refreshed.props!, { ...repriced, allowDestroy: true });
    await plans().delete(created.id, optedIn.outs);
    expect((await lago.http("GET", "/plans/team")).status).toBe(404);
    expect((await lago.http("GET", "/subscriptions/acme-main?status=terminated")).body.subscription.status).toBe("terminated");
  });
});

describe("§3.6 subscribed plans: refused at preview, never reported as applied", () => {
  it("refuses an interval or charge model change at diff, naming the reason and the way out", async () => {
    await metric("mtu");
    const created = await plans().create(team);
    await subscribe("acme-main");

    const message = await failure(plans().diff(created.id, created.outs, { ...team, interval: "yearly" }));
    expect(message).toBe(
      'Plan code "team": refusing to replace it to change interval (interval cannot change in place: interval is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions): plan "team" has had subscriptions (active: acme-main); deleting it terminates the active ones (with their final invoices) and cancels the pending ones. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    const volume = { ...team, charges: [{ billableMetricCode: "mtu", chargeModel: "volume", volumeRanges: [{ fromValue: 0, toValue: null, perUnitAmount: "0.01" }] }] };
    expect(await failure(plans().diff(created.id, created.outs, volume))).toContain(
      "charges cannot change in place: charges[mtu].chargeModel is frozen once the plan has had a subscription; to change it, add a charge with a new code and remove this one",
    );

    // A price change stays in place: Lago applies it to every subscriber.
    const cheaper = { ...team, charges: [{ ...team.charges[0], graduatedRanges: ranges("0.009") }] };
    expect(await plans().diff(created.id, created.outs, cheaper)).toMatchObject({ changes: true, changed: ["charges"], replaces: [] });
    // A charge not computed yet (preview) is a change, not a refusal.
    const previewing = { ...team, charges: [{ ...team.charges[0], chargeModel: UNKNOWN }] };
    expect(await plans().diff(created.id, created.outs, previewing)).toMatchObject({ changes: true, changed: ["charges"], replaces: [] });
  });

  it("fails an update Lago silently ignored, and records Lago's values", async () => {
    await metric("mtu");
    const created = await plans().create(team);
    await subscribe("acme-main");
    const error = await plans().update(created.id, created.outs, { ...team, interval: "yearly", name: "Team yearly" }).catch((e) => e);
    expect(error.message).toBe(
      'Plan code "team": update did not apply interval (asked "yearly", Lago has "monthly"): interval is frozen once the plan has had a subscription; to change it, create a new plan code and move subscriptions',
    );
    expect(error.properties).toMatchObject({ interval: "monthly", name: "Team yearly" });
  });

  it("fails a create whose premium-only fields Lago dropped", async () => {
    await metric("mtu");
    await setPremium(false);
    const error = await plans().create({ ...team, minimumCommitment: { amountCents: 50000 } }).catch((e) => e);
    expect(error.message).toBe(
      'Plan code "team": create did not apply minimumCommitment (asked {"amountCents":50000}, Lago has null): minimumCommitment needs a Lago premium licence; without one Lago ignores it',
    );
    const inAdvance = { ...team, code: "seats", charges: [{ billableMetricCode: "mtu", chargeModel: "standard", amount: "1", payInAdvance: true, invoiceable: false }] };
    const charge = await plans().create(inAdvance).catch((e) => e);
    expect(charge.message).toMatch(/^Plan code "seats": create did not apply charges \(asked .*\): charges\[mtu\]\.invoiceable needs a Lago premium licence; without one Lago ignores it$/);
  });
});

describe("Plan references and adoption", () => {
  it("uses a BillableMetric resource's lago_id and names an unknown metric code before any write", async () => {
    const mtu = await metric("mtu");
    const created = await plans().create({ ...team, charges: [{ ...team.charges[0], billableMetric: mtu }] });
    expect(created.outs.charges[0]).toMatchObject({ billableMetric: mtu, code: "mtu" });

    const before = apiRequests(lago).length;
    expect(await failure(plans().create({ ...team, code: "other", charges: [{ billableMetricCode: "nope", chargeModel: "standard" }] }))).toBe(
      'Plan code "other": charges[0].billableMetricCode "nope": Lago has no billable metric with this code; create it first (or pass billableMetric: <BillableMetric resource>)',
    );
    expect(apiRequests(lago).slice(before)).toEqual(["GET /billable_metrics/nope"]); // no lookup of the plan: its POST refuses a duplicate
  });

  it("adopts an existing plan with adopt: true and converges it, keeping its charges' lago_ids", async () => {
    const mtu = await metric("mtu");
    const { data } = await lago.client.plans.createPlan({
      plan: {
        name: "Old team", code: "team", interval: "monthly", amount_cents: 10000, amount_currency: "USD", pay_in_advance: true,
        charges: [{ billable_metric_id: mtu, code: "mtu", charge_model: "standard", properties: { amount: "0.02" } }],
      } as never,
    });
    expect(await failure(plans().create(team))).toBe(
      `Plan code "team": already exists in Lago (lago_id ${data.plan.lago_id}). Set adopt: true to take it over, or choose another code.`,
    );
    const adopted = await plans().create({ ...team, adopt: true });
    expect(adopted.id).toBe(data.plan.lago_id);
    expect(chargeIds(adopted.outs)).toEqual({ mtu: data.plan.charges![0]!.lago_id });
    expect((await lago.client.plans.findPlan("team")).data.plan).toMatchObject({ name: "Team", amount_cents: 12000 });
  });
});
