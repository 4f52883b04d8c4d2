// Lago's list pagination (lago-api.md §1.7): page/per_page query params and the `meta` block.

export interface PageMeta {
  current_page: number;
  next_page: number | null;
  prev_page: number | null;
  total_pages: number;
  total_count: number;
}

const positiveInt = (raw: string | undefined, fallback: number): number => {
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export function paginate<T>(
  items: readonly T[],
  query: { page?: string; per_page?: string },
): { page: T[]; meta: PageMeta } {
  const perPage = positiveInt(query.per_page, 100);
  const requested = positiveInt(query.page, 1);
  const totalCount = items.length;
  const totalPages = Math.ceil(totalCount / perPage);
  if (totalCount === 0) {
    return {
      page: [],
      meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 },
    };
  }
  const start = (requested - 1) * perPage;
  return {
    page: items.slice(start, start + perPage),
    meta: {
      current_page: requested,
      next_page: requested < totalPages ? requested + 1 : null,
      prev_page: requested > 1 ? requested - 1 : null,
      total_pages: totalPages,
      total_count: totalCount,
    },
  };
}

/** A list answer: one page of `rows`, each serialized, under the collection's root key, with `meta`. */
export function listPage<Root extends string, T>(
  root: Root,
  rows: readonly T[],
  query: { page?: string; per_page?: string },
  serialize: (row: T) => unknown,
): Record<Root, unknown[]> & { meta: PageMeta } {
  const { page, meta } = paginate(rows, query);
  return { [root]: page.map((row) => serialize(row)), meta } as Record<Root, unknown[]> & { meta: PageMeta };
}

/** Newest first, ties by id ascending: Lago's default order for most collections. */
export const newestFirst = <T extends { created_at: string; id: string }>(a: T, b: T): number =>
  a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
