// Tax: arguments ↔ Lago's `tax` object (lago-api.md §8), typed by Lago's contract.
import { canonicalDecimal, isDecimal, toDecimalString } from "../../decimal";
import type { Wire } from "../../contract";
import type { Args, Managed } from "../../kind";
import type { TaxInputs } from "./schema";

/** Lago's tax object. */
export type LagoTax = Wire["TaxObject"];
/** The `tax` body of a create or update. */
export type TaxBody = Wire["TaxBaseInput"];

export type TaxArgs = Managed<TaxInputs>;

/** The `tax` body for the arguments in `payload` (absent ones are not sent); the rate travels as a decimal string. */
export function toWire(p: TaxArgs): TaxBody {
  const body: TaxBody = {};
  if ("name" in p) body.name = p.name ?? undefined;
  if ("code" in p) body.code = p.code ?? undefined;
  if ("rate" in p && p.rate !== undefined && p.rate !== null) body.rate = toDecimalString(p.rate);
  if ("description" in p) body.description = p.description ?? null;
  if ("appliedToOrganization" in p) body.applied_to_organization = p.appliedToOrganization ?? false;
  return body;
}

export function toArgs(remote: LagoTax): TaxArgs {
  return {
    name: remote.name,
    code: remote.code,
    rate: remote.rate,
    description: remote.description ?? null,
    appliedToOrganization: remote.applied_to_organization,
  };
}

export const outputs = (remote: LagoTax): Args => ({ lagoId: remote.lago_id, createdAt: remote.created_at });

/** Comparable form: the rate in one decimal spelling, Lago's defaults (blank description, not applied) dropped. */
export function normalize(args: TaxArgs): Args {
  const out: Args = { ...args };
  if (isDecimal(args.rate)) out.rate = canonicalDecimal(args.rate);
  if (out.description === "") delete out.description;
  if (out.appliedToOrganization === false) delete out.appliedToOrganization;
  return out;
}
