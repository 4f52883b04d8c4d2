// lago-api.md §11: the local Lago's aggregations, checked against values computed by hand.
import { describe, expect, it } from "vitest";
import { aggregate, type AggregatedEvent } from "../../local-lago/aggregation";

describe("§11 aggregations", () => {
  const at = (second: number, properties: Record<string, unknown>, cents: string | null = null): AggregatedEvent => ({
    timestamp_ms: 1_700_000_000_000 + second * 1000,
    properties,
    precise_total_amount_cents: cents,
  });
  const period = { fromMs: 1_700_000_000_000, toMs: 1_700_000_000_000 + 100_000 };
  const metric = (aggregation_type: string, field_name: string | null = "v") => ({ aggregation_type, field_name });

  it("unique_count_agg counts distinct values; a remove withdraws an earlier add, a later add restores it", () => {
    const events = [at(1, { user_id: "a" }), at(2, { user_id: "b" }), at(3, { user_id: "a" }), at(4, { user_id: "b", operation_type: "remove" }), at(5, { user_id: "c" }), at(6, { user_id: "c", operation_type: "remove" }), at(7, { user_id: "c" })];
    const result = aggregate(metric("unique_count_agg", "user_id"), events, period);
    expect(result.units.toString()).toBe("2"); // a and c
    expect(result.eventsCount).toBe(7);
  });

  it("count, sum, max and latest read the field; events without a number in it are not counted", () => {
    const events = [at(1, { v: 4 }), at(2, { v: "2.5" }), at(3, { v: "n/a" }), at(4, { v: 1 })];
    expect(aggregate(metric("count_agg", null), events, period).units.toString()).toBe("4");
    const sum = aggregate(metric("sum_agg"), events, period);
    expect([sum.units.toString(), sum.eventsCount]).toEqual(["7.5", 3]);
    expect(aggregate(metric("max_agg"), events, period).units.toString()).toBe("4");
    expect(aggregate(metric("latest_agg"), events, period).units.toString()).toBe("1");
  });

  it("weighted_sum_agg averages the running total over the period", () => {
    // 0 for 20s, 10 for 40s, 4 for the last 40s of a 100s period: (0×20 + 10×40 + 4×40) / 100 = 5.6
    const events = [at(20, { v: 10 }), at(60, { v: -6 })];
    const result = aggregate({ aggregation_type: "weighted_sum_agg", field_name: "v" }, events, period);
    expect(result.units.toString()).toBe("5.6");
    expect(result.totalAggregatedUnits.toString()).toBe("4");
  });

  it("applies the metric's rounding to the units", () => {
    const events = [at(1, { v: "1.26" }), at(2, { v: "1.2" })];
    expect(aggregate({ aggregation_type: "sum_agg", field_name: "v", rounding_function: "round", rounding_precision: 1 }, events, period).units.toString()).toBe("2.5");
    expect(aggregate({ aggregation_type: "sum_agg", field_name: "v", rounding_function: "ceil", rounding_precision: 0 }, events, period).units.toString()).toBe("3");
  });
});
