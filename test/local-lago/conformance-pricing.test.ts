// The local Lago's charge models and aggregations (local-lago/billing) on cases where Lago v1.51.0's code decides
// what lago-api.md does not say. Each test names the Lago file it follows.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { aggregate, type AggregationResult, type BilledEvent } from "../../local-lago/billing/aggregations";
import { chargeModelAmount } from "../../local-lago/billing/charge-models";
import { usageTaxesAmountCents } from "../../local-lago/billing/taxes";
import { amountCents } from "../../local-lago/billing/money";
import { useLocalLago } from "../support/local-lago";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 3, 1); // a 30-day month
const noFree = { freeUnitsPerEvents: 0, freeUnitsPerTotalAggregation: new Decimal(0), isPayInAdvance: false };
const event = (ms: number, properties: Record<string, unknown>): BilledEvent => ({ timestamp_ms: ms, properties, precise_total_amount_cents: null });
const zeroAggregation = (): AggregationResult => ({
  aggregation: new Decimal(0),
  currentUsageUnits: null,
  count: 0,
  totalAggregatedUnits: null,
  preciseTotalAmountCents: new Decimal(0),
  runningTotal: [],
  perEventValues: () => [],
});
const price = (model: string, units: Decimal.Value, properties: Record<string, unknown>, aggregation: Partial<AggregationResult> = {}) =>
  chargeModelAmount(model, { units: new Decimal(units), aggregation: { ...zeroAggregation(), ...aggregation }, properties, currency: "USD", premium: true }).toString();

describe("weighted sums over the billing period (billable_metrics/aggregations/weighted_sum_service.rb, events/stores/postgres/weighted_sum_query.rb)", () => {
  const metric = { aggregation_type: "weighted_sum_agg", field_name: "seats" };
  it("a subscription started mid-period is prorated over the whole period, not averaged over its own days", () => {
    // started on day 16 of 30; 10 seats from its start to the period's end: 10 × 15 / 30 = 5
    const boundaries = { fromMs: T0 + 15 * DAY, toMs: T0 + 30 * DAY - 1, chargesDurationDays: 30 };
    const result = aggregate({ metric, events: [event(T0 + 15 * DAY, { seats: 10 })], boundaries, options: noFree, initialValue: new Decimal(0) });
    expect(result.aggregation.toString()).toBe("5");
    expect(result.totalAggregatedUnits?.toString()).toBe("10");
  });

  it("a recurring metric starts from the value held before the period, and the last value holds to the period's end", () => {
    const boundaries = { fromMs: T0, toMs: T0 + 30 * DAY - 1, chargesDurationDays: 30 };
    // 4 held all month, +2 from day 11: (4 × 30 + 2 × 20) / 30
    const result = aggregate({ metric: { ...metric, recurring: true }, events: [event(T0 + 10 * DAY, { seats: "2" })], boundaries, options: noFree, initialValue: new Decimal(4) });
    // (Postgres divides each hold at ≥ 16 significant digits; compared here to 10 decimals)
    expect(result.aggregation.toDecimalPlaces(10).toString()).toBe("5.3333333333");
    expect(result.totalAggregatedUnits?.toString()).toBe("6");
  });
});

describe("unique counts (events/stores/postgres/unique_count_query.rb)", () => {
  const boundaries = { fromMs: T0, toMs: T0 + DAY, chargesDurationDays: 30 };
  const count = (...events: Array<Record<string, unknown>>) =>
    aggregate({ metric: { aggregation_type: "unique_count_agg", field_name: "u" }, events: events.map((p, i) => event(T0 + i, p)), boundaries, options: noFree, initialValue: new Decimal(0) });

  it("any operation other than add withdraws, a repeated operation does nothing, and the first remove of a value is ignored", () => {
    expect(count({ u: "a", operation_type: "remove" }, { u: "a" }).aggregation.toString()).toBe("1");
    expect(count({ u: "a" }, { u: "a", operation_type: "delete" }).aggregation.toString()).toBe("0");
    // add, delete (−1), remove (−1: it differs from the delete before it): the value counts −1
    expect(count({ u: "a" }, { u: "b" }, { u: "a", operation_type: "delete" }, { u: "a", operation_type: "remove" }).aggregation.toString()).toBe("0");
  });

  it("values compare as Postgres' text of the JSON value: 1 and \"1\" are one value", () => {
    expect(count({ u: 1 }, { u: "1" }, { u: true }, { u: "true" }).aggregation.toString()).toBe("2");
  });
});

describe("charge models (charge_models/*)", () => {
  it("graduated bills the first range's flat fee at zero units; adjacent ranges bill to − from, others one more (graduated_service.rb, amount_details/range_graduated_service.rb)", () => {
    const open = (from: number, to: number | null, perUnit: string, flat = "0") => ({ from_value: from, to_value: to, per_unit_amount: perUnit, flat_amount: flat });
    expect(price("graduated", 0, { graduated_ranges: [open(0, 10, "1", "5"), open(10, null, "2", "7")] })).toBe("5");
    expect(price("graduated", 15, { graduated_ranges: [open(0, 10, "1"), open(10, null, "2")] })).toBe("20"); // 10 + 5 × 2
    expect(price("graduated", 15, { graduated_ranges: [open(0, 10, "1"), open(11, null, "2")] })).toBe("20"); // 10 + (15 − 11 + 1) × 2
  });

  it("volume raises when no range holds the units, as Lago's nil[:flat_amount] does (volume_service.rb)", () => {
    const ranges = { volume_ranges: [{ from_value: 1, to_value: 10, per_unit_amount: "1", flat_amount: "0" }, { from_value: 11, to_value: null, per_unit_amount: "0.5", flat_amount: "0" }] };
    expect(price("volume", 11, ranges)).toBe("5.5");
    expect(() => price("volume", 0, ranges)).toThrow(/no volume range/);
  });

  it("graduated_percentage: a full range owns to − max(from, 1) + 1 units (amount_details/range_graduated_percentage_service.rb)", () => {
    const ranges = { graduated_percentage_ranges: [{ from_value: 0, to_value: 100, rate: "10", flat_amount: "1" }, { from_value: 101, to_value: null, rate: "1", flat_amount: "0" }] };
    // 100 × 10% + 1, then (150 − 101 + 1) × 1%
    expect(price("graduated_percentage", 150, ranges)).toBe("11.5");
  });

  it("percentage with both free units: a sum's running total stops after the free events, so the smaller free amount wins (percentage_service.rb, aggregations/sum_service.rb#running_total)", () => {
    const values = [5, 5, 5].map((v) => new Decimal(v));
    const properties = { rate: "10", free_units_per_events: 2, free_units_per_total_aggregation: "4" };
    const options = { freeUnitsPerEvents: 2, freeUnitsPerTotalAggregation: new Decimal(4), isPayInAdvance: false };
    const boundaries = { fromMs: T0, toMs: T0 + DAY, chargesDurationDays: 30 };
    const aggregation = aggregate({ metric: { aggregation_type: "sum_agg", field_name: "v" }, events: values.map((v, i) => event(T0 + i, { v: v.toNumber() })), boundaries, options, initialValue: new Decimal(0) });
    expect(aggregation.runningTotal?.map(String)).toEqual(["5", "10"]);
    // (15 − 4) × 10%
    expect(chargeModelAmount("percentage", { units: aggregation.aggregation, aggregation, properties, currency: "USD", premium: false }).toString()).toBe("1.1");
  });

  it("package: a started package is paid in full, nothing within the free units (package_service.rb)", () => {
    expect(price("package", 21, { amount: "5", package_size: 10, free_units: 0 })).toBe("15");
    expect(price("package", 3, { amount: "5", package_size: 10, free_units: 3 })).toBe("0");
  });
});

describe("money and taxes", () => {
  it("a fee is rounded half away from zero to the currency's exponent, then × subunit_to_unit (fees/charge_service.rb#init_fee)", () => {
    expect(amountCents(new Decimal("0.125"), "USD")).toBe(13);
    expect(amountCents(new Decimal("12.5"), "JPY")).toBe(13);
    expect(amountCents(new Decimal("1.2345"), "KWD")).toBe(1235);
  });

  it("taxes: per tax Σ(cents × rate)/100, summed across taxes unrounded, rounded once (invoices/apply_taxes_service.rb)", () => {
    const t1 = { id: "t1", rate: 5 };
    const t2 = { id: "t2", rate: 5 };
    expect(usageTaxesAmountCents([{ amountCents: 10, taxes: [t1, t2] }])).toBe(1);
    expect(usageTaxesAmountCents([{ amountCents: 15, taxes: [t1] }, { amountCents: 15, taxes: [t1, t2] }])).toBe(2); // 0.75 + 0.75 + 0.75 = 2.25
  });
});

describe("precise_total_amount_cents as Lago's decimal column casts it (events/create_service.rb, spec/services/events/create_service_spec.rb)", () => {
  const lago = useLocalLago({ resetEach: true });
  it("a string that is not a number is stored as 0, its leading number otherwise; 15 decimals are kept", async () => {
    const send = (transaction_id: string, precise_total_amount_cents: unknown) => lago.http("POST", "/events", { event: { transaction_id, code: "c", external_subscription_id: "s", precise_total_amount_cents } });
    expect((await send("a", "asdfa")).body.event.precise_total_amount_cents).toBe("0.0");
    expect((await send("b", "12abc")).body.event.precise_total_amount_cents).toBe("12.0");
    expect((await send("c", "0.1234567890123456")).body.event.precise_total_amount_cents).toBe("0.123456789012346");
  });
});
