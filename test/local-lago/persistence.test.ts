// State in memory by default; with a data directory it survives a restart. Each committed request is
// one fsynced journal line; start-up replays snapshot + journal, drops a line torn by a crash, and
// compacts into a new snapshot written atomically (temp file, fsync, rename).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "lago-javascript-client";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { lagoError, useOpenApiValidation } from "../support/local-lago";

const onResponse = useOpenApiValidation();
const dirs: string[] = [];
const running = new Set<LocalLago>();

afterEach(async () => {
  for (const server of running) await server.stop();
  running.clear();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-lago-data-"));
  dirs.push(dir);
  return dir;
};

async function start(dataDir?: string) {
  const server = await startLocalLago({ dataDir, onResponse });
  running.add(server);
  return { server, client: Client(server.apiKey, { baseUrl: server.apiUrl }) };
}

async function stop(server: LocalLago) {
  running.delete(server);
  await server.stop();
}

const metric = (code: string) => ({ name: `Metric ${code}`, code, aggregation_type: "count_agg" }) as any;
const journal = (dir: string) => path.join(dir, "journal.ndjson");
const snapshot = (dir: string) => path.join(dir, "snapshot.json");
const codes = async (client: ReturnType<typeof Client>) => (await client.billableMetrics.findAllBillableMetrics()).data.billable_metrics.map((m) => m.code).sort();

describe("without a data directory", () => {
  it("keeps state in memory only: a new server starts empty", async () => {
    const first = await start();
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    expect(await codes(first.client)).toEqual(["mtu"]);
    await stop(first.server);
    const second = await start();
    expect(await codes(second.client)).toEqual([]);
  });
});

describe("with a data directory", () => {
  it("survives stop/start: creates, updates and soft deletes, with the same lago_ids", async () => {
    const dir = tempDir();
    const first = await start(dir);
    const kept = await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("kept") });
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("gone") });
    await first.client.billableMetrics.updateBillableMetric("kept", { billable_metric: { name: "Renamed" } });
    await first.client.billableMetrics.destroyBillableMetric("gone");
    await stop(first.server);

    const second = await start(dir);
    const found = await second.client.billableMetrics.findBillableMetric("kept");
    expect(found.data.billable_metric).toMatchObject({ lago_id: kept.data.billable_metric.lago_id, name: "Renamed", created_at: kept.data.billable_metric.created_at });
    expect(await lagoError(second.client.billableMetrics.findBillableMetric("gone"))).toEqual({
      status: 404,
      body: { status: 404, error: "Not Found", code: "billable_metric_not_found" },
    });
    expect(await codes(second.client)).toEqual(["kept"]);
  });

  it("compacts on start: the snapshot holds the state and the journal starts empty", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    expect(fs.readFileSync(journal(dir), "utf8").trim().split("\n")).toHaveLength(1);
    await stop(first.server);

    await start(dir);
    expect(fs.readFileSync(journal(dir), "utf8")).toBe("");
    const rows = JSON.parse(fs.readFileSync(snapshot(dir), "utf8")).billable_metrics as Array<{ code: string }>;
    expect(rows.map((r) => r.code)).toEqual(["mtu"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["journal.ndjson", "snapshot.json"]);
  });

  it("journals nothing for a request that fails: the transaction rolled back", async () => {
    const dir = tempDir();
    const { client } = await start(dir);
    await client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") });
    const before = fs.readFileSync(journal(dir), "utf8");
    const duplicate = await lagoError(client.billableMetrics.createBillableMetric({ billable_metric: metric("mtu") }));
    expect(duplicate.status).toBe(422);
    expect(fs.readFileSync(journal(dir), "utf8")).toBe(before);
  });

  it("drops a last journal line torn by a crash and loads the rest", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("one") });
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("two") });
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("three") });
    await stop(first.server);
    // Tear the third transaction: keep only the first half of its line, as a crash mid-write would.
    const lines = fs.readFileSync(journal(dir), "utf8").split("\n");
    expect(lines).toHaveLength(4); // three lines and the empty rest after the last newline
    const torn = lines[2]!.slice(0, Math.floor(lines[2]!.length / 2));
    fs.writeFileSync(journal(dir), `${lines[0]}\n${lines[1]}\n${torn}`);

    const second = await start(dir);
    expect(await codes(second.client)).toEqual(["one", "two"]);
    // The store writes on normally afterwards, and the next restart sees all of it.
    await second.client.billableMetrics.createBillableMetric({ billable_metric: metric("four") });
    await stop(second.server);
    const third = await start(dir);
    expect(await codes(third.client)).toEqual(["four", "one", "two"]);
  });

  it("drops a complete-looking last line that lacks its newline: it was never acknowledged", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("one") });
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("two") });
    await stop(first.server);
    const text = fs.readFileSync(journal(dir), "utf8");
    fs.writeFileSync(journal(dir), text.slice(0, -1));

    const second = await start(dir);
    expect(await codes(second.client)).toEqual(["one"]);
  });

  it("ignores the temp file of a snapshot whose rename never happened, and removes it", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("one") });
    await stop(first.server);
    const leftover = path.join(dir, "snapshot.json.4242.tmp");
    fs.writeFileSync(leftover, '{"billable_metrics":[{"id":"half-writ');

    const second = await start(dir);
    expect(await codes(second.client)).toEqual(["one"]);
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it("persists an admin reset: the next start is empty", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("one") });
    first.server.admin.reset();
    await stop(first.server);
    const second = await start(dir);
    expect(await codes(second.client)).toEqual([]);
  });

  it.runIf(fs.existsSync("/dev/full"))("rolls a request back when its journal write fails (disk full): memory never runs ahead of disk", async () => {
    const dir = tempDir();
    fs.symlinkSync("/dev/full", journal(dir)); // every write to the journal fails with ENOSPC
    const { server, client } = await start(dir);
    const res = await fetch(`${server.apiUrl}/billable_metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ billable_metric: metric("lost") }),
    });
    expect(res.status).toBe(500);
    expect(await codes(client)).toEqual([]);
  });

  it("replays a journal on top of a snapshot that already holds it (crash between rename and journal truncation)", async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.client.billableMetrics.createBillableMetric({ billable_metric: metric("one") });
    await first.client.billableMetrics.updateBillableMetric("one", { billable_metric: { name: "Renamed" } });
    await stop(first.server);
    const lines = fs.readFileSync(journal(dir), "utf8");

    const second = await start(dir); // compacts: the snapshot now holds both transactions
    await stop(second.server);
    fs.writeFileSync(journal(dir), lines); // as if the crash came before the journal was emptied

    const third = await start(dir);
    const found = await third.client.billableMetrics.findAllBillableMetrics();
    expect(found.data.billable_metrics.map((m) => [m.code, m.name])).toEqual([["one", "Renamed"]]);
  });
});
