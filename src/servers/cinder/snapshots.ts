// Snapshot handlers: create, list, show, update, delete and the admin actions.
import { badRequest, serverError, snapshotNotFound, volumeNotFound } from './errors.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { PAGING_PARAMS, matchesMetadata, paginate, parseMetadataFilter, wantsCount } from './listing.ts';
import { boolFromString } from './pycompat.ts';
import type { Snapshot } from './store.ts';
import { isObject, snapshotCreate, snapshotUpdate } from './validation.ts';
import { snapshotView } from './views.ts';

const IN_USE_FORCE_FALSE =
  "Since microversion 3.66 the 'force' flag is invalid for this request.  For backward compatability, " +
  "however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.";

/** The snapshot for show/update/delete; an unknown id is 404 (500 under `unknown-id-500`). */
function existing(ctx: Ctx, id: string): Snapshot {
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (snapshot) return snapshot;
  throw ctx.faults.has('unknown-id-500') ? serverError() : snapshotNotFound(id);
}

export function createSnapshot(ctx: Ctx): Reply {
  const input = snapshotCreate(ctx.body(), ctx.faults);
  if (input.volumeId === null) throw volumeNotFound('None'); // Python's str(None)
  const volume = ctx.store.volume(ctx.projectId, input.volumeId);
  if (!volume) throw volumeNotFound(input.volumeId);
  if (ctx.mv >= 66 && input.force === false && !ctx.faults.has('force-false-accepted')) throw badRequest(IN_USE_FORCE_FALSE);
  // In-use volumes need `force` before 3.66; from 3.66 they are always allowed.
  const inUseOk = input.force === true || ctx.mv >= 66;
  if (volume.status !== 'available' && !(inUseOk && volume.status === 'in-use')) {
    const wanted = ctx.mv >= 66 ? 'available or in-use' : 'available';
    throw badRequest(`Invalid volume: Volume ${volume.id} status must be ${wanted}, but current status is: ${volume.status}.`);
  }
  const snapshot = ctx.store.addSnapshot(ctx.projectId, ctx.userId, volume, {
    name: input.name,
    description: input.description,
    metadata: input.metadata,
  });
  return json(ctx.faults.has('create-returns-200') ? 200 : 202, { snapshot: snapshotView(snapshot, 'write', ctx) });
}

export function showSnapshot(ctx: Ctx, id: string): Reply {
  return json(200, { snapshot: snapshotView(existing(ctx, id), 'show', ctx) });
}

export function updateSnapshot(ctx: Ctx, id: string): Reply {
  const input = snapshotUpdate(ctx.body(), ctx.faults); // the body is validated before the lookup
  const stored = existing(ctx, id);
  // Real Cinder answers with the updated_at from before the update; this server answers with the
  // new one, so the PUT answer and a following GET agree.
  const target = ctx.faults.has('update-ignored') ? { ...stored, metadata: new Map(stored.metadata) } : stored;
  if (input.name !== undefined) target.name = input.name;
  if (input.description !== undefined) target.description = input.description;
  target.updatedAt = ctx.store.now();
  return json(200, { snapshot: snapshotView(target, 'write', ctx) });
}

export function deleteSnapshot(ctx: Ctx, id: string): Reply {
  ctx.store.deleteSnapshot(existing(ctx, id));
  return empty(ctx.faults.has('delete-returns-204') ? 204 : 202);
}

const STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting', 'backing-up', 'restoring', 'unmanaging'];

/** POST /snapshots/{id}/action: os-reset_status and os-force_delete, as an admin may use them. */
export function snapshotAction(ctx: Ctx, id: string): Reply {
  const body = ctx.body();
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (!snapshot) throw snapshotNotFound(id);
  const action = isObject(body) ? Object.keys(body)[0] : undefined;
  if (action === 'os-reset_status' && isObject(body)) {
    const args = body['os-reset_status'];
    const status = isObject(args) ? args.status : undefined;
    if (typeof status !== 'string' || !STATUSES.includes(status)) {
      throw badRequest(`Invalid input received: Invalid status: ${String(status)}`);
    }
    snapshot.status = status;
    snapshot.updatedAt = ctx.store.now();
    return empty(202);
  }
  if (action === 'os-force_delete') {
    ctx.store.startSnapshotRemoval(snapshot);
    return empty(202);
  }
  throw badRequest(`There is no such action: ${action ?? ''}`);
}

/** GET /snapshots and /snapshots/detail. */
export function listSnapshots(detail: boolean) {
  return (ctx: Ctx): Reply => {
    const matches = snapshotFilter(ctx);
    const page = paginate(ctx.store.snapshots(ctx.projectId).filter(matches), ctx, {
      collection: 'snapshots',
      sortFields: {
        created_at: (s: Snapshot) => s.createdAt,
        updated_at: (s: Snapshot) => s.updatedAt,
        id: (s: Snapshot) => s.id,
        status: (s: Snapshot) => s.status,
        volume_id: (s: Snapshot) => s.volumeId,
        size: (s: Snapshot) => s.size,
        ...(ctx.mv >= 30 || ctx.faults.has('sort-name-early') ? { name: (s: Snapshot) => s.name } : {}),
      },
      findMarker: (markerId) => ctx.store.snapshot(ctx.projectId, markerId),
      faults: ctx.faults,
    });
    const body: Record<string, unknown> = {
      snapshots: page.items.map((s) => snapshotView(s, detail ? 'list-detail' : 'list', ctx)),
    };
    if (page.links) body.snapshots_links = page.links;
    if (wantsCount(ctx)) body.count = page.count;
    return json(200, body);
  };
}

// Filters a project owner may use. Before 3.31 unknown keys are dropped; from 3.31 they are refused
// (Cinder's resource filters for non-admin users).
function snapshotFilter(ctx: Ctx): (s: Snapshot) => boolean {
  const params = ctx.url.searchParams;
  const tests: Array<(s: Snapshot) => boolean> = [];
  const unknown: string[] = [];
  for (const [key, value] of params) {
    if (PAGING_PARAMS.includes(key) || key === 'all_tenants') continue;
    if (key === 'name') tests.push((s) => s.name === value);
    else if (key === 'status') tests.push((s) => s.status === value);
    else if (key === 'volume_id') tests.push((s) => s.volumeId === value);
    else if (key === 'availability_zone') tests.push(() => value === 'nova');
    else if (key === 'metadata' && ctx.mv >= 22) {
      const wanted = parseMetadataFilter(value);
      tests.push((s) => matchesMetadata(s.metadata, wanted));
    } else if (key === 'name~' && ctx.mv >= 34) {
      tests.push((s) => (s.name ?? '').toLowerCase().includes(value.toLowerCase()));
    } else if (key === 'consumes_quota' && ctx.mv >= 65) {
      const wanted = boolFromString(value);
      tests.push(() => wanted === true);
    } else unknown.push(key);
  }
  if (unknown.length > 0 && ctx.mv >= 31) {
    throw badRequest(`Invalid input received: Invalid filters ${unknown.join(',')} are found in query options.`);
  }
  return (s) => tests.every((t) => t(s));
}
