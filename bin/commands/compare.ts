// `pulumi-lago compare <a> <b>`: how two Lago organizations differ (staging against production, an org against the
// catalog it was exported to), for a scheduled CI job: the moved prices as the pricing preview's lines, objects only
// on one side, other fields; markdown and JSON reports; exit 6 when they differ. Read-only: only GETs reach Lago.
//
// A source is one of
//   stack:<name>     the Lago organization of that stack: its lago:apiUrl and lago:apiKey, read from the stack's
//                    configuration in --cwd (the key decrypted with the stack's passphrase). Not the stack's program:
//                    to see what a program would change, that is `pulumi-lago preview`.
//   dir:<path>       an exported catalog: <path>/catalog.yaml (what `pulumi-lago export` writes), or a catalog file
//   http(s)://…      a Lago API URL; its key from --api-key-a / --api-key-b, else LAGO_API_KEY_A / LAGO_API_KEY_B
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadCatalog } from "../../provider/catalog";
import { DEFAULT_API_URL } from "../../provider/config";
import { catalogSide, compareOrgs, renderJson, renderMarkdown, renderText, type CompareSide, type Comparison, type SideName } from "../../provider/compare";
import { CUSTOMER_SECTIONS, OrgAccessError, ORG_SECTIONS, readOrg, type OrgProgress, type OrgSection } from "../../provider/export";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import type { CommandIo } from "./preview";

/** Exit codes of `compare` (each command has its own; the preview's gates are in provider/preview/gates.ts). */
export const COMPARE_EXIT = { same: 0, differ: 6 } as const;

export type CompareSource = { type: "stack"; stack: string } | { type: "dir"; path: string } | { type: "url"; apiUrl: string };

export interface CompareCommandOptions {
  apiKeyA?: string;
  apiKeyB?: string;
  /** The Pulumi project directory of stack: sources. */
  cwd?: string;
  /** The Pulumi home for reading stack configuration. Default: PULUMI_HOME or ~/.pulumi. */
  pulumiHome?: string;
  markdown?: string;
  json?: string;
  customers?: boolean;
  only?: OrgSection[];
}

export interface CompareCommandResult {
  exitCode: number;
  comparison: Comparison;
}

const SOURCE_FORMS = "stack:<name>, dir:<exported catalog directory> or an http(s):// Lago API URL";

/** A source as written on the command line; a wrong one is one line naming the side and the forms. */
export function parseSource(text: string, side: SideName): CompareSource {
  const value = text.trim();
  if (value.startsWith("stack:") && value.length > 6) return { type: "stack", stack: value.slice(6) };
  if (value.startsWith("dir:") && value.length > 4) return { type: "dir", path: value.slice(4) };
  if (/^https?:\/\/[^/]/i.test(value)) return { type: "url", apiUrl: value };
  throw new Error(`${side}: "${text}" is not a source: write ${SOURCE_FORMS}`);
}

const sectionList = (value: string): OrgSection[] => {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ORG_SECTIONS as readonly string[]).includes(n));
  if (!names.length || unknown.length) throw new InvalidArgumentError(`${unknown.join(", ") || "nothing"}: name sections among ${ORG_SECTIONS.join(", ")}`);
  return names as OrgSection[];
};

export function compareCommand(): Command {
  return new Command("compare")
    .description(`show how two Lago organizations differ (prices, objects only on one side, other fields); each source is ${SOURCE_FORMS}; read-only; exit 6 when they differ`)
    .argument("<a>", "the first source (lines read from a to b)")
    .argument("<b>", "the second source")
    .option("--api-key-a <key>", "API key for a (default: LAGO_API_KEY_A, else a stack: source's own lago:apiKey)")
    .option("--api-key-b <key>", "API key for b (default: LAGO_API_KEY_B, else a stack: source's own lago:apiKey)")
    .option("--cwd <dir>", "the Pulumi project directory of stack: sources", ".")
    .option("--pulumi-home <dir>", "Pulumi home for reading stack configuration (default: PULUMI_HOME or ~/.pulumi)")
    .option("--markdown <file>", "write the markdown report here")
    .option("--json <file>", "write the JSON report here")
    .option("--customers", "also customers, their live subscriptions and applied coupons")
    .addOption(new Option("--only <sections>", `only these sections, comma-separated: ${ORG_SECTIONS.join(",")}`).argParser(sectionList))
    .action(async (a: string, b: string, options: CompareCommandOptions) => {
      const sources = [parseSource(a, "a"), parseSource(b, "b")] as const;
      process.exitCode = (await runCompareCommand(sources[0], sources[1], options)).exitCode;
    });
}

const consoleIo: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function runCompareCommand(
  a: CompareSource,
  b: CompareSource,
  options: CompareCommandOptions = {},
  io: CommandIo = consoleIo,
  interactive = process.stderr.isTTY === true,
): Promise<CompareCommandResult> {
  const sections = options.only ?? ORG_SECTIONS.filter((s) => options.customers === true || !CUSTOMER_SECTIONS.includes(s));
  const progress = twoSidedProgress(io, interactive);
  const [sideA, sideB] = await Promise.all([readSide(a, "a", options, sections, progress), readSide(b, "b", options, sections, progress)]).finally(() => progress.done());
  const comparison = compareOrgs(sideA, sideB, { sections });
  if (options.markdown) fs.writeFileSync(options.markdown, renderMarkdown(comparison));
  if (options.json) fs.writeFileSync(options.json, renderJson(comparison));
  io.out(renderText(comparison));
  const written = [options.markdown, options.json].filter((f): f is string => Boolean(f));
  if (written.length) io.out(`Reports: ${written.join(" and ")}.\n`);
  return { exitCode: comparison.summary.differ ? COMPARE_EXIT.differ : COMPARE_EXIT.same, comparison };
}

interface Progress {
  update(side: SideName, text: string): void;
  done(): void;
}

/** One line on a terminal, rewritten in place, once the reads take longer than a second: what each side has read. */
function twoSidedProgress(io: CommandIo, interactive: boolean): Progress {
  const started = Date.now();
  const state: Record<SideName, string> = { a: "starting", b: "starting" };
  let shown = false;
  let last = 0;
  const render = () => {
    last = Date.now();
    shown = true;
    io.err(`\r${progressText(state)}\u001b[K`);
  };
  // A side may be quiet for a while (the Pulumi CLI reading a stack's configuration): the line still appears at 1 s.
  const timer = interactive ? setTimeout(render, 1000) : undefined;
  timer?.unref();
  return {
    update(side, text) {
      state[side] = text;
      const t = Date.now();
      if (!interactive || t - started < 1000 || t - last < 100) return;
      render();
    },
    done() {
      clearTimeout(timer);
      if (shown) io.err("\r\u001b[K");
    },
  };
}

export const progressText = (state: Record<SideName, string>): string => `Comparing: a ${state.a} · b ${state.b}`;
const readText = (p: OrgProgress): string => `${p.read} of ${p.total} objects (${p.section})`;

/** A URL as reports name it: no credentials, no query. */
const shownUrl = (apiUrl: string): string => {
  try {
    const url = new URL(apiUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return apiUrl;
  }
};

async function readSide(source: CompareSource, side: SideName, options: CompareCommandOptions, sections: readonly OrgSection[], progress: Progress): Promise<CompareSide> {
  const flag = `--api-key-${side}`;
  const env = `LAGO_API_KEY_${side.toUpperCase()}`;
  const given = (side === "a" ? options.apiKeyA : options.apiKeyB) ?? process.env[env];
  if (source.type === "dir") {
    const stat = fs.statSync(source.path, { throwIfNoEntry: false });
    if (!stat) throw new Error(`${side}: no ${source.path}: dir: names an exported catalog directory (holding catalog.yaml) or a catalog file`);
    const file = stat.isDirectory() ? path.join(source.path, "catalog.yaml") : source.path;
    if (!fs.existsSync(file)) throw new Error(`${side}: ${source.path} holds no catalog.yaml (export with --format yaml, the default)`);
    let catalog;
    try {
      catalog = loadCatalog(file);
    } catch (error) {
      throw new Error(`${side}: ${error instanceof Error ? error.message : String(error)}`);
    }
    progress.update(side, "read the catalog");
    return catalogSide(catalog, `dir:${source.path}`, process.env);
  }

  let apiUrl: string;
  let apiKey: string | undefined = given?.trim() || undefined;
  let label: string;
  let keyHint: string;
  if (source.type === "stack") {
    progress.update(side, `reading stack ${source.stack}'s configuration`);
    const config = await stackLago(source.stack, side, options);
    apiUrl = config.apiUrl;
    apiKey ??= config.apiKey;
    label = `stack ${source.stack} (${shownUrl(apiUrl)})`;
    keyHint = given ? `${flag} or ${env}` : `stack ${source.stack}'s lago:apiKey (or pass ${flag})`;
    if (!apiKey) throw new Error(`${side}: stack ${source.stack} has no lago:apiKey: \`pulumi config set --secret lago:apiKey\` there, or pass ${flag} (or set ${env})`);
  } else {
    apiUrl = source.apiUrl;
    label = shownUrl(apiUrl);
    keyHint = `${flag} or ${env}`;
    if (!apiKey) throw new Error(`${side}: no API key for ${label}: pass ${flag} or set ${env}`);
  }
  const urlHint = source.type === "stack" ? `stack ${source.stack}'s lago:apiUrl` : `the URL given for ${side}`;
  try {
    const snapshot = await readOrg({
      apiUrl,
      apiKey,
      customers: sections.some((s) => CUSTOMER_SECTIONS.includes(s)),
      only: sections,
      onProgress: (p) => progress.update(side, readText(p)),
    });
    return { label, sections: snapshot.sections, unexpressible: snapshot.unexpressible };
  } catch (error) {
    if (!(error instanceof OrgAccessError)) throw error;
    // readOrg names the export's flags; compare names the side and where its URL or key came from.
    const text = error.message.replace(/--api-key \(or LAGO_API_KEY\)/, keyHint).replace(/--api-url( \(or LAGO_API_URL\))?/, urlHint);
    throw new Error(`${side}: ${text}`);
  }
}

/** The stack's lago:apiUrl and lago:apiKey (decrypted), read without selecting the stack. */
async function stackLago(stackName: string, side: SideName, options: CompareCommandOptions): Promise<{ apiUrl: string; apiKey?: string }> {
  const workDir = path.resolve(options.cwd ?? ".");
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(workDir, f))))
    throw new Error(`${side}: no Pulumi.yaml in ${workDir} for stack:${stackName}: pass --cwd <the Pulumi project directory>`);
  const cli = await ensurePulumiCli({ acquire: false });
  const pulumiCommand =
    path.basename(cli.binDir) === "bin" ? await PulumiCommand.get({ root: path.dirname(cli.binDir), skipVersionCheck: true }) : await PulumiCommand.get({ skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand, pulumiHome: options.pulumiHome, envVars: { PULUMI_SKIP_UPDATE_CHECK: "true" } });
  let config;
  try {
    config = await workspace.getAllConfig(stackName);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/no stack named|stack .* not found/i.test(text)) throw new Error(`${side}: no stack "${stackName}" in ${workDir}: name an existing one (and its project with --cwd)`);
    if (/passphrase/i.test(text)) throw new Error(`${side}: stack ${stackName}'s secrets need its passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)`);
    throw error;
  }
  // As the stack's provider does without lago:apiUrl: Lago Cloud (LAGO_API_URL is not read: it would name one org for both sides).
  return { apiUrl: config["lago:apiUrl"]?.value || DEFAULT_API_URL, apiKey: config["lago:apiKey"]?.value };
}

