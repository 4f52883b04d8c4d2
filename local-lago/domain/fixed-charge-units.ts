// Per-subscription fixed-charge units (Lago's Subscription::FixedChargeUnitsOverride): plan_overrides that only set
// fixed charges' units (keys id, units, apply_units_immediately) of a subscription on its plan make no child plan;
// the units are kept for the subscription alone (app/services/subscriptions/concerns/
// fixed_charge_units_override_detection_concern.rb, fixed_charge_units_overrides/write_service.rb), shown by the
// subscription's fixed charges routes, and promoted into the child plan by a later full override.
import { isoSeconds, newId, type LagoContext } from "../context";
import { notFound, validationError } from "../errors";
import { decimalJson, isNumeric, NOT_A_NUMBER, railsDecimal } from "../resources/rails-casts";
import type { Row } from "../store";
import { liveFixedChargesOf } from "../resources/fixed-charges";

interface UnitsOverrideRow extends Row {
  subscription_id: string;
  fixed_charge_id: string;
  /** decimal(30,10) text as Lago renders it (`"5.0"`); shown as the fixed charge's units. */
  units: string;
  created_at: string;
}

const unitsOverrides = (lago: LagoContext) => lago.store.table<UnitsOverrideRow>("subscription_fixed_charge_units_overrides");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const ALLOWED_KEYS = ["id", "units", "apply_units_immediately"];

/** Only fixed_charges, each entry with id and units and nothing but apply_units_immediately besides (units_only_fixed_charges_plan_overrides?). */
export function unitsOnlyOverrides(overrides: Record<string, unknown>): Record<string, unknown>[] | null {
  const keys = Object.keys(overrides);
  if (keys.length !== 1 || keys[0] !== "fixed_charges") return null;
  const entries = overrides.fixed_charges;
  if (!Array.isArray(entries) || !entries.length) return null;
  const unitsOnly = entries.every((e) => isObject(e) && "id" in e && "units" in e && Object.keys(e).every((k) => ALLOWED_KEYS.includes(k)));
  return unitsOnly ? (entries as Record<string, unknown>[]) : null;
}

/** Every entry must name a fixed charge of the plan (not_found_failure! resource: fixed_charge), checked before any write. */
export function assertFixedChargesOfPlan(lago: LagoContext, planId: string, entries: Record<string, unknown>[]): void {
  const ids = new Set(liveFixedChargesOf(lago, planId).map((f) => f.id));
  if (entries.some((e) => typeof e.id !== "string" || !ids.has(e.id))) throw notFound("fixed_charge");
}

/** Units as the decimal(30,10) column keeps them, or null when Lago's numericality (>= 0) rejects them. */
export function castFixedUnits(v: unknown): string | null {
  if (!isNumeric(v)) return null;
  const units = railsDecimal(v, 10)!;
  return units.isNegative() ? null : decimalJson(units);
}

/** find_or_initialize_by(subscription, fixed_charge), units replaced; units must be a number >= 0 (save! raises RecordInvalid). */
export function writeUnitsOverrides(lago: LagoContext, subscriptionId: string, entries: Record<string, unknown>[]): void {
  const table = unitsOverrides(lago);
  for (const entry of entries) if (castFixedUnits(entry.units) === null) throw validationError({ units: [isNumeric(entry.units) ? "value_is_out_of_range" : NOT_A_NUMBER] });
  for (const entry of entries) {
    const existing = table.find((o) => o.subscription_id === subscriptionId && o.fixed_charge_id === entry.id);
    table.put({ ...(existing ?? { id: newId(), subscription_id: subscriptionId, fixed_charge_id: String(entry.id), created_at: isoSeconds(lago.now()) }), units: castFixedUnits(entry.units)! });
  }
}

/** {fixed charge id → units} of the subscription (units_map_for). */
export function unitsMapFor(lago: LagoContext, subscriptionId: string): Map<string, string> {
  return new Map(unitsOverrides(lago).filter((o) => o.subscription_id === subscriptionId).map((o) => [o.fixed_charge_id, o.units]));
}

/**
 * The first full override takes the subscription's units along: an entry per overridden fixed charge the override
 * does not already name, then the units overrides are discarded (promote_units_overrides_to_fixed_charges_params).
 */
export function promoteUnitsOverrides(lago: LagoContext, subscriptionId: string, entries: unknown[]): unknown[] {
  const table = unitsOverrides(lago);
  const held = table.filter((o) => o.subscription_id === subscriptionId);
  if (!held.length) return entries;
  const byId = new Map<unknown, unknown>();
  for (const entry of entries) if (isObject(entry) && entry.id) byId.set(entry.id, entry);
  for (const o of held) if (!byId.has(o.fixed_charge_id)) byId.set(o.fixed_charge_id, { id: o.fixed_charge_id, units: o.units });
  for (const o of held) table.remove(o.id);
  return [...byId.values()];
}
