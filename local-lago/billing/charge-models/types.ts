// What a charge model sees (app/services/charge_models/base_service.rb): the aggregation of one slice and the
// properties that price it (the filter's, or the charge's).
import type Decimal from "decimal.js";
import type { AggregationResult } from "../aggregations";

export type Properties = Record<string, unknown>;

export interface ChargeModelInput {
  units: Decimal;
  aggregation: AggregationResult;
  properties: Properties;
  currency: string;
  /** License.premium? (per-transaction bounds of percentage charges). */
  premium: boolean;
}

/** A charge model returns the amount in currency units, at full precision. */
export type ChargeModel = (input: ChargeModelInput) => Decimal;
