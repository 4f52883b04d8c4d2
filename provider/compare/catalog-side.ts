// A catalog file as one side of a comparison: its entries are already the kinds' arguments. A webhook endpoint named
// by webhookUrlEnv is compared under the URL that variable holds, as the program would create it.
import type { Catalog } from "../catalog/schema";
import { ORG_SECTIONS, type Entry, type OrgSection } from "../export/read-org";
import type { CompareSide } from "./compare";

export function catalogSide(catalog: Catalog, label: string, env: Readonly<Record<string, string | undefined>> = {}): CompareSide {
  const sections: CompareSide["sections"] = {};
  const unexpressible: NonNullable<CompareSide["unexpressible"]>[number][] = [];
  for (const section of ORG_SECTIONS) {
    const entries = (catalog[section] ?? []) as Entry[];
    if (section !== "webhookEndpoints") {
      sections[section] = entries.map((e) => ({ ...e }));
      continue;
    }
    sections.webhookEndpoints = [];
    for (const { webhookUrlEnv, ...entry } of entries) {
      if (typeof webhookUrlEnv !== "string") sections.webhookEndpoints.push(entry);
      else if (env[webhookUrlEnv]) sections.webhookEndpoints.push({ ...entry, webhookUrl: env[webhookUrlEnv] });
      else
        unexpressible.push({
          section: "webhookEndpoints" as OrgSection,
          key: `$${webhookUrlEnv}`,
          reason: `its URL is in the environment variable ${webhookUrlEnv}, which is not set here`,
          entry: { ...entry, webhookUrl: `$${webhookUrlEnv}` },
        });
    }
  }
  return { label, sections, unexpressible };
}
