// Volume handlers: just enough of the volume API to give snapshots a parent.
import { volumeNotFound } from './errors.ts';
import { cinderFaultRegistry } from './faults.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { type ListDialect, type Page, type SortValue, matchesMetadata, paginate, parseMetadataFilter } from './listing.ts';
import { boolFromString } from './pycompat.ts';
import type { Volume } from './store.ts';
import { volumeCreate } from './validation.ts';
import { volumeDetail, volumeSummary } from './views.ts';

function existing(ctx: Ctx, id: string): Volume {
  const volume = ctx.store.volume(ctx.projectId, id);
  if (!volume) throw volumeNotFound(id);
  return volume;
}

export function createVolume(ctx: Ctx): Reply {
  const input = volumeCreate(ctx.body());
  const volume = ctx.store.addVolume(ctx.projectId, ctx.userId, input);
  return json(202, { volume: volumeDetail(volume, ctx) });
}

export function showVolume(ctx: Ctx, id: string): Reply {
  return json(200, { volume: volumeDetail(existing(ctx, id), ctx) });
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
