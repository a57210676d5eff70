// The HTTP edge: what a handler sees (Ctx), what it returns (Reply), reading request bodies and
// writing responses in ECL's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJson, readBody as readBounded, type RawBody } from '../body.ts';
import { badRequest } from './errors.ts';
import type { EclFaults } from './faults.ts';
import type { Store, Tenant } from './store.ts';

/** A success answer: its members go beside `api_error_message` at the top level. */
export interface Reply {
  status: number;
  fields: Record<string, unknown>;
}

export const reply = (status: number, fields: Record<string, unknown> = {}): Reply => ({ status, fields });

export interface Delays {
  snapshotCreateMs: number;
  volumeCreateMs: number;
  busyMs: number;
}

/** Everything a handler needs about one request. */
export interface Ctx {
  readonly url: URL;
  readonly tenant: Tenant;
  readonly store: Store;
  readonly faults: EclFaults;
  readonly delays: Delays;
  /** The parsed JSON body; throws 400 when there is none usable. */
  body(): unknown;
}

// ECL documents no limit; 1 MiB is far above any valid storage request.
const MAX_BODY_BYTES = 1 << 20;

/** Reads the whole body (bounded), so the connection stays usable whatever the answer. */
export const readBody = (req: IncomingMessage): Promise<RawBody> => readBounded(req, MAX_BODY_BYTES);

// The Content-Type is not checked: ECL's samples send application/json and 415 is not among its
// documented statuses, so whatever parses as JSON is read as JSON. Every refusal here is a 400.
export function parseJsonBody(raw: RawBody): unknown {
  return decodeJson(raw, {
    tooLarge: () => badRequest('The request body is too large.'),
    notUtf8: () => badRequest('The request body is not valid UTF-8.'),
    empty: () => badRequest('The request body is empty; a JSON object is required.'),
    notJson: () => badRequest('The request body is not valid JSON.'),
  });
}

/** The one place success bodies are shaped: `api_error_message` first, "" on success. */
export function successBody(fields: Record<string, unknown>, faults: EclFaults): Record<string, unknown> {
  return faults.has('no-api-error-message') ? { ...fields } : { api_error_message: '', ...fields };
}

export interface Outgoing {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function writeReply(res: ServerResponse, out: Outgoing): void {
  const text = JSON.stringify(out.body);
  for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.writeHead(out.status);
  res.end(text);
}
