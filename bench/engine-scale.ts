// 2,000 resources through the real engine against the local Lago with Lago Cloud's limits (rateLimit: "cloud"):
// 200 metrics, 1,500 plans, 150 customers and 150 subscriptions. `up`, an unchanged `preview` and `refresh`, each
// against the floor the 50 requests/s limit sets (the calls it needs ÷ 50/s; refresh: 2,000 GETs → 40 s); refresh
// again at other `--parallel` settings; and one price change among the 1,500 plans, which must cost one write.
// Heavy (minutes, most of a 2-core machine): it runs only when named, `npm run bench -- engine-scale`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { startLocalLago } from "../local-lago";
import { CLOUD_LIMITS } from "../local-lago/rate-limit";
import { BillableMetric, Customer, Plan, Subscription } from "../provider";
import { ensurePulumiCli } from "../provider/pulumi-cli";
import type { Bench, BenchOptions, Measurement } from "./bench";
import { newStack, phase, seconds, stateStats, type Context, type Phase } from "./engine";
import { installProvider, providerCodeArg } from "./installed-package";

interface Shape {
  metrics: number;
  plans: number;
  customers: number;
  subscriptions: number;
}

/** The stack, or a fraction of it (`--scale=0.05` for a quick check of the bench itself). */
const shapeAt = (scale: number): Shape => {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return { metrics: n(200), plans: Math.max(n(1500), REPRICED_PLAN_AT(scale) + 1), customers: n(150), subscriptions: n(150) };
};
const total = (s: Shape) => s.metrics + s.plans + s.customers + s.subscriptions;
/** Refresh may take at most 1.2 × the time its calls need at Lago Cloud's limit. */
const FLOOR_TARGET_PERCENT = 120;
/** The plan repriced: one no subscription is on (those are on the first plans), so the change is in place. */
const REPRICED_PLAN_AT = (scale: number) => Math.round(1000 * scale);

const ranges = (top: string) => [
  { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
  { fromValue: 100001, toValue: null, perUnitAmount: top },
];

function scaleProgram(SHAPE: Shape, knobs: { repriced: boolean }, repriced: number): PulumiFn {
  return async () => {
    const metrics = Array.from(
      { length: SHAPE.metrics },
      (_, i) => new BillableMetric(`metric_${i}`, { name: `Metric ${i}`, code: `metric_${i}`, aggregationType: "sum_agg", fieldName: "value" }),
    );
    const plans = Array.from({ length: SHAPE.plans }, (_, i) => {
      const top = knobs.repriced && i === repriced ? "0.009" : "0.010";
      return new Plan(`plan_${i}`, {
        name: `Plan ${i}`,
        code: `plan_${i}`,
        interval: "monthly",
        amountCents: 1000 + i,
        amountCurrency: "USD",
        charges: [{ billableMetric: metrics[i % SHAPE.metrics]!, chargeModel: "graduated", graduatedRanges: ranges(top) }],
      });
    });
    for (let i = 0; i < SHAPE.customers; i++) {
      const customer = new Customer(`customer_${i}`, { externalId: `customer_${i}`, name: `Customer ${i}`, currency: "USD" });
      if (i < SHAPE.subscriptions) new Subscription(`subscription_${i}`, { externalId: `subscription_${i}`, customer, plan: plans[i]! });
    }
    return {};
  };
}

/** What a phase's accepted calls need at least, at `limit` requests a second. */
const floorMs = (p: Phase<unknown>, limit: number) => ((p.calls - p.rateLimited) / limit) * 1000;

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

export const engineScaleBench: Bench = {
  name: "engine-scale",
  onlyWhenNamed: true,
  async run({ log, args }: BenchOptions): Promise<Measurement[]> {
    // Knobs: --parallel=8,64 (refresh again at these --parallel values besides the engine's default);
    // --provider=sources to run the checkout's sources (through tsx) instead of the built package users install.
    const parallels = (args.parallel ?? "8,64").split(",").filter(Boolean).map(Number);
    const scale = Number(args.scale ?? 1);
    const SHAPE = shapeAt(scale);
    const RESOURCES = total(SHAPE);
    const limit = CLOUD_LIMITS.other;
    const cli = await ensurePulumiCli({ acquire: false });
    const lago = await startLocalLago({ apiKey: "bench-scale-key", rateLimit: "cloud" });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-bench-scale-"));
    const ctx: Context = { cli, lago, scratch, log };
    const knobs = { repriced: false };
    const measurements: Measurement[] = [];
    const versusFloor = (what: string, p: Phase<unknown>, target?: number): Measurement => ({
      name: `${what} of ${RESOURCES.toLocaleString("en-US")} vs the ${limit}/s floor (${seconds(p.ms)} / ${seconds(floorMs(p, limit))}; ${p.calls - p.rateLimited} calls, ${p.rateLimited} 429s)`,
      value: Math.round((p.ms / floorMs(p, limit)) * 100),
      unit: "%",
      ...(target ? { target: { op: "<=" as const, value: target } } : {}),
    });
    try {
      await installProvider(scratch, providerCodeArg(args), log);
      log(`load average at start: ${load()}`);
      const stack = await newStack(ctx, "scale", scaleProgram(SHAPE, knobs, REPRICED_PLAN_AT(scale)));
      const up = await phase(ctx, () => stack.up());
      const upChanges = (up.result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges;
      log(`up: ${seconds(up.ms)}, ${JSON.stringify(upChanges)}, ${up.calls} calls (${up.rateLimited} 429s); load ${load()}`);
      const state = stateStats(path.join(scratch, "scale"), "scale");
      log(`checkpoint ${state.bytesPerResource} B per resource`);
      const preview = await phase(ctx, () => stack.preview());
      const previewed = (preview.result as { changeSummary: Record<string, number> }).changeSummary;
      log(`unchanged preview: ${seconds(preview.ms)}, ${JSON.stringify(previewed)}, ${preview.calls} calls; load ${load()}`);
      const refresh = await phase(ctx, () => stack.refresh());
      log(`refresh (default --parallel): ${seconds(refresh.ms)}, ${refresh.calls} calls (${refresh.rateLimited} 429s); load ${load()}`);
      measurements.push(
        { name: `resources created by up`, value: upChanges?.create ?? 0, unit: "", target: { op: "=", value: RESOURCES + 1 } },
        versusFloor("up", up),
        { name: `unchanged preview of ${RESOURCES.toLocaleString("en-US")} (${seconds(preview.ms)})`, value: preview.calls, unit: "calls", target: { op: "=", value: 0 } },
        { name: `resources previewed as changed, unchanged program`, value: Object.entries(previewed).filter(([op]) => op !== "same").reduce((n, [, c]) => n + c, 0), unit: "", target: { op: "=", value: 0 } },
        versusFloor("refresh (default --parallel)", refresh, FLOOR_TARGET_PERCENT),
      );
      for (const parallel of parallels) {
        const again = await phase(ctx, () => stack.refresh({ parallel }));
        log(`refresh --parallel ${parallel}: ${seconds(again.ms)}, ${again.calls} calls (${again.rateLimited} 429s); load ${load()}`);
        measurements.push(versusFloor(`refresh --parallel ${parallel}`, again));
      }
      knobs.repriced = true;
      const changePreview = await phase(ctx, () => stack.preview());
      const changeUp = await phase(ctx, () => stack.up());
      const changed = (changePreview.result as { changeSummary: Record<string, number> }).changeSummary;
      log(`price change: preview ${JSON.stringify(changed)} in ${changePreview.calls} calls; up ${seconds(changeUp.ms)}, ${changeUp.writes} writes in ${changeUp.calls} calls`);
      measurements.push(
        { name: `resources previewed as updated, 1 price change among ${SHAPE.plans.toLocaleString("en-US")} plans`, value: changed.update ?? 0, unit: "", target: { op: "=", value: 1 } },
        { name: `Lago writes, up of that change (${seconds(changeUp.ms)})`, value: changeUp.writes, unit: "writes", target: { op: "=", value: 1 } },
      );
      log(`load average at end: ${load()}`);
      return measurements;
    } finally {
      await lago.stop();
      if (args["keep-state"] === "true") log(`state kept under ${scratch}`);
      else fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
