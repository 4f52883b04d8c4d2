// The provider inside the real Pulumi engine: preview and up wall times for stacks of Lago resources, each as a
// ratio to the same engine running as many trivial no-op dynamic resources with the same inputs and dependencies
// (so the ratio is what the provider adds: loading its runtime, checking args, talking to Lago); Lago API calls
// per phase from the local Lago's request log, beside the Terraform provider's on the same shape; the state each
// resource costs against the no-op's; and the writes one price change among 100 plans costs. The 2,000-resource
// stack under Lago Cloud's limits is engine-scale.ts. The provider host runs the package built from these sources, as
// a user's program installs it (installed-package.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { startLocalLago, type LocalLago } from "../local-lago";
import { offlineStack } from "../provider/engine";
import { BillableMetric, Plan } from "../provider";
import { ensurePulumiCli, type PulumiCli } from "../provider/pulumi-cli";
import type { Bench, BenchOptions, Measurement } from "./bench";
import { installProvider, providerCodeArg } from "./installed-package";

/** Lago resources may take at most 1.1 × the time of as many no-op ones. */
const RATIO_TARGET_PERCENT = 110;
/** A Lago resource's share of the checkpoint may be at most 1.2 × a no-op's with the same inputs. */
const STATE_RATIO_TARGET_PERCENT = 120;
/** The provider reference is one line (provider/resources/reference.ts). */
const PROVIDER_BYTES_TARGET = 128;
const PRICE_CHANGE_PLANS = 100;

/**
 * The Terraform provider for Lago on the same local Lago, 10 metrics + 90 plans (issue #14): what `ladderShape(100)`
 * builds. Measured once by hand, reported beside ours for comparison.
 */
export const TERRAFORM_PEER = { createMs: 2500, createCalls: 100, planMs: 1500, planCalls: 100 };

type Flavour = "lago" | "noop";

/** A catalog of metrics and plans, each plan charging one metric on four graduated ranges. */
interface Shape {
  metrics: number;
  plans: number;
  /** Top-range price of plan `i` (a decimal string). */
  topPrice(i: number): string;
}

/** N resources: one metric for every ten, the rest plans. */
const ladderShape = (resources: number): Shape => {
  const metrics = Math.max(1, Math.round(resources / 10));
  return { metrics, plans: resources - metrics, topPrice: () => "0.010" };
};

const ranges = (top: string) => [
  { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
  { fromValue: 100001, toValue: null, perUnitAmount: top },
];

// The baseline: a dynamic provider that answers create with its inputs and leaves diffing to the engine.
const noopProvider: pulumi.dynamic.ResourceProvider = {
  create: async (inputs) => ({ id: String(inputs.code), outs: { ...inputs, lagoId: `noop-${String(inputs.code)}` } }),
};

class Noop extends pulumi.dynamic.Resource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly code: pulumi.Output<string>;
  constructor(type: string, name: string, props: Record<string, unknown>) {
    super(noopProvider, name, { ...props, lagoId: undefined }, {}, "bench", type);
  }
}

const metricArgs = (i: number) => ({ name: `Metric ${i}`, code: `metric_${i}`, aggregationType: "sum_agg" as const, fieldName: "value" });
const planArgs = (i: number) => ({ name: `Plan ${i}`, code: `plan_${i}`, interval: "monthly" as const, amountCents: 1000 + i, amountCurrency: "USD" });
const chargeArgs = (shape: Shape, i: number) => ({ chargeModel: "graduated" as const, graduatedRanges: ranges(shape.topPrice(i)) });

/** The catalog as Lago resources, or as no-op ones with identical inputs and dependencies. */
function catalogProgram(flavour: Flavour, shape: Shape): PulumiFn {
  return async () => {
    if (flavour === "lago") {
      const metrics = Array.from({ length: shape.metrics }, (_, i) => new BillableMetric(metricArgs(i).code, metricArgs(i)));
      for (let i = 0; i < shape.plans; i++)
        new Plan(`plan_${i}`, { ...planArgs(i), charges: [{ ...chargeArgs(shape, i), billableMetric: metrics[i % metrics.length]! }] });
    } else {
      const metrics = Array.from({ length: shape.metrics }, (_, i) => new Noop("BillableMetric", metricArgs(i).code, metricArgs(i)));
      for (let i = 0; i < shape.plans; i++) {
        const metric = metrics[i % metrics.length]!;
        // What the Plan class hands the engine for a metric resource: its lago_id (the dependency) and its code.
        const charge = { ...chargeArgs(shape, i), billableMetric: metric.lagoId, billableMetricCode: metric.code };
        new Noop("Plan", `plan_${i}`, { ...planArgs(i), charges: [charge] });
      }
    }
    return {};
  };
}

export interface Context {
  cli: PulumiCli;
  lago: LocalLago;
  scratch: string;
  log(message: string): void;
}

/** A fresh stack (its own state directory) running `program`. */
export function newStack(ctx: Context, name: string, program: PulumiFn): Promise<Stack> {
  return offlineStack({
    stateDir: path.join(ctx.scratch, name),
    projectName: "bench",
    stackName: name,
    program,
    cli: ctx.cli,
    lago: { apiUrl: ctx.lago.apiUrl, apiKey: ctx.lago.apiKey },
  });
}

export interface Phase<T> {
  result: T;
  ms: number;
  /** CPU this process spent meanwhile: the inline program and the local Lago (the engine and provider host run apart). */
  cpuMs: number;
  calls: number;
  writes: number;
  /** Of those calls, the ones Lago refused with a 429 (under `rateLimit: "cloud"`). */
  rateLimited: number;
}

/** Runs one engine operation, timing it and counting the Lago API calls it made. */
export async function phase<T>(ctx: Context, run: () => Promise<T>): Promise<Phase<T>> {
  const before = ctx.lago.admin.requests.length;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await run();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const requests = ctx.lago.admin.requests.slice(before);
  return {
    result,
    ms,
    cpuMs: (user + system) / 1000,
    calls: requests.length,
    writes: requests.filter((r) => r.method !== "GET" && r.status !== 429).length,
    rateLimited: requests.filter((r) => r.status === 429).length,
  };
}

interface StackRun {
  preview: Phase<unknown>;
  up: Phase<unknown>;
  unchangedPreview: Phase<unknown>;
  state: StateStats;
}

/** First preview (all creates), up, then a preview of the unchanged stack; each stack is new, with its own state. */
async function measureStack(ctx: Context, flavour: Flavour, resources: number, round: number): Promise<StackRun> {
  const name = `${flavour}-${resources}-${round}`;
  const stack = await newStack(ctx, name, catalogProgram(flavour, ladderShape(resources)));
  const preview = await phase(ctx, () => stack.preview());
  const up = await phase(ctx, () => stack.up());
  const unchangedPreview = await phase(ctx, () => stack.preview());
  const changes = (unchangedPreview.result as { changeSummary: Record<string, number> }).changeSummary;
  if (Object.keys(changes).some((op) => op !== "same")) throw new Error(`${name}: the unchanged preview reports changes ${JSON.stringify(changes)}`);
  ctx.log(
    `${name}: preview ${seconds(preview.ms)}, up ${seconds(up.ms)} (program + local Lago CPU ${seconds(up.cpuMs)}), unchanged preview ${seconds(unchangedPreview.ms)}; Lago calls ${preview.calls} / ${up.calls} / ${unchangedPreview.calls}`,
  );
  return { preview, up, unchangedPreview, state: stateStats(path.join(ctx.scratch, name), name) };
}

/** Of several runs, the one with the shortest time for a phase: what the machine allows, with others' load filtered out. */
const fastest = (runs: StackRun[], pick: (run: StackRun) => Phase<unknown>): Phase<unknown> =>
  runs.map(pick).reduce((best, p) => (p.ms < best.ms ? p : best));

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface StateStats {
  /** Largest `__provider` text per resource type. */
  providerBytes: Map<string, number>;
  /** Checkpoint file size divided by the resources it holds. */
  bytesPerResource: number;
}

/** What a stack's checkpoint file holds (secrets there are still encrypted). */
export function stateStats(stateDir: string, stackName: string): StateStats {
  const file = path.join(stateDir, ".pulumi", "stacks", "bench", `${stackName}.json`);
  const resources: Array<{ type: string; inputs?: { __provider?: string } }> = JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest.resources;
  const providerBytes = new Map<string, number>();
  for (const r of resources) {
    const text = r.inputs?.__provider;
    if (typeof text === "string") providerBytes.set(r.type, Math.max(providerBytes.get(r.type) ?? 0, Buffer.byteLength(text)));
  }
  return { providerBytes, bytesPerResource: Math.round(fs.statSync(file).size / resources.length) };
}

/** One top-range price changed on one plan among 100: preview, then up; writes counted for each. */
async function measurePriceChange(ctx: Context): Promise<{ preview: Phase<unknown>; up: Phase<unknown>; previewed: Record<string, number> }> {
  const changed = 42;
  let repriced = false;
  const shape: Shape = { metrics: 10, plans: PRICE_CHANGE_PLANS, topPrice: (i) => (repriced && i === changed ? "0.009" : "0.010") };
  const stack = await newStack(ctx, "price-change", catalogProgram("lago", shape));
  await stack.up();
  repriced = true;
  const preview = await phase(ctx, () => stack.preview());
  const before = ctx.lago.admin.requests.length;
  const up = await phase(ctx, () => stack.up());
  const written = ctx.lago.admin.requests.slice(before).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  const previewed = (preview.result as { changeSummary: Record<string, number> }).changeSummary;
  ctx.log(`price change among ${PRICE_CHANGE_PLANS} plans: preview ${JSON.stringify(previewed)} in ${preview.calls} Lago calls; up wrote ${written.join(", ") || "nothing"} in ${up.calls} calls`);
  return { preview, up, previewed };
}

export const engineBench: Bench = {
  name: "engine",
  async run({ log, args }: BenchOptions): Promise<Measurement[]> {
    // Knobs: --sizes=10,100,500 (resources per stack); --rounds=N (default 3 below 500 resources, 1 from there:
    // the fastest round counts); --price-change=false to skip that phase; --keep-state=true to keep the state;
    // --provider=sources to run the checkout's sources (through tsx) instead of the built package users install.
    const sizes = (args.sizes ?? "10,100,500").split(",").map(Number);
    const roundsFor = (size: number) => Number(args.rounds ?? (size < 500 ? 3 : 1));
    const cli = await ensurePulumiCli({ acquire: false }); // none is an error: `npm run setup:pulumi` first
    const lago = await startLocalLago({ apiKey: "bench-engine-key" });
    // Outside the checkout: the provider host resolves pulumi-lago from its cwd upwards before NODE_PATH.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-bench-engine-"));
    const ctx: Context = { cli, lago, scratch, log };
    const measurements: Measurement[] = [];
    try {
      await installProvider(scratch, providerCodeArg(args), log);
      for (const size of sizes) {
        const noops: StackRun[] = [];
        const reals: StackRun[] = [];
        for (let round = 0; round < roundsFor(size); round++) {
          // Baseline and provider back to back, alternating which goes first, so both see the same machine load.
          const order: Flavour[] = round % 2 ? ["lago", "noop"] : ["noop", "lago"];
          for (const flavour of order) {
            lago.admin.reset();
            (flavour === "lago" ? reals : noops).push(await measureStack(ctx, flavour, size, round));
          }
        }
        // The ratio as a percentage, so the table's rounding cannot hide a miss (1.21 would print as 1.2).
        const ratio = (what: string, pick: (run: StackRun) => Phase<unknown>): Measurement => {
          const [a, b] = [fastest(reals, pick), fastest(noops, pick)];
          return {
            name: `${what} time vs no-op, ${size} resources (${seconds(a.ms)} / ${seconds(b.ms)})`,
            value: Math.round((a.ms / b.ms) * 100),
            unit: "%",
            target: { op: "<=", value: RATIO_TARGET_PERCENT },
          };
        };
        const real = reals[0]!;
        const shape = ladderShape(size);
        // 10 metrics + 90 plans is the shape the Terraform provider was measured on: its figures go beside ours.
        const peer = size === 100 ? TERRAFORM_PEER : undefined;
        const fastestUp = fastest(reals, (r) => r.up).ms;
        const fastestPreview = fastest(reals, (r) => r.unchangedPreview).ms;
        measurements.push(
          ratio("preview", (r) => r.preview),
          ratio("up", (r) => r.up),
          ratio("unchanged preview", (r) => r.unchangedPreview),
          { name: `Lago calls, first preview of ${size}`, value: real.preview.calls, unit: "calls", target: { op: "=", value: 0 } },
          // Metrics and plans: one POST each, no lookup first (Lago refuses a duplicate code itself).
          {
            name: `Lago calls, up creating ${shape.metrics} metrics + ${shape.plans} plans${peer ? ` in ${seconds(fastestUp)} (Terraform: ${peer.createCalls} calls in ${seconds(peer.createMs)})` : ""}`,
            value: real.up.calls,
            unit: "calls",
            target: { op: "=", value: size },
          },
          { name: `Lago writes, up creating ${size}`, value: real.up.writes, unit: "writes", target: { op: "=", value: size } },
          {
            name: `Lago calls, unchanged preview of ${size}${peer ? ` in ${seconds(fastestPreview)} (terraform plan: ${peer.planCalls} GETs in ${seconds(peer.planMs)})` : ""}`,
            value: real.unchangedPreview.calls,
            unit: "calls",
            target: { op: "=", value: 0 },
          },
          // The engine rewrites the whole checkpoint after each step, so state per resource weighs on large ups.
          {
            name: `state per resource vs no-op, ${size} resources (${real.state.bytesPerResource} B / ${noops[0]!.state.bytesPerResource} B)`,
            value: Math.round((real.state.bytesPerResource / noops[0]!.state.bytesPerResource) * 100),
            unit: "%",
            target: { op: "<=", value: STATE_RATIO_TARGET_PERCENT },
          },
        );
        if (size === sizes[sizes.length - 1]) {
          for (const [type, bytes] of real.state.providerBytes)
            measurements.push({ name: `provider text per resource in state, ${type.split(":").pop()}`, value: bytes, unit: "B", target: { op: "<=", value: PROVIDER_BYTES_TARGET } });
          for (const [type, bytes] of noops[0]!.state.providerBytes) log(`no-op baseline: ${type.split(":").pop()} carries ${bytes} B of provider text`);
        }
      }
      if (args["price-change"] !== "false") {
        lago.admin.reset();
        const change = await measurePriceChange(ctx);
        measurements.push(
          { name: `resources previewed as updated, 1 price change among ${PRICE_CHANGE_PLANS} plans`, value: change.previewed.update ?? 0, unit: "", target: { op: "=", value: 1 } },
          { name: `Lago writes, preview of that change`, value: change.preview.writes, unit: "writes", target: { op: "=", value: 0 } },
          { name: `Lago writes, up of that change`, value: change.up.writes, unit: "writes", target: { op: "=", value: 1 } },
        );
      }
      return measurements;
    } finally {
      await lago.stop();
      if (args["keep-state"] === "true") log(`state kept under ${scratch}`);
      else fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
