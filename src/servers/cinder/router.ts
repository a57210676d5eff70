// Request pipeline, in Cinder's order: version discovery (no token) -> auth -> route -> microversion
// -> handler -> fault envelope.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, faultBody, serverError } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { type Ctx, type Reply, json, parseJsonBody, readBody, writeReply } from './http.ts';
import * as meta from './metadata.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { familyDocument, parseMicroversion, rootDocument, versionHeaderValue } from './versions.ts';
import * as volumes from './volumes.ts';
import { type Pipeline, type Route, findRoute, originOf, pathSegments, pipeline, route, tokenAccepted } from '../pipeline.ts';
import type { Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply;

type CinderRoute = Route<Handler> & { v3Only?: boolean };

const v3Only = (r: Route<Handler>): CinderRoute => ({ ...r, v3Only: true });

// First match wins, so `detail` comes before `:id`. The 2016 v2 reference documents only GET and
// PUT on /metadata; POST and the per-key routes are v3 here.
const ROUTES: CinderRoute[] = [
  route('GET', 'snapshots', snapshots.listSnapshots(false)),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/detail', snapshots.listSnapshots(true)),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('PUT', 'snapshots/:', snapshots.updateSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
  route('POST', 'snapshots/:/action', snapshots.snapshotAction),
  route('GET', 'snapshots/:/metadata', meta.listMetadata),
  route('PUT', 'snapshots/:/metadata', meta.replaceMetadata),
  v3Only(route('POST', 'snapshots/:/metadata', meta.mergeMetadata)),
  v3Only(route('GET', 'snapshots/:/metadata/:', meta.showMetadataKey)),
  v3Only(route('PUT', 'snapshots/:/metadata/:', meta.updateMetadataKey)),
  v3Only(route('DELETE', 'snapshots/:/metadata/:', meta.deleteMetadataKey)),
  route('GET', 'volumes', volumes.listVolumes(false)),
  route('POST', 'volumes', volumes.createVolume),
  route('GET', 'volumes/detail', volumes.listVolumes(true)),
  route('GET', 'volumes/:', volumes.showVolume),
  route('DELETE', 'volumes/:', volumes.deleteVolume),
];

const V2_ROUTES = ROUTES.filter((r) => !r.v3Only);

export interface PipelineOptions {
  store: Store;
  faults: FaultSet;
  token: string | undefined;
  userId: string;
  stats: Stats;
  log?: (line: string) => void;
}

// Real Cinder answers routing misses with webob's HTML 404 page; a JSON fault is kinder to clients
// and checkers, and keeps every error in one envelope.
const routingMiss = (): ApiError => new ApiError(404, 'The resource could not be found.');

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
  const segments = pathSegments(url);
  if (!segments) throw routingMiss();
  const [family, ...rest] = segments;
  if (method === 'GET' && segments.length === 0) return { reply: rootDocument(origin) };
  if (method === 'GET' && rest.length === 0 && (family === 'v2' || family === 'v3')) {
    return { reply: familyDocument(family, origin) };
  }
  if (!opts.faults.has('no-auth') && !tokenAccepted(req, opts.token)) {
    throw new ApiError(401, 'The request you have made requires authentication.');
  }
  if (family !== 'v2' && family !== 'v3') throw routingMiss();
  const projectLess = family === 'v3' && (rest[0] === 'snapshots' || rest[0] === 'volumes');
  const projectId = projectLess ? implicitProject(req) : rest.shift();
  const found = projectId ? findRoute(family === 'v3' ? ROUTES : V2_ROUTES, method, rest) : undefined;
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

export function createPipeline(opts: PipelineOptions): Pipeline {
  return pipeline<Outcome>({
    stats: opts.stats,
    log: opts.log,
    answer: async (req, self) => {
      const raw = await readBody(req);
      const origin = originOf(req, self);
      const url = new URL(req.url ?? '/', origin);
      return dispatch(req, () => parseJsonBody(raw, req.headers['content-type'], opts.faults), url, origin, opts);
    },
    known: (error) => error instanceof ApiError,
    refuse: (error) => ({ reply: faultReply(error instanceof ApiError ? error : serverError(), opts.faults) }),
    write: (res, outcome) => {
      writeReply(res, outcome.reply, { requestId: `req-${randomUUID()}`, version: outcome.version, faults: opts.faults });
      return outcome.reply.status;
    },
  });
}
