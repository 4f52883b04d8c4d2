// The pure comparison behind `pulumi-lago compare`: two sides as catalog entries, compared in each kind's comparable
// form; prices as the pricing preview's lines, objects only on one side, other fields, and the reports.
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../provider/catalog";
import { parseSource, progressText } from "../../bin/commands/compare";
import { catalogSide, compareOrgs, renderJson, renderMarkdown, renderText, type CompareSide } from "../../provider/compare";

const mtu = { code: "mtu", name: "MTU", aggregationType: "unique_count_agg", fieldName: "user_id" };
const team = (perUnit = "0.012", extra: Record<string, unknown> = {}) => ({
  code: "team",
  name: "Team",
  interval: "monthly",
  amountCents: 12000,
  amountCurrency: "USD",
  payInAdvance: true,
  charges: [
    {
      billableMetricCode: "mtu",
      chargeModel: "graduated",
      graduatedRanges: [
        { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
        { fromValue: 10001, toValue: 25000, perUnitAmount: perUnit },
        { fromValue: 25001, toValue: null, perUnitAmount: "0.011" },
      ],
    },
  ],
  ...extra,
});
const welcome = { code: "welcome", name: "Welcome", couponType: "fixed_amount", amountCents: 2000, amountCurrency: "USD", frequency: "once" };
const side = (label: string, sections: CompareSide["sections"]): CompareSide => ({ label, sections });

describe("compareOrgs", () => {
  it("finds no difference between the same objects spelt differently (defaults written out, decimals respelt, key order)", () => {
    const a = side("a", { metrics: [mtu], plans: [team("0.012")], coupons: [welcome] });
    const respelt = team("0.0120", { trialPeriod: 0, billChargesMonthly: false, description: "" });
    const b = side("b", { metrics: [{ ...mtu, recurring: false }], plans: [respelt], coupons: [{ ...welcome, reusable: true, expiration: "no_expiration" }] });
    const c = compareOrgs(a, b);
    expect(c.summary).toEqual({ differ: false, prices: 0, onlyInA: 0, onlyInB: 0, fields: 0 });
    expect(c.sections).toEqual(["metrics", "plans", "coupons"]);
  });

  it("reports a moved price as the pricing preview's line, an extra plan and a missing coupon, and nothing else", () => {
    const a = side("staging", { metrics: [mtu], plans: [team("0.012")], coupons: [welcome] });
    const b = side("production", { metrics: [mtu], plans: [team("0.013"), { ...team(), code: "enterprise", name: "Enterprise" }], coupons: [] });
    const c = compareOrgs(a, b);
    expect(c.prices.map((p) => p.text)).toEqual(["Team · MTU · 10,001–25,000: $0.012 → $0.013 per unit"]);
    expect(c.prices[0]).toMatchObject({ plan: "team", charge: "mtu", tier: "10,001–25,000", before: "$0.012", after: "$0.013" });
    expect(c.onlyOnOneSide.map((o) => o.text)).toEqual(["plan enterprise (Enterprise): only in b", "coupon welcome (Welcome): only in a"]);
    expect(c.fields).toEqual([]);
    expect(c.summary).toEqual({ differ: true, prices: 1, onlyInA: 1, onlyInB: 1, fields: 0 });
  });

  it("names other field differences readably: plan and charge terms, money in the currency, lists, absent values", () => {
    const withTerms = team("0.012", { description: "For teams", taxCodes: ["vat"] });
    (withTerms.charges[0] as Record<string, unknown>).invoiceable = false;
    const a = side("a", { metrics: [mtu], plans: [team()], coupons: [welcome], taxes: [{ code: "vat", name: "VAT", rate: "20" }] });
    const b = side("b", { metrics: [mtu], plans: [withTerms], coupons: [{ ...welcome, amountCents: 2500 }], taxes: [{ code: "vat", name: "VAT", rate: "20.0" }] });
    const c = compareOrgs(a, b);
    expect(c.prices).toEqual([]);
    expect(c.fields.map((f) => f.text)).toEqual([
      "plan team · charges[mtu].invoiceable: (not set) → false",
      "plan team · description: (not set) → \"For teams\"",
      "plan team · taxCodes: (not set) → [\"vat\"]",
      "coupon welcome · amountCents: $20.00 → $25.00",
    ]);
  });

  it("states a plan fee, a charge added and a filter's price as price lines, not as fields", () => {
    const filtered = {
      billableMetricCode: "api_calls",
      chargeModel: "standard",
      amount: "0.001",
      filters: [{ values: { region: ["eu"] }, properties: { amount: "0.002" }, invoiceDisplayName: "EU calls" }],
    };
    const calls = { code: "api_calls", name: "API calls", aggregationType: "count_agg" };
    const before = team("0.012", { charges: [filtered] });
    const after = team("0.012", {
      amountCents: 15000,
      charges: [{ ...filtered, filters: [{ values: { region: ["eu"] }, properties: { amount: "0.003" }, invoiceDisplayName: "Calls in the EU" }] }, team().charges[0]],
    });
    const c = compareOrgs(side("a", { metrics: [mtu, calls], plans: [before] }), side("b", { metrics: [mtu, calls], plans: [after] }));
    expect(c.prices.map((p) => p.text)).toEqual([
      "Team: plan fee $120.00 → $150.00 per month",
      "Team · API calls [region: eu]: $0.002 → $0.003 per unit",
      "Team · MTU: added, graduated: 0–10,000 $0.00 · 10,001–25,000 $0.012 · 25,001+ $0.011 per unit",
    ]);
    expect(c.fields.map((f) => f.text)).toEqual(['plan team · charges[api_calls].filters[region: eu].invoiceDisplayName: "EU calls" → "Calls in the EU"']);
  });

  it("names a webhook endpoint without the token its URL carries", () => {
    const a = side("a", { webhookEndpoints: [{ webhookUrl: "https://hooks.example.com/lago?token=s3cret", signatureAlgo: "hmac" }] });
    const c = compareOrgs(a, side("b", { webhookEndpoints: [] }));
    expect(c.onlyOnOneSide.map((o) => o.text)).toEqual(["webhook endpoint https://hooks.example.com/lago: only in a"]);
    expect(renderJson(c)).not.toContain("s3cret");
    expect(renderMarkdown(c)).not.toContain("s3cret");
  });

  it("customers, subscriptions and applied coupons by external id (and customer/coupon)", () => {
    const acme = { externalId: "acme", name: "Acme", email: "billing@acme.test", currency: "USD" };
    const a = side("a", {
      customers: [acme],
      subscriptions: [{ externalId: "acme-team", externalCustomerId: "acme", planCode: "team" }],
      appliedCoupons: [{ externalCustomerId: "acme", couponCode: "welcome" }],
    });
    const b = side("b", {
      customers: [{ ...acme, email: "finance@acme.test" }],
      subscriptions: [{ externalId: "acme-team", externalCustomerId: "acme", planCode: "free" }],
      appliedCoupons: [],
    });
    const c = compareOrgs(a, b);
    expect(c.fields.map((f) => f.text)).toEqual(['customer acme · email: "billing@acme.test" → "finance@acme.test"', 'subscription acme-team · planCode: "team" → "free"']);
    expect(c.onlyOnOneSide.map((o) => o.text)).toEqual(["applied coupon acme/welcome: only in a"]);
  });

  it("compares only the sections asked for", () => {
    const a = side("a", { metrics: [mtu], plans: [team()], coupons: [welcome] });
    const b = side("b", { metrics: [mtu], plans: [team("0.013")], coupons: [] });
    const c = compareOrgs(a, b, { sections: ["coupons"] });
    expect(c.sections).toEqual(["coupons"]);
    expect(c.prices).toEqual([]);
    expect(c.onlyOnOneSide.map((o) => o.key)).toEqual(["welcome"]);
  });

  it("compares what a side could not express as far as it goes, and says so", () => {
    const a: CompareSide = { label: "a", sections: { plans: [] }, unexpressible: [{ section: "plans", key: "team", reason: "it overrides something", entry: team() }] };
    const c = compareOrgs(a, side("b", { plans: [team()] }));
    expect(c.summary.differ).toBe(false);
    expect(c.notes).toEqual(["a: plan team compared as far as the catalog can express it (it overrides something)"]);
  });
});

describe("catalogSide", () => {
  const yaml = `
metrics:
  - { code: mtu, name: MTU, aggregationType: unique_count_agg, fieldName: user_id }
webhookEndpoints:
  - webhookUrlEnv: LAGO_HOOK
    signatureAlgo: hmac
`;
  it("reads a catalog's entries, a webhook endpoint under the URL its variable holds", () => {
    const s = catalogSide(parseCatalog(yaml), "dir:x", { LAGO_HOOK: "https://hooks.example.com/lago?t=1" });
    expect(s.sections.metrics).toEqual([mtu]);
    expect(s.sections.webhookEndpoints).toEqual([{ webhookUrl: "https://hooks.example.com/lago?t=1", signatureAlgo: "hmac" }]);
    expect(s.unexpressible).toEqual([]);
  });

  it("keeps an endpoint whose variable is not set, named by the variable, with the reason", () => {
    const s = catalogSide(parseCatalog(yaml), "dir:x", {});
    expect(s.sections.webhookEndpoints).toEqual([]);
    expect(s.unexpressible).toEqual([
      { section: "webhookEndpoints", key: "$LAGO_HOOK", reason: "its URL is in the environment variable LAGO_HOOK, which is not set here", entry: { signatureAlgo: "hmac", webhookUrl: "$LAGO_HOOK" } },
    ]);
  });
});

describe("reports", () => {
  const c = compareOrgs(
    side("stack staging (http://a.example/api/v1)", { metrics: [mtu], plans: [team("0.012")], coupons: [welcome] }),
    side("http://b.example/api/v1", { metrics: [mtu], plans: [team("0.013")], coupons: [] }),
  );

  it("text: the labels, each section, and the summary last", () => {
    expect(renderText(c)).toBe(
      [
        "Comparing a: stack staging (http://a.example/api/v1)",
        "     with b: http://b.example/api/v1",
        "",
        "Prices (a → b):",
        "  Team · MTU · 10,001–25,000: $0.012 → $0.013 per unit",
        "",
        "Only on one side:",
        "  coupon welcome (Welcome): only in a",
        "",
        "a and b differ: 1 price line(s), 1 object(s) only in a.",
        "",
      ].join("\n"),
    );
  });

  it("markdown: a table of what only one side holds; JSON: the whole comparison", () => {
    const md = renderMarkdown(c);
    expect(md).toContain("- Team · MTU · 10,001–25,000: $0.012 → $0.013 per unit");
    expect(md).toContain("| a | coupon | `welcome` | Welcome |");
    expect(JSON.parse(renderJson(c))).toEqual(JSON.parse(JSON.stringify(c)));
  });

  it("markdown stays under GitHub's comment limit, the rest left to the JSON", () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...welcome, code: `coupon_${String(i).padStart(4, "0")}`, name: `Coupon ${i}` }));
    const big = compareOrgs(side("a", { coupons: many }), side("b", { coupons: [] }));
    const md = renderMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toMatch(/_… and \d+ more objects in the JSON report\._/);
  });
});

describe("compare's sources", () => {
  it("stack:<name>, dir:<path> and a Lago API URL; anything else names the side and the forms", () => {
    expect(parseSource("stack:production", "a")).toEqual({ type: "stack", stack: "production" });
    expect(parseSource("dir:./billing", "b")).toEqual({ type: "dir", path: "./billing" });
    expect(parseSource("https://api.getlago.com/api/v1", "a")).toEqual({ type: "url", apiUrl: "https://api.getlago.com/api/v1" });
    expect(() => parseSource("production", "b")).toThrow('b: "production" is not a source: write stack:<name>, dir:<exported catalog directory> or an http(s):// Lago API URL');
    expect(() => parseSource("stack:", "a")).toThrow('a: "stack:" is not a source');
  });

  it("the progress line names what each side has read", () => {
    expect(progressText({ a: "12 of 40 objects (plans)", b: "reading stack production's configuration" })).toBe(
      "Comparing: a 12 of 40 objects (plans) · b reading stack production's configuration",
    );
  });
});
