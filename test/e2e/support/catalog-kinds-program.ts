// The stack the catalog-kinds e2e drives: one of each kind added by issue #11, edited between operations through
// `desired`, as a user edits their code. Each kind has its own knobs; a kind left `undefined` is not declared.
import { Tax } from "../../../provider";

export interface TaxKnobs {
  rate: string;
  name: string;
  allowDestroy?: boolean;
}

export interface CatalogKindsDesired {
  /** The stack's tax (code "vat"); absent = removed from the program. */
  tax?: TaxKnobs;
  /** A tax made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedTax?: { rate: string };
}

export function catalogKindsProgram(desired: CatalogKindsDesired) {
  return async () => {
    const out: Record<string, unknown> = {};
    if (desired.tax) {
      const { rate, name, allowDestroy } = desired.tax;
      const vat = new Tax("vat", { name, code: "vat", rate, description: "Standard VAT", ...(allowDestroy ? { allowDestroy } : {}) });
      out.taxId = vat.lagoId;
    }
    if (desired.adoptedTax) new Tax("reduced", { name: "Reduced VAT", code: "vat_reduced", rate: desired.adoptedTax.rate, adopt: true });
    return out;
  };
}
