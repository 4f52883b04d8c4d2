// `npm start`: the Segment example end to end. Starts a local Lago that keeps its state under .lago-data/ (or uses
// the Lago named by LAGO_API_URL and LAGO_API_KEY), applies the stack with the Pulumi engine (state under
// .pulumi/), sends Segment-style usage for 30,000 users to Acme's subscription and prints Acme's bill.
// A second run finds everything in place: no changes, no events sent, the same bill.
// Nothing it prints holds a key of the user's own or credentials in a URL (the end-to-end test scans its output).
import * as path from "node:path";
import { formatBill } from "../examples/segment/bill";
import { runSegmentDemo, type SegmentDemoOptions, type SegmentDemoResult } from "../examples/segment/demo";
import { startLocalLago, type LocalLago } from "../local-lago";
import { ensurePulumiCli } from "../provider/pulumi-cli";

const repoRoot = path.resolve(__dirname, "..");

export interface StartOptions {
  /** Where LAGO_API_URL, LAGO_API_KEY and LAGO_LOCAL_PORT are read. */
  env: NodeJS.ProcessEnv;
  /** Holds .pulumi/ and .lago-data/ (default: the repository). */
  root?: string;
  /** Everything `npm start` prints goes through here. */
  print: (text: string) => void;
  /** Test settings passed to the demo. */
  demo?: Pick<SegmentDemoOptions, "users" | "usageTimeoutMs" | "cli">;
}

export async function runStart(options: StartOptions): Promise<SegmentDemoResult> {
  const { print } = options;
  const root = options.root ?? repoRoot;
  const localPort = Number(options.env.LAGO_LOCAL_PORT ?? 3000); // fixed, so stacks/Pulumi.local.yaml and a second run find it
  const started = Date.now();
  const { lago, local, target } = await chooseLago(options.env, root, localPort, print);
  try {
    print("Setting up the Pulumi engine…\n");
    const cli = options.demo?.cli ?? (await ensurePulumiCli({ log: (line) => print(`  ${line}\n`) }));
    const result = await runSegmentDemo({
      ...options.demo,
      lago,
      stateDir: path.join(root, ".pulumi", "segment", target),
      stackName: target,
      cli,
      log: (line) => print(`${line}\n`),
      onPulumiOutput: print,
    });
    print(`\n${formatBill(result.bill)}\n\n`);
    print(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    // The local Lago's key is the well-known default one.
    if (local) print(`Explore the same Lago: npm run local -- --port ${localPort} --data .lago-data  (API key ${lago.apiKey})\n`);
    return result;
  } finally {
    await local?.stop();
  }
}

/** A URL as it may be shown: without user name and password. */
export function shownUrl(raw: string): string {
  const url = new URL(raw);
  url.username = "";
  url.password = "";
  return url.toString();
}

async function chooseLago(
  env: NodeJS.ProcessEnv,
  root: string,
  port: number,
  print: (text: string) => void,
): Promise<{ lago: { apiUrl: string; apiKey: string }; local?: LocalLago; target: string }> {
  const { LAGO_API_URL: apiUrl, LAGO_API_KEY: apiKey } = env;
  if (apiUrl && apiKey) {
    print(`Using the Lago at ${shownUrl(apiUrl)} (LAGO_API_URL); only what the Segment stack declares is touched.\n`);
    return { lago: { apiUrl, apiKey }, target: `remote-${new URL(apiUrl).hostname.replace(/[^A-Za-z0-9-]/g, "-")}` };
  }
  if (apiUrl || apiKey) throw new Error("set both LAGO_API_URL and LAGO_API_KEY to use your own Lago, or neither to use a local one");
  let local: LocalLago;
  try {
    local = await startLocalLago({ port, dataDir: path.join(root, ".lago-data") });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(`port ${port} is taken: stop what listens there (another local Lago?) or set LAGO_LOCAL_PORT`);
    throw error;
  }
  print(`Local Lago on ${local.apiUrl}, state in .lago-data/; ${local.exposure}\n`);
  return { lago: { apiUrl: local.apiUrl, apiKey: local.apiKey }, local, target: "local" };
}

if (require.main === module) {
  runStart({ env: process.env, print: (text) => process.stdout.write(text) }).catch((error: unknown) => {
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
