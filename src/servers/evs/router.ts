// Request pipeline: version discovery (no token) -> auth -> route -> handler -> EVS error body.
// /v2/{project_id}/... and /v3/{project_id}/... behave the same; no microversion header is read.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, serverError } from '../cinder/errors.ts';
import { FaultSet } from '../cinder/faults.ts';
import { type Reply, json, parseJsonBody, readBody, writeReply } from '../cinder/http.ts';
import { metadataRoutes } from '../cinder/metadata.ts';
import type { Store } from '../cinder/store.ts';
import { familyDocument, rootDocument } from '../cinder/versions.ts';
import type { EvsCtx } from './context.ts';
import { errorBody, unauthorized } from './errors.ts';
import type { EvsFaultSet } from './faults.ts';
import { BYTES_255 } from './rules.ts';
import * as snapshots from './snapshots.ts';
import * as volumes from './volumes.ts';
import { type Pipeline, type Route, findRoute, originOf, pathSegments, pipeline, route, tokenAccepted } from '../pipeline.ts';
import type { Stats } from '../stats.ts';

type Handler = (ctx: EvsCtx, ...params: string[]) => Reply;

// Metadata keys and values: 255 bytes; an oversize one is a plain bad request.
const meta = metadataRoutes({ limit: BYTES_255, oversizeStatus: 400 });

// Paths after /{version}/{project}. First match wins, so `detail` comes before `:id`. Every route
// exists on v2 and v3.
const ROUTES: Route<Handler>[] = [
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

export interface PipelineOptions {
  store: Store;
  faults: EvsFaultSet;
  token: string | undefined;
  userId: string;
  stats: Stats;
  log?: (line: string) => void;
}

const routingMiss = (): ApiError => new ApiError(404, 'The resource could not be found.');

function errorReply(error: ApiError, faults: EvsFaultSet): Reply {
  const headers = error.retryAfter !== undefined ? { 'Retry-After': error.retryAfter } : undefined;
  return json(error.status, errorBody(error, faults), headers);
}

function dispatch(req: IncomingMessage, body: () => unknown, url: URL, origin: string, opts: PipelineOptions): Reply {
  const method = req.method ?? 'GET';
  const segments = pathSegments(url);
  if (!segments) throw routingMiss();
  const [family, ...rest] = segments;
  // Version documents: v3 is 3.0 only, since no microversion changes anything here.
  if (method === 'GET' && segments.length === 0) return rootDocument(origin, 0);
  if (method === 'GET' && rest.length === 0 && (family === 'v2' || family === 'v3')) return familyDocument(family, origin, 0);
  if (!tokenAccepted(req, opts.token)) throw unauthorized();
  if (family !== 'v2' && family !== 'v3') throw routingMiss();
  const projectId = rest.shift();
  const found = projectId ? findRoute(ROUTES, method, rest) : undefined;
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

export function createPipeline(opts: PipelineOptions): Pipeline {
  return pipeline<Reply>({
    stats: opts.stats,
    log: opts.log,
    answer: async (req, self) => {
      const raw = await readBody(req);
      const origin = originOf(req, self);
      const url = new URL(req.url ?? '/', origin);
      return dispatch(req, () => parseJsonBody(raw, req.headers['content-type'], FaultSet.none), url, origin, opts);
    },
    known: (error) => error instanceof ApiError,
    refuse: (error) => errorReply(error instanceof ApiError ? error : serverError(), opts.faults),
    write: (res, reply) => {
      const requestId = `req-${randomUUID()}`;
      writeReply(res, { ...reply, headers: { ...reply.headers, 'X-Request-Id': requestId } }, { requestId, faults: FaultSet.none });
      return reply.status;
    },
  });
}
