// `npm start`: the Segment example end to end. Starts a local Lago that keeps its state under .lago-data/ (or uses
// the Lago named by LAGO_API_URL and LAGO_API_KEY), applies the stack with the Pulumi engine (state under
// .pulumi/), sends Segment-style usage for 30,000 users to Acme's subscription and prints Acme's bill.
// A second run finds everything in place: no changes, no events sent, the same bill.
import * as path from "node:path";
import { formatBill } from "../examples/segment/bill";
import { runSegmentDemo } from "../examples/segment/demo";
import { startLocalLago, type LocalLago } from "../local-lago";
import { ensurePulumiCli } from "../provider/pulumi-cli";

const repoRoot = path.resolve(__dirname, "..");
/** The local Lago's fixed address, so stacks/Pulumi.local.yaml and a second run find it. */
const LOCAL_PORT = Number(process.env.LAGO_LOCAL_PORT ?? 3000);

async function main(): Promise<void> {
  const started = Date.now();
  const { lago, local, target } = await chooseLago();
  try {
    console.log("Setting up the Pulumi engine…");
    const cli = await ensurePulumiCli({ log: (line) => console.log(`  ${line}`) });
    const result = await runSegmentDemo({
      lago,
      stateDir: path.join(repoRoot, ".pulumi", "segment", target),
      stackName: target,
      cli,
      log: (line) => console.log(line),
      onPulumiOutput: (chunk) => process.stdout.write(chunk),
    });
    console.log(`\n${formatBill(result.bill)}\n`);
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (local) console.log(`Explore the same Lago: npm run local -- --port ${LOCAL_PORT} --data .lago-data  (API key ${lago.apiKey})`);
  } finally {
    await local?.stop();
  }
}

async function chooseLago(): Promise<{ lago: { apiUrl: string; apiKey: string }; local?: LocalLago; target: string }> {
  const { LAGO_API_URL: apiUrl, LAGO_API_KEY: apiKey } = process.env;
  if (apiUrl && apiKey) {
    console.log(`Using the Lago at ${apiUrl} (LAGO_API_URL); only what the Segment stack declares is touched.`);
    return { lago: { apiUrl, apiKey }, target: `remote-${new URL(apiUrl).hostname.replace(/[^A-Za-z0-9-]/g, "-")}` };
  }
  if (apiUrl || apiKey) throw new Error("set both LAGO_API_URL and LAGO_API_KEY to use your own Lago, or neither to use a local one");
  let local: LocalLago;
  try {
    local = await startLocalLago({ port: LOCAL_PORT, dataDir: path.join(repoRoot, ".lago-data") });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(`port ${LOCAL_PORT} is taken: stop what listens there (another local Lago?) or set LAGO_LOCAL_PORT`);
    throw error;
  }
  console.log(`Local Lago on ${local.apiUrl}, state in .lago-data/`);
  return { lago: { apiUrl: local.apiUrl, apiKey: local.apiKey }, local, target: "local" };
}

main().catch((error: unknown) => {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
