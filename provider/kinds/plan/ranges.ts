// Lago's range-bound rules for tiered charges (lago-api.md §3.4), as a pure function over the
// ranges in the order written. Graduated (and graduated_percentage) ranges may share a bound or
// start one above it; volume ranges must start one or two above the previous bound.
import Decimal from "decimal.js";

export type RangeStyle = "graduated" | "volume";

export interface RangeBound {
  fromValue: number;
  toValue: number | null;
}

export interface RangeProblem {
  /** Index of the offending range. */
  index: number;
  field: "fromValue" | "toValue";
  /** Completes "<path> ...": what is wrong and how to fix it. */
  message: string;
}

const text = (d: Decimal) => d.toFixed();

export function rangeBoundProblems(ranges: readonly RangeBound[], style: RangeStyle): RangeProblem[] {
  const problems: RangeProblem[] = [];
  ranges.forEach((range, index) => {
    const from = new Decimal(range.fromValue);
    const last = index === ranges.length - 1;
    const prevTo = index > 0 ? ranges[index - 1]!.toValue : undefined;

    if (index === 0) {
      if (!from.eq(0) && !from.eq(1)) problems.push({ index, field: "fromValue", message: "must be 0 or 1 (the first range starts at 0 or 1)" });
    } else if (prevTo !== null && prevTo !== undefined) {
      // Lago's expected start: the previous bound (graduated) or one above it (volume); +1 is also allowed.
      const expected = style === "graduated" ? new Decimal(prevTo) : new Decimal(prevTo).plus(1);
      if (!from.eq(expected) && !from.eq(expected.plus(1))) {
        const why = style === "volume" ? `previous toValue is ${prevTo}; volume ranges cannot share a bound` : `previous toValue is ${prevTo}`;
        problems.push({ index, field: "fromValue", message: `must be ${text(expected)} or ${text(expected.plus(1))} (${why})` });
      }
    }

    if (last) {
      if (range.toValue !== null)
        problems.push({ index, field: "toValue", message: "the last range cannot be capped: set toValue to null; a hard cap is the product's job" });
    } else if (range.toValue === null) {
      problems.push({ index, field: "toValue", message: "must be set: only the last range is open-ended (toValue null)" });
    } else if (!new Decimal(range.toValue).gt(from)) {
      problems.push({ index, field: "toValue", message: `must be greater than fromValue (${range.fromValue})` });
    }
  });
  return problems;
}
