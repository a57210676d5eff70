// The list invariants of a profile, judged on a target that holds the suite's own items: count,
// limit, marker paging and its next links (followed, they give the page the marker gives),
// offset, sort, refusal of bad paging, filters. Each part runs only where the profile has it, for
// the profile's list and for a list of one parent's resources where the vendor documents one.
import { randomUUID } from 'node:crypto';
import type { Exchange } from '../http/exchange.ts';
import type { Operation } from '../profile/load.ts';
import { pathParams, type Item } from '../profile/api.ts';
import type { Query } from '../profile/requests.ts';
import type { ListModel, ProfileModel } from '../profile/model.ts';
import { refused } from '../checks/refusal.ts';
import { countMatches, filterSelects, nextLink, nextUrl, offsetWindow, pageWithinLimit, pagesCoverList, samePage, sortedBy, totalMatches } from '../checks/lists.ts';
import { getAt } from '../util/pointer.ts';
import type { Judged } from './create-delete.ts';
import type { Judges } from '../run/context.ts';

/** Whether the profile's lists filter by parent, so that pages can hold only one parent's items. */
export const scopedByParent = (model: ProfileModel) => Boolean(model.resource.fields.parent && model.lists.filters?.fields.includes(model.resource.fields.parent));

/**
 * The parts, each to be run as a step of its own: of the profile's list, or (`byParent`) of the
 * list of the parent's resources.
 */
export function listParts({ api, judge }: Judged, parentId: string, ours: Item[], byParent = false): Array<[string, () => Promise<void>]> {
  const c = api.model;
  const r = c.resource;
  const lists = byParent ? api.lists.byParent : api.lists.main;
  if (!lists) return [];
  const l: ListModel = lists.model;
  const parentList = l.ofParent;
  const listOp = l.op;
  const path = pathParams(listOp, { parent: parentId });
  const ids = ours.map((o) => String(o.id));
  const itemsOf = (ex: Exchange): Item[] => lists.items(ex);
  const idsOf = (ex: Exchange) => itemsOf(ex).map((i) => api.idOf(i));
  const idField = l.idField;
  // Only this run's parent where lists filter by it: the pages then hold the suite's items.
  const scope = !parentList && scopedByParent(api.model) ? { [r.fields.parent!]: parentId } : {};
  const list = (query: Query = {}, negative = false) => lists.page({ ...scope, ...query }, { parent: parentId, negative });
  const parts: Array<[string, () => Promise<void>]> = [];

  parts.push([
    'the unpaged list',
    async () => {
      const full = await list();
      judge.succeeded(listOp, full);
      if (l.count) judge.check(countMatches, l.count.clause, { count: getAt(full.response?.json, `/${l.count.member}`), items: itemsOf(full).length }, [full]);
      // The parent's list holds all of the parent's resources, and nothing of another parent.
      if (parentList && listOp.clause && r.fields.parent) judge.check(filterSelects, listOp.clause, { items: itemsOf(full), field: r.fields.parent, value: parentId, mustInclude: ids, idField }, [full]);
    },
  ]);

  const limit = l.limit;
  // The documented range of limit: its query parameter's minimum, and the profile's maximum.
  const limitMin = limit ? queryParam(listOp, limit.param)?.schema.minimum : undefined;
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
        // The edges of the range are taken: the smallest limit above zero, and the largest.
        const edges = [...(typeof limitMin === 'number' && limitMin > 0 ? [limitMin] : []), ...(limit.max ? [limit.max] : [])];
        for (const n of edges) {
          const edge = await list({ [limit.param]: n });
          judge.succeeded(listOp, edge, limit.clause);
          judge.check(pageWithinLimit, limit.clause, { count: itemsOf(edge).length, limit: n }, [edge]);
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
          // Whether items follow this page's last: unknown for an item the whole list did not hold
          // (made since it was read, or let through a filter the target ignores: judged elsewhere).
          const at = full.indexOf(pageIds.at(-1) ?? '');
          const more = at < 0 ? undefined : at < full.length - 1;
          const linkDue = nextDue(pageIds.length, l.linkWhen, more);
          if (l.links && l.nextLink && linkDue !== undefined) {
            judge.check(nextLink, l.nextLink, { links: getAt(page.response?.json, `/${l.links}`), full: linkDue, lastId: pageIds.at(-1), requestUrl: page.request.url }, [page]);
          }
          // The next page as a URL at a pointer: due as the profile says, after this page's last item.
          const urlDue = l.next?.kind === 'url' ? nextDue(pageIds.length, l.next.when ?? 'more', more) : undefined;
          if (l.next && urlDue !== undefined) {
            judge.check(nextUrl, l.next.clause, { href: lists.nextHref(page), due: urlDue, requestUrl: page.request.url, continues: pageIds.at(-1) ? { param: marker.param, value: pageIds.at(-1)! } : undefined }, [page]);
          }
          if (pageIds.length < 2 || page.response?.status !== 200) break;
          last = pageIds.at(-1);
        }
        judge.check(pagesCoverList, marker.clause, { pages, full, ours: ids }, evidence.slice(0, 3));
        // The next page's link or URL, followed, gives the page the marker gives (paging itself is judged above).
        const first = evidence[0]!;
        const href = lists.nextHref(first);
        const clause = l.next?.kind === 'url' ? l.next.clause : l.nextLink;
        if (clause && href && pages[1]) {
          const followed = await api.follow(href, listOp.id);
          if (!('offOrigin' in followed)) judge.check(samePage, clause, { expected: pages[1], got: idsOf(followed) }, [first, followed, evidence[1]!]);
        }
      },
    ]);
  }

  // Paging by page number or by token: the pages together hold each of the suite's items once, and
  // the next page, where the list names it (a URL or a token at a pointer), is there when due and
  // gives the page that paging by number gives.
  const numbered = l.page ?? l.token;
  if (limit && numbered) {
    parts.push([
      l.page ? 'page-number paging and next links' : 'token paging',
      async () => {
        const full = (await lists.walk(scope, parentId)).items.map((i) => api.idOf(i));
        const pages: string[][] = [];
        const evidence: Exchange[] = [];
        let previous: Exchange | undefined;
        for (let n = 0; n < 50; n++) {
          const query = lists.pageQuery(2, n, pages.flat().length, previous);
          if (!query) break;
          const page = await list(query);
          evidence.push(page);
          const pageIds = idsOf(page);
          pages.push(pageIds);
          const next = l.next;
          if (next) {
            const due = nextDue(pageIds.length, next.when ?? 'more', pages.flat().length < full.length)!;
            const named = next.kind === 'url' ? lists.nextHref(page) : lists.nextToken(page);
            judge.check(nextUrl, next.clause, { href: named, due, requestUrl: page.request.url, token: next.kind === 'token', continues: l.page ? { param: l.page.param, value: String((l.page.first ?? 1) + n + 1) } : undefined }, [page]);
          }
          if (pageIds.length < 2 || page.response?.status !== 200) break;
          previous = page;
        }
        judge.check(pagesCoverList, numbered.clause, { pages, full, ours: ids }, evidence.slice(0, 3));
        // The next page's URL, followed, gives the page that asking for it by number gives.
        const href = evidence[0] && l.next?.kind === 'url' ? lists.nextHref(evidence[0]) : undefined;
        if (href && pages[1]) {
          const followed = await api.follow(href, listOp.id);
          if (!('offOrigin' in followed)) judge.check(samePage, l.next!.clause, { expected: pages[1], got: idsOf(followed) }, [evidence[0]!, followed, evidence[1]!]);
        }
      },
    ]);
  }

  const total = l.total;
  if (total) {
    parts.push([
      'the total across pages',
      async () => {
        // A page of one item must still say how many the whole list holds.
        const all = (await lists.walk(scope, parentId)).items.length;
        const page = await list(limit ? { [limit.param]: 1 } : {});
        judge.check(totalMatches, total.clause, { total: lists.total(page), all, page: itemsOf(page).length }, [page]);
      },
    ]);
  }

  const offset = l.offset;
  if (offset) {
    parts.push([
      'offset',
      async () => {
        const full = idsOf(await list());
        // With a limit of one as well: one item further, whether offset counts items or pages.
        const queries = [...(offset.withLimitOne ? [] : [{ [offset.param]: 1 }]), ...(limit ? [{ [offset.param]: 1, [limit.param]: 1 }] : [])];
        for (const query of queries) {
          const page = await list(query);
          judge.succeeded(listOp, page, offset.clause);
          judge.check(offsetWindow, offset.clause, { full, page: idsOf(page), offset: 1 }, [page]);
        }
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
          judge.succeeded(listOp, page, sort.clause);
          judge.check(sortedBy, sort.clause, { values: itemsOf(page).map((i) => String(i[sort.by])), dir, field: sort.by }, [page]);
        }
        if (sort.defaultDir) {
          const plain = await list();
          judge.check(sortedBy, sort.clause, { values: itemsOf(plain).map((i) => String(i[sort.by])), dir: sort.defaultDir, field: `${sort.by} (by default)` }, [plain]);
        }
        // The one parameter that names key and direction together (key:dir), where there is one.
        const combined = sort.combined;
        if (combined) {
          for (const dir of ['asc', 'desc'] as const) {
            const page = await list({ [combined]: `${sort.by}:${dir}` });
            judge.succeeded(listOp, page, sort.clause);
            judge.check(sortedBy, sort.clause, { values: itemsOf(page).map((i) => String(i[sort.by])), dir, field: `${sort.by} (${combined}=${sort.by}:${dir})` }, [page]);
          }
        }
      },
    ]);
  }

  const bad = l.badPaging;
  if (bad && limit) {
    parts.push([
      'bad paging parameters',
      async () => {
        // Below the range (its minimum, where that is above zero: limit=0), negative, not an
        // integer, above the maximum; an offset negative or not an integer.
        const below = typeof limitMin === 'number' && limitMin > 0 ? [String(limitMin - 1)] : [];
        const limits = [...below, '-1', 'abc', ...(limit.max ? [String(limit.max + 1)] : [])];
        const queries = [...new Set(limits)].map((value) => ({ [limit.param]: value }));
        if (offset) queries.push({ [offset.param]: '-1' }, { [offset.param]: 'abc' });
        for (const query of queries) {
          const ex = await list(query, true);
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
        // Each filter twice: with a value some or all of the suite's items have (they must all be
        // there), and with one that leaves some or all of them out (a target that ignores the
        // filter answers them anyway). On every list that documents the filter.
        const cases: Array<{ field: string; value: string; mustInclude: string[]; mustExclude?: string[]; onItems?: boolean }> = [];
        if (filters.fields.includes(r.fields.name)) {
          const name = String(api.field(ours[0], 'name'));
          cases.push({ field: r.fields.name, value: name, mustInclude: [ids[0]!] });
          // Exact: a name that only begins the suite's names selects none of them.
          cases.push({ field: r.fields.name, value: name.slice(0, -1), mustInclude: [] });
        }
        const states = r.states;
        if (r.fields.status && states && filters.fields.includes(r.fields.status)) {
          cases.push({ field: r.fields.status, value: states.ready, mustInclude: ids });
          const other = [...states.failed, ...states.transient].find((s) => s !== states.ready);
          if (other) cases.push({ field: r.fields.status, value: other, mustInclude: [] });
        }
        if (r.fields.parent && filters.fields.includes(r.fields.parent)) {
          cases.push({ field: r.fields.parent, value: parentId, mustInclude: ids });
          cases.push({ field: r.fields.parent, value: randomUUID(), mustInclude: [] });
        }
        // A field of the parent: its value selects the suite's items, another none of them.
        for (const { param, value: pointer } of filters.fromParent ?? []) {
          const value = getAt((await api.parent.show(parentId)).response?.json, pointer);
          if (typeof value !== 'string') continue;
          cases.push({ field: param, value, mustInclude: ids, onItems: false });
          cases.push({ field: param, value: `${value}-sc-none`, mustInclude: [], mustExclude: ids, onItems: false });
        }
        const ops = parentList ? [listOp] : [listOp, api.model.resource.ops.listDetail].filter((op): op is Operation => Boolean(op));
        for (const { field, value, mustInclude, mustExclude, onItems } of cases) {
          for (const op of ops.filter((o) => queryParam(o, field))) {
            const ex = await api.call(op, { path, query: { ...l.query, [field]: value } });
            judge.succeeded(op, ex, filters.clause);
            judge.check(filterSelects, filters.clause, { items: itemsOf(ex), field, value, mustInclude, mustExclude, onItems, idField }, [ex]);
          }
        }
      },
    ]);
  }
  return parts;
}

/**
 * The clauses listParts judges on a list, and those it cannot with what the list lacks: what the
 * profile check counts. Each line mirrors the condition of its part above.
 */
export function listClauses(model: ProfileModel, l: ListModel): Judges[] {
  const r = model.resource;
  const limit = l.limit;
  const numbered = l.page ?? l.token;
  const out: Judges[] = [];
  const needs = (clause: string, met: unknown, lacking: string) => out.push(met ? clause : { clause, lacking });
  const noLimit = 'it is judged on pages of a limit, and the list has none (lists.limit)';
  if (l.ofParent && l.op.clause && r.fields.parent) out.push(l.op.clause);
  if (l.count) out.push(l.count.clause);
  if (limit) out.push(limit.clause);
  if (l.marker) needs(l.marker.clause, limit, noLimit);
  if (l.nextLink) needs(l.nextLink, limit && l.marker && l.links, 'next links are judged while paging by marker, which needs lists.limit, lists.marker and lists.links');
  if (numbered) needs(numbered.clause, limit, noLimit);
  if (l.page && l.token) out.push({ clause: l.token.clause, lacking: 'a list that pages by number (lists.page) is not paged by token too' });
  // The next page at a pointer is judged while paging: a token by number or token, a URL by any paging.
  if (l.next?.kind === 'token') needs(l.next.clause, limit && numbered, 'a next token is judged while paging by token, which needs lists.limit and lists.token');
  else if (l.next) needs(l.next.clause, limit && (numbered || l.marker), 'a next URL is judged while paging, which needs lists.limit and lists.marker, lists.page or lists.token');
  if (l.total) out.push(l.total.clause);
  if (l.offset) needs(l.offset.clause, limit || !l.offset.withLimitOne, 'withLimitOne judges offset with limit=1, and the list has no limit (lists.limit)');
  if (l.sort) out.push(l.sort.clause);
  if (l.badPaging) needs(l.badPaging, limit, noLimit);
  const filters = l.filters;
  if (filters) {
    const states = r.states;
    const fields = filters.fields.filter((f) => f === r.fields.name || (f === r.fields.status && states) || f === r.fields.parent);
    const ops = l.ofParent ? [l.op] : [l.op, r.ops.listDetail].filter((op): op is Operation => Boolean(op));
    const usable = [...fields, ...(filters.fromParent ?? []).map((f) => f.param)].some((field) => ops.some((op) => queryParam(op, field)));
    needs(filters.clause, usable, "none of its fields is the resource's name, status (with states) or parent, or a fromParent parameter, that a query parameter of the list takes");
  }
  return out;
}

/** The query parameter of an operation by its name, if the operation documents it. */
function queryParam(op: Operation, name: string) {
  return op.parameters.find((p) => p.in === 'query' && p.name === name);
}

/**
 * Whether a page of `count` items, asked for two at a time, is due a next page: always when full,
 * or, where the profile says one comes only with items after it ('more'), when full and more
 * follow; undefined where whether more follow is not known.
 */
function nextDue(count: number, when: string | undefined, more: boolean | undefined): boolean | undefined {
  if (when !== 'more') return count === 2;
  return more === undefined ? undefined : count === 2 && more;
}
