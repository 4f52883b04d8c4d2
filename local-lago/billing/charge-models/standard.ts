// standard (app/services/charge_models/standard_service.rb): units × amount.
import type { ChargeModelInput } from "./types";
import { bigDecimal } from "../money";

export const standardAmount = ({ units, properties }: ChargeModelInput) => units.times(bigDecimal(properties.amount));
