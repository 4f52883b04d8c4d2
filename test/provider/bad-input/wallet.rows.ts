// Bad Wallet specs (app/services/wallets/validate_service.rb, app/models/wallet.rb,
// app/services/wallets/recurring_transaction_rules/validate_service.rb, app/models/recurring_transaction_rule.rb).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = {
  kind: "wallet",
  args: { externalCustomerId: "acme", currency: "USD", rateAmount: "1", name: "Prepaid", paidCredits: "100", recurringTransactionRules: [{ trigger: "interval", interval: "monthly", paidCredits: "50" }] },
};
const wallet = (args: Record<string, unknown>) => ({ ...base.args, ...args });
const rule = (fields: Record<string, unknown>) => wallet({ recurringTransactionRules: [fields] });

export const rows: BadInputRow[] = [
  { name: "missing customer", kind: "wallet", args: wallet({ externalCustomerId: undefined }), failure: { property: "externalCustomerId", reason: "externalCustomerId is required (the customer's external id, or pass customer: a Customer resource)" } },
  { name: "missing currency", kind: "wallet", args: wallet({ currency: undefined }), failure: { property: "currency", reason: 'currency is required (the wallet\'s currency, e.g. "USD")' } },
  { name: "lower-case currency", kind: "wallet", args: wallet({ currency: "usd" }), failure: { property: "currency", reason: 'currency "usd" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' } },
  { name: "missing rate", kind: "wallet", args: wallet({ rateAmount: undefined }), failure: { property: "rateAmount", reason: 'rateAmount is required (what one credit is worth in the currency, e.g. "1")' } },
  { name: "zero rate", kind: "wallet", args: wallet({ rateAmount: "0" }), failure: { property: "rateAmount", reason: "rateAmount must be above 0 (got 0): what one credit is worth in the currency" } },
  { name: "rate not a decimal", kind: "wallet", args: wallet({ rateAmount: "1,5" }), failure: { property: "rateAmount", reason: 'rateAmount must be a decimal string such as "0.012" (got "1,5")' } },
  { name: "negative paid credits", kind: "wallet", args: wallet({ paidCredits: "-10" }), failure: { property: "paidCredits", reason: 'paidCredits must not be negative (got "-10")' } },
  { name: "granted credits not a decimal", kind: "wallet", args: wallet({ grantedCredits: "ten" }), failure: { property: "grantedCredits", reason: 'grantedCredits must be a decimal string such as "0.012" (got "ten")' } },
  { name: "expiration that is not a date", kind: "wallet", args: wallet({ expirationAt: "next year" }), failure: { property: "expirationAt", reason: 'expirationAt must be an ISO 8601 date-time such as "2026-12-31T23:59:59Z"' } },
  { name: "two rules", kind: "wallet", args: wallet({ recurringTransactionRules: [{ trigger: "interval", interval: "monthly", paidCredits: "50" }, { trigger: "threshold", thresholdCredits: "10", paidCredits: "50" }] }), failure: { property: "recurringTransactionRules", reason: "recurringTransactionRules must hold at most one rule: Lago keeps one recurring transaction rule per wallet (invalid_number_of_recurring_rules)" } },
  { name: "unknown trigger", kind: "wallet", args: rule({ trigger: "daily", paidCredits: "50" }), failure: { property: "recurringTransactionRules[0].trigger", reason: "recurringTransactionRules[0].trigger must be one of interval, threshold" } },
  { name: "interval trigger without interval", kind: "wallet", args: rule({ trigger: "interval", paidCredits: "50" }), failure: { property: "recurringTransactionRules[0].interval", reason: "recurringTransactionRules[0].interval is required with trigger: interval (one of weekly, monthly, quarterly, semiannual, yearly)" } },
  { name: "unknown interval", kind: "wallet", args: rule({ trigger: "interval", interval: "daily", paidCredits: "50" }), failure: { property: "recurringTransactionRules[0].interval", reason: "recurringTransactionRules[0].interval must be one of weekly, monthly, quarterly, semiannual, yearly" } },
  { name: "threshold trigger without threshold", kind: "wallet", args: rule({ trigger: "threshold", paidCredits: "50" }), failure: { property: "recurringTransactionRules[0].thresholdCredits", reason: 'recurringTransactionRules[0].thresholdCredits is required with trigger: threshold (the balance in credits that starts a top-up, e.g. "10")' } },
  { name: "threshold on an interval rule", kind: "wallet", args: rule({ trigger: "interval", interval: "monthly", thresholdCredits: "10", paidCredits: "50" }), failure: { property: "recurringTransactionRules[0].thresholdCredits", reason: "recurringTransactionRules[0].thresholdCredits applies to trigger: threshold only: drop it" } },
  { name: "target method without target", kind: "wallet", args: rule({ trigger: "threshold", thresholdCredits: "10", method: "target" }), failure: { property: "recurringTransactionRules[0].targetOngoingBalance", reason: 'recurringTransactionRules[0].targetOngoingBalance is required with method: target (the balance in credits each top-up restores, e.g. "100")' } },
  { name: "target below threshold", kind: "wallet", args: rule({ trigger: "threshold", thresholdCredits: "50", method: "target", targetOngoingBalance: "20" }), failure: { property: "recurringTransactionRules[0].targetOngoingBalance", reason: "recurringTransactionRules[0].targetOngoingBalance must be at least thresholdCredits (50): a top-up must lift the balance above its threshold" } },
  { name: "target on a fixed rule", kind: "wallet", args: rule({ trigger: "interval", interval: "monthly", paidCredits: "50", targetOngoingBalance: "100" }), failure: { property: "recurringTransactionRules[0].targetOngoingBalance", reason: "recurringTransactionRules[0].targetOngoingBalance applies to method: target only: drop it, or set method: target" } },
  { name: "fixed rule that adds nothing", kind: "wallet", args: rule({ trigger: "interval", interval: "monthly" }), failure: { property: "recurringTransactionRules[0].paidCredits", reason: "recurringTransactionRules[0].paidCredits or grantedCredits must be above 0: a fixed rule adds these credits at each top-up" } },
  { name: "rule field not managed", kind: "wallet", args: rule({ trigger: "interval", interval: "monthly", paidCredits: "50", transactionName: "Top-up" }), failure: { property: "recurringTransactionRules[0]", reason: "recurringTransactionRules[0] transactionName is not a recurring transaction rule field this provider manages" } },
  { name: "credits worth less than a cent", kind: "wallet", args: wallet({ rateAmount: "0.001", paidCredits: "4" }), failure: { property: "paidCredits", reason: "paidCredits is worth less than the smallest amount of USD at rateAmount 0.001 (Lago refuses it: amount_rounds_to_zero): raise the credits or the rate" } },
  { name: "a coupon's field", kind: "wallet", args: wallet({ frequency: "once" }), failure: { property: "", reason: "frequency does not apply to a wallet" } },
];
