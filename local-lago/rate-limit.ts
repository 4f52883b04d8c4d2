// Lago Cloud's API rate limits (lago-api.md §1.8), for `rateLimit: "cloud"`: per organization, POST /events 500
// requests a second, current usage 200, everything else 50. Every answer carries X-RateLimit-Limit, -Remaining and
// -Reset (whole seconds until the window resets); a request over the limit is not processed and gets a 429.
// Self-hosted Lago has no inbound limiter (§1.8), so the local Lago only limits when asked to.
import type { Context, Next } from "hono";

export type RateLimitMode = "cloud";

export const RATE_LIMIT_MODES: readonly RateLimitMode[] = ["cloud"];

/** Requests per second each class of the Lago API allows one organization on Lago Cloud. */
export const CLOUD_LIMITS = { events: 500, currentUsage: 200, other: 50 } as const;

export type RateLimitClass = keyof typeof CLOUD_LIMITS;

/** Which budget a request draws from; `apiPath` is the path after /api/v1. */
export function rateLimitClass(method: string, apiPath: string): RateLimitClass {
  if (method.toUpperCase() === "POST" && /^\/events(\/batch)?\/?$/.test(apiPath)) return "events";
  if (/^\/customers\/[^/]+\/current_usage\/?$/.test(apiPath)) return "currentUsage";
  return "other";
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (X-RateLimit-Reset). */
  resetSeconds: number;
}

/** Fixed one-second windows per class, counted for the one organization the local Lago serves. */
export class RateLimiter {
  private readonly windows = new Map<RateLimitClass, { startMs: number; count: number }>();

  constructor(
    private readonly limits: Readonly<Record<RateLimitClass, number>> = CLOUD_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 1000,
  ) {}

  take(method: string, apiPath: string): RateLimitVerdict {
    const cls = rateLimitClass(method, apiPath);
    const limit = this.limits[cls];
    const nowMs = this.now();
    const startMs = nowMs - (nowMs % this.windowMs);
    let window = this.windows.get(cls);
    if (!window || window.startMs !== startMs) this.windows.set(cls, (window = { startMs, count: 0 }));
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((startMs + this.windowMs - nowMs) / 1000));
    return { allowed, limit, remaining: Math.max(0, limit - window.count), resetSeconds };
  }
}

/** Middleware for the Lago API routes: the headers on every answer, a 429 instead of the handler when over. */
export function rateLimitMiddleware(limiter: RateLimiter, apiBase: string) {
  return async (c: Context, next: Next) => {
    const verdict = limiter.take(c.req.method, new URL(c.req.url).pathname.slice(apiBase.length));
    const headers = {
      "X-RateLimit-Limit": String(verdict.limit),
      "X-RateLimit-Remaining": String(verdict.remaining),
      "X-RateLimit-Reset": String(verdict.resetSeconds),
    };
    // Cloud documents the status and headers only (§14); the body follows the shape of Lago's other errors.
    if (!verdict.allowed) return c.json({ status: 429, error: "Too Many Requests" }, 429, headers);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
  };
}
