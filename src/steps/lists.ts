// The list invariants of a profile, judged on a target that holds the suite's own items: count,
// limit, marker paging and its next links (followed, they give the page the marker gives),
// offset, sort, refusal of bad paging, filters. Each part runs only where the profile has it.
import type { Exchange } from '../http/exchange.ts';
import type { Item, ProfileShape } from '../profile/api.ts';
import { refused } from '../checks/refusal.ts';
import { countMatches, filterSelects, nextLink, offsetWindow, pageWithinLimit, pagesCoverList, samePage, sortedBy } from '../checks/lists.ts';
import { getAt } from '../util/pointer.ts';
import type { Judged } from './create-delete.ts';

/** Whether the profile's lists filter by parent, so that pages can hold only one parent's items. */
export const scopedByParent = (shape: ProfileShape) => Boolean(shape.c.lists.filters?.fields.includes(shape.fields.parent));

/** The parts, each to be run as a step of its own. */
export function listParts({ api, judge }: Judged, parentId: string, ours: Item[]): Array<[string, () => Promise<void>]> {
  const c = api.shape.c;
  const r = c.resource;
  const l = c.lists;
  const listOp = api.shape.ops.list;
  const ids = ours.map((o) => String(o.id));
  const itemsOf = (ex: Exchange): Item[] => api.items(ex);
  const idsOf = (ex: Exchange) => itemsOf(ex).map((i) => String(i.id));
  // Only this run's parent where lists filter by it: the pages then hold the suite's items.
  const scope = scopedByParent(api.shape) ? { [r.fields.parent]: parentId } : {};
  const list = (query: Record<string, string | number> = {}, negative = false) => api.list({ ...scope, ...query }, { negative });
  const parts: Array<[string, () => Promise<void>]> = [];

  parts.push([
    'the unpaged list',
    async () => {
      const full = await list();
      judge.succeeded(listOp, full);
      if (l.count) judge.check(countMatches, l.count.clause, { count: getAt(full.response?.json, `/${l.count.member}`), items: itemsOf(full).length }, [full]);
    },
  ]);

  const limit = l.limit;
  if (limit) {
    parts.push([
      'limit',
      async () => {
        const page = await list({ [limit.param]: 2 });
        judge.check(pageWithinLimit, limit.clause, { count: itemsOf(page).length, limit: 2 }, [page]);
        if (limit.zeroIsEmpty) {
          const zero = await list({ [limit.param]: 0 });
          judge.check(pageWithinLimit, limit.clause, { count: itemsOf(zero).length, limit: 0 }, [zero]);
        }
      },
    ]);
  }

  const marker = l.marker;
  if (limit && marker) {
    parts.push([
      'marker paging and next links',
      async () => {
        const full = idsOf(await list());
        const pages: string[][] = [];
        const evidence: Exchange[] = [];
        let last: string | undefined;
        for (let n = 0; n < 50; n++) {
          const page = await list(last ? { [limit.param]: 2, [marker.param]: last } : { [limit.param]: 2 });
          evidence.push(page);
          const pageIds = idsOf(page);
          pages.push(pageIds);
          if (l.links && l.nextLink) {
            const more = full.indexOf(pageIds.at(-1) ?? '') < full.length - 1;
            const due = pageIds.length === 2 && (l.linkWhen !== 'more' || more);
            judge.check(nextLink, l.nextLink, { links: getAt(page.response?.json, `/${l.links}`), full: due, lastId: pageIds.at(-1), requestUrl: page.request.url }, [page]);
          }
          if (pageIds.length < 2 || page.response?.status !== 200) break;
          last = pageIds.at(-1);
        }
        judge.check(pagesCoverList, marker.clause, { pages, full, ours: ids }, evidence.slice(0, 3));
        // The next link, followed, gives the page the marker gives (paging itself is judged above).
        const first = evidence[0]!;
        const links = getAt(first.response?.json, `/${l.links}`);
        const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((x) => x.rel === 'next') : undefined;
        if (l.nextLink && next?.href && pages[1]) {
          const followed = await api.follow(next.href, listOp.id);
          if (!('offOrigin' in followed)) judge.check(samePage, l.nextLink, { expected: pages[1], got: idsOf(followed) }, [first, followed, evidence[1]!]);
        }
      },
    ]);
  }

  const offset = l.offset;
  if (offset) {
    parts.push([
      'offset',
      async () => {
        const full = idsOf(await list());
        const page = await list({ [offset.param]: 1 });
        judge.check(offsetWindow, offset.clause, { full, page: idsOf(page), offset: 1 }, [page]);
      },
    ]);
  }

  const sort = l.sort;
  if (sort) {
    parts.push([
      'sort',
      async () => {
        for (const dir of ['asc', 'desc'] as const) {
          const page = await list({ [sort.key]: sort.by, [sort.dir]: dir });
          judge.check(sortedBy, sort.clause, { values: itemsOf(page).map((i) => String(i[sort.by])), dir, field: sort.by }, [page]);
        }
        const plain = await list();
        judge.check(sortedBy, sort.clause, { values: itemsOf(plain).map((i) => String(i[sort.by])), dir: sort.defaultDir, field: `${sort.by} (by default)` }, [plain]);
      },
    ]);
  }

  const bad = l.badPaging;
  if (bad && limit) {
    parts.push([
      'bad paging parameters',
      async () => {
        const limits = ['-1', 'abc', ...(limit.max ? [String(limit.max + 1)] : [])];
        for (const value of limits) {
          const ex = await list({ [limit.param]: value }, true);
          judge.check(refused, bad, { exchange: ex, operation: listOp, kind: 'invalid-query' }, [ex]);
        }
        if (marker) {
          const ex = await list({ [marker.param]: '00000000-0000-4000-8000-000000000000' }, true);
          judge.check(refused, bad, { exchange: ex, operation: listOp, kind: marker.unknown ?? 'unknown-resource' }, [ex]);
        }
      },
    ]);
  }

  const filters = l.filters;
  if (filters) {
    parts.push([
      'filters',
      async () => {
        const values: Record<string, { value: string; mustInclude: string[] }> = {};
        if (filters.fields.includes(r.fields.name)) values[r.fields.name] = { value: String(ours[0]![r.fields.name]), mustInclude: [ids[0]!] };
        if (filters.fields.includes(r.fields.status)) values[r.fields.status] = { value: r.states.ready, mustInclude: ids };
        if (filters.fields.includes(r.fields.parent)) values[r.fields.parent] = { value: parentId, mustInclude: ids };
        for (const [field, { value, mustInclude }] of Object.entries(values)) {
          const ex = await api.list({ [field]: value });
          judge.check(filterSelects, filters.clause, { items: itemsOf(ex), field, value, mustInclude, idField: 'id' }, [ex]);
        }
      },
    ]);
  }
  return parts;
}
