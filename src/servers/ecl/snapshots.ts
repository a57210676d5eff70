// Snapshot handlers. Create is synchronous: it answers once the snapshot is `available`.
import { badRequest, notFound } from './errors.ts';
import { type Ctx, type Reply, reply } from './http.ts';
import type { Snapshot, Tenant } from './store.ts';
import { snapshotCreate, snapshotUpdate } from './validation.ts';
import { snapshotView, typeOfVolume } from './views.ts';
import { BLOCK_TYPE } from './volume-types.ts';

function existing(ctx: Ctx, id: string): Snapshot {
  const snapshot = ctx.tenant.snapshots.get(id);
  if (!snapshot) throw notFound(`Snapshot ${id} could not be found.`);
  return snapshot;
}

/** Names are unique per tenant (compared exactly, case included). */
function nameTaken(tenant: Tenant, name: string, except?: string): boolean {
  return [...tenant.snapshots.values()].some((s) => s.name === name && s.id !== except);
}

const duplicateName = (name: string) => badRequest(`Snapshot name '${name}' is already used in this tenant.`);

export async function createSnapshot(ctx: Ctx): Promise<Reply> {
  const { faults, tenant } = ctx;
  const input = snapshotCreate(ctx.body());
  const volume = tenant.volumes.get(input.volumeId);
  if (!volume) throw notFound(`Volume ${input.volumeId} could not be found.`);
  const type = typeOfVolume(volume, tenant);
  if (type?.name !== BLOCK_TYPE && !faults.has('wrong-volume-type-accepted')) {
    throw badRequest(`Snapshots are available only for ${BLOCK_TYPE} volumes; volume ${volume.id} is ${type?.name ?? 'of an unknown type'}.`);
  }
  if (volume.status !== 'available' && !faults.has('busy-volume-accepted')) {
    throw badRequest(`Volume ${volume.id} must be available to take a snapshot; its status is ${volume.status}.`);
  }
  const fields = { name: input.name, description: input.description };
  if (nameTaken(tenant, input.name)) {
    if (faults.has('duplicate-refused-but-created')) {
      ctx.store.addSnapshot(tenant, volume, fields, 'available');
      throw duplicateName(input.name);
    }
    if (!faults.has('duplicate-name-accepted')) throw duplicateName(input.name);
  }
  if (faults.has('create-async')) {
    await ctx.store.wait(ctx.delays.busyMs);
    const snapshot = ctx.store.addSnapshot(tenant, volume, fields, 'creating');
    ctx.store.transition(snapshot, 'creating', ctx.delays.snapshotCreateMs, (created) => {
      created.status = 'available';
    });
    return reply(202, { snapshot: snapshotView(snapshot, faults) });
  }
  // The tenant stays busy while the backend takes the snapshot; nothing is visible before.
  await ctx.store.wait(ctx.delays.snapshotCreateMs);
  const snapshot = ctx.store.addSnapshot(tenant, volume, fields, 'available');
  return reply(200, { snapshot: snapshotView(snapshot, faults) });
}

export function showSnapshot(ctx: Ctx, id: string): Reply {
  return reply(200, { snapshot: snapshotView(existing(ctx, id), ctx.faults) });
}

// ECL documents no pagination and only `volume_id` as a filter; other query parameters are
// ignored, as list endpoints of OpenStack-derived APIs usually do. Both lists carry full objects
// (the references show no summary form).
export function listSnapshots(ctx: Ctx): Reply {
  const volumeId = ctx.faults.has('volume-filter-ignored') ? null : ctx.url.searchParams.get('volume_id');
  const snapshots = [...ctx.tenant.snapshots.values()].filter((s) => volumeId === null || s.volumeId === volumeId);
  return reply(200, { snapshots: snapshots.map((s) => snapshotView(s, ctx.faults)) });
}

export async function updateSnapshot(ctx: Ctx, id: string): Promise<Reply> {
  const input = snapshotUpdate(ctx.body());
  const stored = existing(ctx, id);
  if (stored.status !== 'available') {
    throw badRequest(`Snapshot ${id} must be available to be updated; its status is ${stored.status}.`);
  }
  // Unique in the tenant: another snapshot's name is refused, the snapshot's own is no clash.
  const except = ctx.faults.has('own-name-update-refused') ? undefined : id;
  if (input.name !== undefined && nameTaken(ctx.tenant, input.name, except) && !ctx.faults.has('duplicate-name-on-update-accepted')) throw duplicateName(input.name);
  await ctx.store.wait(ctx.delays.busyMs);
  const target = ctx.faults.has('update-ignored') ? { ...stored } : stored;
  if (input.name !== undefined) target.name = input.name;
  if (input.description !== undefined) target.description = input.description;
  target.updatedAt = new Date();
  return reply(200, { snapshot: snapshotView(target, ctx.faults) });
}

// The ECL delete-snapshot page is not in our references; like Delete Volume it is synchronous,
// answers 200 {"api_error_message": ""} and the snapshot is gone at once. A snapshot still being
// taken (only seen under `create-async`) or already being deleted is refused.
export async function deleteSnapshot(ctx: Ctx, id: string): Promise<Reply> {
  const snapshot = existing(ctx, id);
  if (snapshot.status !== 'available' && snapshot.status !== 'error') {
    throw badRequest(`Snapshot ${id} must be available or error to be deleted; its status is ${snapshot.status}.`);
  }
  await ctx.store.wait(ctx.delays.busyMs);
  if (ctx.faults.has('delete-leaves-ghost')) snapshot.status = 'deleting';
  else ctx.tenant.snapshots.delete(id);
  return reply(200);
}
