// Volume (disk) listing with EVS's paging: summary items {id, links, name}, and `volumes_links` with
// an absolute `next` href when a `limit` was given and more disks remain. Create, show and delete are
// the Cinder family's handlers.
import { FaultSet } from '../cinder/faults.ts';
import { type Reply, json } from '../cinder/http.ts';
import { matchesMetadata, paginate, parseMetadataFilter } from '../cinder/listing.ts';
import type { Volume } from '../cinder/store.ts';
import { volumeDetail, volumeSummary } from '../cinder/views.ts';
import type { EvsCtx } from './context.ts';
import { listDialect, nextLinks } from './rules.ts';

export { createVolume, deleteVolume, showVolume } from '../cinder/volumes.ts';

/** {id, links, name}, each link written {href, rel} as EVS's example shows it. */
function summary(v: Volume, ctx: EvsCtx): Record<string, unknown> {
  const body = volumeSummary(v, ctx);
  const links = body.links as Array<{ rel: string; href: string }>;
  return { ...body, links: links.map(({ href, rel }) => ({ href, rel })) };
}

export function listVolumes(detail: boolean) {
  return (ctx: EvsCtx): Reply => {
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
        name: (v: Volume) => v.name,
        status: (v: Volume) => v.status,
        size: (v: Volume) => v.size,
      },
      findMarker: (markerId) => ctx.store.volume(ctx.projectId, markerId),
      faults: FaultSet.none,
      dialect: listDialect(ctx.evs, true),
    });
    const body: Record<string, unknown> = {
      volumes: page.items.map((v) => (detail ? volumeDetail(v, ctx) : summary(v, ctx))),
    };
    const links = nextLinks(ctx, page);
    if (links && !ctx.evs.has('volumes-links-missing')) body.volumes_links = links;
    return json(200, body);
  };
}
