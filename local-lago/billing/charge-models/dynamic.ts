// dynamic (app/services/charge_models/dynamic_service.rb): the events carry their own price; the amount is
// their precise_total_amount_cents in currency units, nothing when the units are 0.
import Decimal from "decimal.js";
import type { ChargeModelInput } from "./types";
import { subunitToUnit } from "../../currencies";
import { ZERO } from "../money";

export const dynamicAmount = ({ units, aggregation, currency }: ChargeModelInput): Decimal =>
  units.isZero() ? ZERO : aggregation.preciseTotalAmountCents.dividedBy(subunitToUnit(currency));
