// The provider shells as Pulumi serializes them into state: small, free of any API key, and working
// when loaded back the way the dynamic-provider host does.
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { billableMetricProviderShell } from "../../provider/resources/billable-metric";
import { customerProviderShell } from "../../provider/resources/customer";
import { planProviderShell } from "../../provider/resources/plan";
import { subscriptionProviderShell } from "../../provider/resources/subscription";
import { useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();

const SECRET_KEY = "lago-secret-key-5f1c9d2e-never-in-state";
const shells = { billableMetric: billableMetricProviderShell, customer: customerProviderShell, plan: planProviderShell, subscription: subscriptionProviderShell };

/** What `pulumi.dynamic.Resource` does with the provider object. */
async function serialize(provider: pulumi.dynamic.ResourceProvider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** What the dynamic-provider host does with the serialized text. */
function load(text: string): pulumi.dynamic.ResourceProvider {
  const mod = new Module(path.join(process.cwd(), "__serialized_provider__.js"), undefined);
  mod.filename = mod.id; // resolves pulumi-lago/runtime as a package self-reference, like the host does from the project
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(process.cwd());
  (mod as unknown as { _compile(code: string, filename: string): void })._compile(text, mod.id);
  return (mod.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
}

const previousKey = process.env.LAGO_API_KEY;
afterAll(() => {
  if (previousKey === undefined) delete process.env.LAGO_API_KEY;
  else process.env.LAGO_API_KEY = previousKey;
});

describe("serialized providers", () => {
  it.each(Object.entries(shells))("%s: at most 2 KB, no API key, even with one configured and in use", async (kind, shell) => {
    process.env.LAGO_API_KEY = SECRET_KEY;
    runtime.configureWith({ apiUrl: lago.server.apiUrl, apiKey: SECRET_KEY });
    await runtime.billableMetric.read("x", { code: "nothing" }).catch(() => undefined); // a client now exists with that key
    const serialized = await serialize(shell);
    expect(serialized.text.length).toBeLessThanOrEqual(2048);
    expect(serialized.text).not.toContain(SECRET_KEY);
    expect(serialized.text).not.toContain(lago.server.apiKey);
    expect(serialized.containsSecrets).toBe(false);
    expect(serialized.text).toContain(`require("pulumi-lago/runtime").${kind}`);
  });

  it("a loaded provider takes its key from configure() and works against Lago", async () => {
    const provider = load((await serialize(billableMetricProviderShell)).text);
    const config = { "lago:apiUrl": lago.server.apiUrl, "lago:apiKey": lago.server.apiKey };
    await provider.configure!({ config: { get: (key: string) => config[key as keyof typeof config], require: (key: string) => config[key as keyof typeof config] } });
    const created = await provider.create({ name: "MTU", code: "mtu", aggregationType: "count_agg" });
    expect((await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id).toBe(created.id);
  });
});
