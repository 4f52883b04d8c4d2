// Customer current usage (lago-api.md §11; app/services/invoices/customer_usage_service.rb and the
// V1::Customers::UsageSerializer / ChargeUsageSerializer): the active subscription's charges priced on the
// events of the current billing period by the local Lago's own billing (../billing). Only usage charges: the
// subscription fee is not included.
import Decimal from "decimal.js";
import type { components } from "../../lago/wire-types";
import type { ApiRequest, Room } from "../api";
import { chargeFees, type BilledCharge, type Fee } from "../billing/fees";
import { decimalString } from "../billing/money";
import { feeTaxes, usageTaxesAmountCents, type TaxedFee } from "../billing/taxes";
import { isoDate, isoSeconds, type LagoContext } from "../context";
import { applicableTimezone, type CustomerRecord } from "../domain/customers";
import { chargesPeriod, planOf, settleSubscriptions } from "../domain/subscription-lifecycle";
import { LagoHttpError, methodNotAllowed, notFound } from "../errors";
import { ianaTimezone } from "../geography";
import { tables, type ChargeRow, type PlanRow, type SubscriptionRow } from "../model";
import { compareDates, localDate, periodContaining, zonedInstant } from "../periods";
import type { BillableMetricRow } from "./billable-metrics";
import { liveChargesOf } from "./charges";
import { eventIndex } from "./events";
import type { TaxRecord } from "./taxes";

/** The envelope fields Lago's spec gives current usage, which this answer keeps to. */
type UsageEnvelope = Pick<components["schemas"]["CustomerUsageObject"], "from_datetime" | "to_datetime" | "issuing_date" | "amount_cents" | "taxes_amount_cents" | "total_amount_cents">;

/** The numbers every level of `charges_usage` repeats (ChargeUsageSerializer#calculate_usage_data). */
function usageNumbers(fees: readonly Fee[]) {
  return {
    units: decimalString(fees.reduce((sum, f) => sum.plus(f.units), new Decimal(0))),
    total_aggregated_units: decimalString(fees.reduce((sum, f) => sum.plus(f.totalAggregatedUnits), new Decimal(0))),
    events_count: fees.reduce((n, f) => n + f.eventsCount, 0),
    amount_cents: fees.reduce((n, f) => n + f.amountCents, 0),
    pricing_unit_details: null,
  };
}

/** Ruby's group_by: groups in order of first appearance. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

function filtersUsage(fees: readonly Fee[], charge: ChargeRow) {
  if (!charge.filters.length) return [];
  return groupBy(fees, (f) => f.filter?.id ?? "").map((filterFees) => ({
    ...usageNumbers(filterFees),
    invoice_display_name: filterFees[0]!.filter?.invoice_display_name ?? null,
    values: filterFees[0]!.filter ? filterFees[0]!.filter.values : null,
    presentation_breakdowns: [],
  }));
}

function groupedUsage(fees: readonly Fee[], charge: ChargeRow) {
  if (!fees.some((f) => Object.keys(f.groupedBy).length)) return [];
  return groupBy(fees, (f) => JSON.stringify(Object.entries(f.groupedBy).sort(([a], [b]) => (a < b ? -1 : 1)))).map((groupFees) => ({
    ...usageNumbers(groupFees),
    grouped_by: groupFees[0]!.groupedBy,
    filters: filtersUsage(groupFees, charge),
    presentation_breakdowns: [],
  }));
}

/** The taxes a fee bears: the charge's, else the plan's, else the customer's, else the organisation's. */
function taxesOf(lago: LagoContext, charge: ChargeRow, plan: PlanRow, customer: CustomerRecord): TaxRecord[] {
  const { taxes } = tables(lago.store);
  const resolve = (ids: string[] | undefined) => (ids ?? []).map((id) => taxes.get(id)).filter((t): t is TaxRecord => !!t && t.deleted_at === null);
  const organisation = taxes.filter((t) => t.deleted_at === null && (t as TaxRecord).applied_to_organization === true) as TaxRecord[];
  return feeTaxes(resolve(charge.tax_ids), resolve(plan.tax_ids), resolve(customer.tax_ids), organisation) as TaxRecord[];
}

/** Rails' boolean cast of a query value: "false", "0", "f", "off" (any case) are false. */
const queryBoolean = (value: string | undefined, fallback: boolean) => (value === undefined || value === "" ? fallback : !["false", "0", "f", "off"].includes(value.toLowerCase()));

/** `group[key]=value` (or legacy `filter_by_group[key]=value`) query pairs, as UsageFilters holds them. */
function groupFilterOf(req: ApiRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.queries)) {
    const match = /^(?:group|filter_by_group)\[(.+)\]$/.exec(name);
    if (match) out[match[1]!] = [value];
  }
  return out;
}

/** Ruby orders `fees.sort_by { billable_metric.name.downcase }` by the bytes of the down-cased names. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a.toLowerCase(), "utf8"), Buffer.from(b.toLowerCase(), "utf8"));

/** Days in the whole charges period around `at` (DatesService#charges_duration_in_days), however late the subscription started. */
function chargesDurationDays(lago: LagoContext, subscription: SubscriptionRow, customer: CustomerRecord, at: Date): number {
  const plan = planOf(lago, subscription);
  const interval = (plan.interval === "yearly" || plan.interval === "semiannual") && plan.bill_charges_monthly ? "monthly" : plan.interval;
  const timezone = ianaTimezone(applicableTimezone(customer));
  const started = subscription.started_at ? new Date(subscription.started_at) : at;
  const period = periodContaining(interval, subscription.billing_time, localDate(new Date(subscription.subscription_at), timezone), localDate(at < started ? started : at, timezone));
  return compareDates(period.last, period.first) / 86_400_000 + 1;
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

  const now = lago.now();
  const period = chargesPeriod(lago, subscription, now)!;
  const from = fullUsage ? new Date(subscription.started_at!) : period.from;
  // charges_to_datetime is the period's last instant (…:59.999999): events in its last second count
  const boundaries = { fromMs: from.getTime(), toMs: period.to.getTime() + 999, chargesDurationDays: chargesDurationDays(lago, subscription, customer, now) };
  const index = eventIndex(lago);

  let fees: Fee[] = [];
  for (const charge of charges) {
    const metric = metricOf(charge);
    // Sums and unique counts of recurring metrics read every event up to the period's end (no from boundary).
    const fromMs = metric.recurring && metric.aggregation_type !== "weighted_sum_agg" ? 0 : boundaries.fromMs;
    const events = index.eventsBetween(subscription.external_id, metric.code, fromMs, boundaries.toMs);
    const eventsBeforePeriod = metric.recurring && metric.aggregation_type === "weighted_sum_agg" ? index.eventsBetween(subscription.external_id, metric.code, 0, boundaries.fromMs - 1) : [];
    fees.push(...chargeFees({ charge: charge as BilledCharge, metric, events, eventsBeforePeriod, boundaries, currency: plan.amount_currency, premium: lago.premium, groupFilter }));
  }
  // Without a charge filter, fees are listed by metric name (Ruby's sort_by, byte order of the down-cased names).
  if (!hasChargeFilter) fees = [...fees].sort((a, b) => byteOrder(metricOf(chargeById(charges, a)).name, metricOf(chargeById(charges, b)).name));

  const applyTaxes = queryBoolean(req.query("apply_taxes"), true);
  const taxed: TaxedFee[] = applyTaxes ? fees.map((f) => ({ amountCents: f.amountCents, taxes: taxesOf(lago, chargeById(charges, f), plan, customer) })) : [];
  const chargesUsage = groupBy(fees, (f) => f.chargeId).map((chargeFeeList) => {
    const charge = chargeById(charges, chargeFeeList[0]!);
    const metric = metricOf(charge);
    return {
      ...usageNumbers(chargeFeeList),
      amount_currency: plan.amount_currency,
      charge: { lago_id: charge.id, code: charge.code, charge_model: charge.charge_model, invoice_display_name: charge.invoice_display_name },
      billable_metric: { lago_id: metric.id, name: metric.name, code: metric.code, aggregation_type: metric.aggregation_type },
      filters: filtersUsage(chargeFeeList, charge),
      grouped_usage: groupedUsage(chargeFeeList, charge),
      presentation_breakdowns: [],
    };
  });

  const amountCents = fees.reduce((n, f) => n + f.amountCents, 0);
  const taxes = applyTaxes ? usageTaxesAmountCents(taxed) : 0;
  const envelope: UsageEnvelope = {
    from_datetime: isoSeconds(from),
    to_datetime: isoSeconds(period.to),
    issuing_date: issuingDate(lago, subscription, customer, now),
    amount_cents: amountCents,
    taxes_amount_cents: taxes,
    total_amount_cents: amountCents + taxes,
  };
  return {
    customer_usage: {
      from_datetime: envelope.from_datetime,
      to_datetime: envelope.to_datetime,
      issuing_date: envelope.issuing_date,
      currency: plan.amount_currency,
      amount_cents: envelope.amount_cents,
      taxes_amount_cents: envelope.taxes_amount_cents,
      total_amount_cents: envelope.total_amount_cents,
      lago_invoice_id: null,
      charges_usage: chargesUsage,
    },
  };
}

const chargeById = (charges: readonly ChargeRow[], fee: Fee): ChargeRow => charges.find((c) => c.id === fee.chargeId)!;

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
