// What a resource stores as its provider: one line naming its kind in the installed pulumi-lago, the same for every
// release, free of any key, and working when loaded back the way the dynamic-provider host does. The closures
// release 0.1.0 serialized (kept in the upgrade fixture) still load and reach this release's code.
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { dynamicType, providerReference, type LagoKind } from "../../provider/resources/reference";
import { useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();

const KINDS: LagoKind[] = ["BillableMetric", "Customer", "Plan", "Subscription"];

/** What the dynamic-provider host does with the stored text: compile it as a module and call its handler. */
function load(text: string): pulumi.dynamic.ResourceProvider {
  const mod = new Module(path.join(process.cwd(), "__serialized_provider__.js"), undefined);
  mod.filename = mod.id; // resolves pulumi-lago/runtime as a package self-reference (the host reaches it through NODE_PATH)
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(process.cwd());
  (mod as unknown as { _compile(code: string, filename: string): void })._compile(text, mod.id);
  return (mod.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
}

const config = () => {
  const values: Record<string, string> = { "lago:apiUrl": lago.server.apiUrl, "lago:apiKey": lago.server.apiKey };
  return { config: { get: (key: string) => values[key], require: (key: string) => values[key]! } };
};

describe("the provider reference in state", () => {
  it("is one fixed line per kind: the text every release writes, so an upgrade shows no __provider change", () => {
    for (const kind of KINDS) expect(providerReference(kind)).toBe(`exports.handler = () => require("pulumi-lago/runtime").kinds.${kind};`);
    expect(KINDS.map(dynamicType)).toEqual(KINDS.map((k) => `pulumi-nodejs:dynamic/lago:${k}`)); // pulumi.dynamic.Resource's token with module "lago"
  });

  it.each(KINDS)("%s: loads as the host loads it, to the runtime's provider of that kind", async (kind) => {
    const loaded = load(providerReference(kind));
    expect(Object.keys(loaded).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
    // The host's copy of the runtime is another module instance; its answers are this kind's (each schema fails differently).
    expect(await loaded.check!({}, {})).toEqual(await runtime.kinds[kind].check({}, {}));
  });

  it("a loaded provider takes its key from configure() and works against Lago", async () => {
    const provider = load(providerReference("BillableMetric"));
    await provider.configure!(config() as never);
    const created = await provider.create({ name: "MTU", code: "mtu", aggregationType: "count_agg" });
    expect((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id).toBe(created.id);
  });

  it("the 0.1.0 closures in the upgrade fixture load and run this release's code", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../upgrade/fixtures/0.1.0/stack.json"), "utf8"));
    const stored = new Map<string, string>();
    for (const r of fixture.deployment.resources) if (r.inputs?.__provider) stored.set(r.type.split(":").pop(), r.inputs.__provider);
    expect([...stored.keys()].sort()).toEqual([...KINDS].sort());
    for (const [kind, text] of stored) {
      expect(text.length).toBeGreaterThan(1500); // what this release no longer writes
      const legacy = load(text);
      await legacy.configure!(config() as never);
      // Its check is this release's: the same failure, word for word, as the current provider of its kind.
      const current = await runtime.kinds[kind as LagoKind].check({}, {});
      expect(await legacy.check!({}, {})).toEqual(current);
    }
    const metric = load(stored.get("BillableMetric")!);
    const created = await metric.create({ name: "Seats", code: "seats", aggregationType: "count_agg" });
    expect(created.outs).toMatchObject({ code: "seats", lagoId: created.id, [STATE_VERSION_KEY]: STATE_VERSION }); // only this release writes the version
  });
});
