// The list verbs of a profile: a page of a list (the profile's own, or one parent's), its items and
// its next link, and every item page by page. The same verbs for both kinds of list.
import type { Exchange } from '../http/exchange.ts';
import { getAt } from '../util/pointer.ts';
import type { ListModel } from './model.ts';
import { pathParams, type CallOptions, type Query } from './requests.ts';

export type Item = Record<string, unknown>;

/** What the list verbs need of the profile API: a way to call an operation. */
interface Caller {
  call(op: ListModel['op'], options: CallOptions): Promise<Exchange>;
}

/** How many items a page asks for when the run reads a whole list. */
const PAGE = 100;
/** A list of more pages than this is not read further (a target that pages forever). */
const MAX_PAGES = 1000;

export class ListApi {
  constructor(
    private readonly api: Caller,
    readonly model: ListModel,
  ) {}

  get op() {
    return this.model.op;
  }

  /** One page: the query given, for the parent where the list is one parent's. */
  page(query: Query = {}, options: CallOptions & { parent?: string } = {}): Promise<Exchange> {
    const { parent, ...rest } = options;
    const path = this.model.ofParent ? pathParams(this.op, { parent }) : rest.path;
    return this.api.call(this.op, { ...rest, path, query: { ...rest.query, ...query } });
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

  /** The rel=next link of a page, if it has one. */
  nextHref(exchange: Exchange): string | undefined {
    const links = this.links(exchange);
    const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((l) => l?.rel === 'next') : undefined;
    return typeof next?.href === 'string' ? next.href : undefined;
  }

  /**
   * Every item, page by page where the list pages (by marker or offset, pages of a hundred), or its
   * one page. Throws when a page is not answered with the list.
   */
  async all(query: Query = {}, parent?: string): Promise<Item[]> {
    const { limit, marker, offset } = this.model;
    const pages = Boolean(limit && (marker || offset));
    const size = Math.min(PAGE, limit?.max ?? PAGE);
    const out: Item[] = [];
    for (let n = 0, last: string | undefined; n < MAX_PAGES; n++) {
      const paging: Query = {};
      if (pages) {
        paging[limit!.param] = size;
        if (marker && last !== undefined) paging[marker.param] = last;
        else if (!marker && offset && out.length) paging[offset.param] = out.length;
      }
      const exchange = await this.page({ ...query, ...paging }, { parent });
      if (exchange.response?.status !== 200) throw new Error(`${this.op.id} answered ${exchange.response?.status ?? exchange.error}`);
      const items = this.items(exchange);
      out.push(...items);
      if (!pages || items.length < size) break;
      last = String(items.at(-1)!.id);
    }
    return out;
  }
}
