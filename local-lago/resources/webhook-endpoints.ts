// Webhook endpoints (lago-api.md §9): addressed by lago_id, hard-deleted, at most 10 per organisation.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { notFound, Validation, lagoRaises } from "../errors";
import { listPage } from "../pagination";
import type { Table } from "../store";
import { blank, permitScalars, rubyInspect } from "./rails-casts";

const MAX_ENDPOINTS = 10;
const SIGNATURE_ALGOS = ["jwt", "hmac"];

/** Lago v1.51.0's webhook event names (its event-type catalogue). */
export const WEBHOOK_EVENT_TYPES: ReadonlySet<string> = new Set(
  (
    "alert.triggered billable_metric.created billable_metric.updated billable_metric.deleted customer.created " +
    "customer.updated customer.accounting_provider_created customer.accounting_provider_error customer.crm_provider_created " +
    "customer.crm_provider_error customer.payment_provider_created customer.payment_provider_error customer.checkout_url_generated " +
    "customer.tax_provider_error customer.vies_check credit_note.created credit_note.generated credit_note.provider_refund_failure " +
    "dunning_campaign.finished event.error events.errors feature.created feature.updated feature.deleted fee.created " +
    "fee.tax_provider_error invoice.created invoice.one_off_created invoice.paid_credit_added invoice.generated invoice.drafted " +
    "invoice.ready_to_finalize invoice.voided invoice.deleted invoice.payment_dispute_lost invoice.payment_status_updated " +
    "invoice.payment_overdue invoice.payment_failure invoice.resynced integration.provider_error payment.succeeded " +
    "payment.requires_action payment_provider.error payment_receipt.created payment_receipt.generated payment_request.created " +
    "payment_request.payment_failure payment_request.payment_status_updated plan.created plan.updated plan.deleted " +
    "subscription.canceled subscription.incomplete subscription.terminated subscription.started subscription.updated " +
    "subscription.termination_alert subscription.trial_ended subscription.usage_threshold_reached wallet.created " +
    "wallet.depleted_ongoing_balance wallet.terminated wallet.updated wallet_transaction.created wallet_transaction.updated " +
    "wallet_transaction.payment_failure"
  ).split(" "),
);

export interface WebhookEndpointRow {
  id: string;
  webhook_url: string | null;
  /** null only transiently: Lago's database refuses it (see saveable). */
  signature_algo: string | null;
  name: string | null;
  /** null = every event. */
  event_types: string[] | null;
  created_at: string;
}

/** The event_types as sent: an array to normalise, null, or something else Lago refuses. */
type EventTypesInput = { kind: "list"; values: unknown[] } | { kind: "all" } | { kind: "not_array" };

const webhookTable = (lago: LagoContext) => lago.store.table<WebhookEndpointRow>("webhook_endpoints") as Table<WebhookEndpointRow>;

function findEndpoint(lago: LagoContext, id: string): WebhookEndpointRow {
  const row = webhookTable(lago).get(id);
  if (!row) throw notFound("webhook_endpoint");
  return row;
}

const serialize = (lago: LagoContext, row: WebhookEndpointRow) => ({
  lago_id: row.id,
  lago_organization_id: lago.organizationId,
  webhook_url: row.webhook_url,
  signature_algo: row.signature_algo,
  name: row.name,
  event_types: row.event_types,
  created_at: row.created_at,
});

/** Lago turns the algorithm into an enum symbol up front: unknown names (and non-strings) raise, a 500. */
function castSignatureAlgo(v: unknown): string | null {
  if (v === null || v === "") return null; // accepted here, refused by the database on save
  if (typeof v === "string" && SIGNATURE_ALGOS.includes(v)) return v;
  throw lagoRaises(`signature_algo ${JSON.stringify(v)} is not a valid enum value`);
}

function readEventTypes(v: unknown): EventTypesInput {
  if (v === null) return { kind: "all" };
  return Array.isArray(v) ? { kind: "list", values: v } : { kind: "not_array" };
}

/** Lower-cased, trimmed, blanks dropped, deduplicated; a lone "*" means every event (null). */
function normaliseEventTypes(values: unknown[]): string[] | null {
  const names = [
    ...new Set(values.map((v) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v)).trim().toLowerCase()).filter((v) => v !== "")),
  ];
  return names.length === 1 && names[0] === "*" ? null : names;
}

/** Ruby's URI parser: RFC 3986 characters only, http(s) scheme, and a non-empty host. */
function isHttpUrl(url: unknown): boolean {
  if (typeof url !== "string" || !/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(url)) return false;
  if (!/^https?:\/\/[^/?#]+/i.test(url)) return false;
  try {
    return new URL(url).hostname !== "";
  } catch {
    return false;
  }
}

function validate(lago: LagoContext, row: WebhookEndpointRow, eventTypes: EventTypesInput | undefined, creating: boolean) {
  const v = new Validation();
  if (blank(row.webhook_url)) v.add("webhook_url", "value_is_mandatory");
  if (!isHttpUrl(row.webhook_url)) v.add("webhook_url", "url_is_invalid");
  else if (webhookTable(lago).find((w) => w.webhook_url === row.webhook_url && w.id !== row.id)) v.add("webhook_url", "value_already_exist");
  if (creating && webhookTable(lago).size >= MAX_ENDPOINTS) v.add("base", "Maximum number of webhook endpoints was reached");
  if (eventTypes?.kind === "not_array") v.add("event_types", "must_be_array");
  const invalid = (row.event_types ?? []).filter((name) => !WEBHOOK_EVENT_TYPES.has(name));
  if (invalid.length) v.add("event_types", `contains invalid types: ${rubyInspect(invalid)}`);
  v.throwIfAny();
  if (row.signature_algo === null) throw lagoRaises("webhook_endpoints.signature_algo violates not-null constraint");
}

/** Applies sent event_types to the row: lists are normalised, anything else is stored empty and refused. */
function applyEventTypes(row: WebhookEndpointRow, input: EventTypesInput) {
  row.event_types = input.kind === "all" ? null : input.kind === "list" ? normaliseEventTypes(input.values) : [];
}

const WEBHOOK_FIELDS = ["webhook_url", "signature_algo", "name"] as const;

export const webhookEndpoints: Room = (api, lago) => {
  api.post("/webhook_endpoints", (req) => {
    const body = req.body("webhook_endpoint");
    const input = permitScalars(body, WEBHOOK_FIELDS);
    const row: WebhookEndpointRow = {
      id: newId(),
      webhook_url: input.webhook_url === undefined || input.webhook_url === null ? null : String(input.webhook_url),
      signature_algo: input.signature_algo === undefined || input.signature_algo === null ? "jwt" : castSignatureAlgo(input.signature_algo),
      name: input.name === undefined || input.name === null ? null : String(input.name),
      event_types: null,
      created_at: isoSeconds(lago.now()),
    };
    const eventTypes = "event_types" in body ? readEventTypes(body.event_types) : undefined;
    if (eventTypes) applyEventTypes(row, eventTypes);
    validate(lago, row, eventTypes, true);
    webhookTable(lago).put(row);
    return { webhook_endpoint: serialize(lago, row) };
  });

  api.get("/webhook_endpoints", (req) => {
    // Lago orders by URL, then newest first, then id.
    const rows = webhookTable(lago)
      .all()
      .sort((a, b) =>
        (a.webhook_url ?? "") < (b.webhook_url ?? "") ? -1 : (a.webhook_url ?? "") > (b.webhook_url ?? "") ? 1 : a.created_at > b.created_at ? -1 : a.created_at < b.created_at ? 1 : a.id < b.id ? -1 : 1,
      );
    return listPage("webhook_endpoints", rows, req.queries, (r) => serialize(lago, r));
  });

  api.get("/webhook_endpoints/:id", (req) => ({ webhook_endpoint: serialize(lago, findEndpoint(lago, req.params.id!)) }));

  api.put("/webhook_endpoints/:id", (req) => {
    const body = req.body("webhook_endpoint"); // read before the lookup, as Lago does (400 wins over 404)
    const current = findEndpoint(lago, req.params.id!);
    const input = permitScalars(body, WEBHOOK_FIELDS);
    const next: WebhookEndpointRow = { ...current };
    if ("webhook_url" in input) next.webhook_url = input.webhook_url === null ? null : String(input.webhook_url);
    if ("signature_algo" in input) next.signature_algo = castSignatureAlgo(input.signature_algo);
    if ("name" in input) next.name = input.name === null ? null : String(input.name);
    const eventTypes = "event_types" in body ? readEventTypes(body.event_types) : undefined;
    if (eventTypes) applyEventTypes(next, eventTypes);
    validate(lago, next, eventTypes, false);
    webhookTable(lago).put(next);
    return { webhook_endpoint: serialize(lago, next) };
  });

  api.delete("/webhook_endpoints/:id", (req) => {
    const current = findEndpoint(lago, req.params.id!);
    webhookTable(lago).remove(current.id); // hard delete (§9)
    return { webhook_endpoint: serialize(lago, current) };
  });
};
