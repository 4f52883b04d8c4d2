// A metric's rounding of its units (app/services/billable_metrics/aggregations/apply_rounding_service.rb):
// ceil, floor or round (half away from zero) to `rounding_precision` decimals, 0 when null. A negative
// precision rounds left of the point, as Ruby's BigDecimal#round(-2) does: 1234.5 → 1200.
import Decimal from "decimal.js";

const MODES: Record<string, Decimal.Rounding> = { ceil: Decimal.ROUND_CEIL, floor: Decimal.ROUND_FLOOR, round: Decimal.ROUND_HALF_UP };

export function applyRounding(units: Decimal, roundingFunction: string | null | undefined, precision: number | null | undefined): Decimal {
  const mode = roundingFunction ? MODES[roundingFunction] : undefined;
  if (mode === undefined) return units;
  const places = Math.trunc(precision ?? 0);
  if (places >= 0) return units.toDecimalPlaces(places, mode);
  const step = new Decimal(10).pow(-places);
  return units.dividedBy(step).toDecimalPlaces(0, mode).times(step);
}
