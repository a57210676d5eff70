// The NTT Enterprise Cloud (ECL) Storage API v1.0 reference server: an in-memory server for volume
// snapshots and what they need (volume types, virtual storages, volumes), with named faults that
// break one behaviour each.
import { type EclFault, eclFaultRegistry, eclFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';
import { HOLD_MS } from '../timers.ts';

/** How long a write other than a snapshot create keeps its tenant busy. */
const BUSY_MS = 15;
import { Store } from './store.ts';

export { type EclFault, eclFaults };

export interface EclServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /**
   * snapshotCreateMs: how long a (synchronous) snapshot create takes to answer, HOLD_MS (15) by
   * default; volumeCreateMs: volume `creating` -> `available` after its 202, default 200 (long enough to be met creating);
   * busyMs: how long any other write takes to answer, default 15. A write keeps its tenant busy
   * (409 to other writes) until it answers: writes sent at the same time meet a busy tenant,
   * writes one after the other do not.
   */
  delays?: Partial<{ snapshotCreateMs: number; volumeCreateMs: number; busyMs: number }>;
  faults?: EclFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

/**
 * The API is under url + /v1.0/{tenant_id}. inventory(): what clients created and is still stored
 * (not the pre-provisioned virtual storages).
 */
export type RunningEclServer = RunningServer<{ snapshots: InventoryItem[]; volumes: InventoryItem[] }>;

/** How long a new volume stays `creating`. */
export const VOLUME_CREATE_MS = 200;

export async function startEclServer(options: EclServerOptions = {}): Promise<RunningEclServer> {
  const faults = eclFaultRegistry.select(options.faults ?? []);
  const d = options.delays ?? {};
  // A volume stays `creating` long enough that a snapshot asked for at once usually meets it not
  // ready; when a loaded machine misses the moment, the suite establishes it otherwise (the same
  // create, accepted once the volume is ready: suites/lifecycle.ts).
  const delays = { snapshotCreateMs: d.snapshotCreateMs ?? HOLD_MS, volumeCreateMs: d.volumeCreateMs ?? VOLUME_CREATE_MS, busyMs: d.busyMs ?? BUSY_MS };
  const store = new Store();
  const stats = newStats();
  const pipeline = createPipeline({ store, faults, delays, token: options.token, stats, log: options.log });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}
