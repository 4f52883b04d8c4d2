// A kind is one declaration (issue #11, step 1): the schema is the source of a resource's args type and of the
// managed argument list, and the kind's hooks are typed by its args, Lago's object and the wire body, so a misspelt
// field is a compile error (the @ts-expect-error lines below fail `npm run typecheck` if a typo ever compiles).
// Then the proof that stacks keep working: a checkpoint written by the release before this change
// (fixtures/before-one-declaration, made by test/upgrade/make-fixtures.ts's recipe at that commit), imported into
// the real engine against its Lago, refreshes as unchanged and previews as no change with no Lago call.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Deployment, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { LocalLago } from "../../local-lago";
import type { BillableMetricArgs, CustomerArgs, PlanArgs, SubscriptionArgs, WalletArgs } from "../../provider";
import type { KindSpec } from "../../provider/kind";
import { billableMetricSpec } from "../../provider/kinds/billable-metric";
import { toWire as metricBody, type BillableMetricBody, type LagoBillableMetric } from "../../provider/kinds/billable-metric/payload";
import { billableMetricSchema, type BillableMetricInputs } from "../../provider/kinds/billable-metric/schema";
import { customerSchema } from "../../provider/kinds/customer/schema";
import { planSchema } from "../../provider/kinds/plan/schema";
import { subscriptionSchema } from "../../provider/kinds/subscription/schema";
import { walletSchema } from "../../provider/kinds/wallet/schema";
import { managedArgs, OPTION_NAMES } from "../../provider/schema";
import { lagoResources, openFixtureStack } from "../upgrade/fixture-stack";
import { FIXTURE_KNOBS } from "../upgrade/program";

describe("one declaration per kind", () => {
  it("the managed arguments are the schema's keys, less the provider options", () => {
    for (const schema of [billableMetricSchema, customerSchema, planSchema, subscriptionSchema, walletSchema]) {
      const keys = Object.keys(schema.shape);
      expect(managedArgs(schema.shape)).toEqual(keys.filter((k) => !(OPTION_NAMES as readonly string[]).includes(k)));
      expect(keys).toEqual(expect.arrayContaining([...OPTION_NAMES]));
    }
    expect(managedArgs(billableMetricSchema.shape)).toEqual(["name", "code", "description", "aggregationType", "fieldName", "recurring", "weightedInterval", "roundingFunction", "roundingPrecision", "expression", "filters"]);
  });

  it("derives each resource's args from its schema, every member a Pulumi input", () => {
    expectTypeOf<keyof BillableMetricArgs>().toEqualTypeOf<keyof typeof billableMetricSchema.shape>();
    expectTypeOf<keyof CustomerArgs>().toEqualTypeOf<keyof typeof customerSchema.shape>();
    expectTypeOf<Exclude<keyof PlanArgs, "charges">>().toEqualTypeOf<Exclude<keyof typeof planSchema.shape, "charges">>();
    expectTypeOf<Exclude<keyof SubscriptionArgs, "customer" | "plan">>().toEqualTypeOf<keyof typeof subscriptionSchema.shape>();
    expectTypeOf<Exclude<keyof WalletArgs, "customer">>().toEqualTypeOf<keyof typeof walletSchema.shape>();
    // @ts-expect-error a wallet's rule trigger outside the schema's enum
    const badTrigger: WalletArgs = { externalCustomerId: "acme", currency: "USD", rateAmount: "1", recurringTransactionRules: [{ trigger: "daily" }] };
    expect(badTrigger).toBeDefined();
    const args: BillableMetricArgs = { name: Promise.resolve("MTU"), code: "mtu", aggregationType: "unique_count_agg", filters: [{ key: "region", values: [Promise.resolve("eu")] }] };
    expect(args.code).toBe("mtu");
    // @ts-expect-error a misspelt argument is not one of the schema's
    const typo: BillableMetricArgs = { name: "MTU", code: "mtu", aggregationType: "count_agg", feildName: "user_id" };
    expect(typo).toBeDefined();
    // @ts-expect-error a value outside the schema's enum
    const badEnum: BillableMetricArgs = { name: "MTU", code: "mtu", aggregationType: "avg_agg" };
    expect(badEnum).toBeDefined();
  });

  it("types a kind's hooks by its args, Lago's object and the wire body", () => {
    const spec: KindSpec<BillableMetricInputs, LagoBillableMetric, BillableMetricBody> = billableMetricSpec;
    const misspelt: KindSpec<BillableMetricInputs, LagoBillableMetric, BillableMetricBody> = {
      ...spec,
      // @ts-expect-error toArgs names an argument the schema lacks
      toArgs: (remote) => ({ nmae: remote.name }),
      // @ts-expect-error toWire writes a field Lago's body lacks
      toWire: (payload) => ({ field: payload.fieldName }),
      outputs: (remote) => ({
        // @ts-expect-error Lago's object has no such field
        lagoId: remote.lagoid,
      }),
    };
    expect(misspelt.kind).toBe("BillableMetric");
    // Lago's code accepts custom_agg and a null rounding function, which its OpenAPI spec leaves out (contract.ts).
    expect(metricBody({ name: "MTU", aggregationType: "custom_agg", roundingFunction: null })).toEqual({ name: "MTU", aggregation_type: "custom_agg", rounding_function: null });
  });
});

const FIXTURE = path.join(__dirname, "fixtures", "before-one-declaration");

describe("a stack written before kinds were one declaration", { timeout: 240_000 }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-one-declaration-"));
  let lago: LocalLago;
  let stack: Stack;
  let written: Deployment;

  const callsDuring = async <T>(run: () => Promise<T>) => {
    const before = lago.admin.requests.length;
    const result = await run();
    return { result, calls: lago.admin.requests.slice(before).map((r) => `${r.method} ${r.path}`) };
  };

  beforeAll(async () => {
    ({ lago, stack, written } = await openFixtureStack(FIXTURE, scratch, { ...FIXTURE_KNOBS }));
  });

  afterAll(async () => {
    await lago?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("refreshes as unchanged: every output as that release wrote it", async () => {
    const { result } = await callsDuring(() => stack.refresh());
    expect(result.summary.resourceChanges).toEqual({ same: 5 });
    const refreshed = lagoResources(await stack.exportStack());
    expect(refreshed).toHaveLength(4);
    for (const r of refreshed) {
      const before = lagoResources(written).find((w) => w.urn === r.urn)!;
      expect(r.outputs).toEqual(before.outputs);
      expect(r.id).toBe(before.id);
    }
  });

  it("previews the unchanged program as no change, with no Lago call", async () => {
    const { result, calls } = await callsDuring(() => stack.preview({ diff: true }));
    expect(result.changeSummary).toEqual({ same: 5 });
    expect(calls).toEqual([]);
  });
});
