// The charge model of a charge (app/services/charge_models/factory.rb).
import type Decimal from "decimal.js";
import type { ChargeModel, ChargeModelInput } from "./types";
import { dynamicAmount } from "./dynamic";
import { graduatedAmount } from "./graduated";
import { graduatedPercentageAmount } from "./graduated-percentage";
import { packageAmount } from "./package";
import { percentageAmount } from "./percentage";
import { standardAmount } from "./standard";
import { volumeAmount } from "./volume";
import { ZERO } from "../money";

export type { ChargeModelInput, Properties } from "./types";

const MODELS: Record<string, ChargeModel> = {
  standard: standardAmount,
  graduated: graduatedAmount,
  volume: volumeAmount,
  package: packageAmount,
  percentage: percentageAmount,
  graduated_percentage: graduatedPercentageAmount,
  dynamic: dynamicAmount,
  // custom (charge_models/custom_service.rb) prices what the custom aggregation computed, which the local Lago has not
  custom: () => ZERO,
};

export function chargeModelAmount(chargeModel: string, input: ChargeModelInput): Decimal {
  const model = MODELS[chargeModel];
  if (!model) throw new Error(`charge model ${chargeModel} is not implemented (Lago raises NotImplementedError)`);
  return model(input);
}
