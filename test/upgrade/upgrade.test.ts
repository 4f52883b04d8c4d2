// Upgrading pulumi-lago under a stack that an older release wrote. Each directory under fixtures/ is a release's
// checkpoint (its resources carry that release's `__provider`) and the Lago holding its objects (make-fixtures.ts).
// Imported into a stack of the real engine against that Lago, with the program unchanged, this release must refresh
// it, preview it as no change with no Lago call, update it, and destroy it; and the code that runs on the untouched
// resources is this release's (the fix reaches them: refresh writes the state version, which 0.1.0 never wrote).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Deployment, Stack } from "@pulumi/pulumi/automation";
import { Client } from "lago-javascript-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalLago } from "../../local-lago";
import { providerReference, type LagoKind } from "../../provider/resources/reference";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { lagoResources, openFixtureStack, type StateResource } from "./fixture-stack";
import { FIXTURE_API_KEY, FIXTURE_KNOBS } from "./program";

const FIXTURES = path.join(__dirname, "fixtures");
const releases = fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, "stack.json")));

const kindOf = (r: StateResource) => r.type.split(":").pop() as LagoKind;

describe.each(releases)("a stack written by pulumi-lago %s", { timeout: 240_000 }, (release) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-lago-upgrade-${release}-`));
  const knobs = { ...FIXTURE_KNOBS };
  let lago: LocalLago;
  let stack: Stack;
  let written: Deployment;

  /** Lago API calls made by `run`, as "METHOD path". */
  async function calls<T>(run: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    const before = lago.admin.requests.length;
    const result = await run();
    return { result, calls: lago.admin.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, "")}`) };
  }

  beforeAll(async () => {
    ({ lago, stack, written } = await openFixtureStack(path.join(FIXTURES, release), scratch, knobs));
  });

  afterAll(async () => {
    await lago?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("holds what that release wrote: a serialized provider per resource and no state version", () => {
    const resources = lagoResources(written);
    expect(resources.map(kindOf).sort()).toEqual(["BillableMetric", "Customer", "Plan", "Subscription"]);
    for (const r of resources) {
      expect(r.inputs!.__provider).not.toBe(providerReference(kindOf(r)));
      expect(r.outputs![STATE_VERSION_KEY]).toBeUndefined();
    }
  });

  it("a provider fix reaches the untouched resources without touching the program: refresh runs this release's read (it writes the state version, which that release never wrote), and each comes back unchanged", async () => {
    const { result } = await calls(() => stack.refresh());
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toEqual({ same: 5 }); // the four objects and the stack
    const refreshed = lagoResources(await stack.exportStack());
    for (const r of refreshed) {
      expect(r.outputs![STATE_VERSION_KEY]).toBe(STATE_VERSION);
      const before = lagoResources(written).find((w) => w.urn === r.urn)!;
      const { [STATE_VERSION_KEY]: _, __provider: __, ...outputs } = r.outputs!;
      const { __provider: ___, ...writtenOutputs } = before.outputs!;
      expect(outputs).toEqual(writtenOutputs);
      expect(r.id).toBe(before.id);
    }
  });

  it("the unchanged program previews as no change, no __provider diff, and no Lago call", async () => {
    const { result, calls: made } = await calls(() => stack.preview({ diff: true }));
    expect(result.changeSummary).toEqual({ same: 5 });
    expect(result.stdout).not.toContain("__provider");
    expect(made).toEqual([]);
  });

  it("up of the unchanged program changes nothing in Lago and records this release's provider reference", async () => {
    const { result, calls: made } = await calls(() => stack.up());
    expect(result.summary.resourceChanges).toEqual({ same: 5 });
    expect(made).toEqual([]);
    for (const r of lagoResources(await stack.exportStack())) expect(r.inputs!.__provider).toBe(providerReference(kindOf(r)));
  });

  it("a price change updates the plan in place with one write", async () => {
    knobs.teamTopPrice = "0.009";
    const { result, calls: made } = await calls(() => stack.up());
    expect(result.summary.resourceChanges).toEqual({ same: 4, update: 1 });
    expect(made.filter((c) => !c.startsWith("GET "))).toEqual(["PUT /plans/team"]);
    const team = lagoResources(await stack.exportStack()).find((r) => kindOf(r) === "Plan")!;
    expect(team.outputs).toMatchObject({ __provider: providerReference("Plan"), [STATE_VERSION_KEY]: STATE_VERSION });
    const { data } = await Client(FIXTURE_API_KEY, { baseUrl: lago.apiUrl }).plans.findPlan("team");
    expect((data.plan.charges![0]!.properties as { graduated_ranges: Array<{ per_unit_amount: string }> }).graduated_ranges[3]!.per_unit_amount).toBe("0.009");
  });

  it("destroy, once allowed, removes every object from Lago", async () => {
    knobs.allowDestroy = true;
    const allowed = await calls(() => stack.up());
    expect(allowed.result.summary.resourceChanges).toEqual({ same: 1, update: 4 });
    expect(allowed.calls.filter((c) => !c.startsWith("GET "))).toEqual([]); // a provider option: nothing to write
    const { result, calls: made } = await calls(() => stack.destroy());
    expect(result.summary.result).toBe("succeeded");
    expect(made.filter((c) => !c.startsWith("GET ")).sort()).toEqual(["DELETE /billable_metrics/mtu", "DELETE /customers/acme", "DELETE /plans/team", "DELETE /subscriptions/acme-team"]);
    const client = Client(FIXTURE_API_KEY, { baseUrl: lago.apiUrl });
    const status = (call: Promise<unknown>) => call.then(() => 200, (e: { status?: number }) => e.status);
    const gone = await Promise.all([status(client.billableMetrics.findBillableMetric("mtu")), status(client.plans.findPlan("team")), status(client.customers.findCustomer("acme"))]);
    expect(gone).toEqual([404, 404, 404]);
  });
});
