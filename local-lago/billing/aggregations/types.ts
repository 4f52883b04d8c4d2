// What an aggregation sees and gives back (app/services/billable_metrics/aggregations/base_service.rb).
import type Decimal from "decimal.js";

/** One stored event as aggregations read it. */
export interface BilledEvent {
  /** Unix milliseconds. */
  timestamp_ms: number;
  properties: Record<string, unknown>;
  precise_total_amount_cents: string | null;
}

export interface BilledMetric {
  aggregation_type: string;
  field_name: string | null;
  recurring?: boolean;
  rounding_function?: string | null;
  rounding_precision?: number | null;
}

/** The charge's period as Lago's boundaries hold it. */
export interface AggregationBoundaries {
  /** charges_from_datetime (Unix ms). */
  fromMs: number;
  /** charges_to_datetime (Unix ms, the period's last instant). */
  toMs: number;
  /** charges_duration: days in the whole billing period, even when the subscription started inside it. */
  chargesDurationDays: number;
}

/** The free units a percentage charge asks the aggregation to follow (Fees::ChargeService#options). */
export interface AggregationOptions {
  freeUnitsPerEvents: number;
  freeUnitsPerTotalAggregation: Decimal;
  isPayInAdvance: boolean;
}

export interface AggregationInput {
  metric: BilledMetric;
  /** The events in the charge's window and slice (filter, group), oldest first. */
  events: readonly BilledEvent[];
  /** Recurring weighted sums start from the value held before the period (Lago's cached aggregation). */
  initialValue: Decimal;
  boundaries: AggregationBoundaries;
  options: AggregationOptions;
}

export interface AggregationResult {
  /** `aggregation`: the units the charge model prices. */
  aggregation: Decimal;
  /** `current_usage_units`, set by the services that set it (count, and pay-in-advance sums and unique counts). */
  currentUsageUnits: Decimal | null;
  /** `count`: the events_count Lago reports. */
  count: number;
  /** Weighted sums only (the variation, plus the initial value when recurring); null otherwise. */
  totalAggregatedUnits: Decimal | null;
  /** Sum of the events' precise_total_amount_cents (dynamic charges). */
  preciseTotalAmountCents: Decimal;
  /** `options[:running_total]`: cumulative values for the free units of percentage charges; null when not set. */
  runningTotal: Decimal[] | null;
  /** `per_event_aggregation`: one value per event, for per-transaction bounds of percentage charges. */
  perEventValues: () => Decimal[];
}
