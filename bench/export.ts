// `pulumi-lago export` of a large organization under Lago Cloud's limits: 1,000 plans with 3 charges each, read from a
// local Lago enforcing 50 requests a second (rateLimit: "cloud"). The organization is built without the limit and the
// limited Lago is started on the same data; the wall time is set against the floor the limit sets (requests / 50 s).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalLago } from "../local-lago";
import { CLOUD_LIMITS } from "../local-lago/rate-limit";
import { exportOrg } from "../provider/export";
import { call } from "../test/support/export-org";
import type { Bench, BenchOptions, Measurement } from "./bench";

async function buildOrg(dataDir: string, plans: number, log: (m: string) => void): Promise<void> {
  const lago = await startLocalLago({ apiKey: "bench-key", dataDir });
  try {
    const metrics: string[] = [];
    for (const code of ["api_calls", "storage_gb", "seats"]) {
      const aggregation = code === "api_calls" ? { aggregation_type: "count_agg" } : { aggregation_type: "sum_agg", field_name: "value" };
      metrics.push((await call(lago, "POST", "/billable_metrics", { billable_metric: { name: code, code, ...aggregation } })).billable_metric.lago_id);
    }
    for (let i = 0; i < plans; i++) {
      const code = `plan_${String(i).padStart(4, "0")}`;
      await call(lago, "POST", "/plans", {
        plan: {
          name: `Plan ${i}`,
          code,
          interval: "monthly",
          amount_cents: 1000 + i,
          amount_currency: "USD",
          pay_in_advance: false,
          charges: [
            { billable_metric_id: metrics[0], charge_model: "package", properties: { amount: "5", package_size: 1000, free_units: 100 } },
            { billable_metric_id: metrics[1], charge_model: "graduated", properties: { graduated_ranges: [{ from_value: 0, to_value: 100, per_unit_amount: "0.5", flat_amount: "0" }, { from_value: 101, to_value: null, per_unit_amount: "0.25", flat_amount: "0" }] } },
            { billable_metric_id: metrics[2], charge_model: "standard", properties: { amount: `${(i % 50) + 1}` } },
          ],
        },
      });
      if ((i + 1) % 250 === 0) log(`built ${i + 1} plans`);
    }
  } finally {
    await lago.stop();
  }
}

export const exportBench: Bench = {
  name: "export",
  async run({ log, args }: BenchOptions): Promise<Measurement[]> {
    // Knobs: --plans=N.
    const plans = Number(args.plans ?? 1000);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-export-bench-"));
    try {
      const dataDir = path.join(scratch, "data");
      log(`building ${plans.toLocaleString("en-US")} plans with 3 charges each`);
      await buildOrg(dataDir, plans, log);
      const lago = await startLocalLago({ apiKey: "bench-key", dataDir, rateLimit: "cloud" });
      try {
        const before = lago.admin.requests.length;
        const started = performance.now();
        const result = await exportOrg({ apiUrl: lago.apiUrl, apiKey: lago.apiKey, out: path.join(scratch, "out") });
        const seconds = (performance.now() - started) / 1000;
        const answered = lago.admin.requests.slice(before);
        const refused = answered.filter((r) => r.status === 429).length;
        const accepted = answered.length - refused;
        const floor = accepted / CLOUD_LIMITS.other;
        if (answered.some((r) => r.method !== "GET")) throw new Error("export wrote to Lago");
        if (result.snapshot.sections.plans?.length !== plans) throw new Error(`export read ${result.snapshot.sections.plans?.length} plans of ${plans}`);
        log(`${accepted} requests answered, ${refused} refused with 429 (waited out), ${(fs.statSync(path.join(scratch, "out", "catalog.yaml")).size / 1e6).toFixed(1)} MB of YAML`);
        return [
          { name: `export of ${plans.toLocaleString("en-US")} plans (3 charges each) at 50 req/s`, value: seconds, unit: "s", target: { op: "<=", value: Math.ceil(floor * 1.25) } },
          { name: "floor set by the limit (requests / 50)", value: floor, unit: "s" },
          { name: "wall time of the floor", value: (100 * seconds) / floor, unit: "%", target: { op: "<=", value: 125 } },
          { name: "429 answers (each waited out)", value: refused, unit: "" },
        ];
      } finally {
        await lago.stop();
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
