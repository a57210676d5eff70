// The Huawei GaussDB(DWS) reference server: an in-memory DWS v1.0 API for cluster snapshots
// (clusters are read-only fixtures), with named faults that break one behaviour each.
import { type DwsFault, FaultSet, dwsFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';
import { Store } from './store.ts';

export { type DwsFault, dwsFaults };

export interface DwsServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /** Defaults 150 ms (CREATING -> AVAILABLE) and 80 ms (DELETE -> gone). */
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
  const faults = new FaultSet(options.faults ?? []);
  const d = options.delays ?? {};
  const store = new Store({ snapshotCreateMs: d.snapshotCreateMs ?? 150, snapshotDeleteMs: d.snapshotDeleteMs ?? 80 }, faults);
  const stats = newStats();
  const pipeline = createPipeline({ store, faults, token: options.token, stats, log: options.log });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}
