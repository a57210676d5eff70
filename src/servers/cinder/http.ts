// The HTTP edge: what a handler sees (Ctx), what it returns (Reply), reading request bodies and
// writing responses with Cinder's headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readBounded, type RawBody } from '../body.ts';
import { ApiError, badRequest, serverError } from './errors.ts';
import type { CinderFaults } from './faults.ts';
import type { Store } from './store.ts';
import { VERSION_HEADER } from './versions.ts';

export interface Reply {
  status: number;
  /** JSON body; undefined sends an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });
export const empty = (status: number): Reply => ({ status });

/** Everything a handler needs about one request. */
export interface Ctx {
  readonly url: URL;
  /** `http://<Host header>`, used for absolute links. */
  readonly origin: string;
  readonly family: 'v2' | 'v3';
  readonly projectId: string;
  readonly userId: string;
  /** Microversion 3.<mv>; v2 behaves as 3.0. */
  readonly mv: number;
  readonly faults: CinderFaults;
  readonly store: Store;
  /** The parsed JSON body; throws the fault Cinder would answer when there is none usable. */
  body(): unknown;
}

// Cinder's sizelimit middleware default (osapi_max_request_body_size).
const MAX_BODY_BYTES = 114_688;
const JSON_TYPES = ['application/json', 'application/vnd.openstack.volume+json'];

/** Reads the whole body (bounded), so the connection stays usable whatever the answer. */
export const readBody = (req: IncomingMessage): Promise<RawBody> => readBounded(req, MAX_BODY_BYTES);

export function parseJsonBody(raw: RawBody, contentType: string | undefined, faults: CinderFaults): unknown {
  // Real Cinder answers an empty body with 500 (a KeyError in its request handling); a reference
  // server should refuse it as the client's mistake, so this is a 400.
  if (raw.bytes.length === 0) throw badRequest('The request body is empty; a JSON object is required.');
  if (raw.tooLarge) throw new ApiError(413, 'Request is too large.');
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(mediaType) && !faults.has('media-type-accepted')) throw new ApiError(415, 'Unsupported Content-Type');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes));
  } catch {
    if (faults.has('malformed-json-500')) throw serverError();
    throw badRequest('Malformed request body');
  }
}

export interface ReplyHeaders {
  requestId: string;
  /** `volume 3.x` to answer in OpenStack-API-Version (with Vary); undefined sends neither. */
  version?: string;
  /**
   * Whether the request reached Cinder's API with a caller (a token): only then does a JSON answer
   * carry the legacy X-Compute-Request-Id; the version document at / and bodiless answers do not.
   */
  caller: boolean;
  faults: CinderFaults;
}

export function writeReply(res: ServerResponse, reply: Reply, opts: ReplyHeaders): void {
  if (!opts.faults.has('no-request-id')) {
    res.setHeader('X-OpenStack-Request-Id', opts.requestId);
    if (opts.caller && reply.body !== undefined) res.setHeader('X-Compute-Request-Id', opts.requestId);
  }
  if (opts.version !== undefined) {
    res.setHeader(VERSION_HEADER, opts.version);
    res.setHeader('Vary', VERSION_HEADER);
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);

  if (reply.body !== undefined) {
    const text = JSON.stringify(reply.body);
    res.setHeader('Content-Type', opts.faults.has('content-type-text') ? 'text/plain' : 'application/json');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.writeHead(reply.status);
    res.end(text);
    return;
  }
  if (reply.status !== 204 && reply.status !== 304) {
    // Cinder's empty answers (DELETE 202, DELETE metadata key 200) carry webob's default type.
    res.setHeader('Content-Type', 'text/html; charset=UTF-8');
    res.setHeader('Content-Length', 0);
  }
  res.writeHead(reply.status);
  res.end();
}
