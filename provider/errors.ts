// Lago's refusals turned into messages a user can act on: which resource, what Lago said about which
// Lago field, and which provider argument to change.

/** Lago's answer when lago-javascript-client rejects (it throws the Response with `.error` = body). */
export interface LagoFailure {
  status: number;
  body: { status?: number; error?: string; code?: string; error_details?: Record<string, unknown> } | undefined;
}

export function lagoFailure(error: unknown): LagoFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { status?: unknown; error?: unknown; headers?: unknown };
  if (typeof e.status !== "number" || !("error" in e) || !e.headers) return undefined;
  const body = typeof e.error === "object" && e.error !== null ? (e.error as LagoFailure["body"]) : undefined;
  return { status: e.status, body };
}

export const isNotFound = (error: unknown): boolean => lagoFailure(error)?.status === 404;

/** The request's result, or undefined when Lago answers 404 (a lookup that found nothing, a DELETE already done). */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A 422 carrying `value_already_exist` on the given field. */
export function isAlreadyExists(error: unknown, field: string): boolean {
  const f = lagoFailure(error);
  const codes = f?.status === 422 ? f.body?.error_details?.[field] : undefined;
  return Array.isArray(codes) && codes.includes("value_already_exist");
}

/** Plain words for Lago's validation codes (lago-api.md §1.4); unknown codes are shown verbatim. */
const CODE_TEXT: Record<string, string> = {
  value_is_mandatory: "is required",
  value_already_exist: "is already taken by another object",
  value_is_invalid: "is not an accepted value",
  value_is_out_of_range: "is out of range",
  value_is_too_long: "is too long",
  invalid_email_format: "is not a valid e-mail address",
  not_a_valid_country_code: "is not an ISO 3166 alpha-2 country code",
  currencies_does_not_match: "cannot change: the customer already has subscriptions, invoices or wallets in another currency",
  not_compatible_with_aggregation_type: "is not compatible with this aggregation type",
  invalid_expression: "is not a valid expression",
  url_is_invalid: "is not a valid URL",
  payment_provider_not_found: "names no payment provider connected to the organization: connect it in Lago (Settings → Integrations) or fix billingConfiguration.paymentProvider / paymentProviderCode",
  payment_provider_code_missing: "needs billingConfiguration.paymentProviderCode: several providers of that type are connected",
};

export interface ErrorContext {
  /** Resource type, e.g. `BillableMetric`. */
  kind: string;
  /** What identifies it, e.g. `code "mtu"`. */
  identity: string;
  /** What the provider was doing, e.g. `create`. */
  action: string;
  /**
   * Maps a Lago field (`field_name`) to the provider argument (`fieldName`), and a 404 code for a missing
   * reference (`tax_not_found`) to the argument holding it; undefined when none.
   */
  argFor(lagoField: string): string | undefined;
}

/** Errors the provider raises itself (guards, config, ignored updates); messages are complete. */
export class LagoProviderError extends Error {
  override name = "LagoProviderError";
}

export function describeLagoError(error: unknown, ctx: ErrorContext): Error {
  if (error instanceof LagoProviderError) return error;
  const head = `${ctx.kind} ${ctx.identity}: ${ctx.action} failed`;
  const failure = lagoFailure(error);
  if (!failure) return new LagoProviderError(`${head}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  const { status, body } = failure;
  if (status === 422 && body?.error_details) {
    const parts = Object.entries(body.error_details).map(([field, codes]) => {
      const list = (Array.isArray(codes) ? codes : [codes]).map((c) => (typeof c === "string" ? CODE_TEXT[c] ? `${CODE_TEXT[c]} (${c})` : c : JSON.stringify(c)));
      const arg = ctx.argFor(field);
      const where = arg ? `argument "${arg}" (Lago field ${field})` : `Lago field ${field}`;
      return `${where} ${list.join(", ")}`;
    });
    return new LagoProviderError(`${head}: Lago rejected it (422): ${parts.join("; ")}`, { cause: error });
  }
  if (status === 401)
    return new LagoProviderError(`${head}: Lago refused the API key (401); check lago:apiKey / LAGO_API_KEY`, { cause: error });
  // A reference to something Lago lacks (`tax_not_found`): name the argument that holds it.
  const refArg = status === 404 && body?.code ? ctx.argFor(body.code) : undefined;
  if (refArg) return new LagoProviderError(`${head}: argument "${refArg}" refers to something Lago does not have (404 ${body!.code})`, { cause: error });
  const code = body?.code ? ` ${body.code}` : "";
  const text = body?.error ? ` — ${body.error}` : "";
  return new LagoProviderError(`${head}: Lago answered ${status}${code}${text}`, { cause: error });
}

/** snake_case Lago field → camelCase argument, the default mapping for every kind. */
export const camelCase = (field: string): string => field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** camelCase argument → snake_case Lago field (the inverse of camelCase). */
export const snakeCase = (arg: string): string => arg.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
