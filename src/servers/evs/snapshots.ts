// Snapshot handlers: create, list, list detail, show, update, delete and the status reset action.
// Validation and storage are the Cinder family's; EVS adds its byte limits, the limit of 7 snapshots
// per disk, its delete precondition error and its list paging.
import { badRequest, snapshotNotFound, volumeNotFound } from '../cinder/errors.ts';
import { FaultSet } from '../cinder/faults.ts';
import { type Reply, empty, json } from '../cinder/http.ts';
import { paginate } from '../cinder/listing.ts';
import { SNAPSHOT_DELETABLE, type Snapshot } from '../cinder/store.ts';
import { isObject, snapshotCreate, snapshotUpdate } from '../cinder/validation.ts';
import type { EvsCtx } from './context.ts';
import { forbidden, invalidDeleteStatus, snapshotsPerDisk } from './errors.ts';
import { RESERVED_PREFIX, SNAPSHOTS_PER_DISK, listDialect, nextLinks, textLimits } from './rules.ts';
import { snapshotBody } from './views.ts';

/** The statuses EVS documents for snapshots (the values `os-reset_status` accepts). */
export const SNAPSHOT_STATUSES = ['creating', 'available', 'error', 'deleting', 'error_deleting', 'rollbacking', 'backing-up'];

function existing(ctx: EvsCtx, id: string): Snapshot {
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (!snapshot) throw snapshotNotFound(id);
  return snapshot;
}

export function createSnapshot(ctx: EvsCtx): Reply {
  const input = snapshotCreate(ctx.body(), FaultSet.none, textLimits(ctx.evs));
  if (input.volumeId === null) throw volumeNotFound('None');
  const volume = ctx.store.volume(ctx.projectId, input.volumeId);
  if (!volume) throw volumeNotFound(input.volumeId);
  // An attached disk needs `force`, as in Cinder before microversion 3.66.
  if (volume.status !== 'available' && !(input.force === true && volume.status === 'in-use')) {
    throw badRequest(`Invalid volume: Volume ${volume.id} status must be available, but current status is: ${volume.status}.`);
  }
  const fields = { name: input.name, description: input.description, metadata: input.metadata };
  // Every snapshot of the disk that is not gone yet counts, whatever its status.
  const ofDisk = ctx.store.snapshots(ctx.projectId).filter((s) => s.volumeId === volume.id).length;
  if (ofDisk >= SNAPSHOTS_PER_DISK && !ctx.evs.has('eighth-snapshot-accepted')) {
    if (ctx.evs.has('limit-refused-but-created')) ctx.store.addSnapshot(ctx.projectId, ctx.userId, volume, fields);
    throw snapshotsPerDisk(volume.id, SNAPSHOTS_PER_DISK);
  }
  const snapshot = ctx.store.addSnapshot(ctx.projectId, ctx.userId, volume, fields);
  return json(202, { snapshot: snapshotBody(snapshot, 'detail', ctx) });
}

export function showSnapshot(ctx: EvsCtx, id: string): Reply {
  return json(200, { snapshot: snapshotBody(existing(ctx, id), 'detail', ctx) });
}

/** PUT: name and description only; no status precondition (as in Cinder). */
export function updateSnapshot(ctx: EvsCtx, id: string): Reply {
  const input = snapshotUpdate(ctx.body(), FaultSet.none, textLimits(ctx.evs)); // validated before the lookup
  const snapshot = existing(ctx, id);
  if (input.name !== undefined) snapshot.name = input.name;
  if (input.description !== undefined) snapshot.description = input.description;
  snapshot.updatedAt = ctx.store.now();
  return json(200, { snapshot: snapshotBody(snapshot, 'detail', ctx) });
}

/** DELETE: only from `available` or `error` (EVS.1047 otherwise), then `deleting` until gone. */
export function deleteSnapshot(ctx: EvsCtx, id: string): Reply {
  const snapshot = existing(ctx, id);
  if (ctx.evs.has('reserved-prefix-undeletable') && snapshot.name?.startsWith(RESERVED_PREFIX)) {
    throw forbidden('Policy check failed.');
  }
  const deletable = ctx.evs.has('delete-while-creating-allowed') ? [...SNAPSHOT_DELETABLE, 'creating'] : SNAPSHOT_DELETABLE;
  if (!deletable.includes(snapshot.status)) throw invalidDeleteStatus();
  ctx.store.startSnapshotRemoval(snapshot);
  return empty(202);
}

/** POST /snapshots/{id}/action with `os-reset_status` (Cinder's admin action): sets any EVS status. */
export function snapshotAction(ctx: EvsCtx, id: string): Reply {
  const body = ctx.body();
  const snapshot = existing(ctx, id);
  const action = isObject(body) ? Object.keys(body)[0] : undefined;
  if (action !== 'os-reset_status' || !isObject(body)) throw badRequest(`There is no such action: ${action ?? ''}`);
  const args = body['os-reset_status'];
  const status = isObject(args) ? args.status : undefined;
  if (typeof status !== 'string' || !SNAPSHOT_STATUSES.includes(status)) {
    throw badRequest(`Invalid input received: Invalid status: ${String(status)}`);
  }
  snapshot.status = status;
  snapshot.progress = status === 'available' ? '100%' : snapshot.progress;
  snapshot.updatedAt = ctx.store.now();
  return empty(202);
}

/** GET /snapshots and /snapshots/detail: filters name, status, volume_id; other keys are ignored. */
export function listSnapshots(detail: boolean) {
  return (ctx: EvsCtx): Reply => {
    const params = ctx.url.searchParams;
    const wanted = (['name', 'status', 'volume_id'] as const).map((key) => [key, params.get(key)] as const);
    const field = { name: (s: Snapshot) => s.name, status: (s: Snapshot) => s.status, volume_id: (s: Snapshot) => s.volumeId };
    const matching = ctx.store
      .snapshots(ctx.projectId)
      .filter((s) => wanted.every(([key, value]) => value === null || field[key](s) === value));
    const page = paginate(matching, ctx, {
      collection: 'snapshots',
      sortFields: {
        created_at: (s: Snapshot) => s.createdAt,
        updated_at: (s: Snapshot) => s.updatedAt,
        id: (s: Snapshot) => s.id,
        name: (s: Snapshot) => s.name,
        status: (s: Snapshot) => s.status,
        volume_id: (s: Snapshot) => s.volumeId,
        size: (s: Snapshot) => s.size,
      },
      findMarker: (markerId) => ctx.store.snapshot(ctx.projectId, markerId),
      faults: FaultSet.none,
      dialect: listDialect(ctx.evs, !ctx.evs.has('offset-ignored')),
    });
    const body: Record<string, unknown> = {
      snapshots: page.items.map((s) => snapshotBody(s, detail ? 'detail' : 'summary', ctx)),
    };
    // With a next page: the list. Without: null on v2, absent on v3 (as the two references show).
    const links = nextLinks(ctx, page);
    if (ctx.evs.has('links-wrong-type')) {
      if (links || ctx.family === 'v2') body.snapshots_links = links?.[0]?.href ?? '';
    } else if (links) body.snapshots_links = links;
    else if (ctx.family === 'v2') body.snapshots_links = null;
    return json(200, body);
  };
}
