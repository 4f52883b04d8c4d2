// Shared zod building blocks for kind schemas, and the bridge from zod issues to Pulumi check
// failures. Values unknown during preview pass: an issue at (or below) an unknown value is dropped,
// and rule refinements skip what they cannot see yet.
import { z } from "zod";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { formatPath, isUnknown, unknownAlong } from "./canonical";
import { decimalProblem } from "./decimal";

/** A price or amount: decimal string, or a number that converts exactly; never negative. */
export const decimalArg = () =>
  z.custom<string | number>((v) => decimalProblem(v) === undefined && !String(v).trim().startsWith("-"), {
    error: (issue) => {
      const shown = typeof issue.input === "string" ? JSON.stringify(issue.input) : String(issue.input);
      return decimalProblem(issue.input) ?? `must not be negative (got ${shown})`;
    },
  });

/**
 * Lago codes, names and external ids: non-blank strings. Messages, like all schema messages here, are
 * phrases that read after the argument's path (`code must not be blank`); `what` says what it holds.
 */
export const identifierArg = (what: string) =>
  z.string({ error: `is required (${what})` }).refine((s) => s.trim().length > 0, `must not be blank (${what})`);

/** Options every kind accepts; they steer the provider and are never sent to Lago. */
export const providerOptions = {
  /** Take over an existing Lago object with the same code / external id at create, and converge it. */
  adopt: z.boolean().optional(),
  /** Allow delete and replace even when billing data would be lost (used metric, subscribed plan …). */
  allowDestroy: z.boolean().optional(),
};

export const OPTION_NAMES = Object.keys(providerOptions) as Array<keyof typeof providerOptions>;

/**
 * Pass as the second argument of `.superRefine(rules, ALWAYS_RUN)` for cross-field Lago rules: they then
 * run even when some fields failed their own checks, so all problems are reported at once. Such rules
 * must read defensively; `known(v)` is false for missing or preview-unknown values.
 */
export const ALWAYS_RUN = { when: () => true };

export const known = (v: unknown): boolean => v !== undefined && v !== null && !isUnknown(v);

/** Validates `news` with `schema`; issues that concern preview-unknown values are left out. */
export function checkFailures(schema: z.ZodType, news: Record<string, unknown>): CheckFailure[] {
  const result = schema.safeParse(news);
  if (result.success) return [];
  const failures: CheckFailure[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    if (unknownAlong(news, issue.path)) continue;
    const property = formatPath(issue.path);
    const reason = property ? `${property} ${lowerFirst(issue.message)}` : issue.message;
    const key = `${property}\u0000${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push({ property, reason });
  }
  return failures;
}

const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

export type OptionName = keyof typeof providerOptions;

/** A kind's managed arguments: the keys of its schema's shape, less the provider options. */
export const managedArgs = <S extends Record<string, unknown>>(shape: S): Array<Exclude<keyof S & string, OptionName>> =>
  Object.keys(shape).filter((k): k is Exclude<keyof S & string, OptionName> => !(OPTION_NAMES as readonly string[]).includes(k));
