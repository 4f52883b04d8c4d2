// lago-api.md §11: the charge-model math in provider/pricing, checked against values computed by hand.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  chargeAmount,
  decimalString,
  dynamicAmount,
  graduatedAmount,
  graduatedPercentageAmount,
  packageAmount,
  percentageAmount,
  planBill,
  priceCharge,
  sampleLevels,
  standardAmount,
  toAmountCents,
  volumeAmount,
} from "../../provider/pricing";
import { teamGraduatedRanges } from "../support/segment-team";

const d = (v: string | number) => new Decimal(v);

/** The §12 Segment Team plan's MTU ranges, exactly as the plan payload sends them. */
const segmentTeam = { graduated_ranges: teamGraduatedRanges };

describe("§11 graduated: the Segment Team plan", () => {
  it("5,000 MTUs stay in the free range: $0", () => {
    expect(graduatedAmount(d(5000), segmentTeam).toString()).toBe("0");
    expect(toAmountCents(graduatedAmount(d(5000), segmentTeam), "USD")).toBe(0);
  });

  it("10,001 MTUs bill one unit of the second range ('+1' style: 10001 − 10001 + 1): $0.012 → 1 cent", () => {
    expect(graduatedAmount(d(10001), segmentTeam).toString()).toBe("0.012");
    expect(toAmountCents(graduatedAmount(d(10001), segmentTeam), "USD")).toBe(1);
  });

  it("30,000 MTUs: 15,000 × 0.012 + 5,000 × 0.011 = $235 → 23500", () => {
    expect(graduatedAmount(d(30000), segmentTeam).toString()).toBe("235");
    expect(toAmountCents(graduatedAmount(d(30000), segmentTeam), "USD")).toBe(23500);
  });

  it("150,000 MTUs: 180 + 75,000 × 0.011 + 50,000 × 0.010 = $1,505 → 150500", () => {
    expect(graduatedAmount(d(150000), segmentTeam).toString()).toBe("1505");
    expect(toAmountCents(graduatedAmount(d(150000), segmentTeam), "USD")).toBe(150500);
  });
});

describe("§11 graduated: range styles and flat fees", () => {
  const adjacent = {
    graduated_ranges: [
      { from_value: 0, to_value: 100, per_unit_amount: "1", flat_amount: "0" },
      { from_value: 100, to_value: 200, per_unit_amount: "2", flat_amount: "0" },
      { from_value: 200, to_value: null, per_unit_amount: "3", flat_amount: "0" },
    ],
  };
  const plusOne = {
    graduated_ranges: [
      { from_value: 0, to_value: 100, per_unit_amount: "1", flat_amount: "0" },
      { from_value: 101, to_value: 200, per_unit_amount: "2", flat_amount: "0" },
      { from_value: 201, to_value: null, per_unit_amount: "3", flat_amount: "0" },
    ],
  };

  it("adjacent ranges bill the plain difference: 100×1 + 100×2 + 50×3 = 450 at 250 units", () => {
    expect(graduatedAmount(d(250), adjacent).toString()).toBe("450");
  });

  it("'+1' ranges bill the same units: 100×1 + (200−101+1)×2 + (250−201+1)×3 = 450", () => {
    expect(graduatedAmount(d(250), plusOne).toString()).toBe("450");
  });

  it("the first range's flat fee is charged even at zero units; later flat fees only once reached", () => {
    const withFlat = {
      graduated_ranges: [
        { from_value: 0, to_value: 10, per_unit_amount: "1", flat_amount: "5" },
        { from_value: 11, to_value: null, per_unit_amount: "0.5", flat_amount: "7" },
      ],
    };
    expect(graduatedAmount(d(0), withFlat).toString()).toBe("5");
    expect(graduatedAmount(d(10), withFlat).toString()).toBe("15"); // 10×1 + 5
    expect(graduatedAmount(d(12), withFlat).toString()).toBe("23"); // 15 + 2×0.5 + 7
  });
});

describe("§11 volume", () => {
  const ranges = {
    volume_ranges: [
      { from_value: 0, to_value: 100, per_unit_amount: "2", flat_amount: "10" },
      { from_value: 101, to_value: null, per_unit_amount: "1", flat_amount: "0" },
    ],
  };

  it("the range holding the total prices every unit: 50 × 2 + 10 = 110", () => {
    expect(volumeAmount(d(50), ranges).toString()).toBe("110");
  });

  it("past the first range every unit gets the cheaper price: 150 × 1 = 150", () => {
    expect(volumeAmount(d(150), ranges).toString()).toBe("150");
  });

  it("a fractional total between ranges is matched by its ceiling: 100.5 × 1 = 100.5", () => {
    expect(volumeAmount(d("100.5"), ranges).toString()).toBe("100.5");
  });
});

describe("§11 package", () => {
  const pkg = { amount: "5", package_size: 100, free_units: 10 };

  it("free units cost nothing, then each started package costs the amount", () => {
    expect(packageAmount(d(0), pkg).toString()).toBe("0");
    expect(packageAmount(d(10), pkg).toString()).toBe("0");
    expect(packageAmount(d(11), pkg).toString()).toBe("5");
    expect(packageAmount(d(110), pkg).toString()).toBe("5");
    expect(packageAmount(d(111), pkg).toString()).toBe("10");
  });
});

describe("§11 percentage", () => {
  const values = [d(100), d(50), d(10)];
  const usage = (premium = true) => ({ units: d(160), eventValues: values, premium });

  it("rate % of the units plus the fixed amount per event: 160 × 2.5% + 3 × 0.1 = 4.3", () => {
    expect(percentageAmount(usage(), { rate: "2.5", fixed_amount: "0.1" }).toString()).toBe("4.3");
  });

  it("free_units_per_events: the first event is free: 60 × 2.5% + 2 × 0.1 = 1.7", () => {
    expect(percentageAmount(usage(), { rate: "2.5", fixed_amount: "0.1", free_units_per_events: 1 }).toString()).toBe("1.7");
  });

  it("free_units_per_total_aggregation: 120 free units: 40 × 2.5% + 2 × 0.1 = 1.2", () => {
    expect(percentageAmount(usage(), { rate: "2.5", fixed_amount: "0.1", free_units_per_total_aggregation: "120" }).toString()).toBe("1.2");
  });

  it("premium per-transaction bounds clamp each event: 0.1→0.5, 2→1, 0.6 = 2.1; ignored without premium (2.7)", () => {
    const bounded = { rate: "1", per_transaction_min_amount: "0.5", per_transaction_max_amount: "1" };
    const events = { units: d(270), eventValues: [d(10), d(200), d(60)] };
    expect(percentageAmount({ ...events, premium: true }, bounded).toString()).toBe("2.1");
    expect(percentageAmount({ ...events, premium: false }, bounded).toString()).toBe("2.7");
  });
});

describe("§11 standard, graduated_percentage, dynamic", () => {
  it("standard: units × amount, 1234 × 0.0015 = 1.851 → 185 cents", () => {
    expect(standardAmount(d(1234), { amount: "0.0015" }).toString()).toBe("1.851");
    expect(toAmountCents(standardAmount(d(1234), { amount: "0.0015" }), "USD")).toBe(185);
  });

  it("graduated_percentage: 100 units at 1% + 50 units at 2% + 0.5 flat = 2.5", () => {
    const ranges = {
      graduated_percentage_ranges: [
        { from_value: 0, to_value: 100, rate: "1", flat_amount: "0" },
        { from_value: 101, to_value: null, rate: "2", flat_amount: "0.5" },
      ],
    };
    expect(graduatedPercentageAmount(d(150), ranges).toString()).toBe("2.5");
  });

  it("dynamic: the events' precise cents in currency units (1234.5 cents = $12.345 → 1235 half up)", () => {
    const amount = dynamicAmount(d(3), d("1234.5"), "USD");
    expect(amount.toString()).toBe("12.345");
    expect(toAmountCents(amount, "USD")).toBe(1235);
    expect(toAmountCents(dynamicAmount(d(3), d("1234.5"), "JPY"), "JPY")).toBe(1235);
  });

  it("never bills a negative amount", () => {
    const usage = { units: d(-5), eventValues: [], premium: true, preciseTotalAmountCents: d(0) };
    expect(chargeAmount("standard", { amount: "2" }, usage, "USD").toString()).toBe("0");
  });
});

describe("§11 rounding to the currency and unit strings", () => {
  it("rounds half up to the currency's decimals before converting to minor units", () => {
    expect(toAmountCents(d("0.005"), "USD")).toBe(1);
    expect(toAmountCents(d("0.0049"), "USD")).toBe(0);
    expect(toAmountCents(d("12.5"), "JPY")).toBe(13);
    expect(toAmountCents(d("1.2345"), "KWD")).toBe(1235);
  });

  it("writes decimals like Lago's JSON: at least one decimal, never an exponent", () => {
    expect(decimalString(d(30000))).toBe("30000.0");
    expect(decimalString(d("0.012"))).toBe("0.012");
    expect(decimalString(d("1e21"))).toBe("1000000000000000000000.0");
  });
});

describe("priceCharge: the tier walk a reviewer reads", () => {
  const team = { code: "mtu", charge_model: "graduated", properties: segmentTeam };
  const line = (t: { index: number; units: Decimal; amount: Decimal }) => [t.index, t.units.toString(), t.amount.toString()];

  it("30,000 MTUs on Team: 10,000 free, 15,000 × 0.012 = 180, 5,000 × 0.011 = 55; $235 → 23500", () => {
    const priced = priceCharge(team, 30000);
    expect(priced.tiers!.map(line)).toEqual([
      [0, "10000", "0"],
      [1, "15000", "180"],
      [2, "5000", "55"],
    ]);
    expect([priced.units.toString(), priced.amount.toString(), priced.amountCents, priced.priced]).toEqual(["30000", "235", 23500, true]);
  });

  it("150,000 MTUs walk all four tiers: 0 + 180 + 75,000 × 0.011 + 50,000 × 0.010 = 1505", () => {
    expect(priceCharge(team, "150000").tiers!.map(line)).toEqual([
      [0, "10000", "0"],
      [1, "15000", "180"],
      [2, "75000", "825"],
      [3, "50000", "500"],
    ]);
  });

  it("5,000 MTUs stop in the first tier; 10,001 reach one unit of the second", () => {
    expect(priceCharge(team, 5000).tiers!.map(line)).toEqual([[0, "5000", "0"]]);
    expect(priceCharge(team, 10001).tiers!.map(line)).toEqual([
      [0, "10000", "0"],
      [1, "1", "0.012"],
    ]);
  });

  it("volume names the one range that priced every unit; graduated_percentage its rates", () => {
    const volume = { code: "v", charge_model: "volume", properties: { volume_ranges: [{ from_value: 0, to_value: 100, per_unit_amount: "2", flat_amount: "10" }, { from_value: 101, to_value: null, per_unit_amount: "1", flat_amount: "0" }] } };
    expect(priceCharge(volume, 150).tiers!.map(line)).toEqual([[1, "150", "150"]]);
    const percent = { code: "p", charge_model: "graduated_percentage", properties: { graduated_percentage_ranges: [{ from_value: 0, to_value: 100, rate: "1", flat_amount: "0" }, { from_value: 101, to_value: null, rate: "2", flat_amount: "0.5" }] } };
    const priced = priceCharge(percent, 150);
    expect(priced.tiers!.map((t) => [t.units.toString(), t.rate!.toString(), t.amount.toString()])).toEqual([
      ["100", "1", "1"],
      ["50", "2", "1.5"],
    ]);
    expect(priced.amount.toString()).toBe("2.5");
  });

  it("standard and package have no tiers; dynamic is not priced by the plan", () => {
    expect(priceCharge({ code: "s", charge_model: "standard", properties: { amount: "0.0015" } }, 1234)).toMatchObject({ amountCents: 185, tiers: null, priced: true });
    expect(priceCharge({ code: "k", charge_model: "package", properties: { amount: "5", package_size: 100, free_units: 10 } }, 111).amountCents).toBe(1000);
    expect(priceCharge({ code: "d", charge_model: "dynamic", properties: {} }, 10)).toMatchObject({ amountCents: 0, priced: false });
  });

  it("percentage: the units spread over the events: 160 × 2.5% + 4 events × 0.1 = 4.4; one event without a count: 4.1", () => {
    const charge = { code: "p", charge_model: "percentage", properties: { rate: "2.5", fixed_amount: "0.1" } };
    expect(priceCharge(charge, { units: 160, eventsCount: 4 }).amount.toString()).toBe("4.4");
    expect(priceCharge(charge, 160).amount.toString()).toBe("4.1");
  });

  it("slices are priced on their own with their filter's properties and rounded one by one", () => {
    const charge = {
      code: "calls",
      charge_model: "standard",
      properties: { amount: "0.005" },
      filters: [{ values: { region: ["eu"] }, properties: { amount: "0.015" } }],
    };
    // eu: 3 × 0.015 = 0.045 → 5 cents; rest: 1 × 0.005 = 0.005 → 1 cent; 6 cents, though 0.05 in total would be 5.
    const priced = priceCharge(charge, { units: 4, slices: [{ units: 3, filterValues: { region: ["eu"] } }, { units: 1, filterValues: null }] });
    expect([priced.units.toString(), priced.amount.toString(), priced.amountCents, priced.tiers]).toEqual(["4", "0.05", 6, null]);
  });
});

describe("planBill and sampleLevels: Segment Team", () => {
  const team = { code: "team", amount_cents: 12000, amount_currency: "USD", charges: [{ code: "mtu", charge_model: "graduated", properties: segmentTeam }] };

  it("bills the $120 fee plus the MTU charge: 5,000 → 12000, 10,001 → 12001, 30,000 → 35500, 150,000 → 162500", () => {
    const totals = [5000, 10001, 30000, 150000].map((mtus) => planBill(team, { mtu: mtus }).totalCents);
    expect(totals).toEqual([12000, 12001, 35500, 162500]);
    expect(planBill(team, { mtu: 30000 })).toMatchObject({ planCode: "team", currency: "USD", planFeeCents: 12000, chargesCents: 23500 });
  });

  it("a charge without usage bills zero units", () => {
    expect(planBill(team, {}).totalCents).toBe(12000);
  });

  it("levels are the range edges plus twice the highest: 10,000 / 25,000 / 100,000 / 200,000", () => {
    expect(sampleLevels([team]).map(String)).toEqual(["10000", "25000", "100000", "200000"]);
  });

  it("edges of old and new plans merge; a plan without ranges gets the fallback levels", () => {
    const moved = { ...team, charges: [{ code: "mtu", charge_model: "graduated", properties: { graduated_ranges: [{ from_value: 0, to_value: 20000, per_unit_amount: "0" }, { from_value: 20001, to_value: null, per_unit_amount: "0.01" }] } }] };
    expect(sampleLevels([team, moved, null]).map(String)).toEqual(["10000", "20000", "25000", "100000", "200000"]);
    const flat = { ...team, charges: [{ code: "s", charge_model: "standard", properties: { amount: "1" } }] };
    expect(sampleLevels([flat]).map(String)).toEqual(["1000", "10000", "100000"]);
  });
});
