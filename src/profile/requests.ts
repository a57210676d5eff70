// How a profile's requests are shaped: the URL of an operation with its path and query filled in,
// and the headers every request carries (media types, the profile's own, the microversion, the
// run's --header values, the credentials) with the body encoded. Nothing here sends.
import type { Purpose } from '../http/exchange.ts';
import type { OutgoingRequest } from '../http/transport.ts';
import { pathToFileURL } from 'node:url';
import type { Operation } from './load.ts';
import { ProfileError } from './sources.ts';
import type { ProfileModel } from './model.ts';

export interface ApiTarget {
  /** The endpoint, version and project included; no trailing slash. */
  baseUrl: string;
  token?: string;
  /** The microversion every request asks for, where the profile has them; its base otherwise. */
  microversion?: string;
  /** More headers every request carries (a gateway's). */
  headers?: Record<string, string>;
  /** Overrides the profile's time budget for a state change, in seconds. */
  stateTimeoutSeconds?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  path?: Record<string, string>;
  /** The resource and parent an operation is about: they fill its parameters marked x-fixture (path and query). */
  fixtures?: PathFixtures;
  query?: Query;
  /** A JSON value, encoded and sent with Content-Type application/json. */
  body?: unknown;
  /** Sent as is (malformed JSON, empty bodies). */
  rawBody?: string;
  /** Content-Type to send; null sends none. Defaults to application/json when there is a body. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** 'none' sends no token; a string sends that token instead of the target's. */
  token?: 'none' | string;
  /** A request the target must refuse (judged by the refusal clauses, not the contract). */
  negative?: boolean;
  /** A create meant to meet the quota: an over-quota answer is what it looks for, not waited out. */
  untilRefused?: boolean;
  /** The name a create gives what it makes, where the name is not in its body (the ledger's record). */
  naming?: string;
}

/** Fixtures that fill parameters marked x-fixture (resource, parent, and a name the client chooses). */
export interface PathFixtures {
  resource?: string;
  parent?: string;
  name?: string;
}

/** Query parameters of an operation marked x-fixture (a parent named in the query), filled. */
export function fixtureQuery(op: Operation, fixtures: PathFixtures = {}): Query {
  const out: Query = {};
  for (const p of op.parameters) if (p.in === 'query' && p.fixture && fixtures[p.fixture as keyof PathFixtures] !== undefined) out[p.name] = fixtures[p.fixture as keyof PathFixtures];
  return out;
}

/**
 * Path parameters of an operation: by x-fixture (resource, parent, name), else by name, else its
 * example. One without a value is left out (the URL says which is missing, if it still is).
 */
export function pathParams(op: Operation, fixtures: PathFixtures, byName: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in !== 'path') continue;
    const value = byName[p.name] ?? (p.fixture ? fixtures[p.fixture as keyof PathFixtures] : undefined) ?? (p.example as string | undefined);
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}

/**
 * A value a path segment can carry: "." and ".." would be read as path steps, and servers decode
 * %2F into a "/" that splits the path (real Cinder answers such a per-key read with a bare 404).
 */
export const addressable = (value: unknown): value is string => typeof value === 'string' && !/^\.{1,2}$/.test(value) && !value.includes('/');

export class RequestShaper {
  constructor(
    private readonly model: ProfileModel,
    readonly target: ApiTarget,
  ) {}

  /** The absolute URL of an operation with its path parameters filled in, and the profile's query. */
  url(op: Operation, path: Record<string, string> = {}, query: Query = {}): string {
    const filled = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = path[name];
      if (value === undefined) throw new Error(`operation ${op.id} needs path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = new URL(this.target.baseUrl + filled);
    for (const [k, v] of Object.entries({ ...this.model.query, ...query })) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** The microversion this run asks for: the target's, or the profile's base. */
  get microversion(): string | undefined {
    const mv = this.model.microversions;
    return mv ? (this.target.microversion ?? mv.base) : undefined;
  }

  /** The header that asks for a microversion (the run's, unless one is given). */
  versionHeader(version = this.microversion): Record<string, string> {
    const mv = this.model.microversions;
    return mv && version ? { [mv.header]: mv.format.replace('{version}', version) } : {};
  }

  /**
   * The request to send: the profile's headers, the body encoded, the credentials asked for (in a
   * header, the query, or a signature over the request as it leaves).
   */
  async request(method: string, url: string, options: CallOptions, op?: Operation): Promise<OutgoingRequest> {
    const auth = this.model.auth;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.model.requestHeaders, ...this.versionHeader(), ...this.target.headers };
    const token = options.token === 'none' ? undefined : (options.token ?? this.target.token);
    if (token !== undefined && auth.kind === 'header') headers[auth.header!] = auth.scheme ? `${auth.scheme} ${token}` : token;
    if (token !== undefined && auth.kind === 'query') {
      const u = new URL(url);
      u.searchParams.set(auth.query!, token);
      url = u.toString();
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    const contentType = options.contentType === undefined ? (body !== undefined ? 'application/json' : null) : options.contentType;
    if (contentType !== null) headers['Content-Type'] = contentType;
    Object.assign(headers, options.headers);
    if (token !== undefined && auth.kind === 'signer') Object.assign(headers, await sign(this.model.modules.signer!, { method, url, headers, body }, token));
    const purpose: Purpose | undefined = options.token !== undefined ? 'auth' : options.negative ? 'negative' : undefined;
    return {
      method,
      url,
      headers,
      body,
      operation: op?.id,
      purpose,
      creates: op?.creates,
      naming: options.naming,
      deletes: op?.deletes,
      // A token chosen to be wrong is no secret: recorded as sent, so that the report's replay
      // sends it too (the run's own token stays redacted, and becomes $SC_TOKEN there).
      plain: options.token !== undefined && options.token !== 'none' && auth.header ? [auth.header] : undefined,
    };
  }
}

/**
 * A profile's request signer (modules.signer): a module whose default export is
 * `sign({ method, url, headers, body }, credentials)` and returns the headers to add. It signs the
 * request exactly as it leaves; `credentials` is the run's token as given (a key and its secret,
 * in whatever form the profile's docs say), or a wrong one the suite chose.
 */
export interface RequestSigner {
  sign(request: { method: string; url: string; headers: Record<string, string>; body?: string }, credentials: string): Record<string, string> | Promise<Record<string, string>>;
  /** For the reference server: whether a request carries a valid signature for these credentials. */
  verify?(request: { method: string; url: string; headers: Record<string, string>; body?: string }, credentials: string): boolean;
}

const signers = new Map<string, Promise<RequestSigner>>();

/** The profile's signer module, imported once per process. */
export function loadSigner(file: string): Promise<RequestSigner> {
  let signer = signers.get(file);
  if (!signer) {
    signer = import(pathToFileURL(file).href).then((m) => {
      const sign = m.default?.sign ?? m.sign ?? (typeof m.default === 'function' ? m.default : undefined);
      if (typeof sign !== 'function') throw new ProfileError(`${file}: a signer module exports sign(request, credentials) (or a default function)`);
      return { sign, verify: m.default?.verify ?? m.verify };
    });
    signers.set(file, signer);
  }
  return signer;
}

async function sign(file: string, request: { method: string; url: string; headers: Record<string, string>; body?: string }, credentials: string): Promise<Record<string, string>> {
  return (await loadSigner(file)).sign(request, credentials);
}
