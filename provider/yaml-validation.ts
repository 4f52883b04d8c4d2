// YAML files validated with a zod schema, each problem reported at its line and column with the argument path and
// what to write instead, so a pricing person can fix the file without reading code. The pricing catalog and the
// pricing policy both read their files through here.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Scalar } from "yaml";
import type { z } from "zod";
import { formatPath } from "./canonical";

export interface YamlIssue {
  /** 1-based position in the YAML text. */
  line: number;
  column: number;
  /** The argument path, e.g. `plans[1].charges[0].graduatedRanges[2].fromValue` (empty for the whole file). */
  path: string;
  /** What is wrong and how to fix it; reads after the path. */
  message: string;
}

export interface YamlParseOptions {
  /**
   * Keys holding prices. YAML reads an unquoted `0.012` as a binary float; for these keys the number is replaced
   * by the digits as written, so a price is never rounded and keeps its spelling ("0.010").
   */
  priceKeys?: ReadonlySet<string>;
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

/** Parses and validates YAML text: the schema's output, or every problem found at its line and column. */
export function parseYamlWith<S extends z.ZodType>(text: string, schema: S, options: YamlParseOptions = {}): { data: z.output<S>; issues: [] } | { data: undefined; issues: YamlIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset);

  if (doc.errors.length) {
    const issues = doc.errors.map((e) => {
      const { line, col } = at(e.pos[0]);
      return { line, column: col, path: "", message: `YAML syntax: ${firstLine(e.message)}` };
    });
    return { data: undefined, issues };
  }

  const priceIssues = exactPrices(doc, options.priceKeys ?? new Set()).map(({ node, path, message }) => issueAt(doc, lines, path, message, node));
  const result = schema.safeParse(doc.toJS() ?? {});
  const issues = [...priceIssues, ...(result.success ? [] : result.error.issues.map((i) => fromZod(doc, lines, i)))];
  if (issues.length || !result.success) return { data: undefined, issues: dedupe(issues) };
  return { data: result.data, issues: [] };
}

/** Replaces unquoted price numbers by the decimal they spell; refuses spellings that are not plain decimals. */
function exactPrices(doc: Document, priceKeys: ReadonlySet<string>): Array<{ node: Scalar; path: (string | number)[]; message: string }> {
  const problems: Array<{ node: Scalar; path: (string | number)[]; message: string }> = [];
  visit(doc, {
    Pair(_, pair, ancestry) {
      if (!isScalar(pair.key) || !priceKeys.has(String(pair.key.value)) || !isScalar(pair.value)) return;
      const value = pair.value;
      if (typeof value.value !== "number") return;
      const written = value.source?.trim() ?? String(value.value);
      if (PLAIN_DECIMAL.test(written)) value.value = written;
      else
        problems.push({
          node: value,
          path: pathOf(ancestry, pair),
          message: `is written ${written}, which is not a plain decimal: write the price as a quoted decimal string such as "0.012"`,
        });
    },
  });
  return problems;
}

/** The argument path of a pair from the nodes above it. */
function pathOf(ancestry: readonly unknown[], pair: { key: unknown }): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestry, pair];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
    else if (isPair(child) && isScalar(child.key)) path.push(String(child.key.value));
  }
  return path;
}

function fromZod(doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): YamlIssue {
  const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
  // An unknown key is shown where it is written, not at the start of its object.
  if (issue.code !== "unrecognized_keys") return issueAt(doc, lines, path, issue.message);
  // zod's own wording ("Unrecognized key") is replaced; kinds that word it themselves keep theirs.
  const message = /^unrecognized key/i.test(issue.message)
    ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "are not arguments" : "is not an argument"} here: check the spelling (arguments are camelCase, as in the resource)`
    : issue.message;
  return issueAt(doc, lines, path, message, keyNode(doc, path, issue.keys[0]!));
}

function issueAt(doc: Document, lines: LineCounter, path: (string | number)[], message: string, node?: Node): YamlIssue {
  const target = node ?? nearestNode(doc, path);
  const pos = lines.linePos(target?.range?.[0] ?? 0);
  return { line: pos.line, column: pos.col, path: formatPath(path), message: sentence(path, message) };
}

/**
 * The node at `path`, or the closest one above it when the path leads to a missing key: a missing argument is
 * reported at the object that lacks it. A key written with no value (`toValue:`) is reported at the key.
 */
function nearestNode(doc: Document, path: (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      node = pair.value;
      found = (pair.value ?? pair.key) as Node;
    } else if (isSeq(node) && typeof key === "number" && node.items[key]) {
      node = node.items[key];
      found = node as Node;
    } else break;
  }
  return found;
}

function keyNode(doc: Document, path: (string | number)[], key: string): Node | undefined {
  const parent = nearestNode(doc, path);
  if (!isMap(parent)) return undefined;
  return parent.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node | undefined;
}

/**
 * "<path> <message>". Kind schemas word some messages from their own root ("filters[0].key …",
 * "name is required"); the part of the path they already spell is not repeated.
 */
function sentence(path: (string | number)[], message: string): string {
  if (!path.length) return message;
  for (let start = 0; start < path.length; start++) {
    const tail = formatPath(path.slice(start));
    if (typeof path[start] === "string" && (message.startsWith(tail + " ") || message.startsWith(tail + ":"))) {
      const head = formatPath(path.slice(0, start));
      return head ? `${head}.${message}` : message;
    }
  }
  return `${formatPath(path)} ${/^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message}`;
}

function dedupe(issues: YamlIssue[]): YamlIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.line}:${i.column}:${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

const firstLine = (text: string) => text.split("\n")[0]!.trim();

/** One block per problem: `file:line:col: message`, then the line with a caret under the column. */
export function formatYamlIssues(source: string, issues: readonly YamlIssue[], text: string, what: string): string {
  const lines = text.split(/\r?\n/);
  const blocks = issues.map((issue) => {
    const code = lines[issue.line - 1] ?? "";
    const gutter = String(issue.line).length;
    return [
      `${source}:${issue.line}:${issue.column}: ${issue.message}`,
      `  ${issue.line} | ${code}`,
      `  ${" ".repeat(gutter)} | ${" ".repeat(Math.max(0, issue.column - 1))}^`,
    ].join("\n");
  });
  return `${source}: ${issues.length} problem${issues.length === 1 ? "" : "s"} in the ${what}\n${blocks.join("\n")}`;
}

/** A YAML file that failed its schema: every issue, each at its line and column, in one message. */
export class YamlFileError extends Error {
  constructor(
    /** The file name used in messages. */
    readonly source: string,
    readonly issues: YamlIssue[],
    text: string,
    /** What the file is, for the message ("pricing catalog"). */
    what: string,
  ) {
    super(formatYamlIssues(source, issues, text, what));
  }
}
