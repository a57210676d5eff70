// Snapshot handlers of the Cinder family: create, list, show, update, delete and the admin actions.
// What a member answers differently (limits, views, delete precondition, list paging) comes from its
// rules; Cinder's own rules are at the end.
import { badRequest, serverError, snapshotNotFound, volumeNotFound } from './errors.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { type ListDialect, type Page, PAGING_PARAMS, type SortValue, matchesMetadata, paginate, parseMetadataFilter, wantsCount } from './listing.ts';
import { boolFromString } from './pycompat.ts';
import { INVALID_SNAPSHOT_DELETE, SNAPSHOT_DELETABLE, type Snapshot, type Volume } from './store.ts';
import { CINDER_LIMITS, type TextLimits, isObject, snapshotCreate, snapshotUpdate } from './validation.ts';
import { DEFAULT_VOLUME_TYPE_ID, type SnapshotAnswer, snapshotView } from './views.ts';

const IN_USE_FORCE_FALSE =
  "Since microversion 3.66 the 'force' flag is invalid for this request.  For backward compatability, " +
  "however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.";

/** How one member of the family answers snapshot requests where the members differ. */
export interface SnapshotRules<C extends Ctx> {
  /** Name, description and metadata limits of create and update. */
  limits(ctx: C): TextLimits;
  /** The snapshot as each answer shows it. */
  view(s: Snapshot, answer: SnapshotAnswer, ctx: C): Record<string, unknown>;
  /** Refuses a create the member does not allow beyond Cinder's checks; `store` stores it anyway (for faults). */
  admit?(ctx: C, volume: Volume, store: () => void): void;
  /** Refuses a delete of a snapshot in a state (or of a kind) the member does not delete. */
  checkDelete(ctx: C, s: Snapshot): void;
  /** The statuses os-reset_status sets; whether it also sets progress; whether os-force_delete exists. */
  action: { statuses: readonly string[]; progress: boolean; forceDelete: boolean };
  /** Which snapshots a list query selects (query parameters other than paging ones). */
  filter(ctx: C): (s: Snapshot) => boolean;
  /** Sort keys this request may use. */
  sortFields(ctx: C): Record<string, (s: Snapshot) => SortValue>;
  /** limit, offset and an unknown marker, where they differ from Cinder's. */
  paging?(ctx: C): ListDialect;
  /** The list body's members beside `snapshots` (links, count). */
  listExtras(ctx: C, page: Page<Snapshot>): Record<string, unknown>;
}

/** The snapshot for show/update/delete; an unknown id is 404 (500 under `unknown-id-500`). */
export function existing(ctx: Ctx, id: string): Snapshot {
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (snapshot) return snapshot;
  throw ctx.faults.has('unknown-id-500') ? serverError() : snapshotNotFound(id);
}

export function snapshotHandlers<C extends Ctx>(rules: SnapshotRules<C>) {
  function createSnapshot(ctx: C): Reply {
    const input = snapshotCreate(ctx.body(), ctx.faults, rules.limits(ctx));
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
    const fields = { name: input.name, description: input.description, metadata: input.metadata };
    rules.admit?.(ctx, volume, () => ctx.store.addSnapshot(ctx.projectId, ctx.userId, volume, fields));
    const snapshot = ctx.store.addSnapshot(ctx.projectId, ctx.userId, volume, fields);
    return json(ctx.faults.has('create-returns-200') ? 200 : 202, { snapshot: rules.view(snapshot, 'create', ctx) });
  }

  function showSnapshot(ctx: C, id: string): Reply {
    return json(200, { snapshot: rules.view(existing(ctx, id), 'show', ctx) });
  }

  /** PUT: name and description only; no status precondition. */
  function updateSnapshot(ctx: C, id: string): Reply {
    const input = snapshotUpdate(ctx.body(), ctx.faults, rules.limits(ctx)); // the body is validated before the lookup
    const stored = existing(ctx, id);
    // Real Cinder answers with the updated_at from before the update; this server answers with the
    // new one, so the PUT answer and a following GET agree.
    const target = ctx.faults.has('update-ignored') ? { ...stored, metadata: new Map(stored.metadata) } : stored;
    if (input.name !== undefined) target.name = input.name;
    if (input.description !== undefined) target.description = input.description;
    target.updatedAt = ctx.store.now();
    return json(200, { snapshot: rules.view(target, 'update', ctx) });
  }

  /** DELETE: the member's precondition, then `deleting` until the backend is done. */
  function deleteSnapshot(ctx: C, id: string): Reply {
    const snapshot = existing(ctx, id);
    rules.checkDelete(ctx, snapshot);
    ctx.store.startSnapshotRemoval(snapshot);
    return empty(ctx.faults.has('delete-returns-204') ? 204 : 202);
  }

  /** POST /snapshots/{id}/action: os-reset_status (and os-force_delete), as an admin may use them. */
  function snapshotAction(ctx: C, id: string): Reply {
    const body = ctx.body();
    const snapshot = ctx.store.snapshot(ctx.projectId, id);
    if (!snapshot) throw snapshotNotFound(id);
    const action = isObject(body) ? Object.keys(body)[0] : undefined;
    if (action === 'os-reset_status' && isObject(body)) {
      const args = body['os-reset_status'];
      const status = isObject(args) ? args.status : undefined;
      if (typeof status !== 'string' || !rules.action.statuses.includes(status)) {
        throw badRequest(`Invalid input received: Invalid status: ${String(status)}`);
      }
      snapshot.status = status;
      if (rules.action.progress && status === 'available') snapshot.progress = '100%';
      snapshot.updatedAt = ctx.store.now();
      return empty(202);
    }
    if (action === 'os-force_delete' && rules.action.forceDelete) {
      ctx.store.startSnapshotRemoval(snapshot);
      return empty(202);
    }
    throw badRequest(`There is no such action: ${action ?? ''}`);
  }

  /** GET /snapshots and /snapshots/detail. */
  function listSnapshots(detail: boolean) {
    return (ctx: C): Reply => {
      const page = paginate(ctx.store.snapshots(ctx.projectId).filter(rules.filter(ctx)), ctx, {
        collection: 'snapshots',
        sortFields: rules.sortFields(ctx),
        findMarker: (markerId) => ctx.store.snapshot(ctx.projectId, markerId),
        faults: ctx.faults,
        dialect: rules.paging?.(ctx),
      });
      return json(200, {
        snapshots: page.items.map((s) => rules.view(s, detail ? 'detail' : 'list', ctx)),
        ...rules.listExtras(ctx, page),
      });
    };
  }

  return { createSnapshot, showSnapshot, updateSnapshot, deleteSnapshot, snapshotAction, listSnapshots };
}

/** Sort keys every member takes; `name` is added where the member allows it. */
export const SNAPSHOT_SORT_FIELDS: Record<string, (s: Snapshot) => SortValue> = {
  created_at: (s) => s.createdAt,
  updated_at: (s) => s.updatedAt,
  id: (s) => s.id,
  status: (s) => s.status,
  volume_id: (s) => s.volumeId,
  size: (s) => s.size,
};

// Filters a project owner may use. Before 3.31 unknown keys are dropped; from 3.31 they are refused
// (Cinder's resource filters for non-admin users).
function cinderFilter(ctx: Ctx): (s: Snapshot) => boolean {
  const params = ctx.url.searchParams;
  const tests: Array<(s: Snapshot) => boolean> = [];
  const unknown: string[] = [];
  for (const [key, value] of params) {
    if (PAGING_PARAMS.includes(key) || key === 'all_tenants') continue;
    if (key === 'name') tests.push((s) => (ctx.faults.has('name-filter-substring') ? (s.name ?? '').includes(value) : s.name === value));
    else if (key === 'status') tests.push((s) => ctx.faults.has('status-filter-ignored') || s.status === value);
    else if (key === 'volume_id') tests.push((s) => ctx.faults.has('volume-filter-ignored') || s.volumeId === value);
    else if (key === 'availability_zone') tests.push(() => value === 'nova');
    else if (key === 'metadata' && ctx.mv >= 22) {
      const wanted = parseMetadataFilter(value);
      if (!ctx.faults.has('metadata-filter-ignored')) tests.push((s) => matchesMetadata(s.metadata, wanted));
    } else if (key === 'name~' && ctx.mv >= 34) {
      if (!ctx.faults.has('like-filter-ignored')) tests.push((s) => (s.name ?? '').toLowerCase().includes(value.toLowerCase()));
    } else if (key === 'consumes_quota' && ctx.mv >= 65) {
      const wanted = boolFromString(value);
      if (!ctx.faults.has('consumes-quota-filter-ignored')) tests.push(() => wanted === true);
    } else unknown.push(key);
  }
  if (unknown.length > 0 && ctx.mv >= 31) {
    throw badRequest(`Invalid input received: Invalid filters ${unknown.join(',')} are found in query options.`);
  }
  return (s) => tests.every((t) => t(s));
}

/**
 * Cinder sorts snapshots in its database: any column of its snapshots table is a sort key, at every
 * microversion (`display_name`, `volume_size`...), and nothing else (`size`, a view's name for
 * volume_size, is refused); from 3.30 `name` stands for display_name. Columns this server keeps no
 * value of hold the value every snapshot has here.
 */
const SNAPSHOT_COLUMNS: Record<string, (s: Snapshot) => SortValue> = {
  id: (s) => s.id,
  created_at: (s) => s.createdAt,
  updated_at: (s) => s.updatedAt,
  deleted_at: () => null,
  deleted: () => 0,
  user_id: (s) => s.userId,
  project_id: (s) => s.projectId,
  volume_id: (s) => s.volumeId,
  cgsnapshot_id: () => null,
  group_snapshot_id: () => null,
  status: (s) => s.status,
  progress: (s) => s.progress,
  volume_size: (s) => s.size,
  scheduled_at: (s) => s.createdAt,
  display_name: (s) => s.name,
  display_description: (s) => s.description,
  provider_location: () => null,
  provider_id: () => null,
  provider_auth: () => null,
  encryption_key_id: () => null,
  volume_type_id: () => DEFAULT_VOLUME_TYPE_ID,
  use_quota: () => 1,
};

const CINDER_STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting', 'backing-up', 'restoring', 'unmanaging'];

/** Cinder's own rules. */
export const CINDER_SNAPSHOTS: SnapshotRules<Ctx> = {
  limits: (ctx) => {
    if (ctx.faults.has('limits-count-bytes')) return { ...CINDER_LIMITS, text: { tooLong: (value: string) => Buffer.byteLength(value, 'utf8') > 255, unit: 'bytes' } };
    if (ctx.faults.has('description-control-chars-accepted')) return { ...CINDER_LIMITS, printable: /^/u };
    return CINDER_LIMITS;
  },
  view: snapshotView,
  checkDelete(ctx, s) {
    const allowed = ctx.faults.has('delete-while-creating-allowed') ? [...SNAPSHOT_DELETABLE, 'creating'] : SNAPSHOT_DELETABLE;
    if (!allowed.includes(s.status)) throw badRequest(INVALID_SNAPSHOT_DELETE);
  },
  action: { statuses: CINDER_STATUSES, progress: false, forceDelete: true },
  filter: cinderFilter,
  sortFields: (ctx) => ({
    ...SNAPSHOT_COLUMNS,
    ...(ctx.mv >= 30 || ctx.faults.has('sort-name-early') ? { name: (s: Snapshot) => s.name } : {}),
  }),
  listExtras(ctx, page) {
    const extras: Record<string, unknown> = {};
    if (page.links) extras.snapshots_links = page.links;
    if (wantsCount(ctx)) extras.count = page.count;
    return extras;
  },
};

export const { createSnapshot, showSnapshot, updateSnapshot, deleteSnapshot, snapshotAction, listSnapshots } = snapshotHandlers(CINDER_SNAPSHOTS);
