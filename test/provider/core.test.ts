// The provider's pure mechanics: configuration rules, the backoff policy, decimals, canonical diff.
import { afterEach, describe, expect, it } from "vitest";
import { canonical, sameCanonical, UNKNOWN } from "../../provider/canonical";
import { ConfigError, normalizeApiUrl, resolveSettings, setConfigured } from "../../provider/config";
import { canonicalDecimal, decimalProblem, toDecimalString } from "../../provider/decimal";
import { changedArgs, toDiffResult } from "../../provider/diff";
import { backoffDelay, DEFAULT_RETRY, isIdempotent, rateLimitDelay, transportFailure } from "../../provider/retry";
// The .ts source itself (an extensionless path resolves to the runtime.js host entry, a separate module graph).
import * as runtime from "../../provider/runtime.ts";

afterEach(() => setConfigured({}));

describe("config", () => {
  it("accepts https anywhere and http only on loopback, always ending in /api/v1", () => {
    expect(normalizeApiUrl("https://api.getlago.com")).toBe("https://api.getlago.com/api/v1");
    expect(normalizeApiUrl("https://api.eu.getlago.com/api/v1/")).toBe("https://api.eu.getlago.com/api/v1");
    expect(normalizeApiUrl("http://127.0.0.1:3000/api/v1")).toBe("http://127.0.0.1:3000/api/v1");
    expect(normalizeApiUrl("http://localhost:3000")).toBe("http://localhost:3000/api/v1");
    expect(normalizeApiUrl("http://[::1]:3000")).toBe("http://[::1]:3000/api/v1");
    expect(() => normalizeApiUrl("http://lago.internal.example:3000")).toThrow(
      'lago:apiUrl "http://lago.internal.example:3000" uses plain http:// for the non-loopback host lago.internal.example; use https:// (http is only allowed for localhost/127.0.0.1/::1)',
    );
    expect(() => normalizeApiUrl("ftp://lago.example")).toThrow(ConfigError);
    expect(() => normalizeApiUrl("not a url")).toThrow('lago:apiUrl "not a url" is not a URL');
  });

  it("prefers stack config over the environment, and defaults to Lago Cloud", () => {
    const env = { LAGO_API_URL: "http://127.0.0.1:1/api/v1", LAGO_API_KEY: "env-key" };
    expect(resolveSettings(env)).toMatchObject({ apiUrl: "http://127.0.0.1:1/api/v1", apiKey: "env-key", retry: DEFAULT_RETRY });
    setConfigured({ apiUrl: "https://lago.example.com", apiKey: "config-key" });
    expect(resolveSettings(env)).toMatchObject({ apiUrl: "https://lago.example.com/api/v1", apiKey: "config-key" });
    setConfigured({});
    expect(resolveSettings({ LAGO_API_KEY: "k" }).apiUrl).toBe("https://api.getlago.com/api/v1");
  });

  it("configure() reads lago:apiUrl and the secret lago:apiKey from stack config", async () => {
    const config: Record<string, string> = { "lago:apiUrl": "https://lago.example.com", "lago:apiKey": "stack-key" };
    await runtime.configure({ config: { get: (key) => config[key] } });
    expect(resolveSettings({})).toMatchObject({ apiUrl: "https://lago.example.com/api/v1", apiKey: "stack-key" });
  });

  it("a missing key is a clear error at the first resource that needs Lago, not at check", async () => {
    const saved = process.env.LAGO_API_KEY;
    delete process.env.LAGO_API_KEY;
    try {
      const args = { name: "MTU", code: "mtu", aggregationType: "count_agg" };
      expect((await runtime.billableMetric.check({}, args)).failures).toEqual([]);
      await expect(runtime.billableMetric.create(args)).rejects.toThrow(
        "Lago API key is missing: run `pulumi config set --secret lago:apiKey` (it prompts for the key, or reads it from standard input: keep it off the command line) or set the LAGO_API_KEY environment variable",
      );
    } finally {
      if (saved !== undefined) process.env.LAGO_API_KEY = saved;
    }
  });
});

describe("retry policy", () => {
  it("backs off exponentially with jitter in the upper half of each step, capped", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("honours X-RateLimit-Reset as seconds (or a Unix time), capped, else backs off", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxRateLimitWaitMs: 5000 };
    expect(rateLimitDelay("2", 0, policy, 0, () => 0)).toBe(2000);
    expect(rateLimitDelay("2", 0, policy, 0, () => 1)).toBe(2100);
    expect(rateLimitDelay("60", 0, policy, 0, () => 0)).toBe(5000);
    expect(rateLimitDelay("1700000003", 0, policy, 1_700_000_000_000, () => 0)).toBe(3000);
    expect(rateLimitDelay(null, 1, policy, 0, () => 1)).toBe(200);
    expect(rateLimitDelay("soon", 0, policy, 0, () => 1)).toBe(100);
  });

  it("replays idempotent methods only; classifies transport failures", () => {
    expect(["GET", "put", "DELETE"].every(isIdempotent)).toBe(true);
    expect(isIdempotent("POST")).toBe(false);
    expect(transportFailure(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }))).toBe("not_sent");
    expect(transportFailure(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }))).toBe("connection");
    expect(transportFailure(new DOMException("timed out", "TimeoutError"))).toBe("timeout");
    expect(transportFailure(new RangeError("a bug"))).toBeUndefined();
  });
});

describe("decimals", () => {
  it("accepts decimal strings and numbers whose spelling is exact; compares by value", () => {
    expect(toDecimalString("0.012")).toBe("0.012");
    expect(toDecimalString(0.012)).toBe("0.012");
    expect(toDecimalString(12000)).toBe("12000");
    expect(canonicalDecimal("0.0100")).toBe("0.01");
    expect(canonicalDecimal(0.01)).toBe("0.01");
  });

  it("refuses what would not be exact, saying what to write", () => {
    expect(decimalProblem(0.1 + 0.2)).toBe(
      'must be written as a decimal string: the number 0.30000000000000004 has no exact short decimal form (write "0.30000000000000004" if that is what you mean)',
    );
    expect(decimalProblem(2 ** 60)).toMatch(/^must be written as a decimal string: the number 1152921504606847000 has no exact short decimal form/);
    expect(decimalProblem("1e3")).toBe('must be a decimal string such as "0.012" (got "1e3")');
    expect(decimalProblem(Number.POSITIVE_INFINITY)).toBe('must be a decimal string such as "0.012" (got Infinity)');
  });
});

describe("canonical diff", () => {
  it("ignores __provider, key order and null versus absent", () => {
    expect(canonical({ b: 1, a: { d: null, c: 2 }, __provider: "x" })).toEqual({ a: { c: 2 }, b: 1 });
    expect(sameCanonical({ a: 1, b: null }, { a: 1 })).toBe(true);
    expect(sameCanonical([1, 2], [2, 1])).toBe(false);
  });

  it("treats unknown new values as changes and marks replacements", () => {
    const olds = { code: "mtu", name: "MTU", externalId: "a" };
    const news = { code: "mtu", name: UNKNOWN, externalId: "b" };
    const changed = changedArgs(olds, news, ["code", "name", "externalId"]);
    expect(changed).toEqual(["name", "externalId"]);
    expect(toDiffResult(olds, news, changed, ["externalId"], false)).toEqual({
      changes: true,
      changed: ["name", "externalId"],
      replaces: ["externalId"],
      deleteBeforeReplace: false,
      detailedDiff: { name: { kind: "UPDATE", inputDiff: true }, externalId: { kind: "UPDATE_REPLACE", inputDiff: true } },
    });
  });
});
