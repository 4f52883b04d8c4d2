// Fixed charges (lago-api.md §3.2): add-on fees carried by a plan, priced with the standard,
// graduated or volume model over a number of `units`. Only the plan payload manages them here.
import Decimal from "decimal.js";
import { isoSeconds, newId, type LagoContext } from "../context";
import { lagoRaises, notFound, validationError, Validation } from "../errors";
import { live, tables, type PlanRow, type SoftDeletable } from "../model";
import type { Table } from "../store";
import { defaultProperties, FIXED_CHARGE_MODELS, keepProperties, present, propertyErrors } from "./charge-properties";
import { planHasHadSubscription, replaceTaxIds } from "./plan-lookup";
import { decimalJson, isNumeric, isObject, NOT_A_NUMBER, railsBoolean, railsDecimal, railsString } from "./rails-casts";
import { resolveTaxCodes, serializeTaxIds } from "./taxes";

export interface FixedChargeRow extends SoftDeletable {
  plan_id: string;
  add_on_id: string;
  code: string;
  invoice_display_name: string | null;
  charge_model: string | null;
  pay_in_advance: boolean;
  prorated: boolean;
  properties: Record<string, unknown>;
  /** Decimal text as Lago returns it (`"100.0"`), or null while invalid. */
  units: string | null;
  tax_ids: string[];
  parent_id: string | null;
}

const fixedCharges = (lago: LagoContext) => lago.store.table<FixedChargeRow>("fixed_charges") as Table<FixedChargeRow>;

/** Live fixed charges of a plan whose add-on is still live (deleting an add-on removes its fixed charges). */
export const liveFixedChargesOf = (lago: LagoContext, planId: string): FixedChargeRow[] =>
  fixedCharges(lago).filter((f) => f.plan_id === planId && f.deleted_at === null && live(tables(lago.store).addOns.get(f.add_on_id)));

const liveAddOn = (lago: LagoContext, id: unknown) =>
  typeof id === "string" ? tables(lago.store).addOns.find((a) => a.id === id && a.deleted_at === null) : undefined;

/** Checked before anything is written: every referenced add-on must exist (404 add_ons_not_found). */
export function assertAddOnsExist(lago: LagoContext, items: unknown[]): void {
  // Strong parameters drop an object or array id; ChargeablesValidationService compacts nils away.
  const ids = [...new Set(items.map((c) => (isObject(c) ? c.add_on_id : undefined)).filter((id) => id !== undefined && id !== null && typeof id !== "object"))];
  if (ids.some((id) => !liveAddOn(lago, id))) throw notFound("add_ons");
}

/** Units live in a decimal(30,10) column and come back as decimal text (`"100.0"`). */
function castUnits(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (!isNumeric(v)) throw validationError({ units: [NOT_A_NUMBER] });
  return decimalJson(railsDecimal(v, 10)!);
}

/** FixedCharge enum charge_model (no `validate: true`): blank is nil, objects are dropped, other unknown values raise. */
function castModel(v: unknown): string | null {
  if (v === undefined || v === null || v === false || typeof v === "object" || (typeof v === "string" && !v.trim())) return null;
  if (!(FIXED_CHARGE_MODELS as readonly unknown[]).includes(v)) throw lagoRaises(`fixed charge model ${JSON.stringify(v)}`);
  return v as string;
}

function generateCode(lago: LagoContext, planId: string, addOnCode: string): string {
  const codes = fixedCharges(lago)
    .filter((f) => f.plan_id === planId && f.deleted_at === null && f.parent_id === null)
    .map((f) => f.code);
  if (!codes.includes(addOnCode)) return addOnCode;
  const prefix = `${addOnCode}_`;
  const suffixes = codes.filter((c) => c.startsWith(prefix) && /^\d+$/.test(c.slice(prefix.length))).map((c) => Number(c.slice(prefix.length)));
  return `${prefix}${Math.max(1, ...suffixes) + 1}`;
}

function assertValid(lago: LagoContext, row: FixedChargeRow): void {
  const v = new Validation();
  if (row.units === null) v.add("units", NOT_A_NUMBER);
  else if (new Decimal(row.units).lt(0)) v.add("units", "value_is_out_of_range");
  if (row.charge_model === null) v.add("charge_model", "value_is_mandatory");
  if (!present(row.code)) v.add("code", "value_is_mandatory");
  if (!present(row.properties)) v.add("properties", "value_is_mandatory");
  if (fixedCharges(lago).find((f) => f.id !== row.id && f.plan_id === row.plan_id && f.deleted_at === null && f.parent_id === null && f.code === row.code))
    v.add("code", "value_already_exist");
  if (row.pay_in_advance && row.charge_model === "volume") v.add("pay_in_advance", "invalid_charge_model");
  if (row.prorated && row.pay_in_advance && row.charge_model === "graduated") v.add("prorated", "invalid_charge_model");
  if (present(row.properties)) for (const code of propertyErrors(row.charge_model, row.properties, { premium: lago.premium })) v.add("properties", code);
  v.throwIfAny();
}

const propertiesFor = (model: string | null, input: Record<string, unknown>, defaultsFrom: unknown) =>
  keepProperties(model, isObject(input.properties) && present(input.properties) ? input.properties : defaultProperties(defaultsFrom), { fixed: true });

export function createFixedCharge(lago: LagoContext, plan: PlanRow, input: Record<string, unknown>): FixedChargeRow {
  const addOn = liveAddOn(lago, input.add_on_id);
  if (!addOn) throw lagoRaises("fixed charge without add_on_id (FixedCharges::CreateService#add_on raises ArgumentError)");
  const model = castModel(input.charge_model);
  const code = present(input.code) ? (railsString(input.code) ?? "") : generateCode(lago, plan.id, addOn.code);
  let row: FixedChargeRow = {
    id: newId(),
    plan_id: plan.id,
    add_on_id: addOn.id,
    code,
    invoice_display_name: railsString(input.invoice_display_name),
    charge_model: model,
    pay_in_advance: railsBoolean(input.pay_in_advance) ?? false,
    prorated: railsBoolean(input.prorated) ?? false,
    properties: propertiesFor(model, input, model),
    units: castUnits(input.units ?? 0),
    tax_ids: [],
    parent_id: null,
    created_at: isoSeconds(lago.now()),
    deleted_at: null,
  };
  assertValid(lago, row);
  if (Array.isArray(input.tax_codes)) row = { ...row, tax_ids: resolveTaxCodes(lago, input.tax_codes) };
  return fixedCharges(lago).put(row);
}

/** In-place update: units, properties and display name always; model and code only before any subscription. */
export function updateFixedCharge(lago: LagoContext, plan: PlanRow, current: FixedChargeRow, input: Record<string, unknown>): FixedChargeRow {
  const frozen = planHasHadSubscription(lago, plan.id);
  const model = frozen ? current.charge_model : castModel(input.charge_model);
  let row: FixedChargeRow = {
    ...current,
    charge_model: model,
    invoice_display_name: railsString(input.invoice_display_name),
    units: castUnits(input.units),
    properties: propertiesFor(model, input, input.charge_model),
  };
  assertValid(lago, row);
  if (Array.isArray(input.tax_codes)) row = { ...row, tax_ids: replaceTaxIds(lago, row.tax_ids, input.tax_codes) };
  if (!frozen && present(input.code)) {
    row = { ...row, code: railsString(input.code) ?? row.code };
    assertValid(lago, row);
  }
  return fixedCharges(lago).put(row);
}

/** Full reconciliation by `id`, creations before deletions, like plan charges (§3.6). */
export function reconcileFixedCharges(lago: LagoContext, plan: PlanRow, items: unknown[]): void {
  const keep = new Set<string>();
  // Items that are not objects are dropped by strong parameters.
  for (const input of items.filter(isObject)) {
    const existing = liveFixedChargesOf(lago, plan.id).find((f) => f.id === input.id);
    keep.add(existing ? updateFixedCharge(lago, plan, existing, input).id : createFixedCharge(lago, plan, input).id);
  }
  const now = isoSeconds(lago.now());
  for (const row of liveFixedChargesOf(lago, plan.id)) if (!keep.has(row.id)) fixedCharges(lago).put({ ...row, deleted_at: now });
}

export function serializeFixedCharge(lago: LagoContext, row: FixedChargeRow) {
  return {
    lago_id: row.id,
    lago_add_on_id: row.add_on_id,
    code: row.code,
    invoice_display_name: row.invoice_display_name,
    add_on_code: tables(lago.store).addOns.get(row.add_on_id)?.code ?? null,
    created_at: row.created_at,
    charge_model: row.charge_model,
    pay_in_advance: row.pay_in_advance,
    prorated: row.prorated,
    properties: row.properties,
    units: row.units,
    lago_parent_id: row.parent_id,
    taxes: serializeTaxIds(lago, row.tax_ids),
  };
}
