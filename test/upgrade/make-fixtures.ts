// Writes the upgrade fixtures of the release in this checkout: `npx tsx test/upgrade/make-fixtures.ts`.
// A local Lago persisting to a scratch directory, the upgrade program (program.ts) applied through the real
// engine, then two files under fixtures/<version>/: the stack as `pulumi stack export` gives it, and the local
// Lago's data holding the objects that state describes. Run it on a release before changing what it stores, and
// commit the result: the upgrade test imports every fixture directory under the newer code.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalLago } from "../../local-lago";
import { offlineStack } from "../../provider/engine";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { FIXTURE_API_KEY, FIXTURE_KNOBS, FIXTURE_PASSPHRASE, FIXTURE_PROJECT, FIXTURE_STACK, upgradeProgram } from "./program";

const repoRoot = path.resolve(__dirname, "../..");
const version: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
const outDir = path.join(__dirname, "fixtures", version);

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-fixture-"));
  const dataDir = path.join(scratch, "lago");
  const lago = await startLocalLago({ apiKey: FIXTURE_API_KEY, dataDir });
  try {
    const stack = await offlineStack({
      stateDir: path.join(scratch, "state"),
      projectName: FIXTURE_PROJECT,
      stackName: FIXTURE_STACK,
      passphrase: FIXTURE_PASSPHRASE,
      program: upgradeProgram({ ...FIXTURE_KNOBS }),
      cli: await ensurePulumiCli({ acquire: false }),
      lago: { apiUrl: lago.apiUrl, apiKey: lago.apiKey },
    });
    const up = await stack.up();
    if (up.summary.result !== "succeeded") throw new Error(`up ${up.summary.result}`);
    // The file backend's checkpoint, as `pulumi stack export` prints it without --show-secrets: the key stays
    // encrypted under the fixture passphrase (the Automation API's exportStack would decrypt it).
    const checkpointFile = path.join(scratch, "state", ".pulumi", "stacks", FIXTURE_PROJECT, `${FIXTURE_STACK}.json`);
    const deployment = JSON.parse(fs.readFileSync(checkpointFile, "utf8")).checkpoint.latest;
    // Where the program's code sat on this machine: debugging aid only, and it would name machine paths.
    for (const resource of deployment.resources ?? []) {
      delete resource.sourcePosition;
      delete resource.stackTrace;
    }
    const exported = { version: 3, deployment };
    const text = JSON.stringify(exported, null, 2) + "\n";
    // A fixture names no machine: no absolute path of this checkout, the scratch directory or the home.
    for (const place of [repoRoot, scratch, os.homedir(), os.tmpdir()])
      if (text.includes(place)) throw new Error(`the exported stack names ${place}; refusing to write it as a fixture`);
    if (text.includes(FIXTURE_API_KEY)) throw new Error("the exported stack holds the API key in plain text");
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outDir, "lago"), { recursive: true });
    fs.writeFileSync(path.join(outDir, "stack.json"), text);
    await lago.stop();
    // Reopening compacts the journal into one snapshot: the fixture's Lago is a single file.
    const reopened = await startLocalLago({ apiKey: FIXTURE_API_KEY, dataDir });
    await reopened.stop();
    for (const file of fs.readdirSync(dataDir)) {
      const content = fs.readFileSync(path.join(dataDir, file), "utf8");
      if (!content.trim()) continue; // an empty journal
      fs.writeFileSync(path.join(outDir, "lago", file), content);
    }
    console.log(`wrote ${path.relative(repoRoot, outDir)}: ${exported.deployment.resources?.length ?? 0} resources`);
  } finally {
    await lago.stop().catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
