// Reads a YAML pricing catalog and validates it (provider/yaml-validation.ts), reporting each problem at its line and
// column with the argument path and what to write instead.
import * as fs from "node:fs";
import { parseYamlWith, YamlFileError, type YamlIssue } from "../yaml-validation";
import { catalogSchema, type Catalog } from "./schema";

export type CatalogIssue = YamlIssue;

export class CatalogError extends YamlFileError {
  override name = "CatalogError";
  constructor(source: string, issues: CatalogIssue[], text: string) {
    super(source, issues, text, "pricing catalog");
  }
}

/** Price arguments: kept as the digits written (see YamlParseOptions.priceKeys). */
const PRICE_KEYS = new Set([
  "amount",
  "perUnitAmount",
  "flatAmount",
  "rate",
  "percentageRate",
  "rateAmount",
  "paidCredits",
  "grantedCredits",
  "thresholdCredits",
  "targetOngoingBalance",
  "fixedAmount",
  "freeUnitsPerTotalAggregation",
  "perTransactionMinAmount",
  "perTransactionMaxAmount",
]);

/** Reads and validates the catalog file at `file`. */
export function loadCatalog(file: string): Catalog {
  return parseCatalog(fs.readFileSync(file, "utf8"), file);
}

/** Validates catalog YAML text; `source` names it in error messages. Throws CatalogError listing every problem. */
export function parseCatalog(text: string, source = "catalog.yaml"): Catalog {
  const parsed = parseYamlWith(text, catalogSchema, { priceKeys: PRICE_KEYS });
  if (parsed.issues.length) throw new CatalogError(source, parsed.issues, text);
  return parsed.data as Catalog;
}
