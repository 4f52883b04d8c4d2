// pulumi-lago as another team installs it: `npm pack`, the tarball installed into a fresh project shaped like
// `pulumi new typescript` (its own package.json, tsconfig.json and index.ts, an older @pulumi/pulumi than ours), and
// the Pulumi CLI with its nodejs language host running that project — the README's install section is the project,
// so the docs are what gets tested. Then the repository's own Pulumi.yaml (the Segment stack) under the same CLI.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as stringifyYaml, parse as parseYaml } from "yaml";
import { ensureNodejsLanguageHost, ensurePulumiCli, type PulumiCli } from "../../provider/pulumi-cli";
import { useLocalLagoWithOwnKey, REPO_ROOT } from "./support/engine";

/** Older than the repository's own (3.248.0): the bottom of the peer range the package declares. */
const CONSUMER_PULUMI_VERSION = "3.230.0";
const PASSPHRASE = "consumer-e2e-passphrase";
const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

const lago = useLocalLagoWithOwnKey();
// Outside the repository on purpose: Node would otherwise find the repository's node_modules above the project.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-consumer-"));
const project = path.join(scratch, "billing");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let cli: PulumiCli;
let tarball: { file: string; size: number; unpackedSize: number; files: string[] };

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of every command: the built CLI first on PATH, a file backend and a Pulumi home of the test's own. */
function engineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // npm's own variables (from `npm test`) would steer the project's npm commands towards this repository.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...inherited,
    PATH: [cli.binDir, inherited.PATH].join(path.delimiter),
    PULUMI_HOME: path.join(scratch, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

function run(command: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? project, env: options.env ?? engineEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Runs and expects success, showing everything the command printed when it fails. */
async function ok(command: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<Ran> {
  const ran = await run(command, args, options);
  if (ran.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${ran.code}\n${ran.stdout}\n${ran.stderr}`);
  return ran;
}

const pulumi = (args: string[], options: Parameters<typeof run>[2] = {}) => run(path.join(cli.binDir, "pulumi"), args, options);
const pulumiOk = (args: string[], options: Parameters<typeof run>[2] = {}) => ok(path.join(cli.binDir, "pulumi"), args, options);
const pulumiLago = (args: string[], options: Parameters<typeof run>[2] = {}) => run(path.join(project, "node_modules", ".bin", "pulumi-lago"), args, options);

/** The fenced block right after `<!-- consumer:<name> -->` in the README. */
function readmeBlock(name: string): string {
  const match = new RegExp(`<!-- consumer:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(README);
  if (!match) throw new Error(`README.md has no <!-- consumer:${name} --> block`);
  return match[1]!;
}

const programFile = () => path.join(project, "index.ts");
function editProgram(edit: (text: string) => string): void {
  const before = fs.readFileSync(programFile(), "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(programFile(), after);
}

async function packTarball(): Promise<typeof tarball> {
  const dest = path.join(scratch, "pack");
  fs.mkdirSync(dest, { recursive: true });
  // `npm pack` runs `prepare`, which builds dist/ from a clean folder: the tarball is what a registry would serve.
  const packed = await ok("npm", ["pack", "--json", "--pack-destination", dest], { cwd: REPO_ROOT, env: engineEnv() });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  return { file: path.join(dest, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files.map((f) => f.path) };
}

/**
 * A project as `pulumi new typescript` lays it out (its tsconfig plus the esModuleInterop the README asks for), then
 * the README's install commands with the tarball in place of the registry's pulumi-lago.
 */
async function createProject(): Promise<void> {
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), stringifyYaml({ name: "billing", runtime: { name: "nodejs", options: { packagemanager: "npm" } }, description: "Billing as code" }));
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "billing", main: "index.ts", devDependencies: { "@types/node": "^20", typescript: "^5.0.0" }, dependencies: { "@pulumi/pulumi": CONSUMER_PULUMI_VERSION } }, null, 2),
  );
  fs.writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, esModuleInterop: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true }, files: ["index.ts"] }, null, 2),
  );
  await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"]);
  fs.writeFileSync(programFile(), readmeBlock("program") + "\n");
}

/** The README's install commands, run as written: the registry name becomes the tarball, the URL the local Lago's. */
async function runReadmeCommands(): Promise<string[]> {
  const lines = readmeBlock("commands").split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean);
  for (const line of lines) {
    const words = line.split(/\s+/);
    if (line === "npm install pulumi-lago") await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball.file]);
    else if (words[0] === "pulumi" && words.includes("lago:apiUrl")) await pulumiOk([...words.slice(1, -1), lago.server.apiUrl]);
    // The key goes in through standard input, never on the command line.
    else if (line === "pulumi config set --secret lago:apiKey") await pulumiOk(words.slice(1), { input: lago.server.apiKey });
    else throw new Error(`README install command this test does not know how to run: ${line}`);
  }
  return lines;
}

beforeAll(async () => {
  cli = await ensurePulumiCli({ acquire: false });
  await ensureNodejsLanguageHost(cli, { acquire: false });
  fs.mkdirSync(path.join(scratch, "state"), { recursive: true });
  const started = Date.now();
  tarball = await packTarball();
  await createProject();
  await pulumiOk(["stack", "init", "dev"]);
  const commands = await runReadmeCommands();
  expect(commands).toEqual(["npm install pulumi-lago", "pulumi config set lago:apiUrl https://api.getlago.com/api/v1", "pulumi config set --secret lago:apiKey"]);
  console.log(`consumer project ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

describe("the npm package", () => {
  it("holds compiled JavaScript and declarations only, and installs without a nested @pulumi/pulumi", () => {
    console.log(`tarball ${path.basename(tarball.file)}: ${tarball.size} bytes packed, ${tarball.unpackedSize} unpacked, ${tarball.files.length} files`);
    const code = tarball.files.filter((f) => /\.[cm]?[jt]s$/.test(f));
    expect(code.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(tarball.files.filter((f) => /^(test|bench|scripts|examples|local-lago|stacks)\//.test(f) || f.endsWith(".map"))).toEqual([]);
    expect(tarball.files).toEqual(expect.arrayContaining(["package.json", "bin/pulumi-lago.js", "dist/bin/cli.js", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/runtime.js", "provider/runtime.js"]));
    // The peer dependency: the project's own SDK is the only one, so resources register with the program's runtime.
    expect(fs.existsSync(path.join(project, "node_modules", "pulumi-lago", "node_modules", "@pulumi"))).toBe(false);
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(CONSUMER_PULUMI_VERSION);
    // tsx is a development dependency of pulumi-lago, so a user's install does not bring it.
    expect(fs.existsSync(path.join(project, "node_modules", "tsx"))).toBe(false);
  });

  it("loads nothing of the local Lago (nor its HTTP server) in a program that only declares resources", async () => {
    const probe = `require("pulumi-lago"); const loaded = Object.keys(require.cache); console.log(JSON.stringify(loaded.filter((f) => /local-lago|[\\\\/]hono[\\\\/]|@hono/.test(f))));`;
    const ran = await ok(process.execPath, ["-e", probe]);
    expect(JSON.parse(ran.stdout)).toEqual([]);
  });

  it("serves CommonJS and ESM consumers, and TypeScript's node10, node16 and bundler resolution", async () => {
    const esm = path.join(project, "esm-consumer");
    fs.mkdirSync(esm, { recursive: true });
    fs.writeFileSync(path.join(esm, "package.json"), JSON.stringify({ type: "module" }));
    fs.writeFileSync(
      path.join(esm, "check.ts"),
      [
        `import { BillableMetric, Plan, loadCatalog, type PlanArgs } from "pulumi-lago";`,
        `import { offlineStack } from "pulumi-lago/engine";`,
        `import { startLocalLago } from "pulumi-lago/local-lago";`,
        `const args: PlanArgs = { name: "Team", code: "team", interval: "monthly", amountCents: 0, amountCurrency: "USD" };`,
        `export const used = [BillableMetric, Plan, loadCatalog, offlineStack, startLocalLago, args];`,
      ].join("\n"),
    );
    const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
    const settings = { node16: { module: "node16", moduleResolution: "node16" }, bundler: { module: "esnext", moduleResolution: "bundler" }, node10: { module: "commonjs", moduleResolution: "node" } };
    const checks = Object.entries(settings).map(async ([name, resolution]) => {
      // esModuleInterop as the README asks: zod's declarations, which the kinds' types build on, need it under node10.
      fs.writeFileSync(path.join(esm, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...resolution, strict: true, esModuleInterop: true, noEmit: true, target: "es2022", types: ["node"] }, files: ["check.ts"] }));
      const checked = await run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], { cwd: esm });
      return { resolution: name, output: checked.stdout + checked.stderr, code: checked.code };
    });
    // And the README's program under the project's own tsconfig (the `pulumi new typescript` one, plus that flag).
    const projectCheck = run(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"]).then((checked) => ({ resolution: "project", output: checked.stdout + checked.stderr, code: checked.code }));
    for (const result of await Promise.all([...checks, projectCheck])) expect(result).toEqual({ resolution: result.resolution, output: "", code: 0 });
    // At run time: ESM `import` of the CommonJS build (named exports included) and plain `require`.
    fs.writeFileSync(path.join(esm, "run.mjs"), `import { Plan, Customer } from "pulumi-lago"; import { startLocalLago } from "pulumi-lago/local-lago"; console.log(typeof Plan, typeof Customer, typeof startLocalLago);`);
    expect((await ok(process.execPath, ["run.mjs"], { cwd: esm })).stdout.trim()).toBe("function function function");
    const cjs = await ok(process.execPath, ["-e", `const l = require("pulumi-lago"); console.log(typeof l.Plan, typeof require("pulumi-lago/engine").offlineStack)`]);
    expect(cjs.stdout.trim()).toBe("function function");
   }, 300_000); // four type-checks of the package's declarations (zod's are large), two at a time on two cores
});

describe("the pulumi-lago command from the installed package", () => {
  it("answers --help, and runs the compiled CLI (no TypeScript, no tsx)", async () => {
    const help = await pulumiLago(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: pulumi-lago/);
    expect(help.stdout).toMatch(/local/);
    expect(help.stdout).toMatch(/preview/);
  });

  it("serves a local Lago (`pulumi-lago local`), which the installed CLI loads from dist/", async () => {
    const child = spawn(path.join(project, "node_modules", ".bin", "pulumi-lago"), ["local", "--port", "0"], { cwd: project, env: engineEnv() });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`pulumi-lago local exited ${code}: ${output}`)));
      });
      const res = await fetch(`${url}/billable_metrics`, { headers: { Authorization: "Bearer local-lago-key" } });
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it.each([
    [["nonsense"], /^pulumi-lago: unknown command 'nonsense' \(see `pulumi-lago --help`\)\n$/],
    [["preview", "--stack", "dev", "--no-such-flag"], /^pulumi-lago: unknown option '--no-such-flag' \(see `pulumi-lago preview --help`\)\n$/],
    [["preview"], /^pulumi-lago: required option '-s, --stack <name>' not specified \(see `pulumi-lago preview --help`\)\n$/],
    [["preview", "--stack", "nope"], /^pulumi-lago: no stack "nope" in .*billing: create it with `pulumi stack init nope` there, or name an existing one with --stack\n$/],
  ])("bad input %j: one line naming what is wrong and how to fix it, non-zero exit, no stack trace", async (args, line) => {
    const ran = await pulumiLago(args);
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toMatch(line);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
  });

  it("without a Pulumi CLI: one line saying what is missing and how to get it", async () => {
    const env = engineEnv({ PATH: path.dirname(process.execPath), PULUMI_HOME: path.join(scratch, "no-pulumi-here") });
    const ran = await pulumiLago(["preview", "--stack", "dev"], { env });
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toMatch(/^pulumi-lago: No Pulumi CLI: no `pulumi` on PATH; .* Install the Pulumi CLI and put `pulumi` on PATH .*\n$/);
    expect(ran.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("the README's program through the Pulumi CLI and its nodejs language host", () => {
  it("pulumi up creates the metric, plan, customer and subscription in Lago", async () => {
    const up = await pulumiOk(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 5 created/);
    const plan = (await lago.client.plans.findPlan("team")).data.plan;
    expect(plan.charges?.[0]?.properties?.graduated_ranges?.[1]).toMatchObject({ from_value: 10001, to_value: 25000, per_unit_amount: "0.012" });
    expect((await lago.client.subscriptions.findSubscription("acme-main")).data.subscription).toMatchObject({ plan_code: "team", status: "active" });
    const outputs = JSON.parse((await pulumiOk(["stack", "output", "--json"])).stdout) as Record<string, string>;
    expect(outputs.teamPlanId).toBe(plan.lago_id);
  });

  it("pulumi preview --expect-no-changes passes on the applied program", async () => {
    const preview = await pulumi(["preview", "--expect-no-changes"]);
    expect({ code: preview.code, tail: preview.stdout.slice(-300) }).toMatchObject({ code: 0 });
    expect(preview.stdout).toMatch(/5 unchanged/);
  });

  it("a price edit, previewed by `npx pulumi-lago preview --stack dev --customers --markdown` from the project", async () => {
    editProgram((text) => text.replace(`perUnitAmount: "0.012"`, `perUnitAmount: "0.013"`));
    const markdownFile = path.join(project, "pricing-preview.md");
    const ran = await pulumiLago(["preview", "--stack", "dev", "--customers", "--markdown", markdownFile]);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: "" });
    expect(ran.stdout).toMatch(/^Pricing preview of dev: 1 update; 0 destructive; 1 plan\(s\) with price changes[;.]/m);
    const markdown = fs.readFileSync(markdownFile, "utf8");
    expect(markdown).toContain("Team · Monthly Tracked Users · 10,001–25,000: $0.012 → $0.013 per unit");
    expect(markdown).toMatch(/\| `acme` \| `acme-main` \| `team` \|/);
    // A preview writes nothing: Lago still bills the old price.
    const plan = (await lago.client.plans.findPlan("team")).data.plan;
    expect(plan.charges?.[0]?.properties?.graduated_ranges?.[1]?.per_unit_amount).toBe("0.012");
    const up = await pulumiOk(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/~ 1 updated/);
    expect((await lago.client.plans.findPlan("team")).data.plan.charges?.[0]?.properties?.graduated_ranges?.[1]?.per_unit_amount).toBe("0.013");
  });

  it("an edit made in Lago, outside the program, is shown by pulumi refresh", async () => {
    await lago.client.customers.createCustomer({ customer: { external_id: "acme", name: "Acme Renamed In The UI" } });
    const refresh = await pulumiOk(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.stdout).toMatch(/lago:Customer acme .*\[diff: ~name\]/);
    const state = JSON.parse((await pulumiOk(["stack", "export"])).stdout) as { deployment: { resources: Array<{ urn: string; outputs?: { name?: string } }> } };
    expect(state.deployment.resources.find((r) => r.urn.endsWith("::acme"))?.outputs?.name).toBe("Acme Renamed In The UI");
    // The program still says "Acme Inc": the next up puts it back.
    await pulumiOk(["up", "--yes", "--skip-preview"]);
    expect((await lago.client.customers.findCustomer("acme")).data.customer.name).toBe("Acme Inc");
  });

  it("pulumi destroy refuses to end a live subscription, then succeeds once the program says allowDestroy", async () => {
    const refused = await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/refusing to delete it: subscription "acme-main" is active on plan "team" for customer "acme".*set allowDestroy: true/);
    expect((await lago.client.subscriptions.findSubscription("acme-main")).data.subscription.status).toBe("active");
    expect((await lago.client.plans.findPlan("team")).data.plan.code).toBe("team");

    // Every resource opts in, then the opt-in is applied before the destroy that uses it.
    editProgram((text) => text.replace(/(new (?:BillableMetric|Plan|Customer|Subscription)\("[\w-]+", \{)/g, "$1 allowDestroy: true,"));
    await pulumiOk(["up", "--yes", "--skip-preview"]);
    const destroyed = await pulumiOk(["destroy", "--yes", "--skip-preview"]);
    expect(destroyed.stdout).toMatch(/- 5 deleted/);
    expect((await lago.http("GET", "/subscriptions/acme-main?status=terminated")).body.subscription.status).toBe("terminated");
    expect((await lago.http("GET", "/plans/team")).status).toBe(404);
  });
});

describe("the repository's own Pulumi.yaml (the Segment stack) under the Pulumi CLI", () => {
  // The repository's project files, linked into a scratch folder with its own copy of stacks/, because the CLI writes
  // the stack's encryption salt into Pulumi.<stack>.yaml; the copy points at this test's local Lago.
  const segment = path.join(scratch, "segment");
  const stackEnv = () => engineEnv({ PULUMI_BACKEND_URL: `file://${path.join(scratch, "segment-state")}` });

  beforeAll(async () => {
    lago.server.admin.reset(); // the same codes as the README's program, which the suite above deleted
    fs.mkdirSync(path.join(segment, "stacks"), { recursive: true });
    fs.mkdirSync(path.join(scratch, "segment-state"), { recursive: true });
    for (const entry of ["Pulumi.yaml", "package.json", "examples", "node_modules"]) fs.symlinkSync(path.join(REPO_ROOT, entry), path.join(segment, entry));
    const local = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
    local.config["lago:apiUrl"] = lago.server.apiUrl;
    local.config["lago:apiKey"] = lago.server.apiKey;
    fs.writeFileSync(path.join(segment, "stacks", "Pulumi.local.yaml"), stringifyYaml(local));
    await pulumiOk(["stack", "select", "--create", "local"], { cwd: segment, env: stackEnv() });
  });

  it("pulumi up applies it, then pulumi preview --expect-no-changes passes", async () => {
    const up = await pulumiOk(["up", "--yes", "--skip-preview"], { cwd: segment, env: stackEnv() });
    expect(up.stdout).toMatch(/created/);
    expect((await lago.client.plans.findPlan("team")).data.plan.amount_cents).toBe(12000);
    expect((await lago.client.plans.findPlan("free")).data.plan.code).toBe("free");
    const preview = await pulumi(["preview", "--expect-no-changes"], { cwd: segment, env: stackEnv() });
    expect({ code: preview.code, output: preview.code === 0 ? "" : preview.stdout + preview.stderr }).toEqual({ code: 0, output: "" });
  });
});
