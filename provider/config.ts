// Where the provider finds Lago: stack config set through `configure()` (lago:apiUrl, secret lago:apiKey),
// falling back to LAGO_API_URL / LAGO_API_KEY. Resolved inside provider methods only, never at module
// scope of anything a provider captures, so no key can end up in serialized state.
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";

export const DEFAULT_API_URL = "https://api.getlago.com/api/v1";

export interface LagoSettings {
  /** Base URL including `/api/v1`. */
  apiUrl: string;
  apiKey: string;
  retry: RetryPolicy;
}

export interface ConfiguredValues {
  apiUrl?: string;
  apiKey?: string;
  retry?: Partial<RetryPolicy>;
}

/** Values handed over by `configure()` for this provider process. */
let configured: ConfiguredValues = {};

export function setConfigured(values: ConfiguredValues): void {
  configured = { ...values };
}

export function getConfigured(): Readonly<ConfiguredValues> {
  return configured;
}

export class ConfigError extends Error {
  override name = "LagoConfigError";
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname);

/** Accepts `https://host`, `https://host/api/v1` or a trailing slash; returns the `/api/v1` base. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`lago:apiUrl "${raw}" is not a URL (expected e.g. https://api.getlago.com/api/v1)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ConfigError(`lago:apiUrl "${raw}" must use https:// (or http:// on a loopback host)`);
  // A key sent over plain HTTP to another machine can be read on the way: only loopback may skip TLS.
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname))
    throw new ConfigError(
      `lago:apiUrl "${raw}" uses plain http:// for the non-loopback host ${url.hostname}; use https:// (http is only allowed for localhost/127.0.0.1/::1)`,
    );
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/api/v1") ? path : `${path}/api/v1`;
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

/** The settings for the next Lago call; a missing key is a clear error naming both ways to set it. */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env): LagoSettings {
  const apiKey = (configured.apiKey ?? env.LAGO_API_KEY ?? "").trim();
  if (!apiKey)
    throw new ConfigError(
      "Lago API key is missing: run `pulumi config set --secret lago:apiKey` (it prompts for the key, or reads it from standard input: keep it off the command line) or set the LAGO_API_KEY environment variable",
    );
  const apiUrl = normalizeApiUrl(configured.apiUrl ?? env.LAGO_API_URL ?? DEFAULT_API_URL);
  return { apiUrl, apiKey, retry: { ...DEFAULT_RETRY, ...configured.retry } };
}
