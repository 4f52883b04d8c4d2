// Conformance of the local Lago's applied coupons with Lago's code (lago-api v1.51.0), for what the AppliedCoupon
// kind relies on, each test naming the Lago file it follows.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../../support/local-lago";

const lago = useLocalLago({ resetEach: true });

async function couponFor(reusable: boolean) {
  await lago.http("POST", "/customers", { customer: { external_id: "acme", currency: "USD" } });
  const coupon = { name: "Launch", code: "launch", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "USD", frequency: "recurring", frequency_duration: 3, expiration: "no_expiration", reusable };
  await lago.http("POST", "/coupons", { coupon });
}
const apply = (overrides: Record<string, unknown> = {}) => lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "launch", ...overrides } });

describe("applied coupons as Lago's code has them", () => {
  it("each override left out takes the coupon's value (applied_coupons/create_service.rb: params[:x] || coupon.x)", async () => {
    await couponFor(true);
    const res = await apply({ amount_cents: 500 });
    expect(res.body.applied_coupon).toMatchObject({ amount_cents: 500, amount_currency: "USD", frequency: "recurring", frequency_duration: 3, frequency_duration_remaining: 3, status: "active" });
  });

  it("a coupon that is not reusable is refused once applied, even after the application ended (create_service.rb reusable_coupon?)", async () => {
    await couponFor(false);
    const first = (await apply()).body.applied_coupon;
    await lago.http("DELETE", `/customers/acme/applied_coupons/${first.lago_id}`);
    const again = await apply();
    expect(again.status).toBe(422);
    expect(again.body.error_details).toEqual({ coupon: ["coupon_is_not_reusable"] });
  });

  it("removing an application terminates it and keeps it listed (applied_coupons/terminate_service.rb)", async () => {
    await couponFor(true);
    const first = (await apply()).body.applied_coupon;
    expect((await lago.http("DELETE", `/customers/acme/applied_coupons/${first.lago_id}`)).status).toBe(200);
    expect((await lago.http("GET", "/applied_coupons?external_customer_id=acme")).body.applied_coupons).toEqual([expect.objectContaining({ lago_id: first.lago_id, status: "terminated" })]);
  });
});
