// volume (app/services/charge_models/volume_service.rb): ranges sorted by from_value; the first with
// from_value ≤ ceil(units) and units ≤ to_value prices every unit, plus its flat_amount. When no range
// matches (negative units, or a first range starting at 1 with 0 units) Lago's `nil[:flat_amount]` raises.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { bigDecimal } from "../money";
import { rangesOf } from "./ranges";

export function volumeAmount({ units, properties }: ChargeModelInput): Decimal {
  const ranges = rangesOf(properties, "volume_ranges").sort((a, b) => a.from.comparedTo(b.from));
  const whole = units.ceil();
  const range = ranges.find((r) => r.from.lte(whole) && (r.to === null || units.lte(r.to)));
  if (!range) throw new Error(`no volume range holds ${units.toString()} units (Lago's VolumeService raises NoMethodError)`);
  return units.times(bigDecimal(range.raw.per_unit_amount)).plus(bigDecimal(range.raw.flat_amount));
}
