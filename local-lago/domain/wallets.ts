// Wallets of prepaid credits (Lago v1.51.0: Wallets::CreateService, ValidateService, UpdateService,
// TerminateService, RecurringTransactionRules::{Create,Update,Validate,Terminate}Service and
// WalletTransactions::{CreateFromParams,Validate,Void,TrackConsumption}Service). Lago tops a new wallet up in a
// background job; the local Lago runs that job at the end of the request, after the answer is written, so
// POST /wallets answers a zero balance as Lago does and the next read sees the credits.
import Decimal from "decimal.js";
import { isoMillis, isoSeconds, newId, type LagoContext } from "../context";
import { currencyExponent, isLagoCurrency, subunitToUnit } from "../currencies";
import { LagoHttpError, lagoRaises, notFound, Validation, validationError } from "../errors";
import { tables, type WalletRow } from "../model";
import { isNumeric, isObject, NOT_A_NUMBER, numericValue } from "../resources/rails-casts";
import { addDays, formatDate, localDate, zonedInstant, type LocalDate } from "../periods";
import { applicableTimezone, customerIsEditable, type CustomerRecord } from "./customers";
import {
  assertDecimalFits,
  bigDecimal,
  bigintColumn,
  booleanCast,
  datetimeColumn,
  decimalColumn,
  decimalString,
  decimalText,
  enumColumn,
  metadataProblem,
  permitHash,
  stringColumn,
  validExpiration,
  type PermitFilter,
} from "./wallet-casts";

type Json = unknown;
type Params = Record<string, Json>;

export const RULE_INTERVALS = ["weekly", "monthly", "quarterly", "yearly", "semiannual"] as const;
export const RULE_METHODS = ["fixed", "target"] as const;
export const RULE_TRIGGERS = ["interval", "threshold"] as const;
const FEE_TYPES = ["charge", "add_on", "subscription", "credit", "commitment", "fixed_charge"];
const MAXIMUM_WALLETS_PER_CUSTOMER = 6;
const LOWEST_PRIORITY = 50;
/** WalletTransactions::ValidateService's ceiling on one transaction's credits. */
const MAX_TRANSACTION_CREDITS = new Decimal(10).pow(25).minus(1);

export interface WalletRecord extends WalletRow {
  /** Creation order: Lago's created_at has microseconds, so "newest first" is strict creation order (§15). */
  sequence: number;
  name: string | null;
  code: string | null;
  priority: number;
  /** decimal(30, 5) columns, as decimal text. */
  rate_amount: string;
  credits_balance: string;
  consumed_credits: string;
  credits_ongoing_balance: string;
  credits_ongoing_usage_balance: string;
  balance_cents: number;
  consumed_amount_cents: number;
  ongoing_balance_cents: number;
  ongoing_usage_balance_cents: number;
  expiration_at: string | null;
  last_balance_sync_at: string | null;
  last_consumed_credit_at: string | null;
  invoice_requires_successful_payment: boolean;
  paid_top_up_min_amount_cents: number | null;
  paid_top_up_max_amount_cents: number | null;
  allowed_fee_types: string[];
  /** Wallet targets: the billable metrics the credits are limited to. */
  billable_metric_ids: string[];
  payment_method_type: string;
  payment_method_id: string | null;
  /** The wallet's metadata item (a free hash), null when it has none. */
  metadata: Record<string, Json> | null;
  /** The last run of Lago's hourly interval top-up job the local Lago has caught up with (absent: none yet). */
  interval_settled_through?: string;
}

export interface RuleRecord {
  id: string;
  wallet_id: string;
  status: "active" | "terminated";
  trigger: string;
  method: string;
  interval: string | null;
  paid_credits: string;
  granted_credits: string;
  threshold_credits: string | null;
  target_ongoing_balance: string | null;
  grants_target_top_up: boolean | null;
  started_at: string | null;
  expiration_at: string | null;
  invoice_requires_successful_payment: boolean;
  ignore_paid_top_up_limits: boolean;
  transaction_metadata: Json[];
  transaction_name: string | null;
  payment_method_type: string;
  payment_method_id: string | null;
  created_at: string;
  terminated_at: string | null;
}

export interface WalletTransactionRecord {
  id: string;
  /** Creation order, as for wallets. */
  sequence: number;
  wallet_id: string;
  status: "pending" | "settled" | "failed";
  source: "manual" | "interval" | "threshold";
  transaction_status: "purchased" | "granted" | "voided" | "invoiced";
  transaction_type: "inbound" | "outbound";
  amount: string;
  credit_amount: string;
  remaining_amount_cents: number | null;
  priority: number;
  settled_at: string | null;
  created_at: string;
  invoice_requires_successful_payment: boolean;
  metadata: Json[];
  name: string | null;
  payment_method_type: string;
  payment_method_id: string | null;
}

export const walletTables = (lago: LagoContext) => ({
  wallets: lago.store.table<WalletRecord>("wallets"),
  rules: lago.store.table<RuleRecord>("recurring_transaction_rules"),
  transactions: lago.store.table<WalletTransactionRecord>("wallet_transactions"),
});

// ---- strong parameters (app/controllers/concerns/wallet_actions.rb) ----------------------------

const CUSTOM_SECTION: PermitFilter = { skip_invoice_custom_sections: "scalar", invoice_custom_section_codes: "scalars" };
const PAYMENT_METHOD: PermitFilter = { payment_method_type: "scalar", payment_method_id: "scalar" };
const KEY_VALUE: [PermitFilter] = [{ key: "scalar", value: "scalar" }];
const RULE_SCALARS = ["granted_credits", "grants_target_top_up", "interval", "method", "paid_credits", "started_at", "expiration_at", "target_ongoing_balance", "threshold_credits", "trigger", "invoice_requires_successful_payment", "ignore_paid_top_up_limits", "transaction_name"];
const ruleFilter = (extra: string[] = []): [PermitFilter] => [
  {
    ...Object.fromEntries([...extra, ...RULE_SCALARS].map((k) => [k, "scalar" as const])),
    invoice_custom_section: CUSTOM_SECTION,
    transaction_metadata: KEY_VALUE,
    payment_method: PAYMENT_METHOD,
  },
];
const APPLIES_TO: PermitFilter = { fee_types: "scalars", billable_metric_codes: "scalars" };

const CREATE_FILTER: PermitFilter = {
  ...Object.fromEntries(
    ["external_customer_id", "rate_amount", "name", "code", "priority", "currency", "paid_credits", "granted_credits", "expiration_at", "invoice_requires_successful_payment", "paid_top_up_min_amount_cents", "paid_top_up_max_amount_cents", "ignore_paid_top_up_limits_on_creation", "transaction_name", "transaction_priority", "billing_entity_code", "billing_entity_id"].map((k) => [k, "scalar" as const]),
  ),
  metadata: "any",
  transaction_metadata: KEY_VALUE,
  recurring_transaction_rules: ruleFilter(),
  applies_to: APPLIES_TO,
  invoice_custom_section: CUSTOM_SECTION,
  payment_method: PAYMENT_METHOD,
};

const UPDATE_FILTER: PermitFilter = {
  ...Object.fromEntries(["name", "code", "priority", "expiration_at", "invoice_requires_successful_payment", "paid_top_up_min_amount_cents", "paid_top_up_max_amount_cents", "billing_entity_code"].map((k) => [k, "scalar" as const])),
  metadata: "any",
  recurring_transaction_rules: ruleFilter(["lago_id"]),
  applies_to: APPLIES_TO,
  invoice_custom_section: CUSTOM_SECTION,
  payment_method: PAYMENT_METHOD,
};

const TRANSACTION_FILTER: PermitFilter = {
  ...Object.fromEntries(["wallet_id", "paid_credits", "granted_credits", "voided_credits", "invoice_requires_successful_payment", "name", "ignore_paid_top_up_limits", "priority"].map((k) => [k, "scalar" as const])),
  payment_method: PAYMENT_METHOD,
  metadata: KEY_VALUE,
  invoice_custom_section: CUSTOM_SECTION,
};

export const permitWalletCreate = (body: Params) => permitHash(body, CREATE_FILTER);
export const permitWalletUpdate = (body: Params) => permitHash(body, UPDATE_FILTER);
export const permitWalletTransaction = (body: Params) => permitHash(body, TRANSACTION_FILTER);

// ---- small Ruby truths -----------------------------------------------------------------------

/** Ruby truthiness: only nil and false are false. */
const truthy = (v: Json) => v !== undefined && v !== null && v !== false;
/** Rails' `present?` for request values. */
const present = (v: Json) =>
  truthy(v) && !(typeof v === "string" && v.trim() === "") && !(Array.isArray(v) && !v.length) && !(isObject(v) && !Object.keys(v).length);
/** `Hash#count` / `Array#count` of a permitted collection. */
const countOf = (v: Json) => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);

const dec = (text: string) => new Decimal(text);
const num = (d: Decimal) => d.toNumber();

// ---- lookups ---------------------------------------------------------------------------------

/** `current_organization.wallets.find_by(id:)`: any wallet, terminated ones included. */
export function findWallet(lago: LagoContext, id: string | undefined): WalletRecord {
  const wallet = id === undefined ? undefined : walletTables(lago).wallets.get(id);
  if (!wallet) throw notFound("wallet");
  return wallet;
}

export const customerOfWallet = (lago: LagoContext, wallet: WalletRow): CustomerRecord =>
  tables(lago.store).customers.get(wallet.customer_id) as CustomerRecord;

/** RecurringTransactionRule#currently_active?: active and not past its expiration. */
export const currentlyActive = (lago: LagoContext, rule: RuleRecord) =>
  rule.status === "active" && (rule.expiration_at === null || Date.parse(rule.expiration_at) > lago.now().getTime());

export const rulesOf = (lago: LagoContext, walletId: string) =>
  walletTables(lago)
    .rules.filter((r) => r.wallet_id === walletId)
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));

// ---- credits and money (app/models/wallet_credit.rb) --------------------------------------------

interface Credit {
  /** Money, rounded to the currency's decimals. */
  amount: Decimal;
  amountCents: number;
  credits: Decimal;
}

/** WalletCredit: credits × rate, rounded to the currency; invoiceable credits are what that money buys back. */
function walletCredit(wallet: WalletRecord, credits: Decimal, invoiceable = true): Credit {
  const rate = dec(wallet.rate_amount);
  const amount = credits.mul(rate).toDecimalPlaces(currencyExponent(wallet.currency), Decimal.ROUND_HALF_UP);
  const amountCents = num(amount.mul(subunitToUnit(wallet.currency)).trunc());
  return { amount, amountCents, credits: invoiceable ? amount.div(rate).toDecimalPlaces(5, Decimal.ROUND_HALF_UP) : credits };
}

/** WalletCredit.rounds_to_zero?: a positive number of credits worth less than one cent. */
function roundsToZero(wallet: WalletRecord, credits: Json): boolean {
  if (!present(credits)) return false;
  const value = bigDecimal(typeof credits === "number" ? credits : String(credits), "WalletCredit.rounds_to_zero?").toDecimalPlaces(5, Decimal.ROUND_FLOOR);
  return value.gt(0) && walletCredit(wallet, value).amountCents === 0;
}

/**
 * Validators::WalletTransactionAmountLimitsValidator: paid credits must be a positive decimal text, within
 * the wallet's paid top-up limits unless told to ignore them. The error code, or undefined when valid.
 */
function amountLimitsProblem(wallet: WalletRecord, credits: Json, ignore: Json): string | undefined {
  const value = decimalText(credits);
  if (!value || !value.gt(0)) return "invalid_amount";
  if (booleanCast(ignore)) return undefined;
  if (wallet.paid_top_up_min_amount_cents === null && wallet.paid_top_up_max_amount_cents === null) return undefined;
  const cents = walletCredit(wallet, value.toDecimalPlaces(5, Decimal.ROUND_FLOOR)).amountCents;
  if (wallet.paid_top_up_min_amount_cents !== null && cents < wallet.paid_top_up_min_amount_cents) return "amount_below_minimum";
  if (wallet.paid_top_up_max_amount_cents !== null && cents > wallet.paid_top_up_max_amount_cents) return "amount_above_maximum";
  return undefined;
}

/** What Customers::RefreshWalletJob leaves after a balance change: no usage is drawn here, so ongoing = balance. */
function withOngoingBalance(wallet: WalletRecord): WalletRecord {
  const sub = subunitToUnit(wallet.currency);
  const ongoing = wallet.balance_cents;
  return {
    ...wallet,
    ongoing_balance_cents: ongoing,
    ongoing_usage_balance_cents: 0,
    credits_ongoing_balance: decimalString(new Decimal(ongoing).div(sub).div(dec(wallet.rate_amount)).toDecimalPlaces(5, Decimal.ROUND_HALF_UP)),
    credits_ongoing_usage_balance: "0.0",
  };
}

// ---- validation shared by create and update ----------------------------------------------------

/** Wallets::RecurringTransactionRules::ValidateService on the first rule sent. */
function validRule(lago: LagoContext, rule: Params): boolean {
  const trigger = truthy(rule.trigger) ? String(rule.trigger) : undefined;
  const method = truthy(rule.method) ? String(rule.method) : undefined;
  const validTrigger =
    (trigger === "interval" && typeof rule.interval === "string" && (RULE_INTERVALS as readonly string[]).includes(rule.interval)) ||
    (trigger === "threshold" && decimalText(rule.threshold_credits) !== undefined);
  if (!validTrigger) return false;
  if (method === "target" && decimalText(rule.target_ongoing_balance) === undefined) return false;
  if (method === "target" && trigger === "threshold" && rule.target_ongoing_balance != null && rule.threshold_credits != null) {
    if (bigDecimal(String(rule.target_ongoing_balance), "target_ongoing_balance").lt(bigDecimal(String(rule.threshold_credits), "threshold_credits"))) return false;
  }
  if (truthy(rule.paid_credits) || truthy(rule.granted_credits)) {
    const ok = (truthy(rule.paid_credits) && decimalText(rule.paid_credits) !== undefined) || (truthy(rule.granted_credits) && decimalText(rule.granted_credits) !== undefined);
    if (!ok) return false;
  }
  if (metadataProblem(rule.transaction_metadata, 5) !== undefined) return false;
  if (!validExpiration(rule.expiration_at, lago.now())) return false;
  if (rule.grants_target_top_up !== undefined && rule.grants_target_top_up !== null && method !== "target") return false;
  return true;
}

/**
 * The rules' count and first rule (ValidateService / ValidateRecurringTransactionRulesService). A hash sent for
 * the list is counted by its keys, and its first pair is not a rule: Lago raises reading it.
 */
function checkRules(lago: LagoContext, rules: Json, v: Validation) {
  const count = countOf(rules);
  if (count === 0) return;
  if (count > 1) return void v.add("recurring_transaction_rules", "invalid_number_of_recurring_rules");
  if (!Array.isArray(rules)) throw lagoRaises("recurring_transaction_rules sent as a hash: its first pair is read as a rule");
  if (!validRule(lago, rules[0] as Params)) v.add("recurring_transaction_rules", "invalid_recurring_rule");
}

/** Wallets::ValidateLimitationsService: known fee types, and every billable metric code found. */
function limitationsValid(lago: LagoContext, appliesTo: Json): boolean {
  if (!truthy(appliesTo) || !isObject(appliesTo)) return true;
  const feeTypes = appliesTo.fee_types;
  let ok = true;
  if (present(feeTypes)) {
    const incoming = (Array.isArray(feeTypes) ? feeTypes : [feeTypes]).map((t) => (t === null ? "" : String(t)));
    if (incoming.some((t) => !FEE_TYPES.includes(t))) ok = false;
  }
  const codes = metricCodes(appliesTo);
  if (codes.length && metricsWithCodes(lago, codes).length !== codes.length) ok = false;
  return ok;
}

/** `applies_to[:billable_metric_codes].compact.uniq`, blank as none. */
function metricCodes(appliesTo: Json): string[] {
  if (!isObject(appliesTo) || !present(appliesTo.billable_metric_codes) || !Array.isArray(appliesTo.billable_metric_codes)) return [];
  return [...new Set(appliesTo.billable_metric_codes.filter((c) => c !== null).map(String))];
}

const metricsWithCodes = (lago: LagoContext, codes: string[]) =>
  tables(lago.store).billableMetrics.filter((m) => m.deleted_at === null && codes.includes(m.code));

/** PaymentMethods::ValidateService. The local Lago stores no payment methods, so none is ever found. */
function paymentMethodValid(paymentMethod: Json): boolean {
  if (!present(paymentMethod) || !isObject(paymentMethod)) return true;
  const type = paymentMethod.payment_method_type;
  const id = paymentMethod.payment_method_id;
  if (!present(type) && !present(id)) return true;
  if ((id === undefined || id === null) && String(type) === "provider") return true;
  return String(type) === "manual";
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Assigns `payment_method` as Lago does: the type goes to a not-null database enum (a blank one is a database
 * error), the id to a uuid column (text that is no uuid reads as nil; a uuid names no payment method here,
 * which the foreign key refuses).
 */
function assignPaymentMethod(target: { payment_method_type: string; payment_method_id: string | null }, paymentMethod: Json) {
  if (!isObject(paymentMethod)) return;
  if ("payment_method_type" in paymentMethod) {
    const type = paymentMethod.payment_method_type;
    if (type !== "provider" && type !== "manual") throw lagoRaises(`payment_method_type ${JSON.stringify(type)} is not a value of the payment_method_type enum`);
    target.payment_method_type = type;
  }
  if ("payment_method_id" in paymentMethod) {
    const id = paymentMethod.payment_method_id;
    if (typeof id === "string" && UUID.test(id.trim())) throw lagoRaises(`payment_method_id ${id} names no payment method (foreign key)`);
    target.payment_method_id = null;
  }
}

/** The wallet model's validations (app/models/wallet.rb), on the values as sent where Rails checks those. */
function validateWalletModel(lago: LagoContext, wallet: WalletRecord, raw: { rate_amount: Json; min: Json; max: Json }, v: Validation) {
  numericality(v, "rate_amount", raw.rate_amount, false, 5);
  if (!isLagoCurrency(wallet.currency)) v.add("currency", "value_is_invalid");
  numericality(v, "paid_top_up_min_amount_cents", raw.min, true);
  numericality(v, "paid_top_up_max_amount_cents", raw.max, true);
  if (!(Number.isInteger(wallet.priority) && wallet.priority >= 1 && wallet.priority <= LOWEST_PRIORITY)) v.add("priority", "value_is_invalid");
  const { paid_top_up_min_amount_cents: min, paid_top_up_max_amount_cents: max } = wallet;
  if (min !== null && max !== null && max < min) v.add("paid_top_up_max_amount_cents", "must_be_greater_than_or_equal_min");
  if (wallet.status === "active" && wallet.code !== null) {
    const taken = walletTables(lago).wallets.find((w) => w.id !== wallet.id && w.customer_id === wallet.customer_id && w.status === "active" && w.code === wallet.code);
    if (taken) v.add("code", "value_already_exist");
  }
}

/** What the database refuses once Rails' validations pass: decimal(30, 5) and bigint overflows. */
function assertWalletFits(wallet: WalletRecord) {
  assertDecimalFits(dec(wallet.rate_amount), "rate_amount");
  for (const field of ["paid_top_up_min_amount_cents", "paid_top_up_max_amount_cents"] as const) {
    const value = wallet[field];
    if (value !== null && Math.abs(value) >= 2 ** 63) throw lagoRaises(`${field} ${value} is out of range for a bigint column`);
  }
}

/** `numericality: {greater_than: 0}` on the value as sent; decimal columns compare at their scale. */
function numericality(v: Validation, field: string, raw: Json, allowNil: boolean, scale?: number) {
  const nil = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
  if (nil && allowNil) return;
  if (!isNumeric(raw)) return void v.add(field, NOT_A_NUMBER);
  let value = numericValue(raw as string | number);
  if (scale !== undefined) value = value.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
  if (value.lte(0)) v.add(field, "value_is_out_of_range");
}

/** Metadata::ItemMetadata#value_correctness: at most 50 keys of ≤ 100 characters, values nil or text ≤ 255. */
function metadataValueProblems(value: Record<string, Json>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(value);
  if (entries.length > 50) problems.push("cannot have more than 50 keys");
  for (const [key, val] of entries) {
    if ([...key].length > 100) problems.push(`key '${key}' must be a String up to 100 characters`);
    if (!(val === null || (typeof val === "string" && [...val].length <= 255))) problems.push(`value for key '${key}' must be empty or a String up to 255 characters`);
  }
  return problems;
}

// ---- recurring transaction rules -----------------------------------------------------------------

/** Wallets::RecurringTransactionRules::CreateService (premium only): the one rule sent at creation. */
function createRuleAtCreation(lago: LagoContext, wallet: WalletRecord, params: Params): RuleRecord {
  const rule = (params.recurring_transaction_rules as Params[])[0]!;
  if (!paymentMethodValid(rule.payment_method)) throw validationError({ payment_method: ["invalid_payment_method"] });
  const method = truthy(rule.method) ? rule.method : "fixed";
  let paid: Json;
  let granted: Json;
  // A fixed rule without amounts tops up what the wallet was created with.
  if (method === "fixed" && rule.paid_credits == null && rule.granted_credits == null) {
    paid = params.paid_credits;
    granted = params.granted_credits;
  }
  const paidCredits = truthy(rule.paid_credits) ? rule.paid_credits : truthy(paid) ? paid : 0;
  const grantedCredits = truthy(rule.granted_credits) ? rule.granted_credits : truthy(granted) ? granted : 0;
  const record: RuleRecord = {
    id: newId(),
    wallet_id: wallet.id,
    status: "active",
    trigger: String(rule.trigger),
    method: "fixed",
    interval: null,
    paid_credits: "0",
    granted_credits: "0",
    threshold_credits: "0",
    target_ongoing_balance: null,
    grants_target_top_up: method === "target" ? booleanCast(rule.grants_target_top_up) === true : null,
    started_at: datetimeColumn(rule.started_at),
    expiration_at: datetimeColumn(rule.expiration_at),
    invoice_requires_successful_payment: wallet.invoice_requires_successful_payment,
    ignore_paid_top_up_limits: false,
    transaction_metadata: (truthy(rule.transaction_metadata) ? rule.transaction_metadata : []) as Json[],
    transaction_name: present(rule.transaction_name) ? stringColumn(rule.transaction_name) : null,
    payment_method_type: "provider",
    payment_method_id: null,
    created_at: isoSeconds(lago.now()),
    terminated_at: null,
  };
  if ("ignore_paid_top_up_limits" in rule) record.ignore_paid_top_up_limits = notNullBoolean(rule.ignore_paid_top_up_limits, "ignore_paid_top_up_limits");
  assignPaymentMethod(record, rule.payment_method);
  if ("invoice_requires_successful_payment" in rule) record.invoice_requires_successful_payment = notNullBoolean(rule.invoice_requires_successful_payment, "invoice_requires_successful_payment");
  // validate_paid_credits!: fixed rules check their paid credits against the wallet's top-up limits.
  if (method === "fixed" && !bigDecimal(paidCredits, "rule paid_credits").toDecimalPlaces(5, Decimal.ROUND_FLOOR).isZero()) {
    if (amountLimitsProblem(wallet, paidCredits, record.ignore_paid_top_up_limits)) throw validationError({ recurring_transaction_rules: ["invalid_recurring_rule"] });
  }
  assignRuleColumns(record, { interval: rule.interval, method, paid_credits: paidCredits, granted_credits: grantedCredits, threshold_credits: truthy(rule.threshold_credits) ? rule.threshold_credits : 0, target_ongoing_balance: rule.target_ongoing_balance });
  validateRuleModel(record, true);
  assertRuleFits(record);
  return record;
}

/** The rule's decimal(30, 5) columns: a value past them is a database error. */
function assertRuleFits(rule: RuleRecord) {
  for (const field of ["paid_credits", "granted_credits", "threshold_credits", "target_ongoing_balance"] as const) {
    const value = rule[field];
    if (value !== null) assertDecimalFits(dec(value), field);
  }
}

/** A boolean column that is NOT NULL: a blank value cast to nil is a database error. */
function notNullBoolean(v: Json, field: string): boolean {
  const cast = booleanCast(v);
  if (cast === null) throw lagoRaises(`${field} nil into a NOT NULL column`);
  return cast;
}

/** Assigns the enum and decimal columns Lago assigns raw (enum values it does not know raise). */
function assignRuleColumns(record: RuleRecord, values: Params) {
  if ("interval" in values) record.interval = enumColumn(RULE_INTERVALS, values.interval, "interval");
  if ("method" in values) {
    const method = enumColumn(RULE_METHODS, values.method, "method");
    if (method === null) throw lagoRaises("method nil into a NOT NULL column");
    record.method = method;
  }
  if ("trigger" in values) {
    const trigger = enumColumn(RULE_TRIGGERS, values.trigger, "trigger");
    if (trigger === null) throw lagoRaises("trigger nil into a NOT NULL column");
    record.trigger = trigger;
  }
  for (const field of ["paid_credits", "granted_credits"] as const) {
    if (!(field in values)) continue;
    const value = decimalColumn(values[field]);
    if (value === null) throw lagoRaises(`${field} nil into a NOT NULL column`);
    record[field] = value.toFixed();
  }
  if ("threshold_credits" in values) record.threshold_credits = decimalColumn(values.threshold_credits)?.toFixed() ?? null;
  if ("target_ongoing_balance" in values) record.target_ongoing_balance = decimalColumn(values.target_ongoing_balance)?.toFixed() ?? null;
}

/** RecurringTransactionRule's validations; the target/threshold check runs only when those fields changed. */
function validateRuleModel(rule: RuleRecord, targetChanged: boolean) {
  const v = new Validation();
  if (rule.transaction_name !== null) {
    const length = [...rule.transaction_name].length;
    if (length < 1) v.add("transaction_name", "value_is_too_short");
    if (length > 255) v.add("transaction_name", "value_is_too_long");
  }
  if (rule.method === "target") {
    if (rule.grants_target_top_up !== null && typeof rule.grants_target_top_up !== "boolean") v.add("grants_target_top_up", "value_is_invalid");
  } else if (rule.grants_target_top_up !== null) v.add("grants_target_top_up", "value_is_reserved");
  if (targetChanged && rule.method === "target" && rule.trigger === "threshold" && rule.target_ongoing_balance !== null && rule.threshold_credits !== null) {
    if (dec(rule.target_ongoing_balance).lt(dec(rule.threshold_credits))) v.add("target_ongoing_balance", "must_be_greater_than_or_equal_threshold");
  }
  v.throwIfAny();
}

/** RecurringTransactionRules::TerminateService. */
function terminateRule(lago: LagoContext, rule: RuleRecord) {
  if (rule.status === "terminated") return;
  walletTables(lago).rules.put({ ...rule, status: "terminated", terminated_at: rule.terminated_at ?? isoMillis(lago.now()) });
}

/**
 * Wallets::RecurringTransactionRules::UpdateService: rules sent with the lago_id of an active rule update it,
 * the others are created; every rule of the wallet not sent (or just created) is terminated.
 */
function replaceRules(lago: LagoContext, wallet: WalletRecord, sent: Json) {
  const { rules } = walletTables(lago);
  const payload = (Array.isArray(sent) ? sent : []) as Params[];
  for (const p of payload) if (!paymentMethodValid(p.payment_method)) throw validationError({ payment_method: ["invalid_payment_method"] });
  const created: string[] = [];
  for (const p of payload) {
    const { lago_id: lagoId, invoice_custom_section: _sections, payment_method: paymentMethod, ...attrs } = p;
    if ("transaction_name" in attrs) attrs.transaction_name = present(attrs.transaction_name) ? attrs.transaction_name : null;
    for (const field of ["paid_credits", "granted_credits", "threshold_credits"]) if (field in attrs && attrs[field] === null) attrs[field] = 0;
    const existing = rules.find((r) => r.wallet_id === wallet.id && r.id === lagoId && currentlyActive(lago, r));
    // grants_target_top_up only means something for target rules.
    const method = truthy(attrs.method) ? String(attrs.method) : existing?.method;
    if (method === "target") {
      if ("grants_target_top_up" in attrs) attrs.grants_target_top_up = booleanCast(attrs.grants_target_top_up);
      else if (existing?.grants_target_top_up == null) attrs.grants_target_top_up = false;
    } else attrs.grants_target_top_up = null;

    const record: RuleRecord = existing
      ? { ...existing }
      : {
          id: newId(),
          wallet_id: wallet.id,
          status: "active",
          trigger: "interval",
          method: "fixed",
          interval: "weekly",
          paid_credits: "0",
          granted_credits: "0",
          threshold_credits: "0",
          target_ongoing_balance: null,
          grants_target_top_up: null,
          started_at: null,
          expiration_at: null,
          invoice_requires_successful_payment: wallet.invoice_requires_successful_payment,
          ignore_paid_top_up_limits: false,
          transaction_metadata: [],
          transaction_name: null,
          payment_method_type: "provider",
          payment_method_id: null,
          created_at: isoSeconds(lago.now()),
          terminated_at: null,
        };
    assignRuleColumns(record, attrs);
    if ("grants_target_top_up" in attrs) record.grants_target_top_up = attrs.grants_target_top_up as boolean | null;
    if ("started_at" in attrs) record.started_at = datetimeColumn(attrs.started_at);
    if ("expiration_at" in attrs) record.expiration_at = datetimeColumn(attrs.expiration_at);
    if ("transaction_name" in attrs) record.transaction_name = stringColumn(attrs.transaction_name);
    if ("transaction_metadata" in attrs) record.transaction_metadata = (attrs.transaction_metadata ?? []) as Json[];
    for (const field of ["invoice_requires_successful_payment", "ignore_paid_top_up_limits"] as const) if (field in attrs) record[field] = notNullBoolean(attrs[field], field);
    assignPaymentMethod(record, paymentMethod);
    const targetChanged = !existing || ["target_ongoing_balance", "threshold_credits", "method", "trigger"].some((f) => f in attrs);
    validateRuleModel(record, targetChanged);
    assertRuleFits(record);
    rules.put(record);
    if (!existing) created.push(record.id);
  }
  const kept = new Set([...payload.map((p) => p.lago_id).filter((id) => id !== undefined && id !== null).map(String), ...created]);
  for (const rule of rulesOf(lago, wallet.id)) if (!kept.has(rule.id)) terminateRule(lago, rule);
}

// ---- create ------------------------------------------------------------------------------------

/** Customers::UpdateCurrencyService from another resource: set when unset and editable, else it must match. */
function bindCustomerCurrency(lago: LagoContext, customer: CustomerRecord, currency: Json): CustomerRecord {
  if (customer.currency === currency) return customer;
  if (customer.currency !== null || !customerIsEditable(lago, customer.id)) throw validationError({ currency: ["currencies_does_not_match"] });
  const text = stringColumn(currency);
  if (!isLagoCurrency(text)) throw validationError({ currency: ["value_is_invalid"] });
  const next = { ...customer, currency: text };
  tables(lago.store).customers.put(next);
  return next;
}

/** ActiveSupport's parameterize(separator: "_"): ASCII letters and digits, the rest folded into one "_". */
function parameterize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9\-_]+/gi, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}

export interface CreatedWallet {
  wallet: WalletRecord;
  /** Lago's WalletTransactions::CreateJob, enqueued after commit: run it once the answer is serialized. */
  afterCommit: () => void;
}

/** Wallets::CreateService behind POST /wallets. */
export function createWallet(lago: LagoContext, params: Params): CreatedWallet {
  const { wallets } = walletTables(lago);
  // find_by(external_id:) casts the value sent to the string column's text.
  const externalId = stringColumn(params.external_customer_id);
  let customer = tables(lago.store).customers.find((c) => c.deleted_at === null && c.external_id === externalId) as CustomerRecord | undefined;

  // Wallets::ValidateService: every problem at once.
  const v = new Validation();
  if (!customer) v.add("customer", "customer_not_found");
  for (const field of ["paid_credits", "granted_credits"]) {
    if (!truthy(params[field])) continue;
    const value = decimalText(params[field]);
    if (!value || value.lt(0)) v.add(field, `invalid_${field}`).add(field, "invalid_amount");
  }
  if (truthy(params.expiration_at) && !validExpiration(params.expiration_at, lago.now())) v.add("expiration_at", "invalid_date");
  if (present(params.recurring_transaction_rules)) checkRules(lago, params.recurring_transaction_rules, v);
  if (truthy(params.transaction_metadata)) {
    const problem = metadataProblem(params.transaction_metadata, 5);
    if (problem) v.add("metadata", problem);
  }
  if (truthy(params.applies_to) && !limitationsValid(lago, params.applies_to)) v.add("applies_to", "invalid_limitations");
  if (customer && wallets.filter((w) => w.customer_id === customer!.id && w.status === "active").length >= MAXIMUM_WALLETS_PER_CUSTOMER)
    v.add("customer", "wallet_limit_reached");
  if (truthy(params.payment_method) && !paymentMethodValid(params.payment_method)) v.add("payment_method", "invalid_payment_method");
  v.throwIfAny();
  customer = customer!;

  // A code is made from the name when none is sent, made unique among the customer's active wallets.
  let code = stringColumn(params.code);
  if (!present(params.code)) {
    code = parameterize(params.name === undefined || params.name === null ? "" : String(params.name)) || "default"; // Ruby's to_s
    if (wallets.find((w) => w.customer_id === customer!.id && w.status === "active" && w.code === code)) code += `_${Math.floor(lago.now().getTime() / 1000)}`;
  }
  const now = lago.now();
  const wallet: WalletRecord = {
    id: newId(),
    sequence: wallets.size + 1,
    customer_id: customer.id,
    status: "active",
    currency: "",
    name: stringColumn(params.name),
    code,
    priority: LOWEST_PRIORITY,
    rate_amount: decimalColumn(params.rate_amount)?.toFixed() ?? "0",
    credits_balance: "0",
    consumed_credits: "0",
    credits_ongoing_balance: "0",
    credits_ongoing_usage_balance: "0",
    balance_cents: 0,
    consumed_amount_cents: 0,
    ongoing_balance_cents: 0,
    ongoing_usage_balance_cents: 0,
    expiration_at: datetimeColumn(params.expiration_at),
    last_balance_sync_at: null,
    last_consumed_credit_at: null,
    invoice_requires_successful_payment: false,
    paid_top_up_min_amount_cents: bigintColumn(params.paid_top_up_min_amount_cents),
    paid_top_up_max_amount_cents: bigintColumn(params.paid_top_up_max_amount_cents),
    allowed_fee_types: [],
    billable_metric_ids: [],
    payment_method_type: "provider",
    payment_method_id: null,
    metadata: null,
    created_at: isoSeconds(now),
    terminated_at: null,
  };
  if (truthy(params.priority)) wallet.priority = priorityCast(params.priority);
  if ("invoice_requires_successful_payment" in params) wallet.invoice_requires_successful_payment = booleanCast(params.invoice_requires_successful_payment) ?? false;
  if (isObject(params.applies_to) && "fee_types" in params.applies_to) wallet.allowed_fee_types = feeTypesColumn(params.applies_to.fee_types);

  // In Lago's transaction: the currency binds the customer, then the wallet takes the customer's.
  if (present(params.currency)) customer = bindCustomerCurrency(lago, customer, params.currency);
  wallet.currency = customer.currency ?? "";
  const model = new Validation();
  validateWalletModel(lago, wallet, { rate_amount: params.rate_amount, min: params.paid_top_up_min_amount_cents, max: params.paid_top_up_max_amount_cents }, model);
  model.throwIfAny();
  assertWalletFits(wallet);
  if (isObject(params.payment_method)) assignPaymentMethod(wallet, params.payment_method);

  // validate_wallet_initial_amount!: credits worth less than a cent, then the paid top-up limits.
  for (const field of ["paid_credits", "granted_credits"]) if (roundsToZero(wallet, params[field])) throw validationError({ [field]: ["amount_rounds_to_zero"] });
  if (decimalText(params.paid_credits)?.gt(0)) {
    const problem = amountLimitsProblem(wallet, params.paid_credits, params.ignore_paid_top_up_limits_on_creation);
    if (problem) throw validationError({ paid_credits: [problem] });
  }

  const rule = present(params.recurring_transaction_rules) && lago.premium ? createRuleAtCreation(lago, wallet, params) : undefined;
  wallet.billable_metric_ids = metricsWithCodes(lago, metricCodes(params.applies_to)).map((m) => m.id);
  // The metadata item is created with `call`, not `call!`: an invalid one is dropped silently.
  if (isObject(params.metadata) && !metadataValueProblems(params.metadata).length) wallet.metadata = params.metadata;
  wallets.put(wallet);
  if (rule) walletTables(lago).rules.put(rule);

  const positive = (credits: Json) => truthy(credits) && bigDecimal(credits, "positive_amount?").gt(0);
  const afterCommit = () => {
    topUp();
    // customer.flag_wallets_for_refresh: Lago's clock refreshes the flagged customer's wallets within minutes
    // (premium only), which may fire a threshold rule of a wallet created under its threshold.
    if (lago.premium) refreshWallets(lago, customer!.id, 0);
  };
  const topUp = () => {
    if (!positive(params.paid_credits) && !positive(params.granted_credits)) return;
    const job = {
      wallet_id: wallet.id,
      paid_credits: params.paid_credits,
      granted_credits: params.granted_credits,
      metadata: params.transaction_metadata,
      name: params.transaction_name,
      priority: params.transaction_priority,
      ignore_paid_top_up_limits: params.ignore_paid_top_up_limits_on_creation,
    };
    // A job that fails leaves the wallet as created, as Lago's failed job does.
    try {
      lago.store.transaction(() => createTransactions(lago, job));
    } catch (error) {
      if (!(error instanceof LagoHttpError)) throw error;
    }
  };
  return { wallet, afterCommit };
}

/** The integer `priority` column: text by its leading integer, other values nil (which fails 1..50). */
function priorityCast(v: Json): number {
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string") return /^\s*[+-]?\d+/.test(v) ? Number.parseInt(v, 10) : 0;
  return Number.NaN;
}

/** `allowed_fee_types`, a string array column. */
const feeTypesColumn = (v: Json): string[] => (Array.isArray(v) ? v.map((t) => stringColumn(t) ?? "") : []);

// ---- update and terminate -------------------------------------------------------------------------

/** Wallets::UpdateService behind PUT /wallets/:id. Rate, currency and credits are not updatable (not permitted). */
export function updateWallet(lago: LagoContext, wallet: WalletRecord, params: Params): WalletRecord {
  if (!validExpiration(params.expiration_at, lago.now())) throw validationError({ expiration_at: ["invalid_date"] });
  if (truthy(params.recurring_transaction_rules)) {
    const v = new Validation();
    checkRules(lago, params.recurring_transaction_rules, v);
    v.throwIfAny();
  }
  if (truthy(params.applies_to) && !limitationsValid(lago, params.applies_to)) {
    // The limitations service's own errors are the answer here (no wrapping applies_to code).
    const v = new Validation();
    const feeTypes = isObject(params.applies_to) ? params.applies_to.fee_types : undefined;
    if (present(feeTypes) && (Array.isArray(feeTypes) ? feeTypes : [feeTypes]).some((t) => !FEE_TYPES.includes(t === null ? "" : String(t)))) v.add("allowed_fee_types", "invalid_fee_types");
    const codes = metricCodes(params.applies_to);
    if (codes.length && metricsWithCodes(lago, codes).length !== codes.length) v.add("billable_metrics", "invalid_identifier");
    v.throwIfAny();
  }
  if (truthy(params.payment_method) && !paymentMethodValid(params.payment_method)) throw validationError({ payment_method: ["invalid_payment_method"] });

  const next: WalletRecord = { ...wallet };
  if ("name" in params) next.name = stringColumn(params.name);
  if (truthy(params.code)) next.code = stringColumn(params.code);
  if (truthy(params.priority)) next.priority = priorityCast(params.priority);
  if ("expiration_at" in params) next.expiration_at = datetimeColumn(params.expiration_at);
  let requiresPaymentNil = false;
  if (params.invoice_requires_successful_payment !== undefined && params.invoice_requires_successful_payment !== null) {
    const cast = booleanCast(params.invoice_requires_successful_payment);
    if (cast === null) requiresPaymentNil = true;
    else next.invoice_requires_successful_payment = cast;
  }
  if ("paid_top_up_min_amount_cents" in params) next.paid_top_up_min_amount_cents = bigintColumn(params.paid_top_up_min_amount_cents);
  if ("paid_top_up_max_amount_cents" in params) next.paid_top_up_max_amount_cents = bigintColumn(params.paid_top_up_max_amount_cents);

  // Rules change only with premium; every rule of the wallet is then checked against the new top-up limits.
  if (truthy(params.recurring_transaction_rules) && lago.premium) replaceRules(lago, next, params.recurring_transaction_rules);
  for (const rule of rulesOf(lago, wallet.id)) {
    if (rule.method !== "fixed" || dec(rule.paid_credits).isZero()) continue;
    if (amountLimitsProblem(next, decimalString(dec(rule.paid_credits)), rule.ignore_paid_top_up_limits)) throw validationError({ recurring_transaction_rules: ["invalid_recurring_rule"] });
  }
  if (isObject(params.applies_to) && "fee_types" in params.applies_to) next.allowed_fee_types = feeTypesColumn(params.applies_to.fee_types);
  if (isObject(params.payment_method)) assignPaymentMethod(next, params.payment_method);
  // Wallet targets follow the codes sent; no applies_to (or no codes) removes them all.
  const metricIds = metricsWithCodes(lago, metricCodes(params.applies_to)).map((m) => m.id);
  next.billable_metric_ids = [...next.billable_metric_ids.filter((id) => metricIds.includes(id)), ...metricIds.filter((id) => !next.billable_metric_ids.includes(id))];

  const v = new Validation();
  // Numericality reads what was sent when a limit was sent, the stored value otherwise.
  const sentOr = (field: "paid_top_up_min_amount_cents" | "paid_top_up_max_amount_cents") => (field in params ? params[field] : next[field]);
  validateWalletModel(lago, next, { rate_amount: next.rate_amount, min: sentOr("paid_top_up_min_amount_cents"), max: sentOr("paid_top_up_max_amount_cents") }, v);
  if (requiresPaymentNil) v.add("invoice_requires_successful_payment", "value_is_reserved");
  v.throwIfAny();
  assertWalletFits(next);

  // Metadata::UpdateItemService with call!: a hash replaces the item, an invalid one is refused with the model's
  // messages (strong parameters drop nil and other shapes before it).
  if (isObject(params.metadata)) {
    const problems = metadataValueProblems(params.metadata);
    if (problems.length) throw validationError({ value: problems });
    next.metadata = params.metadata;
  }
  const saved = walletTables(lago).wallets.put(next);
  // needs_refresh?: a change of code, priority, fee types or targets refreshes the customer's wallets.
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const refresh = !same(wallet.code, next.code) || wallet.priority !== next.priority || !same(wallet.allowed_fee_types, next.allowed_fee_types) || !same([...wallet.billable_metric_ids].sort(), [...next.billable_metric_ids].sort());
  if (refresh) refreshWallets(lago, saved.customer_id, 0);
  return walletTables(lago).wallets.get(saved.id)!;
}

/** Wallets::TerminateService: the wallet and its rules end; terminating twice changes nothing. */
export function terminateWallet(lago: LagoContext, wallet: WalletRecord): WalletRecord {
  if (wallet.status === "terminated") return wallet;
  const terminated = walletTables(lago).wallets.put({ ...wallet, status: "terminated", terminated_at: wallet.terminated_at ?? isoMillis(lago.now()) });
  for (const rule of rulesOf(lago, wallet.id)) terminateRule(lago, rule);
  return terminated;
}

// ---- wallet transactions (WalletTransactions::CreateFromParamsService) -----------------------------

/**
 * Creates the transactions a top-up asks for: paid (pending until its invoice is paid), granted (settled), voided.
 * A balance that moved is refreshed, which may fire the wallets' threshold top-ups (`depth` counts those).
 */
export function createTransactions(lago: LagoContext, params: Params, depth = 0): WalletTransactionRecord[] {
  const { wallets, transactions } = walletTables(lago);
  if (isObject(params.metadata) && !Object.keys(params.metadata).length) params = { ...params, metadata: [] };

  // WalletTransactions::ValidateService.
  const v = new Validation();
  const wallet = typeof params.wallet_id === "string" ? wallets.get(params.wallet_id) : undefined;
  if (!wallet) v.add("wallet_id", "wallet_not_found");
  else if (wallet.status === "terminated") v.add("wallet_id", "wallet_is_terminated");
  const validAmount = (value: Json) => {
    const d = decimalText(value);
    return d !== undefined && d.gte(0) && d.lte(MAX_TRANSACTION_CREDITS);
  };
  for (const field of ["paid_credits", "granted_credits"]) {
    if (!truthy(params[field])) continue;
    if (!validAmount(params[field])) v.add(field, `invalid_${field}`).add(field, "invalid_amount");
    else if (wallet && roundsToZero(wallet, params[field])) v.add(field, "amount_rounds_to_zero");
  }
  if (truthy(params.voided_credits) && wallet) {
    if (!validAmount(params.voided_credits)) v.add("voided_credits", "invalid_voided_credits").add("voided_credits", "invalid_amount");
    else if (decimalText(params.voided_credits)!.gt(dec(wallet.credits_balance))) v.add("voided_credits", "insufficient_credits");
  }
  if (truthy(params.metadata)) {
    const problem = metadataProblem(params.metadata, 15);
    if (problem) v.add("metadata", problem);
  }
  if (truthy(params.name) && !(typeof params.name === "string" && params.name.trim() === "")) {
    if (typeof params.name !== "string") v.add("name", "invalid_value");
    else if ([...params.name].length > 255) v.add("name", "too_long");
  }
  if (present(params.payment_method) && !paymentMethodValid(params.payment_method)) v.add("payment_method", "invalid_payment_method");
  v.throwIfAny();
  let current = wallet!;

  const requiresPayment = "invoice_requires_successful_payment" in params ? booleanCast(params.invoice_requires_successful_payment) : null;
  const priority = truthy(params.priority) ? priorityCast(params.priority) : 50;
  // The transaction model's validations raise (RecordInvalid is not rescued there: a 500).
  if (!(Number.isInteger(priority) && priority >= 1 && priority <= 50)) throw lagoRaises(`wallet transaction priority ${String(params.priority)} fails inclusion 1..50 in create!`);
  const name = present(params.name) ? (params.name as string) : null;
  const metadata = (truthy(params.metadata) ? params.metadata : []) as Json[];
  const now = lago.now();
  const base = {
    wallet_id: current.id,
    source: (params.source === "threshold" || params.source === "interval" ? params.source : "manual") as WalletTransactionRecord["source"],
    priority,
    name,
    metadata,
    created_at: isoSeconds(now),
    payment_method_type: "provider",
    payment_method_id: null as string | null,
    invoice_requires_successful_payment: requiresPayment ?? current.invoice_requires_successful_payment,
  };
  // Everything that can refuse or raise is settled before the first write (Lago's transaction rolls back).
  const floored = (field: string) => (truthy(params[field]) ? bigDecimal(params[field], field).toDecimalPlaces(5, Decimal.ROUND_FLOOR) : new Decimal(0));
  const paidCredits = floored("paid_credits");
  if (!paidCredits.isZero()) {
    const problem = amountLimitsProblem(current, paidCredits.toFixed(), params.ignore_paid_top_up_limits);
    if (problem) throw validationError({ paid_credits: [problem] });
  }
  const paid = paidCredits.isZero() ? undefined : columnSafe(walletCredit(current, paidCredits));
  const grantedCredits = floored("granted_credits");
  const granted = grantedCredits.isZero() ? undefined : columnSafe(walletCredit(current, grantedCredits));
  if (granted) bigintSum(current.balance_cents, granted.amountCents);
  const created: WalletTransactionRecord[] = [];
  const sequence = () => transactions.size + 1;

  if (paid) {
    const row: WalletTransactionRecord = {
      ...base,
      id: newId(),
      sequence: sequence(),
      status: "pending",
      transaction_status: "purchased",
      transaction_type: "inbound",
      amount: paid.amount.toFixed(),
      credit_amount: paid.credits.toFixed(),
      remaining_amount_cents: null,
      settled_at: null,
    };
    if (isObject(params.payment_method)) assignPaymentMethod(row, params.payment_method);
    created.push(transactions.put(row));
  }

  if (granted) {
    created.push(
      transactions.put({
        ...base,
        id: newId(),
        sequence: sequence(),
        status: "settled",
        transaction_status: "granted",
        transaction_type: "inbound",
        amount: granted.amount.toFixed(),
        credit_amount: granted.credits.toFixed(),
        // Traceable wallets track what is left of each granted top-up.
        remaining_amount_cents: granted.amountCents,
        settled_at: isoSeconds(now),
      }),
    );
    // Wallets::Balance::IncreaseService, then the refresh job's ongoing balance.
    current = wallets.put(
      withOngoingBalance({
        ...current,
        balance_cents: current.balance_cents + granted.amountCents,
        credits_balance: dec(current.credits_balance).plus(granted.credits).toFixed(),
        last_balance_sync_at: isoSeconds(now),
      }),
    );
  }

  if (truthy(params.voided_credits)) {
    const credit = walletCredit(current, floored("voided_credits"), false);
    if (!credit.credits.isZero()) {
      created.push(
        transactions.put({
          ...base,
          id: newId(),
          sequence: sequence(),
          status: "settled",
          transaction_status: "voided",
          transaction_type: "outbound",
          amount: credit.amount.toFixed(),
          credit_amount: credit.credits.toFixed(),
          remaining_amount_cents: null,
          settled_at: isoSeconds(now),
        }),
      );
      consumeByPriority(lago, current, credit.amountCents);
      // Wallets::Balance::DecreaseService: voided credits count as consumed.
      current = wallets.put(
        withOngoingBalance({
          ...current,
          balance_cents: current.balance_cents - credit.amountCents,
          credits_balance: dec(current.credits_balance).minus(credit.credits).toFixed(),
          consumed_credits: dec(current.consumed_credits).plus(credit.credits).toFixed(),
          consumed_amount_cents: current.consumed_amount_cents + credit.amountCents,
          last_balance_sync_at: isoSeconds(now),
          last_consumed_credit_at: isoSeconds(now),
        }),
      );
    }
  }
  if (created.some((t) => t.status === "settled")) refreshWallets(lago, current.customer_id, depth);
  return created;
}

// ---- balance refresh and threshold top-ups ---------------------------------------------------------

/** How deep threshold top-ups may chain in one request (each one can refresh the balance and fire again). */
const MAX_THRESHOLD_CHAIN = 100;

/**
 * Customers::RefreshWalletJob after a balance change, then Wallets::ThresholdTopUpService for each active
 * wallet (its CreateJob, 2 s later in Lago, runs at once here). No usage is drawn locally: the ongoing balance
 * is the balance. A top-up job that fails leaves things as they are, as Lago's failed job does.
 */
function refreshWallets(lago: LagoContext, customerId: string, depth: number) {
  if (depth >= MAX_THRESHOLD_CHAIN) return;
  const { wallets, transactions } = walletTables(lago);
  const active = wallets.filter((w) => w.customer_id === customerId && w.status === "active").sort((a, b) => a.priority - b.priority || a.sequence - b.sequence);
  for (const { id } of active) {
    const wallet = wallets.get(id)!;
    const rule = rulesOf(lago, id).find((r) => r.trigger === "threshold" && currentlyActive(lago, r));
    if (!rule || rule.threshold_credits === null) continue;
    const ongoing = dec(wallet.credits_ongoing_balance);
    const threshold = dec(rule.threshold_credits);
    if (ongoing.gt(threshold)) continue;
    // Lago adds the pending transactions' money amount to the credits balance here.
    const pending = transactions.filter((t) => t.wallet_id === id && t.status === "pending").reduce((sum, t) => sum.plus(dec(t.amount)), new Decimal(0));
    if (pending.plus(ongoing).gt(threshold)) continue;
    if (rule.method === "target" && rule.target_ongoing_balance === null) continue; // comparing with nil raises in the job
    const job = {
      wallet_id: id,
      paid_credits: decimalString(rulePaidCredits(wallet, rule, ongoing)),
      granted_credits: decimalString(ruleGrantedCredits(rule, ongoing)),
      source: "threshold",
      invoice_requires_successful_payment: rule.invoice_requires_successful_payment,
      metadata: rule.transaction_metadata,
      name: rule.transaction_name,
      ignore_paid_top_up_limits: rule.ignore_paid_top_up_limits,
    };
    try {
      createTransactions(lago, job, depth + 1);
    } catch (error) {
      if (!(error instanceof LagoHttpError)) throw error;
    }
  }
}

/** RecurringTransactionRule#compute_target_top_up_amount: the gap to the target, at least the paid top-up minimum. */
function targetGap(wallet: WalletRecord, rule: RuleRecord, ongoing: Decimal, granted: boolean): Decimal {
  const target = dec(rule.target_ongoing_balance!);
  if (ongoing.gte(target)) return new Decimal(0);
  const gap = target.minus(ongoing);
  if (granted || rule.ignore_paid_top_up_limits || wallet.paid_top_up_min_amount_cents === null) return gap;
  const minimum = new Decimal(wallet.paid_top_up_min_amount_cents).div(subunitToUnit(wallet.currency)).div(dec(wallet.rate_amount));
  return Decimal.max(gap, minimum);
}

/** RecurringTransactionRule#compute_paid_credits. */
function rulePaidCredits(wallet: WalletRecord, rule: RuleRecord, ongoing: Decimal): Decimal {
  if (rule.method !== "target") return dec(rule.paid_credits);
  return rule.grants_target_top_up ? new Decimal(0) : targetGap(wallet, rule, ongoing, false);
}

/** RecurringTransactionRule#compute_granted_credits. */
function ruleGrantedCredits(rule: RuleRecord, ongoing: Decimal): Decimal {
  if (rule.method !== "target") return dec(rule.granted_credits);
  return rule.grants_target_top_up ? targetGap({} as WalletRecord, rule, ongoing, true) : new Decimal(0);
}

/** amount and credit_amount are decimal(30, 5) columns, balances bigint: beyond them the database refuses. */
function columnSafe(credit: Credit): Credit {
  const limit = new Decimal(10).pow(25);
  if (credit.amount.abs().gte(limit) || credit.credits.abs().gte(limit)) throw lagoRaises("a wallet transaction amount overflows decimal(30, 5)");
  return credit;
}

function bigintSum(a: number, b: number): number {
  const sum = a + b;
  if (Math.abs(sum) >= 2 ** 63) throw lagoRaises("balance_cents overflows bigint");
  return sum;
}

/** WalletTransactions::TrackConsumptionService: an outbound amount drawn from settled granted/paid top-ups in order. */
function consumeByPriority(lago: LagoContext, wallet: WalletRecord, amountCents: number) {
  const { transactions } = walletTables(lago);
  const statusRank = (t: WalletTransactionRecord) => (t.transaction_status === "granted" ? 0 : 1);
  const inbounds = transactions
    .filter((t) => t.wallet_id === wallet.id && t.transaction_type === "inbound" && t.status === "settled" && (t.remaining_amount_cents ?? 0) > 0)
    .sort((a, b) => a.priority - b.priority || statusRank(a) - statusRank(b) || (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  const available = inbounds.reduce((sum, t) => sum + (t.remaining_amount_cents ?? 0), 0);
  if (amountCents > available) throw validationError({ amount_cents: ["exceeds_available_amount"] });
  let left = amountCents;
  for (const inbound of inbounds) {
    if (left <= 0) break;
    const take = Math.min(inbound.remaining_amount_cents!, left);
    transactions.put({ ...inbound, remaining_amount_cents: inbound.remaining_amount_cents! - take });
    left -= take;
  }
}

/** Newest first in strict creation order. */
export const newestCreatedFirst = (a: { sequence: number }, b: { sequence: number }) => b.sequence - a.sequence;

/**
 * Clock::TerminateWalletsJob, run every hour at :45 (clock.rb): an active wallet whose expiration_at has passed is
 * terminated by the first run after it, with that run's time. Called before each wallet route reads or writes.
 */
export function settleWallets(lago: LagoContext) {
  const now = lago.now().getTime();
  for (const { id } of walletTables(lago).wallets.filter((w) => w.status === "active")) {
    const expiryRun = expiryRunOf(walletTables(lago).wallets.get(id)!);
    settleIntervalTopUps(lago, id, Math.min(now, expiryRun === null ? Infinity : expiryRun.getTime() - 1));
    const wallet = walletTables(lago).wallets.get(id)!;
    if (expiryRun === null || expiryRun.getTime() > now || wallet.status !== "active") continue;
    walletTables(lago).wallets.put({ ...wallet, status: "terminated", terminated_at: isoMillis(expiryRun) });
    for (const rule of rulesOf(lago, id)) if (rule.status === "active") walletTables(lago).rules.put({ ...rule, status: "terminated", terminated_at: isoMillis(expiryRun) });
  }
}

/** The run of the hourly expiry job (at :45) that terminates this wallet, or null without an expiration. */
function expiryRunOf(wallet: WalletRecord): Date | null {
  if (wallet.expiration_at === null) return null;
  const run = new Date(Math.floor(Date.parse(wallet.expiration_at) / 1000) * 1000);
  const expiry = run.getTime();
  run.setUTCMinutes(45, 0, 0);
  if (run.getTime() < expiry) run.setUTCHours(run.getUTCHours() + 1);
  return run;
}

/**
 * Clock::CreateIntervalWalletTransactionsJob (clock.rb, every hour at :55) caught up to `until`: on each local day
 * of the customer, its first run tops up every active interval rule whose anniversary is that day (weekly: the
 * weekday; monthly and up: the day of month, short months taking the days past their end; quarterly, semiannual
 * and yearly: the months too), counted from the rule's started_at or else the wallet's creation, never on the
 * wallet's first day. Each top-up is the rule's CreateJob, run as of that run's time.
 */
function settleIntervalTopUps(lago: LagoContext, walletId: string, until: number) {
  const { wallets } = walletTables(lago);
  let wallet = wallets.get(walletId)!;
  const timezone = applicableTimezone(customerOfWallet(lago, wallet));
  const since = Date.parse(wallet.interval_settled_through ?? wallet.created_at);
  let day = localDate(new Date(since), timezone);
  let lastRun = since;
  for (;;) {
    const run = firstRunOfDay(day, timezone);
    if (run.getTime() > until) break;
    day = addDays(day, 1);
    if (run.getTime() <= since) continue;
    lastRun = run.getTime();
    wallet = wallets.get(walletId)!;
    if (wallet.status !== "active" || formatDate(localDate(new Date(wallet.created_at), timezone)) === formatDate(localDate(run, timezone))) continue;
    const today = localDate(run, timezone);
    for (const rule of rulesOf(lago, walletId)) {
      if (rule.trigger !== "interval" || rule.interval === null || rule.status !== "active" || Date.parse(rule.created_at) > run.getTime()) continue;
      if (rule.expiration_at !== null && Date.parse(rule.expiration_at) <= run.getTime()) continue;
      const startedAt = new Date(rule.started_at ?? wallet.created_at);
      if (startedAt.getTime() > run.getTime() || !anniversary(rule.interval, localDate(startedAt, timezone), today)) continue;
      const current = wallets.get(walletId)!;
      const ongoing = dec(current.credits_ongoing_balance);
      if (rule.method === "target" && rule.target_ongoing_balance === null) continue; // comparing with nil raises in the job
      const paid = rulePaidCredits(current, rule, ongoing);
      const granted = ruleGrantedCredits(rule, ongoing);
      if (rule.method === "target" && paid.isZero() && granted.isZero()) continue;
      const job = {
        wallet_id: walletId,
        paid_credits: decimalString(paid),
        granted_credits: decimalString(granted),
        source: "interval",
        invoice_requires_successful_payment: rule.invoice_requires_successful_payment,
        metadata: rule.transaction_metadata,
        name: rule.transaction_name,
      };
      try {
        createTransactions({ ...lago, now: () => new Date(run) }, job);
      } catch (error) {
        if (!(error instanceof LagoHttpError)) throw error;
      }
    }
  }
  if (lastRun > since) wallets.put({ ...wallets.get(walletId)!, interval_settled_through: isoMillis(new Date(lastRun)) });
}

/** The first run of an hourly :55 job within a local day. */
function firstRunOfDay(day: LocalDate, timezone: string): Date {
  const run = zonedInstant(day, timezone);
  const start = run.getTime();
  run.setUTCMinutes(55, 0, 0);
  if (run.getTime() < start) run.setUTCHours(run.getUTCHours() + 1);
  return run;
}

const daysInMonth = (d: LocalDate) => new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();

/** The anniversary conditions of CreateIntervalWalletTransactionsService, for a rule started on `start`. */
function anniversary(interval: string, start: LocalDate, today: LocalDate): boolean {
  const lastDay = daysInMonth(today);
  const dayMatches = start.day === today.day || (today.day === lastDay && start.day >= today.day);
  const monthEvery = (months: number) => (start.month % months === 0 ? today.month % months === 0 : Array.from({ length: 12 / months }, (_, k) => ((start.month + k * months - 1) % 12) + 1).includes(today.month));
  switch (interval) {
    case "weekly":
      return new Date(Date.UTC(start.year, start.month - 1, start.day)).getUTCDay() === new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    case "monthly":
      return dayMatches;
    case "quarterly":
      return dayMatches && monthEvery(3);
    case "semiannual":
      return dayMatches && monthEvery(6);
    case "yearly":
      return start.month === today.month && (start.day === today.day || (today.month === 2 && today.day === 28 && lastDay === 28 && [28, 29].includes(start.day)));
    default:
      return false;
  }
}

/** Customers::TerminateRelationsService: a deleted customer's active wallets are terminated. */
export function terminateCustomerWallets(lago: LagoContext, customerId: string) {
  settleWallets(lago);
  for (const wallet of walletTables(lago).wallets.filter((w) => w.customer_id === customerId && w.status === "active")) terminateWallet(lago, wallet);
}
