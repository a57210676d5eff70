// In-memory state, kept per project, with the timed status transitions of a DWS backend.
import { randomUUID } from 'node:crypto';
import type { DwsFaults } from './faults.ts';
import { Timers } from '../timers.ts';

export interface Delays {
  snapshotCreateMs: number;
  snapshotDeleteMs: number;
}

export type ClusterStatus = 'AVAILABLE' | 'UNAVAILABLE';
export type SnapshotStatus = 'CREATING' | 'AVAILABLE' | 'UNAVAILABLE';

export interface Cluster {
  id: string;
  projectId: string;
  name: string;
  status: ClusterStatus;
  version: string;
  created: string;
  updated: string;
  /** What a full snapshot of this cluster weighs, in GB (snapshot `size`). */
  dataSizeGb: number;
}

export interface Snapshot {
  id: string;
  projectId: string;
  clusterId: string;
  name: string;
  description: string;
  status: SnapshotStatus;
  started: string;
  /** Set when the snapshot becomes AVAILABLE; null before (and if it fails). */
  finished: string | null;
  updated: string;
  size: number;
  backupKey: string;
  /** DELETE accepted; the snapshot disappears once the backend is done. */
  deleting: boolean;
}

interface Project {
  clusters: Map<string, Cluster>;
  snapshots: Map<string, Snapshot>;
}

/** DWS's timestamp form: ISO 8601 in UTC to the second, `YYYY-MM-DDThh:mm:ssZ`. */
export function isoSeconds(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

// Two clusters per project, one of each status, so that clients can tell which one takes snapshots.
function provisionClusters(projectId: string): Map<string, Cluster> {
  const now = isoSeconds();
  const make = (name: string, status: ClusterStatus, dataSizeGb: number): Cluster => ({
    id: randomUUID(),
    projectId,
    name,
    status,
    version: '8.2.1',
    created: now,
    updated: now,
    dataSizeGb,
  });
  const clusters = [make('dws-cluster-available', 'AVAILABLE', 1.25), make('dws-cluster-unavailable', 'UNAVAILABLE', 0.5)];
  return new Map(clusters.map((c) => [c.id, c]));
}

export class Store {
  private readonly projects = new Map<string, Project>();
  private readonly timers = new Timers();

  constructor(
    private readonly delays: Delays,
    private readonly faults: DwsFaults,
  ) {}

  /** The project's state; its clusters are provisioned on first use. */
  private project(projectId: string): Project {
    let p = this.projects.get(projectId);
    if (!p) {
      p = { clusters: provisionClusters(projectId), snapshots: new Map() };
      this.projects.set(projectId, p);
    }
    return p;
  }

  clusters(projectId: string): Cluster[] {
    return [...this.project(projectId).clusters.values()];
  }

  cluster(projectId: string, id: string): Cluster | undefined {
    return this.project(projectId).clusters.get(id);
  }

  /** In creation order, oldest first, as the DWS list sample shows them. */
  snapshots(projectId: string): Snapshot[] {
    return [...this.project(projectId).snapshots.values()];
  }

  snapshot(projectId: string, id: string): Snapshot | undefined {
    return this.project(projectId).snapshots.get(id);
  }

  addSnapshot(cluster: Cluster, name: string, description: string): Snapshot {
    const now = new Date();
    const started = isoSeconds(now);
    const id = randomUUID();
    const snapshot: Snapshot = {
      id,
      projectId: cluster.projectId,
      clusterId: cluster.id,
      name,
      description,
      status: 'CREATING',
      started,
      finished: null,
      updated: started,
      size: 0,
      // DWS documents no format for backup keys; a UTC stamp plus part of the id keeps them unique.
      backupKey: `${started.replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}_${id.slice(0, 8)}`,
      deleting: false,
    };
    this.project(cluster.projectId).snapshots.set(id, snapshot);
    if (!this.faults.has('never-available')) {
      this.timers.transition(snapshot, 'CREATING', this.delays.snapshotCreateMs, (s) => {
        const at = isoSeconds();
        s.updated = at;
        if (this.faults.has('unavailable-on-create')) {
          s.status = 'UNAVAILABLE';
          return;
        }
        s.status = 'AVAILABLE';
        s.finished = at;
        s.size = cluster.dataSizeGb;
      });
    }
    return snapshot;
  }

  /** Starts removing a snapshot; it stays visible, unchanged, until the backend is done. */
  deleteSnapshot(snapshot: Snapshot): void {
    snapshot.deleting = true;
    if (this.faults.has('delete-leaves-ghost')) return;
    this.timers.later(this.delays.snapshotDeleteMs, () => {
      this.projects.get(snapshot.projectId)?.snapshots.delete(snapshot.id);
    });
  }

  inventory(): {
    snapshots: Array<{ id: string; name: string | null; status: string; projectId: string }>;
    clusters: Array<{ id: string; name: string | null; status: string; projectId: string }>;
  } {
    const pick = ({ id, name, status, projectId }: Snapshot | Cluster) => ({ id, name, status, projectId });
    const all = [...this.projects.values()];
    return {
      snapshots: all.flatMap((p) => [...p.snapshots.values()].map(pick)),
      clusters: all.flatMap((p) => [...p.clusters.values()].map(pick)),
    };
  }

  close(): void {
    this.timers.close();
  }
}
