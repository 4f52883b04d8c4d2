// The local Lago's layers (issue #10): route modules (local-lago/resources/*) stay thin and read like the API,
// lifecycle rules live in local-lago/domain/*, Lago's response shapes in local-lago/serializers/*. No module
// imports a module that imports it back, directly or through others, and no domain rule or serializer reaches
// up into the customer, plan or subscription route modules.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const LOCAL_LAGO = path.join(ROOT, "local-lago");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The local modules a file imports at run time (type-only imports are erased and cannot form a cycle). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const statement of source.statements) {
    const isImport = ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly;
    const isExport = ts.isExportDeclaration(statement) && !statement.isTypeOnly;
    const specifier = (isImport || isExport) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    if (!specifier?.startsWith(".")) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const resolved = [`${target}.ts`, path.join(target, "index.ts")].find((f) => fs.existsSync(f));
    if (resolved) out.push(resolved);
  }
  return out;
}

/** Every cycle in the graph, each written once as a → b → … → a. */
function cycles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.add([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(ROOT, f)).join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return [...found];
}

describe("the local Lago's layers", () => {
  const files = sourceFiles(LOCAL_LAGO);
  const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

  it("has no import cycle", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check checks)", () => {
    const a = path.join(LOCAL_LAGO, "a.ts");
    const b = path.join(LOCAL_LAGO, "b.ts");
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual(["local-lago/a.ts → local-lago/b.ts → local-lago/a.ts"]);
  });

  it("keeps the customer, plan and subscription routes apart: none imports another, and domain rules and serializers import no route module of theirs", () => {
    const routes = ["customers", "plans", "subscriptions"].map((name) => path.join(LOCAL_LAGO, "resources", `${name}.ts`));
    const offending = files
      .filter((f) => routes.includes(f) || f.includes(`${path.sep}domain${path.sep}`) || f.includes(`${path.sep}serializers${path.sep}`))
      .flatMap((f) => (graph.get(f) ?? []).filter((target) => routes.includes(target)).map((target) => `${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`));
    expect(offending).toEqual([]);
  });
});
