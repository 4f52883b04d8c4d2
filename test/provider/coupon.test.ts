// Coupon through the provider's CRUD against the local Lago (lago-api.md §7; Lago's app/services/coupons/*).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const coupons = () => runtime.coupon;
const launch = { name: "Launch", code: "launch", couponType: "fixed_amount", amountCents: 1000, amountCurrency: "USD", frequency: "recurring", frequencyDuration: 3 };

const applyTo = async (customer: string, code = "launch") => {
  await lago.http("POST", "/customers", { customer: { external_id: customer, name: customer, currency: "USD" } });
  const res = await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: customer, coupon_code: code } });
  expect(res.status).toBe(200);
  return res.body.applied_coupon;
};

describe("Coupon lifecycle", () => {
  it("create → read equals → no-op diff → in-place update → drift detected → guarded delete naming the customers → opted-in delete", async () => {
    const created = await coupons().create({ ...launch, __provider: "x" });
    expect(apiRequests(lago)).toEqual(["POST /coupons"]);
    const remote = (await lago.client.coupons.findCoupon("launch")).data.coupon;
    expect(created.id).toBe(remote.lago_id);
    expect(created.outs).toEqual({ ...launch, lagoId: remote.lago_id, createdAt: remote.created_at, terminatedAt: null, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await coupons().read(created.id, created.outs);
    expect((await coupons().diff(created.id, read.props!, launch)).changes).toBe(false);

    // Before any application every field changes in place, the limits included.
    await lago.client.plans.createPlan({ plan: { name: "Team", code: "team", interval: "monthly", amount_cents: 0, amount_currency: "USD", pay_in_advance: false } });
    const richer = { ...launch, amountCents: 1500, planCodes: ["team"], expiration: "time_limit", expirationAt: "2099-01-01T00:00:00Z" };
    expect(await coupons().diff(created.id, read.props!, richer)).toMatchObject({ changes: true, changed: ["amountCents", "expiration", "expirationAt", "planCodes"], replaces: [] });
    const updated = await coupons().update(created.id, read.props!, richer);
    expect((await lago.client.coupons.findCoupon("launch")).data.coupon).toMatchObject({ amount_cents: 1500, plan_codes: ["team"], limited_plans: true, expiration: "time_limit" });

    // An edit without applies_to also drops the plan limits (coupons/update_service.rb runs sanitize_coupon_plans).
    await lago.client.coupons.updateCoupon("launch", { coupon: { name: "Edited elsewhere" } });
    const refreshed = await coupons().read(created.id, updated.outs!);
    expect(refreshed.props).toMatchObject({ name: "Edited elsewhere", planCodes: [] });
    expect(await coupons().diff(created.id, refreshed.props!, richer)).toMatchObject({ changes: true, changed: ["name", "planCodes"] });

    await applyTo("acme");
    expect(await failure(coupons().delete(created.id, updated.outs!))).toBe(
      'Coupon code "launch": refusing to delete it: it has been applied to acme (active); deleting it terminates those applied coupons. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    const optedIn = await coupons().update(created.id, updated.outs!, { ...richer, allowDestroy: true });
    await coupons().delete(created.id, optedIn.outs!);
    expect((await lago.http("GET", "/coupons/launch")).status).toBe(404);
    expect((await lago.http("GET", "/applied_coupons?external_customer_id=acme")).body.applied_coupons[0]).toMatchObject({ status: "terminated" });
  });
});

describe("Coupon once applied (coupons/update_service.rb)", () => {
  it("a change Lago would ignore is found at preview and refused while the application is active", async () => {
    const created = await coupons().create(launch);
    await applyTo("acme");
    const before = apiRequests(lago).length;
    expect(await failure(coupons().diff(created.id, created.outs!, { ...launch, amountCents: 2000 }))).toBe(
      'Coupon code "launch": refusing to replace it to change amountCents (amountCents cannot change in place: it has been applied to acme, and Lago keeps a coupon\'s amountCents once it has been applied (it answers 200 and changes nothing)): it has been applied to acme (active); deleting it terminates those applied coupons. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([]);
    // The name and the description still change in place.
    expect(await coupons().diff(created.id, created.outs!, { ...launch, name: "Launch 2026" })).toMatchObject({ changes: true, replaces: [] });
  });

  it("what Lago kept after a write is named with the reason", async () => {
    const created = await coupons().create(launch);
    await applyTo("acme");
    // The update that a preview would have refused, sent anyway (as a stale plan would): Lago answers 200.
    expect(await failure(coupons().update(created.id, created.outs!, { ...launch, amountCents: 2000 }))).toBe(
      'Coupon code "launch": update did not apply amountCents (asked 2000, Lago has 1000): Lago keeps a coupon\'s amountCents once it has been applied to a customer (replace it with allowDestroy: true, or create another coupon)',
    );
  });

  it("an applied coupon whose applications are all terminated is replaced without a guard", async () => {
    const created = await coupons().create(launch);
    const applied = await applyTo("acme");
    await lago.http("DELETE", `/customers/acme/applied_coupons/${applied.lago_id}`);
    expect(await coupons().diff(created.id, created.outs!, { ...launch, amountCents: 2000 })).toMatchObject({ changes: true, replaces: ["amountCents"] });
  });
});

describe("Coupon adoption and references", () => {
  it("an existing code is an error unless adopt: true", async () => {
    await lago.http("POST", "/coupons", { coupon: { name: "Old", code: "launch", coupon_type: "percentage", percentage_rate: "5", frequency: "once", expiration: "no_expiration" } });
    expect(await failure(coupons().create(launch))).toMatch(/^Coupon code "launch": already exists in Lago/);
    const adopted = await coupons().create({ ...launch, adopt: true });
    expect((await lago.client.coupons.findCoupon("launch")).data.coupon).toMatchObject({ lago_id: adopted.id, coupon_type: "fixed_amount", amount_cents: 1000 });
  });

  it("a plan Lago does not have is its 404, naming the argument", async () => {
    expect(await failure(coupons().create({ ...launch, planCodes: ["nope"] }))).toBe('Coupon code "launch": create failed: argument "planCodes" refers to something Lago does not have (404 plans_not_found)');
  });
});
