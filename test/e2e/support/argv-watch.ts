// Watches every process's command line (/proc/<pid>/cmdline, readable by any user of the machine, unlike a process's
// environment) while end-to-end steps run, and reports any that holds a secret. The polling runs in a worker thread,
// so a busy test thread cannot make it miss a short-lived process; the secrets reach it as worker data, never argv.
import * as fs from "node:fs";
import { Worker } from "node:worker_threads";

/** A command line that held a secret: which one, and the command with every secret replaced by its name. */
export interface ArgvHit {
  pid: number;
  secret: string;
  command: string;
}

export interface ArgvWatchReport {
  hits: ArgvHit[];
  /** Every distinct command line seen (secrets masked) and when first (Date.now()), to show what the watch covered. */
  commands: Array<{ command: string; firstSeen: number }>;
  polls: number;
}

/** Polls /proc until `stop()`; `secrets` maps a name ("API key") to the value looked for. */
export class ArgvWatch {
  private readonly worker: Worker;
  private readonly done: Promise<ArgvWatchReport>;

  constructor(secrets: Record<string, string>, intervalMs = 5) {
    if (!fs.existsSync("/proc/self/cmdline")) throw new Error("ArgvWatch needs /proc (Linux)");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { secrets, intervalMs } });
    this.done = new Promise((resolve, reject) => {
      this.worker.once("message", resolve);
      this.worker.once("error", reject);
    });
  }

  /** Command lines seen so far are kept; the report comes once the worker's current poll ends. */
  async stop(): Promise<ArgvWatchReport> {
    this.worker.postMessage("stop");
    const report = await this.done;
    await this.worker.terminate();
    return report;
  }
}

// Plain JavaScript: an eval'd worker is not compiled. A poll reads every /proc/<pid>/cmdline (NUL-separated argv);
// processes that end between the listing and the read are skipped.
const WORKER_SOURCE = `
const fs = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
const { secrets, intervalMs } = workerData;
const named = Object.entries(secrets).filter(([, value]) => value.length > 0);
const hits = new Map();
const commands = new Map();
let polls = 0;
let stopping = false;
parentPort.on("message", () => { stopping = true; });
const mask = (text) => named.reduce((t, [name, value]) => t.split(value).join("<" + name + ">"), text);
function poll() {
  polls++;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\\d+$/.test(entry)) continue;
    let argv;
    try { argv = fs.readFileSync("/proc/" + entry + "/cmdline", "utf8"); } catch { continue; }
    if (!argv) continue;
    const command = argv.replace(/\\0+$/, "").split("\\0").join(" ");
    const masked = mask(command);
    if (!commands.has(masked)) commands.set(masked, Date.now());
    for (const [name, value] of named)
      if (command.includes(value)) hits.set(entry + " " + name + " " + masked, { pid: Number(entry), secret: name, command: masked });
  }
}
(async () => {
  while (!stopping) {
    poll();
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  poll();
  parentPort.postMessage({ hits: [...hits.values()], commands: [...commands].map(([command, firstSeen]) => ({ command, firstSeen })), polls });
})();
`;
