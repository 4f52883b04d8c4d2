// A pricing catalog: the taxes, metrics, plans, add-ons, coupons, webhook endpoints, customers, subscriptions and
// applied coupons and wallets of a Lago account as reviewable data.
// Each entry is exactly the arguments of the matching resource (camelCase), checked by that kind's own
// schema (made strict where the kind's is not), so the catalog and the program are one mental model. What only a catalog can check lives here:
// unknown keys (a typo would otherwise vanish), unique codes, and references between entries.
import { z } from "zod";
import { addOnSchema } from "../kinds/add-on/schema";
import { appliedCouponSchema } from "../kinds/applied-coupon/schema";
import { billableMetricSchema } from "../kinds/billable-metric/schema";
import { couponSchema } from "../kinds/coupon/schema";
import { customerSchema } from "../kinds/customer/schema";
import { planSchema } from "../kinds/plan/schema";
import { subscriptionSchema } from "../kinds/subscription/schema";
import { overrideProblems } from "../kinds/subscription/overrides";
import { chargeCodes, withFixedCodes } from "../kinds/plan/payload";
import { taxSchema } from "../kinds/tax/schema";
import { walletSchema } from "../kinds/wallet/schema";
import { webhookEndpointSchema } from "../kinds/webhook-endpoint/schema";

/** In the order objects depend on each other (the order an export writes them). */
export const SECTIONS = ["taxes", "metrics", "addOns", "plans", "coupons", "webhookEndpoints", "customers", "subscriptions", "appliedCoupons", "wallets"] as const;
export type Section = (typeof SECTIONS)[number];

/** An environment variable's name, as a shell writes it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A webhook endpoint: the kind's arguments, with the URL (which often carries a token) either written out or named by
 * the environment variable holding it when the program runs (webhookUrlEnv), so the file can be committed.
 */
export const catalogWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    webhookUrl: webhookEndpointSchema.shape.webhookUrl.optional(),
    webhookUrlEnv: z
      .string({ error: "must be the name of an environment variable" })
      .regex(ENV_NAME, { message: "must be the name of an environment variable, e.g. LAGO_WEBHOOK_URL" })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.webhookUrl === undefined) === (e.webhookUrlEnv === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["webhookUrl"],
        message: "set exactly one of webhookUrl (the URL) or webhookUrlEnv (the environment variable holding it, to keep a token out of the file)",
      });
  });

const section = <T extends z.ZodType>(entry: T, what: string) =>
  z.array(entry, { error: `must be a list of ${what} (each item starts with "- ")` }).default([]);

export const catalogSchema = z
  .strictObject(
    {
      taxes: section(taxSchema, "taxes"),
      metrics: section(billableMetricSchema.strict(), "billable metrics"),
      addOns: section(addOnSchema, "add-ons"),
      plans: section(planSchema, "plans"),
      coupons: section(couponSchema, "coupons"),
      webhookEndpoints: section(catalogWebhookEndpointSchema, "webhook endpoints"),
      customers: section(customerSchema.strict(), "customers"),
      subscriptions: section(subscriptionSchema, "subscriptions"),
      appliedCoupons: section(appliedCouponSchema, "applied coupons"),
      wallets: section(walletSchema, "wallets"),
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

    for (const name of ["taxes", "metrics", "plans", "addOns", "coupons"] as const)
      uniqueBy<{ code: string }>(catalog[name], (e) => e.code, (i, first, code) => issue([name, i, "code"], `duplicates ${name}[${first}].code ("${code}"): codes are unique`));
    uniqueBy(catalog.webhookEndpoints, (e) => e.webhookUrl ?? `$${e.webhookUrlEnv}`, (i, first) =>
      issue(["webhookEndpoints", i, catalog.webhookEndpoints[i]!.webhookUrl ? "webhookUrl" : "webhookUrlEnv"], `duplicates webhookEndpoints[${first}] (Lago keeps one endpoint per URL)`),
    );
    uniqueBy(catalog.appliedCoupons, (a) => `${a.externalCustomerId}\u0000${a.couponCode}`, (i, first) =>
      issue(["appliedCoupons", i, "couponCode"], `duplicates appliedCoupons[${first}]: a coupon is applied to a customer once in a catalog`),
    );
    uniqueBy(catalog.customers, (c) => c.externalId, (i, first, id) => issue(["customers", i, "externalId"], `duplicates customers[${first}].externalId ("${id}")`));
    uniqueBy(catalog.subscriptions, (s) => s.externalId, (i, first, id) => issue(["subscriptions", i, "externalId"], `duplicates subscriptions[${first}].externalId ("${id}")`));

    // Taxes are named by code wherever they apply. A catalog that declares taxes must declare each one it names; one
    // that declares none leaves them to the program (Tax resources declared beside the catalog).
    const taxCodes = catalog.taxes.map((t) => t.code);
    const taxed = (codes: readonly string[] | undefined, at: (string | number)[]) =>
      (taxCodes.length ? (codes ?? []) : []).forEach((code, i) => {
        if (!taxCodes.includes(code)) issue([...at, i], `"${code}" is not a tax of this catalog (${listed("taxes", taxCodes)}): add it under taxes or fix the code`);
      });
    catalog.plans.forEach((plan, p) => {
      taxed(plan.taxCodes, ["plans", p, "taxCodes"]);
      taxed(plan.minimumCommitment?.taxCodes, ["plans", p, "minimumCommitment", "taxCodes"]);
      (plan.charges ?? []).forEach((charge, c) => taxed(charge.taxCodes, ["plans", p, "charges", c, "taxCodes"]));
    });
    catalog.addOns.forEach((addOn, a) => taxed(addOn.taxCodes, ["addOns", a, "taxCodes"]));

    // A fixed charge bills an add-on of this catalog.
    const addOnCodes = catalog.addOns.map((a) => a.code);
    catalog.plans.forEach((plan, p) =>
      fixedChargesOf(plan).forEach((fixed, f) => {
        taxed(fixed.taxCodes, ["plans", p, "fixedCharges", f, "taxCodes"]);
        if (fixed.addOnCode !== undefined && !addOnCodes.includes(fixed.addOnCode))
          issue(["plans", p, "fixedCharges", f, "addOnCode"], `"${fixed.addOnCode}" is not an add-on of this catalog (${listed("add-ons", addOnCodes)}): add it under addOns or fix the code`);
      }),
    );
    catalog.customers.forEach((customer, c) => taxed(customer.taxCodes, ["customers", c, "taxCodes"]));
    catalog.subscriptions.forEach((sub, s) => {
      const overrides = overridesOf(sub);
      taxed(overrides?.taxCodes, ["subscriptions", s, "planOverrides", "taxCodes"]);
      taxed(overrides?.minimumCommitment?.taxCodes, ["subscriptions", s, "planOverrides", "minimumCommitment", "taxCodes"]);
      (overrides?.charges ?? []).forEach((charge, c) => taxed(charge.taxCodes, ["subscriptions", s, "planOverrides", "charges", c, "taxCodes"]));
    });

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
    catalog.coupons.forEach((coupon, c) => {
      (coupon.planCodes ?? []).forEach((code, i) => {
        if (!plans.has(code)) issue(["coupons", c, "planCodes", i], `"${code}" is not a plan of this catalog (${listed("plans", [...plans.keys()])}): add it under plans or fix the code`);
      });
      (coupon.billableMetricCodes ?? []).forEach((code, i) => {
        if (!metricCodes.includes(code)) issue(["coupons", c, "billableMetricCodes", i], `"${code}" is not a metric of this catalog (${listed("metrics", metricCodes)}): add it under metrics or fix the code`);
      });
    });
    catalog.wallets.forEach((wallet, w) => {
      if (!customers.has(wallet.externalCustomerId))
        issue(["wallets", w, "externalCustomerId"], `"${wallet.externalCustomerId}" is not a customer of this catalog (${listed("customers", [...customers.keys()])}): add it under customers or fix the id`);
    });
    // Lago allows several active wallets per customer (6 by default); the kind tells them apart by customer, currency
    // and name (it finds and adopts by them), so two wallets of the catalog must differ in one of those.
    uniqueBy(catalog.wallets, (w) => `${w.externalCustomerId}\u0000${w.currency}\u0000${w.name ?? ""}`, (i, first) =>
      issue(["wallets", i, "currency"], `duplicates wallets[${first}] (the same customer, currency and name): name them apart`),
    );
    const couponCodes = catalog.coupons.map((c) => c.code);
    catalog.appliedCoupons.forEach((applied, a) => {
      if (!customers.has(applied.externalCustomerId))
        issue(["appliedCoupons", a, "externalCustomerId"], `"${applied.externalCustomerId}" is not a customer of this catalog (${listed("customers", [...customers.keys()])}): add it under customers or fix the id`);
      if (!couponCodes.includes(applied.couponCode))
        issue(["appliedCoupons", a, "couponCode"], `"${applied.couponCode}" is not a coupon of this catalog (${listed("coupons", couponCodes)}): add it under coupons or fix the code`);
    });
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
      const currency = sub.planOverrides?.amountCurrency ?? plan?.amountCurrency;
      if (plan && customer?.currency && customer.currency !== currency)
        issue(
          ["subscriptions", s, sub.planOverrides?.amountCurrency ? "planOverrides" : "planCode"],
          `bills in ${currency} but customer "${customer.externalId}" pays in ${customer.currency} (Lago: currencies_does_not_match): align the currencies`,
        );
      // A charge or fixed-charge override names a charge of the plan, with its model.
      if (plan && sub.planOverrides) {
        const charges = plan.charges ?? [];
        const codes = chargeCodes(charges);
        const refs = charges.map((c, i) => ({ code: codes[i]!, billableMetricCode: c.billableMetricCode ?? "", chargeModel: c.chargeModel }));
        const fixed = withFixedCodes(plan.fixedCharges ?? []);
        for (const [path, message] of overrideProblems(sub.planOverrides, refs, plan.code, fixed)) issue(["subscriptions", s, "planOverrides", ...path], message);
      }
    });
  });

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogMetric = Catalog["metrics"][number];
export type CatalogPlan = Catalog["plans"][number];
export type CatalogCustomer = Catalog["customers"][number];
export type CatalogSubscription = Catalog["subscriptions"][number];
export type CatalogTax = Catalog["taxes"][number];
export type CatalogAddOn = Catalog["addOns"][number];
export type CatalogCoupon = Catalog["coupons"][number];
export type CatalogWebhookEndpoint = Catalog["webhookEndpoints"][number];
export type CatalogAppliedCoupon = Catalog["appliedCoupons"][number];
export type CatalogWallet = Catalog["wallets"][number];

/** A plan's fixed charges, as far as the catalog checks them (the add-on billed and the taxes). */
export const fixedChargesOf = (plan: object): Array<{ addOnCode?: string; taxCodes?: string[] }> => {
  const fixed = (plan as { fixedCharges?: unknown }).fixedCharges;
  return Array.isArray(fixed) ? (fixed as Array<{ addOnCode?: string; taxCodes?: string[] }>) : [];
};

/** A subscription's plan overrides, as far as the catalog checks them (the taxes they name). */
export const overridesOf = (sub: object): { taxCodes?: string[]; minimumCommitment?: { taxCodes?: string[] } | null; charges?: Array<{ taxCodes?: string[] }> } | undefined =>
  (sub as { planOverrides?: never }).planOverrides;

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
