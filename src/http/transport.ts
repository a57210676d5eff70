// The transport: the only thing that sends HTTP to a target. It sends, records, redacts and
// bounds, and nothing else: it knows no profile, and retries nothing but a kept-alive connection
// the target closed under it (the profile API's retry policy decides when to send again). It keeps
// to the target's origin, refuses writes in a read-only run, spaces requests under --max-rps, caps
// what it keeps of a body, and tells its listeners (the ledger, a test's judge) about every exchange.
// node:http with keep-alive: a request costs a fraction of a millisecond of CPU.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { BODY_LIMIT, PARSE_LIMIT, parseJson, type Exchange, type Purpose } from './exchange.ts';
import type { Redactor } from './redact.ts';

export interface TransportOptions {
  /** The endpoint as a service catalog gives it; nothing is sent off its origin. */
  baseUrl: string;
  requestTimeoutMs: number;
  /** Only GET and HEAD may be sent: a write is a defect of the suite, and fails loudly. */
  readOnly?: boolean;
  /** At least this long between two requests of this process (--max-rps, shared by processes). */
  minIntervalMs?: number;
  redactor: Redactor;
  /** A client certificate and key (PEM) to present, and the CA (PEM) to trust, for https targets. */
  tls?: TlsFiles;
}

export interface TlsFiles {
  cert?: string;
  key?: string;
  ca?: string;
}

/** The agent of an https target with its own TLS settings: kept alive as the shared ones, one per settings. */
const tlsAgents = new Map<string, https.Agent>();
function agentFor(protocol: string, tls: TlsFiles | undefined): http.Agent {
  if (protocol !== 'https:' || !tls || (!tls.cert && !tls.key && !tls.ca)) return agents[protocol as 'http:'];
  const key = JSON.stringify(tls);
  let agent = tlsAgents.get(key);
  if (!agent) tlsAgents.set(key, (agent = new https.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000, cert: tls.cert, key: tls.key, ca: tls.ca })));
  return agent;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The operation it exercises (its id), and what the request is for. */
  operation?: string;
  /** Which attempt this is, when the target answered "busy, try again" before (1 = first), of how many allowed. */
  attempt?: number;
  attempts?: number;
  purpose?: Purpose;
  /** Headers whose values the suite chose and are no secret (a token chosen to be wrong): recorded as sent. */
  plain?: string[];
  /** Facts for listeners (the ledger reads creates/deletes); the transport passes them on. */
  creates?: string;
  /** The name of what a create makes, where it is not in the body (a PUT at a name). */
  naming?: string;
  deletes?: string;
}

export interface TransportListener {
  /** Before a request leaves (the ledger writes its intent here). */
  sending?(request: OutgoingRequest): void;
  /** After each attempt, answered or not. */
  received?(exchange: Exchange, request: OutgoingRequest): void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// One pool of kept-alive connections per process. An idle connection is closed after 4 s, before
// the 5 s after which common servers (Node's among them) close theirs: a request rarely meets a
// connection the target is closing.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000 }),
};

/** Requests that may be sent twice without harm (RFC 9110 § 9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

let sequence = 0;
/** Exchange ids are unique across the run's processes (and the shards merged later). */
const processTag = randomBytes(3).toString('hex');
/** When this process may send its next request, under --max-rps. */
let nextSlot = 0;

export class Transport {
  private readonly origin: string;

  private constructor(
    readonly options: TransportOptions,
    private readonly listeners: TransportListener[],
  ) {
    this.origin = new URL(options.baseUrl).origin;
  }

  static create(options: TransportOptions): Transport {
    return new Transport(options, []);
  }

  /** A transport that tells these listeners too, besides this one's (a test's judge). */
  with(listener: TransportListener): Transport {
    return new Transport(this.options, [...this.listeners, listener]);
  }

  listen(listener: TransportListener): void {
    this.listeners.push(listener);
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  sameOrigin(url: string): boolean {
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }

  /** Sends one request; the exchange is told to the listeners. */
  async send(request: OutgoingRequest): Promise<Exchange> {
    const r = this.options.redactor;
    const url = parseUrl(request.url);
    if (url?.origin !== this.origin) throw new Error(`refusing to send traffic off the target's origin: ${r.url(request.url)}`);
    if (this.options.readOnly && request.method !== 'GET' && request.method !== 'HEAD') {
      throw new Error(`read-only run: the suite tried to send ${request.method} ${r.url(request.url)} (a defect of the suite, not of the target)`);
    }
    for (const l of this.listeners) l.sending?.(request);
    await this.pace();
    const exchange = await this.attempt(request, url);
    for (const l of this.listeners) l.received?.(exchange, request);
    return exchange;
  }

  private async pace(): Promise<void> {
    const interval = this.options.minIntervalMs;
    if (!interval) return;
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await sleep(slot - now);
  }

  /**
   * One attempt. A kept-alive connection the target closed just as it was reused fails with
   * ECONNRESET or EPIPE: an idempotent request is sent again, once, on a new connection (it is the
   * connection's failure, not the target's answer); a create is not, as it may have been read.
   */
  private async attempt(request: OutgoingRequest, url: URL): Promise<Exchange> {
    const first = await this.once(request, url);
    return first.staleSocket && IDEMPOTENT.has(request.method) ? (await this.once(request, url)).exchange : first.exchange;
  }

  private once(request: OutgoingRequest, url: URL): Promise<{ exchange: Exchange; staleSocket?: boolean }> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const payload = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = { ...request.headers };
    if (payload) headers['Content-Length'] = String(payload.length);
    const done = (response?: Exchange['response'], error?: string) => ({ exchange: this.record(request, startedAt, t0, response, error) });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: { exchange: Exchange; staleSocket?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(url, { method: request.method, headers, agent: agentFor(url.protocol, this.options.tls) }, (res) => {
        // Kept: the first PARSE_LIMIT bytes (a bigger body is judged as what it is, too big to be an
        // answer, and never decoded whole); counted: all of it.
        const chunks: Buffer[] = [];
        let kept = 0;
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (kept < PARSE_LIMIT) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => {
          if (!res.complete) return settle(done(undefined, 'the connection closed before the answer was complete'));
          const raw = Buffer.concat(chunks);
          const text = (size > BODY_LIMIT ? raw.subarray(0, BODY_LIMIT) : raw).toString('utf8');
          settle(
            done({
              status: res.statusCode ?? 0,
              headers: flatHeaders(res.headers),
              body: text,
              bodyBytes: size,
              truncated: size > BODY_LIMIT,
              json: size > PARSE_LIMIT ? undefined : parseJson(size > BODY_LIMIT ? raw.toString('utf8') : text),
            }),
          );
        });
        res.on('error', (error) => settle(done(undefined, error.message)));
        res.on('aborted', () => settle(done(undefined, 'the connection closed before the answer was complete')));
      });
      const timer = setTimeout(() => {
        req.destroy();
        settle(done(undefined, `no complete answer within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        // One line, whatever the library said (OpenSSL's messages span several), and what to do for the usual TLS refusals.
        const message = `${error.code ? `${error.code}: ` : ''}${error.message.replace(/\s+/g, ' ').trim()}${tlsHint(error.code)}`;
        settle({ ...done(undefined, message), staleSocket: req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') });
      });
      req.end(payload);
    });
  }

  private record(request: OutgoingRequest, startedAt: number, t0: number, response?: Exchange['response'], error?: string): Exchange {
    const r = this.options.redactor;
    return {
      id: `${processTag}-${++sequence}`,
      operation: request.operation,
      request: { method: request.method, url: r.url(request.url), headers: r.headers(request.headers, request.plain), body: request.body === undefined ? undefined : r.text(request.body) },
      // The parsed value is kept for checks; artifacts store the redacted text only (storable()).
      response: response && { ...response, headers: r.headers(response.headers), body: r.text(response.body) },
      error: error && r.text(error),
      attempt: request.attempt,
      attempts: request.attempts,
      purpose: request.purpose,
      startedAt,
      durationMs: Math.round((performance.now() - t0) * 10) / 10,
    };
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** What to do about a TLS handshake the target or this side refused, where it is a usual case. */
function tlsHint(code: string | undefined): string {
  if (!code) return '';
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(code)) return ' (the target asks for a client certificate: give --client-cert and --client-key)';
  if (/SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|CERT_UNTRUSTED/.test(code)) return " (the target's certificate is not trusted here: give its CA with --ca-cert)";
  if (/CERT_HAS_EXPIRED|ALTNAME/.test(code)) return " (the target's certificate does not hold for this address)";
  return '';
}
