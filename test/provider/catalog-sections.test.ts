// The catalog's sections beyond metrics, plans, customers and subscriptions: taxes, add-ons, coupons, webhook
// endpoints, applied coupons and wallets, each checked by its kind's own schema, their references to other entries checked at
// the line and column that names them.
import { describe, expect, it } from "vitest";
import { CatalogError, parseCatalog, type CatalogIssue } from "../../provider/catalog";

function issuesOf(yaml: string): CatalogIssue[] {
  try {
    parseCatalog(yaml, "pricing.yaml");
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
  return [];
}

const full = `taxes:
  - code: vat
    name: VAT
    rate: 20
metrics:
  - code: calls
    name: Calls
    aggregationType: count_agg
plans:
  - code: team
    name: Team
    interval: monthly
    amountCents: 1000
    amountCurrency: USD
    taxCodes: [vat]
    charges:
      - billableMetricCode: calls
        chargeModel: standard
        amount: 0.010
        taxCodes: [vat]
addOns:
  - code: setup
    name: Setup
    amountCents: 5000
    amountCurrency: USD
    taxCodes: [vat]
coupons:
  - code: launch
    name: Launch
    couponType: percentage
    percentageRate: 12.50
    frequency: once
    planCodes: [team]
webhookEndpoints:
  - webhookUrlEnv: LAGO_WEBHOOK_URL
    signatureAlgo: hmac
customers:
  - externalId: acme
    taxCodes: [vat]
appliedCoupons:
  - externalCustomerId: acme
    couponCode: launch
    percentageRate: 15
wallets:
  - externalCustomerId: acme
    currency: USD
    rateAmount: 1
    paidCredits: 50.00
    recurringTransactionRules:
      - trigger: threshold
        thresholdCredits: 10
        paidCredits: 20
`;

describe("catalog sections", () => {
  it("loads every section with its kind's arguments, rates as the digits written", () => {
    const catalog = parseCatalog(full);
    expect(catalog.taxes).toEqual([{ code: "vat", name: "VAT", rate: "20" }]);
    expect(catalog.coupons[0]!.percentageRate).toBe("12.50");
    expect(catalog.appliedCoupons).toEqual([{ externalCustomerId: "acme", couponCode: "launch", percentageRate: "15" }]);
    expect(catalog.webhookEndpoints).toEqual([{ webhookUrlEnv: "LAGO_WEBHOOK_URL", signatureAlgo: "hmac" }]);
    expect(catalog.addOns[0]!.taxCodes).toEqual(["vat"]);
    expect(catalog.wallets).toEqual([
      { externalCustomerId: "acme", currency: "USD", rateAmount: "1", paidCredits: "50.00", recurringTransactionRules: [{ trigger: "threshold", thresholdCredits: "10", paidCredits: "20" }] },
    ]);
  });

  it("references to taxes, plans, metrics, customers and coupons that are not in the catalog, at the reference", () => {
    const yaml = full
      .replace("taxCodes: [vat]\n    charges", "taxCodes: [gst]\n    charges")
      .replace("planCodes: [team]", "planCodes: [pro]")
      .replace("couponCode: launch", "couponCode: welcome")
      .replace("  - externalId: acme\n    taxCodes: [vat]", "  - externalId: acme\n    taxCodes: [vat, sales]");
    expect(issuesOf(yaml)).toEqual([
      { line: 15, column: 16, path: "plans[0].taxCodes[0]", message: 'plans[0].taxCodes[0] "gst" is not a tax of this catalog (declared: vat): add it under taxes or fix the code' },
      { line: 33, column: 17, path: "coupons[0].planCodes[0]", message: 'coupons[0].planCodes[0] "pro" is not a plan of this catalog (declared: team): add it under plans or fix the code' },
      { line: 39, column: 21, path: "customers[0].taxCodes[1]", message: 'customers[0].taxCodes[1] "sales" is not a tax of this catalog (declared: vat): add it under taxes or fix the code' },
      {
        line: 42,
        column: 17,
        path: "appliedCoupons[0].couponCode",
        message: 'appliedCoupons[0].couponCode "welcome" is not a coupon of this catalog (declared: launch): add it under coupons or fix the code',
      },
    ]);
  });

  it("a catalog that declares no taxes leaves the taxes it names to the program", () => {
    const withoutTaxes = full.replace(/^taxes:\n(  .*\n|    .*\n)*/, "");
    expect(withoutTaxes.startsWith("metrics:")).toBe(true);
    expect(parseCatalog(withoutTaxes).plans[0]!.taxCodes).toEqual(["vat"]);
  });

  it("a subscription's plan overrides name taxes of the catalog", () => {
    const yaml = `${full}subscriptions:
  - externalId: acme-team
    externalCustomerId: acme
    planCode: team
    planOverrides:
      amountCents: 900
      taxCodes: [vat, gst]
`;
    expect(issuesOf(yaml)).toEqual([
      {
        line: 59,
        column: 23,
        path: "subscriptions[0].planOverrides.taxCodes[1]",
        message: 'subscriptions[0].planOverrides.taxCodes[1] "gst" is not a tax of this catalog (declared: vat): add it under taxes or fix the code',
      },
    ]);
    expect(parseCatalog(yaml.replace("[vat, gst]", "[vat]")).subscriptions[0]!.planOverrides).toEqual({ amountCents: 900, taxCodes: ["vat"] });
  });

  it("a wallet belongs to a customer of the catalog, one per customer, currency and name", () => {
    const stranger = full.replace("wallets:\n  - externalCustomerId: acme", "wallets:\n  - externalCustomerId: globex");
    expect(issuesOf(stranger)).toEqual([
      { line: 45, column: 25, path: "wallets[0].externalCustomerId", message: 'wallets[0].externalCustomerId "globex" is not a customer of this catalog (declared: acme): add it under customers or fix the id' },
    ]);
    const twice = `${full}  - externalCustomerId: acme\n    currency: USD\n    rateAmount: "2"\n`;
    expect(issuesOf(twice).map((i) => i.message)).toEqual(["wallets[1].currency duplicates wallets[0] (the same customer, currency and name): name them apart"]);
  });

  it("a webhook endpoint names its URL or the environment variable holding it, exactly one", () => {
    const both = full.replace("  - webhookUrlEnv: LAGO_WEBHOOK_URL\n", "  - webhookUrlEnv: LAGO_WEBHOOK_URL\n    webhookUrl: https://hooks.example.com/lago\n");
    expect(issuesOf(both).map((i) => i.message)).toEqual([
      "webhookEndpoints[0].webhookUrl set exactly one of webhookUrl (the URL) or webhookUrlEnv (the environment variable holding it, to keep a token out of the file)",
    ]);
    const badName = full.replace("webhookUrlEnv: LAGO_WEBHOOK_URL", "webhookUrlEnv: lago webhook");
    expect(issuesOf(badName)).toEqual([
      { line: 35, column: 20, path: "webhookEndpoints[0].webhookUrlEnv", message: "webhookEndpoints[0].webhookUrlEnv must be the name of an environment variable, e.g. LAGO_WEBHOOK_URL" },
    ]);
  });

  it("the kinds' own rules, then duplicate keys, at the entry", () => {
    const wrongRate = full.replace("    rate: 20\n", "    rate: 120\n");
    expect(issuesOf(wrongRate).map((i) => `${i.line}:${i.path}: ${i.message}`)).toEqual(["4:taxes[0].rate: taxes[0].rate must be a percentage from 0 to 100 (got 120; 20 is 20 %)"]);
    const twice = full.replace("    rate: 20\n", "    rate: 20\n  - code: vat\n    name: Again\n    rate: 10\n");
    expect(issuesOf(twice).map((i) => `${i.line}:${i.path}: ${i.message}`)).toEqual(['5:taxes[1].code: taxes[1].code duplicates taxes[0].code ("vat"): codes are unique']);
  });
});
