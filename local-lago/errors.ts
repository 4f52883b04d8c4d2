// Lago's error bodies (lago-api.md §1.3). Handlers throw these; the server turns them into responses.

export type ErrorDetails = Record<string, unknown>;

export class LagoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

export const badRequest = (root: string) =>
  new LagoHttpError(400, {
    status: 400,
    error: `BadRequest: param is missing or the value is empty or invalid: ${root}`,
  });

export const unauthorized = () => new LagoHttpError(401, { status: 401, error: "Unauthorized" });

export const forbidden = (code: string) =>
  new LagoHttpError(403, { status: 403, error: "Forbidden", code });

/** `resource` is singular (`plan`) for lookups by id and plural (`billable_metrics`) for list lookups. */
export const notFound = (resource: string) =>
  new LagoHttpError(404, { status: 404, error: "Not Found", code: `${resource}_not_found` });

export const methodNotAllowed = (code: string) =>
  new LagoHttpError(405, { status: 405, error: "Method Not Allowed", code });

/** `details` is a bare message where Lago passes one (an event's expression failure). */
export const validationError = (details: ErrorDetails | string) =>
  new LagoHttpError(422, {
    status: 422,
    error: "Unprocessable Entity",
    code: "validation_errors",
    error_details: details,
  });

/**
 * An input on which Lago's own code raises (lago-api.md §15): Rails answers its default 500. Used only
 * where Lago's code is known to raise; the provider's check keeps such input from being sent.
 */
export const lagoRaises = (why: string) => {
  const error = new LagoHttpError(500, { status: 500, error: "Internal Server Error" });
  error.message = `Lago raises on this input: ${why}`;
  return error;
};

/** Collects field → codes the way Rails validations do; `throwIfAny` raises Lago's 422. */
export class Validation {
  private readonly details: Record<string, string[]> = {};

  add(field: string, code: string): this {
    (this.details[field] ??= []).push(code);
    return this;
  }

  get ok(): boolean {
    return Object.keys(this.details).length === 0;
  }

  throwIfAny(): void {
    if (!this.ok) throw validationError(this.details);
  }
}
