// Subscription args (lago-api.md §5.2), the bodies sent and the comparable form (§5.3–5.4). Pure.
import { describe, expect, it } from "vitest";
import { sameCanonical } from "../../provider/canonical";
import { normalize, outputs, toArgs, toWire, type LagoSubscription } from "../../provider/kinds/subscription/payload";
import { subscriptionSchema } from "../../provider/kinds/subscription/schema";
import { checkFailures } from "../../provider/schema";

const messages = (input: Record<string, unknown>) => checkFailures(subscriptionSchema, input).map((f) => f.reason);

const args = { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" };

/** Lago's subscription object (§5.7) for `args`. */
const lagoSub = (overrides: Partial<LagoSubscription> = {}): LagoSubscription => ({
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
  trial_ended_at: null,
  current_billing_period_started_at: null,
  current_billing_period_ending_at: null,
  on_termination_credit_note: null,
  on_termination_invoice: "generate",
  consolidate_invoice: false,
  ...overrides,
});

/** Does Lago's object satisfy these args, the way diff and the post-write check compare? */
const satisfies = (a: Record<string, unknown>, remote: LagoSubscription) => {
  const held: Record<string, unknown> = toArgs(remote);
  return sameCanonical(normalize(Object.fromEntries(Object.keys(a).map((k) => [k, held[k]]))), normalize(a));
};

describe("§5.2 subscription args", () => {
  it("accepts the Segment subscription and names missing references", () => {
    expect(messages(args)).toEqual([]);
    expect(messages({ externalId: "a/b", externalCustomerId: " ", planCode: "" })).toEqual([
      'externalId must not contain "/": Lago uses it in URL paths',
      "externalCustomerId must not be blank (the customer's external id, or pass customer: a Customer resource)",
      "planCode must not be blank (the plan code, or pass plan: a Plan resource)",
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

  it("sends only the arguments in play", () => {
    expect(toWire({ ...args, billingTime: "anniversary" })).toEqual({ external_id: "acme-main", external_customer_id: "acme", plan_code: "team", billing_time: "anniversary" });
    expect(toWire({ ...args, name: null, endingAt: null }, ["name", "endingAt"])).toEqual({ name: "", ending_at: null });
  });
});

describe("§5.3–5.7 comparing with Lago's subscription", () => {
  it("finds Lago's answer equal to the args, defaults and date spellings included", () => {
    expect(satisfies(args, lagoSub())).toBe(true);
    expect(satisfies({ ...args, name: "", billingTime: "calendar", subscriptionAt: "2024-05-01" }, lagoSub())).toBe(true);
    expect(satisfies({ ...args, endingAt: "2030-01-01T02:00:00+02:00" }, lagoSub({ ending_at: "2030-01-01T00:00:00Z" }))).toBe(true);
  });

  it("counts a pending downgrade to the asked plan as that plan, and shows where billing really is", () => {
    const downgrading = lagoSub({ next_plan_code: "free", downgrade_plan_date: "2024-06-01" });
    expect(satisfies({ ...args, planCode: "free" }, downgrading)).toBe(true);
    // Back to the current plan while a downgrade waits: still a change (the pending one must go).
    expect(satisfies(args, downgrading)).toBe(false);
    expect(outputs(downgrading)).toMatchObject({ lagoId: "s-1", status: "active", currentPlanCode: "team", nextPlanCode: "free", downgradePlanDate: "2024-06-01" });
  });

  it("sees name, end date, customer and billing time changes", () => {
    expect(satisfies({ ...args, name: "Main" }, lagoSub())).toBe(false);
    expect(satisfies({ ...args, endingAt: "2030-01-01T00:00:00Z" }, lagoSub())).toBe(false);
    expect(satisfies({ ...args, externalCustomerId: "other" }, lagoSub())).toBe(false);
    expect(satisfies({ ...args, billingTime: "anniversary" }, lagoSub())).toBe(false);
  });
});
