// Volume handlers: just enough of the volume API to give snapshots a parent.
import { type ApiError, badRequest, notFound, snapshotNotFound, volumeNotFound } from './errors.ts';
import { cinderFaultRegistry } from './faults.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { type ListDialect, type Page, type SortValue, matchesMetadata, paginate, parseMetadataFilter } from './listing.ts';
import { boolFromString } from './pycompat.ts';
import type { Volume } from './store.ts';
import { volumeCreate } from './validation.ts';
import { DEFAULT_VOLUME_TYPE, DEFAULT_VOLUME_TYPE_ID, volumeDetail, volumeSummary } from './views.ts';

function existing(ctx: Ctx, id: string): Volume {
  const volume = ctx.store.volume(ctx.projectId, id);
  if (!volume) throw volumeNotFound(id);
  return volume;
}

const SOURCE_STATUSES = ['available', 'in-use'];
const AVAILABILITY_ZONE = 'nova';

const NOT_FOUND: Record<'group' | 'backup' | 'image', (id: string) => ApiError> = {
  group: (id) => notFound(`Group ${id} could not be found.`),
  backup: (id) => notFound(`Backup ${id} could not be found.`),
  image: (id) => notFound(`Image ${id} could not be found.`),
};

/**
 * POST /volumes: empty, or from a snapshot (`snapshot_id`) or another volume (`source_volid`),
 * which must be available and give the size when none is asked for; a smaller size is refused.
 */
export function createVolume(ctx: Ctx): Reply {
  const input = volumeCreate(ctx.body(), ctx.mv);
  if (input.volumeType !== null && input.volumeType !== '' && input.volumeType !== DEFAULT_VOLUME_TYPE && input.volumeType !== DEFAULT_VOLUME_TYPE_ID) {
    throw notFound(`Volume type with name ${input.volumeType} could not be found.`);
  }
  let size = input.size;
  if (input.snapshotId !== null) {
    const snapshot = ctx.store.snapshot(ctx.projectId, input.snapshotId);
    if (!snapshot) throw snapshotNotFound(input.snapshotId);
    if (snapshot.status !== 'available') {
      throw badRequest("Invalid snapshot: Originating snapshot status must be one of 'available' values");
    }
    size ??= snapshot.size;
    if (size < snapshot.size) {
      throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than the snapshot size ${snapshot.size}GB. They must be >= original snapshot size.`);
    }
  }
  if (input.sourceVolid !== null) {
    const source = ctx.store.volume(ctx.projectId, input.sourceVolid);
    if (!source) throw volumeNotFound(input.sourceVolid);
    if (!SOURCE_STATUSES.includes(source.status)) {
      throw badRequest("Invalid volume: Originating source volume status must be one of 'available, in-use' values");
    }
    size ??= source.size;
    if (size < source.size) {
      throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than original volume size  ${source.size}GB. They must be >= original volume size.`);
    }
  }
  const missing = input.missing[0];
  if (missing) throw NOT_FOUND[missing.kind](missing.id);
  if (size === undefined) throw badRequest("Invalid input received: Volume size 'None' must be an integer and greater than 0");
  if (input.availabilityZone !== null && input.availabilityZone !== AVAILABILITY_ZONE) {
    throw badRequest(`Availability zone '${input.availabilityZone}' is invalid.`);
  }
  const volume = ctx.store.addVolume(ctx.projectId, ctx.userId, {
    size,
    name: input.name,
    description: input.description,
    metadata: input.metadata,
    snapshotId: input.snapshotId,
    sourceVolid: input.sourceVolid,
    availabilityZone: AVAILABILITY_ZONE,
  });
  return json(202, { volume: volumeDetail(volume, ctx, 'create') });
}

export function showVolume(ctx: Ctx, id: string): Reply {
  return json(200, { volume: volumeDetail(existing(ctx, id), ctx, 'show') });
}

export function deleteVolume(ctx: Ctx, id: string): Reply {
  const cascade = boolFromString(ctx.url.searchParams.get('cascade') ?? 'false') === true;
  ctx.store.deleteVolume(existing(ctx, id), cascade);
  return empty(202);
}

/** How a member of the family lists volumes where the members differ. */
export interface VolumeListRules<C extends Ctx> {
  summary(v: Volume, ctx: C): Record<string, unknown>;
  /** limit, offset and an unknown marker, where they differ from Cinder's. */
  paging?(ctx: C): ListDialect;
  /** The list body's members beside `volumes` (links). */
  listExtras(ctx: C, page: Page<Volume>): Record<string, unknown>;
}

const VOLUME_SORT_FIELDS: Record<string, (v: Volume) => SortValue> = {
  created_at: (v) => v.createdAt,
  updated_at: (v) => v.updatedAt,
  id: (v) => v.id,
  status: (v) => v.status,
  size: (v) => v.size,
  name: (v) => v.name,
};

/** GET /volumes and /volumes/detail: filters name, status and metadata. */
export function listVolumesWith<C extends Ctx>(rules: VolumeListRules<C>) {
  return (detail: boolean) => (ctx: C): Reply => {
    const params = ctx.url.searchParams;
    const name = params.get('name');
    const status = params.get('status');
    const metadata = params.has('metadata') ? parseMetadataFilter(params.get('metadata')!) : undefined;
    const matching = ctx.store
      .volumes(ctx.projectId)
      .filter((v) => (name === null || v.name === name) && (status === null || v.status === status))
      .filter((v) => metadata === undefined || matchesMetadata(v.metadata, metadata));
    const page = paginate(matching, ctx, {
      collection: 'volumes',
      sortFields: VOLUME_SORT_FIELDS,
      findMarker: (markerId) => ctx.store.volume(ctx.projectId, markerId),
      faults: cinderFaultRegistry.none, // the named faults are about snapshots
      dialect: rules.paging?.(ctx),
    });
    return json(200, {
      volumes: page.items.map((v) => (detail ? volumeDetail(v, ctx) : rules.summary(v, ctx))),
      ...rules.listExtras(ctx, page),
    });
  };
}

export const listVolumes = listVolumesWith<Ctx>({
  summary: volumeSummary,
  listExtras: (_ctx, page) => (page.links ? { volumes_links: page.links } : {}),
});
