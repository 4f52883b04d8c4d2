// Checks every answer of the local Lago against Lago's own OpenAPI 3.1 document.
//
// openapi-backend gives us the dereferenced document and one compiled schema per operation and status;
// we run it in "quick" mode because its start-up check only knows the OpenAPI 3.0 meta-schema and
// rejects this 3.1 document, and we hand it Ajv's JSON Schema 2020-12 class (the dialect of OAS 3.1)
// with ajv-formats, because its default Ajv is draft-07 and checks no date-time/uuid/email formats.
// Where the spec and lago-api.md disagree, lago-api.md wins: see openapi-disagreements.ts.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import OpenAPIBackend, { type Operation } from "openapi-backend";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import YAML from "yaml";
import type { ObservedExchange } from "../../local-lago";
import { API_BASE } from "../../local-lago";
import { disagreements, type SpecDisagreement } from "./openapi-disagreements";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** `LAGO_OPENAPI_SPEC` overrides the spec's place; by default it sits beside the project, in `../shared`. */
export const specPath = (): string =>
  process.env.LAGO_OPENAPI_SPEC ? path.resolve(process.env.LAGO_OPENAPI_SPEC) : path.resolve(REPO_ROOT, "../shared/lago-openapi.yaml");

/** One thing a response got wrong against the spec, after removing the documented disagreements. */
export interface SpecProblem {
  /** `undocumented_status`, `unknown_operation`, or the JSON Schema keyword that failed (`type`, `required`, …). */
  kind: string;
  /** JSON pointer into the response body, array indexes written as `*`. */
  at: string;
  message: string;
  /** For a `required` problem: the property the object lacks (a disagreement may name it as `<at>/<missing>`). */
  missing?: string;
}

export interface SpecViolation {
  test: string | undefined;
  method: string;
  path: string;
  status: number;
  operation: string | null;
  problems: SpecProblem[];
  body: unknown;
}

/** The parsed YAML is cached as JSON under .tmp/: parsing 900 KB of YAML costs about a second per test file. */
export function readSpec(file: string): unknown {
  const text = fs.readFileSync(file, "utf8");
  const digest = crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
  const cacheDir = path.join(REPO_ROOT, ".tmp", "openapi-cache");
  const cached = path.join(cacheDir, `${digest}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, "utf8"));
  } catch {
    const doc = YAML.parse(text) as unknown;
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(doc));
    fs.renameSync(tmp, cached);
    return doc;
  }
}

interface Route {
  operation: Operation;
  /** Literal characters in the template: more literal = more specific. */
  weight: number;
  strict: RegExp;
  /** The last parameter may hold slashes: Lago's routes accept any character in codes (§1.5). */
  greedy: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compileRoute(operation: Operation): Route {
  const parts = operation.path.split(/(\{[^}]+\})/).filter(Boolean);
  const lastParam = parts.map((p) => p.startsWith("{")).lastIndexOf(true);
  const pattern = (greedy: boolean) =>
    new RegExp(`^${parts.map((p, i) => (p.startsWith("{") ? (greedy && i === lastParam ? "(.+)" : "([^/]+)") : escape(p))).join("")}/?$`);
  return { operation, weight: operation.path.replace(/\{[^}]+\}/g, "").length, strict: pattern(false), greedy: pattern(true) };
}

const pointer = (instancePath: string) => instancePath.replace(/\/\d+(?=\/|$)/g, "/*");

export class ResponseValidator {
  private readonly routes: Route[];

  private constructor(
    private readonly backend: OpenAPIBackend,
    private readonly excused: readonly SpecDisagreement[],
  ) {
    this.routes = backend.router
      .getOperations()
      .map(compileRoute)
      .sort((a, b) => b.weight - a.weight);
  }

  static async load(file: string, excused: readonly SpecDisagreement[] = disagreements): Promise<ResponseValidator> {
    const backend = new OpenAPIBackend({
      definition: readSpec(file) as never,
      apiRoot: API_BASE,
      quick: true,
      strict: false,
      customizeAjv: (_draft07, options) => {
        const ajv = new Ajv2020({ ...options, strict: false, allErrors: true, logger: false });
        addFormats(ajv); // also int32/int64/float/double, which openapi-backend would otherwise add
        return ajv as never;
      },
    });
    await backend.init();
    if (!backend.router.getOperations().length) throw new Error(`${file} holds no operations`);
    return new ResponseValidator(backend, excused);
  }

  operationById(operationId: string): Operation | undefined {
    return this.backend.router.getOperation(operationId);
  }

  /** The spec operation a request addresses, by method and path relative to /api/v1. */
  operationFor(method: string, apiPath: string): Operation | undefined {
    const m = method.toLowerCase();
    const candidates = this.routes.filter((r) => r.operation.method === m);
    return (
      candidates.find((r) => r.operation.path === apiPath)?.operation ??
      candidates.find((r) => r.strict.test(apiPath))?.operation ??
      candidates.find((r) => r.greedy.test(apiPath))?.operation
    );
  }

  /** Problems the exchange has against the spec, minus documented disagreements; `null` when it is skipped. */
  check({ request, response }: ObservedExchange): { operation: string | null; problems: SpecProblem[] } | null {
    if (!request.path.startsWith(API_BASE)) return null;
    // Injected faults are the test's doing, not Lago's; the catch-all has no operation (§1.3).
    if (response.fault || response.unrouted) return null;
    const apiPath = request.path.slice(API_BASE.length) || "/";
    const operation = this.operationFor(request.method, apiPath);
    if (!operation?.operationId) {
      // A route Lago's code serves that the spec leaves out is listed by "METHOD path" in openapi-disagreements.ts.
      const route = `${request.method} ${apiPath}`;
      if (this.excused.some((d) => d.operations.includes(route))) return { operation: route, problems: [] };
      return { operation: null, problems: [{ kind: "unknown_operation", at: "", message: `the spec has no operation for ${route}` }] };
    }
    const id = operation.operationId;
    const { status } = response;
    const declared = operation.responses ?? {};
    const documented = [String(status), `${Math.floor(status / 100)}XX`, "default"].some((key) => key in declared);
    const problems: SpecProblem[] = [];
    if (!documented) {
      problems.push({ kind: "undocumented_status", at: "", message: `status ${status} is not documented (spec lists ${Object.keys(declared).join(", ")})` });
    } else {
      const result = this.backend.validator.validateResponse(response.body, operation, status);
      for (const e of result.errors ?? []) {
        const at = pointer(e.instancePath);
        const detail = e.keyword === "enum" ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : "";
        const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
        problems.push({ kind: e.keyword, at, message: `${at || "(body)"} ${e.message ?? e.keyword}${detail}`, ...(missing ? { missing } : {}) });
      }
    }
    return { operation: id, problems: problems.filter((p) => !this.isExcused(id, status, p)) };
  }

  private isExcused(operation: string, status: number, problem: SpecProblem): boolean {
    return this.excused.some((d) => {
      if (!d.operations.includes(operation) || (d.status ?? 200) !== status) return false;
      if (problem.kind === "undocumented_status") return d.fields === undefined;
      // A disagreement about a field covers whatever the schema says below it, too.
      const at = problem.missing ? `${problem.at}/${problem.missing}` : problem.at;
      return (d.fields ?? []).some((field) => at === field || at.startsWith(`${field}/`));
    });
  }
}

/** Multi-line report for a failing suite: one block per response, with its problems and body. */
export function formatViolations(violations: readonly SpecViolation[]): string {
  return violations
    .map((v) => {
      const head = `${v.method} ${v.path} → ${v.status} (${v.operation ?? "no operation"})${v.test ? ` in "${v.test}"` : ""}`;
      const body = JSON.stringify(v.body);
      return [head, ...v.problems.map((p) => `    - ${p.message}`), `    body: ${body.length > 600 ? `${body.slice(0, 600)}…` : body}`].join("\n");
    })
    .join("\n");
}
