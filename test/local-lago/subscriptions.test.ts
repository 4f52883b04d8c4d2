// lago-api.md §5: subscriptions. Create (with auto-created customers), the three outcomes of a POST
// on an existing external_id, update, terminate/cancel, lookups and lists.
import type { SubscriptionObjectExtended, SubscriptionUpdateInput } from "lago-javascript-client";
import { describe, expect, it } from "vitest";
import { tables } from "../../local-lago/model";
import type { SubscriptionRecord } from "../../local-lago/domain/subscription-lifecycle";
import { createPlainPlan } from "../support/billing-fixtures";
import { notFoundBody, validationBody } from "../support/lago-errors";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const subscribe = (subscription: Record<string, unknown>) => lago.client.subscriptions.createSubscription({ subscription: subscription as any });
/** A PUT body with only the fields it changes: Lago's update is partial (§5.4), the client's type demands ending_at. */
const partialUpdate = (subscription: Partial<SubscriptionUpdateInput["subscription"]>) => ({ subscription }) as SubscriptionUpdateInput;
const find = (externalId: string, status?: "active" | "pending" | "terminated" | "canceled") =>
  lago.client.subscriptions.findSubscription(externalId, status ? { status } : undefined).then((r) => r.data.subscription);

const DAY = 86_400_000;
const isoDaysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** First and last second of the current UTC calendar month. */
function calendarMonth(now = new Date()) {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { first, next, last: new Date(next.getTime() - 1000) };
}
const seconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

describe("§5.2 create", () => {
  it("auto-creates an unknown customer with only its external id, and gives it the plan's currency", async () => {
    await createPlainPlan(lago, "basic", 1000, { currency: "EUR" });
    const { status, data } = await subscribe({ external_customer_id: "new-co", plan_code: "basic", external_id: "new-co-main" });
    expect(status).toBe(200);
    expect(data.subscription).toMatchObject({ external_customer_id: "new-co", plan_code: "basic", plan_amount_cents: 1000, plan_amount_currency: "EUR", status: "active" });
    const customer = (await lago.client.customers.findCustomer("new-co")).data.customer;
    expect(customer).toMatchObject({ external_id: "new-co", currency: "EUR", name: null, lago_id: data.subscription.lago_customer_id });
  });

  it("answers the §5.7 shape: name \"\", calendar billing, the full plan, the current calendar period", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const { data } = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "acme-main" });
    const sub = data.subscription;
    const month = calendarMonth();
    expect(sub).toMatchObject({
      name: "",
      billing_time: "calendar",
      status: "active",
      previous_plan_code: null,
      next_plan_code: null,
      downgrade_plan_date: null,
      terminated_at: null,
      canceled_at: null,
      ending_at: null,
      trial_ended_at: null,
      on_termination_credit_note: null,
      on_termination_invoice: "generate",
      current_billing_period_ending_at: seconds(month.last),
      entitlements: [],
      applicable_usage_thresholds: [],
      applied_invoice_custom_sections: [],
    });
    expect(sub.plan).toMatchObject({ code: "basic", amount_cents: 1000, charges: [] });
    expect(sub.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // the first period starts when the subscription does
    expect(sub.current_billing_period_started_at).toBe(seconds(new Date(sub.started_at!)));
  });

  it("starts a past subscription_at at once, keeps a future one pending", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const past = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "past", subscription_at: "2024-01-15T10:00:00Z" });
    expect(past.data.subscription).toMatchObject({ status: "active", subscription_at: "2024-01-15T10:00:00Z", started_at: "2024-01-15T10:00:00.000Z" });
    const future = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "future", subscription_at: isoDaysFromNow(5) });
    expect(future.data.subscription).toMatchObject({ status: "pending", started_at: null, current_billing_period_started_at: null, current_billing_period_ending_at: null });
  });

  it("anchors anniversary periods on the subscription day", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const start = new Date(Date.now() - 40 * DAY);
    const { data } = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "anniv", billing_time: "anniversary", subscription_at: start.toISOString() });
    const periodStart = new Date(data.subscription.current_billing_period_started_at!);
    expect(periodStart.getUTCDate()).toBe(Math.min(start.getUTCDate(), new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, 0)).getUTCDate()));
    expect(periodStart.getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(data.subscription.current_billing_period_ending_at!).getTime()).toBeGreaterThan(Date.now());
  });

  it("404 plan_not_found for an unknown plan code", async () => {
    expect(await lagoError(subscribe({ external_customer_id: "acme", plan_code: "nope", external_id: "x" }))).toEqual({ status: 404, body: notFoundBody("plan_not_found") });
  });

  it("validates dates, billing_time and mandatory ids", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const post = (extra: Record<string, unknown>) => lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "x", ...extra } });
    expect(await post({ subscription_at: "next tuesday" })).toMatchObject({ status: 422, body: validationBody({ subscription_at: ["invalid_date"] }) });
    expect(await post({ ending_at: "2020-01-01T00:00:00Z" })).toMatchObject({ status: 422, body: validationBody({ ending_at: ["invalid_date"] }) });
    expect(await post({ subscription_at: isoDaysFromNow(30), ending_at: isoDaysFromNow(10) })).toMatchObject({ status: 422, body: validationBody({ ending_at: ["invalid_date"] }) });
    expect(await post({ billing_time: "weekly" })).toMatchObject({ status: 422, body: validationBody({ billing_time: ["value_is_invalid"] }) });
    expect(await post({ external_customer_id: "" })).toMatchObject({ status: 422, body: validationBody({ external_customer_id: ["value_is_mandatory"] }) });
    expect(await post({ external_id: " " })).toMatchObject({ status: 422, body: validationBody({ external_id: ["value_is_mandatory"] }) });
    const ok = await post({ ending_at: isoDaysFromNow(60) });
    expect(ok.body.subscription.ending_at).toBe(seconds(new Date(ok.body.subscription.ending_at)));
  });

  it("refuses a plan in another currency than the customer's: currencies_does_not_match", async () => {
    await createPlainPlan(lago, "basic", 1000, { currency: "USD" });
    await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "EUR" } as any });
    expect(await lagoError(subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "x" }))).toEqual({
      status: 422,
      body: validationBody({ currency: ["currencies_does_not_match"] }),
    });
  });

  it("plan_overrides are premium: 403 feature_unavailable without it", async () => {
    await createPlainPlan(lago, "basic", 1000);
    lago.server.lago.premium = false;
    try {
      const res = await lago.http("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "basic", external_id: "x", plan_overrides: { amount_cents: 10 } } });
      expect(res).toMatchObject({ status: 403, body: { status: 403, error: "Forbidden", code: "feature_unavailable" } });
    } finally {
      lago.server.lago.premium = true;
    }
  });

  it("with premium, plan_overrides put the subscription on a child plan with the same code", async () => {
    const basic = await createPlainPlan(lago, "basic", 1000);
    const { data } = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "x", plan_overrides: { amount_cents: 700, name: "Basic (deal)" } });
    expect(data.subscription).toMatchObject({ plan_code: "basic", plan_amount_cents: 700 });
    expect(data.subscription.plan).toMatchObject({ code: "basic", parent_id: basic.lago_id, amount_cents: 700, name: "Basic (deal)" });
    expect((await lago.client.plans.findPlan("basic")).data.plan.amount_cents).toBe(1000);
  });
});

describe("§5.3 POST on an existing external_id", () => {
  it("same plan: returns the existing subscription unchanged (other fields are not updated)", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const first = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "acme-main", name: "Main" });
    const again = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "acme-main", name: "Renamed" });
    expect(again.data.subscription).toMatchObject({ lago_id: first.data.subscription.lago_id, name: "Main", status: "active" });
  });

  it("upgrade: the old one is terminated now, a new lago_id is active with previous_plan_code", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    const basic = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "acme-main" })).data.subscription;
    const pro = (await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "acme-main" })).data.subscription;
    expect(pro).toMatchObject({ status: "active", plan_code: "pro", previous_plan_code: "basic", next_plan_code: null, external_id: "acme-main" });
    expect(pro.lago_id).not.toBe(basic.lago_id);
    const old = await find("acme-main", "terminated");
    expect(old).toMatchObject({ lago_id: basic.lago_id, status: "terminated", next_plan_code: "pro" });
    expect(old.terminated_at).not.toBeNull();
    expect((await find("acme-main")).lago_id).toBe(pro.lago_id);
  });

  it("an equal yearly amount counts as an upgrade (weekly 1000 × 52 vs yearly 52000)", async () => {
    await createPlainPlan(lago, "weekly", 1000, { interval: "weekly" });
    await createPlainPlan(lago, "yearly", 52000, { interval: "yearly" });
    await subscribe({ external_customer_id: "acme", plan_code: "weekly", external_id: "s" });
    const res = (await subscribe({ external_customer_id: "acme", plan_code: "yearly", external_id: "s" })).data.subscription;
    expect(res).toMatchObject({ plan_code: "yearly", previous_plan_code: "weekly", status: "active" });
  });

  it("downgrade: a pending successor waits for the period end; the answer is the current subscription", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    const pro = (await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "acme-main" })).data.subscription;
    const res = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "acme-main" })).data.subscription;
    const { next } = calendarMonth();
    expect(res).toMatchObject({ lago_id: pro.lago_id, plan_code: "pro", status: "active", next_plan_code: "basic", downgrade_plan_date: next.toISOString().slice(0, 10) });
    const pending = await find("acme-main", "pending");
    expect(pending).toMatchObject({ plan_code: "basic", status: "pending", previous_plan_code: "pro", started_at: null });
    expect(pending.lago_id).not.toBe(pro.lago_id);
  });

  it("a second downgrade replaces the first pending one (canceled)", async () => {
    await createPlainPlan(lago, "free", 0);
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" });
    const toBasic = await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    const firstPending = await find("s", "pending");
    const toFree = await subscribe({ external_customer_id: "acme", plan_code: "free", external_id: "s" });
    expect([toBasic.data.subscription.next_plan_code, toFree.data.subscription.next_plan_code]).toEqual(["basic", "free"]);
    expect(await find("s", "canceled")).toMatchObject({ lago_id: firstPending.lago_id, plan_code: "basic" });
    expect((await find("s", "pending")).plan_code).toBe("free");
  });

  it("a future-pending subscription swaps its plan in place", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    const later = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", subscription_at: isoDaysFromNow(7) })).data.subscription;
    const swapped = (await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" })).data.subscription;
    expect(swapped).toMatchObject({ lago_id: later.lago_id, plan_code: "pro", status: "pending", previous_plan_code: null });
  });

  it("another customer's active external_id: 422 external_id value_already_exist", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "shared" });
    expect(await lagoError(subscribe({ external_customer_id: "globex", plan_code: "basic", external_id: "shared" }))).toEqual({
      status: 422,
      body: validationBody({ external_id: ["value_already_exist"] }),
    });
  });

  it("an external_id is reusable once its subscription is terminated", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const first = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" })).data.subscription;
    await lago.client.subscriptions.destroySubscription("s");
    const again = (await subscribe({ external_customer_id: "globex", plan_code: "basic", external_id: "s" })).data.subscription;
    expect(again.lago_id).not.toBe(first.lago_id);
    expect(again.external_customer_id).toBe("globex");
  });

  it("an incomplete subscription with that external_id: 422 subscription_incomplete", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const sub = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" })).data.subscription;
    // No API call makes a subscription incomplete without payment activation rules: set the state directly.
    const store = lago.server.lago.store;
    store.transaction(() => {
      const rows = tables(store).subscriptions;
      rows.put({ ...(rows.get(sub.lago_id) as SubscriptionRecord), status: "incomplete" });
    });
    expect(await lagoError(subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" }))).toEqual({
      status: 422,
      body: validationBody({ subscription: ["subscription_incomplete"] }),
    });
    expect(await lago.http("PUT", "/subscriptions/s", { subscription: { name: "x" } })).toMatchObject({
      status: 405,
      body: { status: 405, error: "Method Not Allowed", code: "subscription_incomplete" },
    });
  });
});

describe("§5.4 update", () => {
  it("changes name and ending_at; the plan cannot change through PUT", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    const ending = isoDaysFromNow(90);
    const { data } = await lago.client.subscriptions.updateSubscription("s", { subscription: { name: "Renamed", ending_at: ending, plan_code: "pro" } as any });
    expect(data.subscription).toMatchObject({ name: "Renamed", ending_at: seconds(new Date(ending)), plan_code: "basic" });
    // Lago's PUT answer carries the plan (§5.7); the client types it as the list item, which has none.
    expect((data.subscription as SubscriptionObjectExtended).plan!.code).toBe("basic");
  });

  it("?status=pending selects the pending one among several; moving its start to the past activates it", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", subscription_at: isoDaysFromNow(3) });
    await lago.client.subscriptions.destroySubscription("s", { status: "pending" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", subscription_at: isoDaysFromNow(5) });
    const { data } = await lago.client.subscriptions.updateSubscription("s", partialUpdate({ subscription_at: "2024-03-01T00:00:00Z" }), { status: "pending" });
    expect(data.subscription).toMatchObject({ status: "active", subscription_at: "2024-03-01T00:00:00Z", started_at: "2024-03-01T00:00:00.000Z" });
  });

  it("validates like create: ending_at invalid_date, on_termination_invoice invalid_value", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    expect(await lago.http("PUT", "/subscriptions/s", { subscription: { ending_at: "2020-01-01T00:00:00Z" } })).toMatchObject({ status: 422, body: validationBody({ ending_at: ["invalid_date"] }) });
    expect(await lago.http("PUT", "/subscriptions/s", { subscription: { on_termination_invoice: "later" } })).toMatchObject({
      status: 422,
      body: validationBody({ on_termination_invoice: ["invalid_value"] }),
    });
  });

  it("404 subscription_not_found for an unknown external id", async () => {
    expect(await lagoError(lago.client.subscriptions.updateSubscription("nope", partialUpdate({ name: "x" })))).toEqual({ status: 404, body: notFoundBody("subscription_not_found") });
  });
});

describe("§5.6 terminate and cancel", () => {
  it("DELETE terminates the active one; GET then needs ?status=terminated", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const sub = (await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" })).data.subscription;
    const { status, data } = await lago.client.subscriptions.destroySubscription("s");
    expect(status).toBe(200);
    expect(data.subscription).toMatchObject({ lago_id: sub.lago_id, status: "terminated", on_termination_invoice: "generate", on_termination_credit_note: null });
    expect(data.subscription.terminated_at).toMatch(/Z$/);
    // render_subscription's default includes (subscriptions_controller.rb): the plan and the custom sections.
    expect(data.subscription).toMatchObject({ plan: { code: "basic" }, applied_invoice_custom_sections: [] });
    expect(await lagoError(lago.client.subscriptions.findSubscription("s"))).toEqual({ status: 404, body: notFoundBody("subscription_not_found") });
    expect((await find("s", "terminated")).lago_id).toBe(sub.lago_id);
    expect(await lagoError(lago.client.subscriptions.destroySubscription("s"))).toEqual({ status: 404, body: notFoundBody("subscription_not_found") });
  });

  it("records the credit-note action (default credit) for plans paid in advance", async () => {
    await createPlainPlan(lago, "advance", 1000, { payInAdvance: true });
    await subscribe({ external_customer_id: "acme", plan_code: "advance", external_id: "a" });
    await subscribe({ external_customer_id: "acme", plan_code: "advance", external_id: "b" });
    expect((await lago.client.subscriptions.destroySubscription("a")).data.subscription.on_termination_credit_note).toBe("credit");
    const b = await lago.client.subscriptions.destroySubscription("b", { on_termination_credit_note: "skip", on_termination_invoice: "skip" } as any);
    expect(b.data.subscription).toMatchObject({ on_termination_credit_note: "skip", on_termination_invoice: "skip" });
  });

  it("?status=pending cancels a pending one; terminating the active one cancels its pending downgrade", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "later", subscription_at: isoDaysFromNow(3) });
    const canceled = (await lago.client.subscriptions.destroySubscription("later", { status: "pending" })).data.subscription;
    expect(canceled).toMatchObject({ status: "canceled", terminated_at: null });
    expect(canceled.canceled_at).toMatch(/Z$/);

    await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    await lago.client.subscriptions.destroySubscription("s");
    expect(await find("s", "canceled")).toMatchObject({ plan_code: "basic", status: "canceled" });
  });
});

describe("§5.1 lists and lookups", () => {
  it("lists only active subscriptions by default; status[] selects others; list items carry no plan", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "a", subscription_at: "2024-01-01T00:00:00Z" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "b", subscription_at: "2024-02-01T00:00:00Z" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "later", subscription_at: isoDaysFromNow(4) });
    await lago.client.subscriptions.destroySubscription("a");

    const active = await lago.client.subscriptions.findAllSubscriptions();
    expect(active.data.subscriptions.map((s) => s.external_id)).toEqual(["b"]);
    expect(active.data.subscriptions[0]).not.toHaveProperty("plan");
    const several = await lago.client.subscriptions.findAllSubscriptions({ "status[]": ["pending", "terminated", "active"] });
    // newest subscription date first
    expect(several.data.subscriptions.map((s) => s.external_id)).toEqual(["later", "b", "a"]);
    expect(several.data.meta).toMatchObject({ total_count: 3, current_page: 1 });
  });

  it("filters by customer and plan; GET /customers/{id}/subscriptions lists one customer's", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "a" });
    await subscribe({ external_customer_id: "globex", plan_code: "pro", external_id: "g" });
    expect((await lago.client.subscriptions.findAllSubscriptions({ external_customer_id: "globex" })).data.subscriptions.map((s) => s.external_id)).toEqual(["g"]);
    expect((await lago.client.subscriptions.findAllSubscriptions({ plan_code: "basic" })).data.subscriptions.map((s) => s.external_id)).toEqual(["a"]);
    const mine = await lago.client.customers.findAllCustomerSubscriptions("acme");
    expect(mine.data.subscriptions.map((s) => s.external_id)).toEqual(["a"]);
    expect(await lagoError(lago.client.customers.findAllCustomerSubscriptions("nobody"))).toEqual({ status: 404, body: notFoundBody("customer_not_found") });
  });
});

describe("§5.3, §5.4 what happens as time passes", () => {
  /** Runs `work` with the local Lago's clock moved to `at`. */
  async function at<T>(instant: Date, work: () => Promise<T>): Promise<T> {
    const context = lago.server.lago;
    const realClock = context.now;
    context.now = () => instant;
    try {
      return await work();
    } finally {
      context.now = realClock;
    }
  }

  it("a future subscription becomes active on its day", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const startAt = new Date(Date.now() + 2 * DAY);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", subscription_at: startAt.toISOString() });
    const later = await at(new Date(startAt.getTime() + DAY), () => find("s"));
    expect(later).toMatchObject({ status: "active", started_at: startAt.toISOString() });
  });

  it("a pending downgrade takes over when the period it was asked in ends", async () => {
    await createPlainPlan(lago, "basic", 1000);
    await createPlainPlan(lago, "pro", 5000);
    await subscribe({ external_customer_id: "acme", plan_code: "pro", external_id: "s" });
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s" });
    const { next, last } = calendarMonth();
    const active = await at(new Date(next.getTime() + 3_600_000), () => find("s"));
    expect(active).toMatchObject({ plan_code: "basic", previous_plan_code: "pro", started_at: new Date(last.getTime() + 1000).toISOString() });
    const old = await find("s", "terminated");
    expect(old).toMatchObject({ plan_code: "pro", terminated_at: seconds(last), next_plan_code: "basic" });
  });

  it("a subscription past its ending_at is terminated at that time", async () => {
    await createPlainPlan(lago, "basic", 1000);
    const endingAt = new Date(Date.now() + 10 * DAY);
    await subscribe({ external_customer_id: "acme", plan_code: "basic", external_id: "s", ending_at: endingAt.toISOString() });
    await at(new Date(endingAt.getTime() + DAY), async () => {
      expect(await lagoError(lago.client.subscriptions.findSubscription("s"))).toEqual({ status: 404, body: notFoundBody("subscription_not_found") });
      expect(await find("s", "terminated")).toMatchObject({ terminated_at: seconds(endingAt) });
    });
  });
});
