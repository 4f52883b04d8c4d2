// What a benchmark module reports: named measurements, each against its target.

export interface Target {
  op: ">=" | "<=" | "=";
  value: number;
}

export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** Absent for a figure reported for comparison only (e.g. a peer's, or the effect of an engine option). */
  target?: Target;
}

export interface Bench {
  /** Selects the bench on the command line (`npm run bench -- <name>`). */
  name: string;
  /** Runs only when named: too heavy for every `npm run bench` on a shared 2-core machine. */
  onlyWhenNamed?: boolean;
  run(options: BenchOptions): Promise<Measurement[]>;
}

export interface BenchOptions {
  /** Progress lines, on stderr so the table on stdout stays clean. */
  log(message: string): void;
  /** `--key=value` arguments, for a bench's own knobs. */
  args: Record<string, string>;
}

export const meets = ({ value, target }: Measurement): boolean =>
  !target || (target.op === ">=" ? value >= target.value : target.op === "<=" ? value <= target.value : value === target.value);

const number = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: n < 100 ? 1 : 0 });

/** A fixed-width table: bench, measurement, result, target, PASS/MISS. */
export function formatTable(rows: Array<{ bench: string; measurement: Measurement }>): string {
  const cells = [
    ["bench", "measurement", "result", "target", ""],
    ...rows.map(({ bench, measurement: m }) => [
      bench,
      m.name,
      `${number(m.value)} ${m.unit}`,
      m.target ? `${m.target.op === "=" ? "=" : m.target.op === ">=" ? "≥" : "≤"} ${number(m.target.value)} ${m.unit}` : "(report)",
      !m.target ? "" : meets(m) ? "PASS" : "MISS",
    ]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}
