// The pricing policy's rules as one pure function: plans, bills and deletions in, violations out. A Pulumi policy
// pack could wrap it later; the preview calls it directly (see provider/preview/report.ts).
import Decimal from "decimal.js";
import { currencyDecimals, currencySubunits, dec, type WireCharge } from "../pricing";
import type { Policy } from "./schema";

export interface PolicyPlan {
  code: string;
  name: string;
  currency: string;
  trialPeriodDays: number;
  charges: ReadonlyArray<{ label: string; wire: WireCharge }>;
}

/** A bill before and after the change: one customer's period, or a plan at one sample level. */
export interface PolicyBill {
  per: "customer" | "level";
  /** `customer acme (acme-main)`, `Plan team · Monthly Tracked Users at 25,000 units`. */
  object: string;
  currency: string;
  beforeCents: number;
  afterCents: number;
}

export interface PolicyDeletion {
  code: string;
  op: "delete" | "replace";
  /** Customers with a subscription on the plan; null: Lago was not read. */
  subscribers: readonly string[] | null;
}

export interface PolicyInput {
  /** Every plan the stack will hold (the new side), changed or not. */
  plans: readonly PolicyPlan[];
  bills: readonly PolicyBill[];
  deletions: readonly PolicyDeletion[];
}

export type PolicyRule = keyof Policy;

export interface PolicyViolation {
  rule: PolicyRule;
  object: string;
  /** The violation in a sentence, with its numbers. */
  text: string;
  /** The numbers compared, as text (`limit`, `actual` …). */
  numbers: Record<string, string>;
}

const money = (cents: number | Decimal, currency: string) => `${new Decimal(cents).dividedBy(currencySubunits(currency)).toFixed(currencyDecimals(currency))} ${currency}`;

function maxIncrease(policy: NonNullable<Policy["maxIncrease"]>, bills: readonly PolicyBill[]): PolicyViolation[] {
  const per = new Set(policy.per ?? ["customer", "level"]);
  const out: PolicyViolation[] = [];
  for (const bill of bills) {
    if (!per.has(bill.per)) continue;
    const rise = bill.afterCents - bill.beforeCents;
    if (rise <= 0) continue;
    const percent = bill.beforeCents > 0 ? new Decimal(rise).times(100).dividedBy(bill.beforeCents) : null;
    const overPercent = policy.percent !== undefined && (percent === null || percent.gt(policy.percent));
    const overAmount = policy.amountCents !== undefined && rise > policy.amountCents;
    if (!overPercent && !overAmount) continue;
    const limits = [policy.percent !== undefined ? `${policy.percent}%` : null, policy.amountCents !== undefined ? money(policy.amountCents, bill.currency) : null].filter(Boolean).join(" or ");
    out.push({
      rule: "maxIncrease",
      object: bill.object,
      text: `rises by ${money(rise, bill.currency)}${percent ? ` (${percent.toFixed(2)}%)` : " (from zero)"}, ${money(bill.beforeCents, bill.currency)} → ${money(bill.afterCents, bill.currency)}; at most ${limits} allowed`,
      numbers: { before: String(bill.beforeCents), after: String(bill.afterCents), rise: String(rise), percent: percent ? percent.toFixed(2) : "new", ...(policy.percent !== undefined ? { limitPercent: String(policy.percent) } : {}), ...(policy.amountCents !== undefined ? { limitCents: String(policy.amountCents) } : {}) },
    });
  }
  return out;
}

type Range = Record<string, unknown>;
const RANGE_KEYS: Readonly<Record<string, string>> = { graduated: "graduated_ranges", volume: "volume_ranges", graduated_percentage: "graduated_percentage_ranges" };

/** Every set of ranges of a charge: its own and each filter's, with a label. */
function rangeSets(charge: { label: string; wire: WireCharge }): Array<{ where: string; ranges: Range[] }> {
  const key = RANGE_KEYS[charge.wire.charge_model];
  if (!key) return [];
  const sets = [{ where: charge.label, properties: charge.wire.properties }, ...(charge.wire.filters ?? []).map((f) => ({ where: `${charge.label} [${JSON.stringify(f.values)}]`, properties: f.properties }))];
  return sets.map((s) => ({ where: s.where, ranges: Array.isArray(s.properties?.[key]) ? (s.properties![key] as Range[]) : [] }));
}

/**
 * Lago accepts a range starting where the previous one ended or one unit later
 * (app/services/validators/range_bounds_validator.rb); mixing the two styles in one charge makes the pricing count
 * a unit twice or skip one (app/services/charge_models/graduated_service.rb), so the policy asks for one style.
 */
function contiguity(plan: PolicyPlan): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const charge of plan.charges)
    for (const { where, ranges } of rangeSets(charge)) {
      const object = `Plan ${plan.code} · ${where}`;
      const problems: string[] = [];
      if (ranges.length && !dec(ranges[0]!.from_value).isZero()) problems.push(`the first range starts at ${dec(ranges[0]!.from_value).toFixed()}, not 0`);
      const styles = new Set<string>();
      ranges.forEach((range, i) => {
        if (i === 0) return;
        const previousTo = ranges[i - 1]!.to_value;
        const from = dec(range.from_value);
        if (previousTo === null || previousTo === undefined) return void problems.push(`range ${i + 1} follows an open range`);
        const to = dec(previousTo);
        if (from.eq(to)) styles.add("adjacent");
        else if (from.eq(to.plus(1))) styles.add("+1");
        else if (from.gt(to.plus(1))) problems.push(`gap: ${to.plus(1).toFixed()}–${from.minus(1).toFixed()} between ranges ${i} and ${i + 1}`);
        else problems.push(`overlap: range ${i + 1} starts at ${from.toFixed()}, before range ${i} ends at ${to.toFixed()}`);
      });
      if (styles.size > 1) problems.push("mixes ranges starting where the previous ends with ranges starting one unit later: a unit is counted twice or skipped");
      const last = ranges.at(-1);
      if (last && last.to_value !== null && last.to_value !== undefined) problems.push(`the last range ends at ${dec(last.to_value).toFixed()} instead of being open`);
      for (const problem of problems) out.push({ rule: "contiguousRanges", object, text: problem, numbers: {} });
    }
  return out;
}

function tierPrices(plan: PolicyPlan, allowed: ReadonlySet<string>): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const charge of plan.charges) {
    if (charge.wire.charge_model !== "graduated" || allowed.has(`${plan.code}/${charge.wire.code}`)) continue;
    for (const { where, ranges } of rangeSets(charge))
      ranges.forEach((range, i) => {
        if (i === 0) return;
        const [before, now] = [dec(ranges[i - 1]!.per_unit_amount), dec(range.per_unit_amount)];
        if (now.gt(before))
          out.push({
            rule: "nonIncreasingTiers",
            object: `Plan ${plan.code} · ${where}`,
            text: `tier ${i + 1} costs ${now.toFixed()} per unit, more than tier ${i}'s ${before.toFixed()}; allow it with nonIncreasingTiers.allow: [${plan.code}/${charge.wire.code}]`,
            numbers: { previous: before.toFixed(), tier: now.toFixed() },
          });
      });
  }
  return out;
}

export function evaluatePolicy(policy: Policy, input: PolicyInput): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  if (policy.maxIncrease) out.push(...maxIncrease(policy.maxIncrease, input.bills));
  for (const plan of input.plans) {
    const object = `Plan ${plan.code}`;
    if (policy.requireTrial?.plans.includes(plan.code)) {
      const minDays = policy.requireTrial.minDays ?? 1;
      if (plan.trialPeriodDays < minDays)
        out.push({ rule: "requireTrial", object, text: `is self-serve and has a ${plan.trialPeriodDays}-day trial; at least ${minDays} day${minDays === 1 ? "" : "s"} required`, numbers: { trialDays: String(plan.trialPeriodDays), minDays: String(minDays) } });
    }
    if (policy.contiguousRanges) out.push(...contiguity(plan));
    if (policy.nonIncreasingTiers) out.push(...tierPrices(plan, new Set(typeof policy.nonIncreasingTiers === "object" ? policy.nonIncreasingTiers.allow : [])));
    if (policy.currencies && !policy.currencies.includes(plan.currency))
      out.push({ rule: "currencies", object, text: `is priced in ${plan.currency}, not one of ${policy.currencies.join(", ")}`, numbers: { currency: plan.currency } });
    if (policy.requireCharges && !plan.charges.length) out.push({ rule: "requireCharges", object, text: "has no charge", numbers: { charges: "0" } });
  }
  if (policy.noDeleteWithSubscribers !== false)
    for (const deletion of input.deletions)
      if (deletion.subscribers?.length)
        out.push({
          rule: "noDeleteWithSubscribers",
          object: `Plan ${deletion.code}`,
          text: `is ${deletion.op === "delete" ? "deleted" : "replaced"} while ${deletion.subscribers.length} customer${deletion.subscribers.length === 1 ? " subscribes" : "s subscribe"} to it (${deletion.subscribers.slice(0, 5).join(", ")})`,
          numbers: { subscribers: String(deletion.subscribers.length) },
        });
  return out;
}
