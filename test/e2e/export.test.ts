// The export round trip through the real Pulumi engine, on ONE stack: an organization built with raw Lago calls (every
// charge model, filters, grouping keys, fixed charges, a commitment, thresholds, taxes, add-ons, coupons, a webhook
// endpoint, customers, a subscription with plan overrides, applied coupons, a wallet) is exported; the exported catalog applied
// with adoption writes nothing to Lago; the exported TypeScript previews as no change with no Lago call; a second
// export is byte-identical; and after the first up a deletion in Lago is drift, shown as a create, not re-adopted.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExportCommand } from "../../bin/commands/export";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { catalogResources, loadCatalog } from "../../provider/catalog";
import { offlineStack } from "../../provider/engine";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { buildExportOrg, HOOK_URL } from "../support/export-org";
import { useOpenApiValidation } from "../support/local-lago";
import { EngineRecorder, type EngineCallbacks } from "./support/engine";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-export-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const onResponse = useOpenApiValidation();
let lago: LocalLago;
let stack: Stack;
const recorder = new EngineRecorder();
const quiet = { out: () => {}, err: () => {} };
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

/** The Lago requests an engine operation made, and those that are not reads. */
async function operation<T>(run: (on: EngineCallbacks) => Promise<T>): Promise<{ result: T; calls: string[]; writes: string[] }> {
  const before = lago.admin.requests.length;
  const result = await recorder.run(run);
  const calls = lago.admin.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, "")}`);
  return { result, calls, writes: calls.filter((c) => !c.startsWith("GET ")) };
}

/** Exports everything (customers included) into `dir`; asserts it only read. */
async function exportTo(dir: string, format: "yaml" | "ts" = "yaml") {
  const before = lago.admin.requests.length;
  const { result } = await runExportCommand({ apiUrl: lago.apiUrl, apiKey: lago.apiKey, customers: true, out: path.join(scratch, dir), format }, quiet);
  expect(lago.admin.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
  return result;
}

/** The generated TypeScript, its package import pointed at this checkout's source. */
async function tsProgram(dir: string): Promise<void> {
  const file = path.join(scratch, dir, "index.ts");
  const local = path.join(scratch, `${dir}.local.ts`);
  fs.writeFileSync(local, fs.readFileSync(file, "utf8").replace('from "pulumi-lago"', `from ${JSON.stringify(path.resolve(__dirname, "../../provider/index.ts"))}`));
  await import(local);
}

beforeAll(async () => {
  lago = await startLocalLago({ apiKey: `lago-e2e-${randomBytes(16).toString("hex")}`, premium: true, onResponse });
  await buildExportOrg(lago, { customers: true, overrides: true });
});
afterAll(async () => {
  await lago?.stop();
});

describe("export, then apply with adoption", { timeout: 240_000 }, () => {
  let exported: Awaited<ReturnType<typeof exportTo>>;

  it("exports every object, read-only, with what it cannot express commented out", async () => {
    exported = await exportTo("yaml");
    await exportTo("ts", "ts");
    const sections = exported.snapshot.sections;
    expect(sections.plans!.map((p) => p.code)).toEqual(["enterprise", "free", "team"]);
    const team = sections.plans!.find((p) => p.code === "team")!;
    const models = (team.charges as Array<{ chargeModel: string }>).map((c) => c.chargeModel).sort();
    expect(new Set(models)).toEqual(new Set(["standard", "graduated", "volume", "package", "percentage", "graduated_percentage", "dynamic"]));
    expect(team).toMatchObject({ metadata: { tier: "growth", owner: "pricing-team" }, minimumCommitment: { amountCents: 50000 }, usageThresholds: expect.any(Array), fixedCharges: [expect.objectContaining({ addOnCode: "support_seat" })] });
    expect(sections.appliedCoupons).toHaveLength(2);
    const commented = exported.snapshot.unexpressible.map((u) => `${u.section} ${u.key}`);
    expect(commented).toContain("taxes legacy_150");
    expect(commented).toContain("plans grouped");
    // The subscription with plan overrides: only what differs from its plan is written.
    expect(sections.subscriptions!.find((s) => s.externalId === "globex-free")).toEqual({
      externalId: "globex-free",
      externalCustomerId: "globex",
      planCode: "free",
      billingTime: "anniversary",
      subscriptionAt: "2026-02-01T00:00:00Z",
      planOverrides: { amountCents: 900 },
    });
    expect(sections.subscriptions!.find((s) => s.externalId === "acme-team")).not.toHaveProperty("planOverrides");
    expect(sections.wallets).toEqual([expect.objectContaining({ externalCustomerId: "acme", currency: "USD", name: "Prepaid" })]);
    const text = fs.readFileSync(path.join(scratch, "yaml", "catalog.yaml"), "utf8");
    expect(text).not.toContain("s3cr3t-t0ken");
    expect(text).toContain("# NOT MANAGED: Tax \"Legacy surcharge\"");
  });

  it("the first up adopts every exported object and writes nothing to Lago", async () => {
    process.env[exported.webhooks[0]!.env] = HOOK_URL;
    const file = path.join(scratch, "yaml", "catalog.yaml");
    stack = await offlineStack({
      stateDir: path.join(scratch, "state"),
      projectName: "exported",
      stackName: "prod",
      passphrase: "export-e2e",
      program: async () => {
        // What the generated index.ts does.
        catalogResources(loadCatalog(file), { adopt: true });
      },
      cli: await ensurePulumiCli({ acquire: false }),
      lago: { apiUrl: lago.apiUrl, apiKey: lago.apiKey },
    });
    const { result, writes } = await operation((on) => stack.up(on));
    expect(writes).toEqual([]);
    const objects = Object.values(exported.snapshot.sections).reduce((n, s) => n + s!.length, 0);
    expect(result.summary.resourceChanges).toEqual({ create: objects + 1 }); // and the stack
  });

  it("the exported TypeScript previews as no change, with no Lago call", async () => {
    const ts = await offlineStack({
      stateDir: path.join(scratch, "state"),
      projectName: "exported",
      stackName: "prod",
      passphrase: "export-e2e",
      program: () => tsProgram("ts"),
      cli: await ensurePulumiCli({ acquire: false }),
      lago: { apiUrl: lago.apiUrl, apiKey: lago.apiKey },
    });
    const { result, calls } = await operation((on) => ts.preview(on));
    expect(recorder.changes()).toEqual([]);
    expect(Object.keys(result.changeSummary)).toEqual(["same"]);
    expect(calls).toEqual([]);
  });

  it("a second export, through the stack's own lago:apiUrl and lago:apiKey, is byte-identical: the up changed nothing in Lago", async () => {
    const state = path.join(scratch, "state");
    // What a shell in the project would hold: the backend and the passphrase.
    const env = { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "export-e2e" };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const before = lago.admin.requests.length;
      await runExportCommand({ stack: "prod", cwd: state, pulumiHome: path.join(state, ".pulumi-home"), customers: true, out: path.join(scratch, "again") }, quiet);
      expect(lago.admin.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await exportTo("again-ts", "ts");
    expect(read(path.join(scratch, "again"))).toEqual(read(path.join(scratch, "yaml")));
    expect(read(path.join(scratch, "again-ts"))).toEqual(read(path.join(scratch, "ts")));
  });

  it("after the first up, an object deleted in Lago is drift: a refreshing preview shows it created again", async () => {
    const gone = await fetch(`${lago.apiUrl}/add_ons/onboarding`, { method: "DELETE", headers: { authorization: `Bearer ${lago.apiKey}` } });
    expect(gone.status).toBe(200);
    const { writes } = await operation((on) => stack.preview({ ...on, refresh: true }));
    expect(recorder.changes().filter((c) => !c.startsWith("refresh "))).toEqual(["create addon-onboarding"]);
    expect(writes).toEqual([]);
  });
});
