// The state version in outputs: older outputs are migrated before they are compared or used, a newer release's
// state is refused with the fix named, and the kinds read 0.1.0's outputs (from the upgrade fixture) as unchanged.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { migrateOutputs, STATE_VERSION, STATE_VERSION_KEY, stateVersionOf } from "../../provider/state-version";
import { useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();

describe("migrateOutputs", () => {
  // A layout change of the kind a later release may make: version 2 → 3 renames a field, 3 → 4 adds a default.
  const migrations = {
    2: ({ oldName, ...rest }: Record<string, unknown>) => ({ ...rest, newName: oldName }),
    3: (outputs: Record<string, unknown>) => ({ currency: "USD", ...outputs }),
  };

  it("runs every step from the stored version up, in order, and stamps the current one", () => {
    expect(migrateOutputs({ oldName: "a", [STATE_VERSION_KEY]: 2 }, migrations, "X", 4)).toEqual({ newName: "a", currency: "USD", [STATE_VERSION_KEY]: 4 });
    expect(migrateOutputs({ newName: "a", currency: "EUR", [STATE_VERSION_KEY]: 3 }, migrations, "X", 4)).toEqual({ newName: "a", currency: "EUR", [STATE_VERSION_KEY]: 4 });
  });

  it("outputs without a version are 0.1.0's (version 1); steps without a migration keep the layout", () => {
    expect(stateVersionOf({ code: "mtu" })).toBe(1);
    expect(migrateOutputs({ code: "mtu", oldName: "a" }, migrations, "X", 3)).toEqual({ code: "mtu", newName: "a", [STATE_VERSION_KEY]: 3 });
    expect(migrateOutputs({ code: "mtu" }, undefined, "X")).toEqual({ code: "mtu", [STATE_VERSION_KEY]: STATE_VERSION });
  });

  it("refuses state from a newer release, and a version no release writes, naming the resource and the fix", () => {
    expect(() => migrateOutputs({ [STATE_VERSION_KEY]: STATE_VERSION + 1 }, undefined, 'Plan code "team"')).toThrow(
      `Plan code "team": the state was written by a newer pulumi-lago (state version ${STATE_VERSION + 1}; this one reads up to ${STATE_VERSION}). Install that release or a later one next to the program.`,
    );
    expect(() => migrateOutputs({ [STATE_VERSION_KEY]: "two" }, undefined, "X")).toThrow('X: the state holds __schemaVersion "two", which no pulumi-lago writes');
  });
});

describe("the kinds on 0.1.0 outputs", () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../upgrade/fixtures/0.1.0/stack.json"), "utf8"));
  const stored = (kind: string) => fixture.deployment.resources.find((r: { type: string }) => r.type.endsWith(`:${kind}`));

  it("the fixture's outputs carry no version: they are what 0.1.0 wrote", () => {
    for (const kind of ["BillableMetric", "Plan", "Customer", "Subscription"]) expect(stored(kind).outputs[STATE_VERSION_KEY]).toBeUndefined();
  });

  it("diff of a 0.1.0 metric against its unchanged arguments is no change, and read stamps the version", async () => {
    const old = stored("BillableMetric");
    expect((await runtime.kinds.BillableMetric.diff(old.id, old.outputs, old.inputs)).changes).toBe(false);
    const created = await runtime.kinds.BillableMetric.create(old.inputs); // the same metric in this test's Lago
    const { [STATE_VERSION_KEY]: _, ...unversioned } = created.outs!;
    const read = await runtime.kinds.BillableMetric.read(created.id, unversioned);
    expect(read.props).toEqual(created.outs);
    expect(read.props![STATE_VERSION_KEY]).toBe(STATE_VERSION);
    expect(lago.server.admin.requests.filter((r) => r.method !== "GET")).toHaveLength(1); // the create only
  });

  it("a newer release's outputs are refused before any call to Lago", async () => {
    const old = stored("Plan");
    const before = lago.server.admin.requests.length;
    await expect(runtime.kinds.Plan.diff(old.id, { ...old.outputs, [STATE_VERSION_KEY]: STATE_VERSION + 1 }, old.inputs)).rejects.toThrow(/written by a newer pulumi-lago/);
    expect(lago.server.admin.requests.length).toBe(before);
  });
});
