// A pricing catalog: the metrics, plans, customers and subscriptions of a Lago account as reviewable data.
// Each entry is exactly the arguments of the matching resource (camelCase), checked by that kind's own
// schema (made strict where the kind's is not), so the catalog and the program are one mental model. What only a catalog can check lives here:
// unknown keys (a typo would otherwise vanish), unique codes, and references between entries.
import { z } from "zod";
import { billableMetricSchema } from "../kinds/billable-metric/schema";
import { customerSchema } from "../kinds/customer/schema";
import { planSchema } from "../kinds/plan/schema";
import { subscriptionSchema } from "../kinds/subscription/schema";

export const SECTIONS = ["metrics", "plans", "customers", "subscriptions"] as const;
export type Section = (typeof SECTIONS)[number];

const section = <T extends z.ZodType>(entry: T, what: string) =>
  z.array(entry, { error: `must be a list of ${what} (each item starts with "- ")` }).default([]);

export const catalogSchema = z
  .strictObject(
    {
      metrics: section(billableMetricSchema.strict(), "billable metrics"),
      plans: section(planSchema, "plans"),
      customers: section(customerSchema.strict(), "customers"),
      subscriptions: section(subscriptionSchema, "subscriptions"),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `${issue.keys.join(", ")}: a catalog holds only the sections ${SECTIONS.join(", ")}`
          : issue.code === "invalid_type"
            ? `a catalog is a YAML mapping with the sections ${SECTIONS.join(", ")}`
            : undefined,
    },
  )
  .superRefine((catalog, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

    uniqueBy(catalog.metrics, (m) => m.code, (i, first, code) => issue(["metrics", i, "code"], `duplicates metrics[${first}].code ("${code}"): codes are unique`));
    uniqueBy(catalog.plans, (p) => p.code, (i, first, code) => issue(["plans", i, "code"], `duplicates plans[${first}].code ("${code}"): codes are unique`));
    uniqueBy(catalog.customers, (c) => c.externalId, (i, first, id) => issue(["customers", i, "externalId"], `duplicates customers[${first}].externalId ("${id}")`));
    uniqueBy(catalog.subscriptions, (s) => s.externalId, (i, first, id) => issue(["subscriptions", i, "externalId"], `duplicates subscriptions[${first}].externalId ("${id}")`));

    const metricCodes = catalog.metrics.map((m) => m.code);
    catalog.plans.forEach((plan, p) =>
      (plan.charges ?? []).forEach((charge, c) => {
        const at = ["plans", p, "charges", c];
        if (charge.billableMetric !== undefined)
          issue([...at, "billableMetric"], "is not used in a catalog: name the metric with billableMetricCode (the code of an entry under metrics)");
        const code = charge.billableMetricCode;
        if (code !== undefined && !metricCodes.includes(code))
          issue([...at, "billableMetricCode"], `"${code}" is not a metric of this catalog (${listed("metrics", metricCodes)}): add it under metrics or fix the code`);
      }),
    );

    const plans = new Map(catalog.plans.map((p) => [p.code, p]));
    const customers = new Map(catalog.customers.map((c) => [c.externalId, c]));
    catalog.subscriptions.forEach((sub, s) => {
      const plan = plans.get(sub.planCode);
      const customer = customers.get(sub.externalCustomerId);
      if (!plan) issue(["subscriptions", s, "planCode"], `"${sub.planCode}" is not a plan of this catalog (${listed("plans", [...plans.keys()])}): add it under plans or fix the code`);
      // Lago would create a bare customer for an unknown id (§5.2); a catalog must say who it bills.
      if (!customer)
        issue(
          ["subscriptions", s, "externalCustomerId"],
          `"${sub.externalCustomerId}" is not a customer of this catalog (${listed("customers", [...customers.keys()])}): add it under customers or fix the id`,
        );
      if (plan && customer?.currency && customer.currency !== plan.amountCurrency)
        issue(
          ["subscriptions", s, "planCode"],
          `bills in ${plan.amountCurrency} but customer "${customer.externalId}" pays in ${customer.currency} (Lago: currencies_does_not_match): align the currencies`,
        );
    });
  });

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogMetric = Catalog["metrics"][number];
export type CatalogPlan = Catalog["plans"][number];
export type CatalogCustomer = Catalog["customers"][number];
export type CatalogSubscription = Catalog["subscriptions"][number];

function uniqueBy<T>(items: readonly T[], key: (item: T) => string, report: (index: number, first: number, key: string) => void): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else report(i, seen, k);
  });
}

const listed = (what: string, keys: string[]) => (keys.length ? `declared: ${keys.join(", ")}` : `no ${what} are declared`);
