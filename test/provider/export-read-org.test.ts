// readOrg against a local Lago over HTTP: every section in the catalog's own shape, only GETs, objects the catalog
// cannot express kept with their reason, progress reported, a wrong URL or key as one line, and Lago Cloud's
// 50 requests a second respected (a 429 is waited out, never a failure).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { readOrg, type OrgProgress } from "../../provider/export/read-org";
import { buildExportOrg, call, HOOK_URL } from "../support/export-org";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ premium: true });
beforeAll(async () => {
  await buildExportOrg(lago.server, { customers: true, overrides: true });
});

describe("readOrg", () => {
  it("reads every section as catalog entries, with GETs only, and reports progress up to the total", async () => {
    const before = lago.server.admin.requests.length;
    const seen: OrgProgress[] = [];
    const org = await readOrg({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, customers: true, onProgress: (p) => seen.push(p) });
    const methods = new Set(lago.server.admin.requests.slice(before).map((r) => r.method));
    expect([...methods]).toEqual(["GET"]);
    expect(org.requests).toBe(lago.server.admin.requests.length - before);

    const codes = (section: keyof typeof org.sections, key = "code") => org.sections[section]!.map((e) => e[key]);
    expect(codes("taxes")).toEqual(["vat_20", "vat_5_5"]);
    expect(org.unexpressible.filter((u) => u.section === "taxes").map((u) => u.key)).toEqual(["legacy_150"]);
    expect(codes("metrics")).toEqual(["api_calls", "mtu", "payments", "seats", "storage_gb"]);
    expect(codes("addOns")).toEqual(["onboarding", "support_seat"]);
    expect(codes("coupons")).toEqual(["launch", "team_10"]);
    expect(codes("customers", "externalId")).toEqual(["acme", "globex"]);
    expect(org.sections.appliedCoupons!.map((a) => `${a.externalCustomerId}/${a.couponCode}`)).toEqual(["acme/launch", "acme/team_10"]);
    // An application writes only what overrides the coupon's terms.
    expect(org.sections.appliedCoupons!.find((a) => a.couponCode === "team_10")).toEqual({ externalCustomerId: "acme", couponCode: "team_10", percentageRate: "15.0" });
    // A wallet: its terms and recurring top-up; the credits granted at its creation are not configuration.
    expect(org.sections.wallets).toEqual([
      { externalCustomerId: "acme", currency: "USD", rateAmount: "1.0", name: "Prepaid", recurringTransactionRules: [{ trigger: "interval", paidCredits: "0.0", grantedCredits: "10.0", interval: "monthly" }] },
    ]);
    expect(org.sections.webhookEndpoints).toEqual([{ webhookUrl: HOOK_URL, signatureAlgo: "hmac", name: "Billing hooks", eventTypes: ["invoice.created"] }]);
    // Prices as the decimal strings Lago holds, defaults left out.
    const free = org.sections.plans!.find((p) => p.code === "free");
    expect(free).toEqual({ name: "Free", code: "free", interval: "monthly", amountCents: 0, amountCurrency: "USD", charges: [{ code: "mtu", billableMetricCode: "mtu", chargeModel: "standard", amount: "0" }] });
    const metric = org.sections.metrics!.find((m) => m.code === "mtu");
    expect(metric).toEqual({ name: "MTU", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id", filters: [{ key: "region", values: ["eu", "us"] }] });

    // Team has fixed charges, globex-free overrides its plan: kept with the reason when the kinds cannot say it yet.
    for (const u of org.unexpressible) expect(u.reason.length).toBeGreaterThan(10);
    const placed = [...codes("plans"), ...org.unexpressible.filter((u) => u.section === "plans").map((u) => u.key)].sort();
    expect(placed).toEqual(["enterprise", "free", "grouped", "team"]);
    expect(org.unexpressible).toContainEqual(expect.objectContaining({ section: "plans", key: "grouped", reason: expect.stringContaining("presentation_group_keys") }));
    const subs = [...codes("subscriptions", "externalId"), ...org.unexpressible.filter((u) => u.section === "subscriptions").map((u) => u.key)].sort();
    expect(subs).toEqual(["acme-team", "globex-free"]);

    const last = seen.at(-1)!;
    expect(last.read).toBe(last.total);
    expect(last.total).toBe(3 + 5 + 4 + 2 + 2 + 1 + 2 + 2 + 2 + 1);
  });

  it("reads only the sections asked for, and customers only when asked", async () => {
    const org = await readOrg({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, only: ["taxes", "customers"] });
    expect(Object.keys(org.sections)).toEqual(["taxes"]);
  });

  it("a wrong key or URL is one line naming which", async () => {
    await expect(readOrg({ apiUrl: lago.server.apiUrl, apiKey: "wrong" })).rejects.toThrow(/^Lago at .* refused the API key \(401 Unauthorized\): check --api-key/);
    await expect(readOrg({ apiUrl: lago.server.url + "/nope/api/v1", apiKey: lago.server.apiKey })).rejects.toThrow(/is not a Lago API.*check --api-url/);
    await expect(readOrg({ apiUrl: "http://127.0.0.1:9/api/v1", apiKey: "k", retry: { baseDelayMs: 5, maxDelayMs: 10 } })).rejects.toThrow(/^no Lago answers at .*: check --api-url/);
  });
});

describe("readOrg under Lago Cloud's 50 requests a second", () => {
  let cloud: LocalLago;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-read-org-"));
  beforeAll(async () => {
    // Built without the limit, then served with it from the same data.
    const open = await startLocalLago({ apiKey: "cloud-key", dataDir });
    for (let i = 0; i < 120; i++)
      await call(open, "POST", "/plans", { plan: { name: `Plan ${i}`, code: `plan_${String(i).padStart(3, "0")}`, interval: "monthly", amount_cents: 100 * i, amount_currency: "EUR", pay_in_advance: false } });
    await open.stop();
    cloud = await startLocalLago({ apiKey: "cloud-key", dataDir, rateLimit: "cloud" });
  });
  afterAll(async () => {
    await cloud?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("120 plans read one by one: every one read, every 429 waited out, the pace within the limit", async () => {
    // Lago Cloud may still refuse a request the pace allowed (another client of the organization): three 429s.
    cloud.admin.addFault({ kind: "rate_limit", times: 3, method: "GET", path: "/plans/plan_05" });
    const before = cloud.admin.requests.length;
    const started = Date.now();
    const org = await readOrg({ apiUrl: cloud.apiUrl, apiKey: cloud.apiKey, only: ["plans"] });
    const seconds = (Date.now() - started) / 1000;
    expect(org.sections.plans).toHaveLength(120);
    const statuses = cloud.admin.requests.slice(before).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(org.rateLimited).toBe(statuses.filter((s) => s === 429).length);
    expect(org.rateLimited).toBeGreaterThanOrEqual(3);
    // 120 plans and their list's pages at 50 a second cannot take less than two windows.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(120);
    expect(seconds).toBeGreaterThan(1.5);
  });
});
