// Serialisation: which fields each answer carries, by view and microversion.
import type { Ctx } from './http.ts';
import type { Snapshot, Volume } from './store.ts';

/** Which answer a snapshot is shown in. */
export type SnapshotAnswer = 'create' | 'show' | 'update' | 'list' | 'detail';

/**
 * - list:   GET /snapshots (summary fields only, even at 3.70)
 * - detail: GET /snapshots/detail (summary + extended attributes + microversion fields)
 * - show:   GET /snapshots/{id} (same fields as detail)
 * - create, update: summary + microversion fields, no extended attributes
 */
export function snapshotView(s: Snapshot, view: SnapshotAnswer, ctx: Ctx): Record<string, unknown> {
  const listed = view === 'list' || view === 'detail';
  const body: Record<string, unknown> = {
    id: s.id,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    name: listed && ctx.faults.has('list-stale-name') ? s.createdName : s.name,
    description: s.description,
    volume_id: s.volumeId,
    status: s.status,
    size: ctx.faults.has('wrong-type-size') ? String(s.size) : s.size,
    metadata: Object.fromEntries(s.metadata),
  };
  if (ctx.faults.has('drop-field-size')) delete body.size;
  if (view === 'list') return body;
  if (view === 'show' || view === 'detail') {
    body['os-extended-snapshot-attributes:progress'] = s.progress;
    body['os-extended-snapshot-attributes:project_id'] = s.projectId;
  }
  const early = ctx.faults.has('version-fields-early');
  if (ctx.mv >= 14 || early) body.group_snapshot_id = null;
  if (ctx.mv >= 41 || early) body.user_id = s.userId;
  if (ctx.mv >= 65 || early) body.consumes_quota = true;
  return body;
}

function volumeLinks(v: Volume, ctx: Ctx): Array<Record<string, string>> {
  return [
    { rel: 'self', href: `${ctx.origin}/${ctx.family}/${v.projectId}/volumes/${v.id}` },
    { rel: 'bookmark', href: `${ctx.origin}/${v.projectId}/volumes/${v.id}` },
  ];
}

export function volumeSummary(v: Volume, ctx: Ctx): Record<string, unknown> {
  return { id: v.id, links: volumeLinks(v, ctx), name: v.name };
}

/** Which answer a volume is shown in. */
export type VolumeAnswer = 'create' | 'show' | 'detail';

/**
 * Cinder's detail view of a volume as its owner sees it (no admin-only members: migration_status,
 * provider_id, cluster_name, the host and migration extension attributes). The create answer is
 * the view alone; show and list detail add the tenant extension attribute.
 */
export function volumeDetail(v: Volume, ctx: Ctx, answer: VolumeAnswer = 'detail'): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    name: v.name,
    description: v.description,
    volume_type: DEFAULT_VOLUME_TYPE,
    snapshot_id: v.snapshotId,
    source_volid: v.sourceVolid,
    metadata: Object.fromEntries(v.metadata),
    links: volumeLinks(v, ctx),
    user_id: v.userId,
    bootable: 'false',
    encrypted: false,
    replication_status: null,
    consistencygroup_id: null,
    multiattach: false,
    attachments: [],
  };
  if (ctx.mv >= 13) body.group_id = null;
  if (ctx.mv >= 48) {
    body.shared_targets = v.sharedTargets;
    body.service_uuid = v.serviceUuid;
  }
  if (ctx.mv >= 63) body.volume_type_id = DEFAULT_VOLUME_TYPE_ID;
  // encryption_key_id (3.64) is shown only for a volume that has a key: none here has.
  if (ctx.mv >= 65) body.consumes_quota = true;
  if (answer !== 'create') body['os-vol-tenant-attr:tenant_id'] = v.projectId;
  return body;
}

export const DEFAULT_VOLUME_TYPE = '__DEFAULT__';
// A fixed id for the single `__DEFAULT__` volume type this server knows.
export const DEFAULT_VOLUME_TYPE_ID = '5f1d0a1e-6c1b-4d53-9d6b-2f6f1c0a9e01';
