// The local Lago is an independent oracle (issue #10): local-lago/ never imports the product (provider/), the
// product never imports the local Lago, and both meet only in lago/, which imports neither and holds Lago's
// contract as data and types, never logic.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const AREAS = ["lago", "local-lago", "provider"] as const;
type Area = (typeof AREAS)[number];
/** What each area must not import. */
const FORBIDDEN: Record<Area, Area[]> = { lago: ["local-lago", "provider"], "local-lago": ["provider"], provider: ["local-lago"] };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|js|mts|cts|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

const areaOf = (file: string): Area | undefined => AREAS.find((a) => path.relative(path.join(ROOT, a), file).split(path.sep)[0] !== "..");

/** Every module a file names: import/export … from, import(), require(), import x = require(). */
export function importedSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The forbidden imports of one file (its path decides its area), as "file → specifier". */
export function crossImports(file: string, text: string): string[] {
  const area = areaOf(file);
  if (!area) return [];
  return importedSpecifiers(text)
    .filter((specifier) => {
      // the package's own name reaches provider/ (its main) and local-lago/ (its ./local-lago export)
      if (specifier === "pulumi-lago" || specifier.startsWith("pulumi-lago/")) return true;
      if (!specifier.startsWith(".")) return false;
      const target = areaOf(path.resolve(path.dirname(file), specifier));
      return target !== undefined && FORBIDDEN[area].includes(target);
    })
    .map((specifier) => `${path.relative(ROOT, file)} → ${specifier}`);
}

/** Functions, classes and methods in a lago/ file: lago/ holds data and types only. */
export function logicIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node) && !ts.isConstructorTypeNode(node) && !ts.isMethodSignature(node) && !ts.isCallSignatureDeclaration(node) && !ts.isConstructSignatureDeclaration(node) && !ts.isIndexSignatureDeclaration(node))
      found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${ts.SyntaxKind[node.kind]}`);
    else if (ts.isClassLike(node)) found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${ts.SyntaxKind[node.kind]}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("independence of the local Lago and the product", () => {
  const files = AREAS.flatMap((area) => sourceFiles(path.join(ROOT, area)));

  it("reads every source file of lago/, local-lago/ and provider/", () => {
    for (const area of AREAS) expect(files.some((f) => areaOf(f) === area), area).toBe(true);
  });

  it("no file imports across: local-lago/ ↛ provider/, provider/ ↛ local-lago/, lago/ ↛ either", () => {
    expect(files.flatMap((f) => crossImports(f, fs.readFileSync(f, "utf8")))).toEqual([]);
  });

  it("the check sees every way of importing (controls)", () => {
    const inLocalLago = path.join(ROOT, "local-lago/resources/x.ts");
    const inProvider = path.join(ROOT, "provider/kinds/x.ts");
    const inLago = path.join(ROOT, "lago/x.ts");
    expect(crossImports(inLocalLago, 'import { a } from "../../provider/pricing";')).toHaveLength(1);
    expect(crossImports(inLocalLago, 'export * from "../../provider";')).toHaveLength(1);
    expect(crossImports(inLocalLago, 'const p = require("../../provider/pricing");')).toHaveLength(1);
    expect(crossImports(inLocalLago, 'const p = await import("../../provider/pricing");')).toHaveLength(1);
    expect(crossImports(inLocalLago, 'import type { T } from "pulumi-lago";')).toHaveLength(1);
    expect(crossImports(inProvider, 'import { startLocalLago } from "../../local-lago";')).toHaveLength(1);
    expect(crossImports(inLago, 'import { x } from "../provider/currencies";')).toHaveLength(1);
    expect(crossImports(inLocalLago, 'import { LAGO_CURRENCIES } from "../../lago/currencies";')).toEqual([]);
    expect(crossImports(inProvider, 'import { LAGO_CURRENCIES } from "../../lago/currencies";')).toEqual([]);
  });

  it("lago/ holds data and types only: no function, arrow, method or class", () => {
    const lagoFiles = files.filter((f) => areaOf(f) === "lago");
    expect(lagoFiles.flatMap((f) => logicIn(f, fs.readFileSync(f, "utf8")))).toEqual([]);
    // control: logic is seen
    expect(logicIn(path.join(ROOT, "lago/x.ts"), "export const isCode = (v: string) => v.length === 3;\nexport class C {}")).toHaveLength(2);
    expect(logicIn(path.join(ROOT, "lago/x.ts"), "export interface A { f(): void; g: (x: number) => string }\nexport const CODES = ['USD'] as const;")).toEqual([]);
  });
});
