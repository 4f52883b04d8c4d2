// The engine benches measure pulumi-lago as users run it: an installed package, whose provider host loads the
// compiled dist/ (a checkout's host compiles the .ts sources with tsx on every start instead, ~0.3 s that no user
// pays). This builds the package from the current sources with the release build config into
// `<scratch>/node_modules/pulumi-lago`, laid out as the published files are (package.json, provider/runtime.js,
// provider/runtime-loader.js, dist/), so a stack whose work dir is under `<scratch>` resolves `pulumi-lago/runtime`
// there, as a program resolves it from its own node_modules. The checkout's dist/ is left alone (other work may use it).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { promisify } from "node:util";

const checkout = path.join(__dirname, "..");

/** Which provider code the engine benches run: the built package (default) or the checkout's sources through tsx. */
export type ProviderCode = "package" | "sources";

export const providerCodeArg = (args: Record<string, string>): ProviderCode => {
  const value = args.provider ?? "package";
  if (value !== "package" && value !== "sources") throw new Error(`--provider=${value}: expected package or sources`);
  return value;
};

/**
 * Installs the package built from the sources under `<scratch>/node_modules` and checks that a stack directory under
 * `scratch` resolves the runtime there. With "sources" nothing is installed: the stacks reach the checkout through
 * NODE_PATH (provider/engine.ts providerNodePath), as the repo's tests do.
 */
export async function installProvider(scratch: string, code: ProviderCode, log: (message: string) => void): Promise<void> {
  if (code === "sources") return log("provider host runs the checkout's sources through tsx");
  const root = path.join(scratch, "node_modules", "pulumi-lago");
  const started = performance.now();
  const tsc = path.join(checkout, "node_modules", "typescript", "bin", "tsc");
  // Type errors (another change in progress) still emit; the bench needs the emitted files, and says so.
  await promisify(execFile)(process.execPath, [tsc, "-p", path.join(checkout, "tsconfig.build.json"), "--outDir", path.join(root, "dist")], { maxBuffer: 64 << 20 }).catch(
    (error: { stdout?: string }) => log(`tsc reported errors; benching what it emitted:\n${error.stdout ?? String(error)}`),
  );
  for (const file of ["package.json", "provider/runtime.js", "provider/runtime-loader.js"]) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(checkout, file), path.join(root, file));
  }
  // Its dependencies, within reach as an install puts them.
  fs.symlinkSync(path.join(checkout, "node_modules"), path.join(root, "node_modules"), "dir");
  // As a program there resolves it (this module's own require would find the checkout by package self-reference).
  const resolved = fs.realpathSync(createRequire(path.join(scratch, "any-stack", "index.js")).resolve("pulumi-lago/runtime"));
  if (resolved !== path.join(fs.realpathSync(root), "provider", "runtime.js")) throw new Error(`a stack under ${scratch} would load ${resolved}, not the built package`);
  log(`built the package in ${((performance.now() - started) / 1000).toFixed(1)} s; the provider host runs its dist/ (${resolved})`);
}
