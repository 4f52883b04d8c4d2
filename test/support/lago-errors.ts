// Lago's error answers (lago-api.md §1.3): the exact bodies, and the `{ status, body }` pairs that
// lagoError() and lago.http() give, so a test compares the whole answer in one expectation.

/** The 422 body for these validation details (field → codes). */
export const validationBody = (details: Record<string, unknown>) => ({ status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: details });

/** The 404 body for a `<resource>_not_found` code. */
export const notFoundBody = (code: string) => ({ status: 404, error: "Not Found", code });

/** The 405 body for a business-rule refusal. */
export const notAllowedBody = (code: string) => ({ status: 405, error: "Method Not Allowed", code });

export const unprocessable = (details: Record<string, unknown>) => ({ status: 422, body: validationBody(details) });
export const notFound = (code: string) => ({ status: 404, body: notFoundBody(code) });
export const notAllowed = (code: string) => ({ status: 405, body: notAllowedBody(code) });
