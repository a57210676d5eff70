// List invariants: limit bounds a page, marker paging visits every item once in order, a full page
// links to the next one, sort orders, filters select.
import { fieldValue } from '../util/pointer.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

export const pageWithinLimit = defineCheck<{ count: number; limit: number }>({
  id: 'list.limit',
  summary: 'A page holds at most limit items.',
  judge({ count, limit }) {
    return count <= limit ? [] : [{ title: 'a page holds more items than limit', expected: `at most ${limit}`, actual: String(count) }];
  },
});

export const pagesCoverList = defineCheck<{ pages: string[][]; full: string[]; ours: string[] }>({
  id: 'list.pages',
  summary: 'Marker paging visits each of the suite\'s items exactly once, in the order of the unpaged list.',
  judge({ pages, full, ours }) {
    // Only the suite's own items are judged: others may come and go on a shared target.
    const paged = pages.flat();
    const failures: Failure[] = [];
    for (const id of ours) {
      const n = paged.filter((x) => x === id).length;
      if (n === 0) failures.push({ title: 'paging skipped an item', expected: `${id} on some page`, actual: 'on no page' });
      if (n > 1) failures.push({ title: 'paging repeated an item', expected: `${id} once`, actual: `${n} times` });
    }
    const order = (list: string[]) => list.filter((id) => ours.includes(id));
    const a = [...new Set(order(paged))];
    const b = order(full);
    if (failures.length === 0 && a.join() !== b.join()) {
      failures.push({ title: 'paging changed the order', expected: b.join(', '), actual: a.join(', ') });
    }
    return failures;
  },
});

export interface LinkInput {
  links: unknown;
  /** A next link is due: the page held limit items (and, where the profile says so, more follow). */
  full: boolean;
  lastId: string | undefined;
  /** The URL of the request that produced the page. */
  requestUrl: string;
}

export const nextLink = defineCheck<LinkInput>({
  id: 'list.next-link',
  summary: 'A full page carries a rel=next link on the same endpoint that continues after its last item.',
  judge({ links, full, lastId, requestUrl }) {
    if (!full || !lastId) return notApplicable('the page was not full');
    const next = Array.isArray(links) ? links.find((l) => l && typeof l === 'object' && (l as any).rel === 'next') : undefined;
    if (!next) return [{ title: 'a full page has no next link', expected: 'a link with rel "next"', actual: show(links) }];
    let href: URL;
    try {
      href = new URL(String((next as any).href));
    } catch {
      return [{ title: 'the next link is not an absolute URL', expected: 'an absolute URL', actual: show((next as any).href) }];
    }
    const request = new URL(requestUrl);
    const failures: Failure[] = [];
    if (href.origin !== request.origin) {
      failures.push({ title: 'the next link leaves the endpoint', expected: request.origin, actual: href.origin });
    }
    if (href.pathname !== request.pathname) {
      failures.push({ title: 'the next link points at another list', expected: request.pathname, actual: href.pathname });
    }
    if (href.searchParams.get('marker') !== lastId) {
      failures.push({ title: 'the next link does not continue after the last item', expected: `marker=${lastId}`, actual: href.search || 'no query' });
    }
    return failures;
  },
});

export interface NextUrlInput {
  /** The next page's URL the page gives, if any. */
  href: string | undefined;
  /** A next page is due: the page was full (and, where the profile says so, more items follow). */
  due: boolean;
  /** The URL of the request that produced the page. */
  requestUrl: string;
  /** The parameter the next page's URL must carry, with its value (page=3). */
  continues?: { param: string; value: string };
  /** The next page is named by a token, not a URL: only whether it is there is judged. */
  token?: boolean;
}

export const nextUrl = defineCheck<NextUrlInput>({
  id: 'list.next-url',
  summary: "A page that has a next one names the next page's URL, on the same endpoint and list; the last page names none.",
  judge({ href, due, requestUrl, continues, token }) {
    if (!due) return href === undefined ? [] : [{ title: 'the last page names a next page', expected: 'no next page', actual: show(href) }];
    if (href === undefined) return [{ title: 'a page with more after it names no next page', expected: token ? "the next page's token" : "the next page's URL", actual: 'none' }];
    if (token) return [];
    const request = new URL(requestUrl);
    let url: URL;
    try {
      url = new URL(href, request);
    } catch {
      return [{ title: 'the next page is not a URL', expected: 'a URL', actual: show(href) }];
    }
    const failures: Failure[] = [];
    if (url.origin !== request.origin) failures.push({ title: 'the next page leaves the endpoint', expected: request.origin, actual: url.origin });
    if (url.pathname !== request.pathname) failures.push({ title: 'the next page is of another list', expected: request.pathname, actual: url.pathname });
    if (continues && url.searchParams.get(continues.param) !== continues.value) {
      failures.push({ title: 'the next page does not follow this one', expected: `${continues.param}=${continues.value}`, actual: url.search || 'no query' });
    }
    return failures;
  },
});

export const totalMatches = defineCheck<{ total: unknown; all: number; page: number }>({
  id: 'list.total',
  summary: 'A paged list says how many items the whole list holds, not how many its page holds.',
  judge({ total, all, page }) {
    if (total === all) return [];
    if (total === undefined) return [{ title: 'the list does not say how many items it holds in all', expected: String(all), actual: 'nothing' }];
    return [{ title: total === page && page !== all ? 'the total counts the page only' : 'the total differs from the items of all the pages', expected: String(all), actual: show(total) }];
  },
});

export const samePage = defineCheck<{ expected: string[]; got: string[] }>({
  id: 'list.link-page',
  summary: 'Following the next link gives the same page as asking with the marker.',
  judge({ expected, got }) {
    if (expected.join() === got.join()) return [];
    return [{ title: 'the next link gives another page than the marker', expected: expected.join(', ') || 'an empty page', actual: got.join(', ') || 'an empty page' }];
  },
});

export const sortedBy = defineCheck<{ values: string[]; dir: 'asc' | 'desc'; field: string }>({
  id: 'list.sorted',
  summary: 'The list is ordered by the sort key in the sort direction.',
  judge({ values, dir, field }) {
    for (let i = 1; i < values.length; i++) {
      const [a, b] = [values[i - 1]!, values[i]!];
      if (dir === 'asc' ? a > b : a < b) {
        return [{ title: `not sorted by ${field} ${dir}`, expected: `${field} ${dir === 'asc' ? 'ascending' : 'descending'}`, actual: `${show(a)} before ${show(b)}` }];
      }
    }
    return [];
  },
});

export interface FilterInput {
  items: Array<Record<string, unknown>>;
  field: string;
  value: string;
  /** The suite's items that match: each must be there. */
  mustInclude: string[];
  /** The suite's items that do not match, where the items do not carry the field: none may be there. */
  mustExclude?: string[];
  /** The items carry the field filtered on (false: the filter is on something else, the parent's zone). */
  onItems?: boolean;
  idField: string;
}

export const filterSelects = defineCheck<FilterInput>({
  id: 'list.filter',
  summary: 'A filtered list holds every matching item of the suite\'s and nothing that does not match.',
  judge({ items, field, value, mustInclude, mustExclude = [], onItems = true, idField }) {
    const failures: Failure[] = [];
    const wrong = onItems ? items.filter((i) => fieldValue(i, field) !== value) : [];
    if (wrong.length) {
      failures.push({ title: `filter ${field} let other items through`, expected: `${field} = ${show(value)}`, actual: `${wrong.length} item(s) with ${show(fieldValue(wrong[0], field))}` });
    }
    const ids = items.map((i) => i[idField]);
    const missing = mustInclude.filter((id) => !ids.includes(id));
    if (missing.length) failures.push({ title: `filter ${field} left out a matching item`, expected: missing.join(', '), actual: 'absent' });
    const through = mustExclude.filter((id) => ids.includes(id));
    if (through.length) failures.push({ title: `filter ${field} let other items through`, expected: `none of ${through.join(', ')} (${field} is not ${show(value)})`, actual: 'present' });
    return failures;
  },
});

export const countMatches = defineCheck<{ count: unknown; items: number }>({
  id: 'list.count',
  summary: 'A list that says how many items it holds says the number it holds.',
  judge({ count, items }) {
    if (count === items) return [];
    return [{ title: count === undefined ? 'the list does not say how many items it holds' : 'the list count differs from its items', expected: String(items), actual: show(count) }];
  },
});

export const offsetWindow = defineCheck<{ full: string[]; page: string[]; offset: number }>({
  id: 'list.offset',
  summary: 'offset=N starts the page at the N+1th item of the unpaged list.',
  judge({ full, page, offset }) {
    const expected = full.slice(offset, offset + page.length);
    if (page.length > 0 && page.join() === expected.join()) return [];
    return [{ title: 'offset does not skip that many items', expected: expected.join(', ') || `items from position ${offset + 1}`, actual: page.join(', ') || 'an empty page' }];
  },
});
