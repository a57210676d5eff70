// Volume handlers: enough of the volume API to give snapshots a parent, with ECL's rules.
import { badRequest, notFound } from './errors.ts';
import { type Ctx, type Reply, reply } from './http.ts';
import type { Volume } from './store.ts';
import { volumeCreate } from './validation.ts';
import { volumeView } from './views.ts';
import { BLOCK_TYPE, FILE_TYPE, acceptsSize, volumeTypeById } from './volume-types.ts';

// ECL's zones are written zonename-groupname; this is the one zone the server has.
const DEFAULT_ZONE = 'zone1-groupa';

function existing(ctx: Ctx, id: string): Volume {
  const volume = ctx.tenant.volumes.get(id);
  if (!volume) throw notFound(`Volume ${id} could not be found.`);
  return volume;
}

// Asynchronous: 202 with `creating`; `available` after volumeCreateMs. Only the answer keeps the
// tenant busy, not the background work after it.
export async function createVolume(ctx: Ctx): Promise<Reply> {
  const { tenant } = ctx;
  const input = volumeCreate(ctx.body());
  const vs = tenant.virtualStorages.get(input.virtualStorageId);
  if (!vs) throw notFound(`Virtual storage ${input.virtualStorageId} could not be found.`);
  if (vs.status !== 'available') {
    throw badRequest(`Virtual storage ${vs.id} must be available; its status is ${vs.status}.`);
  }
  const type = volumeTypeById(vs.volumeTypeId)!;
  const block = type.name === BLOCK_TYPE;
  if (!acceptsSize(type, input.size)) {
    const allowed = block ? `${type.sizes.min} to ${type.sizes.max}` : type.sizes.offered.join(', ');
    throw badRequest(`'size' must be ${allowed} GB for ${type.name}, not ${input.size}.`);
  }
  const only = (field: string, wanted: string) => badRequest(`'${field}' is available only for ${wanted} volumes.`);
  if (!block && input.iopsPerGb !== undefined) throw only('iops_per_gb', BLOCK_TYPE);
  if (!block && input.initiatorIqns !== undefined) throw only('initiator_iqns', BLOCK_TYPE);
  if (block && input.throughput !== undefined) throw only('throughput', FILE_TYPE);
  if (input.iopsPerGb !== undefined && !type.iopsPerGb.includes(input.iopsPerGb)) {
    throw badRequest(`'iops_per_gb' must be one of ${type.iopsPerGb.join(', ')}.`);
  }
  if (input.throughput !== undefined && !type.throughput.includes(input.throughput)) {
    throw badRequest(`'throughput' must be one of ${type.throughput.join(', ')}.`);
  }
  if ([...tenant.volumes.values()].some((v) => v.name === input.name)) {
    throw badRequest(`Volume name '${input.name}' is already used in this tenant.`);
  }
  await ctx.store.wait(ctx.delays.busyMs);
  const volume = ctx.store.addVolume(
    tenant,
    {
      name: input.name,
      description: input.description,
      size: input.size,
      virtualStorageId: vs.id,
      availabilityZone: input.availabilityZone ?? DEFAULT_ZONE,
      // Unset options take the type's first offer (the lowest IOPS/GB or throughput).
      iopsPerGb: block ? (input.iopsPerGb ?? type.iopsPerGb[0]!) : null,
      initiatorIqns: input.initiatorIqns ?? [],
      throughput: block ? null : (input.throughput ?? type.throughput[0]!),
    },
    ctx.delays.volumeCreateMs,
  );
  return reply(202, { volume: volumeView(volume, tenant) });
}

export function showVolume(ctx: Ctx, id: string): Reply {
  return reply(200, { volume: volumeView(existing(ctx, id), ctx.tenant) });
}

// Both /volumes and /volumes/detail carry full objects; no filters or pagination are documented.
export function listVolumes(ctx: Ctx): Reply {
  return reply(200, { volumes: [...ctx.tenant.volumes.values()].map((v) => volumeView(v, ctx.tenant)) });
}

// Synchronous, 200 {"api_error_message": ""}: only from available or error_creating, and only
// once every snapshot of the volume is deleted.
export async function deleteVolume(ctx: Ctx, id: string): Promise<Reply> {
  const volume = existing(ctx, id);
  if (volume.status !== 'available' && volume.status !== 'error_creating') {
    throw badRequest(`Volume ${id} must be available or error_creating to be deleted; its status is ${volume.status}.`);
  }
  if ([...ctx.tenant.snapshots.values()].some((s) => s.volumeId === id)) {
    throw badRequest(`Volume ${id} still has snapshots; delete them first.`);
  }
  await ctx.store.wait(ctx.delays.busyMs);
  ctx.tenant.volumes.delete(id);
  return reply(200);
}
