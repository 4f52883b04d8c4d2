// A comparison as people and machines read it: plain lines for a terminal, markdown for a CI job's summary or an
// issue, JSON for anything else. Every line reads from a to b.
import { MAX_MARKDOWN_CHARS } from "../preview/markdown";
import type { Comparison } from "./compare";

/** One sentence: how many differences of each sort, or that the two are the same. */
export function summaryLine(c: Comparison): string {
  const s = c.summary;
  if (!s.differ) return `a and b are the same (${c.sections.join(", ")} compared).`;
  const parts = [
    s.prices && `${s.prices} price line(s)`,
    s.onlyInA && `${s.onlyInA} object(s) only in a`,
    s.onlyInB && `${s.onlyInB} object(s) only in b`,
    s.fields && `${s.fields} other field(s)`,
  ].filter(Boolean);
  return `a and b differ: ${parts.join(", ")}.`;
}

/** The comparison for a terminal. */
export function renderText(c: Comparison): string {
  const out = [`Comparing a: ${c.a}`, `     with b: ${c.b}`, ""];
  if (c.prices.length) out.push("Prices (a → b):", ...c.prices.map((p) => `  ${p.text}`), "");
  if (c.onlyOnOneSide.length) out.push("Only on one side:", ...c.onlyOnOneSide.map((o) => `  ${o.text}`), "");
  if (c.fields.length) out.push("Other fields (a → b):", ...c.fields.map((f) => `  ${f.text}`), "");
  if (c.notes.length) out.push("Notes:", ...c.notes.map((n) => `  ${n}`), "");
  out.push(summaryLine(c));
  return `${out.join("\n")}\n`;
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The comparison as markdown, never longer than a GitHub comment takes: long lists are cut, the JSON has all. */
export function renderMarkdown(c: Comparison): string {
  for (const rows of [Infinity, 500, 100, 20]) {
    const text = markdownWith(c, rows);
    if (text.length <= MAX_MARKDOWN_CHARS) return text;
  }
  return markdownWith(c, 5);
}

function markdownWith(c: Comparison, rows: number): string {
  const list = <T>(items: readonly T[], line: (item: T) => string, what: string) => {
    const kept = items.slice(0, rows).map(line);
    if (items.length > rows) kept.push(`\n_… and ${items.length - rows} more ${what} in the JSON report._`);
    return kept.join("\n");
  };
  const parts = [`## Lago compared: a → b`, "", `- **a**: ${c.a}`, `- **b**: ${c.b}`, "", `**${summaryLine(c)}**`];
  if (c.prices.length) parts.push("", `### Prices (${c.prices.length})`, "", list(c.prices, (p) => `- ${p.text}`, "price lines"));
  if (c.onlyOnOneSide.length)
    parts.push(
      "",
      `### Only on one side (${c.onlyOnOneSide.length})`,
      "",
      "| Only in | Kind | Key | Name |",
      "| --- | --- | --- | --- |",
      list(c.onlyOnOneSide, (o) => `| ${o.side} | ${o.kind} | ${code(o.key)} | ${cell(o.name ?? "—")} |`, "objects"),
    );
  if (c.fields.length)
    parts.push("", `### Other fields (${c.fields.length})`, "", list(c.fields, (f) => `- ${f.kind} ${code(f.key)} · ${code(f.path)}: ${f.a} → ${f.b}`, "fields"));
  if (c.notes.length) parts.push("", "### Notes", "", list(c.notes, (n) => `- ${n}`, "notes"));
  return `${parts.join("\n")}\n`;
}

/** The whole comparison as JSON (stable key order as built). */
export function renderJson(c: Comparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
