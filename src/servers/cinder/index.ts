// The Cinder-family reference server: an in-memory OpenStack Block Storage API (v2 and v3 with
// microversions 3.0..3.70) for volume snapshots, with named faults that break one behaviour each.
import { randomUUID } from 'node:crypto';
import { type CinderFault, FaultSet, cinderFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';
import { Store } from './store.ts';

export { type CinderFault, cinderFaults };

export interface CinderServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /** Defaults 100, 80, 150, 80 ms. */
  delays?: Partial<{ snapshotCreateMs: number; snapshotDeleteMs: number; volumeCreateMs: number; volumeDeleteMs: number }>;
  /** Per project; defaults 10 and 10, like Cinder. */
  quotas?: Partial<{ snapshots: number; volumes: number }>;
  faults?: CinderFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

/** inventory(): everything stored and not yet deleted. */
export type RunningCinderServer = RunningServer<{ snapshots: InventoryItem[]; volumes: InventoryItem[] }>;

export async function startCinderServer(options: CinderServerOptions = {}): Promise<RunningCinderServer> {
  const faults = new FaultSet(options.faults ?? []);
  const d = options.delays ?? {};
  const q = options.quotas ?? {};
  const store = new Store(
    {
      snapshotCreateMs: d.snapshotCreateMs ?? 100,
      snapshotDeleteMs: d.snapshotDeleteMs ?? 80,
      volumeCreateMs: d.volumeCreateMs ?? 150,
      volumeDeleteMs: d.volumeDeleteMs ?? 80,
    },
    { snapshots: q.snapshots ?? 10, volumes: q.volumes ?? 10 },
    faults,
  );
  const stats = newStats();
  const pipeline = createPipeline({
    store,
    faults,
    token: options.token,
    userId: randomUUID().replaceAll('-', ''), // Keystone-style user id for `user_id` (3.41+)
    stats,
    log: options.log,
  });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}
