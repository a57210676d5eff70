// The rules where EVS differs from Cinder: UTF-8 byte limits, 7 snapshots per disk, the reserved
// backup prefix, and list paging (limit 1..1000, EVS's codes, `<collection>_links` only when a
// `limit` was given and a next page exists).
import { badRequest } from '../cinder/errors.ts';
import type { Ctx } from '../cinder/http.ts';
import { type ListDialect, type Page, nextLink, pyInt } from '../cinder/listing.ts';
import { CINDER_LENGTH, PRINTABLE, type LengthLimit, type TextLimits } from '../cinder/validation.ts';
import { invalidMarker, limitTooLarge } from './errors.ts';
import type { EvsFaults } from './faults.ts';

export const MAX_BYTES = 255;
export const SNAPSHOTS_PER_DISK = 7;
export const MAX_LIMIT = 1000;
/** Prefix of the snapshots the platform takes for disk backups; the API accepts it in any request too. */
export const RESERVED_PREFIX = 'autobk_snapshot_';

const utf8Length = (value: string): number => Buffer.byteLength(value, 'utf8');
const ANYTHING = /^/u;

export const BYTES_255: LengthLimit = { tooLong: (value) => utf8Length(value) > MAX_BYTES, unit: 'bytes' };

/** Name and description: 255 bytes of UTF-8; metadata keys and values: the same. */
export function textLimits(faults: EvsFaults): TextLimits {
  let text = BYTES_255;
  if (faults.has('chars-not-bytes')) text = CINDER_LENGTH;
  else if (faults.has('bytes-off-by-one')) text = { tooLong: (value) => utf8Length(value) >= MAX_BYTES, unit: 'bytes' };
  return { text, metadata: BYTES_255, printable: faults.has('description-control-chars-accepted') ? ANYTHING : PRINTABLE };
}

/** Paging rules of EVS lists; `offsetApplies: false` is the `offset-ignored` fault of snapshot lists. */
export function listDialect(faults: EvsFaults, offsetApplies: boolean): ListDialect {
  return {
    limit(raw) {
      if (raw === null) return undefined;
      const limit = pyInt(raw);
      if (limit === undefined) throw badRequest('limit param must be an integer.');
      if (limit === 0 && faults.has('limit-zero-accepted')) return undefined;
      if (limit < 1) throw badRequest('limit param must be positive.');
      if (limit > MAX_LIMIT && !faults.has('limit-over-1000-accepted')) throw limitTooLarge(MAX_LIMIT);
      if (limit === MAX_LIMIT && faults.has('limit-max-refused')) throw limitTooLarge(MAX_LIMIT - 1);
      return limit;
    },
    offset(raw) {
      if (raw === null) return 0;
      const offset = pyInt(raw);
      if ((offset === undefined || offset < 0) && faults.has('bad-offset-accepted')) return 0;
      if (offset === undefined) throw badRequest('offset param must be an integer.');
      if (offset < 0) throw badRequest('offset param must not be negative.');
      return offsetApplies ? offset : 0;
    },
    unknownMarker: () => invalidMarker(),
  };
}

/** `[{"href", "rel": "next"}]` when a `limit` was given and items remain; undefined otherwise. */
export function nextLinks(ctx: Pick<Ctx, 'url' | 'origin'>, page: Page<{ id: string }>): Array<{ href: string; rel: 'next' }> | undefined {
  const last = page.items[page.items.length - 1];
  if (!ctx.url.searchParams.has('limit') || !page.more || !last) return undefined;
  const { href, rel } = nextLink(ctx, last.id);
  return [{ href, rel }];
}
