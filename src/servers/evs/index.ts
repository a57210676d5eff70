// The Huawei Cloud EVS reference server: an in-memory rendition of EVS's Cinder-compatible snapshot
// API (v2 and v3, same behaviour), built on the Cinder-family server's modules, with EVS's error
// codes, UTF-8 byte limits, 7 snapshots per disk and list paging, and named faults that break one
// behaviour each.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultSet } from '../cinder/faults.ts';
import { urlHost } from '../cinder/index.ts';
import { Store } from '../cinder/store.ts';
import { type EvsFault, EvsFaultSet, evsFaults } from './faults.ts';
import { type PipelineOptions, createPipeline } from './router.ts';
import { copyStats, newStats, type Stats } from '../stats.ts';

export { type EvsFault, evsFaults };

export interface EvsServerOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
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

interface InventoryItem {
  id: string;
  name: string | null;
  status: string;
  projectId: string;
}

export interface RunningEvsServer {
  /** 'http://127.0.0.1:PORT' (root, no trailing slash). */
  url: string;
  port: number;
  /** `writes` counts POST/PUT/PATCH/DELETE requests received. */
  stats(): Stats;
  /** Everything currently stored (not yet gone). */
  inventory(): { snapshots: InventoryItem[]; volumes: InventoryItem[] };
  /** Stops listening, closes keep-alive sockets, clears timers. */
  close(): Promise<void>;
}

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
  const host = options.host ?? '127.0.0.1';

  const pipelineOptions: PipelineOptions = {
    store,
    faults,
    token: options.token,
    userId: randomUUID().replaceAll('-', ''),
    fallbackHost: host, // completed with the port once it is known
    stats,
    log: options.log,
  };
  const pipeline = createPipeline(pipelineOptions);
  const server = createServer((req, res) => void pipeline(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  pipelineOptions.fallbackHost = url.slice('http://'.length); // for requests without a Host header

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    stats: () => copyStats(stats),
    inventory: () => store.inventory(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        store.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
