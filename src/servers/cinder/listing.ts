// List queries shared by snapshots and volumes: limit, marker, offset, sort and `<name>_links`.
import { type ApiError, badRequest, notFound } from './errors.ts';
import type { CinderFaults } from './faults.ts';
import type { Ctx } from './http.ts';
import { boolFromString, compareCodePoints } from './pycompat.ts';

export const MAX_PAGE = 1000; // Cinder's osapi_max_limit default
const DB_MAX_INT = 0x7fffffff;

/** Query parameters that steer the listing rather than filter it. */
export const PAGING_PARAMS = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count'];

export type SortValue = string | number | null;

export interface ListSpec<T extends { id: string }> {
  collection: 'snapshots' | 'volumes';
  /** Sort keys valid for this request (already gated by microversion). */
  sortFields: Record<string, (item: T) => SortValue>;
  /** Finds a marker among all the project's items, filtered or not. */
  findMarker(id: string): T | undefined;
  /** Only the snapshot collection passes its faults; volumes list correctly always. */
  faults: CinderFaults;
  /** Another dialect's rules for `limit`, `offset` and an unknown marker; Cinder's by default. */
  dialect?: Partial<ListDialect>;
}

/** The parts of a listing that Cinder-compatible dialects answer differently. */
export interface ListDialect {
  /** The page size from the raw `limit` (null when absent); undefined = no limit given. */
  limit(raw: string | null): number | undefined;
  /** Items to skip from the raw `offset` (null when absent). */
  offset(raw: string | null): number;
  /** The error for a `marker` that names no item. */
  unknownMarker(id: string): ApiError;
}

export interface Page<T> {
  items: T[];
  links?: Array<{ rel: 'next'; href: string }>;
  /** Items matching the filters, before marker, offset and limit. */
  count: number;
  /** Whether items remain after this page. */
  more: boolean;
}

/** Python's int() of a query value: optional sign, digits, surrounding whitespace. */
export function pyInt(value: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : undefined;
}

function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const limit = pyInt(raw);
  if (limit === undefined) throw badRequest('limit param must be an integer');
  if (limit < 0) throw badRequest('limit param must be positive');
  return Math.min(limit, MAX_PAGE);
}

function parseOffset(raw: string | null, faults?: CinderFaults): number {
  if (raw === null) return 0;
  const offset = pyInt(raw);
  if ((offset === undefined || offset < 0) && faults?.has('bad-offset-accepted')) return 0;
  if (offset === undefined) throw badRequest('Invalid input received: offset must be an integer.');
  if (offset < 0) throw badRequest('Invalid input received: offset must be >= 0');
  if (offset > DB_MAX_INT) throw badRequest(`Invalid input received: offset must be <= ${DB_MAX_INT}`);
  return offset;
}

/** sort_key/sort_dir (one key) or sort=key[:dir],... ; created_at and id always break ties. */
function parseSort(params: URLSearchParams, fields: Record<string, unknown>, faults: CinderFaults) {
  let keys: string[];
  let dirs: string[];
  const sort = faults.has('sort-param-ignored') ? null : params.get('sort');
  if (sort) {
    if (params.has('sort_key') || params.has('sort_dir')) {
      throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
    }
    const items = sort.trim().split(',').map((item) => item.split(':'));
    keys = items.map(([key]) => (key ?? '').trim());
    dirs = items.map(([, dir]) => (dir ?? '').trim() || 'desc');
  } else {
    keys = [(params.get('sort_key') ?? 'created_at').trim()];
    dirs = [(params.get('sort_dir') ?? 'desc').trim()];
  }
  if (dirs.some((d) => d !== 'asc' && d !== 'desc')) {
    throw badRequest("Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.");
  }
  if (keys.some((k) => !Object.hasOwn(fields, k))) throw badRequest('Invalid input received: Invalid sort key');
  if (faults.has('sort-ignored')) dirs = dirs.map(() => 'desc');
  for (const tieBreaker of ['created_at', 'id']) {
    if (!keys.includes(tieBreaker)) {
      keys.push(tieBreaker);
      dirs.push(dirs[0]!);
    }
  }
  return keys.map((key, i) => ({ key, desc: dirs[i] === 'desc' }));
}

// SQL order: NULL sorts before any value when ascending.
function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

export function paginate<T extends { id: string }>(all: T[], ctx: Ctx, spec: ListSpec<T>): Page<T> {
  const params = ctx.url.searchParams;
  const limit = (spec.dialect?.limit ?? parseLimit)(params.get('limit'));
  const parsed = spec.dialect?.offset ? spec.dialect.offset(params.get('offset')) : parseOffset(params.get('offset'), spec.faults);
  const offset = spec.faults.has('offset-ignored') ? 0 : parsed;
  const markerId = params.get('marker') || undefined;
  const order = parseSort(params, spec.sortFields, spec.faults);
  const fields = { ...spec.sortFields, id: (t: T) => t.id } as Record<string, (item: T) => SortValue>;
  const compare = (a: T, b: T): number => {
    for (const { key, desc } of order) {
      const get = fields[key]!;
      const d = compareValues(get(a), get(b));
      if (d !== 0) return desc ? -d : d;
    }
    return 0;
  };

  let items = [...all].sort(compare);
  const count = items.length;
  if (markerId !== undefined) {
    const marker = spec.findMarker(markerId);
    if (marker) {
      // Keyset pagination, as Cinder's database query does: everything after the marker's position.
      items = items.filter((item) => compare(item, marker) > 0);
      if (spec.faults.has('pagination-skips-item')) items = items.slice(1);
    } else if (!spec.faults.has('unknown-marker-200')) {
      if (spec.dialect?.unknownMarker) throw spec.dialect.unknownMarker(markerId);
      throw notFound(`${spec.collection === 'snapshots' ? 'Snapshot' : 'Volume'} ${markerId} could not be found.`);
    }
  }
  const pageSize = limit ?? MAX_PAGE;
  const rest = items.slice(offset);
  items = rest.slice(0, pageSize);

  const page: Page<T> = { items, count, more: rest.length > items.length };
  const last = items[items.length - 1];
  if (pageSize > 0 && items.length === pageSize && last && !spec.faults.has('links-missing')) {
    page.links = [nextLink(ctx, last.id)];
  }
  return page;
}

/** The `next` link: same path and query, with `marker` set to the last id of this page. */
export function nextLink(ctx: Pick<Ctx, 'url' | 'origin'>, lastId: string): { rel: 'next'; href: string } {
  const next = new URLSearchParams(ctx.url.searchParams);
  next.set('marker', lastId);
  return { rel: 'next', href: `${ctx.origin}${ctx.url.pathname}?${next.toString()}` };
}

/** with_count (3.45+): oslo's boolean strings, anything else is refused. */
export function wantsCount(ctx: Ctx): boolean {
  const raw = ctx.url.searchParams.get('with_count');
  if (ctx.mv < 45 || raw === null || ctx.faults.has('with-count-missing')) return false;
  const value = boolFromString(raw);
  if (value === undefined) throw badRequest(`Invalid input received: Value '${raw}' for 'with_count' is not a boolean.`);
  return value;
}

/** The `metadata={'k': 'v'}` filter: a Python dict literal (JSON also parses). */
export function parseMetadataFilter(raw: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    try {
      parsed = JSON.parse(raw.replaceAll("'", '"'));
    } catch {
      parsed = undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest(`Invalid input received: metadata filter ${raw} is not a dictionary.`);
  }
  return new Map(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

export function matchesMetadata(metadata: Map<string, string>, wanted: Map<string, string>): boolean {
  for (const [k, v] of wanted) if (metadata.get(k) !== v) return false;
  return true;
}
