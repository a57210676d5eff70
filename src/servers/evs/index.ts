// The Huawei Cloud EVS reference server: an in-memory rendition of EVS's Cinder-compatible snapshot
// API (v2 and v3, same behaviour), built on the Cinder-family server's modules, with EVS's error
// codes, UTF-8 byte limits, 7 snapshots per disk and list paging, and named faults that break one
// behaviour each.
import { randomUUID } from 'node:crypto';
import { FaultSet } from '../cinder/faults.ts';
import { Store } from '../cinder/store.ts';
import { type EvsFault, EvsFaultSet, evsFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';

export { type EvsFault, evsFaults };

export interface EvsServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /** Defaults 100, 80, 150, 80 ms. */
  delays?: Partial<{ snapshotCreateMs: number; snapshotDeleteMs: number; volumeCreateMs: number; volumeDeleteMs: number }>;
  /** Per project; defaults 50 snapshots and 20 volumes. */
  quotas?: Partial<{ snapshots: number; volumes: number }>;
  faults?: EvsFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

/** inventory(): everything stored and not yet gone. */
export type RunningEvsServer = RunningServer<{ snapshots: InventoryItem[]; volumes: InventoryItem[] }>;

export async function startEvsServer(options: EvsServerOptions = {}): Promise<RunningEvsServer> {
  const faults = new EvsFaultSet(options.faults ?? []);
  const d = options.delays ?? {};
  const q = options.quotas ?? {};
  const store = new Store(
    {
      snapshotCreateMs: d.snapshotCreateMs ?? 100,
      snapshotDeleteMs: d.snapshotDeleteMs ?? 80,
      volumeCreateMs: d.volumeCreateMs ?? 150,
      volumeDeleteMs: d.volumeDeleteMs ?? 80,
    },
    { snapshots: q.snapshots ?? 50, volumes: q.volumes ?? 20 },
    FaultSet.none, // the store's own behaviours stay correct; EVS faults act in the handlers
  );
  const stats = newStats();
  const pipeline = createPipeline({ store, faults, token: options.token, userId: randomUUID().replaceAll('-', ''), stats, log: options.log });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}
