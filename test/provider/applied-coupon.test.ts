// AppliedCoupon through the provider's CRUD against the local Lago (lago-api.md §7; app/services/applied_coupons/*).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();
const applied = () => runtime.appliedCoupon;
const args = { externalCustomerId: "acme", couponCode: "launch" };

async function couponAndCustomer(coupon: Record<string, unknown> = {}) {
  await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", currency: "USD" } });
  const body = { name: "Launch", code: "launch", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "USD", frequency: "recurring", frequency_duration: 3, expiration: "no_expiration", ...coupon };
  expect((await lago.http("POST", "/coupons", { coupon: body })).status).toBe(200);
}
const applications = async () => (await lago.http("GET", "/applied_coupons?external_customer_id=acme")).body.applied_coupons as Array<Record<string, unknown>>;

describe("AppliedCoupon lifecycle", () => {
  it("apply → read equals → no-op diff → override change applies again (guarded) → opted-in removal terminates it", async () => {
    await couponAndCustomer();
    const created = await applied().create({ ...args, amountCents: 500, __provider: "x" });
    const [row] = await applications();
    expect(created.id).toBe(row!.lago_id);
    expect(created.outs).toEqual({
      ...args, amountCents: 500, lagoId: row!.lago_id, createdAt: row!.created_at, status: "active", amountCentsRemaining: null, frequencyDurationRemaining: 3, terminatedAt: null, [STATE_VERSION_KEY]: STATE_VERSION,
    });

    const read = await applied().read(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect((await applied().diff(created.id, read.props!, { ...args, amountCents: 500 })).changes).toBe(false);

    // Lago has no update: a new override means terminating and applying again, and the application is active.
    expect(await failure(applied().diff(created.id, read.props!, { ...args, amountCents: 800 }))).toContain(
      'AppliedCoupon coupon "launch" on customer "acme": refusing to replace it to change amountCents (amountCents cannot change in place: Lago has no update for an applied coupon: it is terminated and applied again): customer "acme" still has coupon "launch" active (for 3 more period(s)); removing it ends that discount.',
    );
    const allowed = { ...args, amountCents: 500, allowDestroy: true };
    const optedIn = await applied().update(created.id, read.props!, allowed);
    expect(await applied().diff(created.id, optedIn.outs!, { ...allowed, amountCents: 800 })).toMatchObject({ changes: true, replaces: ["amountCents"], deleteBeforeReplace: true });

    const before = apiRequests(lago).length;
    await applied().delete(created.id, optedIn.outs!);
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([`DELETE /customers/acme/applied_coupons/${created.id}`]);
    expect((await applications())[0]).toMatchObject({ lago_id: created.id, status: "terminated" });
  });

  it("one Lago used up (terminated) stays in the state as terminated: refresh keeps it and nothing applies it again", async () => {
    await couponAndCustomer();
    const created = await applied().create(args);
    await lago.http("DELETE", `/customers/acme/applied_coupons/${created.id}`); // as Lago does once the discount is spent
    const read = await applied().read(created.id, created.outs!);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ status: "terminated", terminatedAt: expect.any(String) });
    expect((await applied().diff(created.id, read.props!, args)).changes).toBe(false);
    const before = apiRequests(lago).length;
    await applied().delete(created.id, read.props!); // nothing left to end
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([]);
  });

  it("an override of a coupon that is not reusable is refused at preview: Lago would not apply it again", async () => {
    await couponAndCustomer({ reusable: false });
    const created = await applied().create({ ...args, allowDestroy: true });
    expect(await failure(applied().diff(created.id, created.outs!, { ...args, allowDestroy: true, frequency: "forever" }))).toBe(
      'AppliedCoupon coupon "launch" on customer "acme": frequency cannot change: Lago has no update for an applied coupon, and coupon "launch" is not reusable, so Lago refuses to apply it to this customer again (coupon_is_not_reusable)',
    );
  });

  it("an active application made outside the stack is an error unless adopt: true", async () => {
    await couponAndCustomer();
    const outside = (await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "launch" } })).body.applied_coupon;
    expect(await failure(applied().create(args))).toBe(
      `AppliedCoupon coupon "launch" on customer "acme": already exists in Lago (lago_id ${outside.lago_id}). Set adopt: true to take it over, or choose another externalCustomerId.`,
    );
    const adopted = await applied().create({ ...args, adopt: true });
    expect(adopted.id).toBe(outside.lago_id);
    expect(await applications()).toHaveLength(1);
  });

  it("a coupon Lago does not have is its 404, naming the argument", async () => {
    await couponAndCustomer();
    expect(await failure(applied().create({ ...args, couponCode: "nope" }))).toBe(
      'AppliedCoupon coupon "nope" on customer "acme": create failed: argument "couponCode" refers to something Lago does not have (404 coupon_not_found)',
    );
  });
});
