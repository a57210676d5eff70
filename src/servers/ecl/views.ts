// Serialisation: the fields each resource carries in ECL's answers.
import type { EclFaults } from './faults.ts';
import type { Snapshot, Tenant, VirtualStorage, Volume } from './store.ts';
import { BLOCK_TYPE, type VolumeType, volumeTypeById } from './volume-types.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** ECL's DateTime as the create-snapshot sample writes it: `2017-01-25T07:01:03+0000` (UTC, no colon). */
export function timestamp(d: Date): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}

const orNull = (d: Date | null): string | null => (d ? timestamp(d) : null);

// Fields exactly as the create-snapshot page lists them, in its order.
export function snapshotView(s: Snapshot, faults: EclFaults): Record<string, unknown> {
  return {
    id: s.id,
    status: s.status,
    name: s.name,
    description: s.description,
    usage: faults.has('usage-string') ? String(s.usage) : s.usage,
    volume_id: s.volumeId,
    snapshot_type_id: SNAPSHOT_TYPE_ID,
    created_at: faults.has('created-at-format') ? timestamp(s.createdAt).replace('T', ' ').slice(0, 19) : timestamp(s.createdAt),
    updated_at: orNull(s.updatedAt),
    deleted_at: null, // a deleted snapshot is gone, so no answer ever carries a deletion time
    error_message: '',
    delete_reason: '',
  };
}

// ECL documents one snapshot type id per snapshot but no catalogue of them; this one is ours.
const SNAPSHOT_TYPE_ID = 'd3a7c1f0-5b2e-4e86-a9c4-1f60b8e27d35';

// Fields that do not apply to the volume's type are null (strings) or [] (arrays): the references
// list them for every volume and say which type they are "available for", not what the other
// type shows. `metadata` is an object, as eclcloud decodes it, not the String the page names.
export function volumeView(v: Volume, tenant: Tenant): Record<string, unknown> {
  const block = typeOfVolume(v, tenant)?.name === BLOCK_TYPE;
  return {
    id: v.id,
    status: v.status,
    name: v.name,
    description: v.description,
    size: v.size,
    iops_per_gb: v.iopsPerGb,
    initiator_iqns: [...v.initiatorIqns],
    initiator_secret: block ? '' : null,
    target_secret: block ? '' : null,
    throughput: v.throughput,
    snapshot_ids: [...tenant.snapshots.values()].filter((s) => s.volumeId === v.id).map((s) => s.id),
    target_ips: v.status === 'available' ? [...v.targetIps] : [],
    metadata: {},
    virtual_storage_id: v.virtualStorageId,
    availability_zone: v.availabilityZone,
    created_at: timestamp(v.createdAt),
    updated_at: orNull(v.updatedAt),
    error_message: '',
    percent_snapshot_reserve_used: 0,
    export_rules: [],
  };
}

export function typeOfVolume(v: Volume, tenant: Tenant): VolumeType | undefined {
  const vs = tenant.virtualStorages.get(v.virtualStorageId);
  return vs && volumeTypeById(vs.volumeTypeId);
}

export function virtualStorageView(vs: VirtualStorage): Record<string, unknown> {
  return {
    id: vs.id,
    network_id: vs.networkId,
    subnet_id: vs.subnetId,
    ip_addr_pool: { ...vs.pool },
    host_routes: [],
    volume_type_id: vs.volumeTypeId,
    name: vs.name,
    description: vs.description,
    status: vs.status,
    created_at: timestamp(vs.createdAt),
    updated_at: null,
    error_message: '',
  };
}

export function volumeTypeView(t: VolumeType): Record<string, unknown> {
  const extra: Record<string, unknown> = { available_volume_size: [...t.sizes.offered] };
  if (t.iopsPerGb.length > 0) extra.available_iops_per_gb = [...t.iopsPerGb];
  if (t.throughput.length > 0) extra.available_volume_throughput = [...t.throughput];
  return { id: t.id, name: t.name, extra_specs: extra };
}
