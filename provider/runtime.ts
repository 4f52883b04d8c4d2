// What the dynamic-provider host loads: provider configuration for this process plus one provider
// object per kind. Resource shells reach it with `require(RUNTIME)` inside their methods, so nothing
// here is ever captured into serialized state.
import { lagoClient } from "./client";
import { resolveSettings, setConfigured, type ConfiguredValues } from "./config";
import type { KindProvider, KindRuntime } from "./kind";
import { billableMetricKind } from "./kinds/billable-metric";

const runtime: KindRuntime = {
  call: () => ({ client: lagoClient(resolveSettings()) }),
};

/** Pulumi calls this once per provider process with the stack config (`lago:apiUrl`, secret `lago:apiKey`). */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  setConfigured({ apiUrl: req.config.get("lago:apiUrl"), apiKey: req.config.get("lago:apiKey") });
}

/** Programmatic configuration (tests, tools): same effect as stack config. */
export function configureWith(values: ConfiguredValues): void {
  setConfigured(values);
}

/** A kind whose folder exports `<name>Kind(runtime)`; loaded on first use. */
function lazyKind(load: () => (runtime: KindRuntime) => KindProvider): KindProvider {
  let provider: KindProvider | undefined;
  const get = () => (provider ??= load()(runtime));
  return {
    check: (o, n) => get().check(o, n),
    diff: (id, o, n) => get().diff(id, o, n),
    create: (i) => get().create(i),
    read: (id, p) => get().read(id, p),
    update: (id, o, n) => get().update(id, o, n),
    delete: (id, p) => get().delete(id, p),
  };
}

export const billableMetric: KindProvider = billableMetricKind(runtime);
export const plan: KindProvider = lazyKind(() => require("./kinds/plan").planKind);
export const subscription: KindProvider = lazyKind(() => require("./kinds/subscription").subscriptionKind);
