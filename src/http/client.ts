// The one HTTP client of the suite: every request to a target goes through TargetClient, over
// Playwright's APIRequestContext. It builds requests from the profile's operations, records every
// exchange (redacted) for the checks and the report, tells the ledger what was created, and keeps
// traffic on the target's origin.
import type { APIRequestContext } from '@playwright/test';
import { BODY_LIMIT, PARSE_LIMIT, parseJson, type Exchange } from './exchange.ts';
import type { Redactor } from './redact.ts';
import { operation as operationOf, type Operation, type Profile } from '../profile/load.ts';
import type { Ledger } from '../target/ledger.ts';

export interface Target {
  profile: string;
  /** The endpoint as a service catalog gives it, version and project included; no trailing slash. */
  baseUrl: string;
  token?: string;
  /** A parent resource (volume, cluster) to use instead of creating one. */
  parentId?: string;
  requestTimeoutMs: number;
  /** Overrides the profile's time budget for state changes, in seconds. */
  stateTimeoutSeconds?: number;
  /** The microversion every request asks for, where the profile has them; its base otherwise. */
  microversion?: string;
  /** Only GET and HEAD may be sent: a write is a defect of the suite, and fails loudly. */
  readOnly?: boolean;
  /** At least this long between two requests of this process (--max-rps, shared by the workers). */
  minIntervalMs?: number;
}

/** "Come back later" answers the client honours: at most this many waits per request, each at most this long. */
const RETRY_AFTER = { statuses: [413, 429, 503], waits: 3, maxSeconds: 60 };

/** How long a Retry-After answer asks to wait, when it is a wait the run can afford. */
export function retryAfterMs(exchange: Exchange): number | undefined {
  const r = exchange.response;
  const raw = r?.headers['retry-after']?.trim();
  if (!r || !raw || !RETRY_AFTER.statuses.includes(r.status)) return undefined;
  const seconds = /^\d+$/.test(raw) ? Number(raw) : (Date.parse(raw) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 && seconds <= RETRY_AFTER.maxSeconds ? seconds * 1000 : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CallOptions {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON value, encoded and sent with Content-Type application/json. */
  body?: unknown;
  /** Sent as is (malformed JSON, empty bodies). */
  rawBody?: string;
  /** Content-Type to send; null sends none. Defaults to application/json when there is a body. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** 'none' sends no token; a string sends that token instead of the target's. */
  token?: 'none' | string;
}

export type ExchangeListener = (exchange: Exchange, operation?: Operation) => void;

export class TargetClient {
  private static sequence = 0;
  /** When this process may send its next request, under --max-rps. */
  private static nextSlot = 0;
  private readonly listeners: ExchangeListener[] = [];

  constructor(
    private readonly api: APIRequestContext,
    readonly profile: Profile,
    readonly target: Target,
    private readonly redactor: Redactor,
    readonly ledger?: Ledger,
  ) {}

  onExchange(listener: ExchangeListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }


  /** The absolute URL of an operation with its path parameters filled in. */
  url(op: Operation, path: Record<string, string> = {}, query: CallOptions['query'] = {}): string {
    const filled = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = path[name];
      if (value === undefined) throw new Error(`operation ${op.id} needs path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = new URL(this.target.baseUrl + filled);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** Calls an operation of the profile by its operationId. */
  async call(operationId: string, options: CallOptions = {}): Promise<Exchange> {
    const op = operationOf(this.profile, operationId);
    return this.send(op.method, this.url(op, options.path, options.query), options, op);
  }

  /** Follows a URL the target gave (a next link); only on the target's own origin. */
  async follow(url: string, operationId: string): Promise<Exchange | { offOrigin: string }> {
    if (!this.sameOrigin(url)) return { offOrigin: url };
    return this.send('GET', url, {}, operationOf(this.profile, operationId));
  }

  sameOrigin(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.target.baseUrl).origin;
    } catch {
      return false;
    }
  }

  /** The microversion this run asks for: the target's, or the profile's base. */
  get microversion(): string | undefined {
    return this.profile.conformance.microversions ? (this.target.microversion ?? this.profile.conformance.microversions.base) : undefined;
  }

  /** The header that asks for a microversion (the run's, unless one is given). */
  versionHeader(version = this.microversion): Record<string, string> {
    const mv = this.profile.conformance.microversions;
    return mv && version ? { [mv.header]: mv.format.replace('{version}', version) } : {};
  }

  /** Sends one request to the target's origin and records the exchange. */
  async send(method: string, url: string, options: CallOptions = {}, op?: Operation): Promise<Exchange> {
    if (!this.sameOrigin(url)) throw new Error(`refusing to send traffic off the target's origin: ${this.redactor.url(url)}`);
    if (this.target.readOnly && method !== 'GET' && method !== 'HEAD') {
      throw new Error(`read-only run: the suite tried to send ${method} ${this.redactor.url(url)} (a defect of the suite, not of the target)`);
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...this.profile.conformance.requestHeaders, ...this.versionHeader() };
    const authHeader = this.profile.conformance.auth.header;
    if (options.token !== 'none') {
      const token = options.token ?? this.target.token;
      if (token !== undefined) headers[authHeader] = token;
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    const contentType = options.contentType === undefined ? (body !== undefined ? 'application/json' : null) : options.contentType;
    if (contentType !== null) headers['Content-Type'] = contentType;
    Object.assign(headers, options.headers);

    const creates = op?.creates ? this.ledger?.intend(op.creates, body) : undefined;
    // A documented "busy, try again" (ECL's 409) is retried within the profile's bound, and a
    // Retry-After (413, 429, 503) is waited out when it is short; every attempt is an exchange of
    // its own, so the report can say how often it happened.
    const busy = this.profile.conformance.busy;
    let exchange: Exchange;
    let politeWaits = 0;
    for (let attempt = 1; ; attempt++) {
      await this.pace();
      exchange = await this.attempt(method, url, headers, body, op);
      if (busy) exchange.attempt = attempt;
      if (options.token !== undefined) exchange.authProbe = true;
      // A token chosen to be wrong is no secret: it is stored as sent, so the report's replay
      // sends it too (the run's own token stays redacted, and becomes $SC_TOKEN there).
      if (options.token !== undefined && options.token !== 'none') exchange.request.headers[authHeader] = this.redactor.text(options.token);
      const busyAgain = busy && exchange.response?.status === busy.status && attempt < busy.attempts;
      const wait = busyAgain ? busy.delayMs * Math.min(2 ** (attempt - 1), 8) : politeWaits < RETRY_AFTER.waits ? retryAfterMs(exchange) : undefined;
      if (wait === undefined) break;
      if (!busyAgain) politeWaits++;
      for (const listener of this.listeners) listener(exchange, op);
      await sleep(wait);
    }
    if (op?.creates && creates) this.ledger?.created(creates, exchange);
    if (op?.deletes) this.ledger?.deleted(op.deletes, url, exchange);
    for (const listener of this.listeners) listener(exchange, op);
    return exchange;
  }

  /** Waits for this process's next slot under --max-rps. */
  private async pace(): Promise<void> {
    const interval = this.target.minIntervalMs;
    if (!interval) return;
    const now = Date.now();
    const slot = Math.max(now, TargetClient.nextSlot);
    TargetClient.nextSlot = slot + interval;
    if (slot > now) await sleep(slot - now);
  }

  private async attempt(method: string, url: string, headers: Record<string, string>, body: string | undefined, op?: Operation): Promise<Exchange> {
    const startedAt = Date.now();
    const t0 = performance.now();
    try {
      const response = await this.api.fetch(url, {
        method,
        headers,
        // A Buffer goes out byte for byte (a string that is not JSON would be JSON-encoded).
        data: body === undefined ? undefined : Buffer.from(body, 'utf8'),
        failOnStatusCode: false,
        maxRedirects: 0,
        timeout: this.target.requestTimeoutMs,
      });
      const raw = await response.body();
      // Kept: the first BODY_LIMIT bytes as text; parsed: bodies up to PARSE_LIMIT (a bigger one
      // is judged as what it is, too big to be an answer, and never decoded whole).
      const truncated = raw.length > BODY_LIMIT;
      const answer = {
        status: response.status(),
        headers: response.headers(),
        body: (truncated ? raw.subarray(0, BODY_LIMIT) : raw).toString('utf8'),
        bodyBytes: raw.length,
        truncated,
        json: raw.length > PARSE_LIMIT ? undefined : parseJson(raw.toString('utf8')),
      };
      await response.dispose();
      return this.record(method, url, headers, body, startedAt, t0, op, answer);
    } catch (error) {
      return this.record(method, url, headers, body, startedAt, t0, op, undefined, transportError(error));
    }
  }

  private record(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    startedAt: number,
    t0: number,
    op: Operation | undefined,
    response?: Exchange['response'],
    error?: string,
  ): Exchange {
    const r = this.redactor;
    return {
      id: `w${process.env.TEST_WORKER_INDEX ?? '0'}-${++TargetClient.sequence}`,
      operation: op?.id,
      request: { method, url: r.url(url), headers: r.headers(headers), body: body === undefined ? undefined : r.text(body) },
      response: response && {
        ...response,
        headers: r.headers(response.headers),
        body: r.text(response.body),
        // The parsed value is kept for checks; it is redacted like the text when stored (see report).
      },
      error: error && r.text(error),
      startedAt,
      durationMs: Math.round((performance.now() - t0) * 10) / 10,
    };
  }
}

function transportError(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.split('\n')[0]!.replace(/^apiRequestContext\.fetch: /, '');
}
