// The list verbs of a profile: a page of a list (the profile's own, or one parent's), its items,
// its next page (a rel=next link, a URL or a token at a pointer), its total, and every item page by
// page, however the list pages (marker, offset, page number, token, or not at all).
import type { Exchange } from '../http/exchange.ts';
import { fieldValue, getAt } from '../util/pointer.ts';
import type { ListModel } from './model.ts';
import { pathParams, type CallOptions, type Query } from './requests.ts';

export type Item = Record<string, unknown>;

/** What the list verbs need of the profile API: a way to call an operation, and to follow a link. */
interface Caller {
  call(op: ListModel['op'], options: CallOptions): Promise<Exchange>;
  follow(url: string, operationId: string): Promise<Exchange | { offOrigin: string }>;
}

/** How many items a page asks for when the run reads a whole list. */
const PAGE = 100;
/** A list of more pages than this is not read further (a target that pages forever). */
const MAX_PAGES = 1000;

export interface Walk {
  items: Item[];
  /** The last page read. */
  last: Exchange;
  pages: Exchange[];
}

export class ListApi {
  constructor(
    private readonly api: Caller,
    readonly model: ListModel,
  ) {}

  get op() {
    return this.model.op;
  }

  /** One page: the list's own query and the one given, for the parent where the list is one parent's. */
  page(query: Query = {}, options: CallOptions & { parent?: string } = {}): Promise<Exchange> {
    const { parent, ...rest } = options;
    const path = this.model.ofParent ? pathParams(this.op, { parent }) : rest.path;
    return this.api.call(this.op, { ...rest, path, query: { ...this.model.query, ...rest.query, ...query } });
  }

  /** The items of a page. */
  items(exchange: Exchange): Item[] {
    const items = getAt(exchange.response?.json, `/${this.model.items}`);
    return Array.isArray(items) ? (items as Item[]) : [];
  }

  /** The links member of a page, where the list has one. */
  links(exchange: Exchange): unknown {
    return this.model.links ? getAt(exchange.response?.json, `/${this.model.links}`) : undefined;
  }

  /** The next page's URL: a rel=next link, or the URL at the list's next pointer. */
  nextHref(exchange: Exchange): string | undefined {
    if (this.model.next?.kind === 'url') {
      const url = getAt(exchange.response?.json, this.model.next.at);
      return typeof url === 'string' && url ? url : undefined;
    }
    const links = this.links(exchange);
    const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((l) => l?.rel === 'next') : undefined;
    return typeof next?.href === 'string' ? next.href : undefined;
  }

  /** The next page's token, where the list pages by token. */
  nextToken(exchange: Exchange): string | undefined {
    if (this.model.next?.kind !== 'token') return undefined;
    const token = getAt(exchange.response?.json, this.model.next.at);
    return typeof token === 'string' && token ? token : undefined;
  }

  /** How many items the list holds across its pages, as the page says. */
  total(exchange: Exchange): unknown {
    return this.model.total ? getAt(exchange.response?.json, this.model.total.at) : undefined;
  }

  /** The query that asks for a page of `size` items after those already read. */
  pageQuery(size: number, n: number, read: number, previous?: Exchange): Query | undefined {
    const { limit, marker, offset, page, token } = this.model;
    const q: Query = limit ? { [limit.param]: size } : {};
    if (n === 0) return q;
    if (token) {
      const next = previous && this.nextToken(previous);
      return next ? { ...q, [token.param]: next } : undefined;
    }
    if (page) return { ...q, [page.param]: (page.first ?? 1) + n };
    if (marker) {
      const last = previous && this.items(previous).at(-1);
      return last ? { ...q, [marker.param]: String(fieldValue(last, this.model.idField)) } : undefined;
    }
    if (offset) return { ...q, [offset.param]: read };
    return undefined;
  }

  /** The first page only (a filtered read). */
  async firstPage(query: Query = {}, parent?: string): Promise<Walk> {
    const last = await this.page(query, { parent });
    return { items: this.items(last), last, pages: [last] };
  }

  /**
   * Every item, page by page however the list pages (pages of a hundred where it takes a size), or
   * its one page; a next link is followed where the list gives one and no parameter pages it.
   */
  async walk(query: Query = {}, parent?: string): Promise<Walk> {
    const size = Math.min(PAGE, this.model.limit?.max ?? PAGE);
    const items: Item[] = [];
    const pages: Exchange[] = [];
    let last: Exchange | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const paging = this.pageQuery(size, n, items.length, last);
      let exchange: Exchange;
      if (paging) exchange = await this.page({ ...query, ...paging }, { parent });
      else {
        const href = last && this.model.paging === 'none' ? this.nextHref(last) : undefined;
        if (!href) break;
        const followed = await this.api.follow(href, this.op.id);
        if ('offOrigin' in followed) break;
        exchange = followed;
      }
      pages.push(exchange);
      last = exchange;
      if (exchange.response?.status !== 200) break;
      const page = this.items(exchange);
      items.push(...page);
      if (!page.length) break;
      // A page smaller than asked for is the last one, where the list takes a size.
      if (this.model.limit && this.model.paging !== 'none' && this.model.paging !== 'token' && page.length < size) break;
    }
    return { items, last: last!, pages };
  }

  /** Every item (as walk); throws when a page is not answered with the list. */
  async all(query: Query = {}, parent?: string): Promise<Item[]> {
    const { items, last } = await this.walk(query, parent);
    if (last?.response?.status !== 200) throw new Error(`${this.op.id} answered ${last?.response?.status ?? last?.error}`);
    return items;
  }
}
