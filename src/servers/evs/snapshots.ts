// Snapshot handlers: the Cinder family's (../cinder/snapshots.ts) with EVS's rules: its byte limits,
// the limit of 7 snapshots per disk, its delete precondition error, its statuses and its list paging.
import { SNAPSHOT_SORT_FIELDS, type SnapshotRules, snapshotHandlers } from '../cinder/snapshots.ts';
import { SNAPSHOT_DELETABLE, type Snapshot } from '../cinder/store.ts';
import { badRequest } from '../cinder/errors.ts';
import { isObject } from '../cinder/validation.ts';
import type { EvsCtx } from './context.ts';
import { forbidden, invalidDeleteStatus, snapshotsPerDisk } from './errors.ts';
import { RESERVED_PREFIX, SNAPSHOTS_PER_DISK, listDialect, nextLinks, textLimits } from './rules.ts';
import { snapshotBody } from './views.ts';

/** The statuses EVS documents for snapshots (the values `os-reset_status` accepts). */
export const SNAPSHOT_STATUSES = ['creating', 'available', 'error', 'deleting', 'error_deleting', 'rollbacking', 'backing-up'];

const FILTERS = {
  name: (s: Snapshot) => s.name,
  status: (s: Snapshot) => s.status,
  volume_id: (s: Snapshot) => s.volumeId,
  /** The zone of the snapshot's disk (list detail only, as EVS documents it). */
  availability_zone: (s: Snapshot, ctx: EvsCtx) => ctx.store.volume(ctx.projectId, s.volumeId)?.availabilityZone ?? null,
};

const FILTER_FAULTS = {
  name: 'name-filter-ignored',
  status: 'status-filter-ignored',
  volume_id: 'volume-filter-ignored',
  availability_zone: 'zone-filter-ignored',
} as const;

export const EVS_SNAPSHOTS: SnapshotRules<EvsCtx> = {
  limits: (ctx) => textLimits(ctx.evs),
  // Summary lists carry the base fields; every other answer the detail (with the extended attributes).
  view: (s, answer, ctx) => snapshotBody(s, answer === 'list' ? 'summary' : 'detail', ctx),
  admit(ctx, volume, store) {
    // Every snapshot of the disk that is not gone yet counts, whatever its status.
    const ofDisk = ctx.store.snapshots(ctx.projectId).filter((s) => s.volumeId === volume.id).length;
    if (ofDisk < SNAPSHOTS_PER_DISK || ctx.evs.has('eighth-snapshot-accepted')) return;
    if (ctx.evs.has('limit-refused-but-created')) store();
    throw snapshotsPerDisk(volume.id, SNAPSHOTS_PER_DISK);
  },
  /** Only from `available` or `error` (EVS.1047 otherwise). */
  checkDelete(ctx, snapshot) {
    if (ctx.evs.has('reserved-prefix-undeletable') && snapshot.name?.startsWith(RESERVED_PREFIX)) {
      throw forbidden('Policy check failed.');
    }
    const deletable = ctx.evs.has('delete-while-creating-allowed') ? [...SNAPSHOT_DELETABLE, 'creating'] : SNAPSHOT_DELETABLE;
    if (!deletable.includes(snapshot.status)) throw invalidDeleteStatus();
  },
  action: { statuses: SNAPSHOT_STATUSES, progress: true, forceDelete: false },
  /** Filters name, status, volume_id, and on the detail list availability_zone; other keys are ignored. */
  filter(ctx) {
    const params = ctx.url.searchParams;
    const detail = ctx.url.pathname.endsWith('/detail');
    const ignored = (key: keyof typeof FILTERS) =>
      ctx.evs.has(FILTER_FAULTS[key]) || (detail && key !== 'availability_zone' && ctx.evs.has('detail-filters-ignored')) || (key === 'availability_zone' && !detail);
    const wanted = (Object.keys(FILTERS) as Array<keyof typeof FILTERS>).filter((key) => !ignored(key)).map((key) => [key, params.get(key)] as const);
    const substring = ctx.evs.has('name-filter-substring');
    const matches = (key: keyof typeof FILTERS, s: Snapshot, value: string) =>
      key === 'name' && substring ? (s.name ?? '').includes(value) : FILTERS[key](s, ctx) === value;
    return (s) => wanted.every(([key, value]) => value === null || matches(key, s, value));
  },
  sortFields: () => ({ ...SNAPSHOT_SORT_FIELDS, name: (s: Snapshot) => s.name }),
  paging: (ctx) => listDialect(ctx.evs, !ctx.evs.has('offset-ignored')),
  // With a next page: the list. Without: null on v2, absent on v3 (as the two references show).
  listExtras(ctx, page) {
    const links = nextLinks(ctx, page);
    if (ctx.evs.has('links-wrong-type')) {
      return links || ctx.family === 'v2' ? { snapshots_links: links?.[0]?.href ?? '' } : {};
    }
    if (links) return { snapshots_links: links };
    return ctx.family === 'v2' ? { snapshots_links: null } : {};
  },
};

const handlers = snapshotHandlers(EVS_SNAPSHOTS);
export const { showSnapshot, updateSnapshot, deleteSnapshot, snapshotAction, listSnapshots } = handlers;

/** Cinder's create, but under `reserved-prefix-overbroad` names that merely resemble the prefix are refused too. */
export function createSnapshot(ctx: EvsCtx) {
  if (ctx.evs.has('reserved-prefix-overbroad')) {
    const body = ctx.body();
    const name = isObject(body) && isObject(body.snapshot) ? body.snapshot.name : undefined;
    if (typeof name === 'string' && name.toLowerCase().includes(RESERVED_PREFIX.slice(0, -1))) {
      throw badRequest(`Snapshot names holding ${RESERVED_PREFIX} are reserved for backups.`);
    }
  }
  return handlers.createSnapshot(ctx);
}
