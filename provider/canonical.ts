// Canonical forms for comparing what the program asks with what Lago holds: `__provider` dropped,
// keys sorted, null and absent alike, decimals in one spelling. Also the preview-time "unknown" value.

/** How an unknown (not yet computed) input reaches a dynamic provider during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): boolean => value === UNKNOWN;

export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Is the value at `path` (or anything above it) unknown in `root`? */
export function unknownAlong(root: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let node: unknown = root;
  for (const key of path) {
    if (isUnknown(node)) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return isUnknown(node);
}

const PROVIDER_KEY = "__provider";

/** Recursively: null reads as absent; drops `__provider`, undefined and null members; sorts object keys. */
export function canonical(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (key === PROVIDER_KEY || v === undefined || v === null) continue;
      out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

export const stableStringify = (value: unknown): string => JSON.stringify(canonical(value));

export const sameCanonical = (a: unknown, b: unknown): boolean => stableStringify(a) === stableStringify(b);

/** A copy without `__provider` (outputs are built from inputs). */
export function withoutProvider<T extends Record<string, unknown>>(inputs: T): T {
  const { [PROVIDER_KEY]: _, ...rest } = inputs;
  return rest as T;
}

/** `a.b[2].c` for property failures and messages. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
