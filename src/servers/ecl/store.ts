// In-memory state per tenant (virtual storages provisioned on first use, the volumes and snapshots
// clients create, the busy state), and every timer, so that close() leaves nothing running.
import { randomUUID } from 'node:crypto';
import { Timers } from '../timers.ts';
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

export class Store {
  private readonly tenants = new Map<string, Tenant>();
  private readonly timers = new Timers();

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
    this.timers.transition(volume, 'creating', createMs, (v) => {
      v.status = 'available';
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
    return this.timers.wait(ms);
  }

  /** A background transition after a hold (e.g. a snapshot `creating` -> `available`). */
  transition<T extends { status: string }>(resource: T, from: string, ms: number, settle: (resource: T) => void): void {
    this.timers.transition(resource, from, ms, settle);
  }

  close(): void {
    this.timers.close();
  }
}
