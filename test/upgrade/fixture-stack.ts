// A checkpoint fixture brought back to life: the Lago its `up` left behind (the directory's lago/, copied, under the
// fixture's key) and a stack of the real engine holding its stack.json, with the program unchanged. Shared by the
// upgrade test (releases' fixtures) and the one-declaration test (the checkpoint from before that change).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Deployment, Stack } from "@pulumi/pulumi/automation";
import { startLocalLago, type LocalLago } from "../../local-lago";
import { offlineStack } from "../../provider/engine";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { FIXTURE_API_KEY, FIXTURE_PASSPHRASE, FIXTURE_PROJECT, FIXTURE_STACK, upgradeProgram, type UpgradeProgramKnobs } from "./program";

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The Lago resources of a checkpoint, in its order. */
export const lagoResources = (deployment: Deployment): StateResource[] =>
  (deployment.deployment.resources as StateResource[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/lago:"));

export interface FixtureStack {
  lago: LocalLago;
  stack: Stack;
  /** The checkpoint as the fixture holds it, before the import. */
  written: Deployment;
}

/** `knobs` is read at every run of the program, so a test may change it between operations. */
export async function openFixtureStack(fixtureDir: string, scratch: string, knobs: UpgradeProgramKnobs): Promise<FixtureStack> {
  const dataDir = path.join(scratch, "lago");
  fs.cpSync(path.join(fixtureDir, "lago"), dataDir, { recursive: true });
  const lago = await startLocalLago({ apiKey: FIXTURE_API_KEY, dataDir });
  const written = JSON.parse(fs.readFileSync(path.join(fixtureDir, "stack.json"), "utf8")) as Deployment;
  // Only the Lago's port differs from where the fixture ran: the default provider's recorded URL follows it, as it
  // would be unchanged for a user who upgrades against the same Lago.
  const deployment = structuredClone(written);
  for (const r of deployment.deployment.resources as StateResource[])
    if (r.type === "pulumi:providers:pulumi-nodejs") for (const props of [r.inputs, r.outputs]) if (props) props["lago:apiUrl"] = lago.apiUrl;
  const stack = await offlineStack({
    stateDir: path.join(scratch, "state"),
    projectName: FIXTURE_PROJECT,
    stackName: FIXTURE_STACK,
    passphrase: FIXTURE_PASSPHRASE,
    program: upgradeProgram(knobs),
    cli: await ensurePulumiCli({ acquire: false }),
    lago: { apiUrl: lago.apiUrl, apiKey: FIXTURE_API_KEY },
  });
  await stack.importStack(deployment);
  return { lago, stack, written };
}
