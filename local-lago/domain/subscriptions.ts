// Subscription rules (lago-api.md §5; Lago's Subscriptions::CreateService, PlanUpgradeService,
// PlanDowngradeService, UpdateService, TerminateService and Plans::OverrideService): create,
// upgrade, downgrade, plan overrides, update and terminate as asked through the API.
import { isoDate, isoSeconds, newId, type LagoContext } from "../context";
import { forbidden, lagoRaises, methodNotAllowed, notFound, Validation, validationError } from "../errors";
import { ianaTimezone } from "../geography";
import { tables, yearlyAmountCents, type ChargeRow, type PlanRow } from "../model";
import { liveChargesOf, reconcileCharges } from "../resources/charges";
import { liveFixedChargesOf, reconcileFixedCharges, type FixedChargeRow } from "../resources/fixed-charges";
import { keepProperties } from "../resources/charge-properties";
import { assertFixedChargesOfPlan, castFixedUnits, promoteUnitsOverrides, unitsOnlyOverrides, writeUnitsOverrides } from "./fixed-charge-units";
import { findPlan } from "../resources/plan-lookup";
import { DEFAULT_BILLING_ENTITY_CODE, resolveTaxCodes } from "../resources/taxes";
import { applicableTimezone, applyCurrency, findLiveCustomer, newCustomer, type CustomerRecord } from "./customers";
import {
  cancelSubscription,
  customerOf,
  localDay,
  parseIsoDatetime,
  pendingNextOf,
  planOf,
  terminateSubscription,
  type SubscriptionRecord,
  type TerminationOptions,
} from "./subscription-lifecycle";

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const BILLING_TIMES = ["calendar", "anniversary"];
const CREDIT_NOTE_ACTIONS = ["credit", "refund", "offset", "skip"];
const INVOICE_ACTIONS = ["generate", "skip"];

/** Lago's date checks for subscription_at / ending_at (§5.2): ending_at after today and after the start. */
function validateDates(lago: LagoContext, subscriptionAt: unknown, endingAt: unknown, v: Validation): void {
  const start = subscriptionAt instanceof Date ? subscriptionAt : parseIsoDatetime(subscriptionAt);
  if (!start) v.add("subscription_at", "invalid_date");
  if (blank(endingAt)) return;
  const end = parseIsoDatetime(endingAt);
  const today = lago.now().toISOString().slice(0, 10);
  if (!end || !start || !(isoDate(end) > today) || !(isoDate(end) > isoDate(start))) v.add("ending_at", "invalid_date");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payment method a new or updated subscription gets: `provider` with no id unless the request sets
 * them (subscriptions/create_service.rb; a plan change does not copy the current one, plan_upgrade_service.rb
 * and plan_downgrade_service.rb). An id that is not a UUID is stored as nil (the uuid column's cast).
 */
function paymentMethodOf(input: Record<string, unknown>, current?: SubscriptionRecord["payment_method"]): SubscriptionRecord["payment_method"] {
  const pm = { ...(current ?? { payment_method_type: "provider", payment_method_id: null }) };
  if (isObject(input.payment_method)) {
    const sent = input.payment_method;
    if ("payment_method_type" in sent && (sent.payment_method_type === null || typeof sent.payment_method_type !== "object")) pm.payment_method_type = String(sent.payment_method_type);
    if ("payment_method_id" in sent && (sent.payment_method_id === null || typeof sent.payment_method_id !== "object"))
      pm.payment_method_id = typeof sent.payment_method_id === "string" && UUID.test(sent.payment_method_id) ? sent.payment_method_id : null;
  }
  return pm;
}

/**
 * payment_methods/validate_service.rb: a type and id both blank pass, `provider` passes without an id (the
 * local Lago keeps no payment methods, so never with one), `manual` passes; anything else is
 * invalid_payment_method. A blank type that passes is then written to the NOT NULL enum column: Lago raises.
 */
function assertValidPaymentMethod(input: Record<string, unknown>): void {
  if (!isObject(input.payment_method)) return; // strong parameters drop a scalar
  const sent = input.payment_method;
  const type = typeof sent.payment_method_type === "object" && sent.payment_method_type !== null ? undefined : sent.payment_method_type;
  const id = typeof sent.payment_method_id === "object" && sent.payment_method_id !== null ? undefined : sent.payment_method_id;
  if (blank(type) && blank(id)) {
    if ("payment_method_type" in sent && type !== undefined) throw lagoRaises(`payment_method_type ${JSON.stringify(type)} into a NOT NULL enum column`);
    return;
  }
  const typeText = type === undefined || type === null ? "" : String(type);
  if ((id === undefined || id === null) && typeText === "provider") return;
  if (typeText === "manual") return;
  throw validationError({ payment_method: ["invalid_payment_method"] });
}

function thresholdsOf(lago: LagoContext, input: unknown): SubscriptionRecord["usage_thresholds"] {
  const now = isoSeconds(lago.now());
  return (Array.isArray(input) ? input : []).filter(isObject).map((t) => ({
    id: newId(),
    threshold_display_name: (t.threshold_display_name as string | null) ?? null,
    amount_cents: Number(t.amount_cents ?? 0),
    recurring: t.recurring === true,
    created_at: now,
    updated_at: now,
  }));
}


/** A brand-new subscription: active at once when it starts today or in the past, else pending. */
function createSubscription(lago: LagoContext, customer: CustomerRecord, plan: PlanRow, input: Record<string, unknown>, subscriptionAt: Date): SubscriptionRecord {
  const billingTime = blank(input.billing_time) ? "calendar" : String(input.billing_time);
  if (!BILLING_TIMES.includes(billingTime)) throw validationError({ billing_time: ["value_is_invalid"] });
  const externalId = text(input.external_id).trim();
  if (!externalId) throw validationError({ external_id: ["value_is_mandatory"] });
  const timezone = ianaTimezone(applicableTimezone(customer));
  const startsLater = localDay(subscriptionAt, timezone) > localDay(lago.now(), timezone);
  const at = subscriptionAt.toISOString();
  const row: SubscriptionRecord = {
    id: newId(),
    external_id: externalId,
    customer_id: customer.id,
    plan_id: plan.id,
    status: startsLater ? "pending" : "active",
    billing_time: billingTime as SubscriptionRecord["billing_time"],
    subscription_at: at,
    started_at: startsLater ? null : at,
    activated_at: startsLater ? null : at,
    terminated_at: null,
    canceled_at: null,
    created_at: lago.now().toISOString(),
    name: text(input.name).trim(),
    ending_at: blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString(),
    previous_subscription_id: null,
    on_termination_credit_note: null,
    on_termination_invoice: "generate",
    progressive_billing_disabled: input.progressive_billing_disabled === true,
    consolidate_invoice: "consolidate_invoice" in input ? input.consolidate_invoice !== false : true,
    payment_method: paymentMethodOf(input),
    usage_thresholds: thresholdsOf(lago, input.usage_thresholds),
  };
  return tables(lago.store).subscriptions.put(row) as SubscriptionRecord;
}

/** Fields a plan change copies from the current subscription unless the request sets them. */
function successorOf(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  return {
    ...current,
    id: newId(),
    plan_id: plan.id,
    name: text(input.name).trim(),
    previous_subscription_id: current.id,
    status: "pending",
    started_at: null,
    activated_at: null,
    terminated_at: null,
    canceled_at: null,
    created_at: lago.now().toISOString(),
    ending_at: "ending_at" in input ? (blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString()) : current.ending_at,
    consolidate_invoice: "consolidate_invoice" in input ? input.consolidate_invoice !== false : current.consolidate_invoice,
    progressive_billing_disabled: input.progressive_billing_disabled === true,
    on_termination_credit_note: null,
    on_termination_invoice: "generate",
    payment_method: paymentMethodOf(input),
    usage_thresholds: thresholdsOf(lago, input.usage_thresholds),
  };
}

/** A future-pending subscription just swaps its plan (and name when given) in place. */
function swapPendingPlan(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const name = text(input.name).trim();
  return tables(lago.store).subscriptions.put({ ...current, plan_id: plan.id, name: name || current.name } as SubscriptionRecord) as SubscriptionRecord;
}

/** Immediate upgrade: the current one ends now and a new subscription (new lago_id) starts. */
export function upgrade(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const pending = pendingNextOf(lago, current);
  if (pending) cancelSubscription(lago, pending);
  terminateSubscription(lago, current);
  const now = lago.now().toISOString();
  return tables(lago.store).subscriptions.put({ ...successorOf(lago, current, plan, input), status: "active", started_at: now, activated_at: now } as SubscriptionRecord) as SubscriptionRecord;
}

/** Downgrade at period end: a pending successor is created; the answer is the current subscription. */
function downgrade(lago: LagoContext, current: SubscriptionRecord, plan: PlanRow, input: Record<string, unknown>): SubscriptionRecord {
  const pending = pendingNextOf(lago, current);
  if (pending) cancelSubscription(lago, pending);
  tables(lago.store).subscriptions.put(successorOf(lago, current, plan, input));
  return current;
}

/** This customer's subscription that a POST with the same external_id acts on: active or starting later. */
function currentSubscription(lago: LagoContext, customerId: string, externalId: string): SubscriptionRecord | undefined {
  return (tables(lago.store).subscriptions.filter(
    (s) =>
      s.customer_id === customerId &&
      s.external_id === externalId &&
      (s.status === "active" || (s.status === "pending" && (s as SubscriptionRecord).previous_subscription_id === null)),
  ) as SubscriptionRecord[]).sort((a, b) => ((a.started_at ?? "") < (b.started_at ?? "") ? 1 : -1))[0];
}

export function postSubscription(lago: LagoContext, input: Record<string, unknown>): SubscriptionRecord {
  const { subscriptions, customers } = tables(lago.store);
  if (!blank(input.billing_entity_code) && input.billing_entity_code !== DEFAULT_BILLING_ENTITY_CODE) throw notFound("billing_entity");
  const externalCustomerId = text(input.external_customer_id).trim();
  let customer = findLiveCustomer(lago, externalCustomerId) ?? newCustomer(lago, externalCustomerId);
  let plan = findPlan(lago, text(input.plan_code));

  const v = new Validation();
  const subscriptionAt = blank(input.subscription_at) ? lago.now() : parseIsoDatetime(input.subscription_at);
  validateDates(lago, subscriptionAt ?? input.subscription_at, input.ending_at, v);
  v.throwIfAny();
  assertValidPaymentMethod(input);
  if ("plan_overrides" in input && !lago.premium) throw forbidden("feature_unavailable");
  if (!externalCustomerId) throw validationError({ external_customer_id: ["value_is_mandatory"] });
  const overrides = isObject(input.plan_overrides) ? input.plan_overrides : null;
  if (Array.isArray(input.usage_thresholds) && input.usage_thresholds.length && Array.isArray(overrides?.usage_thresholds) && overrides.usage_thresholds.length)
    throw validationError({ "plan_overrides.usage_thresholds": ["incompatible_params"], usage_thresholds: ["incompatible_params"] });

  // Lago saves an auto-created customer before anything else (§5.2), then sets its currency.
  if (!customers.get(customer.id)) customers.put(customer);
  const currency = typeof overrides?.amount_currency === "string" ? overrides.amount_currency : plan.amount_currency;
  const withCurrency = applyCurrency(lago, customer, currency, false);
  if (withCurrency !== customer) customer = customers.put({ ...withCurrency, updated_at: isoSeconds(lago.now()) } as CustomerRecord) as CustomerRecord;

  const externalId = text(input.external_id).trim();
  if (subscriptions.find((s) => s.customer_id === customer.id && s.external_id === externalId && s.status === "incomplete"))
    throw validationError({ subscription: ["subscription_incomplete"] });
  const current = currentSubscription(lago, customer.id, externalId);
  if (!current && subscriptions.find((s) => s.external_id === externalId && s.status === "active")) throw validationError({ external_id: ["value_already_exist"] });

  // "Same plan" compares the parent plan: overrides sent for a subscription already on it are ignored.
  if (current && current.plan_id === plan.id) return current;
  // Overrides only make a child plan for what is actually created (§5.5).
  const target = () => (overrides ? overridePlan(lago, plan, overrides, undefined) : plan);
  if (current) {
    if (current.status === "pending") return swapPendingPlan(lago, current, plan, input);
    // Lago compares with the override amount already applied to the requested plan.
    const requested = typeof overrides?.amount_cents === "number" ? { ...plan, amount_cents: overrides.amount_cents } : plan;
    const isUpgrade = yearlyAmountCents(requested) >= yearlyAmountCents(planOf(lago, current));
    return isUpgrade ? upgrade(lago, current, target(), input) : downgrade(lago, current, target(), input);
  }
  // Units alone for fixed charges make no child plan: the units are kept for the new subscription (create_service.rb).
  const unitsOnly = overrides ? unitsOnlyOverrides(overrides) : null;
  if (unitsOnly) {
    assertFixedChargesOfPlan(lago, plan.id, unitsOnly);
    const created = createSubscription(lago, customer, plan, input, subscriptionAt!);
    writeUnitsOverrides(lago, created.id, unitsOnly);
    return created;
  }
  return createSubscription(lago, customer, target(), input, subscriptionAt!);
}

// ---------------------------------------------------------------------------------------------
// plan_overrides (§5.5, premium)

const PLAN_OVERRIDE_FIELDS = ["amount_cents", "amount_currency", "description", "name", "invoice_display_name", "trial_period"] as const;
const CHARGE_OVERRIDE_FIELDS = ["invoice_display_name", "min_amount_cents", "properties", "filters"] as const;

/**
 * The first override copies the parent plan into a child plan (same code, `parent_id` set) and every
 * charge and fixed charge into it, then applies the overridden fields; charge entries match the
 * parent charge ids. Only attributes are copied (plans/override_service.rb `plan.dup`,
 * charges/override_service.rb, fixed_charges/override_service.rb): plan taxes, minimum commitment,
 * usage thresholds, metadata and charge taxes stay behind unless the override sends them.
 * A subscription already on a child plan has that child updated instead (charges reconciled).
 * Invalid charge overrides are not validated: Lago swallows them on the first copy too.
 */
function overridePlan(lago: LagoContext, parent: PlanRow, overrides: Record<string, unknown>, current: SubscriptionRecord | undefined): PlanRow {
  const { plans, charges } = tables(lago.store);
  const planFields: Partial<PlanRow> = {};
  for (const field of PLAN_OVERRIDE_FIELDS) if (field in overrides) (planFields as Record<string, unknown>)[field] = overrides[field];
  if (Array.isArray(overrides.tax_codes)) planFields.tax_ids = resolveTaxCodes(lago, overrides.tax_codes);
  const chargeOverrides = Array.isArray(overrides.charges) ? overrides.charges.filter(isObject) : null;

  const now = isoSeconds(lago.now());
  const existingChild = current ? planOf(lago, current) : undefined;
  if (existingChild && existingChild.parent_id === parent.id) return overrideAgain(lago, existingChild, overrides, planFields, chargeOverrides);
  const thresholds = Array.isArray(overrides.usage_thresholds) && overrides.usage_thresholds.length ? thresholdsOf(lago, overrides.usage_thresholds) : [];
  const commitment = isObject(overrides.minimum_commitment) && overrides.minimum_commitment.amount_cents !== undefined ? overrides.minimum_commitment : null;
  const child = plans.put({
    ...parent,
    tax_ids: [],
    // commitments/override_service.rb applies the commitment's tax_codes.
    minimum_commitment: commitment
      ? {
          id: newId(),
          amount_cents: Number(commitment.amount_cents),
          invoice_display_name: (commitment.invoice_display_name as string | null) ?? null,
          tax_ids: Array.isArray(commitment.tax_codes) ? resolveTaxCodes(lago, commitment.tax_codes) : [],
          created_at: now,
          updated_at: now,
        }
      : null,
    usage_thresholds: thresholds,
    metadata: null,
    ...planFields,
    id: newId(),
    parent_id: parent.id,
    pending_deletion: false,
    created_at: now,
  });
  for (const charge of liveChargesOf(lago, parent.id)) {
    const entry = chargeOverrides?.find((o) => o.id === charge.id);
    const copy: ChargeRow = { ...charge, id: newId(), plan_id: child.id, parent_id: charge.id, tax_ids: [], created_at: now };
    for (const field of CHARGE_OVERRIDE_FIELDS) if (entry && field in entry) (copy as unknown as Record<string, unknown>)[field] = entry[field];
    if (entry && Array.isArray(entry.tax_codes)) copy.tax_ids = resolveTaxCodes(lago, entry.tax_codes);
    charges.put(copy);
  }
  const fixedOverrides = Array.isArray(overrides.fixed_charges) ? overrides.fixed_charges.filter(isObject) : [];
  const fixedCharges = lago.store.table<FixedChargeRow>("fixed_charges");
  for (const fixed of liveFixedChargesOf(lago, parent.id)) {
    const entry = fixedOverrides.find((o) => o.id === fixed.id);
    const copy: FixedChargeRow = { ...fixed, id: newId(), plan_id: child.id, parent_id: fixed.id, tax_ids: [], created_at: now };
    // fixed_charges/override_service.rb: properties filtered to the model's keys, display name and units as sent.
    if (entry && isObject(entry.properties) && Object.keys(entry.properties).length) copy.properties = keepProperties(fixed.charge_model, entry.properties, { fixed: true });
    if (entry && "invoice_display_name" in entry) copy.invoice_display_name = (entry.invoice_display_name as string | null) ?? null;
    if (entry && "units" in entry) {
      const units = castFixedUnits(entry.units);
      // save! fails its numericality check; plans/override_service.rb ignores the result: no copy.
      if (units === null) continue;
      copy.units = units;
    }
    if (entry && Array.isArray(entry.tax_codes)) copy.tax_ids = resolveTaxCodes(lago, entry.tax_codes);
    fixedCharges.put(copy);
  }
  return child;
}

/**
 * A subscription already on its child plan: Lago updates that child like a plan (subscriptions/update_service.rb
 * handle_plan_override → plans/update_service.rb). The child is attached to the subscription, so only the name,
 * display name, description and amount change among its fields (amount_currency and trial_period are kept); taxes
 * are replaced when sent; charges are reconciled by the child's ids (frozen fields kept, charges.ts updateCharge);
 * usage thresholds are replaced when the key is sent; a commitment is updated, or deleted when sent blank.
 */
function overrideAgain(lago: LagoContext, child: PlanRow, overrides: Record<string, unknown>, planFields: Partial<PlanRow>, chargeOverrides: Record<string, unknown>[] | null): PlanRow {
  const fixedEntries = childFixedCharges(lago, child, overrides);
  const { amount_currency: _currency, trial_period: _trial, ...editable } = planFields;
  const next: PlanRow = { ...child, ...editable };
  if ("usage_thresholds" in overrides && lago.premium) next.usage_thresholds = thresholdsOf(lago, overrides.usage_thresholds);
  const sent = overrides.minimum_commitment;
  if (sent !== undefined && sent !== null && lago.premium) {
    const blankCommitment = !isObject(sent) || Object.keys(sent).length === 0;
    const now = isoSeconds(lago.now());
    if (blankCommitment) next.minimum_commitment = null;
    else {
      const was = child.minimum_commitment ?? { id: newId(), amount_cents: 0, invoice_display_name: null, tax_ids: [], created_at: now, updated_at: now };
      next.minimum_commitment = {
        ...was,
        ...("amount_cents" in sent ? { amount_cents: Number(sent.amount_cents) } : {}),
        ...("invoice_display_name" in sent ? { invoice_display_name: (sent.invoice_display_name as string | null) ?? null } : {}),
        ...(Array.isArray(sent.tax_codes) ? { tax_ids: resolveTaxCodes(lago, sent.tax_codes) } : {}),
        updated_at: now,
      };
    }
  }
  const saved = tables(lago.store).plans.put(next);
  if (chargeOverrides) reconcileCharges(lago, saved, chargeOverrides);
  if (fixedEntries) reconcileFixedCharges(lago, saved, fixedEntries);
  return saved;
}

/**
 * The child's fixed charges when the key is sent: every one of them, each with its entry laid over its own values
 * (subscriptions/update_service.rb plan_update_params_with_full_fixed_charges); an entry naming no fixed charge of
 * the child is a 404 before anything is written.
 */
function childFixedCharges(lago: LagoContext, child: PlanRow, overrides: Record<string, unknown>): Record<string, unknown>[] | null {
  if (!("fixed_charges" in overrides) || !Array.isArray(overrides.fixed_charges)) return null;
  const own = liveFixedChargesOf(lago, child.id);
  const entries = overrides.fixed_charges.filter(isObject);
  if (entries.some((e) => !own.some((f) => f.id === e.id))) throw notFound("fixed_charge");
  return own.map((f) => {
    const { id: _id, ...overlay } = entries.find((e) => e.id === f.id) ?? {};
    return { id: f.id, charge_model: f.charge_model, properties: f.properties, units: f.units, invoice_display_name: f.invoice_display_name, pay_in_advance: f.pay_in_advance, prorated: f.prorated, ...overlay };
  });
}

// ---------------------------------------------------------------------------------------------
// Update and terminate (§5.4, §5.6), lookups and lists (§5.1)

/** PUT's target: the only subscription with this external id, or among several the one `?status=` picks (default active). */
export function subscriptionToUpdate(lago: LagoContext, externalId: string, status: string | undefined): SubscriptionRecord {
  const all = (tables(lago.store).subscriptions.filter((s) => s.external_id === externalId) as SubscriptionRecord[]).sort((a, b) =>
    a.subscription_at < b.subscription_at ? 1 : -1,
  );
  const wanted = status === "pending" || status === "incomplete" ? status : "active";
  const row = all.length > 1 ? all.find((s) => s.status === wanted) : all[0];
  if (!row) throw notFound("subscription");
  return row;
}

export function updateSubscription(lago: LagoContext, current: SubscriptionRecord, input: Record<string, unknown>): SubscriptionRecord {
  if (current.status === "incomplete") throw methodNotAllowed("subscription_incomplete");
  const v = new Validation();
  validateDates(lago, "subscription_at" in input ? input.subscription_at : new Date(current.subscription_at), input.ending_at, v);
  // subscriptions/validate_service.rb calls `.to_sym` on any present value: numbers and booleans raise.
  for (const key of ["on_termination_credit_note", "on_termination_invoice"])
    if (typeof input[key] === "number" || input[key] === true) throw lagoRaises(`${key}.to_sym on ${JSON.stringify(input[key])}`);
  if (!blank(input.on_termination_credit_note) && !CREDIT_NOTE_ACTIONS.includes(String(input.on_termination_credit_note))) v.add("on_termination_credit_note", "invalid_value");
  if (!blank(input.on_termination_invoice) && !INVOICE_ACTIONS.includes(String(input.on_termination_invoice))) v.add("on_termination_invoice", "invalid_value");
  v.throwIfAny();
  assertValidPaymentMethod(input);
  const overrides = isObject(input.plan_overrides) ? input.plan_overrides : null;
  if (Array.isArray(input.usage_thresholds) && input.usage_thresholds.length && Array.isArray(overrides?.usage_thresholds) && overrides.usage_thresholds.length)
    throw validationError({ "plan_overrides.usage_thresholds": ["incompatible_params"], usage_thresholds: ["incompatible_params"] });
  if ("plan_overrides" in input && !lago.premium) throw forbidden("feature_unavailable");

  const plan = planOf(lago, current);
  const next: SubscriptionRecord = { ...current, payment_method: paymentMethodOf(input, current.payment_method) };
  if ("name" in input) next.name = input.name === null ? null : text(input.name);
  if ("ending_at" in input) next.ending_at = blank(input.ending_at) ? null : parseIsoDatetime(input.ending_at)!.toISOString();
  if ("progressive_billing_disabled" in input) next.progressive_billing_disabled = input.progressive_billing_disabled === true;
  if ("consolidate_invoice" in input) next.consolidate_invoice = input.consolidate_invoice !== false;
  // The credit-note choice only exists for plans paid in advance.
  if (plan.pay_in_advance && "on_termination_credit_note" in input) next.on_termination_credit_note = (input.on_termination_credit_note as SubscriptionRecord["on_termination_credit_note"]) ?? null;
  if ("on_termination_invoice" in input) next.on_termination_invoice = (input.on_termination_invoice as SubscriptionRecord["on_termination_invoice"]) ?? "generate";
  if ("usage_thresholds" in input) next.usage_thresholds = thresholdsOf(lago, input.usage_thresholds);
  const unitsOnly = overrides && !plan.parent_id ? unitsOnlyOverrides(overrides) : null;
  if (unitsOnly) {
    // Units alone on a subscription still on its plan: kept for the subscription, no child plan (update_service.rb).
    assertFixedChargesOfPlan(lago, plan.id, unitsOnly);
    writeUnitsOverrides(lago, current.id, unitsOnly);
  } else if (overrides) {
    // The first override takes the subscription's own units along (plan_override_params_with_promoted_units).
    const sent = plan.parent_id ? overrides : { ...overrides, fixed_charges: promoteUnitsOverrides(lago, current.id, Array.isArray(overrides.fixed_charges) ? overrides.fixed_charges : []) };
    next.plan_id = overridePlan(lago, plan.parent_id ? tables(lago.store).plans.get(plan.parent_id)! : plan, sent, current).id;
  }
  const startsLater = current.status === "pending" && current.previous_subscription_id === null;
  if (startsLater && "subscription_at" in input) {
    const at = parseIsoDatetime(input.subscription_at)!;
    next.subscription_at = at.toISOString();
    const timezone = ianaTimezone(applicableTimezone(customerOf(lago, current)));
    // Moving the start to today or the past activates it.
    if (localDay(at, timezone) <= localDay(lago.now(), timezone)) Object.assign(next, { status: "active", started_at: next.subscription_at, activated_at: next.subscription_at });
  }
  return tables(lago.store).subscriptions.put(next) as SubscriptionRecord;
}

/** Running first, then latest terminated, then latest started: Lago's pick among same-status rows. */
function latestFirst(a: SubscriptionRecord, b: SubscriptionRecord): number {
  const aEnd = a.terminated_at ?? "\uffff";
  const bEnd = b.terminated_at ?? "\uffff";
  if (aEnd !== bEnd) return aEnd < bEnd ? 1 : -1;
  return (a.started_at ?? "") < (b.started_at ?? "") ? 1 : -1;
}

/** GET's target: the subscription with this external id in the asked status (default active). */
export function findSubscription(lago: LagoContext, externalId: string, status: string | undefined): SubscriptionRecord {
  const wanted = status ?? "active";
  const row = (tables(lago.store).subscriptions.filter((s) => s.external_id === externalId && s.status === wanted) as SubscriptionRecord[]).sort(latestFirst)[0];
  if (!row) throw notFound("subscription");
  return row;
}

/** DELETE /subscriptions/{external_id}: the active one, or the pending one with `status=pending`. */
export function terminateByRequest(lago: LagoContext, externalId: string, query: { status?: string; on_termination_credit_note?: string; on_termination_invoice?: string }): SubscriptionRecord {
  const wanted = query.status === "pending" ? "pending" : "active";
  const row = tables(lago.store).subscriptions.find((s) => s.external_id === externalId && s.status === wanted) as SubscriptionRecord | undefined;
  if (!row) throw notFound("subscription");
  const creditNote = query.on_termination_credit_note;
  const invoice = query.on_termination_invoice;
  const v = new Validation();
  if (creditNote && planOf(lago, row).pay_in_advance && !CREDIT_NOTE_ACTIONS.includes(creditNote)) v.add("on_termination_credit_note", "invalid_value");
  if (invoice && !INVOICE_ACTIONS.includes(invoice)) v.add("on_termination_invoice", "invalid_value");
  v.throwIfAny();
  return terminateSubscription(lago, row, {
    on_termination_credit_note: (creditNote || undefined) as TerminationOptions["on_termination_credit_note"],
    on_termination_invoice: (invoice || undefined) as TerminationOptions["on_termination_invoice"],
  });
}
