// Makes a Pulumi CLI available for the Automation API, offline if need be.
// Order: PATH, then the Automation API cache (~/.pulumi/versions/<v>/bin), then the official installer when the
// network allows, then a build from the Go module proxy into that same cache. Whatever the source, the
// `pulumi-resource-pulumi-nodejs` script shipped by the @pulumi/pulumi npm package is placed beside the binary,
// because the engine looks for that bundled plugin next to `pulumi` (or on PATH) to run dynamic providers.
// `ensureNodejsLanguageHost` does the same for `pulumi-language-nodejs`, which the CLI needs to run a Pulumi.yaml
// project (`pulumi up` on a `runtime: nodejs` program): found beside the CLI or on PATH, else built from the Go module
// proxy (see NODEJS_LANGUAGE_HOST_VERSION for why that version).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The CLI version this project builds: the newest `github.com/pulumi/pulumi/pkg/v3` the Go module proxy serves. */
export const PULUMI_CLI_VERSION = "3.259.0";

export type PulumiCliSource = "path" | "cache" | "installer" | "go-build";

export interface PulumiCli {
  /** Directory holding `pulumi` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  pulumiPath: string;
  /** As printed by `pulumi version`, without the leading "v". */
  version: string;
  source: PulumiCliSource;
}

export interface EnsurePulumiCliOptions {
  /** Version to install or build when none is found (default PULUMI_CLI_VERSION). */
  version?: string;
  /** When false, only PATH and the cache are tried: for tests and other callers that must not download or build. */
  acquire?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** How long the installer may take to answer before we call the network unreachable. */
  installerTimeoutMs?: number;
}

/**
 * The newest `github.com/pulumi/pulumi/sdk/v3` whose module still holds `nodejs/cmd/pulumi-language-nodejs`: later
 * releases moved the nodejs language host into a module of its own, which the Go module proxy does not serve. The
 * official Pulumi install bundles the host of its own version instead; both run the program with the @pulumi/pulumi
 * of the project's node_modules.
 */
export const NODEJS_LANGUAGE_HOST_VERSION = "3.68.0";

/** Raised when no CLI can be had; the message names what is missing. */
export class PulumiCliUnavailable extends Error {
  override name = "PulumiCliUnavailable";
}

// ldflags target that `pulumi version` prints (set by Pulumi's own release build the same way).
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const NODEJS_PROVIDER_SCRIPT = "pulumi-resource-pulumi-nodejs";

export function pulumiHome(): string {
  return process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
}

/** `~/.pulumi/versions/<v>`: the root the Automation API's `PulumiCommand.get({ root })` and `install` use. */
export function cacheRoot(version: string): string {
  return path.join(pulumiHome(), "versions", version);
}

export async function ensurePulumiCli(options: EnsurePulumiCliOptions = {}): Promise<PulumiCli> {
  const version = options.version ?? PULUMI_CLI_VERSION;
  const log = options.log ?? (() => {});
  const acquire = options.acquire ?? true;
  const tried: string[] = [];

  const onPath = findOnPath("pulumi");
  if (onPath) {
    const found = await probe(onPath, "path");
    if (found) return withNodejsProvider(found, log);
    tried.push(`pulumi on PATH (${onPath}) did not answer \`pulumi version\``);
  } else {
    tried.push("no `pulumi` on PATH");
  }

  const cached = await findInCache(version);
  if (cached) return withNodejsProvider(cached, log);
  tried.push(`no working CLI under ${path.join(pulumiHome(), "versions")}`);

  if (!acquire) {
    throw new PulumiCliUnavailable(`No Pulumi CLI: ${tried.join("; ")}. Install the Pulumi CLI and put \`pulumi\` on PATH (in a pulumi-lago checkout, \`npm run setup:pulumi\` builds one).`);
  }

  log(`trying the official Pulumi installer for v${version}…`);
  const installed = await tryInstaller(version, options.installerTimeoutMs ?? 15_000);
  if (installed.cli) return withNodejsProvider(installed.cli, log);
  tried.push(`official installer unavailable (${installed.reason})`);
  log(`installer unavailable (${installed.reason}); building v${version} from the Go module proxy instead`);

  const built = await buildFromGoProxy(version, log, tried);
  return withNodejsProvider(built, log);
}

/** Runs `pulumi version`; undefined when the binary is missing or broken. */
export async function pulumiVersion(pulumiPath: string): Promise<string | undefined> {
  const result = await run(pulumiPath, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeoutMs: 30_000 });
  if (result.code !== 0) return undefined;
  const match = /^v?(\d+\.\d+\.\d+\S*)/.exec(result.stdout.trim());
  return match?.[1];
}

async function probe(pulumiPath: string, source: PulumiCliSource): Promise<PulumiCli | undefined> {
  const version = await pulumiVersion(pulumiPath);
  if (!version) return undefined;
  return { binDir: path.dirname(pulumiPath), pulumiPath, version, source };
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The wanted version first, then any other cached version, newest first. */
async function findInCache(version: string): Promise<PulumiCli | undefined> {
  const versionsDir = path.join(pulumiHome(), "versions");
  const others = fs.existsSync(versionsDir) ? fs.readdirSync(versionsDir).filter((v) => v !== version) : [];
  others.sort(compareVersionsDescending);
  for (const candidate of [version, ...others]) {
    const pulumiPath = path.join(cacheRoot(candidate), "bin", "pulumi");
    if (!isExecutable(pulumiPath)) continue;
    const found = await probe(pulumiPath, "cache");
    if (found) return found;
  }
  return undefined;
}

function compareVersionsDescending(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The SDK's own installer (downloads Pulumi's install script); offline it fails fast on DNS, else the timeout cuts it short. */
async function tryInstaller(version: string, timeoutMs: number): Promise<{ cli?: PulumiCli; reason: string }> {
  const { PulumiCommand } = await import("@pulumi/pulumi/automation");
  const root = cacheRoot(version);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    // The SDK only interpolates and compares `version` (semver accepts strings there), so a plain string avoids a
    // direct dependency on semver.
    const installOptions = { root, version, skipVersionCheck: true } as unknown as Parameters<typeof PulumiCommand.install>[0];
    await Promise.race([PulumiCommand.install(installOptions), timeout]);
    const cli = await probe(path.join(root, "bin", "pulumi"), "installer");
    return cli ? { cli, reason: "" } : { reason: "installed binary does not answer `pulumi version`" };
  } catch (error) {
    return { reason: firstLine(error instanceof Error ? error.message : String(error)) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds `cmd/pulumi` from a throwaway Go module in the user's cache directory (never in the repo), with
 * GOFLAGS=-mod=mod and whatever GOPROXY the Go toolchain is configured with, then moves the binary into the cache.
 */
async function buildFromGoProxy(version: string, log: (line: string) => void, tried: string[]): Promise<PulumiCli> {
  const binDir = path.join(cacheRoot(version), "bin");
  const pulumiPath = path.join(binDir, "pulumi");
  await goBuild(
    {
      label: `${PKG_MODULE}/cmd/pulumi`,
      moduleDir: path.join(userCacheDir(), "pulumi-lago", `go-pulumi-${version}`),
      goMod: `module pulumi-cli-build\n\ngo 1.24\n`,
      // pkg/v3's own go.mod replaces sdk/v3 with a relative path; replaces do not apply to dependents, so pin sdk too.
      get: [`${PKG_MODULE}@v${version}`, `${SDK_MODULE}@v${version}`],
      packagePath: `${PKG_MODULE}/cmd/pulumi`,
      version,
      output: pulumiPath,
    },
    log,
    tried,
  );
  const cli = await probe(pulumiPath, "go-build");
  if (!cli) throw new PulumiCliUnavailable(`The CLI built from ${PKG_MODULE}@v${version} does not answer \`pulumi version\`.`);
  if (cli.version !== version) {
    throw new PulumiCliUnavailable(`The CLI built from ${PKG_MODULE}@v${version} reports v${cli.version}; the ldflags version symbol did not take.`);
  }
  return cli;
}

const NODEJS_LANGUAGE_HOST = "pulumi-language-nodejs";
const NODEJS_LANGUAGE_HOST_PACKAGE = `${SDK_MODULE}/nodejs/cmd/${NODEJS_LANGUAGE_HOST}`;

export interface NodejsLanguageHost {
  path: string;
  source: "beside-cli" | "path" | "go-build";
}

/**
 * The nodejs language host the CLI runs a `runtime: nodejs` Pulumi.yaml with. Looked for beside the CLI (where the
 * CLI finds its bundled plugins first, with no PATH warning), then on PATH; with `acquire` (the default) built from
 * the Go module proxy into the CLI's own folder. Offline rules as for the CLI: no download other than Go modules.
 */
export async function ensureNodejsLanguageHost(cli: PulumiCli, options: Pick<EnsurePulumiCliOptions, "acquire" | "log"> = {}): Promise<NodejsLanguageHost> {
  const beside = path.join(cli.binDir, NODEJS_LANGUAGE_HOST);
  if (isExecutable(beside)) return { path: beside, source: "beside-cli" };
  const onPath = findOnPath(NODEJS_LANGUAGE_HOST);
  if (onPath) return { path: onPath, source: "path" };
  if (options.acquire === false) {
    throw new PulumiCliUnavailable(
      `No ${NODEJS_LANGUAGE_HOST} beside ${cli.pulumiPath} or on PATH: the Pulumi CLI needs it to run a Pulumi.yaml program. Install the official Pulumi CLI (it bundles one), or run \`npm run setup:pulumi\` in a pulumi-lago checkout to build it.`,
    );
  }
  const tried: string[] = [`no ${NODEJS_LANGUAGE_HOST} beside ${cli.pulumiPath} or on PATH`];
  const version = NODEJS_LANGUAGE_HOST_VERSION;
  await goBuild(
    {
      label: NODEJS_LANGUAGE_HOST_PACKAGE,
      moduleDir: path.join(userCacheDir(), "pulumi-lago", `go-language-nodejs-${version}`),
      // sdk/v3's own go.mod pins golang.org/x/text with a replace, which only applies in the main module: this one
      // carries the same replace, or the build picks an x/text that no longer compiles with that SDK.
      goMod: `module pulumi-language-nodejs-build\n\ngo 1.24\n\nreplace golang.org/x/text => golang.org/x/text v0.3.6\n`,
      get: [`${SDK_MODULE}@v${version}`],
      packagePath: NODEJS_LANGUAGE_HOST_PACKAGE,
      version,
      output: beside,
    },
    options.log ?? (() => {}),
    tried,
  );
  return { path: beside, source: "go-build" };
}

interface GoBuild {
  /** What is being built, for progress lines. */
  label: string;
  /** A scratch main module in the user's cache (kept for a faster rebuild). */
  moduleDir: string;
  goMod: string;
  /** Module@version arguments to `go get`. */
  get: string[];
  packagePath: string;
  /** Stamped into the binary where `pulumi version` (and the plugin) read their own version. */
  version: string;
  /** Where the binary goes; written atomically, so a half-written binary never sits there. */
  output: string;
}

/** `go get` then `go build` of one package from a scratch module, static (CGO off), version stamped, stripped. */
async function goBuild(build: GoBuild, log: (line: string) => void, tried: string[]): Promise<void> {
  const go = findOnPath("go");
  if (!go) {
    tried.push(`no \`go\` toolchain on PATH to build ${build.label} from the Go module proxy`);
    throw new PulumiCliUnavailable(`No Pulumi CLI: ${tried.join("; ")}. Put \`pulumi\` on PATH or install Go.`);
  }
  fs.mkdirSync(build.moduleDir, { recursive: true });
  writeIfChanged(path.join(build.moduleDir, "go.mod"), build.goMod, false);
  // A tools-style import keeps module resolution honest about what the package needs.
  writeIfChanged(path.join(build.moduleDir, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${build.packagePath}"\n`);
  const env = { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off", GO111MODULE: "on", CGO_ENABLED: "0" };

  log(`resolving ${build.get.join(" and ")} (module dir ${build.moduleDir})…`);
  const started = Date.now();
  const get = await run(go, ["get", ...build.get], { cwd: build.moduleDir, env, onLine: heartbeat(log, "go get") });
  if (get.code !== 0) throw goFailure("go get", get.stderr, tried);

  const partial = path.join(build.moduleDir, `${path.basename(build.output)}.partial`);
  log(`compiling ${build.label} (minutes on a small machine)…`);
  const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${build.version}`;
  const compiled = await run(go, ["build", "-v", "-trimpath", "-o", partial, "-ldflags", ldflags, build.packagePath], {
    cwd: build.moduleDir,
    env,
    onLine: heartbeat(log, "go build"),
  });
  if (compiled.code !== 0) throw goFailure("go build", compiled.stderr, tried);
  fs.mkdirSync(path.dirname(build.output), { recursive: true });
  fs.copyFileSync(partial, `${build.output}.partial`);
  fs.chmodSync(`${build.output}.partial`, 0o755);
  fs.renameSync(`${build.output}.partial`, build.output);
  log(`built ${build.label} v${build.version} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Names the module Go could not get, quoting Go's own error lines. */
function goFailure(step: string, stderr: string, tried: string[]): PulumiCliUnavailable {
  const errorLines = stderr.split("\n").filter((line) => /error|cannot|not found|not available|forbidden|unknown revision|missing|invalid/i.test(line));
  const text = errorLines.length ? errorLines.join("\n") : stderr;
  // Go names the failing module as "go: <module>@<version>: …" or "… providing package <path>".
  const missingModule = (/go: ([\w.\-/]+@v[\w.\-+]+):/.exec(text) ?? /(?:module|package) ([\w.\-/]+(?:@[\w.\-+]+)?)/.exec(text))?.[1];
  const detail = (errorLines.length ? errorLines : stderr.trim().split("\n").slice(-10)).slice(0, 20).join("\n  ");
  tried.push(`${step} failed${missingModule ? ` for ${missingModule}` : ""}`);
  return new PulumiCliUnavailable(`No Pulumi CLI: ${tried.join("; ")}.\n  ${detail}`);
}

/** Copies the dynamic-provider plugin script shipped by @pulumi/pulumi beside the binary, if it is not already there. */
function withNodejsProvider(cli: PulumiCli, log: (line: string) => void): PulumiCli {
  const source = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), NODEJS_PROVIDER_SCRIPT);
  const target = path.join(cli.binDir, NODEJS_PROVIDER_SCRIPT);
  const wanted = fs.readFileSync(source);
  const present = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
  if (present?.equals(wanted) && isExecutable(target)) return cli;
  if (present && cli.source === "path") return cli; // a full CLI install ships its own copy: leave it alone
  try {
    fs.writeFileSync(target + ".partial", wanted, { mode: 0o755 });
    fs.renameSync(target + ".partial", target);
    log(`placed ${NODEJS_PROVIDER_SCRIPT} beside ${cli.pulumiPath}`);
  } catch (error) {
    throw new PulumiCliUnavailable(`Cannot place ${NODEJS_PROVIDER_SCRIPT} in ${cli.binDir}: ${(error as Error).message}`);
  }
  return cli;
}

function userCacheDir(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
}

function writeIfChanged(file: string, content: string, overwrite = true): void {
  if (fs.existsSync(file) && (!overwrite || fs.readFileSync(file, "utf8") === content)) return;
  fs.writeFileSync(file, content);
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** Turns Go's per-package lines into a count printed every 30 s, so long builds show they are alive. */
function heartbeat(log: (line: string) => void, step: string): (line: string) => void {
  let lines = 0;
  let last = Date.now();
  return (line) => {
    lines++;
    if (/^go: (downloading|finding|added|upgraded)/.test(line) && step === "go get" && lines % 50 === 0) log(`${step}: ${line.slice(4)}`);
    if (Date.now() - last >= 30_000) {
      last = Date.now();
      log(`${step}: still working (${lines} lines so far, last: ${line.trim()})`);
    }
  };
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      if (!options.onLine) return;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.onLine(line);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
