// The parts of a reference server's request pipeline that every profile does alike: counting and
// logging each request, token comparison, path splitting and route matching. What a profile answers
// (auth order, envelopes, routes) stays in its own router.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countRequest, type Stats } from './stats.ts';

/** Handles one request; `self` is the server's own host:port, for requests without a Host header. */
export type Pipeline = (req: IncomingMessage, res: ServerResponse, self: string) => Promise<void>;

export interface PipelineParts<R> {
  stats: Stats;
  /** Called with one line per answered request if given. */
  log?: (line: string) => void;
  /** Reads the request and works out its reply; throws to refuse it. */
  answer(req: IncomingMessage, self: string): Promise<R>;
  /** Whether a thrown error is one the profile answers on purpose; any other is noted in the log. */
  known(error: unknown): boolean;
  /** The reply for a thrown error; undefined leaves the request unanswered. */
  refuse(error: unknown): R | undefined;
  /** Writes the reply; returns its status. */
  write(res: ServerResponse, reply: R): number;
}

export function pipeline<R>(parts: PipelineParts<R>): Pipeline {
  return async (req, res, self) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    countRequest(parts.stats, method);

    let reply: R | undefined;
    let note = '';
    try {
      reply = await parts.answer(req, self);
    } catch (error) {
      if (!parts.known(error)) note = ` internal error: ${error instanceof Error ? error.message : String(error)}`;
      reply = parts.refuse(error);
      if (reply === undefined) return;
    }
    if (res.destroyed) return;
    const status = parts.write(res, reply);
    parts.log?.(`${method} ${req.url ?? ''} ${status} ${(performance.now() - started).toFixed(1)}ms${note}`);
  };
}

/** Whether the request carries an accepted X-Auth-Token; any non-empty one when `expected` is undefined. */
export function tokenAccepted(req: IncomingMessage, expected: string | undefined): boolean {
  const sent = req.headers['x-auth-token'];
  if (typeof sent !== 'string' || sent.trim() === '') return false;
  if (expected === undefined) return true;
  // Constant time, so how long a refusal takes tells nothing about the token.
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `http://<Host header>` when the header is a plain host[:port], else the server's own address. */
export function originOf(req: IncomingMessage, self: string): string {
  const host = req.headers.host;
  return `http://${host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : self}`;
}

/** The path's segments, decoded, trailing slashes ignored; undefined when one does not decode. */
export function pathSegments(url: URL): string[] | undefined {
  const trimmed = url.pathname.replace(/\/+$/, '');
  try {
    return trimmed === '' ? [] : trimmed.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export interface Route<H> {
  method: string;
  /** Path after the API's prefix; ':' marks a parameter. */
  path: string[];
  handler: H;
}

export const route = <H>(method: string, path: string, handler: H): Route<H> => ({ method, path: path.split('/'), handler });

/** The parameters a route's path takes from the segments, or undefined when it does not match them. */
export function routeParams(path: string[], segments: string[]): string[] | undefined {
  if (path.length !== segments.length) return undefined;
  const params: string[] = [];
  return path.every((part, i) => (part === ':' ? params.push(segments[i]!) > 0 : part === segments[i])) ? params : undefined;
}

/** The first route with this method whose path matches, so `detail` must come before `:`. */
export function findRoute<H>(routes: Route<H>[], method: string, segments: string[]): { handler: H; params: string[] } | undefined {
  for (const r of routes) {
    const params = r.method === method ? routeParams(r.path, segments) : undefined;
    if (params) return { handler: r.handler, params };
  }
  return undefined;
}
