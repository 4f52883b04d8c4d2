// Runs the real Pulumi engine through the Automation API with nothing online: a file backend in a directory the
// caller chooses, passphrase secrets, no update checks, no plugin downloads, no engine log files, and Lago's address
// and key in stack config, written through the CLI's standard input so that no command line ever holds them.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack, type Workspace } from "@pulumi/pulumi/automation";
import { ensurePulumiCli, type PulumiCli } from "./pulumi-cli";

export interface OfflineStackOptions {
  /** Where the file backend keeps checkpoints (created if missing). */
  stateDir: string;
  /** Where Pulumi.yaml and Pulumi.<stack>.yaml are written; dynamic providers run with this as their cwd. Default: stateDir. */
  workDir?: string;
  projectName: string;
  stackName: string;
  program: PulumiFn;
  lago: { apiUrl: string; apiKey: string };
  /** Encrypts secrets (the API key) in state and config. Default: $PULUMI_CONFIG_PASSPHRASE, else a fixed local one. */
  passphrase?: string;
  /** A CLI found beforehand; default: PATH or the cache, never a download or build (run `npm run setup:pulumi`). */
  cli?: PulumiCli;
}

/** Only protects local, throwaway state; pass a real passphrase for anything that matters. */
export const LOCAL_PASSPHRASE = "pulumi-lago-local-state";

/** Creates or selects the stack with its config set; run `up`, `preview`, `refresh`, `destroy` on the result. */
export async function offlineStack(options: OfflineStackOptions): Promise<Stack> {
  const stateDir = path.resolve(options.stateDir);
  const workDir = path.resolve(options.workDir ?? stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });
  const cli = options.cli ?? (await ensurePulumiCli({ acquire: false }));
  const backendUrl = `file://${stateDir}`;
  const pulumiHome = path.join(stateDir, ".pulumi-home");
  blockAutomaticLogs(pulumiHome);

  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: options.projectName, stackName: options.stackName, program: options.program },
    {
      workDir,
      pulumiCommand: await pulumiCommandFor(cli),
      // A home of its own: no logins, plugins or workspace files of the user's are read or written.
      pulumiHome,
      secretsProvider: "passphrase",
      projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: backendUrl } },
      envVars: {
        PULUMI_BACKEND_URL: backendUrl,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        NODE_PATH: providerNodePath(stateDir),
      },
    },
  );
  await setConfigFromStdin(stack.workspace, options.stackName, "lago:apiUrl", options.lago.apiUrl, { secret: false });
  await setConfigFromStdin(stack.workspace, options.stackName, "lago:apiKey", options.lago.apiKey, { secret: true });
  return stack;
}

/**
 * `pulumi config set <key> --stack <stack>` with the value on standard input. The Automation API's setConfig and
 * setAllConfig put the value in the CLI's arguments, which every user of the machine can read in the process list
 * (/proc/<pid>/cmdline is world-readable; a process's environment is not). The CLI reads the value from stdin when
 * stdin is not a terminal, and with `--secret` stores it encrypted with the stack's secrets provider. The URL goes
 * the same way: it may carry credentials of a proxy in front of Lago.
 */
export async function setConfigFromStdin(workspace: Workspace, stackName: string, key: string, value: string, options: { secret: boolean }): Promise<void> {
  const args = ["config", "set", key, "--stack", stackName, options.secret ? "--secret" : "--plaintext", "--raw", "--non-interactive"];
  // What LocalWorkspace gives the commands it runs: its home, its variables, the CLI's folder first on PATH.
  const env: NodeJS.ProcessEnv = { ...process.env, ...workspace.envVars, PULUMI_AUTOMATION_API: "true" };
  if (workspace.pulumiHome) env.PULUMI_HOME = workspace.pulumiHome;
  const command = workspace.pulumiCommand.command;
  if (path.isAbsolute(command)) env.PATH = [path.dirname(command), env.PATH].filter(Boolean).join(path.delimiter);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: workspace.workDir, env, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`pulumi config set ${key} --stack ${stackName} failed (exit ${code}): ${stderr.trim()}`)),
    );
    child.stdin.end(value);
  });
}

/**
 * The Pulumi CLI (3.259.0, the one this project builds) logs every command to `<PULUMI_HOME>/logs`, one dated file
 * each, with no flag or variable to turn that off. An engine operation's log holds the verbose RPC trace, where
 * CheckConfig and Configure carry the provider config, Lago's API key included (base64 inside the marshaled value),
 * encrypted only with the stack's passphrase. The CLI skips its log, silently, when it cannot create that folder:
 * a plain file in its place does that. A folder left by an earlier run holds such logs, so it goes.
 */
function blockAutomaticLogs(pulumiHome: string): void {
  const logs = path.join(pulumiHome, "logs");
  if (fs.statSync(logs, { throwIfNoEntry: false })?.isFile()) return;
  fs.rmSync(logs, { recursive: true, force: true });
  fs.mkdirSync(pulumiHome, { recursive: true });
  fs.writeFileSync(logs, "pulumi-lago: a file, not a folder, so that the Pulumi CLI keeps no logs here (they would hold the Lago API key).\n");
}

async function pulumiCommandFor(cli: PulumiCli): Promise<PulumiCommand> {
  // PulumiCommand.get wants the install root (it runs <root>/bin/pulumi); a binary elsewhere is reached through PATH.
  if (path.basename(cli.binDir) === "bin") return PulumiCommand.get({ root: path.dirname(cli.binDir) });
  return PulumiCommand.get();
}

/**
 * The dynamic-provider host deserializes each provider with an empty filename, so a `require("pulumi-lago/…")` in a
 * provider method resolves from the host's cwd (the work dir) plus NODE_PATH; package self-reference does not apply.
 * NODE_PATH therefore names a directory holding `pulumi-lago` (and this package's own node_modules, for
 * @pulumi/pulumi and tsx), so the same provider text works wherever the work dir is.
 */
export function providerNodePath(stateDir: string): string {
  const packageRoot = findPackageRoot();
  const parent = path.dirname(packageRoot);
  const entries: string[] = [];
  if (path.basename(parent) === "node_modules" && path.basename(packageRoot) === PACKAGE_NAME) {
    entries.push(parent); // installed as a dependency: its node_modules already holds `pulumi-lago`
  } else {
    entries.push(selfLinkDir(stateDir, packageRoot)); // a checkout: link it under its package name
    entries.push(path.join(packageRoot, "node_modules"));
  }
  if (process.env.NODE_PATH) entries.push(process.env.NODE_PATH);
  return entries.join(path.delimiter);
}

const PACKAGE_NAME = "pulumi-lago";

function findPackageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: no package.json named ${PACKAGE_NAME} above ${__dirname}`);
  }
}

/** `<stateDir>/.node-path/pulumi-lago` → the checkout; recreated only when it points elsewhere. */
function selfLinkDir(stateDir: string, packageRoot: string): string {
  const linkDir = path.join(stateDir, ".node-path");
  const link = path.join(linkDir, PACKAGE_NAME);
  fs.mkdirSync(linkDir, { recursive: true });
  let current: string | undefined;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== packageRoot) {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(packageRoot, link, "dir");
  }
  return linkDir;
}
