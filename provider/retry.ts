// Transient-failure handling for every Lago call: a pure backoff policy plus a fetch wrapper handed to
// lago-javascript-client as `customFetch`.
// - 429: Lago did not process the request; wait for X-RateLimit-Reset (seconds) and retry, any method. A 429
//   never uses up the attempts: only a run rate-limited for longer than maxRateLimitedMs in all gives up.
// - Lago Cloud's X-RateLimit-Limit on an answer sets the pace of later requests of that kind (RateLimitPacer), so
//   a large run stays under the limit instead of collecting 429s.
// - 5xx, connection resets, timeouts: retried for idempotent methods (GET, PUT, DELETE). For POST the
//   outcome is unknown (the write may have committed), so it surfaces as AmbiguousWriteError and the
//   kind machinery looks the object up before trying again (see kind.ts), which avoids duplicates.
// - A connection that was never established (ECONNREFUSED, DNS) is retried for every method.

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** First backoff step; doubles each attempt. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Ceiling for a wait asked for by X-RateLimit-Reset. */
  maxRateLimitWaitMs: number;
  /** How long one request may be held back by 429s in all before its 429 is returned (default 10 minutes). */
  maxRateLimitedMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  timeoutMs: 30_000,
  maxRateLimitWaitMs: 60_000,
  maxRateLimitedMs: 600_000,
};

/** Exponential backoff with jitter: a random point in the upper half of the step, so retries spread. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * How long a 429 asks us to wait. X-RateLimit-Reset is "seconds until reset" on Lago Cloud; a value
 * that looks like a Unix time is read as one. Falls back to backoff when absent or unreadable.
 */
export function rateLimitDelay(
  resetHeader: string | null,
  attempt: number,
  policy: RetryPolicy,
  nowMs: number = Date.now(),
  random: () => number = Math.random,
): number {
  const reset = resetHeader === null ? NaN : Number(resetHeader.trim());
  if (!Number.isFinite(reset) || reset < 0) return backoffDelay(attempt, policy, random);
  const waitMs = reset > 1e9 ? reset * 1000 - nowMs : reset * 1000;
  const jitter = random() * Math.min(250, policy.baseDelayMs);
  return Math.round(Math.min(policy.maxRateLimitWaitMs, Math.max(0, waitMs) + jitter));
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
export const isIdempotent = (method: string): boolean => IDEMPOTENT.has(method.toUpperCase());

/** Errors raised before any byte reached the server: always safe to retry. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export type FailureKind = "not_sent" | "connection" | "timeout";

/** Classifies a thrown fetch error; undefined when it is not a transport failure (e.g. a bug). */
export function transportFailure(error: unknown): FailureKind | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "TimeoutError") return "timeout";
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code && NEVER_SENT.has(code)) return "not_sent";
  if (cause?.name === "TimeoutError" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "timeout";
  if (error instanceof TypeError || code) return "connection";
  return undefined;
}

/** A POST whose outcome is unknown: it may or may not have been applied by Lago. */
export class AmbiguousWriteError extends Error {
  override name = "AmbiguousWriteError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`${method} ${new URL(url).pathname}: ${reason}; Lago may or may not have applied it`);
  }
}

/** Every attempt failed in transport. */
export class LagoUnreachableError extends Error {
  override name = "LagoUnreachableError";
}

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The share of an announced limit the pacer uses: arrival jitter must not tip a window over. */
const PACE_SHARE = 0.95;

/**
 * Spaces requests by the limit Lago announces. Lago Cloud's limits are per organization and per class of request
 * (events, current usage, the rest), and the client cannot tell the classes apart before asking; so each request
 * kind (method + first path segment, current usage apart) learns its limit from X-RateLimit-Limit, and kinds with
 * the same limit share one schedule. A kind whose limit is unknown (self-hosted Lago sends none) is not held.
 */
export class RateLimitPacer {
  private readonly limitOf = new Map<string, number>();
  /** Per limit: the earliest time the next request may start. */
  private readonly nextSlotMs = new Map<number, number>();

  constructor(
    private readonly sleep: Sleep = realSleep,
    private readonly now: () => number = Date.now,
  ) {}

  /** `GET plans`, `POST events`, `GET current_usage`: requests that draw on the same budget. */
  static kindOf(method: string, url: string): string {
    const segments = new URL(url).pathname.replace(/^.*?\/api\/v1\//, "").split("/").filter(Boolean);
    return `${method} ${segments.at(-1) === "current_usage" ? "current_usage" : (segments[0] ?? "")}`;
  }

  /** Waits for this kind's next slot. */
  async acquire(kind: string): Promise<void> {
    const limit = this.limitOf.get(kind);
    if (!limit) return;
    const now = this.now();
    const slot = Math.max(now, this.nextSlotMs.get(limit) ?? 0);
    this.nextSlotMs.set(limit, slot + 1000 / (limit * PACE_SHARE));
    if (slot > now) await this.sleep(slot - now);
  }

  /** Learns the limit from an answer's headers; true when this kind is paced from now on. */
  observe(kind: string, headers: Headers): boolean {
    const limit = Number(headers.get("x-ratelimit-limit"));
    if (Number.isFinite(limit) && limit > 0) this.limitOf.set(kind, limit);
    return this.limitOf.has(kind);
  }

  /** After a 429: nothing of this limit starts before `waitMs` from now. */
  holdFor(kind: string, waitMs: number): void {
    const limit = this.limitOf.get(kind);
    if (limit) this.nextSlotMs.set(limit, Math.max(this.nextSlotMs.get(limit) ?? 0, this.now() + waitMs));
  }
}

const methodOf = (input: Parameters<typeof fetch>[0], init?: RequestInit): string =>
  (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();

const urlOf = (input: Parameters<typeof fetch>[0]): string =>
  typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;

/** Wraps fetch with the policy above. The request body must be replayable (the client sends strings). */
export function retryingFetch(base: typeof fetch, policy: RetryPolicy, sleep: Sleep = realSleep, pacer: RateLimitPacer = new RateLimitPacer(sleep)): typeof fetch {
  const rateLimitedBudget = policy.maxRateLimitedMs ?? DEFAULT_RETRY.maxRateLimitedMs!;
  return async (input, init) => {
    const method = methodOf(input, init);
    const url = urlOf(input);
    const kind = RateLimitPacer.kindOf(method, url);
    const canReplay = isIdempotent(method);
    let rateLimitedMs = 0;
    let rateLimits = 0;
    // A 429 is not an attempt: Lago did nothing, so the failures that count are the other ones.
    for (let tries = 0; ; tries++) {
      const attempt = tries - rateLimits;
      const last = attempt + 1 >= policy.maxAttempts;
      await pacer.acquire(kind);
      const signal = init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(policy.timeoutMs)])
        : AbortSignal.timeout(policy.timeoutMs);
      let response: Response;
      try {
        response = await base(input, { ...init, signal });
      } catch (error) {
        const kind = transportFailure(error);
        if (!kind || init?.signal?.aborted) throw error;
        if (kind !== "not_sent" && !canReplay)
          throw new AmbiguousWriteError(method, url, kind === "timeout" ? `no answer within ${policy.timeoutMs} ms` : "connection lost");
        if (last)
          throw new LagoUnreachableError(`${method} ${url}: Lago unreachable after ${policy.maxAttempts} attempts (${(error as Error).message})`, {
            cause: error,
          });
        await sleep(backoffDelay(attempt, policy));
        continue;
      }
      const paced = pacer.observe(kind, response.headers);
      if (response.status === 429) {
        const waitMs = rateLimitDelay(response.headers.get("x-ratelimit-reset"), rateLimits, policy);
        if (rateLimitedMs + waitMs <= rateLimitedBudget) {
          await response.body?.cancel();
          rateLimits += 1;
          rateLimitedMs += waitMs;
          // Paced: the whole kind waits, and this request takes its turn again. Unpaced: it waits alone.
          if (paced) pacer.holdFor(kind, waitMs);
          else await sleep(waitMs);
          continue;
        }
      }
      if (response.status >= 500) {
        if (!canReplay) {
          await response.body?.cancel();
          throw new AmbiguousWriteError(method, url, `Lago answered ${response.status}`, response.status);
        }
        if (!last) {
          await response.body?.cancel();
          await sleep(backoffDelay(attempt, policy));
          continue;
        }
      }
      return response;
    }
  };
}
