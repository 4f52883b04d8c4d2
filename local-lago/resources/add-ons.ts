// Add-ons (lago-api.md §6): one-off fees, also the base of plans' fixed charges.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { isLagoCurrency } from "../currencies";
import { notFound, Validation } from "../errors";
import { tables, type AddOnRow } from "../model";
import { listPage, newestFirst } from "../pagination";
import { resolveTaxCodes, serializeTaxIds } from "./taxes";
import { blank, isNumeric, NOT_A_NUMBER, numericValue, railsInteger } from "./rails-casts";

export interface AddOnRecord extends AddOnRow {
  description: string | null;
}

export function findAddOn(lago: LagoContext, code: string): AddOnRecord {
  const row = tables(lago.store).addOns.find((a) => a.code === code && a.deleted_at === null);
  if (!row) throw notFound("add_on");
  return row as AddOnRecord;
}

export function serializeAddOn(lago: LagoContext, row: AddOnRecord) {
  return {
    lago_id: row.id,
    name: row.name,
    invoice_display_name: row.invoice_display_name,
    code: row.code,
    amount_cents: row.amount_cents,
    amount_currency: row.amount_currency,
    created_at: row.created_at,
    description: row.description,
    taxes: serializeTaxIds(lago, row.tax_ids),
  };
}

/**
 * Lago's add-on validations. `rawAmount` is the amount as sent: Rails checks numericality on it
 * twice (money-rails' own check and the model's `> 0`), so a missing or non-numeric amount
 * yields the sentence twice.
 */
function validate(lago: LagoContext, row: AddOnRecord, rawAmount: unknown) {
  const v = new Validation();
  if (blank(row.name)) v.add("name", "value_is_mandatory");
  if (blank(row.code)) v.add("code", "value_is_mandatory");
  else if (tables(lago.store).addOns.find((a) => a.deleted_at === null && a.code === row.code && a.id !== row.id))
    v.add("code", "value_already_exist");
  if (!isNumeric(rawAmount)) v.add("amount_cents", NOT_A_NUMBER).add("amount_cents", NOT_A_NUMBER);
  else if (numericValue(rawAmount as string | number).lte(0)) v.add("amount_cents", "value_is_out_of_range");
  if (!isLagoCurrency(row.amount_currency)) v.add("amount_currency", "value_is_invalid");
  v.throwIfAny();
}

/** Only array `tax_codes` reach Lago (strong params drop other shapes), so others mean "unchanged". */
const taxCodesGiven = (input: Record<string, unknown>) => Array.isArray(input.tax_codes);

export const addOns: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/add_ons", (req) => {
    const input = req.body("add_on");
    const row: AddOnRecord = {
      id: newId(),
      name: (input.name as string) ?? "",
      code: (input.code as string) ?? "",
      invoice_display_name: (input.invoice_display_name as string | null) ?? null,
      description: (input.description as string | null) ?? null,
      amount_cents: railsInteger(input.amount_cents) ?? 0,
      amount_currency: (input.amount_currency as string) ?? null,
      tax_ids: [],
      created_at: isoSeconds(lago.now()),
      deleted_at: null,
    };
    // Lago saves first and applies taxes after, so validation errors win over an unknown tax.
    validate(lago, row, input.amount_cents);
    if (taxCodesGiven(input)) row.tax_ids = resolveTaxCodes(lago, input.tax_codes);
    t().addOns.put(row);
    return { add_on: serializeAddOn(lago, row) };
  });

  api.get("/add_ons", (req) => {
    const rows = t().addOns.filter((a) => a.deleted_at === null).sort(newestFirst) as AddOnRecord[];
    return listPage("add_ons", rows, req.queries, (r) => serializeAddOn(lago, r));
  });

  api.get("/add_ons/:code{.+}", (req) => ({ add_on: serializeAddOn(lago, findAddOn(lago, req.params.code!)) }));

  api.put("/add_ons/:code{.+}", (req) => {
    const input = req.body("add_on"); // read before the lookup, as Lago does (400 wins over 404)
    const current = findAddOn(lago, req.params.code!);
    // Partial: every field may change, code and money included (§6).
    const next: AddOnRecord = { ...current };
    if ("name" in input) next.name = (input.name as string) ?? "";
    if ("invoice_display_name" in input) next.invoice_display_name = (input.invoice_display_name as string | null) ?? null;
    if ("description" in input) next.description = (input.description as string | null) ?? null;
    if ("code" in input) next.code = (input.code as string) ?? "";
    if ("amount_cents" in input) next.amount_cents = railsInteger(input.amount_cents) ?? 0;
    if ("amount_currency" in input) next.amount_currency = (input.amount_currency as string) ?? null;
    validate(lago, next, "amount_cents" in input ? input.amount_cents : current.amount_cents);
    if (taxCodesGiven(input)) next.tax_ids = resolveTaxCodes(lago, input.tax_codes);
    t().addOns.put(next);
    return { add_on: serializeAddOn(lago, next) };
  });

  api.delete("/add_ons/:code{.+}", (req) => {
    const current = findAddOn(lago, req.params.code!);
    const deleted = t().addOns.put({ ...current, deleted_at: isoSeconds(lago.now()) }) as AddOnRecord;
    // Plans' fixed charges built on the add-on are soft-deleted with it; their room keeps them in
    // its own table, read here by shape so this room does not depend on it.
    softDeleteFixedCharges(lago, current.id, deleted.deleted_at!);
    return { add_on: serializeAddOn(lago, deleted) };
  });
};

function softDeleteFixedCharges(lago: LagoContext, addOnId: string, at: string) {
  const fixedCharges = lago.store.table<{ id: string; add_on_id?: string; deleted_at?: string | null }>("fixed_charges");
  for (const fc of fixedCharges.filter((f) => f.add_on_id === addOnId && !f.deleted_at)) fixedCharges.put({ ...fc, deleted_at: at });
}
