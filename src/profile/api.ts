// The profile API: the one place that knows how a profile's requests are shaped, in the manner of
// Tempest's service clients. Verbs (create, show, list, update, delete, the metadata operations,
// the parent's, waiting for a state) resolve paths, envelopes, pointers, headers and the profile's
// quirks (a documented "busy, try again", microversions) from the profile document, once. Suites,
// lifecycle commands, fixtures and the clean-up talk to a target through it; the transport under it
// only sends and records.
import type { Exchange, Purpose } from '../http/exchange.ts';
import { sleep, type Transport, type TransportListener } from '../http/transport.ts';
import { getAt, keysOf, setAt } from '../util/pointer.ts';
import { memberSchema } from '../generate/schema-sites.ts';
import { Transitions, waitForState, type WaitResult, type WaitSpec } from '../resources/waiter.ts';
import { operation, refusalStatuses, successStatus, type Operation, type Profile } from './load.ts';
import type { Conformance, LookupSpec } from './schema.ts';

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
  /** A request the target must refuse (judged by the refusal clauses, not the contract). */
  negative?: boolean;
  /** A create meant to meet the quota: an over-quota answer is what it looks for, not waited out. */
  untilRefused?: boolean;
}

/**
 * A create the target refuses as over its quota is sent again after these waits: the quota is
 * usually taken by the run's own resources of the moment, which other tests are removing.
 */
const QUOTA_WAITS_MS = [250, 500, 1000, 2000, 4000];

export type Item = Record<string, unknown>;

/** Fixtures that fill path parameters marked x-fixture (resource, parent). */
export interface PathFixtures {
  resource?: string;
  parent?: string;
}

/** Path parameters of an operation: by x-fixture (resource, parent), else by name, else its example. */
export function pathParams(op: Operation, fixtures: PathFixtures, byName: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in !== 'path') continue;
    const value = byName[p.name] ?? (p.fixture ? fixtures[p.fixture as keyof PathFixtures] : undefined) ?? (p.example as string | undefined);
    if (value === undefined) throw new Error(`no value for path parameter ${p.name} of ${op.id}`);
    out[p.name] = value;
  }
  return out;
}

/**
 * A value a path segment can carry: "." and ".." would be read as path steps, and servers decode
 * %2F into a "/" that splits the path (real Cinder answers such a per-key read with a bare 404).
 */
export const addressable = (value: unknown): value is string => typeof value === 'string' && !/^\.{1,2}$/.test(value) && !value.includes('/');

/** The one member a body is wrapped in ({"metadata": ...}, {"meta": ...}), read from its schema. */
function soleMember(profile: Profile, op: Operation, side: 'request' | 'response'): string {
  const pointer = side === 'request' ? op.requestBody?.schemaPointer : op.responses.get(String(successStatus(op)))?.schemaPointer;
  const required = pointer ? memberSchema(profile.doc, pointer, [])?.schema.required : undefined;
  if (!Array.isArray(required) || required.length !== 1) throw new Error(`${op.id}: the ${side} body must have exactly one required member`);
  return required[0];
}

type MetadataSection = NonNullable<Conformance['metadata']>;

/** A metadata operation, resolved: the operation, its clause, and the members its bodies are wrapped in. */
export interface MetadataOp {
  op: Operation;
  clause: string;
  request?: string;
  response?: string;
}

/** A metadata operation of the profile, resolved. */
function resolveOp(profile: Profile, spec: { operation: string; clause: string }): MetadataOp {
  const o = operation(profile, spec.operation);
  const success = o.responses.get(String(successStatus(o)));
  return {
    op: o,
    clause: spec.clause,
    request: o.requestBody ? soleMember(profile, o, 'request') : undefined,
    response: success?.schemaPointer ? soleMember(profile, o, 'response') : undefined,
  };
}

/** Everything the profile API resolves once per profile. */
export class ProfileShape {
  readonly c: Conformance;
  readonly ops: { create: Operation; show: Operation; list: Operation; listDetail?: Operation; update?: Operation; delete: Operation };
  readonly wrapper: string;
  readonly fields: Conformance['resource']['fields'];
  readonly statusPointer: string;
  readonly metadata?: {
    section: MetadataSection;
    read: MetadataOp;
    replace: MetadataOp;
    merge?: MetadataOp;
    keyRead?: MetadataOp;
    keyWrite?: MetadataOp;
    keyDelete?: MetadataOp;
  };
  /** The members the create answer documents for the resource (a DWS create answers only the id). */
  readonly createAnswers: Set<string>;

  /** Where a kind's id is in a create answer, and its name in the create body (the ledger's pointers). */
  pointers(kind: string): { id: string; name?: string } {
    if (kind === this.wrapper) return { id: this.c.resource.id, name: `/${this.wrapper}/${this.fields.name}` };
    return { id: this.c.fixtures.parent.id, name: this.c.fixtures.parent.name };
  }

  constructor(readonly profile: Profile) {
    const c = (this.c = profile.conformance);
    const r = c.resource;
    const op = (id: string) => operation(profile, id);
    this.ops = {
      create: op(r.operations.create),
      show: op(r.operations.show),
      list: op(r.operations.list),
      listDetail: r.operations.listDetail ? op(r.operations.listDetail) : undefined,
      update: r.operations.update ? op(r.operations.update) : undefined,
      delete: op(r.operations.delete),
    };
    this.wrapper = r.wrapper;
    this.fields = r.fields;
    this.statusPointer = `/${r.wrapper}/${r.fields.status}`;
    const m = c.metadata;
    if (m) {
      const resolve = (spec: { operation: string; clause: string } | undefined) => (spec ? resolveOp(profile, spec) : undefined);
      this.metadata = {
        section: m,
        read: resolveOp(profile, m.read),
        replace: resolveOp(profile, m.replace),
        merge: resolve(m.merge),
        keyRead: resolve(m.keyRead),
        keyWrite: resolve(m.keyWrite),
        keyDelete: resolve(m.keyDelete),
      };
    }
    const createOk = this.ops.create.responses.get(String(successStatus(this.ops.create)))?.schemaPointer;
    const resource = createOk ? memberSchema(profile.doc, createOk, [r.wrapper]) : undefined;
    this.createAnswers = new Set(Object.keys(resource?.schema.properties ?? {}));
  }
}

const shapes = new Map<string, ProfileShape>();
export function shapeOf(profile: Profile): ProfileShape {
  let s = shapes.get(profile.id);
  if (!s) shapes.set(profile.id, (s = new ProfileShape(profile)));
  return s;
}

export class ProfileApi {
  readonly shape: ProfileShape;

  constructor(
    readonly profile: Profile,
    readonly transport: Transport,
    readonly target: ApiTarget,
    /** What the run learned of its transitions (shared by every API of the process). */
    readonly transitions = new Transitions(),
  ) {
    this.shape = shapeOf(profile);
  }

  /** The same API whose exchanges these listeners hear too (a test's judge). */
  with(listener: TransportListener): ProfileApi {
    return new ProfileApi(this.profile, this.transport.with(listener), this.target, this.transitions);
  }

  /** The time budget for a state change: the profile's, unless the run sets one. */
  get stateBudgetMs(): number {
    return 1000 * (this.target.stateTimeoutSeconds ?? this.shape.c.resource.states.budgetSeconds);
  }

  // --- requests ---------------------------------------------------------------------------------

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

  /** Calls an operation by its operationId. */
  call(operationId: string | Operation, options: CallOptions = {}): Promise<Exchange> {
    const op = typeof operationId === 'string' ? operation(this.profile, operationId) : operationId;
    return this.send(op.method, this.url(op, options.path, options.query), options, op);
  }

  /** Follows a URL the target gave (a next link); only on the target's own origin. */
  async follow(url: string, operationId: string): Promise<Exchange | { offOrigin: string }> {
    if (!this.transport.sameOrigin(url)) return { offOrigin: url };
    return this.send('GET', url, {}, operation(this.profile, operationId));
  }

  /** The microversion this run asks for: the target's, or the profile's base. */
  get microversion(): string | undefined {
    const mv = this.shape.c.microversions;
    return mv ? (this.target.microversion ?? mv.base) : undefined;
  }

  /** The header that asks for a microversion (the run's, unless one is given). */
  versionHeader(version = this.microversion): Record<string, string> {
    const mv = this.shape.c.microversions;
    return mv && version ? { [mv.header]: mv.format.replace('{version}', version) } : {};
  }

  /**
   * Sends a request with the profile's headers and token. A documented "busy, try again" (ECL's and
   * DWS's 409) is retried within the profile's bound; every attempt is an exchange of its own, so
   * the report can say how often it happened.
   */
  async send(method: string, url: string, options: CallOptions = {}, op?: Operation): Promise<Exchange> {
    const overQuota = op?.creates && !options.negative && options.token === undefined && !options.untilRefused ? refusalStatuses(op, 'over-quota') : [];
    // Once the quota stayed taken through every wait in this run, later creates wait once only.
    const full = `${this.profile.id}:quota`;
    const waits = overQuota.length ? (this.transitions.timedOutAfter(full) !== undefined ? QUOTA_WAITS_MS.slice(0, 1) : QUOTA_WAITS_MS) : [];
    for (let i = 0; ; i++) {
      const exchange = await this.sendWithRetries(method, url, options, op);
      if (!overQuota.includes(exchange.response?.status ?? 0)) {
        // A create went through: the quota is free again for the next ones.
        const status = exchange.response?.status ?? 0;
        if (overQuota.length && status >= 200 && status < 300 && waits.length < QUOTA_WAITS_MS.length) this.transitions.recovered(full);
        return exchange;
      }
      if (i >= waits.length) {
        if (waits.length === QUOTA_WAITS_MS.length) this.transitions.timeout(full, QUOTA_WAITS_MS.reduce((a, b) => a + b, 0));
        return exchange;
      }
      await sleep(waits[i]!);
    }
  }

  private async sendWithRetries(method: string, url: string, options: CallOptions, op?: Operation): Promise<Exchange> {
    const c = this.shape.c;
    const headers: Record<string, string> = { Accept: 'application/json', ...c.requestHeaders, ...this.versionHeader(), ...this.target.headers };
    if (options.token !== 'none') {
      const token = options.token ?? this.target.token;
      if (token !== undefined) headers[c.auth.header] = token;
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    const contentType = options.contentType === undefined ? (body !== undefined ? 'application/json' : null) : options.contentType;
    if (contentType !== null) headers['Content-Type'] = contentType;
    Object.assign(headers, options.headers);
    const purpose: Purpose | undefined = options.token !== undefined ? 'auth' : options.negative ? 'negative' : undefined;
    const busy = c.busy;
    // Once the target stayed busy through the whole bound in this run, later requests try twice only.
    const stayedBusy = `${this.profile.id}:busy`;
    const attempts = busy ? (this.transitions.timedOutAfter(stayedBusy) !== undefined ? Math.min(2, busy.attempts) : busy.attempts) : undefined;
    for (let attempt = 1; ; attempt++) {
      const exchange = await this.transport.send({
        method,
        url,
        headers,
        body,
        operation: op?.id,
        attempt: busy ? attempt : undefined,
        attempts,
        purpose,
        creates: op?.creates,
        deletes: op?.deletes,
        // A token chosen to be wrong is no secret: recorded as sent, so that the report's replay
        // sends it too (the run's own token stays redacted, and becomes $SC_TOKEN there).
        plain: options.token !== undefined && options.token !== 'none' ? [c.auth.header] : undefined,
      });
      if (!busy || !attempts || exchange.response?.status !== busy.status) {
        // A write went through (refusals of a bad request do not say the target is free): a busy
        // spell that ran out before is over. Reads are never busy.
        const status = exchange.response?.status ?? 0;
        if (busy && method !== 'GET' && method !== 'HEAD' && status >= 200 && status < 300 && attempts !== undefined && attempts < busy.attempts) this.transitions.recovered(stayedBusy);
        return exchange;
      }
      if (attempt >= attempts) {
        if (attempts === busy.attempts) this.transitions.timeout(stayedBusy, attempts);
        return exchange;
      }
      await sleep(busy.delayMs * Math.min(2 ** (attempt - 1), 8));
    }
  }

  // --- the resource -----------------------------------------------------------------------------

  /** Path parameters of an operation, for a resource id (and the parent, and named ones). */
  pathOf(op: Operation, fixtures: PathFixtures, byName?: Record<string, string>): Record<string, string> {
    return pathParams(op, fixtures, byName);
  }

  create(body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<Exchange> {
    return this.call(this.shape.ops.create, { ...options, body });
  }

  show(id: string, options: CallOptions = {}): Promise<Exchange> {
    const op = this.shape.ops.show;
    return this.call(op, { ...options, path: pathParams(op, { resource: id }) });
  }

  list(query?: CallOptions['query'], options: CallOptions = {}): Promise<Exchange> {
    return this.call(this.shape.ops.list, { ...options, query });
  }

  listDetail(query?: CallOptions['query'], options: CallOptions = {}): Promise<Exchange> {
    const op = this.shape.ops.listDetail;
    if (!op) throw new Error(`profile ${this.profile.id} has no detailed list`);
    return this.call(op, { ...options, query });
  }

  /** Changes name and/or description (the members given). */
  update(id: string, fields: Record<string, unknown>, options: CallOptions = {}): Promise<Exchange> {
    const op = this.shape.ops.update;
    if (!op) throw new Error(`profile ${this.profile.id} has no update`);
    return this.call(op, { ...options, path: pathParams(op, { resource: id }), body: { [this.shape.wrapper]: fields } });
  }

  delete(id: string, options: CallOptions = {}): Promise<Exchange> {
    const op = this.shape.ops.delete;
    return this.call(op, { ...options, path: pathParams(op, { resource: id }) });
  }

  /** A create body for a parent and a name (with more members, if given). */
  createBody(parentId: string, name: string, more: Record<string, unknown> = {}): unknown {
    const f = this.shape.fields;
    return { [this.shape.wrapper]: { [f.parent]: parentId, [f.name]: name, ...more } };
  }

  /** The items of a list answer. */
  items(exchange: Exchange): Item[] {
    const items = getAt(exchange.response?.json, `/${this.shape.c.lists.items}`);
    return Array.isArray(items) ? (items as Item[]) : [];
  }

  /** The links member of a list answer. */
  links(exchange: Exchange): unknown {
    const l = this.shape.c.lists.links;
    return l ? getAt(exchange.response?.json, `/${l}`) : undefined;
  }

  /** The rel=next link of a list answer, if it has one. */
  nextHref(exchange: Exchange): string | undefined {
    const links = this.links(exchange);
    const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((l) => l?.rel === 'next') : undefined;
    return typeof next?.href === 'string' ? next.href : undefined;
  }

  /** The resource object of an answer ({"snapshot": {...}} -> {...}). */
  resourceOf(json: unknown): Item | undefined {
    const value = getAt(json, `/${this.shape.wrapper}`);
    return value && typeof value === 'object' ? (value as Item) : undefined;
  }

  /** The id the create answer gives (at the profile's id pointer). */
  createdId(exchange: Exchange): unknown {
    return getAt(exchange.response?.json, this.shape.c.resource.id);
  }

  /** The status an answer shows for the resource; "gone" for a 404. */
  stateOf(exchange: Exchange): string {
    if (exchange.response?.status === 404) return GONE;
    return String(getAt(exchange.response?.json, this.shape.statusPointer) ?? `HTTP ${exchange.response?.status}`);
  }

  /** The resources named so (optionally in any case), found through the list's name filter. */
  async named(name: string, options: { except?: string; caseInsensitive?: boolean } = {}): Promise<{ found: string[]; list: Exchange }> {
    const list = await this.list({ [this.shape.fields.name]: name });
    const same = (n: unknown) => typeof n === 'string' && (options.caseInsensitive ? n.toLowerCase() === name.toLowerCase() : n === name);
    const found = this.items(list)
      .filter((i) => same(i[this.shape.fields.name]) && i.id !== options.except)
      .map((i) => String(i.id));
    return { found, list };
  }

  // --- waiting --------------------------------------------------------------------------------

  /** Polls a resource (show) until the spec is met; `transition` names it for learning and timeouts. */
  waitUntil(id: string, spec: Omit<WaitSpec, 'budgetMs' | 'transition'> & { budgetMs?: number; transition: 'ready' | 'gone' }): Promise<WaitResult> {
    return waitForState(() => this.show(id), (e) => this.stateOf(e), { budgetMs: this.stateBudgetMs, ...spec, transition: `${this.profile.id}:${spec.transition}` }, this.transitions);
  }

  /** Until the resource is ready, through its transient states only (failing fast on a failed one). */
  waitReady(id: string, since?: number, closely?: boolean): Promise<WaitResult> {
    const s = this.shape.c.resource.states;
    return this.waitUntil(id, { target: s.ready, allowed: s.transient, failed: s.failed, transition: 'ready', since, closely });
  }

  /** Until the resource is gone, through its deleting states only. */
  waitGone(id: string, since?: number): Promise<WaitResult> {
    return this.waitUntil(id, { target: GONE, allowed: this.shape.c.resource.states.deleting, failed: [], transition: 'gone', since });
  }

  // --- the parent -------------------------------------------------------------------------------

  get parent(): ParentApi {
    return new ParentApi(this);
  }

  // --- metadata ---------------------------------------------------------------------------------

  /** The metadata operations, resolved; a profile without them has none, and no command uses them. */
  get metadata(): MetadataApi {
    const m = this.shape.metadata;
    if (!m) throw new Error(`profile ${this.profile.id} has no metadata operations`);
    return new MetadataApi(this, m);
  }
}

export class MetadataApi {
  constructor(
    private readonly api: ProfileApi,
    readonly ops: NonNullable<ProfileShape['metadata']>,
  ) {}

  private on(m: MetadataOp | undefined, id: string, key?: string, body?: unknown, negative?: boolean): Promise<Exchange> {
    if (!m) throw new Error(`profile ${this.api.profile.id} lacks this metadata operation`);
    return this.api.call(m.op, { path: pathParams(m.op, { resource: id }, key === undefined ? {} : { key }), body, negative });
  }

  /** The set an answer carries (wrapped in the operation's response member). */
  setIn(m: MetadataOp, exchange: Exchange): unknown {
    return m.response ? getAt(exchange.response?.json, `/${m.response}`) : undefined;
  }

  /** A body wrapped in the operation's request member. */
  private wrapped(m: MetadataOp | undefined, value: unknown): unknown {
    if (!m?.request) throw new Error(`profile ${this.api.profile.id}: this metadata operation takes no body`);
    return { [m.request]: value };
  }

  read(id: string) {
    return this.on(this.ops.read, id);
  }
  replace(id: string, set: Record<string, string>) {
    return this.on(this.ops.replace, id, undefined, this.wrapped(this.ops.replace, set));
  }
  merge(id: string, set: Record<string, string>) {
    return this.on(this.ops.merge, id, undefined, this.wrapped(this.ops.merge, set));
  }
  readKey(id: string, key: string, negative = false) {
    return this.on(this.ops.keyRead, id, key, undefined, negative);
  }
  writeKey(id: string, key: string, value: string) {
    return this.on(this.ops.keyWrite, id, key, this.wrapped(this.ops.keyWrite, { [key]: value }));
  }
  /** A per-key write whose body names other keys than the path (it must be refused). */
  writeKeyMismatched(id: string, pathKey: string, body: Record<string, string>) {
    return this.on(this.ops.keyWrite, id, pathKey, this.wrapped(this.ops.keyWrite, body), true);
  }
  deleteKey(id: string, key: string, negative = false) {
    return this.on(this.ops.keyDelete, id, key, undefined, negative);
  }
}

/** The target could not give what the run needs from it: a set-up problem, not a finding. */
export class SetupError extends Error {}

/**
 * The parent a resource needs (a volume, a cluster): made where the API allows (with values looked
 * up on the target first, like ECL's virtual storage), or found on the target (DWS's clusters).
 */
export class ParentApi {
  readonly spec: Conformance['fixtures']['parent'];

  constructor(private readonly api: ProfileApi) {
    this.spec = api.shape.c.fixtures.parent;
  }

  /** Whether the run can make (and so delete) parents. */
  get makeable(): boolean {
    return Boolean(this.spec.create && this.spec.delete);
  }

  /** The kind the ledger files a made parent under. */
  get kind(): string {
    return (this.spec.create && operation(this.api.profile, this.spec.create).creates) || 'parent';
  }

  /** Runs lookups in order; each may use the values of the earlier ones ("{as}") and fill the body. */
  async runLookups(lookups: LookupSpec[], body: unknown): Promise<unknown> {
    const values: Record<string, string> = {};
    for (const spec of lookups) {
      const value = await this.lookup(spec, values);
      if (spec.as) values[spec.as] = value;
      if (spec.into) body = setAt(body, keysOf(spec.into), value);
    }
    return body;
  }

  async lookup(spec: LookupSpec, values: Record<string, string> = {}): Promise<string> {
    const exchange = await this.api.call(spec.operation);
    const items = getAt(exchange.response?.json, spec.items);
    if (!Array.isArray(items)) throw new SetupError(`${spec.operation} answered ${exchange.response?.status ?? exchange.error} without a list at ${spec.items}`);
    const where = Object.entries(spec.where).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')] as const);
    const hit = items.find((item) => where.every(([k, v]) => String(getAt(item, `/${k}`)) === v));
    const value = hit === undefined ? undefined : getAt(hit, spec.take);
    if (typeof value !== 'string') throw new SetupError(`no item of ${spec.operation} has ${where.map(([k, v]) => `${k} = ${v}`).join(' and ')}`);
    return value;
  }

  /**
   * Makes a parent named so (tagged with the run's id where its create takes metadata), or finds
   * one where the API makes none; does not wait for it.
   */
  async make(name: string, options: { runTag?: Record<string, string>; lookups?: LookupSpec[]; body?: unknown } = {}): Promise<{ id: string; created: boolean; exchange?: Exchange }> {
    const p = this.spec;
    if (!p.create) {
      if (!p.discover) throw new SetupError(`profile ${this.api.profile.id} cannot make a parent: give one (--volume-id or --cluster-id)`);
      return { id: await this.lookup(p.discover), created: false };
    }
    let body: unknown = options.body ?? p.body ?? {};
    if (p.name) body = setAt(body, keysOf(p.name), name);
    if (p.tag && options.runTag) body = setAt(body, keysOf(p.tag), options.runTag);
    body = await this.runLookups(options.lookups ?? p.lookups ?? [], body);
    const exchange = await this.api.call(p.create, { body });
    const id = getAt(exchange.response?.json, p.id);
    if (typeof id !== 'string') {
      throw new SetupError(`could not create the parent: ${p.create} answered ${exchange.response?.status ?? exchange.error} ${exchange.response?.body.slice(0, 300) ?? ''}`);
    }
    return { id, created: true, exchange };
  }

  show(id: string): Promise<Exchange> {
    const op = operation(this.api.profile, this.spec.show);
    return this.api.call(op, { path: pathParams(op, { parent: id }) });
  }

  delete(id: string): Promise<Exchange> {
    if (!this.spec.delete) throw new Error(`profile ${this.api.profile.id} cannot delete parents`);
    const op = operation(this.api.profile, this.spec.delete);
    return this.api.call(op, { path: pathParams(op, { parent: id }) });
  }

  stateOf(exchange: Exchange): string {
    if (exchange.response?.status === 404) return GONE;
    return String(getAt(exchange.response?.json, this.spec.status) ?? `HTTP ${exchange.response?.status}`);
  }

  /** The transient states of a parent (creating, where the profile names none). */
  get transient(): string[] {
    return this.spec.transient ?? ['creating'];
  }

  waitUntil(id: string, spec: Omit<WaitSpec, 'budgetMs'> & { budgetMs?: number }): Promise<WaitResult> {
    return waitForState(() => this.show(id), (e) => this.stateOf(e), { budgetMs: this.api.stateBudgetMs, ...spec, transition: spec.transition && `${this.api.profile.id}:parent-${spec.transition}` }, this.api.transitions);
  }

  waitReady(id: string): Promise<WaitResult> {
    return this.waitUntil(id, { target: this.spec.ready, allowed: this.transient, failed: ['error'], transition: 'ready' });
  }
}

/** The state of a resource that is no longer there (404). */
export const GONE = 'gone';
