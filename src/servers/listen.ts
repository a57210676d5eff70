// Starting and stopping a reference server: the same for every profile, whatever its pipeline and store.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pipeline } from './pipeline.ts';
import { copyStats, type Stats } from './stats.ts';

/** One stored resource, as `inventory()` lists it. */
export interface InventoryItem {
  id: string;
  name: string | null;
  status: string;
  projectId: string;
}

export interface RunningServer<Inventory> {
  /** 'http://127.0.0.1:PORT' (root, no trailing slash). */
  url: string;
  port: number;
  /** `writes` counts POST/PUT/PATCH/DELETE requests received. */
  stats(): Stats;
  /** What the server stores now (not yet deleted). */
  inventory(): Inventory;
  /** Stops listening, closes keep-alive sockets, clears timers. */
  close(): Promise<void>;
}

/** Where a server listens. */
export interface Address {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Serve https with this certificate and key (PEM); with `ca`, ask clients for a certificate it signed. */
  tls?: { cert: string; key: string; ca?: string };
}

export interface ListenOptions<Inventory> extends Address {
  pipeline: Pipeline;
  /** What the pipeline counts into. */
  stats: Stats;
  store: { inventory(): Inventory; close(): void };
}

/** The host part of a URL for a listening address (wildcards become loopback). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function listen<Inventory>(options: ListenOptions<Inventory>): Promise<RunningServer<Inventory>> {
  const { pipeline, stats, store } = options;
  const host = options.host ?? '127.0.0.1';
  // The server's own host:port, for requests without a Host header; the port is known once listening.
  let self = host;
  // Connections stay open until the client closes them, as Cinder's eventlet server keeps them,
  // without a Keep-Alive header of Node's own on every answer (it is not part of any API here).
  const handler = (req: IncomingMessage, res: ServerResponse) => void pipeline(req, res, self);
  const tls = options.tls;
  const server = tls
    ? createHttpsServer({ keepAliveTimeout: 0, cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: Boolean(tls.ca), rejectUnauthorized: Boolean(tls.ca) }, handler)
    : createServer({ keepAliveTimeout: 0 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  self = `${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${self}`,
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
