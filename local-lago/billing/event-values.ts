// How Lago's Postgres event store reads event properties (app/services/events/stores/postgres_store.rb):
// values are read as text (`properties->>key`), and a value counts as a number only when that text
// matches `^-?\d+(\.\d+)?$`. So " 12 ", "1e3", "+5", ".5", booleans and null are not numbers, while a
// JSON number always is (jsonb writes it out in plain digits).
import Decimal from "decimal.js";

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

/** The text Postgres' `->>` gives for a JSON value: null for absent/null, JSON text for objects and arrays. */
export function propertyText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? new Decimal(value).toFixed() : null;
  if (typeof value === "boolean") return value ? "true" : "false";
  return jsonbText(value);
}

/** jsonb's own text form: `{"a": 1, "b": [1, 2]}` (a space after each colon and comma). */
function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonbText(v)}`)
      .join(", ")}}`;
  if (typeof value === "number") return new Decimal(value).toFixed();
  return JSON.stringify(value);
}

/** The property as a number, or null when Lago's numeric condition leaves the event out. */
export function eventNumber(value: unknown): Decimal | null {
  if (typeof value === "number") return Number.isFinite(value) ? new Decimal(value) : null;
  if (typeof value !== "string" || !NUMERIC_TEXT.test(value)) return null;
  return new Decimal(value);
}
