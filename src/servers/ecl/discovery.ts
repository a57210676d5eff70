// Read-only discovery: the version list at `/`, volume types and the pre-provisioned virtual
// storages a volume needs.
import { notFound } from './errors.ts';
import { type Ctx, type Reply, reply } from './http.ts';
import { VOLUME_TYPES } from './volume-types.ts';
import { virtualStorageView, volumeTypeView } from './views.ts';

/** GET / (no token needed, as version discovery usually is): v1.0 is the only version. */
export function versions(origin: string): Reply {
  return reply(200, {
    versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ href: `${origin}/v1.0/`, rel: 'self' }] }],
  });
}

// /volume_types and /volume_types/detail answer the same objects: the documented list already
// carries extra_specs.
export function listVolumeTypes(): Reply {
  return reply(200, { volume_types: VOLUME_TYPES.map(volumeTypeView) });
}

export function showVolumeType(_ctx: Ctx, id: string): Reply {
  const type = VOLUME_TYPES.find((t) => t.id === id);
  if (!type) throw notFound(`Volume type ${id} could not be found.`);
  return reply(200, { volume_type: volumeTypeView(type) });
}

export function listVirtualStorages(ctx: Ctx): Reply {
  return reply(200, { virtual_storages: [...ctx.tenant.virtualStorages.values()].map(virtualStorageView) });
}

export function showVirtualStorage(ctx: Ctx, id: string): Reply {
  const vs = ctx.tenant.virtualStorages.get(id);
  if (!vs) throw notFound(`Virtual storage ${id} could not be found.`);
  return reply(200, { virtual_storage: virtualStorageView(vs) });
}
