// Shared pieces for end-to-end suites that drive the real Pulumi engine against a local Lago: a local Lago
// with a key of its own (so a leak scan means something), a recorder for each operation's output and
// resource steps, the checkpoint file, and the CLI's log decryption. The leak scan itself is in secrets.ts.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, Workspace } from "@pulumi/pulumi/automation";
import { Client } from "lago-javascript-client";
import { afterAll, beforeAll } from "vitest";
import { startLocalLago } from "../../../local-lago";
import { rawHttp, useOpenApiValidation, type LagoFixture } from "../../support/local-lago";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * A fresh local Lago for the file, like `useLocalLago()`, but with a random API key: a short shared key
 * such as "test-key" could turn up in a state file by chance, or hide there unnoticed. With `dataDir` it keeps its
 * state there (a leak scan can then read what it wrote).
 */
export function useLocalLagoWithOwnKey(options: { dataDir?: string } = {}): LagoFixture {
  const fixture = {} as LagoFixture;
  const onResponse = useOpenApiValidation();
  beforeAll(async () => {
    fixture.server = await startLocalLago({ apiKey: `lago-e2e-${randomBytes(16).toString("hex")}`, dataDir: options.dataDir, onResponse });
    fixture.client = Client(fixture.server.apiKey, { baseUrl: fixture.server.apiUrl });
    fixture.http = (method, apiPath, body, headers) => rawHttp(fixture.server, method, apiPath, body, headers);
  });
  afterAll(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}

/** A scratch directory under the repo's ignored .tmp/, removed after the file. */
export function useScratchDir(name: string): string {
  const dir = path.join(REPO_ROOT, ".tmp", `${name}-${process.pid}`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One resource step the engine announced: its operation and the resource's name and type. */
export interface ResourceStep {
  op: string;
  name: string;
  type: string;
}

export interface EngineCallbacks {
  onOutput(text: string): void;
  onError(text: string): void;
  onEvent(event: EngineEvent): void;
}

/** Keeps everything the engine printed across operations, and the resource steps of the latest one. */
export class EngineRecorder {
  /** stdout, stderr and error messages of every operation, in order. */
  readonly transcript: string[] = [];
  steps: ResourceStep[] = [];

  /** Runs one operation with callbacks that record it; a failure's message is recorded before it is rethrown. */
  async run<T>(operation: (callbacks: EngineCallbacks) => Promise<T>): Promise<T> {
    this.steps = [];
    const callbacks: EngineCallbacks = {
      onOutput: (text) => this.transcript.push(text),
      onError: (text) => this.transcript.push(text),
      onEvent: (event) => {
        const meta = event.resourcePreEvent?.metadata;
        if (meta) this.steps.push({ op: meta.op, name: meta.urn.split("::").pop()!, type: meta.type });
      },
    };
    try {
      return await operation(callbacks);
    } catch (error) {
      this.transcript.push(error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error));
      throw error;
    }
  }

  /** Steps of the latest operation that change something, as "op name"; the stack and default providers left out. */
  changes(): string[] {
    return this.steps
      .filter((s) => s.op !== "same" && s.type !== "pulumi:pulumi:Stack" && !s.type.startsWith("pulumi:providers:"))
      .map((s) => `${s.op} ${s.name}`);
  }
}

/** The file backend's checkpoint of a stack: what `pulumi up` writes to disk (secrets still encrypted). */
export function checkpointPath(stateDir: string, projectName: string, stackName: string): string {
  return path.join(stateDir, ".pulumi", "stacks", projectName, `${stackName}.json`);
}

/** The resources of a checkpoint file, as the engine stored them. */
export function checkpointResources(file: string): Array<{ urn: string; type: string; id?: string; inputs?: Record<string, any>; outputs?: Record<string, any> }> {
  return JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest?.resources ?? [];
}

/**
 * An automatic log file's plaintext, as `pulumi logs decrypt` prints it, run with the workspace's own CLI, home and
 * environment (backend, passphrase): the CLI finds the stack from the file's name and decrypts with its secrets.
 */
export function decryptedEngineLog(workspace: Workspace, file: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, ...workspace.envVars };
  if (workspace.pulumiHome) env.PULUMI_HOME = workspace.pulumiHome;
  return execFileSync(workspace.pulumiCommand.command, ["logs", "decrypt", file], { cwd: workspace.workDir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}
