// The Huawei GaussDB(DWS) reference server: an in-memory DWS v1.0 API for cluster snapshots
// (clusters are read-only fixtures), with named faults that break one behaviour each.
import { type DwsFault, dwsFaultRegistry, dwsFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';
import { HOLD_MS } from '../timers.ts';
import { Store } from './store.ts';

export { type DwsFault, dwsFaults };

export interface DwsServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /**
   * How long a snapshot stays CREATING, and how long a deleted one stays visible; HOLD_MS (15 ms)
   * each by default. A cluster is busy (409 DWS.0011 to another create) while one of its
   * snapshots is CREATING.
   */
  delays?: Partial<{ snapshotCreateMs: number; snapshotDeleteMs: number }>;
  faults?: DwsFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

/**
 * The API is under url + /v1.0/{project_id}. inventory(): snapshots not yet gone, and the clusters
 * of every project seen.
 */
export type RunningDwsServer = RunningServer<{ snapshots: InventoryItem[]; clusters: InventoryItem[] }>;

export async function startDwsServer(options: DwsServerOptions = {}): Promise<RunningDwsServer> {
  const faults = dwsFaultRegistry.select(options.faults ?? []);
  const d = options.delays ?? {};
  const store = new Store({ snapshotCreateMs: d.snapshotCreateMs ?? HOLD_MS, snapshotDeleteMs: d.snapshotDeleteMs ?? HOLD_MS }, faults);
  const stats = newStats();
  const pipeline = createPipeline({ store, faults, token: options.token, stats, log: options.log });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}
