// Bad Tax specs (lago-api.md §8; app/models/tax.rb validates name, code and rate).
import type { BadInputRow, ValidBase } from "./rows";

export const base: ValidBase = { kind: "tax", args: { name: "VAT", code: "vat_fr", rate: "20" } };
const tax = (args: Record<string, unknown>) => ({ ...base.args, ...args });

export const rows: BadInputRow[] = [
  { name: "missing name", kind: "tax", args: tax({ name: undefined }), failure: { property: "name", reason: "name is required (the tax's display name)" } },
  { name: "blank name", kind: "tax", args: tax({ name: "  " }), failure: { property: "name", reason: "name must not be blank (the tax's display name)" } },
  { name: "missing code", kind: "tax", args: tax({ code: undefined }), failure: { property: "code", reason: "code is required (the code plans and customers name the tax by)" } },
  { name: "blank code", kind: "tax", args: tax({ code: "" }), failure: { property: "code", reason: "code must not be blank (the code plans and customers name the tax by)" } },
  { name: "missing rate", kind: "tax", args: tax({ rate: undefined }), failure: { property: "rate", reason: 'rate is required: the rate in percent, e.g. "20" for 20 %' } },
  { name: "rate with a percent sign", kind: "tax", args: tax({ rate: "20%" }), failure: { property: "rate", reason: 'rate must be a decimal string such as "0.012" (got "20%")' } },
  { name: "negative rate", kind: "tax", args: tax({ rate: "-5" }), failure: { property: "rate", reason: "rate must be a percentage from 0 to 100 (got -5; 20 is 20 %)" } },
  { name: "rate as a fraction above 100", kind: "tax", args: tax({ rate: 2000 }), failure: { property: "rate", reason: "rate must be a percentage from 0 to 100 (got 2000; 20 is 20 %)" } },
  { name: "inexact float rate", kind: "tax", args: tax({ rate: 0.1 + 0.2 }), failure: { property: "rate", reason: 'rate must be written as a decimal string: the number 0.30000000000000004 has no exact short decimal form (write "0.30000000000000004" if that is what you mean)' } },
  { name: "applied to organization as text", kind: "tax", args: tax({ appliedToOrganization: "yes" }), failure: { property: "appliedToOrganization", reason: "appliedToOrganization must be true or false" } },
  { name: "description as a number", kind: "tax", args: tax({ description: 20 }), failure: { property: "description", reason: "description must be a string" } },
  { name: "a field taxes lack", kind: "tax", args: tax({ country: "FR" }), failure: { property: "", reason: "country does not apply to a tax" } },
];
