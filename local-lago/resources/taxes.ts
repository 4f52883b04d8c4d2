// Taxes (lago-api.md §8). Other rooms reference taxes by `tax_codes` and embed them as `taxes[]`.
import type { Room } from "../api";
import { isoSeconds, newId, type LagoContext } from "../context";
import { notFound, Validation } from "../errors";
import { tables, type TaxRow } from "../model";
import { paginate } from "../pagination";

export interface TaxRecord extends TaxRow {
  description: string | null;
  applied_to_organization: boolean;
}

/** The organisation's default billing entity, the one `applied_to_organization` targets. */
export const DEFAULT_BILLING_ENTITY_CODE = "default";

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** Rails' boolean cast: the usual false spellings are false, blank is null, anything else true. */
const railsBoolean = (v: unknown): boolean | null => {
  if (v === undefined || v === null || v === "") return null;
  return ![false, 0, "0", "f", "F", "false", "FALSE", "off", "OFF"].includes(v as never);
};

/**
 * Lago stores the rate in a float column and checks presence only, so any numeric prefix is
 * taken and other text becomes 0 (Ruby's String#to_f); blank or non-scalar is "missing".
 */
export function castRate(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string" || v.trim() === "") return null;
  const prefix = /^\s*[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return prefix ? Number(prefix[0]) : 0;
}

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

function validate(row: TaxRecord, lago: LagoContext) {
  const v = new Validation();
  if (blank(row.name)) v.add("name", "value_is_mandatory");
  if (blank(row.code)) v.add("code", "value_is_mandatory");
  // Unlike other models, tax code uniqueness also counts deleted taxes (§8).
  else if (tables(lago.store).taxes.find((t) => t.code === row.code && t.id !== row.id)) v.add("code", "value_already_exist");
  if (row.rate === null) v.add("rate", "value_is_mandatory");
  v.throwIfAny();
}

const byName = (a: TaxRow, b: TaxRow) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1;

/** Drops a tax id from every row that carries `tax_ids`, whichever room owns the table. */
function detachEverywhere(lago: LagoContext, taxId: string) {
  const t = tables(lago.store);
  for (const table of [t.plans, t.charges, t.customers, t.addOns] as const) {
    const holders = (table.all() as Array<{ id: string; tax_ids?: string[] }>).filter((r) => r.tax_ids?.includes(taxId));
    for (const row of holders) (table as unknown as { put(r: unknown): void }).put({ ...row, tax_ids: row.tax_ids!.filter((id) => id !== taxId) });
  }
}

export const taxes: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/taxes", (req) => {
    const input = req.body("tax");
    const row: TaxRecord = {
      id: newId(),
      name: (input.name as string) ?? "",
      code: (input.code as string) ?? "",
      rate: castRate(input.rate) as number,
      description: (input.description as string | null) ?? null,
      applied_to_organization: railsBoolean(input.applied_to_organization) ?? false,
      created_at: isoSeconds(lago.now()),
      deleted_at: null,
    };
    validate(row, lago);
    t().taxes.put(row);
    return { tax: serializeFull(row) };
  });

  api.get("/taxes", (req) => {
    const rows = t().taxes.filter((x) => x.deleted_at === null).sort(byName) as TaxRecord[];
    const { page, meta } = paginate(rows, req.queries);
    return { taxes: page.map(serializeFull), meta };
  });

  api.get("/taxes/:code{.+}", (req) => ({ tax: serializeFull(findTax(lago, req.params.code!)) }));

  api.put("/taxes/:code{.+}", (req) => {
    const current = findTax(lago, req.params.code!);
    const input = req.body("tax");
    const next: TaxRecord = { ...current };
    if ("name" in input) next.name = (input.name as string) ?? "";
    if ("code" in input) next.code = (input.code as string) ?? "";
    if ("rate" in input) next.rate = castRate(input.rate) as number;
    if ("description" in input) next.description = (input.description as string | null) ?? null;
    if ("applied_to_organization" in input) next.applied_to_organization = railsBoolean(input.applied_to_organization) ?? false;
    validate(next, lago);
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
