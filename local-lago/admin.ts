// The admin API real Lago does not have (under /__admin): a request log to count API calls, a reset,
// the premium switch, and fault injection for the provider's reliability tests. No auth: loopback only.
import type { Context, Hono, Next } from "hono";
import type { LagoContext } from "./context";

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  /** HTTP status sent; 0 when the connection was reset instead. */
  status: number;
  at: string;
}

export type FaultKind = "rate_limit" | "server_error" | "reset_before" | "reset_after" | "latency";

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

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class Admin {
  readonly requests: LoggedRequest[] = [];
  private faults: ArmedFault[] = [];

  constructor(
    private readonly lago: LagoContext,
    private readonly apiBase: string,
  ) {}

  addFault(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  reset(): void {
    this.lago.store.reset();
    this.requests.length = 0;
    this.faults = [];
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

  /** Middleware for the Lago API: logs every request and applies armed faults. */
  middleware() {
    return async (c: Context, next: Next) => {
      const url = new URL(c.req.url);
      const entry: LoggedRequest = {
        method: c.req.method,
        path: url.pathname,
        query: url.search,
        status: 0,
        at: new Date().toISOString(),
      };
      this.requests.push(entry);
      const fault = this.takeFault(c.req.method, url.pathname.slice(this.apiBase.length));
      const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
      switch (fault?.kind) {
        case "reset_before":
          socket?.destroy();
          return c.body(null, 500);
        case "rate_limit": {
          const reset = fault.resetSeconds ?? 1;
          c.header("X-RateLimit-Limit", "50");
          c.header("X-RateLimit-Remaining", "0");
          c.header("X-RateLimit-Reset", String(reset));
          entry.status = 429;
          return c.json({ status: 429, error: "Too Many Requests" }, 429);
        }
        case "server_error": {
          const status = fault.status ?? 500;
          entry.status = status;
          return c.json({ status, error: "Internal Server Error" }, status as 500);
        }
        case "latency":
          await new Promise((r) => setTimeout(r, fault.ms ?? 100));
          break;
      }
      await next();
      if (fault?.kind === "reset_after") {
        socket?.destroy(); // the write has committed; the client never hears about it
        return;
      }
      entry.status = c.res.status;
    };
  }

  routes(app: Hono): void {
    app.get("/__admin/requests", (c) => c.json({ requests: this.requests }));
    app.delete("/__admin/requests", (c) => {
      this.requests.length = 0;
      return c.json({ ok: true });
    });
    app.post("/__admin/reset", (c) => {
      this.reset();
      return c.json({ ok: true });
    });
    app.post("/__admin/faults", async (c) => {
      const body = (await c.req.json().catch(() => null)) as { faults?: FaultSpec[] } | FaultSpec | null;
      const specs = body && "faults" in body && Array.isArray(body.faults) ? body.faults : body ? [body as FaultSpec] : [];
      const kinds: FaultKind[] = ["rate_limit", "server_error", "reset_before", "reset_after", "latency"];
      const bad = specs.find((s) => !kinds.includes(s.kind));
      if (!specs.length || bad) return c.json({ error: `kind must be one of ${kinds.join(", ")}` }, 400);
      specs.forEach((s) => this.addFault(s));
      return c.json({ ok: true, armed: specs.length });
    });
    app.delete("/__admin/faults", (c) => {
      this.clearFaults();
      return c.json({ ok: true });
    });
    app.get("/__admin/config", (c) => c.json({ premium: this.lago.premium }));
    app.put("/__admin/config", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { premium?: unknown };
      if (typeof body.premium === "boolean") this.lago.premium = body.premium;
      return c.json({ premium: this.lago.premium });
    });
  }
}
