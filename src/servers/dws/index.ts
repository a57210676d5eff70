// The Huawei GaussDB(DWS) reference server: an in-memory DWS v1.0 API for cluster snapshots
// (clusters are read-only fixtures), with named faults that break one behaviour each.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DwsFault, FaultSet, dwsFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { copyStats, newStats, type Stats } from '../stats.ts';
import { Store } from './store.ts';

export { type DwsFault, dwsFaults };

export interface DwsServerOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /** Defaults 150 ms (CREATING -> AVAILABLE) and 80 ms (DELETE -> gone). */
  delays?: Partial<{ snapshotCreateMs: number; snapshotDeleteMs: number }>;
  faults?: DwsFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

interface InventoryItem {
  id: string;
  name: string | null;
  status: string;
  projectId: string;
}

export interface RunningDwsServer {
  /** 'http://127.0.0.1:PORT' (root, no trailing slash); the API is under /v1.0/{project_id}. */
  url: string;
  port: number;
  /** `writes` counts POST/PUT/PATCH/DELETE requests received. */
  stats(): Stats;
  /** Everything currently stored (snapshots not yet gone, clusters of every project seen). */
  inventory(): { snapshots: InventoryItem[]; clusters: InventoryItem[] };
  /** Stops listening, closes keep-alive sockets, clears timers. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startDwsServer(options: DwsServerOptions = {}): Promise<RunningDwsServer> {
  const faults = new FaultSet(options.faults ?? []);
  const d = options.delays ?? {};
  const store = new Store({ snapshotCreateMs: d.snapshotCreateMs ?? 150, snapshotDeleteMs: d.snapshotDeleteMs ?? 80 }, faults);
  const stats = newStats();
  const host = options.host ?? '127.0.0.1';

  const pipeline = createPipeline({ store, faults, token: options.token, stats, log: options.log });
  const server = createServer((req, res) => void pipeline(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
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
