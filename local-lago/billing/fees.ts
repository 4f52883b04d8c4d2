// A charge's fees for current usage (app/services/fees/charge_service.rb): one slice per charge filter (oldest
// first) and one for the events matching none, or the whole charge without filters; each slice split by its
// own pricing group keys (the filter's, the charge's for the default slice). Each fee is aggregated, priced,
// floored at zero units and amount when either is negative, and rounded to the currency. Fees with nothing
// (0 units, 0 cents, 0 events) are dropped, and a slice left without fees gets one zero fee back, grouped by
// its keys with null values.
import Decimal from "decimal.js";
import { aggregate, type AggregationBoundaries, type AggregationResult, type BilledEvent, type BilledMetric } from "./aggregations";
import { chargeModelAmount, type Properties } from "./charge-models";
import { propertyText } from "./event-values";
import { inScope, sliceScope, type FilterValues, type SliceScope } from "./filters";
import { amountCents, bigDecimal, ZERO } from "./money";

export interface BilledChargeFilter {
  id: string;
  invoice_display_name: string | null;
  properties: Properties;
  values: FilterValues;
}

export interface BilledCharge {
  id: string;
  charge_model: string;
  pay_in_advance: boolean;
  properties: Properties;
  filters: readonly BilledChargeFilter[];
  accepts_target_wallet?: boolean;
}

export interface BillableMetricDefinition extends BilledMetric {
  filters: ReadonlyArray<{ key: string; values: string[] }>;
}

export interface ChargeFeeInput {
  charge: BilledCharge;
  metric: BillableMetricDefinition;
  /** The metric's events in the charge window (for recurring metrics, from the beginning), oldest first. */
  events: readonly BilledEvent[];
  /** Events of the same metric before the period (recurring weighted sums start from their sum). */
  eventsBeforePeriod: readonly BilledEvent[];
  boundaries: AggregationBoundaries;
  currency: string;
  premium: boolean;
  /** `group[key]=value` of the usage query: matched, and no longer a grouping key. */
  groupFilter: Record<string, string[]>;
}

export interface Fee {
  chargeId: string;
  /** undefined: the charge has no filters; null: the default slice of a charge with filters. */
  filter: BilledChargeFilter | null | undefined;
  groupedBy: Record<string, string | null>;
  units: Decimal;
  totalAggregatedUnits: Decimal;
  eventsCount: number;
  amount: Decimal;
  amountCents: number;
}

/** ChargeFilter#pricing_group_keys / Charge#pricing_group_keys: pricing_group_keys, else the legacy grouped_by. */
function pricingGroupKeys(properties: Properties): string[] {
  const keys = Array.isArray(properties.pricing_group_keys) && properties.pricing_group_keys.length ? properties.pricing_group_keys : properties.grouped_by;
  return Array.isArray(keys) ? keys.map(String) : [];
}

function groupKeysOf(input: ChargeFeeInput, properties: Properties): string[] {
  const keys = pricingGroupKeys(properties);
  if (input.charge.accepts_target_wallet && !keys.includes("target_wallet_code")) keys.push("target_wallet_code");
  return keys.filter((k) => !(k in input.groupFilter));
}

/** Events per group (`build_groups`: an absent or empty value is null), in order of first appearance. */
function groups(events: readonly BilledEvent[], keys: string[]): Array<{ groupedBy: Record<string, string | null>; events: BilledEvent[] }> {
  const byId = new Map<string, { groupedBy: Record<string, string | null>; events: BilledEvent[] }>();
  for (const event of events) {
    const groupedBy = Object.fromEntries(keys.map((k) => [k, propertyText(event.properties[k]) || null]));
    const id = JSON.stringify(groupedBy);
    let group = byId.get(id);
    if (!group) byId.set(id, (group = { groupedBy, events: [] }));
    group.events.push(event);
  }
  return [...byId.values()];
}

/** Sum of the values before the period, per group key set (the initial value of a recurring weighted sum). */
function initialValue(input: ChargeFeeInput, scope: SliceScope, groupedBy: Record<string, string | null>): Decimal {
  if (input.metric.aggregation_type !== "weighted_sum_agg" || !input.metric.recurring) return ZERO;
  const field = input.metric.field_name ?? "";
  let total = ZERO;
  for (const event of input.eventsBeforePeriod) {
    if (!inScope(event, scope)) continue;
    if (Object.entries(groupedBy).some(([k, v]) => (propertyText(event.properties[k]) || null) !== v)) continue;
    const text = propertyText(event.properties[field]);
    if (text !== null && /^-?\d+(\.\d+)?$/.test(text)) total = total.plus(text);
  }
  return total;
}

function feeOf(input: ChargeFeeInput, filter: Fee["filter"], properties: Properties, groupedBy: Record<string, string | null>, aggregation: AggregationResult): Fee {
  const { charge, currency, premium } = input;
  let units = aggregation.aggregation;
  let amount = chargeModelAmount(charge.charge_model, { units, aggregation, properties, currency, premium });
  // "Prevent trying to create a fee with negative units or amount."
  if (units.isNegative() || amount.isNegative()) {
    units = ZERO;
    amount = ZERO;
  }
  // Pay-in-advance charges report their current_usage_units in current usage.
  if (charge.pay_in_advance && aggregation.currentUsageUnits !== null) units = aggregation.currentUsageUnits;
  return {
    chargeId: charge.id,
    filter,
    groupedBy,
    units,
    totalAggregatedUnits: aggregation.totalAggregatedUnits ?? units,
    eventsCount: aggregation.count,
    amount,
    amountCents: amountCents(amount, currency),
  };
}

function sliceFees(input: ChargeFeeInput, filter: Fee["filter"], properties: Properties, scope: SliceScope | null): Fee[] {
  const { metric, boundaries } = input;
  const options = {
    freeUnitsPerEvents: typeof properties.free_units_per_events === "number" ? Math.trunc(properties.free_units_per_events) : parseInt(String(properties.free_units_per_events ?? 0), 10) || 0,
    freeUnitsPerTotalAggregation: bigDecimal(properties.free_units_per_total_aggregation ?? 0),
    isPayInAdvance: input.charge.pay_in_advance,
  };
  const effective: SliceScope = scope
    ? { matching: { ...scope.matching, ...input.groupFilter }, ignored: scope.ignored }
    : { matching: { ...input.groupFilter }, ignored: [] };
  const events = input.events.filter((e) => inScope(e, effective));
  const keys = groupKeysOf(input, properties);
  const run = (groupEvents: BilledEvent[], groupedBy: Record<string, string | null>) =>
    feeOf(input, filter, properties, groupedBy, aggregate({ metric, events: groupEvents, boundaries, options, initialValue: initialValue(input, effective, groupedBy) }));

  const found = keys.length ? groups(events, keys).map((g) => run(g.events, g.groupedBy)) : [run(events, {})];
  const kept = found.filter((f) => !f.units.isZero() || f.amountCents !== 0 || f.eventsCount !== 0);
  if (kept.length) return kept;
  // hydrate_non_persistable_fees: the zero aggregation, grouped by every key with a null value
  return [run([], Object.fromEntries(keys.map((k) => [k, null])))];
}

/** The fees of one charge, filters in their order and then the default slice. */
export function chargeFees(input: ChargeFeeInput): Fee[] {
  const { charge, metric } = input;
  if (!charge.filters.length) return sliceFees(input, undefined, charge.properties, null);
  const values = charge.filters.map((f) => f.values);
  const fees = charge.filters.flatMap((filter, index) => sliceFees(input, filter, filter.properties, sliceScope(values, index, metric.filters)));
  const defaultProperties = { ...charge.properties, pricing_group_keys: pricingGroupKeys(charge.properties) };
  return [...fees, ...sliceFees(input, null, defaultProperties, sliceScope(values, null, metric.filters))];
}
