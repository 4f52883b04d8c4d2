// Subscription args (lago-api.md §5.2) and how differences map to POST, PUT or replace (§5.3–5.4). Pure.
import { describe, expect, it } from "vitest";
import { createRequest, subscriptionChanges, subscriptionFromLago, updateRequest } from "../../provider/kinds/subscription/payload";
import { subscriptionSchema } from "../../provider/kinds/subscription/schema";

const messages = (input: unknown) => {
  const result = subscriptionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`.trim());
};

const args = { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" };

/** Lago's subscription object (§5.7) for `args`. */
const lagoSub = (overrides: Record<string, unknown> = {}) =>
  subscriptionFromLago({
    lago_id: "s-1",
    external_id: "acme-main",
    lago_customer_id: "c-1",
    external_customer_id: "acme",
    name: "",
    plan_code: "team",
    status: "active",
    billing_time: "calendar",
    subscription_at: "2024-05-01T00:00:00Z",
    started_at: "2024-05-01T00:00:00.000Z",
    ending_at: null,
    terminated_at: null,
    canceled_at: null,
    created_at: "2024-05-01T00:00:00Z",
    previous_plan_code: null,
    next_plan_code: null,
    downgrade_plan_date: null,
    ...overrides,
  });

describe("§5.2 subscription args", () => {
  it("accepts the Segment subscription and names missing references", () => {
    expect(messages(args)).toEqual([]);
    expect(messages({ externalId: "a/b", externalCustomerId: " ", planCode: "" })).toEqual([
      'externalId must not contain "/": Lago uses it in URL paths',
      "externalCustomerId is required: the customer's external id (or pass customer: a Customer resource)",
      "planCode is required: the plan code (or pass plan: a Plan resource)",
    ]);
  });

  it("checks billing time, ISO dates and their order", () => {
    expect(messages({ ...args, billingTime: "monthly", subscriptionAt: "tomorrow" })).toEqual([
      "billingTime must be one of calendar, anniversary",
      'subscriptionAt must be an ISO 8601 date-time such as "2025-01-01T00:00:00Z"',
    ]);
    expect(messages({ ...args, subscriptionAt: "2030-01-01", endingAt: "2029-12-31T00:00:00Z" })).toEqual(["endingAt must be after subscriptionAt (2030-01-01)"]);
    expect(messages({ ...args, subscriptionAt: "2030-01-01", endingAt: "2030-02-01T00:00:00+02:00" })).toEqual([]);
  });

  it("sends only what was set on create, and name/ending_at on every PUT", () => {
    expect(createRequest({ ...args, billingTime: "anniversary" })).toEqual({ external_id: "acme-main", external_customer_id: "acme", plan_code: "team", billing_time: "anniversary" });
    expect(updateRequest({ ...args, name: "Main" }, lagoSub())).toEqual({ name: "Main", ending_at: null });
    expect(updateRequest({ ...args, subscriptionAt: "2030-01-01" }, lagoSub({ status: "pending" }))).toEqual({ name: "", ending_at: null, subscription_at: "2030-01-01" });
  });
});

describe("§5.3–5.4 what a difference means", () => {
  it("sees no change between the args and Lago's answer, defaults included", () => {
    expect(subscriptionChanges(args, lagoSub())).toEqual({ replaces: [], updates: [] });
    expect(subscriptionChanges({ ...args, subscriptionAt: "2024-05-01" }, lagoSub())).toEqual({ replaces: [], updates: [] });
  });

  it("changes the plan in place; a pending downgrade to the desired plan is no change", () => {
    expect(subscriptionChanges({ ...args, planCode: "free" }, lagoSub())).toEqual({ replaces: [], updates: ["planCode"] });
    expect(subscriptionChanges({ ...args, planCode: "free" }, lagoSub({ next_plan_code: "free", downgrade_plan_date: "2024-06-01" }))).toEqual({ replaces: [], updates: [] });
    // Back to the current plan while a downgrade waits: the downgrade must go.
    expect(subscriptionChanges(args, lagoSub({ next_plan_code: "free" }))).toEqual({ replaces: [], updates: ["planCode"] });
  });

  it("replaces for customer, billing time and the start of a started subscription", () => {
    expect(subscriptionChanges({ ...args, externalCustomerId: "other", billingTime: "anniversary", subscriptionAt: "2024-06-01" }, lagoSub())).toEqual({
      replaces: ["externalCustomerId", "billingTime", "subscriptionAt"],
      updates: [],
    });
    expect(subscriptionChanges({ ...args, subscriptionAt: "2031-01-01" }, lagoSub({ status: "pending", subscription_at: "2030-01-01T00:00:00Z" }))).toEqual({
      replaces: [],
      updates: ["subscriptionAt"],
    });
  });

  it("updates name and endingAt by PUT", () => {
    expect(subscriptionChanges({ ...args, name: "Main", endingAt: "2030-01-01T00:00:00Z" }, lagoSub())).toEqual({ replaces: [], updates: ["name", "endingAt"] });
  });
});
