// `pulumi-lago local` as a user runs it: a child process that prints its URL, serves the Lago API over
// real HTTP, keeps state in --data across restarts (and across a kill -9), and stops on SIGINT/SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
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
  /** The key clients must send: the one passed, else the default it prints. */
  apiKey: string;
  /** The start-up line. */
  line: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the CLI and resolves once it printed its URL (rejects if it exits first); `env` is added to the test's own. */
function runLocal(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, "local", ...args], { stdio: "pipe", env: { ...process.env, ...env } });
  const given = args.includes("--api-key") ? args[args.indexOf("--api-key") + 1]! : env.LOCAL_LAGO_API_KEY;
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
      const match = /^Local Lago listening on (http:\/\/\S+\/api\/v1) \(api key: ([^)]*)\);.*$/m.exec(output);
      if (match) resolve({ child, apiUrl: match[1]!, apiKey: given ?? match[2]!, line: match[0], output: () => output, exited });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(({ code }) => reject(new Error(`pulumi-lago local exited with ${code} before listening:\n${output}`)));
  });
}

const metric = (code: string, extra: Record<string, unknown> = {}) => ({ name: `Metric ${code}`, code, aggregation_type: "count_agg", ...extra }) as any;

describe("pulumi-lago local", () => {
  it("prints its URL and what it exposes (a key of one's own not shown), serves the Lago API, and stops cleanly on SIGTERM", async () => {
    const lago = await runLocal(["--port", "0", "--api-key", "cli-key"]);
    expect(lago.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const url = lago.apiUrl.replace(/\/api\/v1$/, "");
    expect(lago.line).toBe(`Local Lago listening on ${lago.apiUrl} (api key: <not shown>); admin API ${url}/__admin (no token); reachable from this machine only (loopback)`);
    expect(lago.output()).not.toContain("cli-key");
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

  it("--host 0.0.0.0: the admin API needs the API key as token, the key comes from the environment and is not printed", async () => {
    const key = "cli-env-key-0123456789";
    const lago = await runLocal(["--port", "0", "--host", "0.0.0.0"], { LOCAL_LAGO_API_KEY: key });
    const port = new URL(lago.apiUrl).port;
    expect(lago.line).toBe(
      `Local Lago listening on http://0.0.0.0:${port}/api/v1 (api key: <not shown>); admin API http://0.0.0.0:${port}/__admin (needs the API key as token); reachable from other machines too (listening on 0.0.0.0)`,
    );
    expect(lago.output()).not.toContain(key);
    // Reached through loopback: the interface it listens on decides, not the caller's address.
    const admin = (token?: string) => fetch(`http://127.0.0.1:${port}/__admin/config`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await admin()).status).toBe(401);
    expect((await admin(key)).status).toBe(200);
    const metrics = await fetch(`http://127.0.0.1:${port}/api/v1/billable_metrics`, { headers: { authorization: `Bearer ${key}` } });
    expect(metrics.status).toBe(200);
  });

  it("--admin-token (here from LOCAL_LAGO_ADMIN_TOKEN) is the admin API's token, on loopback too, and the API key is not", async () => {
    const lago = await runLocal(["--port", "0"], { LOCAL_LAGO_ADMIN_TOKEN: "cli-admin-token" });
    const url = lago.apiUrl.replace(/\/api\/v1$/, "");
    expect(lago.line).toContain(`admin API ${url}/__admin (needs the admin token)`);
    expect(lago.output()).not.toContain("cli-admin-token");
    const admin = (token: string) => fetch(`${url}/__admin/requests`, { headers: { authorization: `Bearer ${token}` } });
    expect((await admin(lago.apiKey)).status).toBe(401);
    expect((await admin("cli-admin-token")).status).toBe(200);
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

  it("--rate-limit cloud answers with Lago Cloud's X-RateLimit headers and 429s; another value is refused", async () => {
    const lago = await runLocal(["--port", "0", "--rate-limit", "cloud"]);
    // The line after the listening line may come in a later chunk.
    await vi.waitFor(() => expect(lago.output()).toContain("Rate limits as on Lago Cloud: 50 requests/s, POST /events 500/s, current usage 200/s"));
    const answers = await Promise.all(Array.from({ length: 160 }, () => fetch(`${lago.apiUrl}/plans`, { headers: { authorization: `Bearer ${lago.apiKey}` } })));
    expect(answers[0]!.headers.get("x-ratelimit-limit")).toBe("50");
    expect(answers.some((a) => a.status === 429)).toBe(true);
    await expect(runLocal(["--port", "0", "--rate-limit", "fast"])).rejects.toThrow(/exited with 1[\s\S]*cloud/);
  });

  it("exits 1 with a message for a bad port, and when the port is taken", async () => {
    await expect(runLocal(["--port", "http"])).rejects.toThrow(/exited with 1[\s\S]*port number/);
    const taken = await runLocal(["--port", "0"]);
    const port = new URL(taken.apiUrl).port;
    await expect(runLocal(["--port", port])).rejects.toThrow(/exited with 1[\s\S]*EADDRINUSE/);
  });
});
