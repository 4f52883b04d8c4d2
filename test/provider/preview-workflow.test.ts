// The example CI workflow (examples/ci/pricing-preview.yml) against the CLI it calls: the command line it runs must
// parse with `pulumi-lago preview`'s own options, customer ids must be hashed unless the repository is private, and
// the comment step must find the marker the markdown starts with.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { previewCommand, type PreviewCommandOptions } from "../../bin/commands/preview";
import { buildReport, renderMarkdown } from "../../provider/preview";

const workflow = parseYaml(fs.readFileSync(path.resolve(__dirname, "../../examples/ci/pricing-preview.yml"), "utf8"));
const steps: Array<{ id?: string; name?: string; run?: string; uses?: string; if?: string; env?: Record<string, string>; with?: { script?: string } }> = workflow.jobs.preview.steps;

/**
 * A GitHub Actions expression (`${{ … }}`) of the kinds the workflow uses: property paths, string literals, `!`,
 * `&&` and `||` — which, as in GitHub, yield one of their operands, not a boolean — evaluated against `context`.
 */
function evaluateExpression(text: string, context: Record<string, unknown>): unknown {
  const inner = /^\$\{\{(.*)\}\}$/s.exec(text.trim());
  if (!inner) throw new Error(`not an expression: ${text}`);
  const tokens = inner[1]!.match(/'(?:[^']|'')*'|&&|\|\||!|[A-Za-z_][\w.-]*|\S/g) ?? [];
  let at = 0;
  const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== 0 && v !== "";
  const primary = (): unknown => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unexpected end of ${text}`);
    if (token === "!") return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^(true|false)$/.test(token)) return token === "true";
    if (/^[A-Za-z_]/.test(token)) return token.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], context);
    throw new Error(`unsupported token ${token} in ${text}`);
  };
  const and = (): unknown => {
    let value = primary();
    while (tokens[at] === "&&") {
      at++;
      const right = primary();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  let value = and();
  while (tokens[at] === "||") {
    at++;
    const right = and();
    value = truthy(value) ? value : right;
  }
  if (at !== tokens.length) throw new Error(`unsupported expression: ${text}`);
  return value;
}

/** The preview step's `pulumi-lago preview` arguments as the shell gets them, its env expressions evaluated. */
function previewArgs(context: Record<string, unknown>): string[] {
  const step = steps.find((s) => s.id === "preview")!;
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, String(evaluateExpression(value, context) ?? "")]));
  const commandLine = step.run!.replace(/\\\n\s*/g, "").split("\n").find((l) => l.includes("npx pulumi-lago preview"))!;
  // Unquoted $NAME splits into words (none when empty), as in the shell; "$STACK" is the job's stack.
  const expanded = commandLine.replace('"$STACK"', "production").replace(/\$([A-Z_]+)/g, (_, name: string) => env[name] ?? "");
  return expanded.trim().split(/\s+/).slice(3);
}

async function parsePreview(args: string[]): Promise<PreviewCommandOptions> {
  let parsed: PreviewCommandOptions | undefined;
  await previewCommand()
    .exitOverride()
    .action((options: PreviewCommandOptions) => {
      parsed = options;
    })
    .parseAsync(args, { from: "user" });
  return parsed!;
}

const repository = (isPrivate?: boolean) => ({ github: { event: { repository: isPrivate === undefined ? {} : { private: isPrivate } } } });

describe("examples/ci/pricing-preview.yml", () => {
  it("runs on pull requests with the rights to comment, and the secrets the brief names", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(workflow.jobs.preview.env).toMatchObject({ LAGO_API_KEY: "${{ secrets.LAGO_API_KEY }}", PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
    expect(steps.map((s) => s.uses ?? s.run)).toEqual(
      expect.arrayContaining(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "pulumi/actions@v6", "actions/github-script@v7"]),
    );
  });

  it("its preview command line parses with the CLI's own options", async () => {
    const parsed = await parsePreview(previewArgs(repository(true)));
    expect(parsed).toEqual({ stack: "production", cwd: ".", customers: true, markdown: "preview.md", json: "preview.json", failOnDestructive: true });
    expect(steps.find((s) => s.id === "preview")!.run).toContain('echo "exit_code=$?" >> "$GITHUB_OUTPUT"');
  });

  it("hashes customer ids (--anonymize) unless the repository is private, and when it cannot tell", async () => {
    expect((await parsePreview(previewArgs(repository(false)))).anonymize).toBe(true);
    expect((await parsePreview(previewArgs(repository(undefined)))).anonymize).toBe(true);
    expect((await parsePreview(previewArgs(repository(true)))).anonymize).toBeUndefined();
    // The evaluator follows GitHub's && / || (operands, not booleans): the pitfall `cond && '' || x` always gives x.
    expect(evaluateExpression("${{ github.event.repository.private && '' || '--anonymize' }}", repository(true))).toBe("--anonymize");
  });

  it("updates the comment whose first line is the marker, posts the comment before failing the job", () => {
    const script = steps.find((s) => s.uses === "actions/github-script@v7")!;
    expect(script.if).toBe("always() && hashFiles('preview.md') != ''");
    expect(script.with!.script).toContain('const marker = body.split("\\n")[0];');
    expect(script.with!.script).toContain("github.rest.issues.updateComment");
    const marker = renderMarkdown(buildReport({ stack: "production", steps: [] })).split("\n")[0];
    expect(marker).toBe("<!-- pulumi-lago-preview stack=production -->");
    expect(steps.at(-1)).toMatchObject({ if: "always()", run: 'exit "${{ steps.preview.outputs.exit_code || 1 }}"' });
  });
});
