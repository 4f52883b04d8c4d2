// The example scheduled workflow (examples/ci/compare-orgs.yml) against the CLI it calls: its command line must parse
// with `pulumi-lago compare`'s own arguments and options, and the job must fail with compare's exit code only after
// the report is in the summary.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { compareCommand, parseSource, type CompareCommandOptions } from "../../bin/commands/compare";

const workflow = parseYaml(fs.readFileSync(path.resolve(__dirname, "../../examples/ci/compare-orgs.yml"), "utf8"));
const steps: Array<{ id?: string; name?: string; run?: string; uses?: string; if?: string }> = workflow.jobs.compare.steps;

/** The compare step's command line with the job's variables put in, as the shell would split it. */
function compareArgs(env: Record<string, string>): string[] {
  const line = steps.find((s) => s.id === "compare")!.run!.split("\n").find((l) => l.includes("pulumi-lago compare"))!;
  const words = line.trim().match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"(.*)"$/, "$1").replace(/\$(\w+)/g, (_, name: string) => env[name] ?? ""));
  return words.slice(words.indexOf("compare") + 1);
}

async function parseCompare(args: string[]): Promise<{ a: string; b: string; options: CompareCommandOptions }> {
  let parsed: { a: string; b: string; options: CompareCommandOptions } | undefined;
  await compareCommand()
    .exitOverride()
    .action((a: string, b: string, options: CompareCommandOptions) => {
      parsed = { a, b, options };
    })
    .parseAsync(args, { from: "user" });
  return parsed!;
}

describe("examples/ci/compare-orgs.yml", () => {
  it("runs on a schedule (and by hand) with read-only rights and the stacks' passphrase", () => {
    expect(Object.keys(workflow.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.compare.env).toMatchObject({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", FROM: "${{ vars.COMPARE_FROM || 'staging' }}" });
  });

  it("its compare command line parses with the CLI's own arguments and options: two stack sources", async () => {
    const { a, b, options } = await parseCompare(compareArgs({ FROM: "staging", TO: "production" }));
    expect([parseSource(a, "a"), parseSource(b, "b")]).toEqual([
      { type: "stack", stack: "staging" },
      { type: "stack", stack: "production" },
    ]);
    expect(options).toEqual({ cwd: ".", markdown: "compare.md", json: "compare.json" });
  });

  it("writes the summary and keeps the JSON before failing the job with compare's exit code", () => {
    expect(steps.find((s) => s.id === "compare")!.run).toContain('echo "exit_code=$?" >> "$GITHUB_OUTPUT"');
    expect(steps.find((s) => s.name === "Report in the job summary")).toMatchObject({ if: "always() && hashFiles('compare.md') != ''", run: 'cat compare.md >> "$GITHUB_STEP_SUMMARY"' });
    expect(steps.at(-1)).toMatchObject({ if: "always()", run: 'exit "${{ steps.compare.outputs.exit_code || 1 }}"' });
  });
});
