// Request pipeline: auth (as the API gateway does, before anything else) -> route -> handler ->
// error envelope.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import * as clusters from './clusters.ts';
import { ApiError, errorBody, noSuchApi, serverFailure, unauthorized } from './errors.ts';
import type { DwsFaults } from './faults.ts';
import { type Ctx, type Reply, json, parseJsonBody, readBody, writeReply } from './http.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { type Pipeline, type Route, findRoute, pathSegments, pipeline, route, tokenAccepted } from '../pipeline.ts';
import type { Stats } from '../stats.ts';

type Handler = (ctx: Ctx, ...params: string[]) => Reply;

// Paths after /v1.0/{project_id}.
const ROUTES: Route<Handler>[] = [
  route('GET', 'clusters', clusters.listClusters),
  route('GET', 'clusters/:', clusters.showCluster),
  route('GET', 'clusters/:/snapshots', snapshots.listClusterSnapshots),
  route('GET', 'snapshots', snapshots.listSnapshots),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
];

export interface PipelineOptions {
  store: Store;
  faults: DwsFaults;
  token: string | undefined;
  stats: Stats;
  log?: (line: string) => void;
}

// A path or method the API does not have is the gateway's 404 (no 405: it is not in DWS's set).
function dispatch(req: IncomingMessage, body: () => unknown, url: URL, opts: PipelineOptions): Reply {
  if (!tokenAccepted(req, opts.token)) throw unauthorized();
  const segments = pathSegments(url);
  if (!segments) throw noSuchApi();
  const [version, projectId, ...rest] = segments;
  if (version !== 'v1.0' || !projectId) throw noSuchApi();
  const found = findRoute(ROUTES, req.method ?? 'GET', rest);
  if (!found) throw noSuchApi();
  const ctx: Ctx = { projectId, faults: opts.faults, store: opts.store, url, body };
  return found.handler(ctx, ...found.params);
}

export function createPipeline(opts: PipelineOptions): Pipeline {
  return pipeline<Reply>({
    stats: opts.stats,
    log: opts.log,
    answer: async (req) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost'); // DWS answers hold no links to this server
      return dispatch(req, () => parseJsonBody(raw), url, opts);
    },
    known: (error) => error instanceof ApiError,
    refuse: (error) => {
      const apiError = error instanceof ApiError ? error : serverFailure();
      return json(apiError.status, errorBody(apiError, opts.faults));
    },
    write: (res, reply) => {
      writeReply(res, reply, randomUUID().replaceAll('-', ''));
      return reply.status;
    },
  });
}
