// In-memory state per tenant (virtual storages provisioned on first use, the volumes and snapshots
// clients create, the busy flag), and every timer, so that close() leaves nothing running.
import { randomUUID } from 'node:crypto';
import { VOLUME_TYPES } from './volume-types.ts';

export interface VirtualStorage {
  id: string;
  name: string;
  description: string;
  networkId: string;
  subnetId: string;
  pool: { start: string; end: string };
  volumeTypeId: string;
  status: string;
  createdAt: Date;
}

export interface Volume {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  size: number;
  virtualStorageId: string;
  availabilityZone: string;
  iopsPerGb: string | null;
  initiatorIqns: string[];
  throughput: string | null;
  targetIps: string[];
  status: string;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface Snapshot {
  id: string;
  tenantId: string;
  volumeId: string;
  name: string;
  description: string;
  /** Bytes held by the snapshot; nothing is written to these volumes, so it stays 0. */
  usage: number;
  status: string;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface Tenant {
  id: string;
  virtualStorages: Map<string, VirtualStorage>;
  volumes: Map<string, Volume>;
  snapshots: Map<string, Snapshot>;
  /** A write is being processed; ECL refuses any other write of the tenant meanwhile. */
  busy: boolean;
  /** Volumes created so far, to hand out distinct target addresses. */
  volumeCount: number;
}

/** Thrown into pending waits by close(), so handlers stop without answering. */
export class ServerClosed extends Error {}

interface Pending {
  timer: NodeJS.Timeout;
  reject: (error: Error) => void;
}

export class Store {
  private readonly tenants = new Map<string, Tenant>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<Pending>();
  private closed = false;

  /** The tenant's data, created with one available virtual storage per volume type on first use. */
  tenant(id: string): Tenant {
    let tenant = this.tenants.get(id);
    if (!tenant) {
      tenant = { id, virtualStorages: new Map(), volumes: new Map(), snapshots: new Map(), busy: false, volumeCount: 0 };
      VOLUME_TYPES.forEach((type, i) => {
        const vs: VirtualStorage = {
          id: randomUUID(),
          name: `vs-${type.name}`,
          description: `Pre-provisioned virtual storage for ${type.name}`,
          networkId: randomUUID(),
          subnetId: randomUUID(),
          pool: { start: `192.168.${10 + i}.10`, end: `192.168.${10 + i}.250` },
          volumeTypeId: type.id,
          status: 'available',
          createdAt: new Date(),
        };
        tenant!.virtualStorages.set(vs.id, vs);
      });
      this.tenants.set(id, tenant);
    }
    return tenant;
  }

  addVolume(tenant: Tenant, fields: Omit<Volume, 'id' | 'tenantId' | 'targetIps' | 'status' | 'createdAt' | 'updatedAt'>, createMs: number): Volume {
    const vs = tenant.virtualStorages.get(fields.virtualStorageId)!;
    const host = 10 + (tenant.volumeCount++ % 240);
    const volume: Volume = {
      id: randomUUID(),
      tenantId: tenant.id,
      targetIps: [vs.pool.start.replace(/\.\d+$/, `.${host}`)],
      status: 'creating',
      createdAt: new Date(),
      updatedAt: null,
      ...fields,
    };
    tenant.volumes.set(volume.id, volume);
    this.later(createMs, () => {
      if (volume.status === 'creating') volume.status = 'available';
    });
    return volume;
  }

  addSnapshot(tenant: Tenant, volume: Volume, fields: { name: string; description: string }, status: string): Snapshot {
    const snapshot: Snapshot = {
      id: randomUUID(),
      tenantId: tenant.id,
      volumeId: volume.id,
      usage: 0,
      status,
      createdAt: new Date(),
      updatedAt: null,
      ...fields,
    };
    tenant.snapshots.set(snapshot.id, snapshot);
    return snapshot;
  }

  /** What clients created (virtual storages are fixtures, so they are not listed). */
  inventory(): {
    snapshots: Array<{ id: string; name: string | null; status: string; projectId: string }>;
    volumes: Array<{ id: string; name: string | null; status: string; projectId: string }>;
  } {
    const pick = ({ id, name, status, tenantId }: Snapshot | Volume) => ({ id, name, status, projectId: tenantId });
    const all = [...this.tenants.values()];
    return {
      snapshots: all.flatMap((t) => [...t.snapshots.values()].map(pick)),
      volumes: all.flatMap((t) => [...t.volumes.values()].map(pick)),
    };
  }

  /** The time a request takes to be processed; rejects with ServerClosed if the server closes. */
  wait(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new ServerClosed());
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.pending.add(entry);
    });
  }

  /** A background transition (volume creating -> available). */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref(); // a forgotten server must not keep the process alive
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const p of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ServerClosed());
    }
    this.pending.clear();
  }
}
