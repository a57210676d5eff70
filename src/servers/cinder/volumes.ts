// Volume handlers: just enough of the volume API to give snapshots a parent.
import { volumeNotFound } from './errors.ts';
import { FaultSet } from './faults.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { matchesMetadata, paginate, parseMetadataFilter } from './listing.ts';
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

export function listVolumes(detail: boolean) {
  return (ctx: Ctx): Reply => {
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
      sortFields: {
        created_at: (v: Volume) => v.createdAt,
        updated_at: (v: Volume) => v.updatedAt,
        id: (v: Volume) => v.id,
        status: (v: Volume) => v.status,
        size: (v: Volume) => v.size,
        name: (v: Volume) => v.name,
      },
      findMarker: (markerId) => ctx.store.volume(ctx.projectId, markerId),
      faults: FaultSet.none, // the named faults are about snapshots
    });
    const body: Record<string, unknown> = {
      volumes: page.items.map((v) => (detail ? volumeDetail(v, ctx) : volumeSummary(v, ctx))),
    };
    if (page.links) body.volumes_links = page.links;
    return json(200, body);
  };
}
