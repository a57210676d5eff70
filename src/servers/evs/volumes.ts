// Volume (disk) listing with EVS's paging: summary items {id, links, name}, and `volumes_links` with
// an absolute `next` href when a `limit` was given and more disks remain. Create, show and delete are
// the Cinder family's handlers.
import type { Volume } from '../cinder/store.ts';
import { volumeSummary } from '../cinder/views.ts';
import { listVolumesWith } from '../cinder/volumes.ts';
import type { EvsCtx } from './context.ts';
import { listDialect, nextLinks } from './rules.ts';

export { createVolume, deleteVolume, showVolume } from '../cinder/volumes.ts';

/** {id, links, name}, each link written {href, rel} as EVS's example shows it. */
function summary(v: Volume, ctx: EvsCtx): Record<string, unknown> {
  const body = volumeSummary(v, ctx);
  const links = body.links as Array<{ rel: string; href: string }>;
  return { ...body, links: links.map(({ href, rel }) => ({ href, rel })) };
}

export const listVolumes = listVolumesWith<EvsCtx>({
  summary,
  paging: (ctx) => listDialect(ctx.evs, true),
  listExtras(ctx, page) {
    const links = nextLinks(ctx, page);
    return links && !ctx.evs.has('volumes-links-missing') ? { volumes_links: links } : {};
  },
});
