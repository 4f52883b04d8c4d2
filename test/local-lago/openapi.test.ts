// The spec check itself: it must catch what breaks Lago's OpenAPI document (OAS 3.1 type arrays,
// formats, required fields, undocumented statuses), skip what has no operation, excuse only the listed
// disagreements — and every entry of that list must point at something the spec really has.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startLocalLago, type ObservedExchange } from "../../local-lago";
import { ResponseValidator, specPath } from "../support/openapi";
import { disagreements } from "../support/openapi-disagreements";
const specPresent = fs.existsSync(specPath());
let validator: ResponseValidator;

beforeAll(async () => {
  // Without the spec the suite-wide hook already warns (and fails in CI); here the checks need it.
  if (!specPresent) throw new Error(`Lago's OpenAPI spec is missing at ${specPath()}: the spec checks cannot run`);
  validator = await ResponseValidator.load(specPath(), []);
});

const exchange = (method: string, path: string, status: number, body: unknown, extra: Partial<ObservedExchange["response"]> = {}): ObservedExchange => ({
  request: { method, path: `/api/v1${path}`, query: "" },
  response: { status, body, ...extra },
});

const goodMetric = () => ({
  lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90",
  name: "Monthly Tracked Users",
  code: "mtu",
  description: null,
  aggregation_type: "unique_count_agg",
  weighted_interval: null,
  recurring: false,
  rounding_function: null,
  rounding_precision: null,
  created_at: "2024-05-01T12:00:00Z",
  field_name: "user_id",
  expression: "round(event.properties.value)",
  filters: [],
});

describe("the OpenAPI 3.1 response check", () => {
  it("routes paths relative to /api/v1, codes with slashes included", () => {
    expect(validator.operationFor("GET", "/billable_metrics")?.operationId).toBe("findAllBillableMetrics");
    expect(validator.operationFor("GET", "/billable_metrics/mtu")?.operationId).toBe("findBillableMetric");
    expect(validator.operationFor("GET", "/billable_metrics/a.b/c")?.operationId).toBe("findBillableMetric");
    expect(validator.operationFor("POST", "/billable_metrics/evaluate_expression")?.operationId).toBe("evaluateBillableMetricExpression");
    expect(validator.operationFor("GET", "/plans/team/charges")?.operationId).toBe("findAllPlanCharges");
    expect(validator.operationFor("GET", "/customers/acme/current_usage")?.operationId).toBe("findCustomerCurrentUsage");
    expect(validator.operationFor("PATCH", "/billable_metrics")).toBeUndefined();
  });

  it("accepts a conforming body, including null for a `type: [string, 'null']` field", () => {
    expect(validator.check(exchange("GET", "/billable_metrics/mtu", 200, { billable_metric: goodMetric() }))).toEqual({ operation: "findBillableMetric", problems: [] });
  });

  it("rejects null where the type array has no 'null', a wrong type, a missing required field", () => {
    const { name: _name, ...withoutName } = goodMetric();
    const body = { billable_metric: { ...withoutName, recurring: "no", rounding_precision: null, field_name: 3 } };
    const result = validator.check(exchange("GET", "/billable_metrics/mtu", 200, body));
    expect(result?.problems.map((p) => [p.kind, p.at]).sort()).toEqual([
      ["required", "/billable_metric"],
      ["type", "/billable_metric/field_name"],
      ["type", "/billable_metric/recurring"],
    ]);
  });

  it("checks formats (uuid, date-time) and enums, in list items too", () => {
    const body = {
      billable_metrics: [{ ...goodMetric(), lago_id: "not-a-uuid", created_at: "May 1st", rounding_function: "half_even" }],
      meta: { current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 1 },
    };
    const result = validator.check(exchange("GET", "/billable_metrics", 200, body));
    expect(result?.problems.map((p) => [p.kind, p.at]).sort()).toEqual([
      ["enum", "/billable_metrics/*/rounding_function"],
      ["format", "/billable_metrics/*/created_at"],
      ["format", "/billable_metrics/*/lago_id"],
    ]);
  });

  it("checks error bodies against the operation's error responses", () => {
    expect(validator.check(exchange("GET", "/billable_metrics/x", 404, { status: 404, error: "Not Found", code: "billable_metric_not_found" }))?.problems).toEqual([]);
    const result = validator.check(exchange("GET", "/billable_metrics/x", 404, { status: "404", error: "Not Found" }));
    expect(result?.problems.map((p) => [p.kind, p.at]).sort()).toEqual([
      ["required", ""],
      ["type", "/status"],
    ]);
  });

  it("excuses a missing required property when a disagreement names it by its pointer, and only that property", async () => {
    const listed = await ResponseValidator.load(specPath(), [{ operations: ["findBillableMetric"], fields: ["/billable_metric/name"], spec: "name required", contract: "no name", section: "§0" }]);
    const { name: _name, code: _code, ...body } = goodMetric();
    const result = listed.check(exchange("GET", "/billable_metrics/mtu", 200, { billable_metric: body }));
    expect(result?.problems.map((p) => [p.kind, p.at, p.missing])).toEqual([["required", "/billable_metric", "code"]]);
  });

  it("flags a status the operation does not document", () => {
    const result = validator.check(exchange("GET", "/billable_metrics/x", 409, { status: 409, error: "Conflict" }));
    expect(result?.problems).toEqual([expect.objectContaining({ kind: "undocumented_status" })]);
  });

  it("flags a routed answer to a path the spec does not have", () => {
    expect(validator.check(exchange("GET", "/widgets", 200, {}))?.problems).toEqual([expect.objectContaining({ kind: "unknown_operation" })]);
  });

  it("skips the catch-all's resource_not_found, injected faults, and paths outside /api/v1", () => {
    expect(validator.check(exchange("GET", "/widgets", 404, { status: 404, error: "Not Found", code: "resource_not_found" }, { unrouted: true }))).toBeNull();
    expect(validator.check(exchange("GET", "/billable_metrics", 429, { status: 429, error: "Too Many Requests" }, { fault: "rate_limit" }))).toBeNull();
    expect(validator.check({ request: { method: "GET", path: "/__admin/requests", query: "" }, response: { status: 200, body: {} } })).toBeNull();
  });

  it("excuses a listed disagreement and nothing else", async () => {
    const listed = await ResponseValidator.load(specPath(), [
      { operations: ["findBillableMetric"], fields: ["/billable_metric/expression"], spec: "string", contract: "string/null", section: "§2.3" },
      { operations: ["findBillableMetric"], status: 409, spec: "no 409", contract: "409", section: "§0" },
    ]);
    const body = { billable_metric: { ...goodMetric(), expression: null, recurring: "no" } };
    expect(listed.check(exchange("GET", "/billable_metrics/mtu", 200, body))?.problems.map((p) => p.at)).toEqual(["/billable_metric/recurring"]);
    expect(listed.check(exchange("GET", "/billable_metrics/x", 409, {}))?.problems).toEqual([]);
    expect(listed.check(exchange("GET", "/billable_metrics", 409, {}))?.problems).toHaveLength(1);
  });
});

describe("the list of spec/lago-api.md disagreements", () => {
  it("names real operations, and statuses the spec leaves out (status entries) or documents (field entries)", () => {
    for (const d of disagreements) {
      expect(d.spec && d.contract && d.section, JSON.stringify(d)).toBeTruthy();
      expect(d.section).toMatch(/^§\d/);
      for (const id of d.operations) {
        // A route the spec leaves out ("METHOD path"): it must indeed have no operation.
        if (/^(GET|POST|PUT|DELETE) \//.test(id)) {
          expect(validator.operationById(id), id).toBeUndefined();
          continue;
        }
        const operation = validator.operationById(id);
        expect(operation, `operation ${id}`).toBeDefined();
        const statuses = Object.keys(operation!.responses ?? {});
        if (d.fields === undefined) expect(statuses, `${id} already documents ${d.status}`).not.toContain(String(d.status));
        else expect(statuses, `${id} does not document ${d.status ?? 200}`).toContain(String(d.status ?? 200));
      }
    }
  });
});

describe("every response of a live local Lago goes through the check", () => {
  it("sees the answers of the real client", async () => {
    const seen: ObservedExchange[] = [];
    const server = await startLocalLago({ onResponse: (e) => seen.push(e) });
    try {
      await fetch(`${server.apiUrl}/billable_metrics`, { headers: { authorization: `Bearer ${server.apiKey}` } });
      await fetch(`${server.apiUrl}/nowhere`);
      expect(seen.map((e) => [e.request.method, e.request.path, e.response.status, e.response.unrouted ?? false])).toEqual([
        ["GET", "/api/v1/billable_metrics", 200, false],
        ["GET", "/api/v1/nowhere", 404, true],
      ]);
      expect(seen.map((e) => validator.check(e))).toEqual([{ operation: "findAllBillableMetrics", problems: [] }, null]);
    } finally {
      await server.stop();
    }
  });
});

describe("without the spec file", () => {
  /** Runs the fixture suite in its own vitest with the spec path pointing nowhere. */
  function runWithoutSpec(ci: boolean): Promise<{ code: number | null; output: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, LAGO_OPENAPI_SPEC: path.join(os.tmpdir(), "no-such-dir", "lago-openapi.yaml"), NO_COLOR: "1" };
    delete env.CI;
    delete env.VITEST;
    if (ci) env.CI = "true";
    const vitest = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
    const config = path.resolve(__dirname, "fixtures/vitest.spec-missing.config.mts");
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [vitest, "run", "--config", config], { env, stdio: "pipe" });
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      child.on("exit", (code) => resolve({ code, output }));
    });
  }

  it("warns loudly and still runs the suite outside CI", async () => {
    const { code, output } = await runWithoutSpec(false);
    expect(output).toContain("Lago's OpenAPI spec is missing at");
    expect(output).toContain("NOT being validated");
    expect(code).toBe(0);
  });

  it("fails the suite in CI", async () => {
    const { code, output } = await runWithoutSpec(true);
    expect(output).toContain("Lago's OpenAPI spec is missing at");
    expect(code).toBe(1);
  });
});
