// The provider against Lago Cloud's limits (the local Lago with rateLimit: "cloud"): it never fails on a 429, paces
// itself from X-RateLimit-Limit once Lago has announced it, and still creates each object exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalLago, type LocalLago } from "../../local-lago";
import * as runtime from "../../provider/runtime.ts";
import { FAST_RETRY } from "./harness";

let lago: LocalLago;
beforeAll(async () => {
  lago = await startLocalLago({ apiKey: "cloud-limits-key", rateLimit: "cloud" });
});
afterAll(async () => {
  await lago?.stop();
});

/** A fresh client (and with it a pacer that has learned nothing yet). */
const configure = (maxAttempts: number) =>
  runtime.configureWith({ apiUrl: lago.apiUrl, apiKey: lago.apiKey, retry: { ...FAST_RETRY, maxAttempts, maxRateLimitWaitMs: 2_000 } });

const statuses = (from: number) => lago.admin.requests.slice(from).map((r) => r.status);

describe("under Lago Cloud's 50 requests a second", () => {
  let ids: string[] = [];
  it("100 metric creates at once: every one succeeds, exactly once, though most of the first burst is refused", async () => {
    configure(2); // 429s must not use up the attempts, even when only two are allowed
    const before = lago.admin.requests.length;
    const created = await Promise.all(
      Array.from({ length: 100 }, (_, i) => runtime.kinds.BillableMetric.create({ name: `Metric ${i}`, code: `metric_${i}`, aggregationType: "count_agg" })),
    );
    ids = created.map((c) => c.id);
    expect(new Set(ids).size).toBe(100);
    const answers = statuses(before);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0); // the first burst went out before any limit was known
    expect(answers.filter((s) => s === 200)).toHaveLength(100); // one POST each, no lookup, no duplicate
    expect(answers.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  });

  it("once the limit is known, 150 reads at once are paced under it: few refusals, all answered", async () => {
    configure(2);
    const first = await runtime.kinds.BillableMetric.read(ids[0]!, { code: "metric_0" }); // learns the limit
    expect(first.props).toMatchObject({ code: "metric_0" });
    const before = lago.admin.requests.length;
    const reads = await Promise.all(Array.from({ length: 150 }, (_, i) => runtime.kinds.BillableMetric.read(ids[i % 100]!, { code: `metric_${i % 100}` })));
    expect(reads.map((r) => r.id)).toEqual(Array.from({ length: 150 }, (_, i) => ids[i % 100]));
    const answers = statuses(before);
    // Unpaced, 150 requests at once draw about 100 refusals; paced, a refusal needs a stall of this machine.
    expect(answers.filter((s) => s === 429).length).toBeLessThan(150 / 4);
    expect(answers.filter((s) => s === 200)).toHaveLength(150);
  });
});
