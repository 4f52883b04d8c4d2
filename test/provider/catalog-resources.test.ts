// catalogResources in the real Pulumi engine: every section of a catalog becomes Lago objects, created in
// dependency order (metrics → plans, plans and customers → subscriptions), changed in place when the YAML
// changes, and deleted in reverse order.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogResources, parseCatalog } from "../../provider/catalog";
import { offlineStack } from "../../provider/engine";
import { ensurePulumiCli, type PulumiCli } from "../../provider/pulumi-cli";
import { lagoError, useLocalLago } from "../support/local-lago";

const lago = useLocalLago();
const stateDir = path.resolve(__dirname, "../../.tmp", `catalog-resources-${process.pid}`);
let cli: PulumiCli;

beforeAll(async () => {
  cli = await ensurePulumiCli({ acquire: false });
});
afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

const catalogYaml = (storagePrice: string) => `
metrics:
  - code: api_calls
    name: API calls
    aggregationType: count_agg
  - code: storage_gb
    name: Storage
    aggregationType: sum_agg
    fieldName: gb
    allowDestroy: true
plans:
  - code: startup
    name: Startup
    interval: monthly
    amountCents: 4900
    amountCurrency: EUR
    allowDestroy: true
    charges:
      - billableMetricCode: api_calls
        chargeModel: package
        amount: "5"
        packageSize: 1000
        freeUnits: 10000
      - billableMetricCode: storage_gb
        chargeModel: standard
        amount: ${storagePrice}
customers:
  - externalId: initech
    name: Initech
    currency: EUR
    country: FR
subscriptions:
  - externalId: initech-main
    externalCustomerId: initech
    planCode: startup
    allowDestroy: true
`;

let yaml = catalogYaml('"0.25"');
const writes = (from = 0) =>
  lago.server.admin.requests
    .slice(from)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path} ${r.status}`);

describe("catalogResources", () => {
  it("creates every entry, metrics before the plan and the plan and customer before the subscription", async () => {
    const stack = await offlineStack({
      stateDir,
      projectName: "catalog-test",
      stackName: "dev",
      lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey },
      cli,
      program: async () => {
        const { metrics, plans, customers, subscriptions } = catalogResources(parseCatalog(yaml), { namePrefix: "initech-" });
        return {
          names: [...Object.values(metrics), ...Object.values(plans), ...Object.values(customers), ...Object.values(subscriptions)].map((r) => r.urn),
          status: subscriptions["initech-main"]!.status,
        };
      },
    });

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    expect((up.outputs.names!.value as string[]).map((urn) => urn.split("::").pop())).toEqual([
      "initech-metric-api_calls",
      "initech-metric-storage_gb",
      "initech-plan-startup",
      "initech-customer-initech",
      "initech-subscription-initech-main",
    ]);
    expect(up.outputs.status!.value).toBe("active");

    const order = writes();
    const at = (write: string) => order.indexOf(write);
    expect(order).toHaveLength(5);
    expect(at("POST /api/v1/plans 200")).toBeGreaterThan(order.lastIndexOf("POST /api/v1/billable_metrics 200"));
    expect(at("POST /api/v1/subscriptions 200")).toBe(4);

    const plan = (await lago.client.plans.findPlan("startup")).data.plan;
    expect(plan).toMatchObject({ amount_cents: 4900, amount_currency: "EUR", interval: "monthly" });
    expect(plan.charges!.map((c) => [c.billable_metric_code, c.charge_model, c.properties])).toEqual([
      ["api_calls", "package", { amount: "5", package_size: 1000, free_units: 10000 }],
      ["storage_gb", "standard", { amount: "0.25" }],
    ]);
    expect((await lago.client.customers.findCustomer("initech")).data.customer).toMatchObject({ name: "Initech", currency: "EUR", country: "FR" });
    expect((await lago.client.subscriptions.findSubscription("initech-main")).data.subscription).toMatchObject({ plan_code: "startup", external_customer_id: "initech" });

    // A price edited in the YAML is one in-place plan update; nothing else moves.
    yaml = catalogYaml("0.30");
    const before = lago.server.admin.requests.length;
    const edit = await stack.up();
    expect(edit.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(writes(before)).toEqual(["PUT /api/v1/plans/startup 200"]);
    const edited = (await lago.client.plans.findPlan("startup")).data.plan;
    expect(edited.charges!.find((c) => c.billable_metric_code === "storage_gb")!.properties).toEqual({ amount: "0.30" });
    expect(edited.lago_id).toBe(plan.lago_id);

    // Destroy runs the dependencies backwards: the subscription goes first, the metrics last.
    const beforeDestroy = lago.server.admin.requests.length;
    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    const deletes = writes(beforeDestroy);
    expect(deletes[0]).toBe("DELETE /api/v1/subscriptions/initech-main 200");
    expect(deletes.indexOf("DELETE /api/v1/plans/startup 200")).toBeLessThan(deletes.indexOf("DELETE /api/v1/billable_metrics/api_calls 200"));
    expect(deletes.indexOf("DELETE /api/v1/plans/startup 200")).toBeLessThan(deletes.indexOf("DELETE /api/v1/billable_metrics/storage_gb 200"));
    expect((await lagoError(lago.client.plans.findPlan("startup"))).status).toBe(404);
  }, 240_000);
});
