// Provider tests drive the runtime kind objects directly against a local Lago over HTTP.
import { beforeAll } from "vitest";
// The .ts source (an extensionless path would resolve to runtime.js, the host entry that loads it via tsx).
import * as runtime from "../../provider/runtime.ts";
import { useLocalLago, type LagoFixture } from "../support/local-lago";

/** Fast retries so fault-injection tests stay quick; the policy is otherwise the production one. */
export const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, timeoutMs: 2_000, maxRateLimitWaitMs: 3_000 };

export function useProviderRuntime(options: { premium?: boolean } = {}): { lago: LagoFixture; runtime: typeof runtime } {
  const lago = useLocalLago({ resetEach: true, premium: options.premium });
  beforeAll(() => {
    runtime.configureWith({ apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey, retry: FAST_RETRY });
  });
  return { lago, runtime };
}

/** Requests the local Lago received for the API (admin calls are not logged). */
export const apiRequests = (lago: LagoFixture) => lago.server.admin.requests.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, "")}`);

/** Awaits a provider call expected to fail and returns its message. */
export async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the provider call to fail, it succeeded");
}
