// The pricing preview's reports are posted where many can read them (PR comments, CI artifacts): they hold no Lago
// URL (with or without credentials), no API key and no passphrase, even when the engine's step events carry them —
// in the serialized provider every dynamic resource has among its inputs, or in a secret-wrapped output.
import { describe, expect, it } from "vitest";
import { anonymizeId, buildReport, renderJson, renderMarkdown, stepsFromEvents, type StepMetadataLike, type SubscriptionUsage } from "../../provider/preview";
import { teamPlanArgFields, teamRangeArgs, withTier } from "../support/segment-team";

const API_URL = "https://ci-bot:proxy-password-7731@lago.example.com/api/v1";
const API_KEY = "lago-key-0f3c9e1b2a";
const PASSPHRASE = "stack-passphrase-55aa";

/** What a dynamic resource's inputs hold besides its arguments: the provider, serialized as text. */
const provider = `exports.handler = __f0; function __f0() { return { apiUrl: "${API_URL}", apiKey: "${API_KEY}", passphrase: "${PASSPHRASE}" }; }`;
/** Pulumi's wrapper for a secret value, as it appears in outputs. */
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

const PLAN = "pulumi-nodejs:dynamic/lago:Plan";
const SUBSCRIPTION = "pulumi-nodejs:dynamic/lago:Subscription";
const urn = (type: string, name: string) => `urn:pulumi:ci::billing::${type}::${name}`;

const team = (second: string) => ({
  ...teamPlanArgFields,
  charges: [{ billableMetric: "bm_1", billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: withTier(teamRangeArgs, 1, { perUnitAmount: second }) }],
});
const state = (args: Record<string, unknown>) => ({
  inputs: { ...args, __provider: provider },
  outputs: { ...args, lagoId: "lago-id", __provider: provider, connection: secret({ apiUrl: API_URL, apiKey: API_KEY }) },
});

const events: StepMetadataLike[] = [
  { op: "update", type: PLAN, urn: urn(PLAN, "team"), old: state(team("0.012")), new: state(team("0.013")), diffs: ["charges", "__provider"] },
  {
    op: "replace",
    type: SUBSCRIPTION,
    urn: urn(SUBSCRIPTION, "acme-main"),
    old: state({ externalId: "acme-main", externalCustomerId: "acme", planCode: "team" }),
    new: state({ externalId: "acme-main", externalCustomerId: "acme", planCode: "team", subscriptionAt: "2026-12-01T00:00:00Z" }),
    keys: ["subscriptionAt"],
    diffs: ["subscriptionAt", "__provider"],
  },
];

const usage: SubscriptionUsage = {
  externalCustomerId: "acme",
  externalSubscriptionId: "acme-main",
  planCode: "team",
  from: "2026-11-01T00:00:00Z",
  to: "2026-11-30T23:59:59Z",
  currency: "USD",
  chargesUsage: [{ units: "30000.0", events_count: 30000, amount_cents: 0, charge: { code: "mtu", charge_model: "graduated" }, filters: [], grouped_usage: [] }],
};

describe("the preview's reports hold no Lago URL, key or passphrase", () => {
  for (const anonymize of [false, true])
    it(`with customers${anonymize ? ", anonymized" : ""}: markdown and JSON`, () => {
      const report = buildReport({ stack: "ci", steps: stepsFromEvents(events), usage: [usage], anonymize });
      const json = renderJson(report);
      const markdown = renderMarkdown(report);
      // The report is about what it should be: the price change, the subscription step and the re-priced customer.
      expect(report.steps.map((s) => `${s.op} ${s.kind}`).sort()).toEqual(["replace Subscription", "update Plan"]);
      expect(report.steps.flatMap((s) => s.changed)).not.toContain("__provider");
      expect(report.customers!.subscriptions.map((s) => s.customer)).toEqual([anonymize ? anonymizeId("acme") : "acme"]);
      expect(markdown).toContain("$0.012 → $0.013");
      for (const text of [json, markdown]) {
        for (const leaked of [API_KEY, PASSPHRASE, "proxy-password-7731", "ci-bot", "lago.example.com", "__provider", "exports.handler"]) expect(text).not.toContain(leaked);
        expect(text).not.toMatch(/https?:\/\/[^\s"')]*@/); // no URL with credentials of any kind
      }
    });
});
