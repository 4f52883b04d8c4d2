// The real Pulumi engine, offline, driven from inside vitest: a dynamic resource whose provider captures nothing but
// a `require` of this package, loaded (TypeScript and all) inside the dynamic-provider host, talking to the local Lago.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineStack, providerNodePath } from "../../provider/engine";
import { ensurePulumiCli, PULUMI_CLI_VERSION, type PulumiCli } from "../../provider/pulumi-cli";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago();
const repoRoot = path.resolve(__dirname, "../..");
const scratch = path.join(repoRoot, ".tmp", `engine-test-${process.pid}`);
let cli: PulumiCli;

beforeAll(async () => {
  cli = await ensurePulumiCli({ acquire: false });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// The shape every real provider shell takes: one arrow per method, each only a `require` of the runtime entry.
// The fixture path stands in for provider/runtime.ts, which the real shells reach through "pulumi-lago/provider/runtime".
const metricProvider: pulumi.dynamic.ResourceProvider = {
  configure: (r) => require("pulumi-lago/provider/runtime-loader").loadPackageModule("test/engine/fixtures/metric-runtime").configure(r),
  diff: (i, o, n) => require("pulumi-lago/provider/runtime-loader").loadPackageModule("test/engine/fixtures/metric-runtime").metric.diff(i, o, n),
  create: (n) => require("pulumi-lago/provider/runtime-loader").loadPackageModule("test/engine/fixtures/metric-runtime").metric.create(n),
  update: (i, o, n) => require("pulumi-lago/provider/runtime-loader").loadPackageModule("test/engine/fixtures/metric-runtime").metric.update(i, o, n),
  delete: (i, p) => require("pulumi-lago/provider/runtime-loader").loadPackageModule("test/engine/fixtures/metric-runtime").metric.delete(i, p),
};

class Metric extends pulumi.dynamic.Resource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly host: pulumi.Output<{ pid: number; cwd: string; typescriptLoaded: boolean }>;
  constructor(name: string, args: { code: string; name: pulumi.Input<string> }) {
    super(metricProvider, name, { ...args, lagoId: undefined, host: undefined }, {}, "lago", "BillableMetric");
  }
}

describe("offline Automation API stack", () => {
  it("finds the CLI this project builds, with the dynamic-provider plugin beside it", async () => {
    expect(cli.version).toBe(PULUMI_CLI_VERSION);
    expect(fs.existsSync(path.join(cli.binDir, "pulumi-resource-pulumi-nodejs"))).toBe(true);
  });

  it("up → preview → update → destroy a dynamic resource in the real engine", async () => {
    const stateDir = path.join(scratch, "metric");
    const timings: Record<string, number> = {};
    const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      try {
        return await run();
      } finally {
        timings[step] = Date.now() - started;
      }
    };
    let metricName = "Monthly Tracked Users";
    const stack = await timed("createOrSelectStack", () =>
      offlineStack({
        stateDir,
        projectName: "engine-test",
        stackName: "dev",
        lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey },
        cli,
        program: async () => {
          const metric = new Metric("mtu", { code: "mtu", name: metricName });
          return { lagoId: metric.lagoId, host: metric.host };
        },
      }),
    );

    const up = await timed("up (create)", () => stack.up());
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: 2 }); // the stack and the metric
    const created = (await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric;
    expect(up.outputs.lagoId.value).toBe(created.lago_id);
    expect(created.name).toBe("Monthly Tracked Users");
    // The provider ran in another process, with the work dir as its cwd, and its TypeScript was compiled on load.
    const host = up.outputs.host.value as { pid: number; cwd: string; typescriptLoaded: boolean };
    expect(host.pid).not.toBe(process.pid);
    expect(host.cwd).toBe(stateDir);
    expect(host.typescriptLoaded).toBe(true);

    // What the engine keeps: a small provider text and no API key anywhere in state or stack config.
    const deployment = await stack.exportStack();
    const resource = deployment.deployment.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/lago:BillableMetric");
    expect(resource.urn).toBe("urn:pulumi:dev::engine-test::pulumi-nodejs:dynamic/lago:BillableMetric::mtu");
    expect(resource.inputs.__provider.length).toBeLessThanOrEqual(2048);
    timings["__provider bytes"] = resource.inputs.__provider.length;
    expect(resource.inputs.__provider).not.toContain("lago-javascript-client");
    // The engine stores the whole stack config as inputs of the default pulumi-nodejs provider: the key is there,
    // but only as passphrase ciphertext (exportStack decrypts it, so read the checkpoint file itself).
    const checkpoint = fs.readFileSync(path.join(stateDir, ".pulumi", "stacks", "engine-test", "dev.json"), "utf8");
    expect(checkpoint).not.toContain(lago.server.apiKey);
    const defaultProvider = JSON.parse(checkpoint).checkpoint.latest.resources.find((r: { type: string }) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(Object.keys(defaultProvider.inputs["lago:apiKey"]).sort()).toEqual(["4dabf18193072939515e22adb298388d", "ciphertext"]);
    expect(fs.readFileSync(path.join(stateDir, "Pulumi.dev.yaml"), "utf8")).not.toContain(lago.server.apiKey);
    expect((await stack.getConfig("lago:apiKey")).secret).toBe(true);

    const preview = await timed("preview", () => stack.preview());
    expect(preview.changeSummary).toEqual({ same: 2 });

    metricName = "Tracked users";
    const update = await timed("up (update)", () => stack.up());
    expect(update.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const updated = (await lago.client.billableMetrics.findBillableMetric("mtu")).data.billable_metric;
    expect(updated).toMatchObject({ name: "Tracked users", lago_id: created.lago_id });

    const destroy = await timed("destroy", () => stack.destroy());
    expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
    expect((await lagoError(lago.client.billableMetrics.findBillableMetric("mtu"))).status).toBe(404);

    // Every write reached the local Lago with the configured key (a wrong one would be answered 401).
    const writes = lago.server.admin.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(writes).toEqual(["POST /api/v1/billable_metrics 200", "PUT /api/v1/billable_metrics/mtu 200", "DELETE /api/v1/billable_metrics/mtu 200"]);
    console.info(`engine timings (ms): ${JSON.stringify(timings)}`);
  });
});

describe("ensurePulumiCli", () => {
  it("answers from PATH or the cache once the CLI is there, without installing or building (setup:pulumi is idempotent)", async () => {
    const again = await ensurePulumiCli({ acquire: false });
    expect(["path", "cache"]).toContain(again.source);
    expect(again).toEqual(cli);
  });

  it("without PATH, cache or permission to acquire, names everything it tried and the command to run", async () => {
    const saved = { PATH: process.env.PATH, PULUMI_HOME: process.env.PULUMI_HOME };
    const emptyHome = path.join(scratch, "empty-pulumi-home");
    process.env.PATH = path.dirname(process.execPath);
    process.env.PULUMI_HOME = emptyHome;
    try {
      await expect(ensurePulumiCli({ acquire: false })).rejects.toThrow(
        `No Pulumi CLI: no \`pulumi\` on PATH; no working CLI under ${path.join(emptyHome, "versions")}. Install the Pulumi CLI and put \`pulumi\` on PATH (in a pulumi-lago checkout, \`npm run setup:pulumi\` builds one).`,
      );
    } finally {
      Object.assign(process.env, saved);
      if (saved.PULUMI_HOME === undefined) delete process.env.PULUMI_HOME;
    }
  });
});

describe("how the dynamic-provider host finds this package", () => {
  it("a checkout is reached through a pulumi-lago link on NODE_PATH, next to its own node_modules", () => {
    const stateDir = path.join(scratch, "node-path");
    const [linkDir, modules] = providerNodePath(stateDir).split(path.delimiter);
    expect(fs.realpathSync(path.join(linkDir!, "pulumi-lago"))).toBe(fs.realpathSync(repoRoot));
    expect(modules).toBe(path.join(repoRoot, "node_modules"));
    expect(fs.existsSync(path.join(modules!, "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"))).toBe(true);
  });

  it("serializing a provider that captures only a require stays small and free of secrets", async () => {
    const apiKey = "lago-key-that-must-not-leak";
    process.env.LAGO_API_KEY = apiKey;
    try {
      const serialized = await pulumi.runtime.serializeFunction(() => metricProvider, { allowSecrets: true });
      expect(serialized.text.length).toBeLessThanOrEqual(2048);
      expect(serialized.text).not.toContain(apiKey);
      expect(serialized.containsSecrets).toBe(false);
    } finally {
      delete process.env.LAGO_API_KEY;
    }
  });
});

describe("provider/runtime-loader.js", () => {
  const { loadPackageModule } = createRequire(__filename)("../../provider/runtime-loader.js") as {
    loadPackageModule(relative: string, root?: string): { origin: string };
  };
  const packageDir = (prefix: string) => fs.mkdtempSync(path.join(scratch, prefix));

  beforeAll(() => fs.mkdirSync(scratch, { recursive: true }));

  it("loads the compiled file under dist/ when the TypeScript source is absent (an installed package)", () => {
    const root = packageDir("installed-");
    fs.mkdirSync(path.join(root, "dist", "provider"), { recursive: true });
    fs.writeFileSync(path.join(root, "dist", "provider", "runtime.js"), `exports.origin = "dist";`);
    expect(loadPackageModule("provider/runtime", root).origin).toBe("dist");
  });

  it("compiles the TypeScript source with tsx when it is present (a checkout), preferring it to a stale build", () => {
    const root = packageDir("checkout-");
    fs.mkdirSync(path.join(root, "provider"), { recursive: true });
    fs.mkdirSync(path.join(root, "dist", "provider"), { recursive: true });
    fs.writeFileSync(path.join(root, "provider", "runtime.ts"), `const origin: string = "source";\nexport { origin };\n`);
    fs.writeFileSync(path.join(root, "dist", "provider", "runtime.js"), `exports.origin = "stale dist";`);
    expect(loadPackageModule("provider/runtime", root).origin).toBe("source");
  });

  it("names both places it looked when neither exists", () => {
    const root = packageDir("empty-");
    expect(() => loadPackageModule("provider/runtime", root)).toThrow(
      `pulumi-lago: neither ${path.join(root, "provider", "runtime.ts")} nor ${path.join(root, "dist", "provider", "runtime.js")} exists`,
    );
  });
});
