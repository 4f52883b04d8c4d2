// The Lago client the provider uses: lago-javascript-client over the retrying fetch. Required lazily
// so nothing captured by a provider drags the client (or a key) into serialized state.
import type { Api } from "lago-javascript-client";
import type { LagoSettings } from "./config";
import { retryingFetch } from "./retry";

export type LagoClient = Api<unknown>;

let cached: { fingerprint: string; client: LagoClient } | undefined;

export function lagoClient(settings: LagoSettings): LagoClient {
  const fingerprint = JSON.stringify([settings.apiUrl, settings.apiKey, settings.retry]);
  if (cached?.fingerprint === fingerprint) return cached.client;
  const { Client } = require("lago-javascript-client") as typeof import("lago-javascript-client");
  const client = Client(settings.apiKey, {
    baseUrl: settings.apiUrl,
    customFetch: retryingFetch((input, init) => fetch(input, init), settings.retry),
  });
  cached = { fingerprint, client };
  return client;
}
