// The HTTP edge: what a handler sees (Ctx), what it returns (Reply), reading request bodies and
// writing responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJson, readBody as readBounded, type RawBody } from '../body.ts';
import { badParameter, emptyRequest } from './errors.ts';
import type { DwsFaults } from './faults.ts';
import type { Store } from './store.ts';

export interface Reply {
  status: number;
  /** JSON body; undefined sends an empty body. */
  body?: unknown;
}

export const json = (status: number, body: unknown): Reply => ({ status, body });
export const empty = (status: number): Reply => ({ status });

/** Everything a handler needs about one request. */
export interface Ctx {
  readonly projectId: string;
  readonly faults: DwsFaults;
  readonly store: Store;
  /** The request's URL (its query carries the paging of the cluster's list). */
  readonly url: URL;
  /** The parsed JSON body; throws the DWS error for an empty or unreadable one. */
  body(): unknown;
}

// DWS documents no limit; 1 MiB is far above any valid snapshot request.
const MAX_BODY_BYTES = 1 << 20;

/** Reads the whole body (bounded), so the connection stays usable whatever the answer. */
export const readBody = (req: IncomingMessage): Promise<RawBody> => readBounded(req, MAX_BODY_BYTES);

// The Content-Type is not checked: DWS documents none besides JSON, and 415 is not among its
// documented statuses, so whatever parses as JSON is read as JSON.
export function parseJsonBody(raw: RawBody): unknown {
  return decodeJson(raw, {
    tooLarge: () => badParameter('The request body is too large.'),
    notUtf8: () => badParameter('The request body is not valid UTF-8.'),
    empty: () => emptyRequest(),
    notJson: () => badParameter('The request body is not valid JSON.'),
  });
}

export function writeReply(res: ServerResponse, reply: Reply, requestId: string): void {
  res.setHeader('X-Request-Id', requestId);
  if (reply.body !== undefined) {
    const text = JSON.stringify(reply.body);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.writeHead(reply.status);
    res.end(text);
    return;
  }
  res.setHeader('Content-Length', 0);
  res.writeHead(reply.status);
  res.end();
}
