// Table names and the row fields other rooms rely on. Each room owns its table and may keep more
// fields on its rows; cross-room reads go through these shapes only.
import type { Store, Table } from "./store";

/** Soft-deleted rows keep `deleted_at` (lago-api.md §1.9). */
export interface SoftDeletable {
  id: string;
  created_at: string;
  deleted_at: string | null;
}

export interface MetricRow extends SoftDeletable {
  code: string;
  name: string;
  aggregation_type: string;
  field_name: string | null;
  recurring: boolean;
  filters: Array<{ key: string; values: string[] }>;
}

export interface PlanRow extends SoftDeletable {
  code: string;
  name: string;
  interval: "weekly" | "monthly" | "quarterly" | "semiannual" | "yearly";
  amount_cents: number;
  amount_currency: string;
  pay_in_advance: boolean;
  trial_period: number | null;
  /** Override (child) plans point at their parent; only parents are addressable by code. */
  parent_id: string | null;
  pending_deletion: boolean;
  tax_ids: string[];
  invoice_display_name: string | null;
  description: string | null;
  /** Only kept for yearly/semiannual plans, null otherwise (§3.2). */
  bill_charges_monthly: boolean | null;
  bill_fixed_charges_monthly: boolean | null;
  /** Premium only; absent from responses when null (§3.5). */
  minimum_commitment: CommitmentRecord | null;
  /** Premium only (progressive billing); the recurring one first, as Lago creates it first. */
  usage_thresholds: UsageThresholdRecord[];
  /** Free-form key/values; the response carries `metadata` only when set. */
  metadata: Record<string, string | null> | null;
}

/** For comparing plans on a yearly basis (upgrade vs downgrade, §5.3; Plan#yearly_amount_cents), not for billing. */
export function yearlyAmountCents(plan: Pick<PlanRow, "amount_cents" | "interval">): number {
  const perYear = { yearly: 1, semiannual: 2, quarterly: 4, monthly: 12, weekly: 52 }[plan.interval] ?? 52;
  return plan.amount_cents * perYear;
}

export interface CommitmentRecord {
  id: string;
  amount_cents: number;
  invoice_display_name: string | null;
  tax_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface UsageThresholdRecord {
  id: string;
  threshold_display_name: string | null;
  amount_cents: number;
  recurring: boolean;
  created_at: string;
  updated_at: string;
}

export interface ChargeRow extends SoftDeletable {
  plan_id: string;
  billable_metric_id: string;
  code: string;
  charge_model: string;
  pay_in_advance: boolean;
  invoice_display_name: string | null;
  properties: Record<string, unknown>;
  filters: Array<{ id: string; invoice_display_name: string | null; properties: Record<string, unknown>; values: Record<string, string[]> }>;
  tax_ids: string[];
  prorated: boolean;
  /** Premium; false only together with pay_in_advance. */
  invoiceable: boolean;
  regroup_paid_fees: "invoice" | null;
  /** Premium; forced 0 without it. */
  min_amount_cents: number;
  accepts_target_wallet: boolean;
  /** The parent plan's charge for charges of override (child) plans. */
  parent_id: string | null;
}

export interface CustomerRow extends SoftDeletable {
  external_id: string;
  currency: string | null;
  tax_ids: string[];
}

export type SubscriptionStatus = "pending" | "active" | "terminated" | "canceled" | "incomplete";

export interface SubscriptionRow {
  id: string;
  external_id: string;
  customer_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  billing_time: "calendar" | "anniversary";
  subscription_at: string;
  started_at: string | null;
  terminated_at: string | null;
  canceled_at: string | null;
  created_at: string;
}

export interface TaxRow extends SoftDeletable {
  code: string;
  name: string;
  rate: number;
}

export interface AddOnRow extends SoftDeletable {
  code: string;
  name: string;
  invoice_display_name: string | null;
  amount_cents: number;
  amount_currency: string;
  tax_ids: string[];
}

export interface CouponRow extends SoftDeletable {
  code: string;
  name: string;
}

/** A coupon applied to a customer; its existence freezes the coupon's economics (§7). */
export interface AppliedCouponRow {
  id: string;
  coupon_id: string;
  customer_id: string;
  status: "active" | "terminated";
  /** Set for fixed-amount coupons; such a coupon binds the customer's currency (§4). */
  amount_currency: string | null;
  terminated_at: string | null;
  created_at: string;
}

/** A customer's prepaid-credit wallet; its customer's currency is bound while it exists (§4). */
export interface WalletRow {
  id: string;
  customer_id: string;
  status: "active" | "terminated";
  currency: string;
  created_at: string;
  terminated_at: string | null;
}

export interface EventRow {
  id: string;
  transaction_id: string;
  external_subscription_id: string | null;
  code: string;
  /** Unix milliseconds. */
  timestamp_ms: number;
  properties: Record<string, unknown>;
  precise_total_amount_cents: string | null;
  created_at: string;
}

export const tables = (store: Store) => ({
  billableMetrics: store.table<MetricRow>("billable_metrics") as Table<MetricRow>,
  plans: store.table<PlanRow>("plans") as Table<PlanRow>,
  charges: store.table<ChargeRow>("charges") as Table<ChargeRow>,
  customers: store.table<CustomerRow>("customers") as Table<CustomerRow>,
  subscriptions: store.table<SubscriptionRow>("subscriptions") as Table<SubscriptionRow>,
  taxes: store.table<TaxRow>("taxes") as Table<TaxRow>,
  addOns: store.table<AddOnRow>("add_ons") as Table<AddOnRow>,
  coupons: store.table<CouponRow>("coupons") as Table<CouponRow>,
  appliedCoupons: store.table<AppliedCouponRow>("applied_coupons") as Table<AppliedCouponRow>,
  events: store.table<EventRow>("events") as Table<EventRow>,
  wallets: store.table<WalletRow>("wallets") as Table<WalletRow>,
});

export const live = <T extends { deleted_at: string | null }>(row: T | undefined): row is T =>
  row !== undefined && row.deleted_at === null;
