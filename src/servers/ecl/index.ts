// The NTT Enterprise Cloud (ECL) Storage API v1.0 reference server: an in-memory server for volume
// snapshots and what they need (volume types, virtual storages, volumes), with named faults that
// break one behaviour each.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EclFault, FaultSet, eclFaults } from './faults.ts';
import { createPipeline } from './router.ts';
import { copyStats, newStats, type Stats } from '../stats.ts';
import { Store } from './store.ts';

export { type EclFault, eclFaults };

export interface EclServerOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /**
   * snapshotCreateMs: how long a (synchronous) snapshot create takes to answer, default 100;
   * volumeCreateMs: volume `creating` -> `available` after its 202, default 1000;
   * busyMs: how long any other write takes to answer, default 30. A write keeps its tenant busy
   * (409 to other writes) until it answers.
   */
  delays?: Partial<{ snapshotCreateMs: number; volumeCreateMs: number; busyMs: number }>;
  faults?: EclFault[];
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

interface InventoryItem {
  id: string;
  name: string | null;
  status: string;
  projectId: string;
}

export interface RunningEclServer {
  /** 'http://127.0.0.1:PORT' (root, no trailing slash); the API is under /v1.0/{tenant_id}. */
  url: string;
  port: number;
  /** `writes` counts POST/PUT/PATCH/DELETE requests received. */
  stats(): Stats;
  /** What clients created and is still stored (not the pre-provisioned virtual storages). */
  inventory(): { snapshots: InventoryItem[]; volumes: InventoryItem[] };
  /** Stops listening, closes keep-alive sockets, clears timers. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEclServer(options: EclServerOptions = {}): Promise<RunningEclServer> {
  const faults = new FaultSet(options.faults ?? []);
  const d = options.delays ?? {};
  // A volume stays `creating` for a second: long enough that a snapshot asked for at once (after
  // busy retries, on a loaded machine) still meets it not ready, as on the real cloud.
  const delays = { snapshotCreateMs: d.snapshotCreateMs ?? 100, volumeCreateMs: d.volumeCreateMs ?? 1000, busyMs: d.busyMs ?? 30 };
  const store = new Store();
  const stats = newStats();
  const host = options.host ?? '127.0.0.1';

  const pipeline = createPipeline({ store, faults, delays, token: options.token, stats, log: options.log });
  let fallbackHost = host; // for requests without a Host header; the port is added once known
  const server = createServer((req, res) => void pipeline(req, res, fallbackHost));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  fallbackHost = url.slice('http://'.length);

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
