// Taxes of current usage (app/services/fees/apply_taxes_service.rb, app/services/invoices/apply_taxes_service.rb).
// A fee bears its charge's taxes, else its plan's, else its customer's, else the organisation's defaults. The
// usage's tax is, per tax, Σ(fee cents × rate) / 100 as a float, those summed unrounded across taxes, and the
// sum rounded once (half away from zero): 5% + 5% of 10 cents is 1 cent, not 2.

export interface AppliedTax {
  id: string;
  rate: number;
}

export interface TaxedFee {
  amountCents: number;
  taxes: readonly AppliedTax[];
}

/** The first non-empty tax list, in Lago's order of precedence. */
export const feeTaxes = (...candidates: ReadonlyArray<readonly AppliedTax[]>): readonly AppliedTax[] => candidates.find((list) => list.length > 0) ?? [];

export function usageTaxesAmountCents(fees: readonly TaxedFee[]): number {
  const feesByTax = new Map<string, { rate: number; fees: TaxedFee[] }>();
  for (const fee of fees)
    for (const tax of fee.taxes) {
      const entry = feesByTax.get(tax.id) ?? { rate: tax.rate, fees: [] };
      entry.fees.push(fee);
      feesByTax.set(tax.id, entry);
    }
  let total = 0;
  for (const { rate, fees: taxed } of feesByTax.values()) total += taxed.reduce((sum, fee) => sum + fee.amountCents * rate, 0) / 100;
  return Math.sign(total) * Math.round(Math.abs(total));
}
