// `pulumi-lago export` against a local Lago: the catalog YAML that loadCatalog reads (or typed TypeScript), the same
// bytes on a second export, no webhook URL written, --only reading what the sections name, nothing written to Lago,
// and a wrong URL or key as one line on stderr.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExportCommand } from "../../bin/commands/export";
import { loadCatalog } from "../../provider/catalog";
import { buildExportOrg, HOOK_URL } from "../support/export-org";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ premium: true });
const scratch = path.resolve(__dirname, "../../.tmp", `export-command-${process.pid}`);
const quiet = { out: () => {}, err: () => {} };
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

beforeAll(async () => {
  await buildExportOrg(lago.server, { customers: true, overrides: true });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("pulumi-lago export", () => {
  it("writes a catalog that loads, byte-identical on a second export, with GETs only and no webhook URL", async () => {
    const before = lago.server.admin.requests.length;
    const settings = { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, customers: true };
    const printed: string[] = [];
    await runExportCommand({ ...settings, out: path.join(scratch, "a") }, { out: (t) => printed.push(t), err: () => {} });
    await runExportCommand({ ...settings, out: path.join(scratch, "b") }, quiet);
    await runExportCommand({ ...settings, out: path.join(scratch, "ts-a"), format: "ts" }, quiet);
    await runExportCommand({ ...settings, out: path.join(scratch, "ts-b"), format: "ts" }, quiet);
    expect(new Set(lago.server.admin.requests.slice(before).map((r) => r.method))).toEqual(new Set(["GET"]));

    const a = read(path.join(scratch, "a"));
    expect(Object.keys(a)).toEqual(["catalog.yaml", "index.ts"]);
    expect(read(path.join(scratch, "b"))).toEqual(a);
    expect(read(path.join(scratch, "ts-b"))).toEqual(read(path.join(scratch, "ts-a")));
    for (const text of [...Object.values(a), ...Object.values(read(path.join(scratch, "ts-a")))]) expect(text).not.toContain("s3cr3t-t0ken");

    const catalog = loadCatalog(path.join(scratch, "a", "catalog.yaml"));
    expect(catalog.webhookEndpoints).toEqual([{ webhookUrlEnv: "LAGO_WEBHOOK_URL_BILLING_HOOKS", name: "Billing hooks", signatureAlgo: "hmac", eventTypes: ["invoice.created"] }]);
    expect(catalog.taxes.map((t) => t.rate)).toEqual(["20", "5.5"]);
    expect(a["catalog.yaml"]).toContain('  # Plan "Team": 120.00 USD monthly, 8 charges, 1 fixed charge\n  - code: team\n');
    expect(a["index.ts"]).toContain("catalogResources(loadCatalog(path.join(__dirname, \"catalog.yaml\")), { adopt: true })");
    expect(printed.join("")).toContain(`set LAGO_WEBHOOK_URL_BILLING_HOOKS to the URL of the webhook endpoint "Billing hooks" at ${new URL(HOOK_URL).host}`);
  });

  it("--format ts writes typed resources that compile against pulumi-lago's types", async () => {
    const dir = path.join(scratch, "ts-compile");
    await runExportCommand({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, customers: true, out: dir, format: "ts" }, quiet);
    const root = path.resolve(__dirname, "../..");
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: "commonjs",
      target: "es2022",
      moduleResolution: "node",
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(root, "node_modules/@types")],
      baseUrl: ".",
      // The package's own source stands for the installed pulumi-lago.
      paths: { "pulumi-lago": [path.join(root, "provider/index.ts")] },
    };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }));
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    const compiled = await promisify(execFile)(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")]).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe("");
  });

  it("an object the catalog cannot express is a commented block with the reason, and the export completes", async () => {
    // Lago keeps a 150 % tax; the Tax kind refuses a rate above 100 %.
    const { result } = await runExportCommand({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, customers: true, out: path.join(scratch, "c") }, quiet);
    const text = fs.readFileSync(path.join(scratch, "c", "catalog.yaml"), "utf8");
    expect(result.snapshot.unexpressible).toContainEqual(expect.objectContaining({ section: "taxes", key: "legacy_150", reason: expect.stringContaining("rate must be a percentage from 0 to 100") }));
    expect(text).toContain('  # NOT MANAGED: Tax "Legacy surcharge": 150 % (legacy_150): rate must be a percentage from 0 to 100 (got 150; 20 is 20 %).\n');
    expect(text).toContain("  # - code: legacy_150\n  #   name: Legacy surcharge\n  #   rate: \"150\"\n");
    for (const u of result.snapshot.unexpressible) {
      expect(text).toContain(`(${u.key}): ${u.reason}.`);
      expect(text).toMatch(new RegExp(`  # NOT MANAGED: .*\\(${u.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`));
    }
    expect(loadCatalog(path.join(scratch, "c", "catalog.yaml"))).toBeDefined();
  });

  it("on a terminal, a read longer than a second shows objects read of total on one line, cleared at the end", async () => {
    lago.server.admin.addFault({ kind: "latency", ms: 1100, method: "GET", path: "/billable_metrics" });
    const err: string[] = [];
    await runExportCommand({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, out: path.join(scratch, "slow") }, { out: () => {}, err: (t) => err.push(t) }, true);
    expect(err.length).toBeGreaterThan(1);
    expect(err.slice(0, -1).every((line) => /^\rReading Lago: \d+ of \d+ objects \(\w+\)\u001b\[K$/.test(line))).toBe(true);
    expect(err.at(-1)).toBe("\r\u001b[K");
    // Without a terminal, nothing.
    const piped: string[] = [];
    lago.server.admin.addFault({ kind: "latency", ms: 1100, method: "GET", path: "/billable_metrics" });
    await runExportCommand({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, out: path.join(scratch, "slow") }, { out: () => {}, err: (t) => piped.push(t) }, false);
    expect(piped).toEqual([]);
  });

  it("--only writes the sections asked for and what they name", async () => {
    const { result } = await runExportCommand({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, only: ["plans"], out: path.join(scratch, "only") }, quiet);
    expect(Object.keys(result.snapshot.sections)).toEqual(["taxes", "metrics", "addOns", "plans"]);
    expect(loadCatalog(path.join(scratch, "only", "catalog.yaml")).plans.map((p) => p.code)).toEqual(["enterprise", "free", "team"]);
  });

  it("a wrong key or URL: one line on stderr naming which, exit 1", async () => {
    const cli = path.resolve(__dirname, "../../bin/cli.ts");
    const run = async (...args: string[]) => {
      try {
        await promisify(execFile)(process.execPath, ["--import", "tsx", cli, "export", "--out", path.join(scratch, "never"), ...args], { env: { ...process.env, LAGO_API_KEY: "" } });
        return { code: 0, stderr: "" };
      } catch (error) {
        const e = error as { code: number; stderr: string };
        return { code: e.code, stderr: e.stderr };
      }
    };
    const wrongKey = await run("--api-url", lago.server.apiUrl, "--api-key", "not-the-key");
    expect(wrongKey).toEqual({ code: 1, stderr: `pulumi-lago: Lago at ${lago.server.apiUrl} refused the API key (401 Unauthorized): check --api-key (or LAGO_API_KEY)\n` });
    const wrongUrl = await run("--api-url", `${lago.server.url}/v2`, "--api-key", lago.server.apiKey);
    expect(wrongUrl.code).toBe(1);
    expect(wrongUrl.stderr).toMatch(/^pulumi-lago: .* is not a Lago API \(it answered 404 to a list route\): check --api-url \(it ends in \/api\/v1\)\n$/);
    expect(fs.existsSync(path.join(scratch, "never"))).toBe(false);
  });
});
