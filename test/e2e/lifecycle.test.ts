// The whole life of a small billing stack through the real Pulumi engine (Automation API, inline program,
// file backend) against a fresh local Lago: create, no-op preview, one price change, drift made in Lago
// and repaired, guarded and opted-in destroy. Then the API key is looked for everywhere the engine wrote, and the
// engine's own logs, which would hold it, are shown to be kept away.
// The steps share one stack and run in order; a failing step leaves the later ones failing too.
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import type { Stack } from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { offlineStack } from "../../provider/engine";
import { BillableMetric, Customer, Plan, Subscription } from "../../provider";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { checkpointPath, checkpointResources, decryptedEngineLog, EngineRecorder, type EngineCallbacks, useLocalLagoWithOwnKey, useScratchDir } from "./support/engine";
import { engineLogFiles, fileFormat, regularFiles, secretOccurrences } from "./support/secrets";

const lago = useLocalLagoWithOwnKey();
const scratch = useScratchDir("e2e-lifecycle");
const stateDir = path.join(scratch, "state");
const PROJECT = "lifecycle";
const STACK = "dev";

/** What the program declares; the steps below edit it between operations, as a user edits their code. */
const desired = {
  /** Team's per-unit price beyond 100,000 MTUs. */
  teamTopPrice: "0.010",
  allowDestroy: false,
};

const graduated = (top: string) => [
  { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
  { fromValue: 100001, toValue: null, perUnitAmount: top },
];

/** Segment's pricing (lago-api.md §12): the MTU metric, Free and Team plans, Acme subscribed to Team. */
async function program() {
  const guard = desired.allowDestroy ? { allowDestroy: true } : {};
  const mtu = new BillableMetric("mtu", { name: "Monthly Tracked Users", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id", ...guard });
  const free = new Plan("free", {
    name: "Free",
    code: "free",
    interval: "monthly",
    amountCents: 0,
    amountCurrency: "USD",
    charges: [{ billableMetric: mtu, chargeModel: "graduated", graduatedRanges: [{ fromValue: 0, toValue: 1000, perUnitAmount: "0" }, { fromValue: 1001, toValue: null, perUnitAmount: "0.01" }] }],
    ...guard,
  });
  const team = new Plan("team", {
    name: "Team",
    code: "team",
    interval: "monthly",
    amountCents: 12000,
    amountCurrency: "USD",
    payInAdvance: true,
    trialPeriod: 14,
    charges: [{ billableMetric: mtu, chargeModel: "graduated", graduatedRanges: graduated(desired.teamTopPrice) }],
    ...guard,
  });
  const acme = new Customer("acme", { externalId: "acme", name: "Acme Inc", currency: "USD", ...guard });
  const subscription = new Subscription("acme-main", { externalId: "acme-main", customer: acme, plan: team, ...guard });
  return { freePlanId: free.lagoId, teamCharges: team.charges, subscriptionStatus: subscription.status };
}

const recorder = new EngineRecorder();
let stack: Stack;

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
  // No engine is a failure here, never a skip: `npm run setup:pulumi` (run by pretest) provides one.
  const cli = await ensurePulumiCli({ acquire: false });
  stack = await offlineStack({ stateDir, projectName: PROJECT, stackName: STACK, program, cli, lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey } });
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

  it("the API key appears in no file the engine wrote and in no output of any operation", () => {
    const files = regularFiles(stateDir);
    expect(files).toContain(checkpointPath(stateDir, PROJECT, STACK));
    expect(files).toContain(path.join(stateDir, `Pulumi.${STACK}.yaml`));
    expect(recorder.transcript.join("")).toContain("refusing to delete it"); // the provider's stderr was captured too
    expect(secretOccurrences(lago.server.apiKey, { dirs: [stateDir], texts: recorder.transcript })).toEqual([]);

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
    await offlineStack({ stateDir, projectName: PROJECT, stackName: STACK, program, lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey } });
    expect(fs.statSync(logsPath).isFile()).toBe(true);
    expect(engineLogFiles(stateDir)).toEqual([]);
    expect(secretOccurrences(lago.server.apiKey, { dirs: [stateDir], texts: [] })).toEqual([]);
  });
});
