// Generic diff on canonical forms: which arguments changed, which of those force a replacement.
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { containsUnknown, sameCanonical } from "./canonical";

export type PropertyDiffKind = "ADD" | "DELETE" | "UPDATE" | "ADD_REPLACE" | "DELETE_REPLACE" | "UPDATE_REPLACE";

/** DiffResult plus a per-argument view (the dynamic provider protocol ignores it; tests and logs use it). */
export interface ArgsDiff extends DiffResult {
  changed: string[];
  detailedDiff: Record<string, { kind: PropertyDiffKind; inputDiff: boolean }>;
}

/** Top-level arguments whose canonical values differ; an unknown new value counts as a change. */
export function changedArgs(olds: Record<string, unknown>, news: Record<string, unknown>, names: readonly string[]): string[] {
  return names.filter((name) => containsUnknown(news[name]) || !sameCanonical(olds[name], news[name]));
}

export function toDiffResult(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  changed: readonly string[],
  replaces: readonly string[],
  deleteBeforeReplace: boolean,
): ArgsDiff {
  const detailedDiff: ArgsDiff["detailedDiff"] = {};
  for (const name of changed) {
    const base = olds[name] === undefined || olds[name] === null ? "ADD" : news[name] === undefined || news[name] === null ? "DELETE" : "UPDATE";
    detailedDiff[name] = { kind: (replaces.includes(name) ? `${base}_REPLACE` : base) as PropertyDiffKind, inputDiff: true };
  }
  return {
    changes: changed.length > 0,
    changed: [...changed],
    replaces: [...replaces],
    deleteBeforeReplace: replaces.length > 0 && deleteBeforeReplace,
    detailedDiff,
  };
}
