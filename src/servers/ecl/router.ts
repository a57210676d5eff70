// Request pipeline: version list (no token) -> auth -> route -> tenant busy check for writes ->
// handler -> ECL envelope.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as discovery from './discovery.ts';
import { EclError, errorBody, internalError, notFound, tenantBusy } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { type Ctx, type Delays, type Outgoing, type Reply, parseJsonBody, readBody, successBody, writeReply } from './http.ts';
import * as snapshots from './snapshots.ts';
import { ServerClosed, type Store } from './store.ts';
import * as volumes from './volumes.ts';
import { countRequest, WRITE_METHODS, type Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply | Promise<Reply>;

interface Route {
  method: string;
  /** Path after /v1.0/{tenant_id}; ':' marks a parameter. */
  path: string[];
  handler: Handler;
}

const route = (method: string, path: string, handler: Handler): Route => ({ method, path: path.split('/'), handler });

// First match wins, so `detail` comes before `:`.
const ROUTES: Route[] = [
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

const pathMatches = (r: Route, segments: string[], params: string[]): boolean =>
  r.path.length === segments.length && r.path.every((part, i) => (part === ':' ? params.push(segments[i]!) > 0 : part === segments[i]));

function match(method: string, segments: string[]): { handler: Handler; params: string[] } {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const params: string[] = [];
    if (!pathMatches(r, segments, params)) continue;
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
  faults: FaultSet;
  delays: Delays;
  token: string | undefined;
  stats: Stats;
  log?: (line: string) => void;
}


function authorised(req: IncomingMessage, token: string | undefined): boolean {
  const sent = req.headers['x-auth-token'];
  if (typeof sent !== 'string' || sent.trim() === '') return false;
  if (token === undefined) return true;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function originOf(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return `http://${host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : fallback}`;
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
  if (!authorised(req, opts.token)) throw new EclError(401, 'Authentication required: a valid X-Auth-Token is needed.');
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

function toOutgoing(error: unknown, faults: FaultSet): Outgoing {
  const e = error instanceof EclError ? error : internalError();
  return { status: e.status, body: errorBody(e.message, faults), headers: e.headers };
}

export function createPipeline(opts: PipelineOptions) {
  return async (req: IncomingMessage, res: ServerResponse, fallbackHost: string): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    countRequest(opts.stats, method);

    let out: Outgoing;
    let note = '';
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', originOf(req, fallbackHost));
      const r = await dispatch(req, url, () => parseJsonBody(raw), opts);
      out = { status: r.status, body: successBody(r.fields, opts.faults) };
    } catch (error) {
      if (error instanceof ServerClosed) return; // the server is closing: nobody to answer
      if (!(error instanceof EclError)) note = ` internal error: ${error instanceof Error ? error.message : String(error)}`;
      out = toOutgoing(error, opts.faults);
    }
    if (res.destroyed) return;
    writeReply(res, out);
    opts.log?.(`${method} ${req.url ?? ''} ${out.status} ${(performance.now() - started).toFixed(1)}ms${note}`);
  };
}
