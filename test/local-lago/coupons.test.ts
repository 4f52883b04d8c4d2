// lago-api.md §7: coupons and applied coupons.
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notAllowed, notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });

const tenPercent = { name: "Ten percent", code: "ten", coupon_type: "percentage", percentage_rate: "10", frequency: "forever", expiration: "no_expiration" } as const;
const fiveOff = { name: "Five off", code: "five", coupon_type: "fixed_amount", amount_cents: 500, amount_currency: "USD", frequency: "once", expiration: "no_expiration" } as const;

const createCoupon = (coupon: Record<string, unknown>) => lago.http("POST", "/coupons", { coupon });
const updateCoupon = (code: string, coupon: Record<string, unknown>) => lago.http("PUT", `/coupons/${code}`, { coupon });
const apply = (applied_coupon: Record<string, unknown>) => lago.http("POST", "/applied_coupons", { applied_coupon });
const outcome = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });

async function customer(external_id: string, currency?: string) {
  const res = await lago.http("POST", "/customers", { customer: { external_id, name: external_id, ...(currency ? { currency } : {}) } });
  expect(res.status).toBe(200);
  return res.body.customer as { lago_id: string; currency: string | null };
}

async function metric(code: string) {
  const { data } = await lago.client.billableMetrics.createBillableMetric({ billable_metric: { name: code, code, aggregation_type: "count_agg" } as never });
  return data.billable_metric.lago_id;
}

async function plan(code: string, metricIds: string[] = []) {
  const res = await lago.http("POST", "/plans", {
    plan: {
      name: code,
      code,
      interval: "monthly",
      amount_cents: 1000,
      amount_currency: "USD",
      pay_in_advance: false,
      charges: metricIds.map((billable_metric_id) => ({ billable_metric_id, charge_model: "standard", properties: { amount: "1" } })),
    },
  });
  expect(res.status).toBe(200);
}

describe("§7 create", () => {
  it("creates a percentage coupon: rate back as a decimal string, reusable by default, no limits", async () => {
    const { status, data } = await lago.client.coupons.createCoupon({ coupon: { ...tenPercent, description: "Launch" } as never });
    expect(status).toBe(200);
    expect(data.coupon).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Ten percent",
      code: "ten",
      description: "Launch",
      coupon_type: "percentage",
      amount_cents: null,
      amount_currency: null,
      percentage_rate: "10.0",
      frequency: "forever",
      frequency_duration: null,
      reusable: true,
      limited_plans: false,
      limited_billable_metrics: false,
      plan_codes: [],
      billable_metric_codes: [],
      created_at: expect.stringMatching(/Z$/),
      expiration: "no_expiration",
      expiration_at: null,
      terminated_at: null,
    });
  });

  it("keeps five decimals of the rate and takes a number too", async () => {
    const res = await createCoupon({ ...tenPercent, percentage_rate: 12.345678 });
    expect(res.body.coupon.percentage_rate).toBe("12.34568");
  });

  it("creates a recurring fixed-amount coupon with an expiry date", async () => {
    const res = await createCoupon({ ...fiveOff, frequency: "recurring", frequency_duration: 3, expiration: "time_limit", expiration_at: "2099-12-31T23:59:59Z", reusable: false });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toMatchObject({ amount_cents: 500, amount_currency: "USD", percentage_rate: null, frequency_duration: 3, expiration_at: "2099-12-31T23:59:59Z", reusable: false });
  });

  it("requires the amount and currency of a fixed coupon and the duration of a recurring one", async () => {
    const res = await createCoupon({ name: "F", code: "f", coupon_type: "fixed_amount", frequency: "recurring", expiration: "no_expiration" });
    expect(outcome(res)).toEqual(
      unprocessable({ amount_cents: ["value_is_mandatory"], amount_currency: ["value_is_mandatory"], frequency_duration: ["value_is_mandatory", "is not a number"] }),
    );
  });

  it("requires the rate of a percentage coupon and checks ranges and the currency list", async () => {
    const missing = await createCoupon({ ...tenPercent, percentage_rate: undefined });
    expect(outcome(missing)).toEqual(unprocessable({ percentage_rate: ["value_is_mandatory"] }));
    const ranges = await createCoupon({ ...fiveOff, amount_cents: 0, amount_currency: "usd", frequency: "recurring", frequency_duration: 0 });
    expect(outcome(ranges)).toEqual(
      unprocessable({ amount_cents: ["value_is_out_of_range"], amount_currency: ["value_is_invalid"], frequency_duration: ["value_is_out_of_range"] }),
    );
  });

  it("answers value_is_invalid for unknown or missing enums and value_is_reserved for reusable null", async () => {
    const res = await createCoupon({ name: "X", code: "x", coupon_type: "gift", frequency: "daily", reusable: null });
    expect(outcome(res)).toEqual(
      unprocessable({ expiration: ["value_is_invalid"], coupon_type: ["value_is_invalid"], frequency: ["value_is_invalid"], reusable: ["value_is_reserved"] }),
    );
  });

  it("checks expiration_at first: a past or unreadable date is invalid_date alone", async () => {
    for (const expiration_at of ["2001-01-01", "next week", "2099-02-30"]) {
      const res = await createCoupon({ code: "x", expiration: "time_limit", expiration_at });
      expect({ expiration_at, ...outcome(res) }).toEqual({ expiration_at, ...unprocessable({ expiration_at: ["invalid_date"] }) });
    }
  });

  it("raises (500) when expiration is not text, like Lago", async () => {
    const res = await createCoupon({ ...tenPercent, expiration: 1 });
    expect(outcome(res)).toEqual({ status: 500, body: { status: 500, error: "Internal Server Error" } });
  });

  it("refuses a live duplicate code, frees it on delete", async () => {
    await createCoupon(tenPercent);
    expect(outcome(await createCoupon(tenPercent))).toEqual(unprocessable({ code: ["value_already_exist"] }));
    await lago.client.coupons.destroyCoupon("ten");
    expect((await createCoupon(tenPercent)).status).toBe(200);
  });
});

describe("§7 applies_to", () => {
  it("limits a coupon to plans or to billable metrics", async () => {
    const mtu = await metric("mtu");
    await plan("team", [mtu]);
    const plans = await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team"] } });
    expect(plans.body.coupon).toMatchObject({ limited_plans: true, limited_billable_metrics: false, plan_codes: ["team"], billable_metric_codes: [] });
    const metrics = await createCoupon({ ...tenPercent, code: "ten-mtu", applies_to: { billable_metric_codes: ["mtu"] } });
    expect(metrics.body.coupon).toMatchObject({ limited_plans: false, limited_billable_metrics: true, plan_codes: [], billable_metric_codes: ["mtu"] });
  });

  it("answers plural 404s for unknown targets and 405 for both kinds", async () => {
    await metric("mtu");
    await plan("team");
    expect(outcome(await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team", "nope"] } }))).toEqual(notFound("plans_not_found"));
    expect(outcome(await createCoupon({ ...tenPercent, applies_to: { billable_metric_codes: ["nope"] } }))).toEqual(notFound("billable_metrics_not_found"));
    expect(outcome(await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team"], billable_metric_codes: ["mtu"] } }))).toEqual(
      notAllowed("only_one_limitation_type_per_coupon_allowed"),
    );
    expect((await lago.client.coupons.findAllCoupons()).data.coupons).toEqual([]);
  });
});

describe("§7 list", () => {
  it("orders active coupons without expiry first, then by expiry date, then newest first", async () => {
    const clock = lago.server.lago;
    const realNow = clock.now;
    try {
      clock.now = () => new Date("2030-01-01T00:00:00Z");
      await createCoupon({ ...tenPercent, code: "late", expiration: "time_limit", expiration_at: "2031-06-01" });
      await createCoupon({ ...tenPercent, code: "old-forever" });
      clock.now = () => new Date("2030-01-02T00:00:00Z");
      await createCoupon({ ...tenPercent, code: "soon", expiration: "time_limit", expiration_at: "2030-06-01" });
      await createCoupon({ ...tenPercent, code: "new-forever" });
    } finally {
      clock.now = realNow;
    }
    const { data } = await lago.client.coupons.findAllCoupons();
    expect(data.coupons.map((c) => c.code)).toEqual(["new-forever", "old-forever", "soon", "late"]);
  });
});

describe("§7 update", () => {
  it("is partial and changes everything while the coupon was never applied", async () => {
    await createCoupon(fiveOff);
    const res = await updateCoupon("five", { code: "seven", amount_cents: 700, reusable: false, description: "more" });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toMatchObject({ name: "Five off", code: "seven", amount_cents: 700, amount_currency: "USD", reusable: false, description: "more" });
    expect(await lagoError(lago.client.coupons.findCoupon("five"))).toEqual(notFound("coupon_not_found"));
  });

  it("replaces targets from applies_to; a list left out clears its targets (Lago reconciles both kinds)", async () => {
    const mtu = await metric("mtu");
    await plan("team", [mtu]);
    await plan("pro");
    await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team"] } });
    const swapped = await updateCoupon("ten", { applies_to: { plan_codes: ["pro"] } });
    expect(swapped.body.coupon).toMatchObject({ limited_plans: true, plan_codes: ["pro"] });
    const toMetrics = await updateCoupon("ten", { applies_to: { billable_metric_codes: ["mtu"] } });
    expect(toMetrics.body.coupon).toMatchObject({ limited_plans: false, plan_codes: [], limited_billable_metrics: true, billable_metric_codes: ["mtu"] });
    const renamed = await updateCoupon("ten", { name: "Renamed" });
    expect(renamed.body.coupon).toMatchObject({ name: "Renamed", limited_billable_metrics: true, billable_metric_codes: [] });
    expect(outcome(await updateCoupon("ten", { applies_to: { plan_codes: ["nope"] } }))).toEqual(notFound("plans_not_found"));
  });

  it("once applied, silently keeps code, type, amounts, frequency, reusable and targets; name and expiry still change", async () => {
    await customer("acme", "USD");
    await plan("team");
    await createCoupon({ ...fiveOff, applies_to: { plan_codes: ["team"] } });
    expect((await apply({ external_customer_id: "acme", coupon_code: "five" })).status).toBe(200);
    const res = await updateCoupon("five", {
      name: "Renamed",
      expiration: "time_limit",
      expiration_at: "2099-01-01",
      code: "other",
      coupon_type: "percentage",
      percentage_rate: "50",
      amount_cents: 1,
      frequency: "forever",
      reusable: false,
      applies_to: { plan_codes: [] },
    });
    expect(res.status).toBe(200);
    expect(res.body.coupon).toMatchObject({
      name: "Renamed",
      expiration: "time_limit",
      expiration_at: "2099-01-01T00:00:00Z",
      code: "five",
      coupon_type: "fixed_amount",
      percentage_rate: null,
      amount_cents: 500,
      frequency: "once",
      reusable: true,
      limited_plans: true,
      plan_codes: ["team"],
    });
  });

  it("reads the body first: no coupon root is a 400 even for an unknown code", async () => {
    const res = await lago.http("PUT", "/coupons/nope", { name: "x" });
    expect(outcome(res)).toEqual({ status: 400, body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: coupon" } });
  });

  it("validates what it applies and answers 404 for an unknown coupon", async () => {
    await createCoupon(tenPercent);
    expect(outcome(await updateCoupon("ten", { name: "" }))).toEqual(unprocessable({ name: ["value_is_mandatory"] }));
    expect(outcome(await updateCoupon("ten", { expiration_at: "2000-01-01" }))).toEqual(unprocessable({ expiration_at: ["invalid_date"] }));
    expect(outcome(await updateCoupon("nope", { name: "x" }))).toEqual(notFound("coupon_not_found"));
  });
});

describe("§7 delete", () => {
  it("soft-deletes, drops the targets and terminates the active applications", async () => {
    await customer("acme", "USD");
    await plan("team");
    await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team"] } });
    const applied = await apply({ external_customer_id: "acme", coupon_code: "ten" });
    const { status, data } = await lago.client.coupons.destroyCoupon("ten");
    expect(status).toBe(200);
    expect(data.coupon).toMatchObject({ code: "ten", plan_codes: [], limited_plans: true });
    expect(await lagoError(lago.client.coupons.findCoupon("ten"))).toEqual(notFound("coupon_not_found"));
    const list = await lago.client.appliedCoupons.findAllAppliedCoupons({ external_customer_id: "acme" });
    expect(list.data.applied_coupons).toHaveLength(1);
    expect(list.data.applied_coupons[0]).toMatchObject({
      lago_id: applied.body.applied_coupon.lago_id,
      status: "terminated",
      terminated_at: expect.stringMatching(/Z$/),
      coupon_deleted_at: expect.stringMatching(/Z$/),
    });
  });
});

describe("§7 applied coupons", () => {
  it("applies a coupon with its values and answers Lago's shape", async () => {
    const acme = await customer("acme");
    await createCoupon(tenPercent);
    const { status, data } = await lago.client.appliedCoupons.applyCoupon({ applied_coupon: { external_customer_id: "acme", coupon_code: "ten" } });
    expect(status).toBe(200);
    expect(data.applied_coupon).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lago_coupon_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      coupon_code: "ten",
      coupon_name: "Ten percent",
      coupon_description: null,
      coupon_status: "active",
      coupon_deleted_at: null,
      lago_customer_id: acme.lago_id,
      external_customer_id: "acme",
      status: "active",
      amount_cents: null,
      amount_cents_remaining: null,
      amount_currency: null,
      percentage_rate: "10.0",
      frequency: "forever",
      frequency_duration: null,
      frequency_duration_remaining: null,
      expiration_at: null,
      created_at: expect.stringMatching(/Z$/),
      terminated_at: null,
    });
  });

  it("lets the application override amount and frequency", async () => {
    await customer("acme", "USD");
    await createCoupon(fiveOff);
    const res = await apply({ external_customer_id: "acme", coupon_code: "five", amount_cents: 250, frequency: "recurring", frequency_duration: 2 });
    expect(res.body.applied_coupon).toMatchObject({ amount_cents: 250, amount_cents_remaining: null, frequency: "recurring", frequency_duration: 2, frequency_duration_remaining: 2 });
    const once = await apply({ external_customer_id: "acme", coupon_code: "five" });
    expect(once.body.applied_coupon).toMatchObject({ amount_cents: 500, amount_cents_remaining: 500, amount_currency: "USD" });
  });

  it("answers 404 customer_not_found, then coupon_not_found", async () => {
    await createCoupon(tenPercent);
    expect(outcome(await apply({ external_customer_id: "ghost", coupon_code: "nope" }))).toEqual(notFound("customer_not_found"));
    await customer("acme");
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "nope" }))).toEqual(notFound("coupon_not_found"));
  });

  it("refuses a second application of a non-reusable coupon, even after termination", async () => {
    await customer("acme");
    await createCoupon({ ...tenPercent, reusable: false });
    const first = await apply({ external_customer_id: "acme", coupon_code: "ten" });
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "ten" }))).toEqual(unprocessable({ coupon: ["coupon_is_not_reusable"] }));
    await lago.client.customers.deleteAppliedCoupon("acme", first.body.applied_coupon.lago_id);
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "ten" }))).toEqual(unprocessable({ coupon: ["coupon_is_not_reusable"] }));
    await customer("other");
    expect((await apply({ external_customer_id: "other", coupon_code: "ten" })).status).toBe(200);
  });

  it("gives a customer without currency the fixed coupon's currency, and refuses another one", async () => {
    await customer("acme");
    await createCoupon(fiveOff);
    expect((await apply({ external_customer_id: "acme", coupon_code: "five" })).status).toBe(200);
    expect((await lago.http("GET", "/customers/acme")).body.customer.currency).toBe("USD");
    await createCoupon({ ...fiveOff, code: "five-eur", amount_currency: "EUR" });
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "five-eur" }))).toEqual(unprocessable({ currency: ["currencies_does_not_match"] }));
  });

  it("refuses (405 plan_overlapping) a second active coupon on the same plan, directly or through a metric", async () => {
    await customer("acme", "USD");
    const mtu = await metric("mtu");
    await plan("team", [mtu]);
    await createCoupon({ ...tenPercent, applies_to: { plan_codes: ["team"] } });
    await createCoupon({ ...tenPercent, code: "ten-again", applies_to: { plan_codes: ["team"] } });
    await createCoupon({ ...tenPercent, code: "ten-mtu", applies_to: { billable_metric_codes: ["mtu"] } });
    await createCoupon({ ...tenPercent, code: "anything" });
    expect((await apply({ external_customer_id: "acme", coupon_code: "ten" })).status).toBe(200);
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "ten-again" }))).toEqual(notAllowed("plan_overlapping"));
    expect(outcome(await apply({ external_customer_id: "acme", coupon_code: "ten-mtu" }))).toEqual(notAllowed("plan_overlapping"));
    expect((await apply({ external_customer_id: "acme", coupon_code: "anything" })).status).toBe(200);
  });

  it("raises (500) for a frequency the applied coupon does not know, like Lago", async () => {
    await customer("acme");
    await createCoupon(tenPercent);
    const res = await apply({ external_customer_id: "acme", coupon_code: "ten", frequency: "weekly" });
    expect(outcome(res)).toEqual({ status: 500, body: { status: 500, error: "Internal Server Error" } });
  });

  it("lists applications newest first with status, customer and coupon filters, and terminates one per customer", async () => {
    await customer("acme");
    await customer("beta");
    await createCoupon(tenPercent);
    await createCoupon({ ...tenPercent, code: "twenty", percentage_rate: "20" });
    const a = (await apply({ external_customer_id: "acme", coupon_code: "ten" })).body.applied_coupon.lago_id;
    await apply({ external_customer_id: "beta", coupon_code: "twenty" });
    const all = await lago.client.appliedCoupons.findAllAppliedCoupons();
    expect(all.data.applied_coupons).toHaveLength(2);
    expect(all.data.applied_coupons[0]).toHaveProperty("credits", []);
    const byCoupon = await lago.http("GET", "/applied_coupons?coupon_code[]=twenty");
    expect(byCoupon.body.applied_coupons.map((x: { external_customer_id: string }) => x.external_customer_id)).toEqual(["beta"]);

    const ended = await lago.client.customers.deleteAppliedCoupon("acme", a);
    expect(ended.data.applied_coupon).toMatchObject({ lago_id: a, status: "terminated" });
    const active = await lago.client.appliedCoupons.findAllAppliedCoupons({ status: "active" });
    expect(active.data.applied_coupons.map((x) => x.external_customer_id)).toEqual(["beta"]);
    const acme = await lago.client.customers.findAllCustomerAppliedCoupons("acme");
    expect(acme.data.applied_coupons.map((x) => x.status)).toEqual(["terminated"]);
    expect(await lagoError(lago.client.customers.deleteAppliedCoupon("beta", a))).toEqual(notFound("applied_coupon_not_found"));
    expect(await lagoError(lago.client.customers.findAllCustomerAppliedCoupons("ghost"))).toEqual(notFound("customer_not_found"));
  });
});
