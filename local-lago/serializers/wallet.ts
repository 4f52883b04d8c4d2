// The wallet, its recurring transaction rules and its transactions as Lago answers them
// (app/serializers/v1/wallet_serializer.rb, v1/wallets/recurring_transaction_rule_serializer.rb,
// v1/wallet_transaction_serializer.rb), every wallet route including rules, limitations and custom sections.
import Decimal from "decimal.js";
import type { LagoContext } from "../context";
import { subunitToUnit } from "../currencies";
import { currentlyActive, customerOfWallet, rulesOf, walletTables, type RuleRecord, type WalletRecord, type WalletTransactionRecord } from "../domain/wallets";
import { decimalString, rubyFloatString } from "../domain/wallet-casts";
import { tables } from "../model";
import { DEFAULT_BILLING_ENTITY_CODE } from "../resources/taxes";

const decimal = (text: string | null) => (text === null ? null : decimalString(new Decimal(text)));
const paymentMethod = (row: { payment_method_id: string | null; payment_method_type: string }) => ({
  payment_method: { payment_method_id: row.payment_method_id, payment_method_type: row.payment_method_type },
});

export function serializeRule(rule: RuleRecord) {
  return {
    lago_id: rule.id,
    paid_credits: decimal(rule.paid_credits),
    granted_credits: decimal(rule.granted_credits),
    grants_target_top_up: rule.grants_target_top_up === true,
    interval: rule.interval,
    method: rule.method,
    started_at: rule.started_at,
    expiration_at: rule.expiration_at,
    status: rule.status,
    target_ongoing_balance: decimal(rule.target_ongoing_balance),
    threshold_credits: decimal(rule.threshold_credits),
    trigger: rule.trigger,
    created_at: rule.created_at,
    invoice_requires_successful_payment: rule.invoice_requires_successful_payment,
    transaction_metadata: rule.transaction_metadata,
    transaction_name: rule.transaction_name,
    ignore_paid_top_up_limits: rule.ignore_paid_top_up_limits,
    applied_invoice_custom_sections: [],
    ...paymentMethod(rule),
  };
}

export function serializeWallet(lago: LagoContext, wallet: WalletRecord) {
  const { billableMetrics } = tables(lago.store);
  return {
    lago_id: wallet.id,
    lago_customer_id: wallet.customer_id,
    external_customer_id: customerOfWallet(lago, wallet).external_id,
    billing_entity_code: DEFAULT_BILLING_ENTITY_CODE,
    status: wallet.status,
    currency: wallet.currency,
    name: wallet.name,
    code: wallet.code,
    rate_amount: decimal(wallet.rate_amount),
    credits_balance: decimal(wallet.credits_balance),
    credits_ongoing_balance: decimal(wallet.credits_ongoing_balance),
    credits_ongoing_usage_balance: decimal(wallet.credits_ongoing_usage_balance),
    balance_cents: wallet.balance_cents,
    ongoing_balance_cents: wallet.ongoing_balance_cents,
    ongoing_usage_balance_cents: wallet.ongoing_usage_balance_cents,
    consumed_credits: decimal(wallet.consumed_credits),
    created_at: wallet.created_at,
    expiration_at: wallet.expiration_at,
    last_balance_sync_at: wallet.last_balance_sync_at,
    last_consumed_credit_at: wallet.last_consumed_credit_at,
    // Rendered without iso8601: Rails' JSON time, with milliseconds.
    terminated_at: wallet.terminated_at,
    invoice_requires_successful_payment: wallet.invoice_requires_successful_payment,
    paid_top_up_min_amount_cents: wallet.paid_top_up_min_amount_cents,
    paid_top_up_max_amount_cents: wallet.paid_top_up_max_amount_cents,
    priority: wallet.priority,
    // Only the rules currently active; a terminated wallet has none.
    recurring_transaction_rules: rulesOf(lago, wallet.id)
      .filter((r) => currentlyActive(lago, r))
      .map(serializeRule),
    applies_to: {
      fee_types: wallet.allowed_fee_types,
      billable_metric_codes: wallet.billable_metric_ids.map((id) => billableMetrics.get(id)?.code).filter((c): c is string => c !== undefined),
    },
    applied_invoice_custom_sections: [],
    ...paymentMethod(wallet),
    ...(wallet.metadata !== null ? { metadata: wallet.metadata } : {}),
  };
}

export function serializeWalletTransaction(lago: LagoContext, row: WalletTransactionRecord) {
  const wallet = walletTables(lago).wallets.get(row.wallet_id)!;
  const remainingCredits =
    row.remaining_amount_cents === null ? null : rubyFloatString(row.remaining_amount_cents / subunitToUnit(wallet.currency) / Number(wallet.rate_amount));
  return {
    lago_id: row.id,
    lago_wallet_id: row.wallet_id,
    lago_invoice_id: null,
    lago_credit_note_id: null,
    lago_voided_invoice_id: null,
    billing_entity_code: DEFAULT_BILLING_ENTITY_CODE,
    status: row.status,
    source: row.source,
    transaction_status: row.transaction_status,
    transaction_type: row.transaction_type,
    amount: decimal(row.amount),
    credit_amount: decimal(row.credit_amount),
    remaining_amount_cents: row.remaining_amount_cents,
    remaining_credit_amount: remainingCredits,
    priority: row.priority,
    settled_at: row.settled_at,
    failed_at: null,
    created_at: row.created_at,
    invoice_requires_successful_payment: row.invoice_requires_successful_payment,
    metadata: row.metadata,
    name: row.name,
    ...paymentMethod(row),
  };
}
