// The bad-input sweep (lago-api.md §15: no 5xx on input unless Lago's own code raises). For every route the
// local Lago serves, derived from Lago's OpenAPI request schemas: each body field set to null, to the wrong
// JSON types, to out-of-range, negative and huge numbers, to empty, very long and non-ASCII strings and to an
// unknown enum value; each query parameter given bad values; and malformed JSON on every body route. Every
// answer must be Lago's: acceptance (2xx) or a 4xx — a 5xx only where Lago's code raises (LAGO_RAISES) — and a
// rejected request must leave the store exactly as it was. Runs in process (app.fetch), no sockets.
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp, API_BASE } from "../../local-lago";
import { readSpec, specPath } from "../support/openapi";

type Schema = Record<string, any>;
type Json = unknown;

const API_KEY = "sweep-key";
const SPEC_FILE = specPath();

// ---------------------------------------------------------------------------------------------
// Lago's own 500s: inputs on which Lago v1.51.0's code raises instead of answering 4xx. The local Lago answers
// 500 there too; anything else that answers 5xx fails the sweep.

interface Raise {
  operation: string;
  /** The mutated field's path (`billable_metric.weighted_interval`). */
  field: string;
  /** Which mutated values raise (given the body they are put into). */
  raises(value: Json, base: Json): boolean;
  why: string;
}

const isScalar = (value: Json) => value !== null && typeof value !== "object";
/**
 * `params[:x]&.to_sym` then an enum without `validate: true`: a number or boolean has no to_sym, and a
 * symbol outside the enum fails ActiveRecord's assert_valid_value (only the blank `:""` passes, as nil).
 */
const symbolEnum = (allowed: string[]) => (value: Json) => isScalar(value) && value !== "" && !allowed.includes(value as string);
/** Plain enum assignment: blank values (and false) pass as nil, others must be a key or a value of the mapping. */
const assignedEnum = (allowed: Json[]) => (value: Json) =>
  isScalar(value) && value !== false && !(typeof value === "string" && value.trim() === "") && !allowed.includes(value);
/** No add_on_id once strong parameters are done (a blank string is kept, and answered 404 by ChargeablesValidationService). */
const noAddOn = (value: Json) => value === null || typeof value === "object";
const PLAN_WRITES = ["createPlan", "updatePlan"];

/** Operations whose controller reads the body with `params.require(root).permit(...)`: a present non-object root raises (String#permit). */
const REQUIRE_ROOTS: Record<string, string> = {
  createAddOn: "add_on",
  updateAddOn: "add_on",
  createCoupon: "coupon",
  updateCoupon: "coupon",
  applyCoupon: "applied_coupon",
  createEvent: "event",
  createPlan: "plan",
  updatePlan: "plan",
  createPlanCharge: "charge",
  updatePlanCharge: "charge",
  createSubscription: "subscription",
  updateSubscription: "subscription",
  createTax: "tax",
  updateTax: "tax",
  createWebhookEndpoint: "webhook_endpoint",
  updateWebhookEndpoint: "webhook_endpoint",
  updateOrganization: "organization",
  createWallet: "wallet",
  updateWallet: "wallet",
  createWalletTransaction: "wallet_transaction",
};
/** Rails' `present?` for a JSON value that is not an object; `require` also keeps false. */
const presentNonObject = (v: Json) =>
  typeof v === "boolean" || typeof v === "number" || (typeof v === "string" && v.trim() !== "") || (Array.isArray(v) && v.length > 0);

/** What `BigDecimal(value.to_s)` cannot parse (Ruby's decimal grammar, surrounding blanks allowed). */
const RUBY_DECIMAL = /^\s*[+-]?(\d[\d_]*(\.\d[\d_]*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const decimalUnparsable = (v: Json) => typeof v === "string" ? !RUBY_DECIMAL.test(v) : typeof v !== "number";
const isPlainObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === "object" && !Array.isArray(v);
/** The JSON text of a number Ruby parses as a Float (fraction or exponent). */
const rubyFloat = (v: Json) => typeof v === "number" && /[.eE]/.test(JSON.stringify(v));
const modelOf = (base: Json) => (base as { charge: { charge_model: string } }).charge.charge_model;
const RANGES: Record<string, string> = { graduated: "graduated_ranges", volume: "volume_ranges", graduated_percentage: "graduated_percentage_ranges" };

/**
 * Range validators (app/services/charges/validators/{graduated,volume,graduated_percentage}_service.rb with
 * validators/range_bounds_validator.rb): ranges are mapped with with_indifferent_access, bounds read with
 * BigDecimal(x.to_s), volume adds 1 to to_value; graduated_percentage has no fallback for absent ranges.
 */
const rangeRaises: Raise[] = Object.entries(RANGES).flatMap(([model, key]) => {
  const forModel = (test: (v: Json) => boolean) => (v: Json, base: Json) => modelOf(base) === model && test(v);
  const where = `charges/validators/${model}_service.rb`;
  return [
    {
      operation: "createPlanCharge",
      field: `charge.properties.${key}`,
      raises: forModel(
        (v) =>
          (v === null && model === "graduated_percentage") ||
          typeof v === "string" || typeof v === "number" || typeof v === "boolean" ||
          (isPlainObject(v) && Object.keys(v).length > 0) ||
          (Array.isArray(v) && v.some((r) => !isPlainObject(r) || decimalUnparsable(r.from_value ?? null))),
      ),
      why: `ranges that are not a list of ranges with a from_value, ${where}`,
    },
    { operation: "createPlanCharge", field: `charge.properties.${key}[]`, raises: forModel((v) => !isPlainObject(v) || decimalUnparsable(v.from_value ?? null)), why: `a range without a parsable from_value, ${where}` },
    { operation: "createPlanCharge", field: `charge.properties.${key}[].from_value`, raises: forModel(decimalUnparsable), why: `BigDecimal(from_value.to_s), range_bounds_validator.rb` },
    {
      operation: "createPlanCharge",
      field: `charge.properties.${key}[].to_value`,
      raises: forModel((v) => v !== null && v !== false && (model === "volume" ? typeof v !== "number" : decimalUnparsable(v))),
      why: model === "volume" ? "`(to_value || 0) + 1` on a value that is not a number, volume_service.rb" : "BigDecimal(to_value.to_s), range_bounds_validator.rb",
    },
  ];
});

/**
 * graduated_percentage_service.rb maps ranges with no fallback: a charge (or a charge filter, validated with
 * ChargeFilter#validate! in charge_filters/create_or_update_batch_service.rb) whose properties lack them raises.
 * Absent or empty properties fall back to the model's defaults (charges/create_service.rb `.presence`).
 */
const noPercentageRanges: Raise[] = [
  {
    operation: "createPlanCharge",
    field: "charge.properties",
    raises: (v: Json, base: Json) => modelOf(base) === "graduated_percentage" && isPlainObject(v) && Object.keys(v).length > 0 && !("graduated_percentage_ranges" in v),
    why: "graduated_percentage properties without ranges, charges/validators/graduated_percentage_service.rb",
  },
  {
    operation: "createPlanCharge",
    field: "charge.filters[].values",
    // A filter with values but no properties: its graduated_percentage properties have no ranges.
    raises: (v: Json, base: Json) => modelOf(base) === "graduated_percentage" && isPlainObject(v) && Object.keys(v).length > 0,
    why: "a graduated_percentage charge filter without ranges, charges/validators/graduated_percentage_service.rb",
  },
];

const perTransactionRaises: Raise[] = ["per_transaction_min_amount", "per_transaction_max_amount"].map((key) => ({
  operation: "createPlanCharge",
  field: `charge.properties.${key}`,
  // Both bounds are set in the base body, so BigDecimal(min) <= BigDecimal(max) always runs.
  raises: (v: Json, base: Json) =>
    modelOf(base) === "percentage" && v !== null && (typeof v === "boolean" || typeof v === "object" || rubyFloat(v) || (typeof v === "string" && decimalUnparsable(v))),
  why: "BigDecimal(per_transaction_*) on text it cannot parse, a boolean, an object or a Float, charges/validators/percentage_service.rb",
}));

/**
 * Wallets (Lago v1.51.0). Values Lago writes without a check into columns that refuse them, or reads in a way
 * that raises: a blank or nil payment_method_type into the not-null database enum; a nil boolean into a rule's
 * not-null flags; a rule method outside the enum (assert_valid_value) or blank (not null); rule paid credits that
 * BigDecimal() cannot read (validate_paid_credits!); blank rule credits cast to nil (not null); a number or
 * boolean metadata key (`key.length`); a paid top-up limit past bigint.
 */
const blankOrNil = (v: Json) => v === null || (typeof v === "string" && v.trim() === "");
const RULE_METHODS = ["fixed", "target"];
const RULE_INTERVALS = ["weekly", "monthly", "quarterly", "yearly", "semiannual"];
/** The wallet (or wallet_transaction) body and its first rule, as the base body sets them. */
const walletOf = (base: Json) => ((base as Record<string, any>).wallet ?? (base as Record<string, any>).wallet_transaction ?? {}) as Record<string, any>;
const ruleOf = (base: Json) => (walletOf(base).recurring_transaction_rules?.[0] ?? {}) as Record<string, any>;
const decimalText = (v: Json) => typeof v === "string" && RUBY_DECIMAL.test(v);
const badEnum = (allowed: string[]) => (v: Json) => isScalar(v) && v !== false && !(typeof v === "string" && v.trim() === "") && !allowed.includes(v as string) && !(typeof v === "number" && Number.isInteger(v) && v >= 0 && v < allowed.length);
const walletRaises: Raise[] = [
  ...[
    ["createWallet", "wallet.payment_method.payment_method_type", "wallets/create_service.rb"],
    ["createWallet", "wallet.recurring_transaction_rules[].payment_method.payment_method_type", "wallets/recurring_transaction_rules/create_service.rb"],
    ["updateWallet", "wallet.payment_method.payment_method_type", "wallets/update_service.rb"],
    ["updateWallet", "wallet.recurring_transaction_rules[].payment_method.payment_method_type", "wallets/recurring_transaction_rules/update_service.rb"],
    ["createWalletTransaction", "wallet_transaction.payment_method.payment_method_type", "wallet_transactions/create_service.rb"],
  ].map(([operation, field, where]) => ({ operation: operation!, field: field!, raises: blankOrNil, why: `a blank payment_method_type written to the not-null payment_method_type enum column, ${where}` })),
  ...[
    ["createWallet", "invoice_requires_successful_payment"],
    ["createWallet", "ignore_paid_top_up_limits"],
    ["updateWallet", "invoice_requires_successful_payment"],
    ["updateWallet", "ignore_paid_top_up_limits"],
  ].map(([operation, flag]) => ({
    operation: operation!,
    field: `wallet.recurring_transaction_rules[].${flag}`,
    raises: (v: Json) => v === null || v === "",
    why: `${flag} sent as nil is cast to nil and written to a not-null column, wallets/recurring_transaction_rules/${operation === "createWallet" ? "create" : "update"}_service.rb`,
  })),
  {
    operation: "createWallet",
    field: "wallet.recurring_transaction_rules[].method",
    // (With grants_target_top_up sent, a method other than target is refused first: 422.)
    raises: (v, base) => ruleOf(base).grants_target_top_up == null && ((typeof v === "string" && v.trim() === "") || badEnum(RULE_METHODS)(v)),
    why: "`rule_params[:method] || \"fixed\"` assigned to the method enum unchecked, wallets/recurring_transaction_rules/create_service.rb",
  },
  {
    operation: "createWallet",
    field: "wallet.recurring_transaction_rules[].interval",
    // A threshold rule's interval is not validated; an interval rule's is (422).
    raises: (v, base) => ruleOf(base).trigger === "threshold" && badEnum(RULE_INTERVALS)(v),
    why: "a threshold rule's interval assigned to the interval enum unchecked, wallets/recurring_transaction_rules/create_service.rb",
  },
  { operation: "updateWallet", field: "wallet.recurring_transaction_rules[].method", raises: (v) => blankOrNil(v) || badEnum(RULE_METHODS)(v), why: "the rule's method assigned to the not-null method enum unchecked, wallets/recurring_transaction_rules/update_service.rb" },
  {
    operation: "createWallet",
    field: "wallet.recurring_transaction_rules[].paid_credits",
    // The rule passes validation through its granted credits, then a fixed rule reads its paid credits.
    raises: (v, base) => ruleOf(base).method !== "target" && decimalText(ruleOf(base).granted_credits) && (v === true || (typeof v === "string" && !RUBY_DECIMAL.test(v))),
    why: "BigDecimal(paid_credits) in validate_paid_credits! of a fixed rule, wallets/recurring_transaction_rules/create_service.rb",
  },
  ...[
    ["createWallet", "granted_credits"],
    ["updateWallet", "paid_credits"],
    ["updateWallet", "granted_credits"],
  ].map(([operation, field]) => ({
    operation: operation!,
    field: `wallet.recurring_transaction_rules[].${field}`,
    // Only when the rule passes validation through its other credits (sent as decimal text).
    raises: (v: Json, base: Json) => typeof v === "string" && v.trim() === "" && (operation === "updateWallet" || decimalText(ruleOf(base).paid_credits)),
    why: `a blank ${field} is cast to nil and written to a not-null decimal column, wallets/recurring_transaction_rules/${operation === "createWallet" ? "create" : "update"}_service.rb`,
  })),
  ...[
    ["createWallet", "wallet.transaction_metadata[].key"],
    ["createWallet", "wallet.recurring_transaction_rules[].transaction_metadata[].key"],
    ["updateWallet", "wallet.recurring_transaction_rules[].transaction_metadata[].key"],
    ["createWalletTransaction", "wallet_transaction.metadata[].key"],
  ].map(([operation, field]) => ({
    operation: operation!,
    field: field!,
    // Only an item that also has its value reaches the key's length (one without is invalid_key_value_pair).
    raises: (v: Json, base: Json) => (typeof v === "number" || v === true) && JSON.stringify(base).includes('"key":"k","value":"v"'),
    why: "`key.length` on a number or true, validators/metadata_validator.rb",
  })),
  ...["min", "max"].flatMap((bound) =>
    ["createWallet", "updateWallet"].map((operation) => ({
      operation,
      field: `wallet.paid_top_up_${bound}_amount_cents`,
      // A huge minimum under a smaller maximum is refused first (must_be_greater_than_or_equal_min).
      raises: (v: Json, base: Json) => typeof v === "number" && v >= 2 ** 63 && (bound === "max" || walletOf(base).paid_top_up_max_amount_cents == null),
      why: `paid_top_up_${bound}_amount_cents past the bigint column once numericality passed (ActiveModel::RangeError), app/models/wallet.rb`,
    })),
  ),
];

const LAGO_RAISES: Raise[] = [
  ...rangeRaises,
  ...noPercentageRanges,
  ...perTransactionRaises,
  ...walletRaises,
  ...Object.entries(REQUIRE_ROOTS).map(([operation, root]) => ({
    operation,
    field: root,
    raises: presentNonObject,
    why: `params.require(:${root}).permit on a value that is not an object (app/controllers/api/v1/*_controller.rb)`,
  })),
  // `.to_sym` / `&.to_sym` on a number or boolean: NoMethodError.
  ...[
    ["createPlan", "plan.interval", "plans/create_service.rb"],
    ["createBillableMetric", "billable_metric.aggregation_type", "billable_metrics/create_service.rb"],
    ["updateBillableMetric", "billable_metric.aggregation_type", "billable_metrics/update_service.rb (the custom_agg check)"],
    ["createCustomer", "customer.finalize_zero_amount_invoice", "customers/upsert_from_api_service.rb valid_finalize_zero_amount_invoice?"],
  ].map(([operation, field, where]) => ({ operation: operation!, field: field!, raises: (v: Json) => typeof v === "number" || typeof v === "boolean", why: `to_sym on a number or boolean, ${where}` })),
  ...["subscription.on_termination_credit_note", "subscription.on_termination_invoice"].map((field) => ({
    operation: "updateSubscription",
    field,
    raises: (v: Json) => typeof v === "number" || v === true,
    why: "`.to_sym` on a present number or boolean, subscriptions/validate_service.rb",
  })),
  ...["createSubscription", "updateSubscription"].map((operation) => ({
    operation,
    field: "subscription.payment_method.payment_method_type",
    // With no id, a blank type passes payment_methods/validate_service.rb and is written to the NOT NULL enum column.
    raises: (v: Json) => v === null || (typeof v === "string" && !v.trim()),
    why: "a blank payment_method_type into the NOT NULL enum column, subscriptions/create_service.rb, update_service.rb",
  })),
  { operation: "createBillableMetric", field: "billable_metric.weighted_interval", raises: symbolEnum(["seconds"]), why: "BillableMetric enum weighted_interval after `&.to_sym`, billable_metrics/create_service.rb" },
  { operation: "createBillableMetric", field: "billable_metric.rounding_function", raises: symbolEnum(["round", "ceil", "floor"]), why: "BillableMetric enum rounding_function after `&.to_sym`, billable_metrics/create_service.rb" },
  // updateBillableMetric: the seeded metric is used by a plan, so update_service.rb never assigns these.
  { operation: "createWebhookEndpoint", field: "webhook_endpoint.signature_algo", raises: (v) => isScalar(v) && !["jwt", "hmac"].includes(v as string), why: "WebhookEndpoint enum signature_algo (`&.to_sym || :jwt`; :\"\" becomes nil against a NOT NULL column), webhook_endpoints/create_service.rb" },
  { operation: "updateWebhookEndpoint", field: "webhook_endpoint.signature_algo", raises: (v) => v === null || (isScalar(v) && !["jwt", "hmac"].includes(v as string)), why: "WebhookEndpoint enum signature_algo, NOT NULL column, webhook_endpoints/update_service.rb" },
  ...["country", "default_currency", "document_number_prefix"].map((name) => ({
    operation: "updateOrganization",
    field: `organization.${name}`,
    raises: (v: Json) => typeof v === "number" || typeof v === "boolean",
    why: "`&.upcase` on a number or boolean, organizations/update_service.rb and organization.rb document_number_prefix=",
  })),
  ...["createCoupon", "updateCoupon"].map((operation) => ({ operation, field: "coupon.expiration", raises: (v: Json) => typeof v === "number" || typeof v === "boolean", why: "`params[:expiration]&.to_sym` on a number or boolean, coupons/create_service.rb, update_service.rb" })),
  {
    operation: "applyCoupon",
    field: "applied_coupon.frequency",
    // `params[:frequency] || coupon.frequency`: false and null take the coupon's; a blank one becomes nil against a NOT NULL column.
    raises: (v) => isScalar(v) && v !== false && !["once", "recurring", "forever", 0, 1, 2].includes(v as string),
    why: "AppliedCoupon enum frequency (integer-backed, NOT NULL), applied_coupons/create_service.rb",
  },
  ...[
    ["createEvent", "event.timestamp"],
    ["createBatchEvents", "events[].timestamp"],
  ].map(([operation, field]) => ({
    operation: operation!,
    field: field!,
    // Seconds beyond PostgreSQL's timestamp range (about ±9.2e12) fail on save: ActiveRecord::RangeError is not rescued.
    raises: (v: Json) => typeof v === "number" && Math.abs(v) > 9.2e12,
    why: "timestamp outside PostgreSQL's range on save, events/create_service.rb, create_batch_service.rb",
  })),
  // Only a created charge gets it (charges/update_service.rb never assigns it); updatePlan's base body creates none.
  { operation: "createPlan", field: "plan.charges[].regroup_paid_fees", raises: assignedEnum(["invoice"]), why: "Charge enum regroup_paid_fees, charges/create_service.rb" },
  { operation: "createPlanCharge", field: "charge.regroup_paid_fees", raises: assignedEnum(["invoice"]), why: "Charge enum regroup_paid_fees, charges/create_service.rb" },
  ...PLAN_WRITES.flatMap((operation) => [
    { operation, field: "plan.fixed_charges[].add_on_id", raises: noAddOn, why: "FixedCharges::CreateService#add_on raises ArgumentError without add_on_id or add_on_code, fixed_charges/create_service.rb" },
    { operation, field: "plan.fixed_charges[]", raises: (v: Json) => v !== null && typeof v === "object" && !Array.isArray(v), why: "a fixed charge without add_on_id, fixed_charges/create_service.rb" },
    { operation, field: "plan.fixed_charges", raises: (v: Json) => Array.isArray(v) && v.some((x) => x !== null && typeof x === "object" && !Array.isArray(x)), why: "a fixed charge without add_on_id, fixed_charges/create_service.rb" },
    { operation, field: "plan.fixed_charges[].charge_model", raises: assignedEnum(["standard", "graduated", "volume"]), why: "FixedCharge enum charge_model, fixed_charges/create_service.rb" },
  ]),
];

// ---------------------------------------------------------------------------------------------
// The spec: operations, their request bodies and query parameters.

let spec: Schema;
const resolve = (schema: Schema | undefined): Schema | undefined => {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) s = (s.$ref as string).slice(2).split("/").reduce((o: any, k: string) => o?.[k], spec);
  if (!s) return s;
  if (s.allOf) {
    const parts = (s.allOf as Schema[]).map(resolve).filter(Boolean) as Schema[];
    return { type: "object", properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => p.required ?? []) };
  }
  const alternative = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alternative) {
    const parts = alternative.map(resolve).filter((p): p is Schema => !!p && p.type !== "null");
    // Alternatives of objects are read as one object holding all their fields.
    if (parts.length && parts.every((p) => typeof p.properties === "object")) return { type: "object", properties: Object.assign({}, ...parts.map((p) => p.properties)) };
    return parts[0] ?? s;
  }
  return s;
};
const typeOf = (s: Schema): string => {
  const t = Array.isArray(s.type) ? s.type.find((x: string) => x !== "null") : s.type;
  return t ?? (s.properties ? "object" : s.items ? "array" : "any");
};

interface Operation {
  id: string;
  method: string;
  /** Spec path template, e.g. `/plans/{code}`. */
  template: string;
  body?: Schema;
  query: Array<{ name: string; schema: Schema }>;
}

function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries<Schema>(spec.paths)) {
    for (const [method, raw] of Object.entries<Schema>(item)) {
      if (!raw?.operationId) continue;
      const requestBody = resolve(raw.requestBody);
      const body = resolve(requestBody?.content?.["application/json"]?.schema);
      const query = ((raw.parameters ?? []) as Schema[])
        .map((p) => resolve(p)!)
        .filter((p) => p.in === "query")
        .map((p) => ({ name: p.name as string, schema: resolve(p.schema) ?? {} }));
      out.push({ id: raw.operationId, method: method.toUpperCase(), template, body, query });
    }
  }
  return out;
}

/** Every field of a body schema as a path, into objects and into the first item of arrays of objects. */
function fieldPaths(schema: Schema | undefined, prefix: Array<string | number> = [], depth = 0): Array<{ path: Array<string | number>; schema: Schema }> {
  const s = resolve(schema);
  if (!s || depth > 5) return [];
  const out: Array<{ path: Array<string | number>; schema: Schema }> = [];
  const type = typeOf(s);
  if (prefix.length) out.push({ path: prefix, schema: s });
  if (type === "object" && s.properties) for (const [key, child] of Object.entries<Schema>(s.properties)) out.push(...fieldPaths(child, [...prefix, key], depth + 1));
  if (type === "array" && resolve(s.items)?.properties) out.push(...fieldPaths(s.items, [...prefix, 0], depth + 1));
  return out;
}

const LONG = "x".repeat(5000);
const NON_ASCII = "Ünïcødé ✓ 日本語 \u202e";

/** The bad values for a field of this schema. */
function badValues(s: Schema): Json[] {
  const common: Json[] = [null];
  switch (typeOf(s)) {
    case "string":
      return [...common, 123, -1, true, {}, [], "", " ", LONG, NON_ASCII, ...(s.enum ? ["not_a_lago_value", String(s.enum[0]).toUpperCase()] : [])];
    case "integer":
    case "number":
      return [...common, "abc", "", true, {}, [], -1, 0, 1.5, 1e15, 9_223_372_036_854_775_808, -1e20, 1e300, "12"];
    case "boolean":
      return [...common, "maybe", 2, {}, [], "true"];
    case "array":
      return [...common, "x", 1, {}, [], [null], [1], ["x"], [{}]];
    case "object":
      return [...common, "x", 1, [], {}, { unknown_key: 1 }];
    default:
      return [...common, "x", 1, {}, []];
  }
}

/** Bad query values: wrong types, negative and huge numbers, unknown words. */
const BAD_QUERY = ["", "-1", "0", "abc", "99999999999999999999", "1.5", NON_ASCII, "true", "null"];

function withValue(base: Json, path: Array<string | number>, value: Json): Json {
  const root = structuredClone(base) as any;
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const nextIsIndex = typeof path[i + 1] === "number";
    if (node[key] === null || typeof node[key] !== "object") node[key] = nextIsIndex ? [] : {};
    node = node[key];
  }
  node[path[path.length - 1]!] = value;
  return root;
}

// ---------------------------------------------------------------------------------------------
// The in-process local Lago and its seeded state: one of each object the routes address.

const { app, lago } = createApp({ apiKey: API_KEY, premium: true });
const ids: Record<string, string> = {};

async function send(method: string, path: string, body?: Json | string): Promise<{ status: number; body: any }> {
  const res = await app.fetch(
    new Request(`http://local-lago${API_BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed };
}

async function seed(method: string, path: string, body: Json) {
  const answer = await send(method, path, body);
  if (answer.status !== 200) throw new Error(`seeding ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const now = () => Math.floor(Date.now() / 1000);

async function seedState() {
  await seed("POST", "/taxes", { tax: { name: "VAT", code: "vat", rate: 20 } });
  ids.calls = (await seed("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg", filters: [{ key: "region", values: ["eu", "us"] }] } })).billable_metric.lago_id;
  ids.seats = (await seed("POST", "/billable_metrics", { billable_metric: { name: "Seats", code: "seats", aggregation_type: "sum_agg", field_name: "seats" } })).billable_metric.lago_id;
  ids.setup = (await seed("POST", "/add_ons", { add_on: { name: "Setup", code: "setup", amount_cents: 100, amount_currency: "USD" } })).add_on.lago_id;
  const plan = (base: Record<string, unknown>) => ({ plan: { interval: "monthly", amount_currency: "USD", pay_in_advance: false, ...base } });
  await seed("POST", "/plans", plan({ name: "Team", code: "team", amount_cents: 1000, charges: [{ billable_metric_id: ids.calls, charge_model: "standard", properties: { amount: "1" } }] }));
  await seed("POST", "/plans", plan({ name: "Lite", code: "lite", amount_cents: 500 }));
  await seed("POST", "/coupons", { coupon: { name: "Promo", code: "promo", coupon_type: "fixed_amount", amount_cents: 100, amount_currency: "USD", frequency: "once", expiration: "no_expiration" } });
  await seed("POST", "/coupons", { coupon: { name: "Ten", code: "ten", coupon_type: "percentage", percentage_rate: 10, frequency: "once", expiration: "no_expiration" } });
  await seed("POST", "/customers", { customer: { external_id: "acme", name: "Acme", currency: "USD" } });
  await seed("POST", "/subscriptions", { subscription: { external_customer_id: "acme", plan_code: "team", external_id: "acme-main" } });
  ids.appliedCoupon = (await seed("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "promo" } })).applied_coupon.lago_id;
  ids.webhook = (await seed("POST", "/webhook_endpoints", { webhook_endpoint: { webhook_url: "https://example.com/hook" } })).webhook_endpoint.lago_id;
  await seed("POST", "/events", { event: { transaction_id: "tx-1", external_subscription_id: "acme-main", code: "calls", timestamp: now(), properties: { region: "eu" } } });
  ids.wallet = (await seed("POST", "/wallets", { wallet: { external_customer_id: "acme", rate_amount: "1", currency: "USD", code: "seeded", granted_credits: "10" } })).wallet.lago_id;
}

/** Seeded values for path parameters; `{code}` depends on the collection. */
function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const before = template.slice(0, offset);
    switch (name) {
      case "code": {
        if (before.startsWith("/billable_metrics")) return "calls";
        if (before.startsWith("/add_ons")) return "setup";
        if (before.startsWith("/coupons")) return "promo";
        if (before.startsWith("/taxes")) return "vat";
        return "team";
      }
      case "charge_code":
        return "calls";
      case "external_customer_id":
        return "acme";
      case "external_id":
        return "acme-main";
      case "transaction_id":
        return "tx-1";
      case "applied_coupon_id":
        return ids.appliedCoupon!;
      case "lago_id":
        if (before.startsWith("/wallets")) return ids.wallet!;
        return before.startsWith("/webhook_endpoints") ? ids.webhook! : "00000000-0000-4000-8000-00000000abcd";
      default:
        return "unknown";
    }
  });
}

/** Charge bodies for every charge model, so each model's own properties are swept too. */
const CHARGE_MODELS: Record<string, Record<string, unknown>> = {
  graduated: { graduated_ranges: [{ from_value: 0, to_value: 10, per_unit_amount: "1", flat_amount: "0" }, { from_value: 11, to_value: null, per_unit_amount: "0.5", flat_amount: "0" }] },
  volume: { volume_ranges: [{ from_value: 0, to_value: 10, per_unit_amount: "1", flat_amount: "0" }, { from_value: 11, to_value: null, per_unit_amount: "0.5", flat_amount: "0" }] },
  package: { amount: "10", package_size: 100, free_units: 0 },
  percentage: { rate: "1.5", fixed_amount: "0.5", free_units_per_events: 2, free_units_per_total_aggregation: "10", per_transaction_min_amount: "0.1", per_transaction_max_amount: "5" },
  graduated_percentage: { graduated_percentage_ranges: [{ from_value: 0, to_value: 10, rate: "1", flat_amount: "0" }, { from_value: 11, to_value: null, rate: "0.5", flat_amount: "0" }] },
};

/** A wallet's recurring top-up, monthly and fixed, with every scalar field set. */
const WALLET_RULE = {
  trigger: "interval",
  interval: "monthly",
  method: "fixed",
  paid_credits: "10",
  granted_credits: "0",
  invoice_requires_successful_payment: false,
  ignore_paid_top_up_limits: false,
  transaction_metadata: [{ key: "k", value: "v" }],
  transaction_name: "Monthly",
};

/** A valid body per body route (or several), each mutation is applied to (the sweep first checks Lago accepts it). */
function validBodies(): Record<string, Json | Json[]> {
  const FIXED_CHARGE = { add_on_id: "<setup>", charge_model: "standard", units: 1, properties: { amount: "10" } };
  const event = { transaction_id: "sweep-tx", external_subscription_id: "acme-main", code: "calls", timestamp: now(), properties: { region: "eu" } };
  return {
    createBillableMetric: {
      billable_metric: { name: "Sweep", code: "sweep", description: "d", aggregation_type: "sum_agg", field_name: "amount", recurring: false, rounding_function: "round", rounding_precision: 2, expression: "event.properties.a * 2", filters: [{ key: "k", values: ["a"] }] },
    },
    updateBillableMetric: { billable_metric: { name: "Calls 2", description: "d", filters: [{ key: "region", values: ["eu", "us"] }] } },
    evaluateBillableMetricExpression: { expression: "event.properties.a * 2", event: { code: "calls", timestamp: now(), properties: { a: "3" } } },
    createAddOn: { add_on: { name: "Sweep", code: "sweep-add-on", invoice_display_name: "S", amount_cents: 100, amount_currency: "USD", description: "d", tax_codes: ["vat"] } },
    updateAddOn: { add_on: { name: "Setup 2", amount_cents: 200 } },
    createCoupon: { coupon: { name: "Sweep", code: "sweep-coupon", coupon_type: "fixed_amount", amount_cents: 100, amount_currency: "USD", frequency: "recurring", frequency_duration: 2, expiration: "no_expiration", reusable: true } },
    updateCoupon: { coupon: { name: "Promo 2" } },
    applyCoupon: { applied_coupon: { external_customer_id: "acme", coupon_code: "ten" } },
    createCustomer: {
      customer: {
        external_id: "sweep-co",
        name: "Sweep",
        currency: "USD",
        email: "billing@example.com",
        country: "FR",
        timezone: "Europe/Paris",
        net_payment_term: 30,
        metadata: [{ key: "k", value: "v", display_in_invoice: true }],
        billing_configuration: { invoice_grace_period: 1, document_locale: "fr" },
        shipping_address: { country: "FR", city: "Paris" },
      },
    },
    createEvent: { event },
    createBatchEvents: { events: [{ ...event, transaction_id: "sweep-batch" }] },
    createPlan: {
      plan: {
        name: "Sweep",
        code: "sweep-plan",
        interval: "monthly",
        amount_cents: 1000,
        amount_currency: "USD",
        pay_in_advance: false,
        trial_period: 0,
        tax_codes: ["vat"],
        charges: [{ billable_metric_id: "<calls>", charge_model: "standard", pay_in_advance: false, properties: { amount: "1" }, filters: [{ invoice_display_name: "EU", properties: { amount: "2" }, values: { region: ["eu"] } }] }],
        fixed_charges: [FIXED_CHARGE],
        usage_thresholds: [{ amount_cents: 100 }],
        minimum_commitment: { amount_cents: 500 },
      },
    },
    updatePlan: { plan: { name: "Team 2", amount_cents: 1200, fixed_charges: [FIXED_CHARGE] } },
    createPlanCharge: [
      { charge: { billable_metric_id: "<seats>", code: "seats", charge_model: "standard", properties: { amount: "2" } } },
      ...Object.entries(CHARGE_MODELS).map(([model, properties]) => ({ charge: { billable_metric_id: "<seats>", code: `seats-${model}`, charge_model: model, properties } })),
    ],
    updatePlanCharge: { charge: { properties: { amount: "3" } } },
    destroyPlanCharge: { charge: { cascade_updates: false } },
    createSubscription: { subscription: { external_customer_id: "acme", plan_code: "lite", external_id: "sweep-sub", name: "Sweep", billing_time: "calendar" } },
    updateSubscription: { subscription: { name: "Renamed" } },
    createTax: { tax: { name: "Sweep", code: "sweep-tax", rate: 10, description: "d", applied_to_organization: false } },
    updateTax: { tax: { name: "VAT 2", rate: 21 } },
    createWebhookEndpoint: { webhook_endpoint: { webhook_url: "https://example.com/hook-2", signature_algo: "hmac" } },
    updateWebhookEndpoint: { webhook_endpoint: { webhook_url: "https://example.com/hook-3" } },
    updateOrganization: { organization: { legal_name: "Sweep Inc", country: "FR", net_payment_term: 30, billing_configuration: { invoice_footer: "Thanks" } } },
    createWallet: [
      {
        wallet: {
          external_customer_id: "acme",
          rate_amount: "1",
          currency: "USD",
          name: "Sweep",
          code: "sweep-wallet",
          priority: 10,
          paid_credits: "10",
          granted_credits: "5",
          expiration_at: "2099-01-01T00:00:00Z",
          invoice_requires_successful_payment: false,
          transaction_metadata: [{ key: "k", value: "v" }],
          transaction_name: "Sweep",
          paid_top_up_min_amount_cents: 100,
          paid_top_up_max_amount_cents: 100_000,
          ignore_paid_top_up_limits_on_creation: false,
          applies_to: { fee_types: ["charge"], billable_metric_codes: ["calls"] },
          recurring_transaction_rules: [{ ...WALLET_RULE, started_at: "2099-01-01T00:00:00Z", expiration_at: "2099-12-31T00:00:00Z" }],
          metadata: { team: "growth" },
        },
      },
      // A threshold rule topping up to a target: the other trigger and method.
      { wallet: { external_customer_id: "acme", rate_amount: "2", code: "sweep-target", recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "5", method: "target", target_ongoing_balance: "50", grants_target_top_up: false }] } },
    ],
    updateWallet: {
      wallet: {
        name: "Renamed",
        code: "renamed",
        priority: 5,
        expiration_at: "2099-01-01T00:00:00Z",
        invoice_requires_successful_payment: true,
        paid_top_up_min_amount_cents: 100,
        paid_top_up_max_amount_cents: 100_000,
        recurring_transaction_rules: [WALLET_RULE],
        applies_to: { fee_types: ["charge"] },
        metadata: { a: "b" },
      },
    },
    createWalletTransaction: {
      wallet_transaction: { wallet_id: "<wallet>", paid_credits: "5", granted_credits: "5", voided_credits: "1", name: "Top-up", invoice_requires_successful_payment: false, ignore_paid_top_up_limits: false, metadata: [{ key: "k", value: "v" }] },
    },
  };
}

const withIds = (body: Json): Json => JSON.parse(JSON.stringify(body).replace(/"<(\w+)>"/g, (_, name: string) => JSON.stringify(ids[name])));

// ---------------------------------------------------------------------------------------------

interface Finding {
  request: string;
  problem: string;
}

const stateOf = () => JSON.stringify(lago.store.snapshot());

describe.skipIf(!fs.existsSync(SPEC_FILE))("bad-input sweep over every route the local Lago serves (§15)", () => {
  let served: Operation[] = [];
  let seeded: ReturnType<typeof lago.store.snapshot>;

  beforeAll(async () => {
    spec = readSpec(SPEC_FILE) as Schema;
    await seedState();
    seeded = lago.store.snapshot();
    // Served: the routes the local Lago declares (a greedy `/plans/:code{.+}` would otherwise swallow sub-resources it does not serve).
    const declared = new Set(app.routes.filter((r) => r.path.startsWith(API_BASE)).map((r) => `${r.method} ${r.path.slice(API_BASE.length).replace(/:\w+(\{[^}]*\})?/g, "{}")}`));
    served = operations().filter((op) => declared.has(`${op.method} ${op.template.replace(/\{\w+\}/g, "{}")}`));
  });

  it("every served route gets Lago's answer to bad input — acceptance, a 4xx, or Lago's own 500 — and a rejection changes nothing", async () => {
    const bodies = validBodies();
    const findings: Finding[] = [];
    const counts = { requests: 0, accepted: 0, rejected: 0, lagoRaises: 0, byStatus: {} as Record<number, number> };

    const check = async (op: Operation, label: string, path: string, body: Json | string | undefined, raise?: Raise) => {
      const before = stateOf();
      const answer = await send(op.method, path, body);
      counts.requests++;
      counts.byStatus[answer.status] = (counts.byStatus[answer.status] ?? 0) + 1;
      const request = `${op.method} ${path} ${label}`;
      if (raise) {
        counts.lagoRaises++;
        if (answer.status !== 500) findings.push({ request, problem: `Lago raises here (${raise.why}); answered ${answer.status}` });
      } else if (answer.status >= 500) findings.push({ request, problem: `answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}` });
      if (answer.status >= 400) {
        counts.rejected++;
        if (stateOf() !== before) findings.push({ request, problem: `rejected with ${answer.status} but the store changed` });
      } else {
        counts.accepted++;
        lago.store.restoreSnapshot(seeded);
      }
    };

    for (const op of served) {
      const path = concretePath(op.template);
      if (op.body) {
        if (!(op.id in bodies)) {
          findings.push({ request: `${op.method} ${op.template}`, problem: `served, but the sweep has no valid body for ${op.id}` });
          continue;
        }
        for (const malformed of ['{"', "{]", "[]", '"text"', "null", "12", "{}", '{"x":1}']) await check(op, `malformed ${malformed}`, path, malformed);
        const variants = [bodies[op.id]].flat();
        for (const [index, variant] of variants.entries()) {
          const base = withIds(variant);
          const valid = await send(op.method, path, base);
          lago.store.restoreSnapshot(seeded);
          if (valid.status !== 200) findings.push({ request: `${op.method} ${path} valid body ${index}`, problem: `the base body is refused (${valid.status}): ${JSON.stringify(valid.body).slice(0, 300)}` });
          for (const field of fieldPaths(op.body)) {
            const name = field.path.join(".").replace(/\.0(\.|$)/g, "[]$1");
            for (const value of badValues(field.schema)) {
              const raise = LAGO_RAISES.find((r) => r.operation === op.id && r.field === name && r.raises(value, base));
              const shown = typeof value === "string" && value.length > 40 ? `"${value.slice(0, 10)}…"(${value.length})` : JSON.stringify(value);
              await check(op, `${variants.length > 1 ? `[${index}] ` : ""}${name}=${shown}`, path, withValue(base, field.path, value), raise);
            }
          }
        }
      }
      for (const param of op.query) {
        for (const value of BAD_QUERY) {
          const separator = path.includes("?") ? "&" : "?";
          const name = typeOf(param.schema) === "array" ? `${param.name}[]` : param.name;
          await check(op, `query ${name}`, `${path}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}`, undefined);
        }
      }
    }

    console.log(
      `[bad-input sweep] ${served.length} routes served, ${counts.requests} requests: ${counts.accepted} accepted, ${counts.rejected} rejected, ` +
        `${counts.lagoRaises} on Lago's own 500s; by status ${JSON.stringify(counts.byStatus)}`,
    );
    expect(findings.map((f) => `${f.request}: ${f.problem}`)).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(50);
    expect(counts.requests).toBeGreaterThan(3000);
  });
});
