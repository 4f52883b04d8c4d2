// `pulumi-lago local` as a user runs it: a child process that prints its URL, serves the Lago API over
// real HTTP, keeps state in --data across restarts (and across a kill -9), and stops on SIGINT/SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "lago-javascript-client";

const BIN = path.resolve(__dirname, "../../bin/pulumi-lago.js");
const children = new Set<ChildProcessWithoutNullStreams>();
const dirs: string[] = [];

afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-cli-"));
  dirs.push(dir);
  return dir;
};

interface Running {
  child: ChildProcessWithoutNullStreams;
  apiUrl: string;
  apiKey: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the CLI and resolves once it printed its URL (rejects if it exits first). */
function runLocal(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, "local", ...args], { stdio: "pipe" });
  children.add(child);
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Local Lago listening on (http:\/\/\S+\/api\/v1) \(api key: (\S+)\)/.exec(output);
      if (match) resolve({ child, apiUrl: match[1]!, apiKey: match[2]!, output: () => output, exited });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(({ code }) => reject(new Error(`pulumi-lago local exited with ${code} before listening:\n${output}`)));
  });
}

const metric = (code: string, extra: Record<string, unknown> = {}) => ({ name: `Metric ${code}`, code, aggregation_type: "count_agg", ...extra }) as any;

describe("pulumi-lago local", () => {
  it("prints its URL and key, serves the Lago API, and stops cleanly on SIGTERM", async () => {
    const lago = await runLocal(["--port", "0", "--api-key", "cli-key"]);
    expect(lago.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(lago.apiKey).toBe("cli-key");
    const client = Client(lago.apiKey, { baseUrl: lago.apiUrl });
    const created = await client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    expect(created.status).toBe(200);
    expect((await client.billableMetrics.findBillableMetric("mtu")).data.billable_metric.lago_id).toBe(created.data.billable_metric.lago_id);
    const wrongKey = await fetch(`${lago.apiUrl}/billable_metrics`, { headers: { authorization: "Bearer local-lago-key" } });
    expect(wrongKey.status).toBe(401);
    lago.child.kill("SIGTERM");
    expect(await lago.exited).toEqual({ code: 0, signal: null });
    expect(lago.output()).toContain("SIGTERM: stopping the local Lago");
  });

  it("keeps state in --data across a SIGINT stop and a restart", async () => {
    const data = tempDir();
    const first = await runLocal(["--port", "0", "--data", data]);
    const created = await Client(first.apiKey, { baseUrl: first.apiUrl }).billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    first.child.kill("SIGINT");
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await runLocal(["--port", "0", "--data", data]);
    expect(second.apiKey).toBe("local-lago-key");
    const found = await Client(second.apiKey, { baseUrl: second.apiUrl }).billableMetrics.findBillableMetric("mtu");
    expect(found.data.billable_metric.lago_id).toBe(created.data.billable_metric.lago_id);
  });

  it("loses no acknowledged write and loads cleanly after kill -9 in the middle of a burst", async () => {
    const data = tempDir();
    const first = await runLocal(["--port", "0", "--data", data]);
    const client = Client(first.apiKey, { baseUrl: first.apiUrl });
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    let killed = false;
    // Eight writers create metrics until the process is killed under them.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; !killed; i++) {
          const code = `w${writer}_${i}`;
          attempted.push(code);
          try {
            await client.billableMetrics.createBillableMetric({ billable_metric: metric(code) });
            acknowledged.push(code);
            if (acknowledged.length === 150 && !killed) {
              killed = true;
              first.child.kill("SIGKILL");
            }
          } catch {
            return; // the server is gone
          }
        }
      }),
    );
    expect((await first.exited).signal).toBe("SIGKILL");

    const second = await runLocal(["--port", "0", "--data", data]);
    const list = await Client(second.apiKey, { baseUrl: second.apiUrl }).billableMetrics.findAllBillableMetrics({ per_page: 1000 });
    const present = list.data.billable_metrics.map((m) => m.code);
    expect(present).toEqual(expect.arrayContaining(acknowledged));
    expect(attempted).toEqual(expect.arrayContaining(present));
    expect(new Set(present).size).toBe(present.length);
  });

  it("--no-premium refuses premium-only features (custom_agg → 403 feature_unavailable)", async () => {
    const lago = await runLocal(["--port", "0", "--no-premium"]);
    const res = await fetch(`${lago.apiUrl}/billable_metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${lago.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ billable_metric: metric("custom", { aggregation_type: "custom_agg" }) }),
    });
    expect([res.status, await res.json()]).toEqual([403, { status: 403, error: "Forbidden", code: "feature_unavailable" }]);
  });

  it("exits 1 with a message for a bad port, and when the port is taken", async () => {
    await expect(runLocal(["--port", "http"])).rejects.toThrow(/exited with 1[\s\S]*port number/);
    const taken = await runLocal(["--port", "0"]);
    const port = new URL(taken.apiUrl).port;
    await expect(runLocal(["--port", port])).rejects.toThrow(/exited with 1[\s\S]*EADDRINUSE/);
  });
});
