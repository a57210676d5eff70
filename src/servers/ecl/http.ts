// The HTTP edge: what a handler sees (Ctx), what it returns (Reply), reading request bodies and
// writing responses in ECL's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors.ts';
import type { FaultSet } from './faults.ts';
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
  readonly faults: FaultSet;
  readonly delays: Delays;
  /** The parsed JSON body; throws 400 when there is none usable. */
  body(): unknown;
}

// ECL documents no limit; 1 MiB is far above any valid storage request.
const MAX_BODY_BYTES = 1 << 20;

export interface RawBody {
  bytes: Buffer;
  tooLarge: boolean;
}

/** Reads the whole body (bounded), so the connection stays usable whatever the answer. */
export function readBody(req: IncomingMessage): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES }));
    req.on('error', reject);
  });
}

// The Content-Type is not checked: ECL's samples send application/json and 415 is not among its
// documented statuses, so whatever parses as JSON is read as JSON. Every refusal here is a 400.
export function parseJsonBody(raw: RawBody): unknown {
  if (raw.tooLarge) throw badRequest('The request body is too large.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') throw badRequest('The request body is empty; a JSON object is required.');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** The one place success bodies are shaped: `api_error_message` first, "" on success. */
export function successBody(fields: Record<string, unknown>, faults: FaultSet): Record<string, unknown> {
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
