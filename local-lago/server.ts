// Assembles the local Lago: the admin API, the Lago API under /api/v1 (one room per Lago object),
// and Lago's catch-all answer for unknown routes and methods.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { connectPaymentProvider, listPaymentProviders } from "./domain/payment-providers";
import { Admin, type ResponseObserver } from "./admin";
import { createApi } from "./api";
import { isLoopbackHost } from "./auth";
import type { LagoContext } from "./context";
import { rooms } from "./resources";
import { RateLimiter, rateLimitMiddleware, type RateLimitMode } from "./rate-limit";
import { Store } from "./store";

export const API_BASE = "/api/v1";

/**
 * lago-api sets no request body limit (config/puma.rb leaves Puma's http_content_length_limit unset; Rails parses any
 * JSON body); a deployment's proxy sets one, and nginx's default client_max_body_size is 1 MiB. The local Lago takes
 * that: far above Lago's largest real body (a batch of 100 events, a plan with many charges), far below memory harm.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface LocalLagoOptions {
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /**
   * Token the admin API (/__admin) requires, as `Authorization: Bearer <token>`. Default: none when `host` is a
   * loopback address, the API key otherwise. The interface listened on decides, not the caller's address: a port
   * forwarded from elsewhere (docker, ssh, kubectl) arrives from 127.0.0.1 too.
   */
  adminToken?: string;
  /** Largest request body accepted, in bytes (default DEFAULT_MAX_BODY_BYTES); a larger one gets 413 and changes nothing. */
  maxBodyBytes?: number;
  /** The API key clients must send (default `local-lago-key`). */
  apiKey?: string;
  /** Keep state across restarts in this directory (in memory when absent). */
  dataDir?: string;
  /** Lago Cloud parity (default true): premium-only fields are honoured. */
  premium?: boolean;
  /** fsync every committed write when persisting (default true). */
  fsync?: boolean;
  /** Sees every answer of the Lago API (tests validate them against Lago's OpenAPI spec). */
  onResponse?: ResponseObserver;
  /**
   * Payment providers connected to the organization (Lago connects them in its UI, never through the API), so that
   * customers can link to one: `[{ type: "stripe", code: "stripe_prod" }]`. Also `POST /__admin/payment_providers`.
   */
  paymentProviders?: Array<{ type: string; code: string; name?: string }>;
  /** "cloud": Lago Cloud's per-organization limits, X-RateLimit-* headers and 429s (rate-limit.ts); none by default, as self-hosted. */
  rateLimit?: RateLimitMode;
}

export interface LocalLago {
  /** Base URL without the /api/v1 suffix, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The URL lago-javascript-client takes as `baseUrl` (`<url>/api/v1`). */
  apiUrl: string;
  apiKey: string;
  admin: Admin;
  lago: LagoContext;
  /** What it exposes besides the Lago API at `apiUrl`, and to whom, in one line without secrets (for start-up messages). */
  exposure: string;
  stop(): Promise<void>;
}

/** The token the admin API requires, or undefined when it is open (loopback, no token asked for). */
export function adminTokenFor(options: Pick<LocalLagoOptions, "host" | "adminToken">, apiKey: string): string | undefined {
  if (options.adminToken) return options.adminToken;
  return isLoopbackHost(options.host ?? "127.0.0.1") ? undefined : apiKey;
}

function describeExposure(url: string, options: LocalLagoOptions, apiKey: string): string {
  const host = options.host ?? "127.0.0.1";
  const token = adminTokenFor(options, apiKey);
  const admin = token === undefined ? "no token" : token === options.adminToken ? "needs the admin token" : "needs the API key as token";
  const reach = isLoopbackHost(host) ? "this machine only (loopback)" : `other machines too (listening on ${host})`;
  return `admin API ${url}/__admin (${admin}); reachable from ${reach}`;
}

export function createApp(options: LocalLagoOptions = {}): { app: Hono; admin: Admin; lago: LagoContext } {
  const apiKey = options.apiKey ?? "local-lago-key";
  const lago: LagoContext = {
    store: new Store({ dataDir: options.dataDir, fsync: options.fsync }),
    premium: options.premium ?? true,
    now: () => new Date(),
    organizationId: "00000000-0000-4000-8000-000000000001",
  };
  const app = new Hono({ strict: false }); // Rails ignores a trailing slash
  // A proxy's answer, before anything is read, logged or written.
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Connection: close, as the rest of the body is never read: the connection cannot carry another request.
  app.use("*", bodyLimit({ maxSize, onError: (c) => c.json({ status: 413, error: "Payload Too Large" }, 413, { connection: "close" }) }));
  const admin = new Admin(lago, API_BASE, options.onResponse);
  // Connected once (a kept data dir may hold them already), and again after an admin reset.
  const connectProviders = () => {
    for (const provider of options.paymentProviders ?? []) if (!listPaymentProviders(lago).some((p) => p.code === provider.code)) connectPaymentProvider(lago, provider);
  };
  connectProviders();
  admin.afterReset = connectProviders;
  admin.routes(app, adminTokenFor(options, apiKey));
  app.use(`${API_BASE}/*`, admin.middleware());
  if (options.rateLimit === "cloud") app.use(`${API_BASE}/*`, rateLimitMiddleware(new RateLimiter(), API_BASE));
  const api = createApi(app, API_BASE, lago, () => apiKey);
  for (const room of rooms) room(api, lago);
  // Rails' catch-all: unknown route or method, no auth check (lago-api.md §1.3).
  app.notFound((c) => {
    c.set("localLagoUnrouted", true);
    return c.json({ status: 404, error: "Not Found", code: "resource_not_found" }, 404);
  });
  app.onError((error, c) => {
    console.error("[local-lago] unhandled", error);
    return c.json({ status: 500, error: "Internal Server Error" }, 500);
  });
  return { app, admin, lago };
}

export async function startLocalLago(options: LocalLagoOptions = {}): Promise<LocalLago> {
  const apiKey = options.apiKey ?? "local-lago-key";
  const { app, admin, lago } = createApp({ ...options, apiKey });
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    apiUrl: url + API_BASE,
    apiKey,
    admin,
    lago,
    exposure: describeExposure(url, options, apiKey),
    stop: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => {
          lago.store.close();
          resolve();
        });
      }),
  };
}
