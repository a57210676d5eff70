// Request pipeline: version list (no token) -> auth -> route -> tenant busy check for writes ->
// handler -> ECL envelope.
import type { IncomingMessage } from 'node:http';
import * as discovery from './discovery.ts';
import { EclError, errorBody, internalError, notFound, tenantBusy } from './errors.ts';
import type { EclFaults } from './faults.ts';
import { type Ctx, type Delays, type Outgoing, type Reply, parseJsonBody, readBody, successBody, writeReply } from './http.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { ServerClosed } from '../timers.ts';
import * as volumes from './volumes.ts';
import { type Pipeline, type Route, originOf, routeParams, pipeline, route, tokenAccepted } from '../pipeline.ts';
import { WRITE_METHODS, type Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply | Promise<Reply>;

// Paths after /v1.0/{tenant_id}. First match wins, so `detail` comes before `:`.
const ROUTES: Route<Handler>[] = [
  route('GET', 'volume_types', discovery.listVolumeTypes),
  route('GET', 'volume_types/detail', discovery.listVolumeTypes),
  route('GET', 'volume_types/:', discovery.showVolumeType),
  route('GET', 'virtual_storages', discovery.listVirtualStorages),
  route('GET', 'virtual_storages/detail', discovery.listVirtualStorages),
  route('GET', 'virtual_storages/:', discovery.showVirtualStorage),
  route('GET', 'volumes', volumes.listVolumes),
  route('POST', 'volumes', volumes.createVolume),
  route('GET', 'volumes/detail', volumes.listVolumes),
  route('GET', 'volumes/:', volumes.showVolume),
  route('DELETE', 'volumes/:', volumes.deleteVolume),
  route('GET', 'snapshots', snapshots.listSnapshots),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/detail', snapshots.listSnapshots),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('PUT', 'snapshots/:', snapshots.updateSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
];

function match(method: string, segments: string[]): { handler: Handler; params: string[] } {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const params = routeParams(r.path, segments);
    if (!params) continue;
    if (r.method === method) return { handler: r.handler, params };
    allowed.push(r.method);
  }
  if (allowed.length > 0) {
    throw new EclError(405, `Method ${method} is not allowed on this resource.`, { Allow: allowed.join(', ') });
  }
  throw notFound('The requested resource could not be found.');
}

export interface PipelineOptions {
  store: Store;
  faults: EclFaults;
  delays: Delays;
  token: string | undefined;
  stats: Stats;
  log?: (line: string) => void;
}

async function dispatch(req: IncomingMessage, url: URL, body: () => unknown, opts: PipelineOptions): Promise<Reply> {
  const method = req.method ?? 'GET';
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    throw notFound('The requested resource could not be found.');
  }
  if (segments.length === 0 && method === 'GET') return discovery.versions(url.origin);
  if (!tokenAccepted(req, opts.token)) throw new EclError(401, 'Authentication required: a valid X-Auth-Token is needed.');
  const [version, tenantId, ...rest] = segments;
  if (version !== 'v1.0' || !tenantId) throw notFound('The requested resource could not be found.');
  const found = match(method, rest);
  const tenant = opts.store.tenant(tenantId);
  const ctx: Ctx = { url, tenant, store: opts.store, faults: opts.faults, delays: opts.delays, body };
  if (!WRITE_METHODS.includes(method)) return found.handler(ctx, ...found.params);

  // One write at a time per tenant: a write that meets another one still being processed is
  // refused before anything is read or changed.
  if (tenant.busy || opts.faults.has('busy-forever')) throw tenantBusy(opts.faults);
  tenant.busy = true;
  try {
    return await found.handler(ctx, ...found.params);
  } finally {
    tenant.busy = false;
  }
}

function toOutgoing(error: unknown, faults: EclFaults): Outgoing {
  const e = error instanceof EclError ? error : internalError();
  return { status: e.status, body: errorBody(e.message, faults), headers: e.headers };
}

export function createPipeline(opts: PipelineOptions): Pipeline {
  return pipeline<Outgoing>({
    stats: opts.stats,
    log: opts.log,
    answer: async (req, self) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', originOf(req, self));
      const r = await dispatch(req, url, () => parseJsonBody(raw), opts);
      return { status: r.status, body: successBody(r.fields, opts.faults) };
    },
    known: (error) => error instanceof EclError,
    // A server that is closing has nobody to answer.
    refuse: (error) => (error instanceof ServerClosed ? undefined : toOutgoing(error, opts.faults)),
    write: (res, out) => {
      writeReply(res, out);
      return out.status;
    },
  });
}
