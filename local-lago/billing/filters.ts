// Which events a charge filter prices (app/services/charge_filters/matching_and_ignored_service.rb and the
// event store's filters_scope). A filter takes the events whose every key has one of its values, minus the
// events of the "children" it must leave to others: a filter whose values overlap on all of its keys and
// that is more specific (more keys), a strict subset of it, or identical and older. Children that only partly
// overlap keep just their values outside this filter, so the events both share are counted by both. The
// default slice (events matching no filter) has no values, so every filter is its child.
import { propertyText } from "./event-values";
import type { BilledEvent } from "./aggregations";

/** Lago's marker for "every value the metric's filter knows". */
export const ALL_FILTER_VALUES = "__ALL_FILTER_VALUES__";

export type FilterValues = Record<string, string[]>;

export interface SliceScope {
  matching: FilterValues;
  ignored: FilterValues[];
}

/** ChargeFilter#to_h_with_all_values. */
export function withAllValues(values: FilterValues, metricFilters: ReadonlyArray<{ key: string; values: string[] }>): FilterValues {
  const out: FilterValues = {};
  for (const [key, list] of Object.entries(values))
    out[key] = list.length === 1 && list[0] === ALL_FILTER_VALUES ? [...(metricFilters.find((f) => f.key === key)?.values ?? [])] : list.map(String);
  return out;
}

const sameKeys = (a: FilterValues, b: FilterValues) => JSON.stringify(Object.keys(a).sort()) === JSON.stringify(Object.keys(b).sort());

/**
 * The scope of the filter at `index` among `filters` (oldest first), or of the default slice when index is null.
 * `filters` hold their raw values (with the ALL marker), as stored.
 */
export function sliceScope(filters: readonly FilterValues[], index: number | null, metricFilters: ReadonlyArray<{ key: string; values: string[] }>): SliceScope {
  const raw = index === null ? {} : filters[index]!;
  const matching = withAllValues(raw, metricFilters);
  const ignored: FilterValues[] = [];
  filters.forEach((childRaw, childIndex) => {
    if (childIndex === index) return;
    const child = withAllValues(childRaw, metricFilters);
    const overlaps = Object.entries(matching).every(([key, values]) => values.some((v) => (child[key] ?? []).includes(v)));
    if (!overlaps) return;
    const res: FilterValues = { ...child };
    if (sameKeys(res, matching)) {
      const identical = Object.entries(res).every(([key, values]) => JSON.stringify([...values].sort()) === JSON.stringify([...matching[key]!].sort()));
      const subset = Object.entries(res).every(([key, values]) => values.every((v) => matching[key]!.includes(v)));
      if (identical) {
        // only the oldest of identical filters counts the events; the default slice is always the newest
        const childIsOlder = index === null || childIndex < index;
        if (!childIsOlder) return;
      } else if (!subset) {
        for (const [key, values] of Object.entries(res)) {
          const own = raw[key];
          if (own && own.length === 1 && own[0] === ALL_FILTER_VALUES) continue;
          res[key] = values.filter((v) => !matching[key]!.includes(v));
        }
      }
    }
    ignored.push(res);
  });
  return { matching, ignored };
}

/** Does the event fall in the slice? `properties ->> key IN (values)` for every matching key, and no ignored filter's clause. */
export function inScope(event: BilledEvent, scope: SliceScope): boolean {
  for (const [key, values] of Object.entries(scope.matching)) {
    const text = propertyText(event.properties[key]);
    if (text === null || !values.includes(text)) return false;
  }
  for (const ignored of scope.ignored) {
    const clauses = Object.entries(ignored).filter(([, values]) => values.length > 0);
    if (!clauses.length) continue;
    if (clauses.every(([key, values]) => values.includes(propertyText(event.properties[key]) ?? ""))) return false;
  }
  return true;
}
