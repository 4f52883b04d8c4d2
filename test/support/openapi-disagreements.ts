// THE list of places where Lago's OpenAPI document and lago-api.md disagree. lago-api.md was read from
// Lago's server code, so the local Lago follows it and its answers are excused from the spec check here.
// One entry per disagreement: the operations it touches, the response fields (JSON pointers into the
// body, array indexes as `*`; none = the HTTP status itself is missing from the spec), what each source
// says, and the lago-api.md section. Keep it short and true: a room bug gets fixed, not listed.

export interface SpecDisagreement {
  /** operationIds from the spec. */
  operations: string[];
  /** Response status the entry is about (default 200). */
  status?: number;
  /** JSON pointers of the disagreeing field in the response body; absent when the status is undocumented. */
  fields?: string[];
  spec: string;
  contract: string;
  section: string;
}

const METRIC_OPS = ["createBillableMetric", "updateBillableMetric", "destroyBillableMetric", "findBillableMetric", "findAllBillableMetrics"];

export const disagreements: SpecDisagreement[] = [
  // §2 Billable metrics
  {
    operations: METRIC_OPS,
    fields: ["/billable_metric/expression", "/billable_metrics/*/expression"],
    spec: "BillableMetricObject.expression is `type: string` (not nullable)",
    contract: "expression is string/null; a metric without one answers `expression: null`",
    section: "§2.2, §2.3",
  },
  {
    operations: METRIC_OPS,
    fields: ["/billable_metric/aggregation_type", "/billable_metrics/*/aggregation_type"],
    spec: "aggregation_type enum lacks custom_agg",
    contract: "custom_agg is a valid aggregation (premium / org flag)",
    section: "§2.2",
  },
  {
    operations: ["createBillableMetric"],
    status: 403,
    spec: "no 403 response",
    contract: "custom_agg without the org flag → 403 feature_unavailable",
    section: "§1.10, §2.2",
  },
  {
    operations: ["createBillableMetric", "updateBillableMetric"],
    status: 500,
    spec: "no 500 response",
    contract: "a weighted_interval other than seconds, or an unknown rounding_function, raises (500)",
    section: "§2.2",
  },
];
