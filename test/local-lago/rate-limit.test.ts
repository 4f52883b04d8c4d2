// `rateLimit: "cloud"`: Lago Cloud's per-organization limits (lago-api.md §1.8; self-hosted lago-api has no inbound
// limiter: config/initializers/throttling.rb limits only outbound calls to integrations). POST /events 500 a second,
// current usage 200, everything else 50; X-RateLimit-Limit/-Remaining/-Reset on every answer; 429 when over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { CLOUD_LIMITS, RateLimiter, rateLimitClass } from "../../local-lago/rate-limit";
import { rawHttp } from "../support/local-lago";

describe("RateLimiter (fixed one-second windows, per class)", () => {
  it("classes: POST /events and /events/batch, current usage, and the rest", () => {
    expect(rateLimitClass("POST", "/events")).toBe("events");
    expect(rateLimitClass("POST", "/events/batch")).toBe("events");
    expect(rateLimitClass("GET", "/events/abc")).toBe("other");
    expect(rateLimitClass("GET", "/customers/acme/current_usage")).toBe("currentUsage");
    expect(rateLimitClass("GET", "/plans/team")).toBe("other");
  });

  it("lets the limit through in a window, refuses the next with Remaining 0, and opens again in the next window", () => {
    let now = 10_000_250;
    const limiter = new RateLimiter(CLOUD_LIMITS, () => now);
    const verdicts = Array.from({ length: 51 }, () => limiter.take("GET", "/plans"));
    expect(verdicts.slice(0, 50).every((v) => v.allowed)).toBe(true);
    expect(verdicts[0]).toEqual({ allowed: true, limit: 50, remaining: 49, resetSeconds: 1 });
    expect(verdicts[50]).toEqual({ allowed: false, limit: 50, remaining: 0, resetSeconds: 1 });
    // Other classes keep their own budgets.
    expect(limiter.take("POST", "/events")).toMatchObject({ allowed: true, limit: 500, remaining: 499 });
    expect(limiter.take("GET", "/customers/acme/current_usage")).toMatchObject({ allowed: true, limit: 200 });
    now += 750; // the next second
    expect(limiter.take("GET", "/plans")).toMatchObject({ allowed: true, remaining: 49 });
  });
});

describe("a local Lago started with rateLimit: cloud", () => {
  let limited: LocalLago;
  let open: LocalLago;
  beforeAll(async () => {
    limited = await startLocalLago({ apiKey: "rate-key", rateLimit: "cloud" });
    open = await startLocalLago({ apiKey: "rate-key" });
  });
  afterAll(async () => {
    await limited?.stop();
    await open?.stop();
  });

  it("every answer carries the X-RateLimit headers of its class", async () => {
    const plans = await rawHttp(limited, "GET", "/plans");
    expect(plans.status).toBe(200);
    expect(plans.headers.get("x-ratelimit-limit")).toBe("50");
    expect(Number(plans.headers.get("x-ratelimit-remaining"))).toBeLessThan(50);
    expect(plans.headers.get("x-ratelimit-reset")).toBe("1");
    const usage = await rawHttp(limited, "GET", "/customers/nobody/current_usage?external_subscription_id=x");
    expect(usage.headers.get("x-ratelimit-limit")).toBe("200");
  });

  it("a burst beyond 50 a second gets 429s that Lago did not process, with Remaining 0", async () => {
    const before = limited.admin.requests.length;
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => rawHttp(limited, "POST", "/billable_metrics", { billable_metric: { name: `M${i}`, code: `m${i}`, aggregation_type: "count_agg" } })),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.body).toEqual({ status: 429, error: "Too Many Requests" });
    expect(refused[0]!.headers.get("x-ratelimit-remaining")).toBe("0");
    const created = answers.filter((a) => a.status === 200).length;
    expect(created + refused.length).toBe(120);
    // What was refused was not written: only the accepted ones exist.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await rawHttp(limited, "GET", "/billable_metrics?per_page=100&page=1")).body.meta.total_count).toBe(created);
    expect(limited.admin.requests.slice(before).filter((r) => r.status === 429)).toHaveLength(refused.length);
  });

  it("without the option the local Lago is self-hosted Lago: no headers, no limit", async () => {
    const answers = await Promise.all(Array.from({ length: 80 }, () => rawHttp(open, "GET", "/plans")));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers[0]!.headers.get("x-ratelimit-limit")).toBeNull();
  });
});
