// The organization's connected payment providers (Stripe, GoCardless, …). Lago connects them through its UI (GraphQL),
// never through the REST API, so the local Lago takes them from its options or its admin API; customers then link to
// one by type and code (app/services/payment_providers/find_service.rb).
import { isoSeconds, newId, type LagoContext } from "../context";
import { validationError } from "../errors";

/** Customer::PAYMENT_PROVIDERS (app/models/customer.rb). */
export const PAYMENT_PROVIDER_TYPES = ["stripe", "gocardless", "cashfree", "adyen", "flutterwave", "moneyhash"] as const;
export type PaymentProviderType = (typeof PAYMENT_PROVIDER_TYPES)[number];

export interface PaymentProviderRow {
  id: string;
  type: PaymentProviderType;
  code: string;
  name: string;
  created_at: string;
}

const providers = (lago: LagoContext) => lago.store.table<PaymentProviderRow>("payment_providers");

export const isPaymentProviderType = (value: unknown): value is PaymentProviderType => PAYMENT_PROVIDER_TYPES.includes(value as PaymentProviderType);

/** Connects a provider (what Lago's UI does); its code is unique in the organization. */
export function connectPaymentProvider(lago: LagoContext, input: { type: string; code: string; name?: string }): PaymentProviderRow {
  if (!isPaymentProviderType(input.type)) throw new Error(`payment provider type must be one of ${PAYMENT_PROVIDER_TYPES.join(", ")} (got ${JSON.stringify(input.type)})`);
  if (typeof input.code !== "string" || !input.code.trim()) throw new Error("a payment provider needs a code");
  if (providers(lago).find((p) => p.code === input.code)) throw new Error(`a payment provider with code "${input.code}" is already connected`);
  const row: PaymentProviderRow = { id: newId(), type: input.type, code: input.code, name: input.name ?? input.code, created_at: isoSeconds(lago.now()) };
  lago.store.transaction(() => providers(lago).put(row));
  return row;
}

export const listPaymentProviders = (lago: LagoContext): PaymentProviderRow[] => providers(lago).all();

/**
 * PaymentProviders::FindService: the provider of this type with this code; without a code, the only one of the type.
 * Its failures reach the API as a validation error on `base` (customers/upsert_from_api_service.rb rescues them).
 */
export function findPaymentProvider(lago: LagoContext, type: string | null, code: string | null): PaymentProviderRow {
  let scope = providers(lago).all().filter((p) => p.type === type);
  if (!code && scope.length > 1) throw validationError({ base: ["payment_provider_code_missing"] });
  if (code) scope = scope.filter((p) => p.code === code);
  const found = scope[0];
  if (!found) throw validationError({ base: ["payment_provider_not_found"] });
  return found;
}
