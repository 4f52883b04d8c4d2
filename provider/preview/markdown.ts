// The report as a pull-request comment: the hidden marker first (so a workflow updates one sticky comment),
// destructive steps next and in bold, then the steps, each changed plan's price lines and bill impact, and the
// customers. It never exceeds MAX_MARKDOWN_CHARS (GitHub refuses comments over 65,536): long tables fold into
// <details>, and when that is not enough every list is cut shorter, pointing at the JSON report for the rest.
import { formatCents, formatDeltaCents, formatPercent, formatUnits } from "./format";
import type { SubscriptionImpact } from "./impact";
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

function attentionSection(report: PreviewReport, limits: Limits): string {
  if (!report.attention.length) return "";
  const { kept, more } = cut(report.attention, limits);
  const lines = kept.map((a) => {
    const who = a.customers.length ? ` Customers: ${a.customers.slice(0, limits.rows).map(code).join(", ")}${a.customers.length > limits.rows ? ` and ${a.customers.length - limits.rows} more` : ""}.` : "";
    return `- **${a.object}**: ${a.text}${who} _(Lago: ${a.lagoSource})_`;
  });
  return `### ⚠️ Needs attention: what Lago does beyond the change (${report.attention.length})\n\n${lines.join("\n")}${moreLine(more, "items")}`;
}

function policySection(report: PreviewReport, limits: Limits): string {
  if (!report.policy) return "";
  const violations = report.policy.violations;
  if (!violations.length) return "### Pricing policy\n\nNo violations.";
  const { kept, more } = cut(violations, limits);
  const rows = kept.map((v) => [code(v.rule), v.object, v.text]);
  return `### ❌ Pricing policy: ${violations.length} violation${violations.length === 1 ? "" : "s"}\n\n${table(["Rule", "Object", "Violation"], rows, `${violations.length} violations`)}${moreLine(more, "violations")}`;
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
      const rows = levels.kept.map((l) => [
        l.chargeLabel ? `${l.chargeLabel}${l.filter ? ` [${l.filter}]` : ""}` : "plan fee only",
        formatUnits(l.units),
        money(l.beforeCents, plan.currency),
        money(l.afterCents, plan.currency),
        change(l.deltaCents, l.percent, plan.currency),
      ]);
      const impact = table(["Charge exercised", ">Units", ">Before", ">After", ">Change"], rows, `Bill at ${plan.impact.length} usage levels`);
      return `### ${plan.name} (${code(plan.code)}) · ${plan.op}\n\n${priceLines}\n\n**Bill at sample usage** (a whole ${plan.interval} period: plan fee, the charge exercised, commitment true-up; before taxes)\n\n${impact}${moreLine(levels.more, "levels")}`;
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
  const invoiced = (i: SubscriptionImpact["invoiceBefore"]) => (i ? `${formatCents(i.totalCents, i.currency)}${i.creditsCents ? ` (${formatCents(i.creditsCents, i.currency)} paid from credits)` : ""}` : "—");
  const rows = kept.map((s) => [
    code(s.customer),
    code(s.subscription),
    code(s.planCode),
    s.usage.map((u) => `${u.charge}: ${formatUnits(u.units)}`).join(", ") || "—",
    formatCents(s.beforeCents, s.currency),
    formatCents(s.afterCents, s.currency),
    change(s.deltaCents, s.percent, s.currency),
    invoiced(s.invoiceBefore),
    invoiced(s.invoiceAfter),
    s.invoiceAfter ? invoiceBreakdown(s.invoiceAfter) : "—",
  ]);
  const header = ["Customer", "Subscription", "Plan", "Usage this period", ">Full period before", ">Full period after", ">Change", ">This period as invoiced, before", ">After", "How Lago invoices it (after)"];
  const subs = rows.length ? `\n\n${table(header, rows, `${customers.subscriptions.length} subscriptions`)}${moreLine(more, "subscriptions")}` : "";
  const overridden = customers.overridden.length ? `\n\nNot re-priced (own prices): ${customers.overridden.map((o) => code(o.subscription)).join(", ")}` : "";
  return `### Customers on changed plans\n\n${revenue.join("\n\n")}${subs}${overridden}`;
}

const BASIS: Readonly<Record<string, string>> = { full: "full fee", trial: "fee 0 (trial)", "trial-then-prorated": "fee after the trial", prorated: "prorated fee" };

/** `prorated fee 2/30 days $8.00 · charges $235.00 · coupon -$10.00 · tax $9.00`. */
function invoiceBreakdown(i: NonNullable<SubscriptionImpact["invoiceAfter"]>): string {
  const m = (cents: number) => formatCents(cents, i.currency);
  const parts = [`${BASIS[i.fee.basis]}${i.fee.days !== null && i.fee.basis !== "trial" ? ` ${i.fee.days}/${i.fee.periodDays} days` : ""} ${m(i.fee.amountCents)} (${i.fee.billed})`, `charges ${m(i.chargesCents)}`];
  if (i.commitmentTrueUpCents) parts.push(`commitment true-up ${m(i.commitmentTrueUpCents)}`);
  if (i.progressiveBilledCents) parts.push(`already invoiced by progressive billing -${m(i.progressiveBilledCents)}`);
  for (const c of i.coupons) parts.push(`coupon ${c.code} -${m(c.amountCents)}`);
  for (const t of i.taxes) parts.push(`tax ${t.code} ${t.rate}% ${m(t.amountCents)}`);
  if (i.creditsCents) parts.push(`paid from credits ${m(i.creditsCents)}, due ${m(i.dueCents)}`);
  return parts.join(" · ");
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
  return [report.marker, heading, headline, destructiveSection(report, limits), attentionSection(report, limits), policySection(report, limits), stepsSection(report, limits), plansSection(report, limits), customersSection(report, limits), notes]
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
