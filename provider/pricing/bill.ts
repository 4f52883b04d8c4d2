// A plan's bill for given usage: each charge priced with the charge models (with its tier breakdown), rounded per
// fee the way Lago rounds fees, plus the plan fee. Plans and charges are in Lago's wire shape (snake_case).
import Decimal from "decimal.js";
import { chargeAmount, dec, graduatedPercentageTiers, graduatedTiers, volumeTiers, type Properties, type TierLine } from "./charge-models";
import { toAmountCents } from "./money";

/** A charge filter as Lago holds it: its own properties for events whose values match. */
export interface WireChargeFilter {
  values: Record<string, string[]>;
  properties: Properties | null;
  invoice_display_name?: string | null;
}

/** A charge as Lago holds it (the fields pricing reads). */
export interface WireCharge {
  code: string;
  charge_model: string;
  properties: Properties | null;
  filters?: WireChargeFilter[];
}

/** A plan as Lago holds it (the fields pricing reads). */
export interface WirePlan {
  code: string;
  amount_cents: number;
  amount_currency: string;
  charges: WireCharge[];
}

/** One slice of a charge's usage priced on its own: a filter's events (values), or the rest (null). */
export interface UsageSlice {
  units: Decimal.Value;
  eventsCount?: number;
  /** The filter's values this slice belongs to; null or absent: the charge's own properties. */
  filterValues?: Record<string, string[]> | null;
}

/**
 * Usage of one charge: a number of units, or slices priced separately (Lago prices each filter and each
 * pricing group on its own, so tiers restart in every slice). `eventsCount` spreads the units evenly over
 * that many events for the percentage model's per-event parts; without it the units count as one event.
 */
export type ChargeUsageInput = Decimal.Value | { units: Decimal.Value; eventsCount?: number; slices?: UsageSlice[] };

export interface PriceOptions {
  /** Rounds each fee to the currency (default USD). */
  currency?: string;
  /** Premium-only pricing rules (per-transaction bounds) apply (default true). */
  premium?: boolean;
}

export interface PricedCharge {
  code: string;
  chargeModel: string;
  units: Decimal;
  /** Sum of the slices at full precision. */
  amount: Decimal;
  /** Each slice rounded to the currency, then summed: what an invoice would show. */
  amountCents: number;
  /** The tier walk of graduated, volume and graduated_percentage charges priced as one slice; null otherwise. */
  tiers: TierLine[] | null;
  /** false: the price is not in the plan (dynamic: the events carry it), so the amount says nothing. */
  priced: boolean;
}

const TIERED: Partial<Record<string, (units: Decimal, properties: Properties) => TierLine[]>> = {
  graduated: graduatedTiers,
  volume: volumeTiers,
  graduated_percentage: graduatedPercentageTiers,
};

/** Models whose price lives in the plan; dynamic takes it from the events, custom from Lago's engine. */
const PRICED_MODELS = new Set(["standard", "graduated", "volume", "package", "percentage", "graduated_percentage"]);

const sameValues = (a: Record<string, string[]>, b: Record<string, string[]>): boolean => {
  const sorted = (v: Record<string, string[]>) => JSON.stringify(Object.keys(v).sort().map((k) => [k, [...(v[k] ?? [])].sort()]));
  return sorted(a) === sorted(b);
};

function slicesOf(usage: ChargeUsageInput): UsageSlice[] {
  if (typeof usage === "object" && usage !== null && !Decimal.isDecimal(usage) && "units" in usage)
    return usage.slices?.length ? usage.slices : [{ units: usage.units, eventsCount: usage.eventsCount }];
  return [{ units: usage as Decimal.Value }];
}

/** The properties a slice is priced with: its filter's, or the charge's own when no filter matches. */
function propertiesFor(charge: WireCharge, slice: UsageSlice): Properties {
  const filter = slice.filterValues ? charge.filters?.find((f) => sameValues(f.values, slice.filterValues!)) : undefined;
  return (filter ? filter.properties : charge.properties) ?? {};
}

/** Per-event values, which only the percentage model reads: the units spread evenly over the events. */
function eventValues(model: string, units: Decimal, eventsCount: number | undefined): Decimal[] {
  if (model !== "percentage") return [];
  const count = eventsCount && eventsCount > 0 ? eventsCount : 1;
  return Array.from({ length: count }, () => units.dividedBy(count));
}

/** Prices one charge for the given usage, with the tier breakdown when it is one tiered slice. */
export function priceCharge(charge: WireCharge, usage: ChargeUsageInput, options: PriceOptions = {}): PricedCharge {
  const currency = options.currency ?? "USD";
  const premium = options.premium ?? true;
  const slices = slicesOf(usage);
  let units = new Decimal(0);
  let amount = new Decimal(0);
  let amountCents = 0;
  for (const slice of slices) {
    const sliceUnits = dec(slice.units);
    const properties = propertiesFor(charge, slice);
    const sliceAmount = chargeAmount(
      charge.charge_model,
      properties,
      { units: sliceUnits, eventValues: eventValues(charge.charge_model, sliceUnits, slice.eventsCount), premium, preciseTotalAmountCents: new Decimal(0) },
      currency,
    );
    units = units.plus(sliceUnits);
    amount = amount.plus(sliceAmount);
    amountCents += toAmountCents(sliceAmount, currency);
  }
  const tiered = TIERED[charge.charge_model];
  const single = slices.length === 1 ? slices[0]! : undefined;
  const tiers = tiered && single && !dec(single.units).isNegative() ? tiered(dec(single.units), propertiesFor(charge, single)) : null;
  return { code: charge.code, chargeModel: charge.charge_model, units, amount, amountCents, tiers, priced: PRICED_MODELS.has(charge.charge_model) };
}

export interface PlanBill {
  planCode: string;
  currency: string;
  /** The subscription fee (trials and proration aside). */
  planFeeCents: number;
  charges: PricedCharge[];
  chargesCents: number;
  totalCents: number;
}

/** The plan fee plus every charge priced for its usage (a charge missing from `usageByCharge` has 0 units). */
export function planBill(plan: WirePlan, usageByCharge: Readonly<Record<string, ChargeUsageInput>>, options: Omit<PriceOptions, "currency"> = {}): PlanBill {
  const currency = plan.amount_currency;
  const charges = plan.charges.map((charge) => priceCharge(charge, usageByCharge[charge.code] ?? 0, { ...options, currency }));
  const chargesCents = charges.reduce((sum, c) => sum + c.amountCents, 0);
  return { planCode: plan.code, currency, planFeeCents: plan.amount_cents, charges, chargesCents, totalCents: plan.amount_cents + chargesCents };
}

const RANGE_KEYS = ["graduated_ranges", "volume_ranges", "graduated_percentage_ranges"] as const;

/** Levels used when no charge has range edges to take them from. */
export const FALLBACK_LEVELS: readonly Decimal[] = [1_000, 10_000, 100_000].map((n) => new Decimal(n));

/**
 * Usage levels worth pricing: every range's upper edge (where a tier is full) in the plans' charges and
 * filters, and twice the highest edge, to show the open last tier. Plans without ranges get FALLBACK_LEVELS.
 */
export function sampleLevels(plans: ReadonlyArray<WirePlan | null | undefined>): Decimal[] {
  const edges: Decimal[] = [];
  for (const plan of plans)
    for (const charge of plan?.charges ?? [])
      for (const properties of [charge.properties, ...(charge.filters ?? []).map((f) => f.properties)])
        for (const key of RANGE_KEYS) {
          const ranges = properties?.[key];
          if (!Array.isArray(ranges)) continue;
          for (const range of ranges as Array<Record<string, unknown>>)
            if (range.to_value !== null && range.to_value !== undefined && dec(range.to_value).gt(0)) edges.push(dec(range.to_value));
        }
  if (!edges.length) return [...FALLBACK_LEVELS];
  const highest = Decimal.max(...edges);
  return uniqueSorted([...edges, highest.times(2)]);
}

function uniqueSorted(levels: Decimal[]): Decimal[] {
  const sorted = [...levels].sort((a, b) => a.comparedTo(b));
  return sorted.filter((level, i) => i === 0 || !level.eq(sorted[i - 1]!));
}
