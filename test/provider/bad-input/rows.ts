// The shape of a bad-input row: a spec `check` must reject, and the failure it must report.
export type KindName = "billableMetric" | "customer" | "plan" | "subscription" | "tax" | "addOn" | "coupon" | "appliedCoupon" | "webhookEndpoint" | "organization" | "wallet";

export interface BadInputRow {
  /** What is wrong, in a few words. */
  name: string;
  kind: KindName;
  args: Record<string, unknown>;
  /** The failure check must report (exact property and reason). */
  failure: { property: string; reason: string };
}

/** Valid specs per kind, so each row states only what it breaks. */
export interface ValidBase {
  kind: KindName;
  args: Record<string, unknown>;
}
