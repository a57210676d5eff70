// Request bodies for the reference servers: read whole but bounded (so the connection stays usable
// whatever the answer), then decoded as JSON with the refusals each server words its own way.
import type { IncomingMessage } from 'node:http';

export interface RawBody {
  bytes: Buffer;
  tooLarge: boolean;
}

/** Reads the whole body, keeping at most maxBytes of it. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), tooLarge: size > maxBytes }));
    req.on('error', reject);
  });
}

/** The error a server answers for each way a body is unusable. */
export interface BodyRefusals {
  tooLarge(): Error;
  notUtf8(): Error;
  empty(): Error;
  notJson(): Error;
}

/** Decodes a body as JSON, whatever its Content-Type; each unusable body gets its refusal. */
export function decodeJson(raw: RawBody, refuse: BodyRefusals): unknown {
  if (raw.tooLarge) throw refuse.tooLarge();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes);
  } catch {
    throw refuse.notUtf8();
  }
  if (text.trim() === '') throw refuse.empty();
  try {
    return JSON.parse(text);
  } catch {
    throw refuse.notJson();
  }
}
