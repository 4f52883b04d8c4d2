// Billing periods (lago-api.md §5.7, §11) as pure date math. Periods are whole local days in the
// customer's timezone: calendar billing follows the calendar (weeks start on Monday), anniversary
// billing repeats from the subscription date, clamped to short months.

export type Interval = "weekly" | "monthly" | "quarterly" | "semiannual" | "yearly";
export type BillingTime = "calendar" | "anniversary";

/** A local calendar date (month 1–12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A period of whole local days, both ends included. */
export interface DatePeriod {
  first: LocalDate;
  last: LocalDate;
}

const MONTHS_PER_INTERVAL: Record<Exclude<Interval, "weekly">, number> = { monthly: 1, quarterly: 3, semiannual: 6, yearly: 12 };

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const toUtcDay = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day);
const fromUtcDay = (ms: number): LocalDate => {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const DAY_MS = 86_400_000;

export const addDays = (d: LocalDate, days: number): LocalDate => fromUtcDay(toUtcDay(d) + days * DAY_MS);
export const compareDates = (a: LocalDate, b: LocalDate): number => toUtcDay(a) - toUtcDay(b);
export const formatDate = (d: LocalDate): string => new Date(toUtcDay(d)).toISOString().slice(0, 10);

/** The date `months` after `anchor`'s month, on the anchor's day clamped to that month's length. */
function monthsAfter(anchor: LocalDate, months: number): LocalDate {
  const index = anchor.year * 12 + (anchor.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(anchor.day, daysInMonth(year, month)) };
}

/** The period of `interval` that contains `day`, anchored on `anchor` for anniversary billing. */
export function periodContaining(interval: Interval, billingTime: BillingTime, anchor: LocalDate, day: LocalDate): DatePeriod {
  if (interval === "weekly") {
    // Calendar weeks start on Monday; anniversary weeks on the subscription's weekday.
    const startWeekday = billingTime === "calendar" ? 1 : new Date(toUtcDay(anchor)).getUTCDay();
    const back = (new Date(toUtcDay(day)).getUTCDay() - startWeekday + 7) % 7;
    const first = addDays(day, -back);
    return { first, last: addDays(first, 6) };
  }
  const step = MONTHS_PER_INTERVAL[interval];
  // Calendar periods are anniversary periods anchored on 1 January.
  const origin = billingTime === "calendar" ? { year: day.year, month: 1, day: 1 } : anchor;
  const monthsSinceOrigin = day.year * 12 + day.month - (origin.year * 12 + origin.month);
  let k = Math.floor(monthsSinceOrigin / step);
  let first = monthsAfter(origin, k * step);
  if (compareDates(first, day) > 0) first = monthsAfter(origin, --k * step);
  const last = addDays(monthsAfter(origin, (k + 1) * step), -1);
  return { first, last };
}

// Timezone conversions through Intl, so periods follow the customer's local midnight.
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timezone: string, at: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The local calendar date of an instant in a timezone. */
export function localDate(at: Date, timezone: string): LocalDate {
  if (timezone === "UTC") return fromUtcDay(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const { year, month, day } = partsIn(timezone, at);
  return { year, month, day };
}

/** The instant at a local wall-clock time in a timezone. */
export function zonedInstant(d: LocalDate, timezone: string, hour = 0, minute = 0, second = 0): Date {
  const wallClock = Date.UTC(d.year, d.month - 1, d.day, hour, minute, second);
  if (timezone === "UTC") return new Date(wallClock);
  let guess = wallClock;
  for (let i = 0; i < 3; i++) {
    const p = partsIn(timezone, new Date(guess));
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
    const next = wallClock - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

export interface BillingPeriod {
  /** First instant of the period (local midnight), not before the subscription started. */
  from: Date;
  /** Last second of the period (local 23:59:59), not after a termination. */
  to: Date;
  /** The local date the period ends on. */
  lastDay: LocalDate;
}

export interface PeriodSubject {
  interval: Interval;
  billingTime: BillingTime;
  timezone: string;
  /** The subscription date: the anniversary anchor. */
  subscriptionAt: Date;
  startedAt: Date;
  terminatedAt: Date | null;
}

/** The billing period containing `at`, clipped to the subscription's life like Lago's charges period. */
export function billingPeriodAt(subject: PeriodSubject, at: Date): BillingPeriod {
  const anchor = localDate(subject.subscriptionAt, subject.timezone);
  const period = periodContaining(subject.interval, subject.billingTime, anchor, localDate(at, subject.timezone));
  let from = zonedInstant(period.first, subject.timezone);
  let to = zonedInstant(period.last, subject.timezone, 23, 59, 59);
  if (from < subject.startedAt) from = subject.startedAt;
  if (subject.terminatedAt && subject.terminatedAt <= to) to = subject.terminatedAt;
  if (to < subject.startedAt) to = subject.startedAt;
  return { from, to, lastDay: period.last };
}
