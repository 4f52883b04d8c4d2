// The example CI workflow (examples/ci/pricing-preview.yml) against the CLI it calls: the command line it runs must
// parse with `pulumi-lago preview`'s own options, and the comment step must find the marker the markdown starts with.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { previewCommand, type PreviewCommandOptions } from "../../bin/commands/preview";
import { buildReport, renderMarkdown } from "../../provider/preview";

const workflow = parseYaml(fs.readFileSync(path.resolve(__dirname, "../../examples/ci/pricing-preview.yml"), "utf8"));
const steps: Array<{ id?: string; name?: string; run?: string; uses?: string; if?: string; with?: { script?: string } }> = workflow.jobs.preview.steps;

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
    const run = steps.find((s) => s.id === "preview")!.run!;
    const commandLine = run.replace(/\\\n\s*/g, "").split("\n").find((l) => l.includes("npx pulumi-lago preview"))!;
    const args = commandLine.trim().split(/\s+/).slice(3).map((a) => a.replace('"$STACK"', "production"));
    let parsed: PreviewCommandOptions | undefined;
    await previewCommand()
      .exitOverride()
      .action((options: PreviewCommandOptions) => {
        parsed = options;
      })
      .parseAsync(args, { from: "user" });
    expect(parsed).toEqual({ stack: "production", cwd: ".", customers: true, markdown: "preview.md", json: "preview.json", failOnDestructive: true });
    expect(run).toContain('echo "exit_code=$?" >> "$GITHUB_OUTPUT"');
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
