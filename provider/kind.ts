// The machinery every kind shares: `defineKind` turns a kind description (schema, mapping to and from
// Lago, API calls, guards) into check/diff/create/read/update/delete.
//
// Conventions all kinds follow:
// - Arguments the program leaves out are not managed: they are neither compared nor sent. Removing an
//   argument that was set clears it in Lago (the kind's `cleared` value, null by default).
// - Outputs = the program's arguments + what Lago computed (`lagoId`, `createdAt`, …); the Pulumi id is
//   the Lago `lago_id`.
// - After every write, what Lago returned is compared with what was asked; fields Lago silently kept
//   fail the step naming them and why (the object is still recorded, with Lago's values).
// - Create makes one call where Lago allows it: kinds whose POST refuses a duplicate key POST at once and look the
//   object up only when Lago answers that it exists or the answer was lost; kinds whose POST silently upserts
//   (customers, subscriptions) look the key up first. An existing object is an error unless `adopt: true`; a create
//   whose answer was lost is resolved by looking up, so it never duplicates nor reports a spurious "already exists".
// - Outputs carry the state version (state-version.ts); older outputs are migrated before they are compared or used.
import type { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, sameCanonical, withoutProvider } from "./canonical";
import type { LagoClient } from "./client";
import { changedArgs, toDiffResult, type ArgsDiff } from "./diff";
import { camelCase, describeLagoError, isAlreadyExists, LagoProviderError, unlessNotFound } from "./errors";
import { AmbiguousWriteError, backoffDelay, DEFAULT_RETRY, type RetryPolicy } from "./retry";
import { checkFailures, managedArgs, OPTION_NAMES, type OptionName } from "./schema";
import { migrateOutputs, stamped, type Migrations } from "./state-version";

export type Args = Record<string, unknown>;

/** The managed arguments of a kind whose args are `A` (provider options left out); Lago's null reads as unset. */
export type Managed<A> = { [K in Exclude<keyof A, OptionName>]?: A[K] | null };

/** What a kind's `toWire` may use besides the arguments: the call (to resolve references) and the current object. */
export interface WireContext<Remote> {
  call: KindCall;
  /** The object being updated or adopted; absent on create. */
  current?: Remote;
}

/** What a kind gets for its API calls. */
export interface KindCall {
  client: LagoClient;
  /** The retry policy in force (create uses it between lookups). */
  retry?: RetryPolicy;
}

/** An in-place change Lago would silently ignore right now. */
export interface Frozen {
  args: string[];
  reason: string;
}

/**
 * One Lago object kind. `A` is its arguments (the schema's type), `Remote` Lago's object and `Body` the wire body
 * its writes send, both from Lago's contract (lago/wire-types.ts): a misspelt field on any side is a type error.
 */
export interface KindSpec<A extends Args, Remote extends { lago_id: string }, Body = unknown> {
  /** Resource type name, e.g. `BillableMetric`. */
  kind: string;
  /** The object has no key of its own (the organization): `find` ignores it, and refresh does not start managing it. */
  keyless?: boolean;
  /** How messages name the object (default: its key field and key, `code "team"`). */
  identify?(args: Managed<A>): string;
  /** The identifying argument (`code`, `externalId`) and its Lago field (`code`, `external_id`). */
  keyArg: string & keyof A;
  keyField: string;
  /** The one declaration of the kind's arguments: its keys (less the provider options) are the managed arguments. */
  schema: z.ZodObject & z.ZodType<A>;
  /** Lago's POST answers 422 `value_already_exist` for a live key (metrics, plans): create skips the lookup first. */
  createRefusesDuplicate?: boolean;
  /** How outputs of older state versions become this release's (state-version.ts). */
  migrations?: Migrations;
  /** Arguments whose change needs a new Lago object. */
  replaceOn?: ReadonlyArray<string & keyof A>;
  /** Value sent when an argument is removed from the program (default null). */
  cleared?: Partial<Record<string & keyof A, unknown>>;
  /** Comparable form: defaults dropped, decimals and sets in one spelling. Must accept partial args. */
  normalize(args: Managed<A>): Args;
  /** Lago object → arguments (all managed ones Lago holds). */
  toArgs(remote: Remote): Managed<A>;
  /** What Lago holds, cut to what `asked` speaks of, for an argument managed in part (a subscription's plan overrides). */
  project?(held: Managed<A>, asked: Managed<A>): Managed<A>;
  /** Lago object → computed outputs (`lagoId`, `createdAt`, …); `args` are the managed args in play. */
  outputs(remote: Remote, args: Managed<A>): Args;
  /** The wire body writing `payload` (set arguments, and cleared values for removed ones). */
  toWire(payload: Managed<A>, context: WireContext<Remote>): Body | Promise<Body>;
  /** The Pulumi id (default `lago_id`); a kind whose lago_id changes in place (subscription upgrades) uses its key. */
  idOf?(remote: Remote): string;
  /** Lago field → argument, for fields that are not the plain camelCase of an argument (asked only for those). */
  argFor?(lagoField: string): string | undefined;
  api: {
    /** The live object with this key, or undefined when Lago has none (404). `args` serve kinds keyed by more than one argument. */
    find(call: KindCall, key: string, args: Managed<A>): Promise<Remote | undefined>;
    /** Fallback for refresh when the key was changed outside Pulumi. */
    findById?(call: KindCall, lagoId: string): Promise<Remote | undefined>;
    create(call: KindCall, body: Body): Promise<Remote>;
    /** `body` is `toWire` of the managed arguments to write: set ones, and cleared values for removed ones. */
    update(call: KindCall, current: Remote, body: Body): Promise<Remote>;
    remove(call: KindCall, current: Remote): Promise<void>;
  };
  /** What deleting or replacing this object would destroy (e.g. "plans team, free charge it"). */
  loss?(call: KindCall, remote: Remote): Promise<string | undefined>;
  /** Changed arguments Lago would silently ignore in place right now (they then need a replace). */
  frozen?(call: KindCall, remote: Remote, changed: string[], news: Managed<A>): Promise<Frozen | undefined>;
  /** Why Lago kept its own values for these arguments after a write. */
  ignoredReason?(call: KindCall, remote: Remote, args: string[], asked: Managed<A>): Promise<string>;
}

/** The provider methods of one kind; the resource shells call these through the runtime. */
export interface KindProvider {
  check(olds: Args, news: Args): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Args, news: Args): Promise<ArgsDiff>;
  create(inputs: Args): Promise<dynamic.CreateResult>;
  read(id: string, props: Args): Promise<dynamic.ReadResult>;
  update(id: string, olds: Args, news: Args): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Args): Promise<void>;
}

/** Tells the engine the object exists (recorded with `properties`) although the step failed. */
export class PartialWriteError extends LagoProviderError {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Args,
    message: string,
  ) {
    super(message);
    this.reasons = [message];
  }
}

const present = (v: unknown): boolean => v !== undefined && v !== null;
const pick = (from: Args, names: readonly string[]): Args =>
  Object.fromEntries(names.filter((n) => present(from[n])).map((n) => [n, from[n]]));

/** How many times a create is attempted when its outcome keeps being unknown. */
const CREATE_ATTEMPTS = 4;

export interface KindRuntime {
  /** The client for the current provider configuration (resolves settings; may throw a config error). */
  call(): KindCall;
  sleep?(ms: number): Promise<void>;
}

export function defineKind<A extends Args, Remote extends { lago_id: string }, Body>(spec: KindSpec<A, Remote, Body>, runtime: KindRuntime): KindProvider {
  const managed: ReadonlyArray<string> = managedArgs(spec.schema.shape);
  // The machinery handles arguments by name; the kind's hooks see them as its own type (checked by the schema at
  // check, or read back from Lago and the state written after it).
  const typed = (values: Args): Managed<A> => values as Managed<A>;
  const idOf = (remote: Remote) => spec.idOf?.(remote) ?? remote.lago_id;
  // Lago's field names are the snake_case of the arguments; a kind only maps the exceptions.
  const argFor = (field: string) => (managed.includes(camelCase(field)) ? camelCase(field) : spec.argFor?.(field));
  const keyOf = (args: Args) => String(args[spec.keyArg]);
  const identity = (args: Args) => spec.identify?.(typed(args)) ?? `${spec.keyField} "${keyOf(args)}"`;
  const fail = (action: string, args: Args) => (error: unknown): never => {
    throw describeLagoError(error, { kind: spec.kind, identity: identity(args), action, argFor });
  };
  const sleep = runtime.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const norm = (values: Args) => spec.normalize(typed(values));
  /** The wire body for `payload`, and the managed arguments Lago holds as plain values. */
  const wire = (call: KindCall, payload: Args, current?: Remote) => Promise.resolve(spec.toWire(typed(payload), { call, current }));
  const held = (remote: Remote, asked: Args): Args => (spec.project ? spec.project(spec.toArgs(remote), typed(asked)) : spec.toArgs(remote));

  /** Managed arguments set in `news` or removed since `olds`. */
  const relevant = (olds: Args | undefined, news: Args) =>
    managed.filter((a) => present(news[a]) || (olds !== undefined && present(olds[a])));

  function parse(inputs: Args): A {
    const args = withoutProvider(inputs);
    const failures = checkFailures(spec.schema, args);
    if (failures.length) throw new LagoProviderError(`${spec.kind} ${identity(args)}: invalid arguments: ${failures.map((f) => f.reason).join("; ")}`);
    return args as A;
  }

  /** What to write: set arguments as given, removed ones as their cleared value. */
  function payloadFor(olds: Args | undefined, news: A): Args {
    const payload: Args = {};
    for (const a of relevant(olds, news)) payload[a] = present(news[a]) ? news[a] : (spec.cleared?.[a] ?? null);
    return payload;
  }

  /** Arguments where Lago holds something else than what was asked. */
  function mismatches(remote: Remote, asked: Args, names: readonly string[]): string[] {
    const holds = norm(held(remote, asked));
    const wanted = norm(asked);
    return names.filter((a) => !sameCanonical(holds[a], wanted[a]));
  }

  /** Outputs describing Lago's actual state for the arguments this program manages. */
  const outsFromRemote = (remote: Remote, inputs: Args, names: readonly string[]): Args =>
    stamped({ ...pick(inputs, OPTION_NAMES), ...pick(held(remote, inputs), names), ...spec.outputs(remote, typed(inputs)) });

  async function verifyWrite(call: KindCall, remote: Remote, args: A, names: readonly string[], action: string): Promise<void> {
    const ignored = mismatches(remote, args, names);
    if (!ignored.length) return;
    const reason = (await spec.ignoredReason?.(call, remote, ignored, typed(args))) ?? "Lago kept its previous values";
    const holds = held(remote, args);
    const detail = ignored.map((a) => `${a} (asked ${JSON.stringify(args[a] ?? null)}, Lago has ${JSON.stringify(holds[a] ?? null)})`).join(", ");
    throw new PartialWriteError(
      idOf(remote),
      outsFromRemote(remote, args, names),
      `${spec.kind} ${identity(args)}: ${action} did not apply ${detail}: ${reason}`,
    );
  }

  /**
   * POSTs until the outcome is known; `existed` tells an object that was there before this create from ours.
   * After an unknown outcome (reset, timeout, 5xx) the key is looked up: found, it is ours when the kind looked the
   * key up first, or, for a kind that did not, when it holds exactly what was asked (an earlier attempt landed).
   */
  async function createConverging(call: KindCall, args: A, lookedUp: boolean): Promise<{ remote: Remote; existed: boolean }> {
    let unknownOutcome = false;
    const body = await wire(call, payloadFor(undefined, args));
    for (let attempt = 0; ; attempt++) {
      try {
        return { remote: await spec.api.create(call, body), existed: false };
      } catch (error) {
        const ambiguous = error instanceof AmbiguousWriteError;
        const exists = isAlreadyExists(error, spec.keyField);
        if (!ambiguous && !exists) throw error;
        const found = await spec.api.find(call, keyOf(args), typed(args));
        if (found) {
          if (lookedUp) return { remote: found, existed: false };
          if (exists && !unknownOutcome) return { remote: found, existed: true };
          return { remote: found, existed: mismatches(found, args, relevant(undefined, args)).length > 0 };
        }
        if (!ambiguous) throw error; // "already exists", yet gone by the lookup: Lago's answer stands
        unknownOutcome = true;
        if (attempt + 1 >= CREATE_ATTEMPTS) throw error;
        await sleep(backoffDelay(attempt, call.retry ?? DEFAULT_RETRY));
      }
    }
  }

  /** `who` for state-version errors. */
  const upgrade = (outputs: Args): Args => migrateOutputs(outputs, spec.migrations, `${spec.kind} ${identity(outputs)}`);

  async function guardLoss(call: KindCall, remote: Remote, args: Args, allowed: boolean, what: string): Promise<void> {
    if (!spec.loss || allowed) return;
    const loss = await spec.loss(call, remote);
    if (loss)
      throw new LagoProviderError(
        `${spec.kind} ${identity(args)}: refusing to ${what}: ${loss}. To accept that loss, set allowDestroy: true on this resource and apply it (\`pulumi up\`) before deleting or replacing it.`,
      );
  }

  return {
    async check(_olds, news) {
      return { inputs: news, failures: checkFailures(spec.schema, withoutProvider(news)) };
    },

    async diff(_id, stateOlds, news) {
      const olds = upgrade(stateOlds);
      const names = relevant(olds, news);
      // Unknown values (preview) count as changes and stay out of normalization.
      const unknown = names.filter((a) => containsUnknown(news[a]));
      const oldN = norm(pick(olds, names));
      const newN = norm(pick(news, names.filter((a) => !unknown.includes(a))));
      const changed = [
        ...names.filter((a) => unknown.includes(a) || !sameCanonical(oldN[a], newN[a])),
        ...changedArgs(olds, news, OPTION_NAMES),
      ];
      const replaces: string[] = (spec.replaceOn ?? []).filter((a) => changed.includes(a));
      const inPlace = changed.filter((a) => managed.includes(a) && !replaces.includes(a));
      if ((spec.frozen && inPlace.length) || (spec.loss && replaces.length)) {
        const call = runtime.call();
        const current = await spec.api.find(call, keyOf(olds), typed(olds)).catch(fail("preview", olds));
        if (current) {
          const frozen = inPlace.length && spec.frozen ? await spec.frozen(call, current, inPlace, typed(news)) : undefined;
          if (frozen?.args.length) replaces.push(...frozen.args.filter((a) => !replaces.includes(a)));
          if (replaces.length) {
            // Replacement deletes the current object: the permission must already be in the state.
            const allowed = olds.allowDestroy === true && news.allowDestroy === true;
            const why = frozen?.args.length ? ` (${frozen.args.join(", ")} cannot change in place: ${frozen.reason})` : "";
            await guardLoss(call, current, olds, allowed, `replace it to change ${replaces.join(", ")}${why}`);
            if (frozen?.args.length && !allowed && !spec.loss)
              throw new LagoProviderError(`${spec.kind} ${identity(olds)}: ${frozen.args.join(", ")} cannot change in place: ${frozen.reason}`);
          }
        }
      }
      // A new object under the same key can only exist once the old one is gone.
      const sameKey = !changed.includes(spec.keyArg);
      return toDiffResult(olds, news, changed, replaces, sameKey);
    },

    async create(inputs) {
      const args = parse(inputs);
      const call = runtime.call();
      const names = relevant(undefined, args);
      // With adopt: true the object is expected to exist: one lookup, not a POST Lago would refuse.
      const lookedUp = !spec.createRefusesDuplicate || args.adopt === true;
      let existing = lookedUp ? await spec.api.find(call, keyOf(args), typed(args)).catch(fail("create", args)) : undefined;
      let remote: Remote | undefined;
      if (!existing) {
        const created = await createConverging(call, args, lookedUp).catch(fail("create", args));
        if (created.existed) existing = created.remote;
        else remote = created.remote;
      }
      if (existing) {
        if (args.adopt !== true)
          throw new LagoProviderError(
            `${spec.kind} ${identity(args)}: already exists in Lago (lago_id ${existing.lago_id}). Set adopt: true to take it over, or choose another ${spec.keyArg}.`,
          );
        const drifted = mismatches(existing, args, names);
        const adopting = existing;
        remote = drifted.length
          ? await wire(call, payloadFor(undefined, args), adopting)
              .then((body) => spec.api.update(call, adopting, body))
              .catch(fail("adopt", args))
          : existing;
        await verifyWrite(call, remote, args, names, "adopt");
      } else {
        await verifyWrite(call, remote!, args, names, "create");
      }
      return { id: idOf(remote!), outs: stamped({ ...withoutProvider(inputs), ...spec.outputs(remote!, typed(args)) }) };
    },

    async read(id, stateProps) {
      const props = upgrade(stateProps);
      const call = runtime.call();
      let remote = await spec.api.find(call, keyOf(props), typed(props)).catch(fail("refresh", props));
      if (remote && idOf(remote) !== id) remote = undefined; // same key, another object: ours is gone
      if (!remote && spec.api.findById) remote = await spec.api.findById(call, id).catch(fail("refresh", props));
      if (!remote) return {};
      const names = managed.filter((a) => present(props[a]) || (a === spec.keyArg && !spec.keyless));
      const inputs = { ...pick(props, OPTION_NAMES), ...pick(held(remote, props), names) };
      return { id: idOf(remote), props: stamped({ ...inputs, ...spec.outputs(remote, typed(inputs)) }), inputs };
    },

    async update(id, stateOlds, news) {
      const olds = upgrade(stateOlds);
      const args = parse(news);
      const names = relevant(olds, args);
      const changed = changedArgs(norm(pick(olds, names)), norm(pick(args, names)), names);
      const computed = Object.fromEntries(Object.entries(olds).filter(([k]) => !managed.includes(k) && !(OPTION_NAMES as readonly string[]).includes(k)));
      if (!changed.length) return { outs: { ...withoutProvider(computed), ...withoutProvider(news) } }; // options only
      const call = runtime.call();
      const current = await spec.api.find(call, keyOf(olds), typed(olds)).catch(fail("update", olds));
      if (!current || idOf(current) !== id)
        throw new LagoProviderError(`${spec.kind} ${identity(olds)}: no longer exists in Lago; run \`pulumi refresh\` to drop it from the state`);
      const remote = await wire(call, payloadFor(olds, args), current)
        .then((body) => spec.api.update(call, current, body))
        .catch(fail("update", args));
      await verifyWrite(call, remote, args, names, "update");
      return { outs: stamped({ ...withoutProvider(news), ...spec.outputs(remote, typed(args)) }) };
    },

    async delete(id, stateProps) {
      const props = upgrade(stateProps);
      const call = runtime.call();
      const current = await spec.api.find(call, keyOf(props), typed(props)).catch(fail("delete", props));
      if (!current || idOf(current) !== id) return; // already gone
      await guardLoss(call, current, props, props.allowDestroy === true, "delete it");
      await unlessNotFound(spec.api.remove(call, current)).catch(fail("delete", props)); // 404: a retried DELETE already went through
    },
  };
}
