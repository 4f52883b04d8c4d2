// The whole life of a small billing stack through the real Pulumi engine (Automation API, inline program,
// file backend) against a fresh local Lago: create, no-op preview, one price change, the preview CLI's report of
// another, drift made in Lago and repaired, guarded and opted-in destroy. All along, every process's command line is
// watched for the API key and the stack passphrase. Then both are looked for everywhere the engine, the preview and
// the local Lago wrote, and the engine's own logs, which would hold the key, are shown to be kept away.
// The steps share one stack and run in order; a failing step leaves the later ones failing too.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPreviewCommand } from "../../bin/commands/preview";
import { offlineStack } from "../../provider/engine";
import { anonymizeId, type PreviewReport } from "../../provider/preview";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { ArgvWatch, type ArgvWatchReport } from "./support/argv-watch";
import { checkpointPath, checkpointResources, decryptedEngineLog, EngineRecorder, REPO_ROOT, type EngineCallbacks, useLocalLagoWithOwnKey, useScratchDir } from "./support/engine";
import { lifecycleProgram } from "./support/lifecycle-program";
import { engineLogFiles, fileFormat, regularFiles, secretOccurrences } from "./support/secrets";

// The scratch directory first: its removal, registered first, runs after the local Lago has stopped.
const scratch = useScratchDir("e2e-lifecycle");
const lagoData = path.join(scratch, "lago-data");
const lago = useLocalLagoWithOwnKey({ dataDir: lagoData });
const stateDir = path.join(scratch, "state");
const reportsDir = path.join(scratch, "reports");
const PROJECT = "lifecycle";
const STACK = "dev";
/** The stack's own passphrase: a fixed one could turn up somewhere by chance. */
const PASSPHRASE = `lifecycle-${randomBytes(12).toString("hex")}`;
/** Put on a command line on purpose, to show the watch sees a short-lived process's arguments. */
const CONTROL = `argv-control-${randomBytes(8).toString("hex")}`;

/** What the program declares; the steps below edit it between operations, as a user edits their code. */
const desired = { teamTopPrice: "0.010", allowDestroy: false };
const program = lifecycleProgram(desired);

const recorder = new EngineRecorder();
let stack: Stack;
let watch: ArgvWatch | undefined;
/** When the preview CLI ran (Date.now() before and after), to show the watch saw its Pulumi commands. */
let previewCliWindow: [number, number] = [0, 0];

/** Team's single charge as Lago holds it. */
async function teamCharge() {
  const { data } = await lago.client.plans.findPlan("team");
  expect(data.plan.charges).toHaveLength(1);
  return data.plan.charges![0]! as { lago_id: string; properties: { graduated_ranges: Array<Record<string, unknown>> } };
}

/** Runs one engine operation through the recorder; `calls` are the Lago API calls it made, as "METHOD path status". */
async function operation<T>(run: (on: EngineCallbacks) => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const before = lago.server.admin.requests.length;
  const result = await recorder.run(run);
  return { result, calls: lago.server.admin.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`) };
}
const writesOf = (calls: string[]) => calls.filter((c) => !c.startsWith("GET "));

beforeAll(async () => {
  watch = new ArgvWatch({ "API key": lago.server.apiKey, passphrase: PASSPHRASE, control: CONTROL });
  // No engine is a failure here, never a skip: `npm run setup:pulumi` (run by pretest) provides one.
  const cli = await ensurePulumiCli({ acquire: false });
  stack = await offlineStack({ stateDir, projectName: PROJECT, stackName: STACK, program, cli, passphrase: PASSPHRASE, lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey } });
});
afterAll(async () => {
  await watch?.stop(); // when a step failed before the last test stopped it
});

describe("a billing stack's lifecycle through the Pulumi engine", { timeout: 180_000 }, () => {
  let chargeId: string;

  it("up creates the metric, two plans, a customer and a subscription in Lago", async () => {
    const { result: up, calls } = await operation((on) => stack.up(on));
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: 6 }); // five Lago objects and the stack
    expect(recorder.changes().sort()).toEqual(["create acme", "create acme-main", "create free", "create mtu", "create team"]);
    expect(writesOf(calls).sort()).toEqual([
      "POST /api/v1/billable_metrics 200",
      "POST /api/v1/customers 200",
      "POST /api/v1/plans 200",
      "POST /api/v1/plans 200",
      "POST /api/v1/subscriptions 200",
    ]);

    const { data: metrics } = await lago.client.billableMetrics.findAllBillableMetrics();
    expect(metrics.billable_metrics.map((m) => m.code)).toEqual(["mtu"]);
    const { data: plans } = await lago.client.plans.findAllPlans();
    expect(plans.plans.map((p) => p.code).sort()).toEqual(["free", "team"]);
    const { data: sub } = await lago.client.subscriptions.findSubscription("acme-main");
    expect(sub.subscription).toMatchObject({ external_customer_id: "acme", plan_code: "team", status: "active" });
    expect(up.outputs.subscriptionStatus!.value).toBe("active");

    const charge = await teamCharge();
    chargeId = charge.lago_id;
    expect(charge.properties.graduated_ranges[3]).toEqual({ from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" });
    expect(up.outputs.teamCharges!.value).toEqual([expect.objectContaining({ lagoId: chargeId, code: "mtu", chargeModel: "graduated" })]);
  });

  it("a preview of the unchanged stack shows 0 changes and makes no Lago call", async () => {
    const { result: preview, calls: calls } = await operation((on) => stack.preview(on));
    expect(preview.changeSummary).toEqual({ same: 6 });
    expect(recorder.changes()).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("changing one graduated-range price previews as exactly one update, on that plan", async () => {
    desired.teamTopPrice = "0.009";
    const { result: preview, calls: calls } = await operation((on) => stack.preview(on));
    expect(preview.changeSummary).toEqual({ same: 5, update: 1 });
    expect(recorder.changes()).toEqual(["update team"]);
    expect(writesOf(calls)).toEqual([]); // a preview only reads (Team has a subscription: are its charges frozen?)
  });

  it("up applies it with one write, and the charge keeps its lago_id", async () => {
    const { result: up, calls: calls } = await operation((on) => stack.up(on));
    expect(up.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(recorder.changes()).toEqual(["update team"]);
    expect(writesOf(calls)).toEqual(["PUT /api/v1/plans/team 200"]);

    const charge = await teamCharge();
    expect(charge.lago_id).toBe(chargeId);
    expect(charge.properties.graduated_ranges[3]).toEqual({ from_value: 100001, to_value: null, per_unit_amount: "0.009", flat_amount: "0" });
  });

  it("the preview CLI reports another price change with anonymized customers, reading Lago only", async () => {
    // The program from a file, as a user's CI runs it: Team's top price at 0.008 (the stack holds 0.009).
    const programFile = path.join(scratch, "program-0.008.ts");
    fs.writeFileSync(
      programFile,
      `import { lifecycleProgram } from ${JSON.stringify(path.join(REPO_ROOT, "test", "e2e", "support", "lifecycle-program"))};\nexport const program = lifecycleProgram({ teamTopPrice: "0.008", allowDestroy: false });\n`,
    );
    fs.mkdirSync(reportsDir, { recursive: true });
    const files = { markdown: path.join(reportsDir, "preview.md"), json: path.join(reportsDir, "preview.json") };
    const printed: string[] = [];
    const before = lago.server.admin.requests.length;
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE; // how CI hands it over: the environment, not an argument
    previewCliWindow = [Date.now(), 0];
    let result;
    try {
      result = await runPreviewCommand(
        // The home offlineStack prepared, whose logs folder is blocked (the CLI's log would hold the key).
        { stack: STACK, cwd: stateDir, program: programFile, markdown: files.markdown, json: files.json, customers: true, anonymize: true, pulumiHome: stack.workspace.pulumiHome },
        { out: (t) => printed.push(t), err: (t) => printed.push(t) },
      );
    } finally {
      previewCliWindow[1] = Date.now();
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
    }
    recorder.transcript.push(...printed);
    expect(result.exitCode).toBe(0);
    const calls = lago.server.admin.requests.slice(before);
    expect(calls.filter((r) => r.method !== "GET")).toEqual([]);
    expect(calls.map((r) => `${r.path} ${r.status}`)).toContain("/api/v1/customers/acme/current_usage 200");

    const json = JSON.parse(fs.readFileSync(files.json, "utf8")) as PreviewReport;
    expect(json.steps.map((s) => `${s.op} ${s.kind} ${s.key}`)).toEqual(["update Plan team"]);
    expect(json.plans[0]!.changes.map((c) => c.text)).toEqual(["Team · Monthly Tracked Users · 100,001+: $0.009 → $0.008 per unit"]);
    expect(json.anonymized).toBe(true);
    expect(json.customers!.subscriptions.map((s) => [s.customer, s.subscription])).toEqual([[anonymizeId("acme"), anonymizeId("acme-main")]]);
    const markdown = fs.readFileSync(files.markdown, "utf8");
    for (const text of [markdown, JSON.stringify(json)]) expect(text).not.toMatch(/acme/i);
  });

  it("a change made in Lago directly is detected by refresh, and up restores the program's values", async () => {
    const charge = await teamCharge();
    const ranges = charge.properties.graduated_ranges.map((r, i) => (i === 3 ? { ...r, per_unit_amount: "0.5" } : r));
    await lago.client.plans.updatePlan("team", {
      plan: { name: "Team (edited in Lago)", charges: [{ id: chargeId, billable_metric_id: (charge as any).lago_billable_metric_id, charge_model: "graduated", properties: { graduated_ranges: ranges } }] },
    } as never);
    expect((await teamCharge()).properties.graduated_ranges[3]!.per_unit_amount).toBe("0.5");

    const { result: refresh, calls: refreshCalls } = await operation((on) => stack.refresh(on));
    expect(refresh.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(writesOf(refreshCalls)).toEqual([]);
    const team = checkpointResources(checkpointPath(stateDir, PROJECT, STACK)).find((r) => r.urn.endsWith("::team"))!;
    expect(team.outputs!.name).toBe("Team (edited in Lago)");
    expect(team.outputs!.charges[0].graduatedRanges[3].perUnitAmount).toBe("0.5");

    const { result: preview } = await operation((on) => stack.preview(on));
    expect(preview.changeSummary).toEqual({ same: 5, update: 1 });
    expect(recorder.changes()).toEqual(["update team"]);

    const { result: up, calls: upCalls } = await operation((on) => stack.up(on));
    expect(up.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(writesOf(upCalls)).toEqual(["PUT /api/v1/plans/team 200"]);
    const { data } = await lago.client.plans.findPlan("team");
    expect(data.plan.name).toBe("Team");
    expect((data.plan.charges![0]!.properties as any).graduated_ranges[3].per_unit_amount).toBe("0.009");
    expect(data.plan.charges![0]!.lago_id).toBe(chargeId);
  });

  it("a destroy without allowDestroy is refused, naming what it would end and how to accept it", async () => {
    const { result: error, calls } = await operation((on) => stack.destroy(on).then(() => undefined, (e: Error) => e));
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain(
      'Subscription external_id "acme-main": refusing to delete it: subscription "acme-main" is active on plan "team" for customer "acme"; terminating it ends its billing and issues its final invoice. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
    // The engine deletes in layers, dependents first (the subscription; both plans; the metric and the customer):
    // the refusal in the first layer ends the destroy before anything is deleted.
    expect(recorder.changes()).toEqual(["delete acme-main"]);
    expect(calls).toEqual(["GET /api/v1/subscriptions/acme-main 200"]);
    expect((await lago.client.subscriptions.findSubscription("acme-main")).data.subscription.status).toBe("active");
    const left = checkpointResources(checkpointPath(stateDir, PROJECT, STACK)).map((r) => r.urn.split("::").pop());
    expect(left).toEqual(expect.arrayContaining(["acme", "acme-main", "free", "team", "mtu"]));
  });

  it("after opting in with allowDestroy and up, destroy leaves Lago empty", async () => {
    desired.allowDestroy = true;
    const { result: up, calls: optIn } = await operation((on) => stack.up(on));
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 5 });
    expect(optIn).toEqual([]); // a provider option only: recorded in the state, nothing sent to Lago

    const { result: destroy, calls: calls } = await operation((on) => stack.destroy(on));
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    expect(writesOf(calls).sort()).toEqual([
      "DELETE /api/v1/billable_metrics/mtu 200",
      "DELETE /api/v1/customers/acme 200",
      "DELETE /api/v1/plans/free 200",
      "DELETE /api/v1/plans/team 200",
      "DELETE /api/v1/subscriptions/acme-main 200",
    ]);
    expect(writesOf(calls)[0]).toBe("DELETE /api/v1/subscriptions/acme-main 200");

    expect((await lago.client.billableMetrics.findAllBillableMetrics()).data.billable_metrics).toEqual([]);
    expect((await lago.client.plans.findAllPlans()).data.plans).toEqual([]);
    expect((await lago.client.customers.findAllCustomers()).data.customers).toEqual([]);
    expect((await lago.client.subscriptions.findAllSubscriptions()).data.subscriptions).toEqual([]);
    // Lago keeps ended subscriptions as history (§5.6): Acme's is there, terminated, and nothing else.
    const { data: ended } = await lago.client.subscriptions.findAllSubscriptions({ "status[]": ["active", "pending", "terminated", "canceled"] } as never);
    expect(ended.subscriptions.map((s) => `${s.external_id} ${s.status}`)).toEqual(["acme-main terminated"]);
    expect(checkpointResources(checkpointPath(stateDir, PROJECT, STACK))).toEqual([]);
  });

  it("neither the API key nor the passphrase appears in any file written or any output of any operation", () => {
    const files = regularFiles(stateDir);
    expect(files).toContain(checkpointPath(stateDir, PROJECT, STACK));
    expect(files).toContain(path.join(stateDir, `Pulumi.${STACK}.yaml`));
    expect(regularFiles(reportsDir).sort()).toEqual([path.join(reportsDir, "preview.json"), path.join(reportsDir, "preview.md")]);
    expect(regularFiles(lagoData).length).toBeGreaterThan(0); // the local Lago's snapshot and journal
    expect(recorder.transcript.join("")).toContain("refusing to delete it"); // the provider's stderr was captured too
    expect(recorder.transcript.join("")).toContain("Pricing preview of dev: 1 update"); // and the preview CLI's output
    // The local Lago's request log, as its admin API serves it.
    const requestLog = JSON.stringify({ requests: lago.server.admin.requests });
    expect(requestLog).toContain("/api/v1/customers/acme/current_usage");
    // The key is not in the stack config as written: it is there encrypted with the passphrase.
    const stackConfig = fs.readFileSync(path.join(stateDir, `Pulumi.${STACK}.yaml`), "utf8");
    expect(stackConfig).toMatch(/lago:apiKey:\s+secure: v1:/);
    for (const secret of [lago.server.apiKey, PASSPHRASE])
      expect(secretOccurrences(secret, { dirs: [stateDir, reportsDir, lagoData], texts: [...recorder.transcript, requestLog] })).toEqual([]);

    // The CLI keeps no log of its own: it logs each command under PULUMI_HOME (inside the state directory here),
    // an engine operation's log encrypted, so no raw scan sees the key in it (the last test shows it is there).
    // offlineStack holds the logs folder's place with a plain file; no file anywhere is named or shaped like a log.
    const pulumiHome = stack.workspace.pulumiHome!;
    expect(pulumiHome.startsWith(stateDir + path.sep)).toBe(true);
    expect(fs.statSync(path.join(pulumiHome, "logs")).isFile()).toBe(true);
    expect(engineLogFiles(stateDir)).toEqual([]);
    expect(files.map(fileFormat).filter((format) => format !== "other")).toEqual([]);

    // The scan does find the key where it is: plain, base64-encoded, or base64 inside a larger blob, gzipped or not.
    const control = path.join(scratch, "control");
    fs.mkdirSync(control, { recursive: true });
    const blob = (prefix: string) => Buffer.from(prefix + lago.server.apiKey + "…").toString("base64");
    fs.writeFileSync(path.join(control, "blob.json"), JSON.stringify({ value: blob("protobuf header ") }));
    fs.writeFileSync(path.join(control, "log.gz"), gzipSync(`{"msg":"config ${lago.server.apiKey}"}`));
    expect(secretOccurrences(lago.server.apiKey, { dirs: [control], texts: [`Bearer ${lago.server.apiKey}`, blob("x"), blob("xy"), "nothing here"] }).sort()).toEqual([
      `file ${path.join(control, "blob.json")}`,
      `file ${path.join(control, "log.gz")}`,
      "text #0",
      "text #1",
      "text #2",
    ]);
    // The key did reach Lago: no call the provider made was refused.
    expect(lago.server.admin.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it("without offlineStack's guard, an operation's log holds the key, encrypted; offlineStack clears it away", async () => {
    const logsPath = path.join(stack.workspace.pulumiHome!, "logs");
    fs.rmSync(logsPath);
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 6 });

    const logs = engineLogFiles(stateDir);
    expect(logs.every((f) => f.startsWith(logsPath + path.sep))).toBe(true);
    const encrypted = logs.filter((f) => fileFormat(f) === "PLOG");
    expect(encrypted.length).toBeGreaterThan(0);
    expect(secretOccurrences(lago.server.apiKey, { dirs: [logsPath], texts: [] })).toEqual([]); // raw: unreadable
    // Decrypted with the stack's passphrase: the trace of the provider's CheckConfig and Configure carries the key.
    const plaintexts = encrypted.map((f) => decryptedEngineLog(stack.workspace, f));
    expect(plaintexts.join("")).toContain("CheckConfig");
    expect(secretOccurrences(lago.server.apiKey, { dirs: [], texts: plaintexts })).not.toEqual([]);

    // Opening the stack again puts the guard back and takes the logs folder with it; its own commands log nothing.
    await offlineStack({ stateDir, projectName: PROJECT, stackName: STACK, program, passphrase: PASSPHRASE, lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey } });
    expect(fs.statSync(logsPath).isFile()).toBe(true);
    expect(engineLogFiles(stateDir)).toEqual([]);
    expect(secretOccurrences(lago.server.apiKey, { dirs: [stateDir], texts: [] })).toEqual([]);
  });

  it("no process started along the way carried the API key or the passphrase on its command line", async () => {
    // The control: a process that lives a quarter of a second with a watched value among its arguments.
    expect(spawnSync(process.execPath, ["-e", "setTimeout(() => {}, 250)", CONTROL]).status).toBe(0);
    const report: ArgvWatchReport = await watch!.stop();
    watch = undefined;
    expect(report.hits.filter((h) => h.secret !== "control")).toEqual([]);
    expect(report.hits.filter((h) => h.secret === "control").map((h) => h.command)).toEqual([`${process.execPath} -e setTimeout(() => {}, 250) <control>`]);

    // What it watched: the CLI's config writes (key and URL through stdin), and every engine operation.
    const pulumi = report.commands.filter((c) => /(^|\/)pulumi /.test(c.command));
    const seen = (pattern: RegExp) => pulumi.filter((c) => pattern.test(c.command));
    expect(seen(/ config set lago:apiKey --stack dev --secret /)).not.toEqual([]);
    expect(seen(/ config set lago:apiUrl --stack dev --plaintext /)).not.toEqual([]);
    for (const operation of ["up", "preview", "refresh", "destroy"]) expect(seen(new RegExp(` ${operation} `)), operation).not.toEqual([]);
    // The preview CLI's own run of the engine happened while it was being watched.
    const [from, to] = previewCliWindow;
    expect(seen(/ preview /).filter((c) => c.firstSeen >= from && c.firstSeen <= to)).not.toEqual([]);
    expect(report.polls).toBeGreaterThan(100);
  });
});
