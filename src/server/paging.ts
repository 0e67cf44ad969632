import { OtaError } from '../core/errors';

/** Lists longer than the fleet a person reads at once are paged: no answer grows with the fleet. */
export const defaultPageSize = 1000;
export const maxPageSize = 5000;

export interface Page {
  limit: number;
  offset: number;
}

/** `?limit=N&offset=M` of a list request; 400 naming the parameter when it is not a count. */
export function pageOf(query: URLSearchParams): Page {
  const count = (name: string, fallback: number, max: number): number => {
    const text = query.get(name);
    if (text === null || text === '') return fallback;
    if (!/^\d{1,9}$/.test(text)) throw new OtaError(`?${name}= must be a whole number, not ${JSON.stringify(text.slice(0, 20))}`, { code: 'bad-request' });
    return Math.min(Number(text), max);
  };
  return { limit: count('limit', defaultPageSize, maxPageSize), offset: count('offset', 0, Number.MAX_SAFE_INTEGER) };
}

/** The page of `items` (any iterable: a Map's values are not copied whole). */
export function slicePage<T>(items: Iterable<T>, page: Page): T[] {
  const out: T[] = [];
  let i = 0;
  for (const item of items) {
    if (i++ < page.offset) continue;
    if (out.length >= page.limit) break;
    out.push(item);
  }
  return out;
}
