// Conformance of the local Lago's coupons with Lago's code (lago-api v1.51.0), for what the Coupon kind relies on,
// each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });
const launch = { name: "Launch", code: "launch", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "USD", frequency: "once", expiration: "no_expiration" };

async function applied(customer = "acme") {
  await lago.http("POST", "/customers", { customer: { external_id: customer, currency: "USD" } });
  return (await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: customer, coupon_code: "launch" } })).body.applied_coupon;
}

describe("coupons as Lago's code has them", () => {
  it("a create needs an expiration: the enum is validated and the create sets none (app/models/coupon.rb, coupons/create_service.rb)", async () => {
    const { expiration: _, ...withoutExpiration } = launch;
    const res = await lago.http("POST", "/coupons", { coupon: withoutExpiration });
    expect(res.status).toBe(422);
    expect(res.body.error_details).toEqual({ expiration: ["value_is_invalid"] });
  });

  it("once applied, even if since terminated, the economics are kept and the answer is 200 (coupons/update_service.rb)", async () => {
    await lago.http("POST", "/coupons", { coupon: launch });
    const application = await applied();
    await lago.http("DELETE", `/customers/acme/applied_coupons/${application.lago_id}`);
    const res = await lago.http("PUT", "/coupons/launch", { coupon: { name: "Renamed", amount_cents: 5000, frequency: "forever" } });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toMatchObject({ name: "Renamed", amount_cents: 1000, frequency: "once" });
  });

  it("an update without applies_to drops the plan limits (coupons/update_service.rb sanitize_coupon_plans)", async () => {
    await lago.http("POST", "/plans", { plan: { name: "Team", code: "team", interval: "monthly", amount_cents: 0, amount_currency: "USD", pay_in_advance: false } });
    await lago.http("POST", "/coupons", { coupon: { ...launch, applies_to: { plan_codes: ["team"] } } });
    const res = await lago.http("PUT", "/coupons/launch", { coupon: { name: "Renamed" } });
    expect(res.body.coupon).toMatchObject({ plan_codes: [] });
  });

  it("deleting a coupon terminates its active applications (coupons/destroy_service.rb)", async () => {
    await lago.http("POST", "/coupons", { coupon: launch });
    await applied();
    expect((await lago.http("DELETE", "/coupons/launch")).status).toBe(200);
    expect((await lago.http("GET", "/applied_coupons?external_customer_id=acme")).body.applied_coupons[0]).toMatchObject({ status: "terminated" });
  });
});
