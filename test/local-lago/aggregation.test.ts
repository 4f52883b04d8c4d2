// lago-api.md §11: the local Lago's aggregations (local-lago/billing/aggregations), checked against values computed by hand.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { aggregate, type BilledEvent, type BilledMetric } from "../../local-lago/billing/aggregations";

const T0 = Date.UTC(2024, 0, 1);
const at = (second: number, properties: Record<string, unknown>, cents: string | null = null): BilledEvent => ({ timestamp_ms: T0 + second * 1000, properties, precise_total_amount_cents: cents });
/** A one-day period: its units are per 86,400 seconds. */
const boundaries = { fromMs: T0, toMs: T0 + 86_400_000 - 1, chargesDurationDays: 1 };
const noFreeUnits = { freeUnitsPerEvents: 0, freeUnitsPerTotalAggregation: new Decimal(0), isPayInAdvance: false };
const run = (metric: BilledMetric, events: BilledEvent[]) => aggregate({ metric, events, boundaries, options: noFreeUnits, initialValue: new Decimal(0) });
const metric = (aggregation_type: string, field_name: string | null = "v"): BilledMetric => ({ aggregation_type, field_name });

describe("§11 aggregations", () => {
  it("unique_count_agg counts distinct values; a remove withdraws an earlier add, a later add restores it", () => {
    const events = [at(1, { user_id: "a" }), at(2, { user_id: "b" }), at(3, { user_id: "a" }), at(4, { user_id: "b", operation_type: "remove" }), at(5, { user_id: "c" }), at(6, { user_id: "c", operation_type: "remove" }), at(7, { user_id: "c" })];
    const result = run(metric("unique_count_agg", "user_id"), events);
    expect(result.aggregation.toString()).toBe("2"); // a and c
    expect(result.count).toBe(2); // Lago reports the unique count as events_count
  });

  it("count, sum, max and latest read the field; events without a number in it are not counted", () => {
    const events = [at(1, { v: 4 }), at(2, { v: "2.5" }), at(3, { v: "n/a" }), at(4, { v: 1 })];
    expect(run(metric("count_agg", null), events).aggregation.toString()).toBe("4");
    const sum = run(metric("sum_agg"), events);
    expect([sum.aggregation.toString(), sum.count]).toEqual(["7.5", 3]);
    expect(run(metric("max_agg"), events).aggregation.toString()).toBe("4");
    expect(run(metric("latest_agg"), events).aggregation.toString()).toBe("1");
  });

  it("weighted_sum_agg weighs the running total by the seconds it held over the period", () => {
    // 0 for 6h, 10 for 12h, 4 for the last 6h of the day: (10×12 + 4×6) / 24 = 6
    const events = [at(6 * 3600, { v: 10 }), at(18 * 3600, { v: -6 })];
    const result = run(metric("weighted_sum_agg"), events);
    expect(result.aggregation.toString()).toBe("6");
    expect(result.totalAggregatedUnits?.toString()).toBe("4");
  });

  it("applies the metric's rounding to the units", () => {
    const events = [at(1, { v: "1.26" }), at(2, { v: "1.2" })];
    expect(run({ aggregation_type: "sum_agg", field_name: "v", rounding_function: "round", rounding_precision: 1 }, events).aggregation.toString()).toBe("2.5");
    expect(run({ aggregation_type: "sum_agg", field_name: "v", rounding_function: "ceil", rounding_precision: 0 }, events).aggregation.toString()).toBe("3");
  });
});
