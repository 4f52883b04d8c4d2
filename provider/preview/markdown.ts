// The report as a pull-request comment: the hidden marker first (so a workflow updates one sticky comment),
// destructive steps next and in bold, then the steps, each changed plan's price lines and bill impact, and the
// customers. It never exceeds MAX_MARKDOWN_CHARS (GitHub refuses comments over 65,536): long tables fold into
// <details>, and when that is not enough every list is cut shorter, pointing at the JSON report for the rest.
import { formatCents, formatDeltaCents, formatPercent, formatUnits } from "./format";
import type { PreviewReport, StepReport } from "./report";

export const MAX_MARKDOWN_CHARS = 60_000;
/** Tables longer than this fold into <details>. */
export const COLLAPSE_ROWS = 10;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

interface Limits {
  /** Rows kept per list; the rest is counted. */
  rows: number;
}

function cut<T>(items: readonly T[], limits: Limits): { kept: readonly T[]; more: number } {
  return items.length > limits.rows ? { kept: items.slice(0, limits.rows), more: items.length - limits.rows } : { kept: items, more: 0 };
}

const moreLine = (more: number, what: string) => (more ? `\n_… and ${more} more ${what} in the JSON report._` : "");

function table(header: string[], rows: string[][], summary: string): string {
  const align = header.map((h) => (h.startsWith(">") ? "---:" : "---"));
  const lines = [
    `| ${header.map((h) => h.replace(/^>/, "")).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
  if (rows.length <= COLLAPSE_ROWS) return lines;
  return `<details><summary>${summary}</summary>\n\n${lines}\n\n</details>`;
}

const bold = (text: string, on: boolean) => (on && text ? `**${text}**` : text);

function stepRow(step: StepReport): string[] {
  const b = (t: string) => bold(t, step.destructive);
  return [b(step.op), b(step.kind), b(step.key ? code(step.key) : "—"), step.name, step.changed.join(", ") || "—"];
}

function destructiveSection(report: PreviewReport, limits: Limits): string {
  if (!report.destructive.length) return "";
  const { kept, more } = cut(report.destructive, limits);
  const lines = kept.map((s) => `- **${s.op} ${s.kind} ${s.key ? code(s.key) : ""} (${s.name})${s.consequence ? `: ${s.consequence}` : ""}**`);
  return `### ⚠️ Destructive changes (${report.destructive.length})\n\n${lines.join("\n")}${moreLine(more, "destructive steps")}`;
}

function stepsSection(report: PreviewReport, limits: Limits): string {
  if (!report.steps.length) return "### Lago changes\n\nNo Lago resource changes.";
  const { kept, more } = cut(report.steps, limits);
  const counts = Object.entries(report.summary.changes).map(([op, n]) => `${n} ${op}`).join(", ");
  return `### Lago changes (${counts})\n\n${table(["Step", "Kind", "Lago key", "Resource", "Changed"], kept.map(stepRow), `${report.steps.length} steps`)}${moreLine(more, "steps")}`;
}

const money = (cents: number | null, currency: string) => (cents === null ? "—" : formatCents(cents, currency));
const change = (delta: number | null, percent: string | null, currency: string) => (delta === null ? "—" : `${formatDeltaCents(delta, currency)} (${formatPercent(percent)})`);

function plansSection(report: PreviewReport, limits: Limits): string {
  const { kept, more } = cut(report.plans, limits);
  return kept
    .map((plan) => {
      const lines = cut(plan.changes, limits);
      const priceLines = lines.kept.length ? lines.kept.map((c) => `- ${c.text}`).join("\n") + moreLine(lines.more, "price changes") : "- No price changes.";
      const levels = cut(plan.impact, limits);
      const rows = levels.kept.map((l) => [formatUnits(l.units), money(l.beforeCents, plan.currency), money(l.afterCents, plan.currency), change(l.deltaCents, l.percent, plan.currency)]);
      const impact = table([">Units per charge", ">Before", ">After", ">Change"], rows, `Bill at ${plan.impact.length} usage levels`);
      return `### ${plan.name} (${code(plan.code)}) · ${plan.op}\n\n${priceLines}\n\n**Bill at sample usage** (${plan.interval}, plan fee included)\n\n${impact}${moreLine(levels.more, "levels")}`;
    })
    .concat(more ? [`_… and ${more} more changed plans in the JSON report._`] : [])
    .join("\n\n");
}

function customersSection(report: PreviewReport, limits: Limits): string {
  const customers = report.customers;
  if (!customers) return "";
  const revenue = customers.revenue.map(
    (r) =>
      `**Monthly revenue (${r.currency}, ${r.subscriptions} subscription${r.subscriptions === 1 ? "" : "s"}): ${formatCents(r.beforeCents, r.currency)} → ${formatCents(r.afterCents, r.currency)}, ${change(r.deltaCents, r.percent, r.currency)}**`,
  );
  if (!customers.subscriptions.length) revenue.push("No active subscription on a changed plan.");
  const { kept, more } = cut(customers.subscriptions, limits);
  const rows = kept.map((s) => [
    code(s.customer),
    code(s.subscription),
    code(s.planCode),
    s.usage.map((u) => `${u.charge}: ${formatUnits(u.units)}`).join(", ") || "—",
    formatCents(s.beforeCents, s.currency),
    formatCents(s.afterCents, s.currency),
    change(s.deltaCents, s.percent, s.currency),
  ]);
  const subs = rows.length ? `\n\n${table(["Customer", "Subscription", "Plan", "Usage this period", ">Before", ">After", ">Change"], rows, `${customers.subscriptions.length} subscriptions`)}${moreLine(more, "subscriptions")}` : "";
  const overridden = customers.overridden.length ? `\n\nNot re-priced (own prices): ${customers.overridden.map((o) => code(o.subscription)).join(", ")}` : "";
  return `### Customers on changed plans\n\n${revenue.join("\n\n")}${subs}${overridden}`;
}

function render(report: PreviewReport, limits: Limits): string {
  const heading = `## Pricing preview for stack ${code(report.stack)}`;
  const headline = report.destructive.length
    ? report.destructive.length === 1
      ? "**1 destructive step: read it first.**"
      : `**${report.destructive.length} destructive steps: read them first.**`
    : report.steps.length
      ? `${report.plans.length} plan${report.plans.length === 1 ? "" : "s"} with price changes.`
      : "Nothing changes in Lago.";
  const notes = report.notes.length ? report.notes.map((n) => `_${n}_`).join("\n\n") : "";
  return [report.marker, heading, headline, destructiveSection(report, limits), stepsSection(report, limits), plansSection(report, limits), customersSection(report, limits), notes]
    .filter((part) => part !== "")
    .join("\n\n")
    .concat("\n");
}

/** The comment text: at most MAX_MARKDOWN_CHARS, the marker always on the first line. */
export function renderMarkdown(report: PreviewReport, maxChars = MAX_MARKDOWN_CHARS): string {
  for (const rows of [Infinity, 200, 50, 20, 5, 1]) {
    const text = render(report, { rows });
    if (text.length <= maxChars) return text;
  }
  const notice = "\n\n_The preview is too long for a comment: the rest is in the JSON report._\n";
  return render(report, { rows: 1 }).slice(0, maxChars - notice.length) + notice;
}
