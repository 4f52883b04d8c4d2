// What every resource room gets: the store, the clock, and the organisation's switches.
import type { Store } from "./store";

export interface LagoContext {
  store: Store;
  /** Lago Cloud parity by default (lago-api.md §1.10); toggled through the admin API. */
  premium: boolean;
  /** The clock; tests may pin it. */
  now(): Date;
  organizationId: string;
}

/** Lago's second-precision timestamps: `2024-05-01T12:00:00Z`. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Millisecond timestamps used by subscriptions and events: `2024-05-01T12:00:00.000Z`. */
export const isoMillis = (d: Date): string => d.toISOString();

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

export const newId = (): string => crypto.randomUUID();
