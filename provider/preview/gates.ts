// CI gates on a pricing preview: each failure kind has its own exit code, so a workflow can tell them apart.
import Decimal from "decimal.js";
import type { PreviewReport } from "./report";

/**
 * Exit codes of `pulumi-lago preview`:
 * - 0: the preview ran and no gate tripped;
 * - 1: the preview could not run (bad arguments, engine or Lago error);
 * - 3: `--fail-on-destructive` and a step replaces or deletes an object holding billing data;
 * - 4: `--fail-on-increase <percent>` and some bill rises by more than that (or rises from zero);
 * - 5: both 3 and 4;
 * - 6: `--policy <file>` and the change violates a rule of the pricing policy (whatever else tripped: every failure
 *   is still printed).
 */
export const EXIT_CODES = { ok: 0, error: 1, destructive: 3, increase: 4, destructiveAndIncrease: 5, policy: 6 } as const;

export interface GateOptions {
  failOnDestructive?: boolean;
  /** A percentage, e.g. 5 for 5 %. */
  failOnIncrease?: Decimal.Value;
}

export interface GateResult {
  exitCode: number;
  /** One sentence per tripped gate. */
  failures: string[];
}

export function evaluateGates(report: PreviewReport, options: GateOptions): GateResult {
  const failures: string[] = [];
  const destructive = options.failOnDestructive === true && report.destructive.length > 0;
  if (destructive) failures.push(`${report.destructive.length} destructive step(s): ${report.destructive.map((s) => `${s.op} ${s.kind} ${s.key ?? s.name}`).join(", ")}`);

  let increase = false;
  if (options.failOnIncrease !== undefined) {
    const limit = new Decimal(options.failOnIncrease);
    const { maxIncreasePercent, increaseFromZero } = report.summary;
    if (maxIncreasePercent !== null && new Decimal(maxIncreasePercent).gt(limit)) {
      increase = true;
      failures.push(`a bill rises by ${maxIncreasePercent}%, more than the ${limit.toFixed()}% allowed`);
    }
    if (increaseFromZero) {
      increase = true;
      failures.push("a bill rises from zero");
    }
  }
  const violations = report.policy?.violations ?? [];
  for (const v of violations) failures.push(`policy ${v.rule}: ${v.object} ${v.text}`);
  if (violations.length) return { exitCode: EXIT_CODES.policy, failures };
  const exitCode = destructive && increase ? EXIT_CODES.destructiveAndIncrease : destructive ? EXIT_CODES.destructive : increase ? EXIT_CODES.increase : EXIT_CODES.ok;
  return { exitCode, failures };
}
