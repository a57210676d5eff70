// Request pipeline: version discovery (no token) -> auth -> route -> handler -> EVS error body.
// /v2/{project_id}/... and /v3/{project_id}/... behave the same; no microversion header is read.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, serverError } from '../cinder/errors.ts';
import { FaultSet } from '../cinder/faults.ts';
import { type Reply, json, parseJsonBody, readBody, writeReply } from '../cinder/http.ts';
import { metadataRoutes } from '../cinder/metadata.ts';
import { originOf } from '../cinder/router.ts';
import type { Store } from '../cinder/store.ts';
import { familyDocument, rootDocument } from '../cinder/versions.ts';
import type { EvsCtx } from './context.ts';
import { errorBody, unauthorized } from './errors.ts';
import type { EvsFaultSet } from './faults.ts';
import { BYTES_255 } from './rules.ts';
import * as snapshots from './snapshots.ts';
import * as volumes from './volumes.ts';
import { countRequest, type Stats } from '../stats.ts';

type Handler = (ctx: EvsCtx, ...params: string[]) => Reply;

interface Route {
  method: string;
  /** Path after /{version}/{project}; ':' marks a parameter. */
  path: string[];
  handler: Handler;
}

const route = (method: string, path: string, handler: Handler): Route => ({ method, path: path.split('/'), handler });

// Metadata keys and values: 255 bytes; an oversize one is a plain bad request.
const meta = metadataRoutes({ limit: BYTES_255, oversizeStatus: 400 });

// First match wins, so `detail` comes before `:id`. Every route exists on v2 and v3.
const ROUTES: Route[] = [
  route('GET', 'snapshots', snapshots.listSnapshots(false)),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/detail', snapshots.listSnapshots(true)),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('PUT', 'snapshots/:', snapshots.updateSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
  route('POST', 'snapshots/:/action', snapshots.snapshotAction),
  route('GET', 'snapshots/:/metadata', meta.listMetadata),
  route('PUT', 'snapshots/:/metadata', meta.replaceMetadata),
  route('POST', 'snapshots/:/metadata', meta.mergeMetadata),
  route('GET', 'snapshots/:/metadata/:', meta.showMetadataKey),
  route('PUT', 'snapshots/:/metadata/:', meta.updateMetadataKey),
  route('DELETE', 'snapshots/:/metadata/:', meta.deleteMetadataKey),
  route('GET', 'volumes', volumes.listVolumes(false)),
  route('POST', 'volumes', volumes.createVolume),
  route('GET', 'volumes/detail', volumes.listVolumes(true)),
  route('GET', 'volumes/:', volumes.showVolume),
  route('DELETE', 'volumes/:', volumes.deleteVolume),
];

function match(method: string, segments: string[]): { handler: Handler; params: string[] } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method || r.path.length !== segments.length) continue;
    const params: string[] = [];
    if (r.path.every((part, i) => (part === ':' ? params.push(segments[i]!) > 0 : part === segments[i]))) {
      return { handler: r.handler, params };
    }
  }
  return undefined;
}


export interface PipelineOptions {
  store: Store;
  faults: EvsFaultSet;
  token: string | undefined;
  userId: string;
  fallbackHost: string;
  stats: Stats;
  log?: (line: string) => void;
}

const routingMiss = (): ApiError => new ApiError(404, 'The resource could not be found.');

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  const sent = req.headers['x-auth-token'];
  if (typeof sent !== 'string' || sent.trim() === '') return false;
  if (token === undefined) return true;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function errorReply(error: ApiError, faults: EvsFaultSet): Reply {
  const headers = error.retryAfter !== undefined ? { 'Retry-After': error.retryAfter } : undefined;
  return json(error.status, errorBody(error, faults), headers);
}

function dispatch(req: IncomingMessage, body: () => unknown, url: URL, origin: string, opts: PipelineOptions): Reply {
  const method = req.method ?? 'GET';
  const trimmed = url.pathname.replace(/\/+$/, '');
  let segments: string[];
  try {
    segments = trimmed === '' ? [] : trimmed.slice(1).split('/').map(decodeURIComponent);
  } catch {
    throw routingMiss();
  }
  const [family, ...rest] = segments;
  // Version documents: v3 is 3.0 only, since no microversion changes anything here.
  if (method === 'GET' && segments.length === 0) return rootDocument(origin, 0);
  if (method === 'GET' && rest.length === 0 && (family === 'v2' || family === 'v3')) return familyDocument(family, origin, 0);
  if (!authorised(req, opts.token)) throw unauthorized();
  if (family !== 'v2' && family !== 'v3') throw routingMiss();
  const projectId = rest.shift();
  const found = projectId ? match(method, rest) : undefined;
  if (!projectId || !found) throw routingMiss();
  const ctx: EvsCtx = {
    url,
    origin,
    family,
    projectId,
    userId: opts.userId,
    mv: 0,
    faults: opts.faults.shared,
    store: opts.store,
    body,
    evs: opts.faults,
  };
  return found.handler(ctx, ...found.params);
}

export function createPipeline(opts: PipelineOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    countRequest(opts.stats, method);

    const requestId = `req-${randomUUID()}`;
    let reply: Reply;
    let note = '';
    try {
      const raw = await readBody(req);
      const origin = originOf(req, opts.fallbackHost);
      const url = new URL(req.url ?? '/', origin);
      reply = dispatch(req, () => parseJsonBody(raw, req.headers['content-type'], FaultSet.none), url, origin, opts);
    } catch (error) {
      if (!(error instanceof ApiError)) note = ` internal error: ${error instanceof Error ? error.message : String(error)}`;
      reply = errorReply(error instanceof ApiError ? error : serverError(), opts.faults);
    }
    if (res.destroyed) return;
    reply = { ...reply, headers: { ...reply.headers, 'X-Request-Id': requestId } };
    writeReply(res, reply, { requestId, faults: FaultSet.none });
    opts.log?.(`${method} ${req.url ?? ''} ${reply.status} ${(performance.now() - started).toFixed(1)}ms${note}`);
  };
}
