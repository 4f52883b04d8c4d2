// `npm run setup:pulumi`: makes a Pulumi CLI available (see provider/pulumi-cli.ts for the order of sources), and
// the nodejs language host beside it, which `pulumi up` on a Pulumi.yaml project needs.
import { ensureNodejsLanguageHost, ensurePulumiCli, PulumiCliUnavailable } from "../provider/pulumi-cli";

async function main(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => console.error(`[setup:pulumi] ${line}`);
  const cli = await ensurePulumiCli({ log });
  const host = await ensureNodejsLanguageHost(cli, { log });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Pulumi CLI v${cli.version} ready (${cli.source}) at ${cli.pulumiPath}, nodejs language host ${host.path} (${host.source}), in ${seconds} s`);
}

main().then(
  // The installer probe may leave a socket waiting for its own timeout; nothing else is pending, so exit now.
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof PulumiCliUnavailable ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`[setup:pulumi] ${message}`);
    process.exit(1);
  },
);
