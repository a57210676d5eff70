// The Cinder-family reference server: an in-memory OpenStack Block Storage API (v2 and v3 with
// microversions 3.0..3.70) for volume snapshots, with named faults that break one behaviour each.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CinderFault, FaultSet, cinderFaults } from './faults.ts';
import { type PipelineOptions, createPipeline } from './router.ts';
import { copyStats, newStats, type Stats } from '../stats.ts';
import { Store } from './store.ts';

export { type CinderFault, cinderFaults };

export interface CinderServerOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
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

interface InventoryItem {
  id: string;
  name: string | null;
  status: string;
  projectId: string;
}

export interface RunningCinderServer {
  /** 'http://127.0.0.1:PORT' (root, no trailing slash). */
  url: string;
  port: number;
  stats(): Stats;
  /** Everything currently stored (not yet deleted). */
  inventory(): { snapshots: InventoryItem[]; volumes: InventoryItem[] };
  /** Stops listening, closes keep-alive sockets, clears timers. */
  close(): Promise<void>;
}

/** The host part of a URL for a listening address (wildcards become loopback). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

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
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;

  const pipelineOptions: PipelineOptions = {
    store,
    faults,
    token: options.token,
    userId: randomUUID().replaceAll('-', ''), // Keystone-style user id for `user_id` (3.41+)
    fallbackHost: host, // completed with the port once it is known
    stats,
    log: options.log,
  };
  const pipeline = createPipeline(pipelineOptions);
  const server = createServer((req, res) => void pipeline(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
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
