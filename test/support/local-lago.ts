// One local Lago per test file, reached through the real lago-javascript-client over HTTP.
// Every answer it sends is checked against Lago's OpenAPI spec; the file fails listing what broke it.
import * as fs from "node:fs";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { Client } from "lago-javascript-client";
import { startLocalLago, type LocalLago, type ResponseObserver } from "../../local-lago";
import { formatViolations, ResponseValidator, specPath, type SpecViolation } from "./openapi";

export interface LagoFixture {
  server: LocalLago;
  client: ReturnType<typeof Client>;
  /** Plain HTTP for error paths: returns status and parsed JSON body. */
  http(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Starts a fresh local Lago for the file; `resetEach` empties it before every test. */
export function useLocalLago(options: { resetEach?: boolean; premium?: boolean } = {}): LagoFixture {
  const fixture = {} as LagoFixture;
  const onResponse = useOpenApiValidation();
  beforeAll(async () => {
    fixture.server = await startLocalLago({ apiKey: "test-key", premium: options.premium, onResponse });
    fixture.client = Client(fixture.server.apiKey, { baseUrl: fixture.server.apiUrl });
    fixture.http = (method, path, body, headers) => rawHttp(fixture.server, method, path, body, headers);
  });
  if (options.resetEach) beforeEach(() => fixture.server.admin.reset());
  afterAll(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}

/** Raw HTTP to a local Lago's API with its key and a JSON content type (both overridable through `headers`). */
export async function rawHttp(
  server: Pick<LocalLago, "apiUrl" | "apiKey">,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(server.apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/**
 * Validates every response of the servers given the returned observer (`startLocalLago({ onResponse })`)
 * against Lago's OpenAPI spec, and fails the file after its tests listing each violation.
 * Without the spec file it warns loudly; with `CI` set it fails instead.
 */
export function useOpenApiValidation(): ResponseObserver {
  let validator: ResponseValidator | undefined;
  const violations: SpecViolation[] = [];
  beforeAll(async () => {
    const file = specPath();
    if (!fs.existsSync(file)) {
      const message = [
        "!".repeat(100),
        `!! Lago's OpenAPI spec is missing at ${file}`,
        "!! Responses of the local Lago are NOT being validated against it. Put the spec there or set LAGO_OPENAPI_SPEC.",
        "!".repeat(100),
      ].join("\n");
      if (process.env.CI) throw new Error(message);
      console.warn(message);
      return;
    }
    validator = await ResponseValidator.load(file);
  });
  afterAll(() => {
    if (violations.length)
      throw new Error(`${violations.length} local Lago response(s) break Lago's OpenAPI spec (fix the room, or list a true spec/lago-api.md disagreement in test/support/openapi-disagreements.ts):\n${formatViolations(violations)}`);
  });
  return (exchange) => {
    if (!validator) return;
    const test = expect.getState().currentTestName;
    const base = { test, method: exchange.request.method, path: exchange.request.path + exchange.request.query, status: exchange.response.status, body: exchange.response.body };
    try {
      const result = validator.check(exchange);
      if (result?.problems.length) violations.push({ ...base, operation: result.operation, problems: result.problems });
    } catch (error) {
      violations.push({ ...base, operation: null, problems: [{ kind: "validator_error", at: "", message: String(error) }] });
    }
  };
}

/** Awaits a client call expected to fail and returns Lago's status and error body. */
export async function lagoError(call: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; error?: unknown };
    return { status: e.status ?? 0, body: e.error };
  }
  throw new Error("expected the Lago call to fail, it succeeded");
}
