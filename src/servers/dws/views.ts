// Snapshot bodies: the list item (vendor-facts 3.3 core members) and the detail (core plus the
// extended members of the show answer).
import type { DwsFaults } from './faults.ts';
import type { Cluster, Snapshot } from './store.ts';

function status(snapshot: Snapshot, faults: DwsFaults): string {
  return faults.has('lowercase-status') ? snapshot.status.toLowerCase() : snapshot.status;
}

// `finished` is null (not absent) until the snapshot is AVAILABLE, so every item has the same members.
export function snapshotItem(snapshot: Snapshot, faults: DwsFaults): Record<string, unknown> {
  return {
    id: snapshot.id,
    name: snapshot.name,
    description: snapshot.description,
    started: snapshot.started,
    finished: snapshot.finished,
    size: snapshot.size,
    status: status(snapshot, faults),
    type: 'MANUAL', // only manual snapshots are made through this API
    cluster_id: snapshot.clusterId,
  };
}

// Values the references leave open, chosen for a manual, full, cluster-level snapshot to OBS:
// the automated-policy members carry neutral values (no period, the request time as the expected
// start, -1 = kept until deleted), and a full snapshot is its own base.
export function snapshotDetail(snapshot: Snapshot, cluster: Cluster | undefined, faults: DwsFaults): Record<string, unknown> {
  const done = snapshot.status === 'AVAILABLE';
  return {
    ...snapshotItem(snapshot, faults),
    datastore: { type: 'dws', version: cluster?.version ?? '' },
    cluster_name: cluster?.name ?? '',
    updated: snapshot.updated,
    bak_expected_start_time: snapshot.started,
    bak_keep_day: -1,
    bak_period: '',
    db_user: 'dbadmin',
    progress: done ? '100%' : '0%',
    backup_key: snapshot.backupKey,
    prior_backup_key: 'FULL',
    base_backup_key: snapshot.backupKey,
    backup_device: 'OBS',
    total_backup_size: Math.ceil(snapshot.size), // an integer in the SDK models; GB rounded up here
    base_backup_name: snapshot.name,
    support_inplace_restore: true,
    fine_grained_backup: false,
    backup_level: 'cluster',
  };
}
