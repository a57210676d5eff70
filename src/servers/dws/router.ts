// Request pipeline: auth (as the API gateway does, before anything else) -> route -> handler ->
// error envelope.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as clusters from './clusters.ts';
import { ApiError, errorBody, noSuchApi, serverFailure, unauthorized } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { type Ctx, type Reply, json, parseJsonBody, readBody, writeReply } from './http.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { countRequest, type Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply;

interface Route {
  method: string;
  /** Path after /v1.0/{project_id}; ':' marks a parameter. */
  path: string[];
  handler: Handler;
}

const route = (method: string, path: string, handler: Handler): Route => ({ method, path: path.split('/'), handler });

const ROUTES: Route[] = [
  route('GET', 'clusters', clusters.listClusters),
  route('GET', 'clusters/:', clusters.showCluster),
  route('GET', 'snapshots', snapshots.listSnapshots),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
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
  faults: FaultSet;
  token: string | undefined;
  stats: Stats;
  log?: (line: string) => void;
}

function authorised(req: IncomingMessage, expected: string | undefined): boolean {
  const sent = req.headers['x-auth-token'];
  if (typeof sent !== 'string' || sent.trim() === '') return false;
  if (expected === undefined) return true;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function segmentsOf(url: URL): string[] {
  const trimmed = url.pathname.replace(/\/+$/, '');
  try {
    return trimmed === '' ? [] : trimmed.slice(1).split('/').map(decodeURIComponent);
  } catch {
    throw noSuchApi();
  }
}

// A path or method the API does not have is the gateway's 404 (no 405: it is not in DWS's set).
function dispatch(req: IncomingMessage, body: () => unknown, url: URL, opts: PipelineOptions): Reply {
  if (!authorised(req, opts.token)) throw unauthorized();
  const [version, projectId, ...rest] = segmentsOf(url);
  if (version !== 'v1.0' || !projectId) throw noSuchApi();
  const found = match(req.method ?? 'GET', rest);
  if (!found) throw noSuchApi();
  const ctx: Ctx = { projectId, faults: opts.faults, store: opts.store, body };
  return found.handler(ctx, ...found.params);
}

export function createPipeline(opts: PipelineOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    countRequest(opts.stats, method);

    const requestId = randomUUID().replaceAll('-', '');
    let reply: Reply;
    let note = '';
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      reply = dispatch(req, () => parseJsonBody(raw), url, opts);
    } catch (error) {
      if (!(error instanceof ApiError)) note = ` internal error: ${error instanceof Error ? error.message : String(error)}`;
      const apiError = error instanceof ApiError ? error : serverFailure();
      reply = json(apiError.status, errorBody(apiError, opts.faults));
    }
    if (res.destroyed) return;
    writeReply(res, reply, requestId);
    opts.log?.(`${method} ${req.url ?? ''} ${reply.status} ${(performance.now() - started).toFixed(1)}ms${note}`);
  };
}
