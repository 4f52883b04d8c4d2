// Walks Lago's paginated lists (lago-api.md §1.7) to the end.

export interface PageMeta {
  next_page?: number | null;
}

export async function listAll<T>(fetchPage: (page: number) => Promise<{ items: T[]; meta: PageMeta }>): Promise<T[]> {
  const all: T[] = [];
  for (let page: number | null = 1; page !== null; ) {
    const { items, meta } = await fetchPage(page);
    all.push(...items);
    page = meta.next_page && meta.next_page > page ? meta.next_page : null;
  }
  return all;
}
