// Ready-to-paste usage-event templates for the tools that feed Lago (facts: lago-integrations.md), one set per
// billable metric. Pure: strings and plain objects, nothing is sent. Every template writes the current event
// shape of lago-api.md §10 (`external_subscription_id`, Unix-seconds `timestamp`, the metric's field under
// `properties`), so an event sent through any of them is billed by the plans charging the metric.

/** What a template needs to know about a metric (a catalog entry or BillableMetric args both fit). */
export interface MetricForTemplates {
  code: string;
  name?: string;
  aggregationType: string;
  /** The event property the metric aggregates; absent for count_agg / custom_agg. */
  fieldName?: string | null;
}

export interface TemplateOptions {
  /** The subscription the sample record bills (default "<your subscription external id>"). */
  externalSubscriptionId?: string;
  /** Segment track event names that produce this metric's events (default: the metric code). */
  trackEvents?: string[];
}

/** A Lago event as the API takes it (lago-api.md §10). */
export interface LagoEventInput {
  transaction_id: string;
  external_subscription_id: string;
  code: string;
  /** Unix seconds. */
  timestamp: number;
  properties: Record<string, string | number>;
}

export interface IntegrationTemplates {
  /** Source of a Segment destination function (`onTrack`), to paste into a custom destination. */
  segmentFunction: string;
  /** The JSON body of a Hightouch HTTP Request sync, with Liquid `{{ row.<column> }}` variables. */
  hightouchBody: string;
  /** The warehouse columns the Hightouch body reads. */
  hightouchColumns: string[];
  /** A sample event record, as a Nexla Lago destination or a plain `POST /api/v1/events` sends it. */
  eventRecord: LagoEventInput;
}

/** Lago metrics whose aggregation reads an event property. */
const fieldOf = (metric: MetricForTemplates): string | undefined => (metric.fieldName ? metric.fieldName : undefined);

/** A sample property value: numeric aggregations need numbers, unique counts an identifier. */
function sampleValue(metric: MetricForTemplates): string | number {
  return metric.aggregationType === "unique_count_agg" || metric.aggregationType === "latest_agg" ? "user_123" : 1;
}

export function integrationTemplates(metric: MetricForTemplates, options: TemplateOptions = {}): IntegrationTemplates {
  const { body, columns } = hightouchBody(metric);
  return {
    segmentFunction: segmentFunction(metric, options),
    hightouchBody: body,
    hightouchColumns: columns,
    eventRecord: eventRecord(metric, options),
  };
}

/** Templates for every metric, keyed by metric code. */
export function templatesByMetric(metrics: readonly MetricForTemplates[], options: TemplateOptions = {}): Record<string, IntegrationTemplates> {
  return Object.fromEntries(metrics.map((m) => [m.code, integrationTemplates(m, options)]));
}

/**
 * Segment destination function. Settings it reads (create them on the destination):
 * `apiUrl` (Lago's base URL, e.g. https://api.getlago.com), `apiKey` (mark it sensitive), and optionally
 * `externalSubscriptionId` (when this Segment source belongs to one customer; otherwise the track call's
 * `userId` names the subscription).
 */
export function segmentFunction(metric: MetricForTemplates, options: TemplateOptions = {}): string {
  const field = fieldOf(metric);
  const tracks = options.trackEvents?.length ? options.trackEvents : [metric.code];
  const codes = JSON.stringify(Object.fromEntries(tracks.map((t) => [t, metric.code])));
  const properties = field ? `{ ${JSON.stringify(field)}: event.properties && event.properties[${JSON.stringify(field)}] }` : "{}";
  const requiredProperty = field
    ? `
  if (body.event.properties[${JSON.stringify(field)}] === undefined || body.event.properties[${JSON.stringify(field)}] === null)
    throw ValidationErrorOrError(${JSON.stringify(`track property ${field} is required by the Lago metric ${metric.code}`)});`
    : "";
  return `// Lago usage events from Segment track calls, for the billable metric ${JSON.stringify(metric.name ?? metric.code)} (code ${JSON.stringify(metric.code)}).
// Settings: apiUrl (Lago base URL, e.g. https://api.getlago.com), apiKey (sensitive),
// externalSubscriptionId (optional: the Lago subscription this source bills; default: the track call's userId).

// Segment track event name -> Lago billable metric code. Add the track names that should count here.
const LAGO_CODES = ${codes};

// Segment provides these error types; they are looked up at run time so the function also runs elsewhere.
const RetryErrorOrError = (message) => (typeof RetryError === "function" ? new RetryError(message) : new Error(message));
const ValidationErrorOrError = (message) => (typeof ValidationError === "function" ? new ValidationError(message) : new Error(message));

async function onTrack(event, settings) {
  const code = LAGO_CODES[event.event];
  if (!code) return; // not a billable track call

  const body = {
    event: {
      transaction_id: event.messageId, // Lago deduplicates on it: Segment retries are billed once
      external_subscription_id: settings.externalSubscriptionId || event.userId,
      code,
      timestamp: Math.floor(Date.parse(event.timestamp || new Date().toISOString()) / 1000),
      properties: ${properties},
    },
  };
  if (!body.event.external_subscription_id)
    throw ValidationErrorOrError("no Lago subscription: set the externalSubscriptionId setting or send a userId");${requiredProperty}

  const response = await fetch(settings.apiUrl.replace(/\\/+$/, "") + "/api/v1/events", {
    method: "POST",
    headers: { Authorization: "Bearer " + settings.apiKey, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 429 || response.status >= 500) throw RetryErrorOrError("Lago answered " + response.status);
  const answer = await response.json();
  if (!response.ok) throw ValidationErrorOrError("Lago refused the event: " + JSON.stringify(answer));
  return answer;
}
`;
}

/**
 * The Hightouch sync body. Every value is a quoted Liquid variable, so the body stays valid JSON whatever a row
 * holds (Lago reads the timestamp and numeric properties from strings too).
 */
export function hightouchBody(metric: MetricForTemplates): { body: string; columns: string[] } {
  const field = fieldOf(metric);
  const columns = ["transaction_id", "external_subscription_id", "timestamp", ...(field ? [field] : [])];
  const row = (column: string) => `"{{ row.${column} }}"`;
  const properties = field ? `{ ${JSON.stringify(field)}: ${row(field)} }` : "{}";
  const body = [
    "{",
    '  "event": {',
    `    "transaction_id": ${row("transaction_id")},`,
    `    "external_subscription_id": ${row("external_subscription_id")},`,
    `    "code": ${JSON.stringify(metric.code)},`,
    `    "timestamp": ${row("timestamp")},`,
    `    "properties": ${properties}`,
    "  }",
    "}",
  ].join("\n");
  return { body, columns };
}

/** A sample record (fixed values, so stack outputs do not change between runs); replace the ids per event. */
export function eventRecord(metric: MetricForTemplates, options: TemplateOptions = {}): LagoEventInput {
  const field = fieldOf(metric);
  return {
    transaction_id: "unique-id-per-event",
    external_subscription_id: options.externalSubscriptionId ?? "your-subscription-external-id",
    code: metric.code,
    timestamp: 1735689600,
    properties: field ? { [field]: sampleValue(metric) } : {},
  };
}

/** A Segment track call, the part of it the destination function reads. */
export interface SegmentTrackEvent {
  type: "track";
  event: string;
  messageId: string;
  userId?: string | null;
  anonymousId?: string | null;
  /** ISO 8601. */
  timestamp: string;
  properties: Record<string, unknown>;
}

/**
 * What the Segment function sends for a track call, as a TypeScript function (for batching from Node, and to
 * check the generated source against: both must produce the same event).
 */
export function segmentTrackToLagoEvent(
  metric: MetricForTemplates,
  event: SegmentTrackEvent,
  settings: { externalSubscriptionId?: string } = {},
): LagoEventInput {
  const field = fieldOf(metric);
  const value = field ? event.properties[field] : undefined;
  if (field && (value === undefined || value === null)) throw new Error(`track property ${field} is required by the Lago metric ${metric.code}`);
  const subscription = settings.externalSubscriptionId || event.userId;
  if (!subscription) throw new Error("no Lago subscription: set externalSubscriptionId or send a userId");
  return {
    transaction_id: event.messageId,
    external_subscription_id: subscription,
    code: metric.code,
    timestamp: Math.floor(Date.parse(event.timestamp) / 1000),
    properties: field ? { [field]: value as string | number } : {},
  };
}
