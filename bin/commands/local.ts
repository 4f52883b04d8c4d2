// `pulumi-lago local`: serves a local Lago until SIGINT/SIGTERM.
import { Command, InvalidArgumentError, Option } from "commander";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { isPaymentProviderType, PAYMENT_PROVIDER_TYPES } from "../../local-lago/domain/payment-providers";
import { RATE_LIMIT_MODES, type RateLimitMode } from "../../local-lago/rate-limit";

const port = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("a port number from 0 to 65535 (0 picks a free one)");
  return n;
};

type ConnectedProvider = { type: string; code: string };
/** `stripe:stripe_prod`, repeatable. */
const paymentProvider = (value: string, previous: ConnectedProvider[] = []): ConnectedProvider[] => {
  const [type, code] = value.split(":");
  if (!isPaymentProviderType(type) || !code) throw new InvalidArgumentError(`<type>:<code>, the type one of ${PAYMENT_PROVIDER_TYPES.join(", ")} (e.g. stripe:stripe_prod)`);
  return [...previous, { type, code }];
};

export interface LocalOptions {
  port: number;
  host: string;
  apiKey: string;
  adminToken?: string;
  data?: string;
  premium: boolean;
  rateLimit?: RateLimitMode;
  paymentProvider?: ConnectedProvider[];
}

const DEFAULT_API_KEY = "local-lago-key";

export function localCommand(): Command {
  return new Command("local")
    .description("serve a local Lago (Lago's REST API, in memory or in a data directory) until stopped")
    .addOption(new Option("-p, --port <port>", "TCP port, 0 picks a free one").argParser(port).default(3000))
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .addOption(new Option("-k, --api-key <key>", "the API key clients must send").env("LOCAL_LAGO_API_KEY").default(DEFAULT_API_KEY))
    .addOption(new Option("--admin-token <token>", "token the admin API (/__admin) requires (default: none on a loopback host, the API key on any other)").env("LOCAL_LAGO_ADMIN_TOKEN"))
    .option("-d, --data <dir>", "keep state in this directory across restarts (in memory when absent)")
    .option("--no-premium", "act as self-hosted Lago without a licence: premium-only features are ignored or refused")
    .addOption(
      new Option("--rate-limit <limits>", "enforce Lago Cloud's per-organization limits (50 requests/s, events 500/s, current usage 200/s) with X-RateLimit-* headers and 429s; none by default, as self-hosted Lago").choices([...RATE_LIMIT_MODES]),
    )
    .addOption(new Option("--payment-provider <type:code>", "a payment provider connected to the organization, as Lago's UI connects them, so customers can link to it (repeatable)").argParser(paymentProvider))
    .action(async (options: LocalOptions) => {
      const server = await startLocalLago({
        port: options.port,
        host: options.host,
        apiKey: options.apiKey,
        adminToken: options.adminToken,
        dataDir: options.data,
        premium: options.premium,
        rateLimit: options.rateLimit,
        paymentProviders: options.paymentProvider,
      });
      // One line: what is exposed where. A key of the user's own is not echoed into logs (CI logs are often shared).
      const key = server.apiKey === DEFAULT_API_KEY ? DEFAULT_API_KEY : "<not shown>";
      console.log(`Local Lago listening on ${server.apiUrl} (api key: ${key}); ${server.exposure}`);
      if (options.data) console.log(`State kept in ${options.data}`);
      if (options.rateLimit) console.log("Rate limits as on Lago Cloud: 50 requests/s, POST /events 500/s, current usage 200/s");
      stopOnSignals(server);
    });
}

function stopOnSignals(server: LocalLago): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: do not wait any longer
    stopping = true;
    console.log(`${signal}: stopping the local Lago`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
