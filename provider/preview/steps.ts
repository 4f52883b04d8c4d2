// The steps of a Pulumi preview that touch Lago, in one plain shape: what the engine's resourcePreEvents say, with
// the three events of a replacement folded into one `replace`, and nothing but Lago resources.

/** What the step does to the Lago object. */
export type StepOp = "create" | "update" | "replace" | "delete" | "same";

export interface StepState {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface PreviewStep {
  op: StepOp;
  /** "Plan", "BillableMetric", "Customer", "Subscription", … (the part after `lago:` in the type). */
  kind: string;
  urn: string;
  /** The Pulumi resource name (last segment of the URN). */
  name: string;
  old: StepState | null;
  new: StepState | null;
  /** Arguments the engine reported as changed. */
  diffs: string[];
  /** Arguments that force the replacement. */
  replaceKeys: string[];
}

/** The part of an engine event this module reads (`ResourcePreEvent.metadata` of the Automation API). */
export interface StepMetadataLike {
  op: string;
  urn: string;
  type: string;
  old?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
  new?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
  keys?: string[];
  diffs?: string[];
}

/** Kinds whose objects hold billing data: replacing or deleting one loses history, invoices or subscriptions. */
export const BILLING_KINDS: ReadonlySet<string> = new Set(["Plan", "BillableMetric", "Customer", "Subscription"]);

/** What Lago does when an object of the kind is deleted (lago-api.md §2.5, §3.7, §4.5, §5.6). */
export const DELETE_CONSEQUENCES: Readonly<Record<string, string>> = {
  Plan: "Lago terminates every subscription on the plan and deletes it",
  BillableMetric: "Lago removes its charges from every plan; their usage is no longer billed",
  Customer: "Lago terminates the customer's subscriptions and deletes the customer",
  Subscription: "Lago terminates the subscription and issues its final invoice",
};

const LAGO_TYPE = /^pulumi-nodejs:dynamic\/lago:(.+)$|^lago:(?:index\/\w+:)?(.+)$/;

/** "pulumi-nodejs:dynamic/lago:Plan" → "Plan"; undefined for anything that is not a Lago resource. */
export function lagoKind(type: string): string | undefined {
  const match = LAGO_TYPE.exec(type);
  return match ? (match[1] ?? match[2]) : undefined;
}

const OPS: Readonly<Record<string, StepOp>> = {
  same: "same",
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
};

const stateOf = (state: StepMetadataLike["old"]): StepState | null =>
  state ? { inputs: { ...(state.inputs ?? {}) }, outputs: { ...(state.outputs ?? {}) } } : null;

/**
 * One step per Lago resource, in the order the engine announced them. A replacement announces
 * create-replacement, replace and delete-replaced for one URN: they become one `replace` carrying the
 * old state of one and the new state of another. Reads, refreshes and imports are left out.
 */
export function stepsFromEvents(events: readonly StepMetadataLike[]): PreviewStep[] {
  const byUrn = new Map<string, PreviewStep>();
  for (const event of events) {
    const kind = lagoKind(event.type);
    const op = OPS[event.op];
    if (!kind || !op) continue;
    const step: PreviewStep = {
      op,
      kind,
      urn: event.urn,
      name: event.urn.split("::").at(-1) ?? event.urn,
      old: op === "create" ? null : stateOf(event.old),
      new: op === "delete" ? null : stateOf(event.new),
      diffs: [...(event.diffs ?? [])],
      replaceKeys: [...(event.keys ?? [])],
    };
    const seen = byUrn.get(event.urn);
    if (!seen) {
      byUrn.set(event.urn, step);
      continue;
    }
    if (step.op !== "replace" && seen.op !== "replace") continue;
    byUrn.set(event.urn, {
      ...seen,
      op: "replace",
      old: seen.old ?? step.old,
      new: seen.new ?? step.new,
      diffs: seen.diffs.length ? seen.diffs : step.diffs,
      replaceKeys: seen.replaceKeys.length ? seen.replaceKeys : step.replaceKeys,
    });
  }
  return [...byUrn.values()];
}

export const isDestructive = (step: Pick<PreviewStep, "op" | "kind">): boolean =>
  (step.op === "replace" || step.op === "delete") && BILLING_KINDS.has(step.kind);

/** The key Lago knows the object by: a code or an external id, from the new state or else the old. */
export function stepKey(step: PreviewStep): string | null {
  for (const state of [step.new, step.old])
    for (const source of [state?.inputs, state?.outputs]) {
      const key = source?.code ?? source?.externalId;
      if (typeof key === "string") return key;
    }
  return null;
}
