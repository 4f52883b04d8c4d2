// Reads a pricing policy YAML file through the same validation as the catalog: errors at line and column.
import * as fs from "node:fs";
import { parseYamlWith, YamlFileError, type YamlIssue } from "../yaml-validation";
import { policySchema, type Policy } from "./schema";

export class PolicyFileError extends YamlFileError {
  override name = "PolicyFileError";
  constructor(source: string, issues: YamlIssue[], text: string) {
    super(source, issues, text, "pricing policy");
  }
}

export function parsePolicy(text: string, source = "pricing-policy.yaml"): Policy {
  const parsed = parseYamlWith(text, policySchema);
  if (parsed.issues.length) throw new PolicyFileError(source, parsed.issues, text);
  return parsed.data as Policy;
}

export const loadPolicy = (file: string): Policy => parsePolicy(fs.readFileSync(file, "utf8"), file);
