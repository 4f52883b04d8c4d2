// AddOn: arguments ↔ Lago's `add_on` object (lago-api.md §6), typed by Lago's contract.
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import type { AddOnInputs } from "./schema";

/** Lago's add-on object. */
export type LagoAddOn = Wire["AddOnObject"];
/** The `add_on` body of a create or update. */
export type AddOnBody = Wire["AddOnBaseInput"];

export type AddOnArgs = Managed<AddOnInputs>;

/** The `add_on` body for the arguments in `payload` (absent ones are not sent). */
export function toWire(p: AddOnArgs): AddOnBody {
  const body: AddOnBody = {};
  if ("name" in p) body.name = p.name ?? undefined;
  if ("code" in p) body.code = p.code ?? undefined;
  if ("amountCents" in p) body.amount_cents = p.amountCents ?? undefined;
  if ("amountCurrency" in p) body.amount_currency = p.amountCurrency ?? undefined;
  if ("invoiceDisplayName" in p) body.invoice_display_name = p.invoiceDisplayName ?? null;
  if ("description" in p) body.description = p.description ?? null;
  if ("taxCodes" in p) body.tax_codes = p.taxCodes ?? [];
  return body;
}

export function toArgs(remote: LagoAddOn): AddOnArgs {
  return {
    name: remote.name,
    code: remote.code,
    amountCents: remote.amount_cents,
    amountCurrency: remote.amount_currency,
    invoiceDisplayName: remote.invoice_display_name,
    description: remote.description,
    taxCodes: (remote.taxes ?? []).map((t) => t.code),
  };
}

export const outputs = (remote: LagoAddOn): Args => ({ lagoId: remote.lago_id, createdAt: remote.created_at });

/** Comparable form: blanks dropped, tax codes as a sorted set (none = unset). */
export function normalize(args: AddOnArgs): Args {
  const out: Args = { ...args };
  if (out.invoiceDisplayName === "") delete out.invoiceDisplayName;
  if (out.description === "") delete out.description;
  if (Array.isArray(args.taxCodes)) out.taxCodes = args.taxCodes.length ? [...new Set(args.taxCodes)].sort() : undefined;
  return out;
}
