// Taxes (lago-api.md §8). Other rooms reference taxes by `tax_codes` and embed them as `taxes[]`.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { notFound, Validation } from "../errors";
import { tables, type TaxRow } from "../model";
import { listPage, newestFirst } from "../pagination";
import { blank, railsBoolean, railsFloat } from "./rails-casts";

export interface TaxRecord extends TaxRow {
  description: string | null;
  applied_to_organization: boolean;
}

/** The organisation's default billing entity, the one `applied_to_organization` targets. */
export const DEFAULT_BILLING_ENTITY_CODE = "default";

export function findTax(lago: LagoContext, code: string): TaxRecord {
  const row = tables(lago.store).taxes.find((t) => t.code === code && t.deleted_at === null);
  if (!row) throw notFound("tax");
  return row as TaxRecord;
}

/**
 * Maps `tax_codes` from a request to live tax ids, in request order without repeats.
 * Absent/null means "no change requested" to callers and yields []; an unknown code is a 404.
 */
export function resolveTaxCodes(lago: LagoContext, codes: unknown): string[] {
  if (codes === undefined || codes === null || !Array.isArray(codes)) return [];
  const ids: string[] = [];
  for (const code of codes) {
    const id = findTax(lago, String(code)).id;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The `taxes[]` item embedded in plans, charges, customers and add-ons (§3.5); counters are always 0. */
export function serializeTax(row: TaxRow) {
  const tax = row as TaxRecord;
  return {
    lago_id: tax.id,
    name: tax.name,
    code: tax.code,
    rate: tax.rate,
    description: tax.description ?? null,
    applied_to_organization: tax.applied_to_organization ?? false,
    add_ons_count: 0,
    customers_count: 0,
    plans_count: 0,
    charges_count: 0,
    commitments_count: 0,
    created_at: tax.created_at,
  };
}

/** Serialises the taxes behind a row's `tax_ids`, skipping any no longer live. */
export function serializeTaxIds(lago: LagoContext, ids: readonly string[]) {
  const { taxes } = tables(lago.store);
  return ids.map((id) => taxes.get(id)).filter((t): t is TaxRow => !!t && t.deleted_at === null).map(serializeTax);
}

/** The /taxes endpoints answer with the billing entities the tax applies to as well (§8). */
const serializeFull = (row: TaxRecord) => ({
  ...serializeTax(row),
  applied_to_billing_entities_codes: row.applied_to_organization ? [DEFAULT_BILLING_ENTITY_CODE] : [],
});

/** `rateMissing`: the float column holds 0.0 by default, but Lago checks the assigned value for presence. */
function validate(row: TaxRecord, lago: LagoContext, rateMissing: boolean) {
  const v = new Validation();
  if (blank(row.name)) v.add("name", "value_is_mandatory");
  if (blank(row.code)) v.add("code", "value_is_mandatory");
  // Unlike other models, tax code uniqueness also counts deleted taxes (§8).
  else if (tables(lago.store).taxes.find((t) => t.code === row.code && t.id !== row.id)) v.add("code", "value_already_exist");
  if (rateMissing) v.add("rate", "value_is_mandatory");
  v.throwIfAny();
}

/** Lago lists taxes by name, then newest first, then id. */
const byName = (a: TaxRow, b: TaxRow) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : newestFirst(a, b);

/** Drops a tax id from every plan (and its commitment), charge, fixed charge, customer and add-on carrying it (§8). */
function detachEverywhere(lago: LagoContext, taxId: string) {
  const t = tables(lago.store);
  const detach = <R extends { tax_ids: string[] }>(table: { filter(p: (r: R) => boolean): R[]; put(r: R): R }) => {
    for (const row of table.filter((r) => r.tax_ids.includes(taxId))) table.put({ ...row, tax_ids: row.tax_ids.filter((id) => id !== taxId) });
  };
  detach(t.plans);
  // A plan's minimum commitment carries taxes of its own.
  type WithCommitment = { minimum_commitment?: { tax_ids: string[] } | null };
  for (const plan of t.plans.all()) {
    const commitment = (plan as WithCommitment).minimum_commitment;
    if (commitment?.tax_ids.includes(taxId))
      t.plans.put({ ...plan, minimum_commitment: { ...commitment, tax_ids: commitment.tax_ids.filter((id) => id !== taxId) } } as typeof plan);
  }
  detach(t.charges);
  detach(t.customers);
  detach(t.addOns);
  // Plans' fixed charges live in their room's own table, read by name to keep this room independent.
  detach(lago.store.table<{ id: string; tax_ids: string[] }>("fixed_charges"));
}

export const taxes: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/taxes", (req) => {
    const input = req.body("tax");
    const rate = railsFloat(input.rate);
    const row: TaxRecord = {
      id: newId(),
      name: (input.name as string) ?? "",
      code: (input.code as string) ?? "",
      rate: rate ?? 0,
      description: (input.description as string | null) ?? null,
      applied_to_organization: railsBoolean(input.applied_to_organization) ?? false,
      created_at: isoSeconds(lago.now()),
      deleted_at: null,
    };
    validate(row, lago, rate === null);
    t().taxes.put(row);
    return { tax: serializeFull(row) };
  });

  api.get("/taxes", (req) => {
    const rows = t().taxes.filter((x) => x.deleted_at === null).sort(byName) as TaxRecord[];
    return listPage("taxes", rows, req.queries, serializeFull);
  });

  api.get("/taxes/:code{.+}", (req) => ({ tax: serializeFull(findTax(lago, req.params.code!)) }));

  api.put("/taxes/:code{.+}", (req) => {
    const input = req.body("tax"); // read before the lookup, as Lago does (400 wins over 404)
    const current = findTax(lago, req.params.code!);
    const next: TaxRecord = { ...current };
    if ("name" in input) next.name = (input.name as string) ?? "";
    if ("code" in input) next.code = (input.code as string) ?? "";
    const rate = "rate" in input ? railsFloat(input.rate) : current.rate;
    next.rate = rate ?? 0;
    if ("description" in input) next.description = (input.description as string | null) ?? null;
    if ("applied_to_organization" in input) next.applied_to_organization = railsBoolean(input.applied_to_organization) ?? false;
    validate(next, lago, rate === null);
    t().taxes.put(next);
    return { tax: serializeFull(next) };
  });

  api.delete("/taxes/:code{.+}", (req) => {
    const current = findTax(lago, req.params.code!);
    const deleted = t().taxes.put({ ...current, deleted_at: isoSeconds(lago.now()) }) as TaxRecord;
    detachEverywhere(lago, current.id);
    return { tax: serializeFull(deleted) };
  });
};
