// Request pipeline of the Cinder family (Cinder itself and the dialects built on it, such as EVS), in
// Cinder's order: version discovery (no token) -> auth -> route -> microversion -> handler -> error
// body. A dialect gives its routes, its error body and what else it answers differently.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, serverError } from './errors.ts';
import type { CinderFaults } from './faults.ts';
import { type Ctx, type Reply, json, parseJsonBody, readBody, writeReply } from './http.ts';
import * as meta from './metadata.ts';
import * as snapshots from './snapshots.ts';
import type { Store } from './store.ts';
import { type Family, VersionError, familyDocument, parseMicroversion, rootDocument, versionHeaderValue } from './versions.ts';
import * as volumes from './volumes.ts';
import { type Pipeline, type Route, findRoute, originOf, pathSegments, pipeline, route, tokenAccepted } from '../pipeline.ts';
import type { Stats } from '../stats.ts';

export type Handler<C extends Ctx = Ctx> = (ctx: C, ...params: string[]) => Reply;

export type FamilyRoute<C extends Ctx = Ctx> = Route<Handler<C>> & { v3Only?: boolean };

export const v3Only = <C extends Ctx>(r: Route<Handler<C>>): FamilyRoute<C> => ({ ...r, v3Only: true });

/** How one member of the family answers where the members differ. */
export interface Dialect<C extends Ctx> {
  /** Paths after /{v2|v3}/{project}; first match wins, so `detail` comes before `:id`. */
  routes: FamilyRoute<C>[];
  /** The API versions served (and listed by the version document at /). */
  families: readonly Family[];
  /** Highest 3.x minor served; 0 = no microversions (no header read, none answered). */
  maxMinor: number;
  /** Whether v3 also serves the project-less URLs of 3.67 (/v3/snapshots...). */
  projectLess: boolean;
  /** The refusal of a missing or wrong token. */
  unauthorized(): ApiError;
  errorBody(error: ApiError): Record<string, unknown>;
  /** Headers every answer carries besides Cinder's. */
  headers?(requestId: string): Record<string, string>;
  /** The handler's context from the Cinder-family one. */
  context(base: Ctx): C;
}

export interface FamilyOptions<C extends Ctx> {
  dialect: Dialect<C>;
  store: Store;
  /** The Cinder faults the shared code asks for (auth, JSON bodies, headers...). */
  faults: CinderFaults;
  token: string | undefined;
  stats: Stats;
  log?: (line: string) => void;
}

// Real Cinder answers routing misses with webob's HTML 404 page; a JSON fault is kinder to clients
// and checkers, and keeps every error in one envelope.
const routingMiss = (): ApiError => new ApiError(404, 'The resource could not be found.');

// noauth's token form, `user:project` (the project part hex, as Cinder's URLs want it).
const NOAUTH_TOKEN = /^([^:\s]+):([0-9a-f-]{1,64})$/;

/**
 * Who is calling. A noauth-style `user:project` token names its user, as Cinder's noauth
 * middleware reads it; any other token stands for a Keystone user whose id is derived from the
 * token (32 hex digits, as Keystone writes ids), so the same token is always the same user.
 */
export function callerUserId(req: IncomingMessage): string {
  const token = req.headers['x-auth-token'];
  const text = typeof token === 'string' ? token : '';
  const noauth = NOAUTH_TOKEN.exec(text);
  if (noauth) return noauth[1]!;
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Project for the project-less v3 URLs (3.67): the project part of a noauth-style `user:project` token. */
function implicitProject(req: IncomingMessage): string {
  const token = req.headers['x-auth-token'];
  const m = typeof token === 'string' ? NOAUTH_TOKEN.exec(token) : null;
  return m?.[2] ?? 'default';
}

interface Outcome {
  reply: Reply;
  /** `volume 3.x` to answer in OpenStack-API-Version (with Vary); undefined for neither. */
  version?: string;
  /** Whether the request reached the API with a caller (see ReplyHeaders.caller). */
  caller: boolean;
}

function dispatch<C extends Ctx>(req: IncomingMessage, body: () => unknown, url: URL, origin: string, opts: FamilyOptions<C>): Outcome {
  const { dialect, faults } = opts;
  const method = req.method ?? 'GET';
  const segments = pathSegments(url);
  if (!segments) throw routingMiss();
  const [family, ...rest] = segments;
  const served = (f: string | undefined): f is Family => dialect.families.includes(f as Family);

  // The microversion header, where Cinder reads it: on v3 and on the version documents. A refused
  // one is answered at once; a 406 still says which version was asked for, a malformed one nothing.
  let mv = 0;
  let version: string | undefined;
  const readVersion = (caller: boolean): Outcome | undefined => {
    if (dialect.maxMinor === 0) return undefined;
    try {
      mv = parseMicroversion(req.headers['openstack-api-version'], dialect.maxMinor);
    } catch (error) {
      if (error instanceof VersionError) return { reply: errorReply(error, dialect), version: error.echo, caller };
      throw error;
    }
    version = versionHeaderValue(faults.has('version-header-base') ? 0 : mv);
    return undefined;
  };

  if (method === 'GET' && segments.length === 0) {
    // The root has no caller in Cinder: its pipeline does not authenticate.
    return readVersion(false) ?? { reply: rootDocument(origin, dialect.maxMinor, dialect.families), version, caller: false };
  }
  const caller = tokenAccepted(req, opts.token);
  if (method === 'GET' && rest.length === 0 && served(family)) {
    const refused = family === 'v3' ? readVersion(caller) : undefined;
    return refused ?? { reply: familyDocument(family, origin, dialect.maxMinor), version, caller };
  }
  if (!faults.has('no-auth') && !caller) throw dialect.unauthorized();
  if (!served(family)) throw routingMiss();
  const projectLess = dialect.projectLess && family === 'v3' && (rest[0] === 'snapshots' || rest[0] === 'volumes');
  const projectId = projectLess ? implicitProject(req) : rest.shift();
  const routes = family === 'v3' ? dialect.routes : dialect.routes.filter((r) => !r.v3Only);
  const found = projectId ? findRoute(routes, method, rest) : undefined;
  if (!projectId || !found) throw routingMiss();

  if (family === 'v3') {
    const refused = readVersion(true);
    if (refused) return refused;
  }
  const base: Ctx = { url, origin, family, projectId, userId: callerUserId(req), mv, faults, store: opts.store, body };
  try {
    return { reply: found.handler(dialect.context(base), ...found.params), version, caller: true };
  } catch (error) {
    if (error instanceof ApiError) return { reply: errorReply(error, dialect), version, caller: true };
    throw error;
  }
}

function errorReply<C extends Ctx>(error: ApiError, dialect: Dialect<C>): Reply {
  const headers = error.retryAfter !== undefined ? { 'Retry-After': error.retryAfter } : undefined;
  return json(error.status, dialect.errorBody(error), headers);
}

export function familyPipeline<C extends Ctx>(opts: FamilyOptions<C>): Pipeline {
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
    // Refused before the API (auth, routing): no caller, no microversion.
    refuse: (error) => ({ reply: errorReply(error instanceof ApiError ? error : serverError(), opts.dialect), caller: false }),
    write: (res, outcome) => {
      const requestId = `req-${randomUUID()}`;
      const extra = opts.dialect.headers?.(requestId);
      const reply = extra ? { ...outcome.reply, headers: { ...outcome.reply.headers, ...extra } } : outcome.reply;
      writeReply(res, reply, { requestId, version: outcome.version, caller: outcome.caller, faults: opts.faults });
      return reply.status;
    },
  });
}

// The 2016 v2 reference documents only GET and PUT on /metadata; POST and the per-key routes are v3 here.
export const CINDER_ROUTES: FamilyRoute[] = [
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
