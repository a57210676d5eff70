// Named faults of the EVS reference server: each one turns exactly one behaviour wrong. The code that
// produces a behaviour asks `faults.has(...)` at that spot; behaviours produced by the shared
// Cinder-family code are switched there through the Cinder fault of the same meaning.
import type { CinderFault } from '../cinder/faults.ts';
import { type FaultSet, defineFaults } from '../faults.ts';

export const evsFaultRegistry = defineFaults('EVS', {
  'eighth-snapshot-accepted': 'the limit of 7 snapshots per disk is not enforced: an 8th snapshot is created (202)',
  'limit-refused-but-created': 'the 8th snapshot of a disk is refused (400) but created anyway',
  'chars-not-bytes': 'name and description limits count characters instead of UTF-8 bytes',
  'bytes-off-by-one': 'a name or description of exactly 255 bytes is refused',
  'reserved-prefix-undeletable': 'a snapshot named autobk_snapshot_... cannot be deleted through the API (403 EVS.5403)',
  'envelope-flat': 'error bodies are {"message", "code"} without the wrapper key',
  'numeric-error-code': 'error codes are integers (the HTTP status) instead of "EVS.XXXX" strings',
  'limit-over-1000-accepted': 'a list `limit` above 1000 is accepted instead of refused with EVS.2142',
  'links-wrong-type': '`snapshots_links` is a string instead of a list or null',
  'volumes-links-missing': 'a full page of volumes with more to come carries no `volumes_links`',
  'delete-while-creating-allowed': 'a snapshot still `creating` can be deleted (202)',
  'put-metadata-merges': 'PUT /metadata merges (keeps keys not in the request) instead of replacing',
  'status-unknown': 'an available snapshot reports status `ready`',
  'offset-ignored': '`offset` is ignored in snapshot lists',
  'key-mismatch-accepted': 'PUT /metadata/{key} whose body names another key, or more than one, is answered 200 (nothing stored) instead of refused with EVS.5400',
  'name-filter-ignored': 'the `name` filter of snapshot lists is ignored',
  'status-filter-ignored': 'the `status` filter of snapshot lists is ignored',
  'volume-filter-ignored': 'the `volume_id` filter of snapshot lists is ignored',
  'detail-filters-ignored': 'GET /snapshots/detail ignores the `name`, `status` and `volume_id` filters (GET /snapshots applies them)',
  'bad-offset-accepted': 'an `offset` that is negative or not an integer is taken as 0 instead of refused with EVS.5400',
  'limit-zero-accepted': '`limit=0` is taken as "no limit" instead of refused with EVS.5400',
  'limit-max-refused': '`limit=1000`, the largest documented, is refused with EVS.2142 (off by one)',
  'reserved-prefix-overbroad': 'any name holding `autobk_snapshot` (in any case, anywhere) is refused, not just the prefix',
  'description-control-chars-accepted': 'descriptions with control characters are accepted',
  'zone-filter-ignored': 'the `availability_zone` filter of GET /snapshots/detail is ignored',
  'name-filter-substring': 'the `name` filter selects the snapshots whose name holds the value, not those named exactly so',
});

export type EvsFault = keyof typeof evsFaultRegistry.descriptions;
export type EvsFaults = FaultSet<EvsFault>;
export const evsFaults = evsFaultRegistry.descriptions;

/** EVS faults whose behaviour lives in the shared Cinder-family code, by the Cinder fault that switches it. */
export const SHARED_WITH_CINDER: Partial<Record<EvsFault, CinderFault>> = {
  'put-metadata-merges': 'put-metadata-merges',
  'key-mismatch-accepted': 'key-mismatch-accepted',
};

/** EVS faults that change how the shared store times its transitions (a longer creation, so a delete meets it). */
export const SHARED_WITH_STORE: Partial<Record<EvsFault, CinderFault>> = {
  'delete-while-creating-allowed': 'delete-while-creating-allowed',
};
