// Customer current usage (lago-api.md §11): the active subscription's charges priced on the
// events of the current billing period. Only usage charges: the subscription fee is not included.
import Decimal from "decimal.js";
import type { ApiRequest, Room } from "../api";
import { isoDate, isoSeconds, type LagoContext } from "../context";
import { LagoHttpError, methodNotAllowed, notFound } from "../errors";
import { aggregate, type Aggregation } from "../aggregation";
import { ianaTimezone } from "../geography";
import { tables, type ChargeRow, type EventRow, type MetricRow, type SubscriptionRow } from "../model";
import { localDate, periodContaining, zonedInstant } from "../periods";
import { chargeAmount, decimalString, toAmountCents } from "../../provider/pricing";
import type { BillableMetricRow } from "./billable-metrics";
import { liveChargesOf } from "./charges";
import { applicableTimezone, type CustomerRecord } from "../domain/customers";
import { eventIndex } from "./events";
import { chargesPeriod, planOf, settleSubscriptions } from "../domain/subscription-lifecycle";
import type { TaxRecord } from "./taxes";

type ChargeFilter = ChargeRow["filters"][number];

/** Lago's value meaning "any value the metric's filter knows" in a charge filter. */
const ALL_FILTER_VALUES = "__ALL_FILTER_VALUES__";

/** One priced slice of a charge: the whole charge, or one filter and/or one pricing group of it. */
interface Fee {
  /** undefined: the charge has no filters; null: the default slice (events no filter matched). */
  filter: ChargeFilter | null | undefined;
  groupedBy: Record<string, string | null>;
  aggregation: Aggregation;
  amountCents: number;
}

/** Does the event match every key of the charge filter? */
function matchesFilter(event: EventRow, filter: ChargeFilter, metric: MetricRow): boolean {
  return Object.entries(filter.values).every(([key, values]) => {
    const value = event.properties[key];
    if (value === undefined || value === null) return false;
    const allowed = values.includes(ALL_FILTER_VALUES) ? (metric.filters.find((f) => f.key === key)?.values ?? []) : values;
    return allowed.includes(String(value));
  });
}

/** Splits events between the charge's filters, the most specific filter first; the rest go to the default slice. */
function splitByFilters(events: readonly EventRow[], charge: ChargeRow, metric: MetricRow): Array<{ filter: ChargeFilter | null; events: EventRow[] }> {
  const filters = [...charge.filters].sort((a, b) => Object.keys(b.values).length - Object.keys(a.values).length);
  const slices = new Map<ChargeFilter | null, EventRow[]>([...charge.filters.map((f) => [f, []] as [ChargeFilter, EventRow[]]), [null, []]]);
  for (const event of events) slices.get(filters.find((f) => matchesFilter(event, f, metric)) ?? null)!.push(event);
  return [...slices].map(([filter, sliceEvents]) => ({ filter, events: sliceEvents }));
}

/** The pricing group keys of a charge or filter (`grouped_by` is their legacy name). */
function groupKeysOf(properties: Record<string, unknown>): string[] {
  const keys = properties.pricing_group_keys ?? properties.grouped_by;
  return Array.isArray(keys) ? keys.map(String) : [];
}

function splitByGroups(events: readonly EventRow[], keys: string[]): Array<{ groupedBy: Record<string, string | null>; events: EventRow[] }> {
  if (!keys.length) return [{ groupedBy: {}, events: [...events] }];
  const groups = new Map<string, { groupedBy: Record<string, string | null>; events: EventRow[] }>();
  for (const event of events) {
    const groupedBy = Object.fromEntries(keys.map((k) => [k, event.properties[k] === undefined || event.properties[k] === null ? null : String(event.properties[k])]));
    const id = JSON.stringify(groupedBy);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { groupedBy, events: [] }));
    group.events.push(event);
  }
  return [...groups.values()];
}

interface UsageWindow {
  fromMs: number;
  toMs: number;
}

/** Prices one charge of the subscription over the window, one fee per filter/group slice. */
function chargeFees(lago: LagoContext, subscription: SubscriptionRow, charge: ChargeRow, metric: BillableMetricRow, window: UsageWindow, groupFilter: Record<string, string>): Fee[] {
  const currency = planOf(lago, subscription).amount_currency;
  // Recurring metrics keep counting from the subscription's start, not the period's.
  const fromMs = metric.recurring && subscription.started_at ? Date.parse(subscription.started_at) : window.fromMs;
  let events = eventIndex(lago).eventsBetween(subscription.external_id, metric.code, fromMs, window.toMs);
  const groupEntries = Object.entries(groupFilter);
  if (groupEntries.length) events = events.filter((e) => groupEntries.every(([k, v]) => String(e.properties[k]) === v));
  const slices = charge.filters.length ? splitByFilters(events, charge, metric) : [{ filter: undefined, events }];
  const fees: Fee[] = [];
  for (const slice of slices) {
    const properties = slice.filter ? slice.filter.properties : charge.properties;
    for (const group of splitByGroups(slice.events, groupKeysOf(charge.properties))) {
      const aggregation = aggregate(metric, group.events, { fromMs: window.fromMs, toMs: window.toMs });
      const amount = chargeAmount(charge.charge_model, properties, { ...aggregation, premium: lago.premium }, currency);
      fees.push({ filter: slice.filter, groupedBy: group.groupedBy, aggregation, amountCents: toAmountCents(amount, currency) });
    }
  }
  return fees;
}

const sumUnits = (fees: Fee[], pick: (a: Aggregation) => Decimal) => fees.reduce((sum, f) => sum.plus(pick(f.aggregation)), new Decimal(0));

/** The usage numbers every level of `charges_usage` repeats. */
function usageNumbers(fees: Fee[]) {
  return {
    units: decimalString(sumUnits(fees, (a) => a.units)),
    total_aggregated_units: decimalString(sumUnits(fees, (a) => a.totalAggregatedUnits)),
    events_count: fees.reduce((n, f) => n + f.aggregation.eventsCount, 0),
    amount_cents: fees.reduce((n, f) => n + f.amountCents, 0),
    pricing_unit_details: null,
  };
}

function filtersUsage(fees: Fee[], charge: ChargeRow) {
  if (!charge.filters.length) return [];
  const byFilter = new Map<ChargeFilter | null, Fee[]>();
  for (const fee of fees) byFilter.set(fee.filter ?? null, [...(byFilter.get(fee.filter ?? null) ?? []), fee]);
  return [...byFilter].map(([filter, filterFees]) => ({
    ...usageNumbers(filterFees),
    invoice_display_name: filter?.invoice_display_name ?? null,
    values: filter ? filter.values : null,
    presentation_breakdowns: [],
  }));
}

function groupedUsage(fees: Fee[], charge: ChargeRow) {
  if (!fees.some((f) => Object.keys(f.groupedBy).length)) return [];
  const byGroup = new Map<string, Fee[]>();
  for (const fee of fees) byGroup.set(JSON.stringify(fee.groupedBy), [...(byGroup.get(JSON.stringify(fee.groupedBy)) ?? []), fee]);
  return [...byGroup.values()].map((groupFees) => ({
    ...usageNumbers(groupFees),
    grouped_by: groupFees[0]!.groupedBy,
    filters: filtersUsage(groupFees, charge),
    presentation_breakdowns: [],
  }));
}

/** The taxes a charge fee bears: the charge's, else the plan's, else the customer's, else the organisation's. */
function feeTaxes(lago: LagoContext, charge: ChargeRow, subscription: SubscriptionRow, customer: CustomerRecord): TaxRecord[] {
  const { taxes } = tables(lago.store);
  const resolve = (ids: string[]) => ids.map((id) => taxes.get(id)).filter((t): t is TaxRecord => !!t && t.deleted_at === null);
  for (const ids of [charge.tax_ids, planOf(lago, subscription).tax_ids, customer.tax_ids]) {
    const found = resolve(ids ?? []);
    if (found.length) return found;
  }
  return taxes.filter((t) => t.deleted_at === null && (t as TaxRecord).applied_to_organization === true) as TaxRecord[];
}

/** Each tax applies to the fees bearing it; its amount is rounded once per tax. */
function taxesAmountCents(lines: Array<{ amountCents: number; taxes: TaxRecord[] }>): number {
  const baseByTax = new Map<TaxRecord, number>();
  for (const line of lines) for (const tax of line.taxes) baseByTax.set(tax, (baseByTax.get(tax) ?? 0) + line.amountCents);
  let total = 0;
  for (const [tax, base] of baseByTax)
    total += new Decimal(base).times(new Decimal(tax.rate.toString())).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  return total;
}

/** Rails' boolean cast of a query value: "false", "0", "f", "off" (any case) are false. */
const queryBoolean = (value: string | undefined, fallback: boolean) => (value === undefined || value === "" ? fallback : !["false", "0", "f", "off"].includes(value.toLowerCase()));

/** `group[key]=value` (or legacy `filter_by_group[key]=value`) query pairs. */
function groupFilterOf(req: ApiRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.queries)) {
    const match = /^(?:group|filter_by_group)\[(.+)\]$/.exec(name);
    if (match) out[match[1]!] = value;
  }
  return out;
}

function currentUsage(lago: LagoContext, req: ApiRequest) {
  const { customers, subscriptions, billableMetrics } = tables(lago.store);
  const customer = customers.find((c) => c.external_id === req.params.external_customer_id && c.deleted_at === null) as CustomerRecord | undefined;
  // Lago's lookup raises a record-not-found that surfaces as the generic code (lago-api.md §11, §14).
  if (!customer) throw new LagoHttpError(404, { status: 404, error: "Not Found", code: "resource_not_found" });
  const externalSubscriptionId = req.query("external_subscription_id");
  const subscription = subscriptions.find((s) => s.customer_id === customer.id && s.external_id === externalSubscriptionId && s.status === "active");
  if (!subscription) throw methodNotAllowed("no_active_subscription");

  const chargeId = req.query("charge_id") ?? req.query("filter_by_charge_id");
  const chargeCode = req.query("charge_code") ?? req.query("filter_by_charge_code");
  const metricCode = req.query("billable_metric_code");
  const groupFilter = groupFilterOf(req);
  const hasChargeFilter = !!(chargeId || chargeCode || metricCode);
  const fullUsage = queryBoolean(req.query("full_usage"), false);
  // Full usage needs a charge or group filter and an organisation feature (premium here).
  if (fullUsage && !(lago.premium && (hasChargeFilter || Object.keys(groupFilter).length))) throw methodNotAllowed("full_usage_not_allowed");

  const plan = planOf(lago, subscription);
  const metricOf = (charge: ChargeRow) => billableMetrics.get(charge.billable_metric_id) as BillableMetricRow;
  let charges = liveChargesOf(lago, plan.id).filter((c) => metricOf(c));
  if (chargeId) charges = charges.filter((c) => c.id === chargeId);
  else if (chargeCode) charges = charges.filter((c) => c.code === chargeCode);
  else if (metricCode) charges = charges.filter((c) => metricOf(c).code === metricCode);
  if (hasChargeFilter && !charges.length) throw notFound("charge");
  // Lago lists charges by metric name unless one was asked for.
  if (!hasChargeFilter) charges = [...charges].sort((a, b) => metricOf(a).name.toLowerCase().localeCompare(metricOf(b).name.toLowerCase()));

  const now = lago.now();
  const period = chargesPeriod(lago, subscription, now)!;
  const from = fullUsage ? new Date(subscription.started_at!) : period.from;
  const window: UsageWindow = { fromMs: from.getTime(), toMs: period.to.getTime() };

  const applyTaxes = queryBoolean(req.query("apply_taxes"), true);
  const taxLines: Array<{ amountCents: number; taxes: TaxRecord[] }> = [];
  const chargesUsage = charges.map((charge) => {
    const metric = metricOf(charge);
    const fees = chargeFees(lago, subscription, charge, metric, window, groupFilter);
    const numbers = usageNumbers(fees);
    if (applyTaxes) taxLines.push({ amountCents: numbers.amount_cents, taxes: feeTaxes(lago, charge, subscription, customer) });
    return {
      ...numbers,
      amount_currency: plan.amount_currency,
      charge: { lago_id: charge.id, code: charge.code, charge_model: charge.charge_model, invoice_display_name: charge.invoice_display_name },
      billable_metric: { lago_id: metric.id, name: metric.name, code: metric.code, aggregation_type: metric.aggregation_type },
      filters: filtersUsage(fees, charge),
      grouped_usage: groupedUsage(fees, charge),
      presentation_breakdowns: [],
    };
  });

  const amountCents = chargesUsage.reduce((n, c) => n + c.amount_cents, 0);
  const taxes = applyTaxes ? taxesAmountCents(taxLines) : 0;
  return {
    customer_usage: {
      from_datetime: isoSeconds(from),
      to_datetime: isoSeconds(period.to),
      issuing_date: issuingDate(lago, subscription, customer, now),
      currency: plan.amount_currency,
      amount_cents: amountCents,
      taxes_amount_cents: taxes,
      total_amount_cents: amountCents + taxes,
      lago_invoice_id: null,
      charges_usage: chargesUsage,
    },
  };
}

/** The date the period's invoice is issued on: the last day of the plan's current period. */
function issuingDate(lago: LagoContext, subscription: SubscriptionRow, customer: CustomerRecord, now: Date): string {
  const timezone = ianaTimezone(applicableTimezone(customer));
  const started = subscription.started_at ? new Date(subscription.started_at) : now;
  const reference = now < started ? started : now;
  const plan = planOf(lago, subscription);
  const period = periodContaining(plan.interval, subscription.billing_time, localDate(new Date(subscription.subscription_at), timezone), localDate(reference, timezone));
  return isoDate(zonedInstant(period.last, timezone, 23, 59, 59));
}

export const usage: Room = (api, lago) => {
  api.get("/customers/:external_customer_id/current_usage", (req) => {
    settleSubscriptions(lago); // a downgrade or an expiry may be due
    return currentUsage(lago, req);
  });
};
