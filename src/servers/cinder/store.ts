// In-memory state, kept per project, with the timed status transitions of a Cinder backend.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ApiError, badRequest, serverError } from './errors.ts';
import type { CinderFaults } from './faults.ts';
import { SLOW_CREATE_MS, Timers } from '../timers.ts';

export interface Delays {
  snapshotCreateMs: number;
  snapshotDeleteMs: number;
  volumeCreateMs: number;
  volumeDeleteMs: number;
}

export interface Quotas {
  snapshots: number;
  volumes: number;
}

export interface Snapshot {
  id: string;
  projectId: string;
  userId: string;
  volumeId: string;
  size: number;
  name: string | null;
  /** The name given at create time (only the `list-stale-name` fault shows it). */
  createdName: string | null;
  description: string | null;
  status: string;
  progress: string;
  metadata: Map<string, string>;
  createdAt: string;
  updatedAt: string | null;
}

export interface Volume {
  id: string;
  projectId: string;
  userId: string;
  size: number;
  name: string | null;
  description: string | null;
  status: string;
  metadata: Map<string, string>;
  /** The snapshot or volume it was made from. */
  snapshotId: string | null;
  sourceVolid: string | null;
  availabilityZone: string;
  /** What the volume service sets once it has the volume: true and null before (as Cinder's create answer shows). */
  sharedTargets: boolean;
  serviceUuid: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** What a client chooses of a new volume. */
export type VolumeFields = Pick<Volume, 'size' | 'name' | 'description' | 'metadata' | 'snapshotId' | 'sourceVolid' | 'availabilityZone'>;

// The one volume service of this server (Cinder shows its id as a volume's service_uuid from 3.48).
const SERVICE_UUID = '8d6c2a4e-5b7f-4e1a-9c3d-2f0b6a7e9d15';

interface Project {
  snapshots: Map<string, Snapshot>;
  volumes: Map<string, Volume>;
}


export const SNAPSHOT_DELETABLE = ['available', 'error'];
export const VOLUME_DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

export const INVALID_SNAPSHOT_DELETE =
  'Invalid snapshot: Snapshot status must be available or error and must not be part of a group.';
export const INVALID_VOLUME_DELETE =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or ' +
  'error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a ' +
  'transfer, or be disassociated from snapshots after volume transfer.';

export class Store {
  private readonly projects = new Map<string, Project>();
  private readonly timers = new Timers();
  private lastMicros = 0;

  constructor(
    private readonly delays: Delays,
    private readonly quotas: Quotas,
    private readonly faults: CinderFaults,
  ) {}

  /** Cinder's timestamp form: UTC, microseconds, no zone. Strictly increasing, so ordering is stable. */
  now(): string {
    let micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    micros = Math.max(micros, this.lastMicros + 1);
    if (micros % 1_000_000 === 0) micros += 1; // Python's isoformat() would drop a zero fraction
    this.lastMicros = micros;
    const date = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
    return `${date}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private project(projectId: string): Project {
    let p = this.projects.get(projectId);
    if (!p) {
      p = { snapshots: new Map(), volumes: new Map() };
      this.projects.set(projectId, p);
    }
    return p;
  }

  snapshots(projectId: string): Snapshot[] {
    return [...(this.projects.get(projectId)?.snapshots.values() ?? [])];
  }

  snapshot(projectId: string, id: string): Snapshot | undefined {
    return this.projects.get(projectId)?.snapshots.get(id);
  }

  volumes(projectId: string): Volume[] {
    return [...(this.projects.get(projectId)?.volumes.values() ?? [])];
  }

  volume(projectId: string, id: string): Volume | undefined {
    return this.projects.get(projectId)?.volumes.get(id);
  }

  addVolume(projectId: string, userId: string, fields: VolumeFields): Volume {
    const project = this.project(projectId);
    if (project.volumes.size >= this.quotas.volumes) {
      throw new ApiError(413, `VolumeLimitExceeded: Maximum number of volumes allowed (${this.quotas.volumes}) exceeded for quota 'volumes'.`, '0');
    }
    const volume: Volume = {
      id: randomUUID(),
      projectId,
      userId,
      status: 'creating',
      sharedTargets: true,
      serviceUuid: null,
      createdAt: this.now(),
      updatedAt: null,
      ...fields,
    };
    project.volumes.set(volume.id, volume);
    this.timers.transition(volume, 'creating', this.delays.volumeCreateMs, (v) => {
      v.status = 'available';
      v.sharedTargets = false;
      v.serviceUuid = SERVICE_UUID;
      v.updatedAt = this.now();
    });
    return volume;
  }

  /** Starts deleting a volume; with `cascade` its snapshots go too, as Cinder's cascade delete does. */
  deleteVolume(volume: Volume, cascade: boolean): void {
    const project = this.project(volume.projectId);
    const snapshots = [...project.snapshots.values()].filter((s) => s.volumeId === volume.id);
    const blocked = cascade ? snapshots.some((s) => !SNAPSHOT_DELETABLE.includes(s.status)) : snapshots.length > 0;
    if (!VOLUME_DELETABLE.includes(volume.status) || blocked) throw badRequest(INVALID_VOLUME_DELETE);
    for (const s of snapshots) this.startSnapshotRemoval(s);
    volume.status = 'deleting';
    volume.updatedAt = this.now();
    // A cascade finishes once its snapshots are gone too.
    const delay = snapshots.length > 0 ? Math.max(this.delays.volumeDeleteMs, this.delays.snapshotDeleteMs) : this.delays.volumeDeleteMs;
    this.timers.later(delay, () => project.volumes.delete(volume.id));
  }

  addSnapshot(
    projectId: string,
    userId: string,
    volume: Volume,
    fields: Pick<Snapshot, 'name' | 'description' | 'metadata'>,
  ): Snapshot {
    const project = this.project(projectId);
    if (project.snapshots.size >= this.quotas.snapshots) {
      if (this.faults.has('quota-500')) throw serverError();
      throw new ApiError(413, `SnapshotLimitExceeded: Maximum number of snapshots allowed (${this.quotas.snapshots}) exceeded`, '0');
    }
    const snapshot: Snapshot = {
      id: randomUUID(),
      projectId,
      userId,
      volumeId: volume.id,
      size: volume.size,
      createdName: fields.name,
      status: 'creating',
      progress: '0%',
      createdAt: this.now(),
      updatedAt: null,
      ...fields,
    };
    project.snapshots.set(snapshot.id, snapshot);
    if (!this.faults.has('never-available')) {
      // One deleted or reset meanwhile keeps what it became.
      this.timers.transition(snapshot, 'creating', this.createHold(), (s) => {
        if (this.faults.has('error-on-create')) {
          s.status = 'error';
        } else {
          s.status = 'available';
          s.progress = '100%';
        }
        s.updatedAt = this.now();
      });
    }
    return snapshot;
  }

  /**
   * How long a new snapshot stays `creating`. Under `delete-while-creating-allowed` at least
   * SLOW_CREATE_MS: a delete that is wrongly accepted is then seen to come while the snapshot was
   * being created, not after it had become available.
   */
  private createHold(): number {
    const hold = this.delays.snapshotCreateMs;
    return this.faults.has('delete-while-creating-allowed') ? Math.max(hold, SLOW_CREATE_MS) : hold;
  }

  /** Starts removing a snapshot (its handler checked the precondition; os-force_delete checks none). */
  startSnapshotRemoval(snapshot: Snapshot): void {
    snapshot.status = 'deleting';
    snapshot.updatedAt = this.now();
    if (this.faults.has('delete-leaves-ghost')) return;
    this.timers.later(this.delays.snapshotDeleteMs, () => {
      this.projects.get(snapshot.projectId)?.snapshots.delete(snapshot.id);
    });
  }

  inventory(): { snapshots: Array<{ id: string; name: string | null; status: string; projectId: string }>; volumes: Array<{ id: string; name: string | null; status: string; projectId: string }> } {
    const pick = ({ id, name, status, projectId }: Snapshot | Volume) => ({ id, name, status, projectId });
    const all = [...this.projects.values()];
    return {
      snapshots: all.flatMap((p) => [...p.snapshots.values()].map(pick)),
      volumes: all.flatMap((p) => [...p.volumes.values()].map(pick)),
    };
  }

  close(): void {
    this.timers.close();
  }
}
