// The YAML pricing catalog: what a valid file turns into, how prices written as YAML numbers are handled, and
// that every problem is reported at its line and column with the argument path and the fix.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CatalogError, loadCatalog, parseCatalog, type CatalogIssue } from "../../provider/catalog";
import { teamRangeArgs } from "../support/segment-team";

const exampleCatalog = path.resolve(__dirname, "../../examples/segment/catalog.yaml");

/** The issues of a catalog that must fail. */
function issuesOf(yaml: string): CatalogIssue[] {
  try {
    parseCatalog(yaml, "pricing.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).issues;
  }
  throw new Error("expected the catalog to be refused");
}

const metricYaml = `metrics:
  - code: mtu
    name: Monthly Tracked Users
    aggregationType: unique_count_agg
    fieldName: user_id
`;

/** The metric and Team's plan up to its charges (line 12 is `charges:`); tests append the charge entries. */
const teamYaml = `${metricYaml}plans:
  - code: team
    name: Team
    interval: monthly
    amountCents: 12000
    amountCurrency: USD
    charges:
`;

describe("the Segment example catalog", () => {
  it("loads into the resource arguments, prices as the decimal strings written", () => {
    const catalog = loadCatalog(exampleCatalog);
    expect(catalog.metrics).toEqual([
      {
        code: "mtu",
        name: "Monthly Tracked Users",
        description: "Distinct users tracked in the billing period",
        aggregationType: "unique_count_agg",
        fieldName: "user_id",
        recurring: false,
      },
    ]);
    expect(catalog.plans.map((p) => [p.code, p.amountCents, p.amountCurrency, p.interval, p.payInAdvance, p.trialPeriod])).toEqual([
      ["free", 0, "USD", "monthly", true, undefined],
      ["team", 12000, "USD", "monthly", true, 14],
    ]);
    const team = catalog.plans[1]!.charges![0]!;
    expect(team).toEqual({ billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: teamRangeArgs });
    expect(catalog.customers).toEqual([]);
    expect(catalog.subscriptions).toEqual([]);
  });

  it("documents that the Free cap is the product's job", () => {
    const text = fs.readFileSync(exampleCatalog, "utf8");
    expect(text).toContain("The 1,000 MTU cap is the product's job, not Lago's");
  });
});

describe("prices written as YAML numbers", () => {
  const withPrice = (price: string) => `${teamYaml}      - billableMetricCode: mtu
        chargeModel: graduated
        graduatedRanges:
          - { fromValue: 0, toValue: null, perUnitAmount: ${price} }
`;
  const priceOf = (price: string) => (parseCatalog(withPrice(price)).plans[0]!.charges![0] as { graduatedRanges: Array<{ perUnitAmount: unknown }> }).graduatedRanges[0]!.perUnitAmount;

  it("a plain decimal becomes the string of its digits as written, never a binary float", () => {
    expect(priceOf("0.012")).toBe("0.012");
    expect(priceOf("0.010")).toBe("0.010");
    expect(priceOf("0.1000000000000000055511151231257827")).toBe("0.1000000000000000055511151231257827");
    expect(priceOf("12")).toBe("12");
    expect(priceOf('"0.012"')).toBe("0.012");
  });

  it("other number spellings are refused at the value, asking for a quoted decimal", () => {
    expect(issuesOf(withPrice("1.2e-2"))).toEqual([
      {
        line: 16,
        column: 59,
        path: "plans[0].charges[0].graduatedRanges[0].perUnitAmount",
        message: 'plans[0].charges[0].graduatedRanges[0].perUnitAmount is written 1.2e-2, which is not a plain decimal: write the price as a quoted decimal string such as "0.012"',
      },
    ]);
    expect(issuesOf(withPrice(".5"))[0]!.message).toContain("is written .5, which is not a plain decimal");
    expect(issuesOf(withPrice("-0.5"))[0]!.message).toContain("is written -0.5, which is not a plain decimal");
  });

  it("a quoted price still goes through the plan's own rules", () => {
    expect(issuesOf(withPrice('"0,012"'))).toEqual([
      {
        line: 16,
        column: 59,
        path: "plans[0].charges[0].graduatedRanges[0].perUnitAmount",
        message: expect.stringMatching(/^plans\[0\]\.charges\[0\]\.graduatedRanges\[0\]\.perUnitAmount .*0,012/),
      },
    ]);
  });
});

describe("errors point at the line", () => {
  it("a wrong range bound, at the bound, with the values it may take", () => {
    const yaml = `${teamYaml}      - billableMetricCode: mtu
        chargeModel: graduated
        graduatedRanges:
          - { fromValue: 0, toValue: 10000, perUnitAmount: "0" }
          - { fromValue: 10003, toValue: null, perUnitAmount: "0.012" }
`;
    expect(issuesOf(yaml)).toEqual([
      {
        line: 17,
        column: 26,
        path: "plans[0].charges[0].graduatedRanges[1].fromValue",
        message: "plans[0].charges[0].graduatedRanges[1].fromValue must be 10000 or 10001 (previous toValue is 10000)",
      },
    ]);
  });

  it("an unknown key, at the key itself, asking to check the spelling", () => {
    const yaml = metricYaml.replace("fieldName", "fieldname");
    expect(issuesOf(yaml)).toEqual([
      { line: 2, column: 5, path: "metrics[0].fieldName", message: expect.stringMatching(/^metrics\[0\]\.fieldName .*unique_count_agg/) },
      {
        line: 5,
        column: 5,
        path: "metrics[0]",
        message: "metrics[0] fieldname is not an argument here: check the spelling (arguments are camelCase, as in the resource)",
      },
    ]);
  });

  it("a missing argument, at the entry that lacks it; a wrong enum, at the value", () => {
    const yaml = `plans:
  - code: team
    interval: monthly
    amountCents: 12000
    amountCurrency: usd
`;
    const issues = issuesOf(yaml);
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [2, 5, "plans[0].name"],
      [5, 21, "plans[0].amountCurrency"],
    ]);
    expect(issues[1]!.message).toMatch(/^plans\[0\]\.amountCurrency .*USD/);
  });

  it("references between entries: unknown metric, plan and customer, currency mismatch", () => {
    const yaml = `${teamYaml}      - billableMetricCode: mtus
        chargeModel: standard
        amount: "1"
customers:
  - externalId: acme
    currency: EUR
subscriptions:
  - externalId: acme-main
    externalCustomerId: acme
    planCode: team
  - externalId: globex-main
    externalCustomerId: globex
    planCode: pro
`;
    expect(issuesOf(yaml)).toEqual([
      {
        line: 13,
        column: 29,
        path: "plans[0].charges[0].billableMetricCode",
        message: 'plans[0].charges[0].billableMetricCode "mtus" is not a metric of this catalog (declared: mtu): add it under metrics or fix the code',
      },
      {
        line: 22,
        column: 15,
        path: "subscriptions[0].planCode",
        message: 'subscriptions[0].planCode bills in USD but customer "acme" pays in EUR (Lago: currencies_does_not_match): align the currencies',
      },
      {
        line: 24,
        column: 25,
        path: "subscriptions[1].externalCustomerId",
        message: 'subscriptions[1].externalCustomerId "globex" is not a customer of this catalog (declared: acme): add it under customers or fix the id',
      },
      {
        line: 25,
        column: 15,
        path: "subscriptions[1].planCode",
        message: 'subscriptions[1].planCode "pro" is not a plan of this catalog (declared: team): add it under plans or fix the code',
      },
    ]);
  });

  it("duplicate codes, at the second one", () => {
    const yaml = `${metricYaml}  - code: mtu
    name: Again
    aggregationType: count_agg
`;
    expect(issuesOf(yaml)).toEqual([
      { line: 6, column: 11, path: "metrics[1].code", message: 'metrics[1].code duplicates metrics[0].code ("mtu"): codes are unique' },
    ]);
  });

  it("YAML syntax errors and duplicate keys, at the place the parser stopped", () => {
    expect(issuesOf("metrics:\n  - code: mtu\n    code: again\n")).toEqual([
      { line: 3, column: 5, path: "", message: "YAML syntax: Map keys must be unique" },
    ]);
    expect(issuesOf("plans: [\n")[0]).toMatchObject({ line: 2, column: 1, path: "" });
  });

  it("sections the catalog does not know, and a catalog that is not a mapping", () => {
    expect(issuesOf("prices: []\n")).toEqual([
      { line: 1, column: 1, path: "", message: "prices: a catalog holds only the sections taxes, metrics, addOns, plans, coupons, webhookEndpoints, customers, subscriptions, appliedCoupons, wallets" },
    ]);
    expect(issuesOf("- mtu\n")).toEqual([
      { line: 1, column: 1, path: "", message: "a catalog is a YAML mapping with the sections taxes, metrics, addOns, plans, coupons, webhookEndpoints, customers, subscriptions, appliedCoupons, wallets" },
    ]);
    expect(issuesOf("metrics: mtu\n")).toEqual([
      { line: 1, column: 10, path: "metrics", message: 'metrics must be a list of billable metrics (each item starts with "- ")' },
    ]);
  });

  it("the error message shows each problem as file:line:column, the line, and a caret under the column", () => {
    const yaml = metricYaml.replace("unique_count_agg", "unique_count");
    let message = "";
    try {
      parseCatalog(yaml, "examples/pricing.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split("\n");
    expect(lines[0]).toBe("examples/pricing.yaml: 1 problem in the pricing catalog");
    expect(lines[1]).toMatch(/^examples\/pricing\.yaml:4:22: metrics\[0\]\.aggregationType .*unique_count_agg/);
    expect(lines.slice(2)).toEqual(["  4 |     aggregationType: unique_count", "    |                      ^"]);
  });

  it("an empty file is an empty catalog", () => {
    expect(parseCatalog("")).toEqual({ taxes: [], metrics: [], plans: [], addOns: [], coupons: [], webhookEndpoints: [], customers: [], subscriptions: [], appliedCoupons: [], wallets: [] });
    expect(parseCatalog("# nothing priced yet\n")).toEqual({ taxes: [], metrics: [], plans: [], addOns: [], coupons: [], webhookEndpoints: [], customers: [], subscriptions: [], appliedCoupons: [], wallets: [] });
  });
});
