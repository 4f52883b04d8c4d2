// `npm run bench [-- <bench names>] [--strict] [--key=value ...]`: runs the benchmark modules and
// prints one table of results against their targets. --strict exits 1 when a target is missed. Benches marked
// onlyWhenNamed (engine-scale: 2,000 resources) run only when named.
import { formatTable, meets, type Bench, type Measurement } from "./bench";
import { engineBench } from "./engine";
import { engineScaleBench } from "./engine-scale";
import { exportBench } from "./export";
import { localLagoBench } from "./local-lago";

/** Every benchmark module; a new one is a file beside this one and an entry here. */
const benches: Bench[] = [localLagoBench, engineBench, engineScaleBench, exportBench];

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith("--"));
  const args = Object.fromEntries(argv.filter((a) => a.startsWith("--") && a.includes("=")).map((a) => a.slice(2).split(/=(.*)/s).slice(0, 2) as [string, string]));
  const unknown = names.filter((n) => !benches.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`unknown bench ${unknown.join(", ")}; available: ${benches.map((b) => b.name).join(", ")}`);
    return 2;
  }
  const selected = names.length ? benches.filter((b) => names.includes(b.name)) : benches.filter((b) => !b.onlyWhenNamed);
  const rows: Array<{ bench: string; measurement: Measurement }> = [];
  for (const bench of selected) {
    const log = (message: string) => console.error(`[${bench.name}] ${message}`);
    for (const measurement of await bench.run({ log, args })) rows.push({ bench: bench.name, measurement });
  }
  console.log(formatTable(rows));
  const missed = rows.filter((r) => !meets(r.measurement)).length;
  if (missed) console.log(`\n${missed} target(s) missed`);
  return missed && argv.includes("--strict") ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
