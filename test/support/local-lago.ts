// One local Lago per test file, reached through the real lago-javascript-client over HTTP.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { Client } from "lago-javascript-client";
import { startLocalLago, type LocalLago } from "../../local-lago";

export interface LagoFixture {
  server: LocalLago;
  client: ReturnType<typeof Client>;
  /** Plain HTTP for error paths: returns status and parsed JSON body. */
  http(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Starts a fresh local Lago for the file; `resetEach` empties it before every test. */
export function useLocalLago(options: { resetEach?: boolean; premium?: boolean } = {}): LagoFixture {
  const fixture = {} as LagoFixture;
  beforeAll(async () => {
    fixture.server = await startLocalLago({ apiKey: "test-key", premium: options.premium });
    fixture.client = Client(fixture.server.apiKey, { baseUrl: fixture.server.apiUrl });
    fixture.http = async (method, path, body, headers = {}) => {
      const res = await fetch(fixture.server.apiUrl + path, {
        method,
        headers: { authorization: `Bearer ${fixture.server.apiKey}`, "content-type": "application/json", ...headers },
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
    };
  });
  if (options.resetEach) beforeEach(() => fixture.server.admin.reset());
  afterAll(async () => {
    await fixture.server?.stop();
  });
  return fixture;
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
