// Which layout of a resource's outputs the state holds. Every output this release writes carries
// `__schemaVersion`; release 0.1.0 wrote none (version 1). A newer release reads older outputs by running each
// kind's migrations in order before diff, read, update or delete, so an unchanged program previews as no change
// after an upgrade; the state is rewritten in the new layout by the next refresh or update of that resource.
import { LagoProviderError } from "./errors";

type Outputs = Record<string, unknown>;

export const STATE_VERSION_KEY = "__schemaVersion";

/**
 * The layout this release writes. 2: the version recorded, the provider reference one line (the outputs of 0.1.0
 * hold the same arguments and computed fields, so 1 → 2 changes nothing else).
 */
export const STATE_VERSION = 2;

/** What outputs without a version were written by: release 0.1.0. */
const UNVERSIONED = 1;

/** Outputs of version `n` → outputs of version `n + 1`, keyed by `n`. A version without an entry kept the layout. */
export type Migrations = Readonly<Partial<Record<number, (outputs: Outputs) => Outputs>>>;

export function stateVersionOf(outputs: Outputs): number {
  const version = outputs[STATE_VERSION_KEY];
  return version === undefined || version === null ? UNVERSIONED : (version as number);
}

/** `outputs` in this release's layout, stamped with its version; `who` names the resource in errors. */
export function migrateOutputs(outputs: Outputs, migrations: Migrations | undefined, who: string, current: number = STATE_VERSION): Outputs {
  const from = stateVersionOf(outputs);
  if (!Number.isInteger(from) || from < UNVERSIONED)
    throw new LagoProviderError(`${who}: the state holds ${STATE_VERSION_KEY} ${JSON.stringify(outputs[STATE_VERSION_KEY])}, which no pulumi-lago writes; restore the state from a backup or run \`pulumi refresh\``);
  if (from > current)
    throw new LagoProviderError(
      `${who}: the state was written by a newer pulumi-lago (state version ${from}; this one reads up to ${current}). Install that release or a later one next to the program.`,
    );
  let migrated = outputs;
  for (let version = from; version < current; version++) migrated = migrations?.[version]?.(migrated) ?? migrated;
  return { ...migrated, [STATE_VERSION_KEY]: current };
}

/** Outputs as this release writes them. */
export const stamped = <T extends Outputs>(outputs: T): T & { [STATE_VERSION_KEY]: number } => ({ ...outputs, [STATE_VERSION_KEY]: STATE_VERSION });
