// `pulumi-lago preview`: a Pulumi preview of a stack, reported as pricing (price lines, bill impact, customers),
// written as markdown for a PR comment and as JSON, with exit codes for CI gates (provider/preview/gates.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { Command, InvalidArgumentError, Option } from "commander";
import Decimal from "decimal.js";
import { parse as parseYaml } from "yaml";
import { providerNodePath } from "../../provider/engine";
import { loadPolicy } from "../../provider/policy";
import { evaluateGates, renderJson, renderMarkdown, runPricingPreview, type PreviewReport } from "../../provider/preview";
import { ensureNodejsLanguageHost, ensurePulumiCli, type PulumiCli } from "../../provider/pulumi-cli";

export interface PreviewCommandOptions {
  stack: string;
  /** The Pulumi project directory (Pulumi.yaml). Default: the current directory. */
  cwd?: string;
  /** `<file>` exporting `program` (or a default export), or `<file>#<factory>`: run inline, no language host needed. */
  program?: string;
  markdown?: string;
  json?: string;
  customers?: boolean;
  anonymize?: boolean;
  usage?: Decimal[];
  failOnDestructive?: boolean;
  failOnIncrease?: Decimal;
  /** A pricing policy YAML file: violations exit 6. */
  policy?: string;
  /** The Pulumi home for this run (logins, plugins, the CLI's log files). Default: PULUMI_HOME or ~/.pulumi. */
  pulumiHome?: string;
}

export interface PreviewCommandResult {
  exitCode: number;
  report: PreviewReport;
  markdown: string;
}

const levels = (value: string): Decimal[] => {
  const parts = value.split(",").map((p) => p.trim());
  if (!parts.length || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) throw new InvalidArgumentError("a comma-separated list of unit counts, e.g. 5000,10001,30000");
  return parts.map((p) => new Decimal(p));
};

const percent = (value: string): Decimal => {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError("a percentage such as 5 or 2.5");
  return new Decimal(value.trim());
};

export function previewCommand(): Command {
  return new Command("preview")
    .description("preview a stack's pricing changes: price lines, bills at sample usage and (--customers) every affected subscription")
    .requiredOption("-s, --stack <name>", "the stack to preview")
    .option("--cwd <dir>", "the Pulumi project directory (holds Pulumi.yaml)", ".")
    .option("--program <module>", "run this module's Pulumi program inline (`file` exporting program, or `file#factory`) instead of the project's entry")
    .option("--pulumi-home <dir>", "Pulumi home for this run (default: PULUMI_HOME or ~/.pulumi)")
    .option("--markdown <file>", "write the PR comment here")
    .option("--json <file>", "write the JSON report here")
    .option("--customers", "re-price every active subscription on a changed plan with its current usage (read-only Lago calls)")
    .option("--anonymize", "hash customer and subscription ids in the reports")
    .addOption(new Option("--usage <levels>", "usage levels for the bill impact, e.g. 5000,10001,30000 (default: the plans' range edges)").argParser(levels))
    .option("--fail-on-destructive", "exit 3 when a step replaces or deletes a plan, metric, customer or subscription")
    .addOption(new Option("--fail-on-increase <percent>", "exit 4 when some bill rises by more than this percentage (5 when both gates trip)").argParser(percent))
    .option("--policy <file>", "check the change against a pricing policy (YAML); exit 6 on any violation")
    .action(async (options: PreviewCommandOptions) => {
      const result = await runPreviewCommand(options);
      process.exitCode = result.exitCode;
    });
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function runPreviewCommand(options: PreviewCommandOptions, io: CommandIo = consoleIo): Promise<PreviewCommandResult> {
  // A bad policy file is reported at its line and column before the engine runs.
  const policy = options.policy ? loadPolicy(options.policy) : undefined;
  const stack = await openStack(options);
  const { report } = await runPricingPreview({
    stack,
    stackName: options.stack,
    customers: options.customers,
    levels: options.usage,
    anonymize: options.anonymize,
    policy,
  });
  const markdown = renderMarkdown(report);
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  if (options.json) fs.writeFileSync(options.json, renderJson(report));
  if (!options.markdown && !options.json) io.out(markdown);

  const gates = evaluateGates(report, { failOnDestructive: options.failOnDestructive, failOnIncrease: options.failOnIncrease });
  const changes = Object.entries(report.summary.changes).map(([op, n]) => `${n} ${op}`).join(", ") || "no changes";
  io.out(`Pricing preview of ${options.stack}: ${changes}; ${report.summary.destructive} destructive; ${report.summary.plansChanged} plan(s) with price changes; ${report.summary.attention} Lago side effect(s)${report.policy ? `; ${report.policy.violations.length} policy violation(s)` : ""}.\n`);
  for (const failure of gates.failures) io.err(`gate failed: ${failure}\n`);
  return { exitCode: gates.exitCode, report, markdown };
}

/** The project's stack: inline with --program, else through the project's own entry (needs the nodejs language host). */
async function openStack(options: PreviewCommandOptions): Promise<Stack> {
  const workDir = path.resolve(options.cwd ?? ".");
  const projectName = readProjectName(workDir);
  const cli = await ensurePulumiCli({ acquire: false });
  const pulumiCommand = await commandFor(cli);
  const envVars = { PULUMI_SKIP_UPDATE_CHECK: "true" };
  if (options.program) {
    const program = loadProgram(options.program);
    // The dynamic-provider host finds `pulumi-lago` through NODE_PATH (see provider/engine.ts).
    const nodePath = providerNodePath(path.join(os.tmpdir(), "pulumi-lago-preview"));
    return selectStack(options.stack, workDir, () =>
      LocalWorkspace.selectStack({ stackName: options.stack, projectName, program }, { workDir, pulumiCommand, pulumiHome: options.pulumiHome, envVars: { ...envVars, NODE_PATH: nodePath } }),
    );
  }
  // Running the project's own entry takes the nodejs language host; without one, say so before Pulumi does.
  await ensureNodejsLanguageHost(cli, { acquire: false });
  return selectStack(options.stack, workDir, () => LocalWorkspace.selectStack({ stackName: options.stack, workDir }, { pulumiCommand, pulumiHome: options.pulumiHome, envVars }));
}

/** A missing stack is the user's to fix: one line naming it and how to create it, not the CLI's whole output. */
async function selectStack(stackName: string, workDir: string, select: () => Promise<Stack>): Promise<Stack> {
  try {
    return await select();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (!/no stack named|stack .* not found/i.test(text)) throw error;
    throw new Error(`no stack "${stackName}" in ${workDir}: create it with \`pulumi stack init ${stackName}\` there, or name an existing one with --stack`);
  }
}

function readProjectName(workDir: string): string {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(workDir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${workDir}: pass --cwd <the Pulumi project directory>`);
  const name = (parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || !name) throw new Error(`${file} has no project name`);
  return name;
}

/** `file` (its `program` or default export is the program) or `file#factory` (called with no arguments, returns it). */
function loadProgram(spec: string): PulumiFn {
  const [file, factory] = spec.split("#") as [string, string | undefined];
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new Error(`--program: no file ${absolute}`);
  const loaded = loadModule(absolute);
  const exported = factory ? loaded[factory] : (loaded.program ?? loaded.default);
  if (typeof exported !== "function") throw new Error(`--program: ${absolute} exports no ${factory ? `function ${factory}` : "program (or default) function"}`);
  const program = factory ? (exported as () => unknown)() : exported;
  if (typeof program !== "function") throw new Error(`--program: ${factory}() in ${absolute} did not return a program function`);
  return program as PulumiFn;
}

async function commandFor(cli: PulumiCli): Promise<PulumiCommand> {
  // PulumiCommand.get wants the install root (it runs <root>/bin/pulumi); a binary elsewhere is reached through PATH.
  if (path.basename(cli.binDir) === "bin") return PulumiCommand.get({ root: path.dirname(cli.binDir), skipVersionCheck: true });
  return PulumiCommand.get({ skipVersionCheck: true });
}

/**
 * JavaScript loads as it is. TypeScript needs tsx, a development dependency of pulumi-lago and never a runtime one,
 * so it is taken from the program's own project (or the current directory's).
 */
function loadModule(absolute: string): Record<string, unknown> {
  if (/\.[cm]?js$/.test(absolute)) return require(absolute) as Record<string, unknown>;
  let tsxApi: string;
  try {
    tsxApi = require.resolve("tsx/cjs/api", { paths: [path.dirname(absolute), process.cwd()] });
  } catch {
    throw new Error(`--program: ${absolute} is TypeScript and no tsx is installed beside it: \`npm install --save-dev tsx\` in its project, or pass a compiled .js file`);
  }
  // tsx's API loads one module tree without registering itself for the whole process.
  const { require: tsxRequire } = require(tsxApi) as { require: (id: string, fromFile: string) => unknown };
  return tsxRequire(absolute, __filename) as Record<string, unknown>;
}
