// Request pipeline, in Cinder's order: version discovery (no token) -> auth -> route -> microversion
// -> handler -> fault envelope.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, faultBody, serverError } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { type Ctx, type Reply, json, parseJsonBody, readBody, writeReply } from './http.ts';
import * as meta from './metadata.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { familyDocument, parseMicroversion, rootDocument, versionHeaderValue } from './versions.ts';
import * as volumes from './volumes.ts';
import { countRequest, type Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply;

interface Route {
  method: string;
  /** Path after /{version}/{project}; ':' marks a parameter. */
  path: string[];
  handler: Handler;
  v3Only?: boolean;
}

const route = (method: string, path: string, handler: Handler, v3Only = false): Route => ({
  method,
  path: path.split('/'),
  handler,
  v3Only,
});

// First match wins, so `detail` comes before `:id`. The 2016 v2 reference documents only GET and
// PUT on /metadata; POST and the per-key routes are v3 here.
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
  route('POST', 'snapshots/:/metadata', meta.mergeMetadata, true),
  route('GET', 'snapshots/:/metadata/:', meta.showMetadataKey, true),
  route('PUT', 'snapshots/:/metadata/:', meta.updateMetadataKey, true),
  route('DELETE', 'snapshots/:/metadata/:', meta.deleteMetadataKey, true),
  route('GET', 'volumes', volumes.listVolumes(false)),
  route('POST', 'volumes', volumes.createVolume),
  route('GET', 'volumes/detail', volumes.listVolumes(true)),
  route('GET', 'volumes/:', volumes.showVolume),
  route('DELETE', 'volumes/:', volumes.deleteVolume),
];

function match(method: string, family: string, segments: string[]): { handler: Handler; params: string[] } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method || r.path.length !== segments.length || (r.v3Only && family !== 'v3')) continue;
    const params: string[] = [];
    if (r.path.every((part, i) => (part === ':' ? params.push(segments[i]!) > 0 : part === segments[i]))) {
      return { handler: r.handler, params };
    }
  }
  return undefined;
}


export interface PipelineOptions {
  store: Store;
  faults: FaultSet;
  token: string | undefined;
  userId: string;
  fallbackHost: string;
  stats: Stats;
  log?: (line: string) => void;
}

// Real Cinder answers routing misses with webob's HTML 404 page; a JSON fault is kinder to clients
// and checkers, and keeps every error in one envelope.
const routingMiss = (): ApiError => new ApiError(404, 'The resource could not be found.');

function authorised(req: IncomingMessage, opts: PipelineOptions): boolean {
  if (opts.faults.has('no-auth')) return true;
  const sent = req.headers['x-auth-token'];
  if (typeof sent !== 'string' || sent.trim() === '') return false;
  if (opts.token === undefined) return true;
  const a = Buffer.from(sent);
  const b = Buffer.from(opts.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `http://<Host header>` when the header is a plain host[:port], else the server's own address. */
export function originOf(req: IncomingMessage, fallbackHost: string): string {
  const host = req.headers.host;
  return `http://${host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : fallbackHost}`;
}

/** Project for the project-less v3 URLs (3.67): the project part of a noauth-style `user:project` token. */
function implicitProject(req: IncomingMessage): string {
  const token = req.headers['x-auth-token'];
  const m = typeof token === 'string' ? /^[^:\s]+:([0-9a-f-]{1,64})$/.exec(token) : null;
  return m?.[1] ?? 'default';
}

interface Outcome {
  reply: Reply;
  version?: string | null;
}

function dispatch(req: IncomingMessage, body: () => unknown, url: URL, origin: string, opts: PipelineOptions): Outcome {
  const method = req.method ?? 'GET';
  const trimmed = url.pathname.replace(/\/+$/, '');
  let segments: string[];
  try {
    segments = trimmed === '' ? [] : trimmed.slice(1).split('/').map(decodeURIComponent);
  } catch {
    throw routingMiss();
  }
  const [family, ...rest] = segments;
  if (method === 'GET' && segments.length === 0) return { reply: rootDocument(origin) };
  if (method === 'GET' && rest.length === 0 && (family === 'v2' || family === 'v3')) {
    return { reply: familyDocument(family, origin) };
  }
  if (!authorised(req, opts)) {
    throw new ApiError(401, 'The request you have made requires authentication.');
  }
  if (family !== 'v2' && family !== 'v3') throw routingMiss();
  const projectLess = family === 'v3' && (rest[0] === 'snapshots' || rest[0] === 'volumes');
  const projectId = projectLess ? implicitProject(req) : rest.shift();
  const found = projectId ? match(method, family, rest) : undefined;
  if (!projectId || !found) throw routingMiss();

  let mv = 0;
  let version: string | null | undefined;
  if (family === 'v3') {
    version = null; // Vary is sent even when the version itself is refused
    try {
      mv = parseMicroversion(req.headers['openstack-api-version']);
    } catch (error) {
      if (error instanceof ApiError) return { reply: faultReply(error, opts.faults), version };
      throw error;
    }
    version = versionHeaderValue(opts.faults.has('version-header-base') ? 0 : mv);
  }
  const ctx: Ctx = { url, origin, family, projectId, userId: opts.userId, mv, faults: opts.faults, store: opts.store, body };
  try {
    return { reply: found.handler(ctx, ...found.params), version };
  } catch (error) {
    if (error instanceof ApiError) return { reply: faultReply(error, opts.faults), version };
    throw error;
  }
}

function faultReply(error: ApiError, faults: FaultSet): Reply {
  const headers = error.retryAfter !== undefined ? { 'Retry-After': error.retryAfter } : undefined;
  return json(error.status, faultBody(error, faults), headers);
}

export function createPipeline(opts: PipelineOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    countRequest(opts.stats, method);

    const requestId = `req-${randomUUID()}`;
    let outcome: Outcome;
    let note = '';
    try {
      const raw = await readBody(req);
      const origin = originOf(req, opts.fallbackHost);
      const url = new URL(req.url ?? '/', origin);
      outcome = dispatch(req, () => parseJsonBody(raw, req.headers['content-type'], opts.faults), url, origin, opts);
    } catch (error) {
      if (!(error instanceof ApiError)) note = ` internal error: ${error instanceof Error ? error.message : String(error)}`;
      outcome = { reply: faultReply(error instanceof ApiError ? error : serverError(), opts.faults) };
    }
    if (res.destroyed) return;
    writeReply(res, outcome.reply, { requestId, version: outcome.version, faults: opts.faults });
    opts.log?.(`${method} ${req.url ?? ''} ${outcome.reply.status} ${(performance.now() - started).toFixed(1)}ms${note}`);
  };
}
