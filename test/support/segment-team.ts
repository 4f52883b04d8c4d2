// The Segment example of lago-api.md §12, written once in each spelling: snake_case as sent to Lago
// (`mtuMetric`, `teamPlanFields`, `teamGraduatedRanges`, `segmentTeamPlan`) and camelCase as the
// provider's resources take it (`mtuMetricArgs`, `teamPlanArgFields`, `teamRangeArgs`, `teamPlanArgs`).
// Team: $120 a month in advance, 14 trial days, MTUs free up to 10,000, then $0.012, $0.011, $0.010.
// Plain data without imports, so the bench can use it without the test harness.

/** §12 step 1: the Monthly Tracked Users metric, as POST /billable_metrics takes it. */
export const mtuMetric = { name: "Monthly Tracked Users", code: "mtu", aggregation_type: "unique_count_agg", field_name: "user_id", recurring: false } as const;

/** The same metric as BillableMetric arguments (recurring left to its false default). */
export const mtuMetricArgs = { name: "Monthly Tracked Users", code: "mtu", aggregationType: "unique_count_agg", fieldName: "user_id" };

export interface WireRange {
  from_value: number;
  to_value: number | null;
  per_unit_amount: string;
  flat_amount: string;
}

export interface RangeArgs {
  fromValue: number;
  toValue: number | null;
  perUnitAmount: string;
}

// Frozen because many tests share them: a test that edits a tier works on a copy (`withTier`) or fails loudly.
const frozen = <R extends object>(ranges: R[]): readonly Readonly<R>[] => Object.freeze(ranges.map((range) => Object.freeze(range)));

/** Team's MTU tiers as Lago's `graduated_ranges` (each next range starts at the previous bound + 1). */
export const teamGraduatedRanges = frozen<WireRange>([
  { from_value: 0, to_value: 10000, per_unit_amount: "0", flat_amount: "0" },
  { from_value: 10001, to_value: 25000, per_unit_amount: "0.012", flat_amount: "0" },
  { from_value: 25001, to_value: 100000, per_unit_amount: "0.011", flat_amount: "0" },
  { from_value: 100001, to_value: null, per_unit_amount: "0.010", flat_amount: "0" },
]);

/** The same tiers as the Plan resource's `graduatedRanges`, flat amounts left to their "0" default. */
export const teamRangeArgs = frozen<RangeArgs>([
  { fromValue: 0, toValue: 10000, perUnitAmount: "0" },
  { fromValue: 10001, toValue: 25000, perUnitAmount: "0.012" },
  { fromValue: 25001, toValue: 100000, perUnitAmount: "0.011" },
  { fromValue: 100001, toValue: null, perUnitAmount: "0.010" },
]);

/** A fresh copy of `ranges` with one tier (0-based) changed: a new price, a misplaced bound, an unknown. */
export const withTier = <R extends object>(ranges: readonly R[], tier: number, change: { [K in keyof R]?: unknown }): R[] =>
  ranges.map((range, i) => ({ ...range, ...(i === tier ? change : {}) }) as R);

/** §12 step 2: Team's own fields in Lago's spelling (charges apart). */
export const teamPlanFields = { name: "Team", code: "team", interval: "monthly", amount_cents: 12000, amount_currency: "USD", pay_in_advance: true, trial_period: 14 };

/** The whole POST /plans body for Team, its graduated charge on the metric with this lago_id. */
export const segmentTeamPlan = (mtuLagoId: string) => ({
  ...teamPlanFields,
  charges: [{ billable_metric_id: mtuLagoId, charge_model: "graduated", pay_in_advance: false, properties: { graduated_ranges: [...teamGraduatedRanges] } }],
});

/** Team's own fields as Plan arguments. */
export const teamPlanArgFields = { name: "Team", code: "team", interval: "monthly", amountCents: 12000, amountCurrency: "USD", payInAdvance: true, trialPeriod: 14 };

/** Team as Plan arguments, its charge naming the metric by code. */
export const teamPlanArgs = {
  ...teamPlanArgFields,
  charges: [{ billableMetricCode: "mtu", chargeModel: "graduated", graduatedRanges: [...teamRangeArgs] }],
};
