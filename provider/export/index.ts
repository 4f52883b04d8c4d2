// `pulumi-lago export`: an existing Lago organization written as code (the catalog YAML and a short program, or typed
// TypeScript resources). Read-only towards Lago: readOrg only sends GETs.
import * as fs from "node:fs";
import * as path from "node:path";
import { readOrg, type OrgProgress, type ReadOrgOptions } from "./read-org";
import { renderExport, type WebhookSource } from "./render";
import type { OrgSnapshot } from "./sections";

export { OrgAccessError, readOrg, type OrgProgress, type ReadOrgOptions } from "./read-org";
export { sectionsNeeded } from "./references";
export { describe as describeEntry, renderCatalogYaml, renderExport, renderIndexTs, renderTypescript, webhookSources, type WebhookSource } from "./render";
export { compareKeys, CUSTOMER_SECTIONS, entryKey, ORG_SECTIONS, type Entry, type OrgSection, type OrgSnapshot, type Unexpressible } from "./sections";

export type ExportFormat = "yaml" | "ts";

export interface ExportOptions extends ReadOrgOptions {
  /** The directory written (created when missing); the export's files are replaced, nothing else is touched. */
  out: string;
  format?: ExportFormat;
}

export interface ExportResult {
  snapshot: OrgSnapshot;
  /** Paths written. */
  files: string[];
  /** Where each webhook endpoint's URL must be put before `pulumi up`. */
  webhooks: WebhookSource[];
  /** Entries written (objects not expressible are counted in snapshot.unexpressible). */
  objects: number;
}

/** Reads the organization and writes it under `out`. */
export async function exportOrg(options: ExportOptions): Promise<ExportResult> {
  const snapshot = await readOrg(options);
  const rendered = renderExport(snapshot, options.format ?? "yaml");
  fs.mkdirSync(options.out, { recursive: true });
  const files = Object.entries(rendered.files).map(([name, text]) => {
    const file = path.join(options.out, name);
    fs.writeFileSync(file, text);
    return file;
  });
  const objects = Object.values(snapshot.sections).reduce((n, entries) => n + (entries?.length ?? 0), 0);
  return { snapshot, files, webhooks: rendered.webhooks, objects };
}

/** `objects read of total` for a terminal line. */
export const progressLine = (p: OrgProgress): string => `Reading Lago: ${p.read} of ${p.total} objects (${p.section})`;
