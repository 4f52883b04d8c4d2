// Bad Subscription specs (lago-api.md §1.5, §5.2).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "subscription", args: { externalId: "acme-main", externalCustomerId: "acme", planCode: "team" } };

const sub = (args: Record<string, unknown>): Record<string, unknown> => ({ ...base.args, ...args });
const row = (name: string, args: Record<string, unknown>, property: string, reason: string): BadInputRow => ({
  name,
  kind: "subscription",
  args,
  failure: { property, reason: property ? `${property} ${reason}` : reason },
});

export const rows: BadInputRow[] = [
  row("external id with a slash", sub({ externalId: "acme/main" }), "externalId", 'must not contain "/": Lago uses it in URL paths'),
  row("no plan", sub({ planCode: undefined }), "planCode", "is required (the plan code, or pass plan: a Plan resource)"),
  row("blank customer", sub({ externalCustomerId: "" }), "externalCustomerId", "must not be blank (the customer's external id, or pass customer: a Customer resource)"),
  row("monthly billing time", sub({ billingTime: "monthly" }), "billingTime", "must be one of calendar, anniversary"),
  row("start date in words", sub({ subscriptionAt: "next monday" }), "subscriptionAt", 'must be an ISO 8601 date-time such as "2025-01-01T00:00:00Z"'),
  row("ends before it starts", sub({ subscriptionAt: "2030-01-01T00:00:00Z", endingAt: "2029-12-31T00:00:00Z" }), "endingAt", "must be after subscriptionAt (2030-01-01T00:00:00Z)"),
  row("Lago's field name instead of the argument", sub({ plan_code: "team" }), "", "plan_code does not apply to a subscription"),
];
