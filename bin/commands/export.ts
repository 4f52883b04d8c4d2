// `pulumi-lago export`: an existing Lago organization written as code (provider/export). Lago is reached with
// --api-url/--api-key, a stack's lago:apiUrl/lago:apiKey (--stack), or LAGO_API_URL/LAGO_API_KEY. Nothing is written
// to Lago: every request is a GET.
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_API_URL } from "../../provider/config";
import { CUSTOMER_SECTIONS, exportOrg, ORG_SECTIONS, progressLine, type ExportFormat, type ExportResult, type OrgProgress, type OrgSection } from "../../provider/export";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import type { CommandIo } from "./preview";

export interface ExportCommandOptions {
  apiUrl?: string;
  apiKey?: string;
  stack?: string;
  /** The Pulumi project directory of --stack. */
  cwd?: string;
  /** The Pulumi home for --stack (logins, workspace files). Default: PULUMI_HOME or ~/.pulumi. */
  pulumiHome?: string;
  out: string;
  format?: ExportFormat;
  customers?: boolean;
  only?: OrgSection[];
}

const sectionList = (value: string): OrgSection[] => {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ORG_SECTIONS as readonly string[]).includes(n));
  if (!names.length || unknown.length) throw new InvalidArgumentError(`${unknown.join(", ") || "nothing"}: name sections among ${ORG_SECTIONS.join(", ")}`);
  return names as OrgSection[];
};

export function exportCommand(): Command {
  return new Command("export")
    .description("write an existing Lago organization as code: the catalog YAML and a program that adopts it (or typed TypeScript); read-only")
    .requiredOption("-o, --out <dir>", "the directory to write (catalog.yaml and index.ts, or index.ts with --format ts)")
    .option("--api-url <url>", "Lago's API URL (default: LAGO_API_URL, else Lago Cloud)")
    .option("--api-key <key>", "the organization's API key (default: LAGO_API_KEY)")
    .option("-s, --stack <name>", "read lago:apiUrl and lago:apiKey from this stack's configuration instead")
    .option("--cwd <dir>", "the Pulumi project directory of --stack", ".")
    .option("--pulumi-home <dir>", "Pulumi home for --stack (default: PULUMI_HOME or ~/.pulumi)")
    .addOption(new Option("--format <format>", "yaml: the catalog and a short index.ts; ts: typed TypeScript resources").choices(["yaml", "ts"]).default("yaml"))
    .option("--customers", "also customers, their live subscriptions (with plan overrides), applied coupons and wallets")
    .addOption(new Option("--only <sections>", `only these sections (and what they name), comma-separated: ${ORG_SECTIONS.join(",")}`).argParser(sectionList))
    .action(async (options: ExportCommandOptions) => {
      process.exitCode = (await runExportCommand(options)).exitCode;
    });
}

const consoleIo: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Progress on a terminal, for a read longer than a second: one line rewritten in place. */
function terminalProgress(io: CommandIo, interactive: boolean): { update(p: OrgProgress): void; done(): void } {
  const started = Date.now();
  let shown = false;
  let lastMs = 0;
  return {
    update(p) {
      const now = Date.now();
      if (!interactive || now - started < 1000 || now - lastMs < 100) return;
      lastMs = now;
      shown = true;
      io.err(`\r${progressLine(p)}\u001b[K`);
    },
    done() {
      if (shown) io.err("\r\u001b[K");
    },
  };
}

export async function runExportCommand(
  options: ExportCommandOptions,
  io: CommandIo = consoleIo,
  interactive = process.stderr.isTTY === true,
): Promise<{ exitCode: number; result: ExportResult }> {
  const { apiUrl, apiKey } = options.stack ? await stackSettings(options.stack, options.cwd ?? ".", options.pulumiHome) : commandSettings(options);
  const only = options.only;
  const customers = options.customers === true || (only ?? []).some((s) => CUSTOMER_SECTIONS.includes(s));
  const progress = terminalProgress(io, interactive);
  const out = path.resolve(options.out);
  const result = await exportOrg({ apiUrl, apiKey, customers, only, out, format: options.format ?? "yaml", onProgress: (p) => progress.update(p) }).finally(() => progress.done());
  const skipped = result.snapshot.unexpressible.length;
  io.out(
    `Exported ${result.objects} object(s) to ${result.files.map((f) => path.relative(process.cwd(), f) || f).join(" and ")}` +
      `${skipped ? `; ${skipped} written as commented blocks with the reason (the catalog cannot express them yet)` : ""}` +
      `. ${result.snapshot.requests} read request(s), nothing written to Lago.\n`,
  );
  for (const w of result.webhooks) io.out(`Before \`pulumi up\`: set ${w.env} to the URL of the webhook endpoint${w.name ? ` "${w.name}"` : ""} at ${w.host} (never written to the files).\n`);
  io.out("The program adopts these objects on its first `pulumi up` (no write when they match); after that, a deletion in Lago shows as drift.\n");
  return { exitCode: 0, result };
}

function commandSettings(options: ExportCommandOptions): { apiUrl: string; apiKey: string } {
  const apiKey = (options.apiKey ?? process.env.LAGO_API_KEY ?? "").trim();
  if (!apiKey) throw new Error("no Lago API key: pass --api-key, set LAGO_API_KEY, or name a stack with --stack");
  return { apiUrl: options.apiUrl ?? process.env.LAGO_API_URL ?? DEFAULT_API_URL, apiKey };
}

/** The stack's lago:apiUrl and lago:apiKey, as `pulumi config get` gives them (the key decrypted). */
async function stackSettings(stackName: string, cwd: string, pulumiHome: string | undefined): Promise<{ apiUrl: string; apiKey: string }> {
  const workDir = path.resolve(cwd);
  const cli = await ensurePulumiCli({ acquire: false });
  const pulumiCommand = path.basename(cli.binDir) === "bin" ? await PulumiCommand.get({ root: path.dirname(cli.binDir), skipVersionCheck: true }) : await PulumiCommand.get({ skipVersionCheck: true });
  let stack;
  try {
    stack = await LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand, pulumiHome, envVars: { PULUMI_SKIP_UPDATE_CHECK: "true" } });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/no stack named|stack .* not found/i.test(text)) throw new Error(`no stack "${stackName}" in ${workDir}: name an existing one with --stack (and --cwd), or pass --api-url and --api-key`);
    throw error;
  }
  const config = await stack.getAllConfig();
  const apiKey = config["lago:apiKey"]?.value ?? process.env.LAGO_API_KEY;
  if (!apiKey) throw new Error(`stack "${stackName}" has no lago:apiKey: \`pulumi config set --secret lago:apiKey\` there, or pass --api-key`);
  return { apiUrl: config["lago:apiUrl"]?.value ?? process.env.LAGO_API_URL ?? DEFAULT_API_URL, apiKey };
}
