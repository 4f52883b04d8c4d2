// The provider's check of currency codes against Lago's list (lago/currencies.ts, shared with the local Lago).
import { LAGO_CURRENCIES } from "../lago/currencies";

export { LAGO_CURRENCIES };

/** True for a code in Lago's list, exactly as written (`usd` is not). */
export const isLagoCurrency = (value: unknown): value is string => typeof value === "string" && LAGO_CURRENCIES.has(value);
