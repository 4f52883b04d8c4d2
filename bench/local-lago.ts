// The local Lago under load, as a user runs it (`pulumi-lago local` in its own process) and over
// real HTTP with keep-alive: batch event ingestion into one subscription on the Segment Team plan
// (lago-api.md §12), then current-usage latency with all those events in the period.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { Client } from "lago-javascript-client";
import { startLocalLago } from "../local-lago";
import { mtuMetric, segmentTeamPlan } from "../test/support/segment-team";
import type { Bench, BenchOptions, Measurement } from "./bench";

const BATCH_SIZE = 100; // Lago's default batch maximum (§10)
const DISTINCT_USERS = 30_000;
/** §12's check value: 30,000 MTUs on Team = 10,000 free + 15,000 × $0.012 + 5,000 × $0.011 = $235. */
const TEAM_AMOUNT_CENTS_AT_30K = 23_500;

interface Target {
  apiUrl: string;
  apiKey: string;
  /** CPU seconds the server has used so far, when it can be read (a Linux child process). */
  cpuSeconds?(): number | undefined;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc, in seconds; undefined where /proc is not there. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** `pulumi-lago local` in a child process, so load generator and server do not share a thread. */
function spawnCli(apiKey: string, nodeArgs: string[]): Promise<Target> {
  const bin = path.resolve(__dirname, "../bin/pulumi-lago.js");
  // The key through the environment: a command line is readable by every user of the machine.
  const env = { ...process.env, LOCAL_LAGO_API_KEY: apiKey };
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, bin, "local", "--port", "0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+) \(api key: [^)]*\)/.exec(output); // a key of one's own is not printed
      if (match)
        resolve({
          apiUrl: match[1]!,
          apiKey,
          cpuSeconds: () => processCpuSeconds(child.pid!),
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
    });
    child.once("exit", (code) => reject(new Error(`pulumi-lago local exited with ${code}: ${output}`)));
  });
}

async function inProcess(apiKey: string): Promise<Target> {
  const server = await startLocalLago({ apiKey });
  return { apiUrl: server.apiUrl, apiKey, stop: () => server.stop() };
}

/** The §12 setup: the MTU metric, the Team plan, a customer and its subscription. */
async function seedSegmentTeam(target: Target): Promise<{ customer: string; subscription: string }> {
  const client = Client(target.apiKey, { baseUrl: target.apiUrl });
  const metric = await client.billableMetrics.createBillableMetric({ billable_metric: mtuMetric });
  await client.plans.createPlan({ plan: segmentTeamPlan(metric.data.billable_metric.lago_id) } as any);
  await client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } } as any);
  await client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-main" } } as any);
  return { customer: "acme", subscription: "acme-main" };
}

/** JSON POST on a keep-alive agent; resolves with status and body text. */
function post(agent: http.Agent, url: URL, apiKey: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        // Success bodies are only drained: decoding them would spend the CPU the server is measured on.
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => status !== 200 && chunks.push(c));
        res.on("end", () => resolve({ status, text: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends every batch over `connections` keep-alive connections; returns events per second. */
async function ingest(target: Target, subscription: string, total: number, connections: number): Promise<number> {
  const bodies: string[] = [];
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const events = [];
    for (let i = start; i < Math.min(start + BATCH_SIZE, total); i++)
      events.push({ transaction_id: `tx_${i}`, code: "mtu", external_subscription_id: subscription, properties: { user_id: `u_${i % DISTINCT_USERS}` } });
    bodies.push(JSON.stringify({ events }));
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(`${target.apiUrl}/events/batch`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await post(agent, url, target.apiKey, body);
        if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const localLagoBench: Bench = {
  name: "local-lago",
  async run({ log, args }: BenchOptions): Promise<Measurement[]> {
    // Knobs: --events=N --connections=N --calls=N, --in-process=true (server on the bench's own thread),
    // --server-node-args="--cpu-prof" (profile the server process).
    const total = Number(args.events ?? 100_000);
    const connections = Number(args.connections ?? 4);
    const calls = Number(args.calls ?? 20);
    const target = args["in-process"] === "true" ? await inProcess("bench-key") : await spawnCli("bench-key", args["server-node-args"]?.split(" ").filter(Boolean) ?? []);
    try {
      const { customer, subscription } = await seedSegmentTeam(target);
      log(`sending ${total.toLocaleString("en-US")} events in batches of ${BATCH_SIZE} over ${connections} keep-alive connections`);
      const cpuBefore = target.cpuSeconds?.();
      const eventsPerSecond = await ingest(target, subscription, total, connections);
      const cpuAfter = target.cpuSeconds?.();
      // Wall-clock throughput depends on what else the machine runs; CPU per event does not.
      const cpuPerEvent = cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) / total) * 1e6 : undefined;
      if (cpuPerEvent !== undefined)
        log(`server CPU ${cpuPerEvent.toFixed(1)} µs per ingested event (≈ ${Math.round(1e6 / cpuPerEvent).toLocaleString("en-US")} events/s on one free core)`);

      const client = Client(target.apiKey, { baseUrl: target.apiUrl });
      const usage = () => client.customers.findCustomerCurrentUsage(customer, { external_subscription_id: subscription });
      const first = await usage(); // warms the path up; not timed
      const timings: number[] = [];
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        await usage();
        timings.push(performance.now() - started);
      }
      timings.sort((a, b) => a - b);
      const charge = first.data.customer_usage.charges_usage[0]!;
      log(`usage: ${charge.events_count} events, ${charge.units} units, amount_cents ${first.data.customer_usage.amount_cents}`);

      const label = `@${Math.round(total / 1000)}k events`;
      const measurements: Measurement[] = [
        { name: "batch event ingestion", value: Math.round(eventsPerSecond), unit: "events/s", target: { op: ">=", value: 50_000 } },
        { name: `current usage ${label}, median`, value: percentile(timings, 50), unit: "ms", target: { op: "<=", value: 200 } },
        { name: `current usage ${label}, p95`, value: percentile(timings, 95), unit: "ms", target: { op: "<=", value: 200 } },
        // A unique count's events_count is the number of values counted, as Lago reports it (unique_count_service.rb)
        { name: "distinct users counted by current usage", value: Number(charge.units), unit: "users", target: { op: "=", value: Math.min(total, DISTINCT_USERS) } },
        { name: "events_count of the unique count", value: charge.events_count, unit: "users", target: { op: "=", value: Math.min(total, DISTINCT_USERS) } },
      ];
      if (total >= DISTINCT_USERS)
        measurements.push({ name: "usage amount, 30,000 MTUs on Team (§12)", value: first.data.customer_usage.amount_cents, unit: "cents", target: { op: "=", value: TEAM_AMOUNT_CENTS_AT_30K } });
      return measurements;
    } finally {
      await target.stop();
    }
  },
};
