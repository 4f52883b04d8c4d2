// One side (before or after) of a Plan step, read from the step's arguments into Lago's wire shape so the pricing
// module prices it exactly as Lago would. Charges are matched across sides by the codes the provider gives them.
import { dec, type WireCharge, type WirePlan } from "../pricing";
import { fullProperties, wireProperties, withCodes, withFixedCodes, type ChargeArgsLike, type FixedChargeArgsLike } from "../kinds/plan/payload";
import type { ChargeModel } from "../kinds/plan/schema";
import type { StepState } from "./steps";

export interface ChargeSide {
  wire: WireCharge;
  billableMetricCode: string | null;
  invoiceDisplayName: string | null;
  /** Each filter's display name, in the order of `wire.filters`. */
  filterNames: Array<string | null>;
  /** The charge's arguments as given (timing, minimum spend, group keys …). */
  args: ChargeArgsLike;
}

/** A fixed charge: `units` of an add-on priced with its model every period, known from the plan alone. */
export interface FixedChargeSide {
  wire: WireCharge;
  units: string;
  /** Its invoice name, else its add-on's code, else its code. */
  label: string;
  args: FixedChargeArgsLike;
}

export interface PlanSide {
  code: string;
  name: string;
  interval: string;
  /** Yearly and semiannual plans may bill their charges every month. */
  billChargesMonthly: boolean;
  trialPeriodDays: number;
  wire: WirePlan;
  /** By charge code. */
  charges: Map<string, ChargeSide>;
  /** By fixed charge code. */
  fixedCharges: Map<string, FixedChargeSide>;
  /** The arguments as given, for the arguments pricing does not read. */
  args: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * The plan as the step's state describes it. The program's inputs are what the plan will be (new side); for the
 * old side the recorded outputs win, since they hold Lago's values as of the last apply or refresh.
 */
export function planSide(state: StepState | null, side: "old" | "new"): PlanSide | null {
  if (!state) return null;
  const args: Record<string, unknown> = { ...state.inputs };
  if (side === "old") for (const [key, value] of Object.entries(state.outputs)) if (value !== undefined && value !== null) args[key] = value;
  if (typeof args.code !== "string") return null;
  const chargeArgs = Array.isArray(args.charges) ? (args.charges as ChargeArgsLike[]) : [];
  const charges = new Map<string, ChargeSide>();
  for (const charge of withCodes(chargeArgs)) {
    const model = charge.chargeModel as ChargeModel;
    const filters = charge.filters ?? [];
    charges.set(charge.code, {
      wire: {
        code: charge.code,
        charge_model: model,
        properties: wireProperties(fullProperties(model, charge)),
        filters: filters.map((f) => ({ values: f.values, properties: wireProperties(fullProperties(model, f.properties ?? {})) })),
      },
      billableMetricCode: text(charge.billableMetricCode),
      invoiceDisplayName: text(charge.invoiceDisplayName),
      filterNames: filters.map((f) => text(f.invoiceDisplayName)),
      args: charge,
    });
  }
  const fixedArgs = Array.isArray(args.fixedCharges) ? (args.fixedCharges as FixedChargeArgsLike[]) : [];
  const fixedCharges = new Map<string, FixedChargeSide>();
  for (const charge of withFixedCodes(fixedArgs)) {
    const model = charge.chargeModel as ChargeModel;
    fixedCharges.set(charge.code, {
      wire: { code: charge.code, charge_model: model, properties: wireProperties(fullProperties(model, charge)) },
      units: dec(charge.units ?? 0).toFixed(),
      label: text(charge.invoiceDisplayName) ?? text(charge.addOnCode) ?? charge.code,
      args: charge,
    });
  }
  const amountCents = dec(args.amountCents);
  return {
    code: args.code,
    name: text(args.name) ?? args.code,
    interval: text(args.interval) ?? "monthly",
    billChargesMonthly: args.billChargesMonthly === true,
    trialPeriodDays: dec(args.trialPeriod).toNumber(),
    wire: {
      code: args.code,
      amount_cents: amountCents.isInteger() ? amountCents.toNumber() : 0,
      amount_currency: text(args.amountCurrency) ?? "USD",
      charges: [...charges.values()].map((c) => c.wire),
    },
    charges,
    fixedCharges,
    args,
  };
}
