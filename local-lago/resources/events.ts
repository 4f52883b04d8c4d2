// Events (lago-api.md §10): single and batch ingestion with per-subscription transaction_id
// idempotency, lookups and listing. An in-memory index per external_subscription_id keeps
// ingestion and current usage fast at hundreds of thousands of events.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { notFound, Validation, validationError } from "../errors";
import { tables, type EventRow } from "../model";
import { listPage } from "../pagination";
import type { Store } from "../store";
import { decimalString } from "../billing/money";
import { evaluateExpression, ExpressionError, parseExpression, type ExpressionEvent } from "../billing/expression";
import Decimal from "decimal.js";
import type { BillableMetricRow } from "./billable-metrics";
import type { SubscriptionRecord } from "../domain/subscription-lifecycle";

/** Lago's default `LAGO_EVENTS_BATCH_MAX_LENGTH`. */
export const MAX_BATCH_EVENTS = 100;

interface SubscriptionEvents {
  /** Events per metric code, oldest first. */
  byCode: Map<string, EventRow[]>;
  transactionIds: Set<string>;
}

/**
 * Derived from the events table and kept current through the store's change feed. A reset,
 * a replay or a removal marks it stale; it is rebuilt on the next read.
 */
export class EventIndex {
  private stale = true;
  private readonly bySubscription = new Map<string, SubscriptionEvents>();
  private readonly firstByTransaction = new Map<string, EventRow>();
  private readonly knownIds = new Set<string>();

  constructor(private readonly store: Store) {
    store.onChange((table, id, row) => {
      if (table === "*") this.stale = true;
      else if (table === "events" && !this.stale) {
        if (row === null || this.knownIds.has(id)) this.stale = true; // removals and rewrites are rare
        else this.add(row as EventRow);
      }
    });
  }

  private add(event: EventRow) {
    this.knownIds.add(event.id);
    if (!this.firstByTransaction.has(event.transaction_id)) this.firstByTransaction.set(event.transaction_id, event);
    const key = event.external_subscription_id ?? "";
    let bucket = this.bySubscription.get(key);
    if (!bucket) this.bySubscription.set(key, (bucket = { byCode: new Map(), transactionIds: new Set() }));
    bucket.transactionIds.add(event.transaction_id);
    let list = bucket.byCode.get(event.code);
    if (!list) bucket.byCode.set(event.code, (list = []));
    // Events mostly arrive in time order: append, else insert after equal timestamps.
    if (!list.length || list[list.length - 1]!.timestamp_ms <= event.timestamp_ms) list.push(event);
    else list.splice(upperBound(list, event.timestamp_ms), 0, event);
  }

  private fresh(): this {
    if (!this.stale) return this;
    this.bySubscription.clear();
    this.firstByTransaction.clear();
    this.knownIds.clear();
    for (const event of tables(this.store).events.all()) this.add(event);
    this.stale = false;
    return this;
  }

  /** Whether this subscription already received this transaction id (the unique index). */
  hasTransaction(externalSubscriptionId: string, transactionId: string): boolean {
    return this.fresh().bySubscription.get(externalSubscriptionId)?.transactionIds.has(transactionId) ?? false;
  }

  /** The first event stored with this transaction id, any subscription. */
  byTransaction(transactionId: string): EventRow | undefined {
    return this.fresh().firstByTransaction.get(transactionId);
  }

  /** A subscription's events for one code with fromMs ≤ timestamp ≤ toMs, oldest first. */
  eventsBetween(externalSubscriptionId: string, code: string, fromMs: number, toMs: number): EventRow[] {
    const list = this.fresh().bySubscription.get(externalSubscriptionId)?.byCode.get(code);
    if (!list) return [];
    return list.slice(lowerBound(list, fromMs), upperBound(list, toMs));
  }
}

/** First index whose timestamp is ≥ ms. */
function lowerBound(list: EventRow[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.timestamp_ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose timestamp is > ms. */
function upperBound(list: EventRow[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.timestamp_ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const indexes = new WeakMap<Store, EventIndex>();

/** The event index of this local Lago (one per store). */
export function eventIndex(lago: LagoContext): EventIndex {
  let index = indexes.get(lago.store);
  if (!index) indexes.set(lago.store, (index = new EventIndex(lago.store)));
  return index;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/** What Ruby's BigDecimal() accepts: a plain or exponent number, digits possibly grouped by `_`. */
const BIG_DECIMAL = /^\s*[+-]?(\d[\d_]*(\.\d[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?\s*$/;

class InvalidTimestamp extends Error {}

/** A JSON number or a numeric string as a finite decimal, else null (timestamps and precise amounts). */
function numericValue(value: unknown): Decimal | null {
  if (typeof value === "number") return Number.isFinite(value) ? new Decimal(value) : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    const parsed = new Decimal(value.trim());
    return parsed.isFinite() ? parsed : null;
  } catch {
    return null;
  }
}

/** Ruby's to_s of a JSON value as the expression gem receives it: numbers stay numbers, the rest is text. */
function expressionProperty(value: unknown): string | number {
  if (typeof value === "number" || typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

type MetricExpression = { parsed: NonNullable<ReturnType<typeof parseExpression>>; field: string } | null;

/** Per request: the expression of the live metric with each code (parsed once), or null when it has none. */
function metricExpressions(lago: LagoContext): (code: string) => MetricExpression {
  const byCode = new Map<string, MetricExpression>();
  return (code) => {
    if (byCode.has(code)) return byCode.get(code)!;
    const metric = tables(lago.store).billableMetrics.find((m) => m.code === code && m.deleted_at === null) as BillableMetricRow | undefined;
    // an expression that does not parse is never stored: the metric's validation refuses it
    const parsed = metric?.expression?.trim() ? parseExpression(metric.expression) : undefined;
    const found = parsed ? { parsed, field: metric!.field_name ?? "" } : null;
    byCode.set(code, found);
    return found;
  };
}

/**
 * Events::CalculateExpressionService: when the live metric with the event's code has an expression, its
 * result replaces the metric's field (a number is stored as Lago's decimal text, "3.0"). Returns the gem's
 * error message when the evaluation fails.
 */
function applyMetricExpression(expressionOf: (code: string) => MetricExpression, event: EventRow): string | null {
  const expression = expressionOf(event.code);
  if (!expression) return null;
  const properties: ExpressionEvent["properties"] = {};
  for (const [key, value] of Object.entries(event.properties)) properties[key] = expressionProperty(value);
  try {
    const result = evaluateExpression(expression.parsed, { code: event.code, timestamp: Math.floor(event.timestamp_ms / 1000), properties });
    const stored = result.kind === "number" ? decimalString(new Decimal(result.value.toFixed())) : result.value;
    event.properties = { ...event.properties, [expression.field]: stored };
    return null;
  } catch (error) {
    if (error instanceof ExpressionError) return `expression_evaluation_failed: ${error.message}`;
    throw error;
  }
}

/**
 * Unix seconds (integer, float or numeric string) to milliseconds; absent → reception time.
 * ISO strings and other text are rejected like Lago's BigDecimal parse (§10).
 */
export function parseEventTimestamp(value: unknown, receivedAtMs: number): number {
  if (value === undefined || value === null || value === false) return receivedAtMs;
  // Whole seconds, the common case, are exact in a double: no decimal parse on the ingestion hot path.
  if (typeof value === "number" && Number.isSafeInteger(value)) return value * 1000;
  const raw = String(value);
  if (/^\d{1,12}$/.test(raw)) return Number(raw) * 1000;
  if (!BIG_DECIMAL.test(raw)) throw new InvalidTimestamp(raw);
  const seconds = numericValue(raw.replace(/_/g, "").trim());
  if (!seconds) throw new InvalidTimestamp(raw);
  return seconds.times(1000).floor().toNumber();
}

/**
 * `precise_total_amount_cents` is a decimal(40, 15) column, cast the Rails way: true → 1, false → 0, a string
 * by String#to_d (its leading number, 0 when there is none: "asdfa" → 0), 15 decimals kept; blank stays null.
 */
function preciseAmount(value: unknown): string | null {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return null;
  let parsed: Decimal;
  if (typeof value === "boolean") parsed = new Decimal(value ? 1 : 0);
  else if (typeof value === "number") parsed = Number.isFinite(value) ? new Decimal(value) : new Decimal(0);
  else if (typeof value === "object") parsed = new Decimal(0); // its to_s ("{...}", "[...]") has no leading number
  else {
    const leading = /^\s*([+-]?(?:\d+(?:_\d+)*)?(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(String(value))![1]!.replace(/_/g, "");
    parsed = /\d/.test(leading) && !/^[+-]?[eE]/.test(leading) ? new Decimal(leading) : new Decimal(0);
  }
  return parsed.toDecimalPlaces(15, Decimal.ROUND_HALF_UP).toString();
}

/** Builds an event row from its input or reports the model's errors. */
function buildEvent(input: Record<string, unknown>, receivedAtMs: number, createdAt: string): { event: EventRow } | { errors: Record<string, string[]> } {
  let timestampMs: number;
  try {
    timestampMs = parseEventTimestamp(input.timestamp, receivedAtMs);
  } catch (error) {
    if (error instanceof InvalidTimestamp) return { errors: { timestamp: ["invalid_format"] } };
    throw error;
  }
  const v: Record<string, string[]> = {};
  if (blank(input.transaction_id)) v.transaction_id = ["value_is_mandatory"];
  if (blank(input.code)) v.code = ["value_is_mandatory"];
  if (Object.keys(v).length) return { errors: v };
  return {
    event: {
      id: newId(),
      transaction_id: String(input.transaction_id),
      external_subscription_id: text(input.external_subscription_id),
      code: String(input.code),
      timestamp_ms: timestampMs,
      properties: isObject(input.properties) ? input.properties : {},
      precise_total_amount_cents: preciseAmount(input.precise_total_amount_cents),
      created_at: createdAt,
    },
  };
}

/** Running subscriptions first, then the latest terminated, then the latest started (Lago's order). */
function latestFirst(a: SubscriptionRecord, b: SubscriptionRecord): number {
  const aEnd = a.terminated_at ?? "\uffff";
  const bEnd = b.terminated_at ?? "\uffff";
  if (aEnd !== bEnd) return aEnd < bEnd ? 1 : -1;
  return (a.started_at ?? "") < (b.started_at ?? "") ? 1 : -1;
}

const startedWithExternalId = (lago: LagoContext, externalId: string) =>
  (tables(lago.store).subscriptions.filter((s) => s.external_id === externalId && s.started_at !== null) as SubscriptionRecord[]).sort(latestFirst);

/** The subscription an event belongs to: the one running at its timestamp (§10). */
function subscriptionAt(lago: LagoContext, event: EventRow): SubscriptionRecord | undefined {
  if (event.external_subscription_id === null) return undefined;
  return startedWithExternalId(lago, event.external_subscription_id).find(
    (s) => Date.parse(s.started_at!) <= event.timestamp_ms && (s.terminated_at === null || Date.parse(s.terminated_at) >= event.timestamp_ms),
  );
}

/** `resolved` fills the customer and subscription ids, which POST responses leave null (processing is async). */
export function serializeEvent(lago: LagoContext, event: EventRow, resolved: boolean) {
  const subscription = resolved ? subscriptionAt(lago, event) : undefined;
  const precise = event.precise_total_amount_cents === null ? null : numericValue(event.precise_total_amount_cents);
  return {
    lago_id: event.id,
    transaction_id: event.transaction_id,
    lago_customer_id: subscription?.customer_id ?? null,
    code: event.code,
    timestamp: new Date(event.timestamp_ms).toISOString(),
    precise_total_amount_cents: precise ? decimalString(precise) : null,
    properties: event.properties,
    lago_subscription_id: subscription?.id ?? null,
    external_subscription_id: event.external_subscription_id,
    created_at: event.created_at,
  };
}

export const events: Room = (api, lago) => {
  const index = eventIndex(lago);

  api.post("/events", (req) => {
    const input = req.body("event");
    const now = lago.now();
    const built = buildEvent(input, now.getTime(), isoSeconds(now));
    if ("errors" in built) throw validationError(built.errors);
    const { event } = built;
    // Lago answers an expression failure with its message as the error details
    const expressionError = applyMetricExpression(metricExpressions(lago), event);
    if (expressionError) throw validationError(expressionError);
    if (event.external_subscription_id !== null && index.hasTransaction(event.external_subscription_id, event.transaction_id))
      throw validationError({ transaction_id: ["value_already_exist"] });
    tables(lago.store).events.put(event);
    return { event: serializeEvent(lago, event, false) };
  });

  api.post("/events/batch", (req) => {
    const body = req.rawBody;
    const inputs = isObject(body) && Array.isArray(body.events) ? body.events : [];
    if (!inputs.length) throw validationError({ events: ["no_events"] });
    if (inputs.length > MAX_BATCH_EVENTS) throw validationError({ events: ["too_many_events"] });
    const now = lago.now();
    const createdAt = isoSeconds(now);
    const errors: Record<string, Record<string, string[]>> = {};
    const built: EventRow[] = [];
    const expressionErrors: Record<string, string> = {};
    const expressionOf = metricExpressions(lago);
    inputs.forEach((input, i) => {
      const result = buildEvent(isObject(input) ? input : {}, now.getTime(), createdAt);
      if ("errors" in result) errors[i] = result.errors;
      else {
        const expressionError = applyMetricExpression(expressionOf, result.event);
        if (expressionError) expressionErrors[i] = expressionError;
        built.push(result.event);
      }
    });
    if (Object.keys(expressionErrors).length) throw validationError({ ...expressionErrors, ...errors });
    if (Object.keys(errors).length) throw validationError(errors);
    // Lago matches its bulk insert back by transaction id, so a repeat inside one batch fails
    // even for another subscription; a repeat of a stored (subscription, transaction) fails too.
    const seenInBatch = new Set<string>();
    built.forEach((event, i) => {
      const stored = event.external_subscription_id !== null && index.hasTransaction(event.external_subscription_id, event.transaction_id);
      if (stored || seenInBatch.has(event.transaction_id)) errors[i] = { transaction_id: ["value_already_exist"] };
      seenInBatch.add(event.transaction_id);
    });
    if (Object.keys(errors).length) throw validationError(errors);
    const table = tables(lago.store).events;
    for (const event of built) table.put(event);
    return { events: built.map((event) => serializeEvent(lago, event, false)) };
  });

  api.get("/events", (req) => {
    const code = req.query("code");
    const externalSubscriptionId = req.query("external_subscription_id");
    const fromStartedAt = req.query("timestamp_from_started_at") === "true";
    const v = new Validation();
    if (fromStartedAt && req.query("timestamp_from")) v.add("timestamp_from", "cannot be used with timestamp_from_started_at");
    if (fromStartedAt && !externalSubscriptionId) v.add("external_subscription_id", "required with timestamp_from_started_at");
    v.throwIfAny();
    let fromMs = parseFilterTime(req.query("timestamp_from"));
    const toMs = parseFilterTime(req.query("timestamp_to"));
    if (fromStartedAt) {
      const latest = startedWithExternalId(lago, externalSubscriptionId!)[0];
      if (latest) fromMs = Date.parse(latest.started_at!);
    }
    const rows = tables(lago.store)
      .events.filter(
        (e) =>
          (!code || e.code === code) &&
          (!externalSubscriptionId || e.external_subscription_id === externalSubscriptionId) &&
          (fromMs === null || e.timestamp_ms >= fromMs) &&
          (toMs === null || e.timestamp_ms <= toMs),
      )
      .sort((a, b) => b.timestamp_ms - a.timestamp_ms || (a.transaction_id < b.transaction_id ? -1 : a.transaction_id > b.transaction_id ? 1 : 0));
    return listPage("events", rows, req.queries, (e) => serializeEvent(lago, e, true));
  });

  api.get("/events/:transaction_id{.+}", (req) => {
    const event = index.byTransaction(req.params.transaction_id!);
    if (!event) throw notFound("event");
    return { event: serializeEvent(lago, event, true) };
  });

};

/** A date-time filter; unparseable values are ignored. */
function parseFilterTime(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
