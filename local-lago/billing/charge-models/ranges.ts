// Range lists as the tiered models read them: bounds are JSON numbers, prices decimal strings.
import Decimal from "decimal.js";
import { bigDecimal } from "../money";
import type { Properties } from "./types";

export interface Range {
  from: Decimal;
  /** null: the open last range. */
  to: Decimal | null;
  raw: Record<string, unknown>;
}

export function rangesOf(properties: Properties, key: string): Range[] {
  const list = Array.isArray(properties[key]) ? (properties[key] as Array<Record<string, unknown>>) : [];
  return list.map((raw) => ({ from: bigDecimal(raw.from_value), to: raw.to_value === null || raw.to_value === undefined ? null : bigDecimal(raw.to_value), raw }));
}

/** The walk of graduated models stops after the range holding the total: `to_value.nil? || to_value >= units`. */
export const holdsTotal = (range: Range, units: Decimal) => range.to === null || range.to.gte(units);
