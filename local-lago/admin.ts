// The admin API real Lago does not have (under /__admin): a request log to count API calls, a reset,
// the premium switch, and fault injection for the provider's reliability tests. Open on a loopback interface;
// anywhere else it needs a token (see adminTokenFor in server.ts).
import type { Context, Hono, Next } from "hono";
import { bearerToken, sameSecret } from "./auth";
import type { LagoContext } from "./context";
import { connectPaymentProvider, listPaymentProviders } from "./domain/payment-providers";

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  /** HTTP status sent; 0 when the connection was reset instead. */
  status: number;
  at: string;
}

export type FaultKind = "rate_limit" | "server_error" | "reset_before" | "reset_after" | "latency";

const FAULT_KINDS: readonly FaultKind[] = ["rate_limit", "server_error", "reset_before", "reset_after", "latency"];

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it affects (default 1). */
  times?: number;
  /** Only requests with this method (any when absent). */
  method?: string;
  /** Only requests whose path (after /api/v1) starts with this (any when absent). */
  path?: string;
  /** server_error: the status to answer (default 500). */
  status?: number;
  /** rate_limit: seconds until the window resets (X-RateLimit-Reset, default 1). */
  resetSeconds?: number;
  /** latency: added delay in milliseconds. */
  ms?: number;
}

/** What the Lago API answered, handed to a response observer (tests validate it against the OpenAPI spec). */
export interface ObservedExchange {
  request: { method: string; path: string; query: string };
  response: {
    status: number;
    body: unknown;
    /** Set when an injected fault wrote this answer instead of Lago. */
    fault?: FaultKind;
    /** True when no route matched and the catch-all answered (§1.3 resource_not_found). */
    unrouted?: boolean;
  };
}

export type ResponseObserver = (exchange: ObservedExchange) => void;

interface ArmedFault extends FaultSpec {
  remaining: number;
}

/** The log keeps the newest entries only, so a long-running local Lago does not grow without bound. */
const MAX_LOGGED_REQUESTS = 50_000;

/** Lago Cloud's per-organization limits (§1.8): events 500/s, current usage 200/s, everything else 50/s. */
const rateLimitFor = (apiPath: string): number =>
  apiPath.startsWith("/events") ? 500 : /^\/customers\/.+\/current_usage$/.test(apiPath) ? 200 : 50;

const SERVER_ERROR_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

declare module "hono" {
  interface ContextVariableMap {
    /** Set by the catch-all (unknown route or method), read back for the observer. */
    localLagoUnrouted: boolean;
  }
}

export class Admin {
  readonly requests: LoggedRequest[] = [];
  private faults: ArmedFault[] = [];
  private readonly initialPremium: boolean;

  constructor(
    private readonly lago: LagoContext,
    private readonly apiBase: string,
    private readonly observer?: ResponseObserver,
  ) {
    this.initialPremium = lago.premium;
  }

  addFault(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Back to a fresh start: empty store, empty log, no faults, the premium switch as configured at start. */
  /** Runs after each reset (the server connects its configured payment providers again). */
  afterReset: () => void = () => {};

  reset(): void {
    this.lago.store.reset();
    this.requests.length = 0;
    this.faults = [];
    this.lago.premium = this.initialPremium;
    this.afterReset();
  }

  private takeFault(method: string, apiPath: string): ArmedFault | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (!f.method || f.method.toUpperCase() === method) && (!f.path || apiPath.startsWith(f.path)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  private log(entry: LoggedRequest): void {
    this.requests.push(entry);
    if (this.requests.length > MAX_LOGGED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_LOGGED_REQUESTS);
  }

  private async observe(c: Context, res: Response, request: ObservedExchange["request"], fault?: FaultKind): Promise<void> {
    if (!this.observer) return;
    try {
      const text = await res.clone().text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: hand the text over as is */
      }
      const unrouted = c.get("localLagoUnrouted") === true;
      this.observer({ request, response: { status: res.status, body, ...(fault ? { fault } : {}), ...(unrouted ? { unrouted } : {}) } });
    } catch (error) {
      console.error("[local-lago] response observer raised", error);
    }
  }

  /** Middleware for the Lago API: logs every request and applies armed faults. */
  middleware() {
    return async (c: Context, next: Next) => {
      const url = new URL(c.req.url);
      const entry: LoggedRequest = { method: c.req.method, path: url.pathname, query: url.search, status: 0, at: new Date().toISOString() };
      const request = { method: entry.method, path: entry.path, query: entry.query };
      this.log(entry);
      const apiPath = url.pathname.slice(this.apiBase.length);
      const fault = this.takeFault(c.req.method, apiPath);
      const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
      switch (fault?.kind) {
        case "reset_before":
          socket?.destroy(); // before the handler runs: nothing is written
          return c.body(null, 500);
        case "rate_limit": {
          const limit = rateLimitFor(apiPath);
          c.header("X-RateLimit-Limit", String(limit));
          c.header("X-RateLimit-Remaining", "0");
          c.header("X-RateLimit-Reset", String(fault.resetSeconds ?? 1));
          // Cloud's 429 body is undocumented (§14); this one follows the shape of Lago's other errors.
          const res = c.json({ status: 429, error: "Too Many Requests" }, 429);
          entry.status = 429;
          await this.observe(c, res, request, fault.kind);
          return res;
        }
        case "server_error": {
          const status = fault.status ?? 500;
          const res = c.json({ status, error: SERVER_ERROR_TEXT[status] ?? "Server Error" }, status as 500);
          entry.status = status;
          await this.observe(c, res, request, fault.kind);
          return res;
        }
        case "latency":
          await new Promise((r) => setTimeout(r, fault.ms ?? 100));
          break;
      }
      await next();
      await this.observe(c, c.res, request);
      if (fault?.kind === "reset_after") {
        socket?.destroy(); // the write has committed; the client never hears about it
        return;
      }
      entry.status = c.res.status;
    };
  }

  /** Registers the admin routes; with `token`, each answers 401 and does nothing unless the request carries it. */
  routes(app: Hono, token?: string): void {
    if (token !== undefined)
      app.use("/__admin/*", async (c, next) => {
        if (sameSecret(bearerToken(c.req.header("authorization")), token)) return next();
        return c.json({ error: "the admin API needs its token: send Authorization: Bearer <token> (--admin-token, else the API key)" }, 401);
      });
    app.get("/__admin/requests", (c) => c.json({ requests: this.requests }));
    app.delete("/__admin/requests", (c) => {
      this.requests.length = 0;
      return c.json({ ok: true });
    });
    app.post("/__admin/reset", (c) => {
      this.reset();
      return c.json({ ok: true });
    });
    app.get("/__admin/faults", (c) => c.json({ faults: this.faults }));
    app.post("/__admin/faults", async (c) => {
      const body: unknown = await c.req.json().catch(() => null);
      const specs = parseFaults(body);
      if (typeof specs === "string") return c.json({ error: specs }, 400);
      specs.forEach((s) => this.addFault(s));
      return c.json({ ok: true, armed: specs.length });
    });
    app.delete("/__admin/faults", (c) => {
      this.clearFaults();
      return c.json({ ok: true });
    });
    // What Lago's UI does when a payment provider is connected: customers may then link to it by type and code.
    app.get("/__admin/payment_providers", (c) => c.json({ payment_providers: listPaymentProviders(this.lago) }));
    app.post("/__admin/payment_providers", async (c) => {
      const body: unknown = await c.req.json().catch(() => null);
      if (!isRecord(body)) return c.json({ error: "send { type, code, name? }" }, 400);
      try {
        return c.json({ payment_provider: connectPaymentProvider(this.lago, body as { type: string; code: string; name?: string }) });
      } catch (error) {
        return c.json({ error: (error as Error).message }, 400);
      }
    });
    app.get("/__admin/config", (c) => c.json({ premium: this.lago.premium }));
    app.put("/__admin/config", async (c) => {
      const body: unknown = await c.req.json().catch(() => null);
      const premium = isRecord(body) ? body.premium : undefined;
      if (typeof premium !== "boolean") return c.json({ error: "premium must be a boolean" }, 400);
      this.lago.premium = premium;
      return c.json({ premium: this.lago.premium });
    });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const optionalNumber = (v: unknown, min: number) => v === undefined || (typeof v === "number" && Number.isInteger(v) && v >= min);

/** Accepts one spec or `{ faults: [...] }`; returns the specs, or an error message for a 400. */
function parseFaults(body: unknown): FaultSpec[] | string {
  const list = isRecord(body) && Array.isArray(body.faults) ? (body.faults as unknown[]) : isRecord(body) ? [body] : [];
  if (!list.length) return `send a fault or { faults: [...] }; kind one of ${FAULT_KINDS.join(", ")}`;
  for (const spec of list) {
    if (!isRecord(spec) || !FAULT_KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(", ")}`;
    if (!optionalNumber(spec.times, 1)) return "times must be an integer >= 1";
    if (!optionalNumber(spec.ms, 0)) return "ms must be an integer >= 0";
    if (!optionalNumber(spec.resetSeconds, 0)) return "resetSeconds must be an integer >= 0";
    if (spec.status !== undefined && !(typeof spec.status === "number" && spec.status >= 500 && spec.status <= 599))
      return "status must be a 5xx code";
    if (spec.method !== undefined && typeof spec.method !== "string") return "method must be a string";
    if (spec.path !== undefined && typeof spec.path !== "string") return "path must be a string";
  }
  return list as unknown as FaultSpec[];
}
