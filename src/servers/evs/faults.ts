// Named faults of the EVS reference server: each one turns exactly one behaviour wrong. The code that
// produces a behaviour asks `faults.has(...)` at that spot; the one behaviour produced by the shared
// Cinder-family code (PUT metadata) is switched there through the Cinder fault of the same meaning.
import { type CinderFault, FaultSet } from '../cinder/faults.ts';

const descriptions = {
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
} as const;

export type EvsFault = keyof typeof descriptions;

export const evsFaults: Record<EvsFault, string> = descriptions;

export function isEvsFault(name: string): name is EvsFault {
  return Object.hasOwn(descriptions, name);
}

// EVS faults whose behaviour lives in the shared Cinder-family code, by the Cinder fault that switches it.
const SHARED: Partial<Record<EvsFault, CinderFault>> = {
  'put-metadata-merges': 'put-metadata-merges',
};

/** The faults one server instance runs with. */
export class EvsFaultSet {
  private readonly active: ReadonlySet<EvsFault>;
  /** The Cinder faults handed to the shared Cinder-family code. */
  readonly shared: FaultSet;

  constructor(names: readonly string[]) {
    const unknown = names.filter((n) => !isEvsFault(n));
    if (unknown.length > 0) {
      throw new Error(`unknown EVS fault(s): ${unknown.join(', ')}; known: ${Object.keys(descriptions).join(', ')}`);
    }
    this.active = new Set(names as EvsFault[]);
    this.shared = new FaultSet([...this.active].flatMap((f) => SHARED[f] ?? []));
  }

  has(fault: EvsFault): boolean {
    return this.active.has(fault);
  }
}
