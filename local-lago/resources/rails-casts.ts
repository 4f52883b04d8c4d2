// How Lago's columns read request values (Rails attribute casts), for the plan and charge rooms.

/** Boolean columns: the usual false spellings are false, blank is null, anything else true. */
export const railsBoolean = (v: unknown): boolean | null => {
  if (v === undefined || v === null || v === "") return null;
  return ![false, 0, "0", "f", "F", "false", "FALSE", "off", "OFF"].includes(v as never);
};

/** String columns: scalars become text, anything else null. */
export const railsString = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;

/** Integer columns: numbers are truncated, text takes its leading integer (Ruby's to_i), blank is null. */
export const railsInteger = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v !== "string" || v.trim() === "") return null;
  const prefix = /^\s*[+-]?\d+/.exec(v);
  return prefix ? Number.parseInt(prefix[0], 10) : 0;
};

/** Float columns: numbers as is, text takes its leading number (Ruby's to_f), blank is null. */
export const railsFloat = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string" || v.trim() === "") return null;
  const prefix = /^\s*[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return prefix ? Number(prefix[0]) : 0;
};

/** Rails' numericality check looks at the value as sent: a number, or text that is one. */
export const isNumeric = (v: unknown): boolean =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));

/** Rails' default message for a numericality failure on a non-number (no Lago code exists for it). */
export const NOT_A_NUMBER = "is not a number";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
