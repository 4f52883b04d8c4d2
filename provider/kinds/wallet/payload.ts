// Wallet: arguments ↔ Lago's `wallet` object (app/serializers/v1/wallet_serializer.rb,
// app/controllers/concerns/wallet_actions.rb), typed by Lago's contract.
import type { Wire } from "../../contract";
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";
import type { Args, Managed } from "../../kind";
import type { RecurringRuleInputs, WalletInputs } from "./schema";

/** Lago's wallet object. */
export type LagoWallet = Wire["WalletObject"];
type LagoRule = Wire["WalletRecurringTransactionRule"];
type CreateBody = NonNullable<Wire["WalletCreateInput"]["wallet"]>;
type UpdateBody = Wire["WalletUpdateInput"]["wallet"];
type CreateRule = NonNullable<CreateBody["recurring_transaction_rules"]>[number];
type UpdateRule = NonNullable<UpdateBody["recurring_transaction_rules"]>[number];

/** Lago's POST and PUT take different bodies (the PUT permits no currency, rate or credits). */
export type WalletBody = { on: "create"; wallet: CreateBody } | { on: "update"; wallet: UpdateBody };

export type WalletArgs = Managed<WalletInputs>;

/** Granted once, by the POST: Lago has no field holding them afterwards, and its PUT does not permit them. */
export const CREATION_ONLY = ["paidCredits", "grantedCredits"] as const;
/** Lago's PUT does not permit these (wallet_actions.rb update_params): a change needs a new wallet. */
export const NOT_UPDATABLE = ["externalCustomerId", "currency", "rateAmount"] as const;

const sameInstant = (a: string | null | undefined, b: string | null | undefined) => (a == null || b == null ? a == b : Date.parse(a) === Date.parse(b));
const decimal = (v: string | number | undefined) => (v === undefined ? undefined : toDecimalString(v));

/** A rule's fields for the POST. Credits are always sent, so Lago never copies the wallet's into a fixed rule. */
function createRule(r: RecurringRuleInputs): CreateRule {
  const rule: CreateRule = { trigger: r.trigger, method: r.method ?? "fixed", paid_credits: decimal(r.paidCredits) ?? "0", granted_credits: decimal(r.grantedCredits) ?? "0" };
  if (r.interval !== undefined) rule.interval = r.interval;
  if (r.thresholdCredits !== undefined) rule.threshold_credits = toDecimalString(r.thresholdCredits);
  if (r.targetOngoingBalance !== undefined) rule.target_ongoing_balance = toDecimalString(r.targetOngoingBalance);
  if (r.startedAt !== undefined) rule.started_at = r.startedAt;
  if (r.expirationAt !== undefined) rule.expiration_at = r.expirationAt;
  return rule;
}

/**
 * A rule for the PUT: the live rule's lago_id (Lago updates it in place; a rule without one replaces it), and
 * every field, so a field removed from the program is cleared. An unchanged expiration is not re-sent (Lago
 * refuses a past date, validators/expiration_date_validator.rb).
 */
function updateRule(r: RecurringRuleInputs, live: LagoRule | undefined): UpdateRule {
  const rule: UpdateRule = {
    trigger: r.trigger,
    method: r.method ?? "fixed",
    paid_credits: decimal(r.paidCredits) ?? "0",
    granted_credits: decimal(r.grantedCredits) ?? "0",
    threshold_credits: decimal(r.thresholdCredits) ?? "0",
    started_at: r.startedAt ?? null,
  };
  // Lago's spec has no null for it; a fixed rule does not use it (ruleArgs reads it for target rules only).
  if (r.targetOngoingBalance !== undefined) rule.target_ongoing_balance = toDecimalString(r.targetOngoingBalance);
  if (live) rule.lago_id = live.lago_id;
  if (r.interval !== undefined) rule.interval = r.interval;
  if (!(live && sameInstant(r.expirationAt, live.expiration_at))) rule.expiration_at = r.expirationAt ?? null;
  return rule;
}

/** The live rules (Lago answers only those, wallet_serializer.rb active_recurring_transaction_rules). */
const liveRules = (w: LagoWallet | undefined) => (w?.recurring_transaction_rules ?? []).filter((r) => r.status === "active");

/** The POST body for a new wallet, or the PUT body of what changes on `current`. */
export function toWire(p: WalletArgs, current?: LagoWallet): WalletBody {
  const rules = p.recurringTransactionRules;
  if (!current) {
    const wallet: CreateBody = { external_customer_id: p.externalCustomerId ?? "", currency: p.currency ?? "", rate_amount: p.rateAmount == null ? "" : toDecimalString(p.rateAmount) };
    if (p.name != null) wallet.name = p.name;
    if (p.paidCredits != null) wallet.paid_credits = toDecimalString(p.paidCredits);
    if (p.grantedCredits != null) wallet.granted_credits = toDecimalString(p.grantedCredits);
    if (p.expirationAt != null) wallet.expiration_at = p.expirationAt;
    if (p.invoiceRequiresSuccessfulPayment != null) wallet.invoice_requires_successful_payment = p.invoiceRequiresSuccessfulPayment;
    if (rules?.length) wallet.recurring_transaction_rules = rules.map(createRule);
    return { on: "create", wallet };
  }
  const wallet: UpdateBody = {};
  if ("name" in p) wallet.name = p.name ?? null;
  if ("expirationAt" in p && !sameInstant(p.expirationAt, current.expiration_at)) wallet.expiration_at = p.expirationAt ?? null;
  if ("invoiceRequiresSuccessfulPayment" in p) wallet.invoice_requires_successful_payment = p.invoiceRequiresSuccessfulPayment ?? false;
  // An empty list terminates the live rule (recurring_transaction_rules/update_service.rb sanitize_recurring_rules).
  if ("recurringTransactionRules" in p) wallet.recurring_transaction_rules = (rules ?? []).map((r, i) => updateRule(r, liveRules(current)[i]));
  return { on: "update", wallet };
}

function ruleArgs(r: LagoRule): RecurringRuleInputs {
  const rule: RecurringRuleInputs = { trigger: r.trigger, method: r.method, paidCredits: r.paid_credits, grantedCredits: r.granted_credits };
  if (r.trigger === "interval") rule.interval = r.interval;
  if (r.trigger === "threshold") rule.thresholdCredits = r.threshold_credits;
  if (r.method === "target" && r.target_ongoing_balance != null) rule.targetOngoingBalance = r.target_ongoing_balance;
  if (r.started_at != null) rule.startedAt = r.started_at;
  if (r.expiration_at != null) rule.expirationAt = r.expiration_at;
  return rule;
}

/** The managed arguments Lago holds (paid and granted credits are not held: they were granted once). */
export function toArgs(r: LagoWallet): WalletArgs {
  return {
    externalCustomerId: r.external_customer_id,
    currency: r.currency,
    rateAmount: r.rate_amount,
    name: r.name ?? null,
    expirationAt: r.expiration_at ?? null,
    invoiceRequiresSuccessfulPayment: r.invoice_requires_successful_payment,
    recurringTransactionRules: liveRules(r).map(ruleArgs),
  };
}

/** What Lago computes: the status (it terminates a wallet at its expiration), the balances, the dates. */
export const outputs = (r: LagoWallet): Args => ({
  lagoId: r.lago_id,
  status: r.status,
  balanceCents: r.balance_cents,
  creditsBalance: r.credits_balance,
  ongoingBalanceCents: r.ongoing_balance_cents,
  createdAt: r.created_at,
  terminatedAt: r.terminated_at ?? null,
});

const iso = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : v);
const positive = (v: unknown) => isDecimal(v) && canonicalDecimal(v) !== "0";

function normalizeRule(r: RecurringRuleInputs): Args {
  const out: Args = { trigger: r.trigger };
  if (r.method !== undefined && r.method !== "fixed") out.method = r.method;
  if (r.trigger === "interval" && r.interval !== undefined) out.interval = r.interval;
  if (r.trigger === "threshold" && isDecimal(r.thresholdCredits)) out.thresholdCredits = canonicalDecimal(r.thresholdCredits);
  for (const key of ["paidCredits", "grantedCredits"] as const) if (positive(r[key])) out[key] = canonicalDecimal(r[key]!);
  if (isDecimal(r.targetOngoingBalance)) out.targetOngoingBalance = canonicalDecimal(r.targetOngoingBalance);
  if (r.startedAt != null) out.startedAt = iso(r.startedAt);
  if (r.expirationAt != null) out.expirationAt = iso(r.expirationAt);
  return out;
}

/**
 * Comparable form: the creation-only credits left out (they are not state), Lago's defaults dropped (no name, no
 * expiration, invoices not required, no rules, a fixed rule, zero credits), one spelling for decimals and dates.
 */
export function normalize(args: WalletArgs): Args {
  const out: Args = { ...args };
  for (const key of CREATION_ONLY) delete out[key];
  if (out.name == null || out.name === "") delete out.name;
  if (out.expirationAt == null) delete out.expirationAt;
  else out.expirationAt = iso(out.expirationAt);
  if (out.invoiceRequiresSuccessfulPayment === false) delete out.invoiceRequiresSuccessfulPayment;
  if (isDecimal(args.rateAmount)) out.rateAmount = canonicalDecimal(args.rateAmount);
  if (Array.isArray(args.recurringTransactionRules)) {
    if (args.recurringTransactionRules.length) out.recurringTransactionRules = args.recurringTransactionRules.map(normalizeRule);
    else delete out.recurringTransactionRules;
  }
  return out;
}
