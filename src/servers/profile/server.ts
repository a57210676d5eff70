// A reference server for any profile, driven by its documents: the routes, credentials, request
// validation and refusals, the error envelope, a store with states and set transition times, the
// parent, lists with their paging, filters, sort and totals, metadata and labels with their
// semantics, limits, busy answers and operations to poll, as the OpenAPI document and its
// x-conformance block say; an add-on of the profile's folder for what they cannot say. Generic
// faults (faults.ts) and the add-on's named ones turn one behaviour wrong each.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeJson, readBody } from '../body.ts';
import { pipeline, type Pipeline } from '../pipeline.ts';
import { WRITE_METHODS, type Stats } from '../stats.ts';
import { ServerClosed, SLOW_CREATE_MS } from '../timers.ts';
import { refusalStatuses, resolvePointer, successStatus, type Operation, type Profile, type SchemaObject } from '../../profile/load.ts';
import { fieldPath, type ListModel } from '../../profile/model.ts';
import { memberSchema } from '../../generate/schema-sites.ts';
import { loadSigner, type RequestSigner } from '../../profile/requests.ts';
import type { RefusalKind } from '../../checks/refusal.ts';
import { validatorsFor, type Validators } from '../../validate/validators.ts';
import { fieldValue, getAt, keysOf, setAt } from '../../util/pointer.ts';
import { normalizers, swapCase } from '../../util/normalize.ts';
import type { Broken, Call, Reply, ServerAddon } from './addon.ts';
import { instance, objectMembers, wrapperOf } from '../../generate/instances.ts';
import { basePath, Routes, type Role, type RouteMatch } from './routes.ts';
import type { Store, Stored } from './store.ts';

/** The status of a refusal an operation does not document. */
const USUAL: Record<RefusalKind, number> = {
  'malformed-body': 400,
  'invalid-body': 400,
  'invalid-query': 400,
  'invalid-state': 409,
  'unknown-resource': 404,
  unauthenticated: 401,
  'unsupported-media-type': 415,
  'unsupported-version': 406,
  'over-quota': 413,
  'per-parent-limit': 400,
  duplicate: 409,
};

/** An error the server answers on purpose, with its status. */
export class Answered extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind?: RefusalKind,
  ) {
    super(message);
  }
}

export interface ServerSettings {
  token?: string;
  /** How long a resource is being created and deleted; how long a made parent is not ready yet. */
  delays: { createMs: number; deleteMs: number; parentCreateMs: number };
  /**
   * A made parent is ready once its time has passed and a show has answered it not ready: then a
   * client that asks for a resource at once meets the parent not ready, and is seen to have (its
   * next show says so), whatever the time the request took; one that waits, waits one poll.
   */
  parentsReadyOnceSeen?: boolean;
  /** How many resources the server holds at most (the quota); where the profile has one. */
  quota: number;
}

interface Request {
  match: RouteMatch;
  url: URL;
  origin: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export class ProfileServer {
  private readonly routes: Routes;
  private readonly validators: Validators;
  private signer?: RequestSigner;
  /** Made parents that become ready once a show has answered them not ready: what that show calls. */
  private readonly parentsUnseen = new Map<string, () => void>();

  constructor(
    readonly profile: Profile,
    readonly store: Store,
    private readonly faults: Set<string>,
    private readonly addon: ServerAddon,
    private readonly settings: ServerSettings,
  ) {
    this.routes = new Routes(profile);
    this.validators = validatorsFor(profile);
  }

  async init(): Promise<void> {
    if (this.model.auth.kind === 'signer') this.signer = await loadSigner(this.model.modules.signer!);
    this.provide();
  }

  private get model() {
    return this.profile.model;
  }

  has(fault: string): boolean {
    return this.faults.has(fault);
  }

  pipeline(stats: Stats, log?: (line: string) => void): Pipeline {
    return pipeline<Reply>({
      stats,
      log,
      answer: (req, self) => this.answer(req, self),
      known: (error) => error instanceof Answered,
      // A server that is closing has nobody to answer.
      refuse: (error) => (error instanceof ServerClosed ? undefined : this.errorReply(error instanceof Answered ? error : new Answered(500, 'The server failed.'), undefined)),
      write: (res, reply) => {
        res.setHeader('X-Request-Id', `req-${randomUUID()}`);
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.body === undefined) {
          res.setHeader('Content-Length', 0);
          res.writeHead(reply.status);
          res.end();
        } else {
          const text = JSON.stringify(reply.body);
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Content-Length', Buffer.byteLength(text));
          res.writeHead(reply.status);
          res.end(text);
        }
        return reply.status;
      },
    });
  }

  // --- the request ----------------------------------------------------------------------------

  private async answer(req: IncomingMessage, self: string): Promise<Reply> {
    const raw = await readBody(req, 1 << 20);
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const origin = `${scheme}://${req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : self}`;
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const match = this.routes.match(method, url.pathname);
    if (match === 'unknown-path' && method === 'GET' && this.isVersionRoot(url.pathname)) return this.versionRoot(origin);
    if (match === 'unknown-path' || match === 'method') throw new Answered(404, `No route for ${method} ${url.pathname}.`);
    const { op } = match;
    let c = this.call({ match, url, origin, headers: req.headers, body: undefined });
    try {
      this.authenticate(req, url, raw.bytes.toString('utf8'), op);
      const answered = await this.addon.answer?.(c);
      if (answered) return answered;
      // Under its fault, a body that is not a JSON object is read as an empty one, and taken as it is.
      let malformed = false;
      if (op.requestBody) c = { ...c, body: this.readBody(op, req, raw, () => (malformed = true)) };
      if (!malformed) this.validate(c);
      const reply = await this.handle(c);
      return this.addon.view?.(c, reply) || reply;
    } catch (error) {
      // A refusal on purpose, in the profile's envelope; the add-on sees it as it sees any answer.
      if (error instanceof Answered) return this.errorReply(error, c);
      throw error;
    }
  }

  private call(request: Request): Call & Request {
    const { match } = request;
    return {
      ...request,
      profile: this.profile,
      store: this.store,
      role: match.role,
      operationId: match.op.id,
      method: match.op.method,
      params: match.params,
      has: (fault) => this.has(fault),
      refuse: (kind, message, status) => this.refusal(match.op, kind, message, status),
    };
  }

  /** The refusal of a kind the operation documents (its first status), with this message. */
  private refusal(op: Operation, kind: RefusalKind, message: string, status?: number): Answered {
    if (this.has(`refuse-500:${kind}`)) return new Answered(500, message);
    const documented = refusalStatuses(op, kind);
    // A missing resource is a 404 where that is among the statuses documented (gone is a 404 to every client).
    const preferred = documented.includes(USUAL[kind]) ? USUAL[kind] : documented[0];
    return new Answered(status ?? preferred ?? USUAL[kind], message, kind);
  }

  private authenticate(req: IncomingMessage, url: URL, body: string, op: Operation): void {
    const auth = this.model.auth;
    if (auth.kind === 'none' || this.has('accept:unauthenticated')) return;
    const expected = this.settings.token;
    const same = (sent: string | undefined, want: string | undefined) => {
      if (!sent) return false;
      if (want === undefined) return true;
      const [a, b] = [Buffer.from(sent), Buffer.from(want)];
      return a.length === b.length && timingSafeEqual(a, b);
    };
    let ok = false;
    if (auth.kind === 'header') {
      const sent = req.headers[auth.header!.toLowerCase()];
      const value = typeof sent === 'string' ? sent.trim() : undefined;
      const token = auth.scheme ? (value?.toLowerCase().startsWith(`${auth.scheme.toLowerCase()} `) ? value.slice(auth.scheme.length + 1).trim() : undefined) : value;
      ok = same(token || undefined, expected);
    } else if (auth.kind === 'query') ok = same(url.searchParams.get(auth.query!) ?? undefined, expected);
    else if (auth.kind === 'signer') {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      // Without a token to check against, a request that carries a signature at all is let through.
      ok = this.signer?.verify && expected !== undefined ? this.signer.verify({ method: req.method ?? 'GET', url: url.toString(), headers, body }, expected) : Boolean(headers.authorization);
    }
    if (!ok) throw this.refusal(op, 'unauthenticated', 'The request carries no valid credentials.');
  }

  private readBody(op: Operation, req: IncomingMessage, raw: Awaited<ReturnType<typeof readBody>>, forgiven: () => void): unknown {
    const type = String(req.headers['content-type'] ?? '');
    if (raw.bytes.length && type && !/json/i.test(type) && refusalStatuses(op, 'unsupported-media-type').length) {
      throw this.refusal(op, 'unsupported-media-type', `The media type ${type} is not supported.`);
    }
    let body: unknown;
    const malformed = (message: string) => () => this.refusal(op, 'malformed-body', message);
    try {
      body = raw.bytes.length || op.requestBody?.required ? decodeJson(raw, { tooLarge: malformed('The body is too large.'), notUtf8: malformed('The body is not UTF-8.'), empty: malformed('The body is empty.'), notJson: malformed('The body is not JSON.') }) : {};
    } catch (error) {
      if (!this.has('accept:malformed-body')) throw error;
      forgiven();
      return {};
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      if (this.has('accept:malformed-body')) {
        forgiven();
        return {};
      }
      throw this.refusal(op, 'malformed-body', 'The body is not a JSON object.');
    }
    return body;
  }

  /**
   * What the operation's schemas refuse of the request (its body, its query parameters, numbers
   * read as numbers), less what the add-on forgives, plus what it refuses itself: the first refusal
   * stands.
   */
  private validate(c: Call & Request): void {
    const op = c.match.op;
    const broken: Broken[] = [];
    if (op.requestBody && c.body !== undefined && !this.has('accept:invalid-body')) {
      for (const f of this.validators.validate(op.requestBody.schemaPointer, c.body)) broken.push({ in: 'body', at: f.pointer, keyword: f.keyword, clause: f.clause, message: f.message });
    }
    if (!this.has('accept:invalid-query')) {
      for (const p of op.parameters) {
        const raw = p.in === 'query' ? c.url.searchParams.get(p.name) : null;
        if (raw === null) continue;
        const types: string[] = [p.schema.type ?? 'string'].flat();
        const value = (types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : types.includes('boolean') && /^(true|false)$/.test(raw) ? raw === 'true' : raw;
        for (const f of this.validators.validateInline(p.schema, value)) broken.push({ in: 'query', at: p.name, keyword: f.keyword, clause: f.clause, message: f.message });
      }
    }
    // Under its fault, a metadata key's body of another key (or of several) is not refused.
    const mismatch = this.model.metadata?.keyMismatch;
    const kept = this.has('accept:key-mismatch') ? broken.filter((b) => b.clause !== mismatch) : broken;
    const standing = this.addon.validate?.(c, kept) ?? kept;
    const first = standing[0];
    if (first?.in === 'body') throw this.refusal(op, 'invalid-body', `The body is invalid: ${first.at || '/'} ${first.message}.`);
    if (first) throw this.refusal(op, 'invalid-query', `The parameter ${first.at} is invalid: ${first.message}.`);
  }

  // --- answers --------------------------------------------------------------------------------

  /** A write of the resource is being answered (where writes go one at a time). */
  private writing = false;

  /**
   * Where the profile documents a busy answer and its resources have no state to be busy in (a
   * synchronous create), the account takes one write of them at a time: it is done at once and
   * answered after a while (the time the backend takes), and a write that would change something
   * meanwhile is answered busy (admit); a refusal is answered at once.
   */
  private get serial(): boolean {
    return Boolean(this.model.busy && !this.model.resource.states?.transient.length);
  }

  /** A write of the resource about to change something: busy where writes go one at a time and another is under way. */
  private admit(): void {
    if (this.serial && (this.writing || this.has('busy-forever'))) throw this.busy();
  }

  private async handle(c: Call & Request): Promise<Reply> {
    if (!this.serial || !WRITE_METHODS.includes(c.method) || !RESOURCE_WRITES.has(c.role)) return this.route(c);
    const reply = this.route(c);
    this.writing = true;
    try {
      await this.store.timers.wait(this.settings.delays.createMs);
    } finally {
      this.writing = false;
    }
    return reply;
  }

  /** The documented "busy, try again" answer. */
  private busy(): Answered {
    return new Answered(this.has('busy-500') ? 500 : this.model.busy!.status, 'Another operation is in progress; try again later.');
  }

  private route(c: Call & Request): Reply {
    switch (c.role) {
      case 'create':
        return this.create(c);
      case 'show':
        return this.show(c);
      case 'list':
      case 'listDetail':
        return this.list(c, this.model.lists, c.role === 'listDetail');
      case 'listByParent':
        return this.list(c, this.model.lists.byParent!, false);
      case 'update':
        return this.update(c);
      case 'delete':
        return this.remove(c);
      case 'metaRead':
      case 'metaReplace':
      case 'metaMerge':
      case 'keyRead':
      case 'keyWrite':
      case 'keyDelete':
        return this.metadata(c);
      case 'parentCreate':
        return this.parentCreate(c);
      case 'parentShow':
        return this.parentShow(c);
      case 'parentDelete':
        return this.parentDelete(c);
      case 'parentList':
        return this.parentList(c);
      case 'operationShow':
        return this.operationShow(c);
      case 'lookup':
        return this.lookup(c);
      default:
        return this.documented(c.match.op);
    }
  }

  /** The documented success of an operation the profile gives no part: its example, or an empty body. */
  private documented(op: Operation): Reply {
    const status = successStatus(op);
    const pointer = op.responses.get(String(status))?.schemaPointer;
    return { status, body: pointer ? this.instanceAt(pointer) : undefined };
  }

  private instanceAt(pointer: string, known: Record<string, unknown> = {}): unknown {
    return instance(this.profile.doc, { $ref: pointer }, pointer, known);
  }

  /** The success status of an operation, or another 2xx where a fault says so. */
  private ok(op: Operation): number {
    const status = successStatus(op);
    return this.has(`status:${op.id}`) ? (status === 200 ? 201 : 200) : status;
  }

  // --- the resource -----------------------------------------------------------------------------

  /** The members of a request body's resource (inside its wrapper, where requests are wrapped). */
  private inner(body: unknown): Record<string, unknown> {
    const w = this.model.resource.requestWrapper;
    const value = w ? getAt(body, `/${w}`) : body;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  }

  private resourceId(c: Call & Request): string {
    const p = c.match.op.parameters.find((x) => x.in === 'path' && x.fixture === 'resource');
    return p ? c.params[p.name]! : '';
  }

  private existing(c: Call & Request): Stored {
    const stored = this.store.resources.get(this.resourceId(c));
    if (stored) return stored;
    const ghost = this.store.deleted.get(this.resourceId(c));
    if (ghost && this.has('never-gone')) return ghost;
    if (this.has('accept:unknown-resource')) return { id: this.resourceId(c), object: { id: this.resourceId(c) }, seq: 0 };
    throw c.refuse('unknown-resource', 'The resource does not exist.');
  }

  private parentOf(c: Call & Request, inner: Record<string, unknown>): string | undefined {
    const param = c.match.op.parameters.find((p) => p.fixture === 'parent');
    if (param?.in === 'path') return c.params[param.name];
    if (param?.in === 'query') return c.url.searchParams.get(param.name) ?? undefined;
    const f = this.model.resource.fields.parent;
    const value = f ? fieldValue(inner, f) : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  private nameTaken(name: unknown, except?: string): boolean {
    const unique = this.model.resource.uniqueName;
    if (!unique || typeof name !== 'string' || this.has('accept:duplicate')) return false;
    const ignoreCase = unique.caseInsensitive && !this.has('accept:duplicate-case');
    const same = (other: unknown) => typeof other === 'string' && (ignoreCase ? other.toLowerCase() === name.toLowerCase() : other === name);
    return [...this.store.resources.values()].some((r) => r.id !== except && same(fieldValue(r.object, this.model.resource.fields.name)));
  }

  private create(c: Call & Request): Reply {
    const m = this.model;
    const r = m.resource;
    const op = c.match.op;
    const inner = this.inner(c.body);
    const parentId = this.parentOf(c, inner);
    const parent = parentId === undefined ? undefined : this.store.parents.get(parentId);
    if (!parent && !this.has('accept:unknown-parent')) throw c.refuse('unknown-resource', `The parent ${parentId} does not exist.`);
    if (parent && m.parent.status && parent.status !== m.parent.ready && !this.has('accept:parent-not-ready')) throw c.refuse('invalid-state', `The parent ${parent.id} is ${parent.status}, not ${m.parent.ready}.`);
    if (parent && this.forbidden.has(parent.id) && !this.has('accept:forbidden-parent')) throw c.refuse('invalid-state', `The parent ${parent.id} cannot hold resources.`);
    // A create PUT at a name: the name is the path's, and the resource's id.
    const named = op.parameters.find((p) => p.in === 'path' && p.fixture === 'name');
    const given = named ? c.params[named.name] : undefined;
    const make = () => this.make(c, given === undefined ? inner : { ...inner, [r.fields.name]: given }, parent, parentId, given);
    // A refusal that makes the resource all the same, under its fault.
    const refuse = (kind: 'duplicate' | 'per-parent-limit', message: string) => {
      if (this.has(`refused-but-made:${kind}`)) make();
      return c.refuse(kind, message);
    };
    const name = given ?? fieldValue(inner, r.fields.name);
    if (given !== undefined && this.store.resources.has(given) && !this.has('accept:duplicate')) throw refuse('duplicate', `${given} is taken.`);
    if (this.nameTaken(name)) throw refuse('duplicate', `The name ${String(name)} is taken.`);
    if (m.perParent && parent && this.store.children(parent.id).length >= m.perParent.max && !this.has('accept:per-parent-limit')) {
      throw refuse('per-parent-limit', `The parent ${parent.id} holds ${m.perParent.max} resources already.`);
    }
    if (m.quota && this.store.resources.size >= this.settings.quota) throw c.refuse('over-quota', `The quota of ${this.settings.quota} is used up.`);
    const transient = r.states?.transient[0];
    if (m.busy && parent && transient && (this.has('busy-forever') || this.store.children(parent.id).some((s) => s.status === transient))) throw this.busy();
    this.admit();
    return this.written(c, op, make());
  }

  /** A new resource of the parent, in its first state, and its way to ready (or to failed, under a fault). */
  private make(c: Call & Request, inner: Record<string, unknown>, parent: Stored | undefined, parentId: string | undefined, id?: string): Stored {
    const r = this.model.resource;
    const transient = r.states?.transient[0];
    const end = this.has('becomes-failed') ? r.states?.failed[0] : r.states?.ready;
    const status = r.states ? (this.settings.delays.createMs > 0 && transient ? transient : end) : undefined;
    const stored = this.store.add(this.store.resources, {}, { id, status, parentId: parent?.id ?? parentId });
    stored.object = this.resourceObject(stored, inner);
    this.addon.created?.(c, stored, parent);
    if (end && stored.status === transient && !this.has('never-ready')) {
      // Where a fault lets it be deleted while being created, creation is slow enough to be seen.
      const hold = this.has('accept:delete-while-creating') ? Math.max(this.settings.delays.createMs, SLOW_CREATE_MS) : this.settings.delays.createMs;
      this.store.timers.later(hold, () => this.setStatus(stored, end));
    }
    return stored;
  }

  /** A new resource as its show will answer it: the schema's members, what the request gave laid over. */
  private resourceObject(stored: Stored, inner: Record<string, unknown>): Record<string, unknown> {
    const r = this.model.resource;
    const schema = this.resourceSchema();
    const members = schema ? objectMembersOfNode(this.profile.doc, schema) : {};
    // What the request gave that the resource shows (its name, description, labels, metadata...),
    // stored as the vendor's rule stores it.
    // A null where the view allows none (metadata: null at create) is the member's empty value.
    const given = Object.fromEntries(
      Object.entries(inner)
        .filter(([k]) => Object.hasOwn(members, k))
        .map(([k, v]) => [k, v === null ? emptyValue(this.profile.doc, members[k]!) : this.normalized(k, v)]),
    );
    // The fields the suite knows and the request did not give are empty (null where allowed), not made up.
    const empty = Object.fromEntries(
      [r.fields.name, r.fields.description, r.fields.metadata, this.model.labels?.member]
        .filter((f): f is string => Boolean(f) && !f!.startsWith('/') && !Object.hasOwn(given, f!) && Object.hasOwn(members, f!))
        .map((f) => [f, emptyValue(this.profile.doc, members[f]!)]),
    );
    let object = (schema ? instance(this.profile.doc, schema, '', { ...empty, ...given, id: stored.id }) : { ...given, id: stored.id }) as Record<string, unknown>;
    if (r.fields.parent && stored.parentId !== undefined) object = setAt(object, fieldPath(r.fields.parent), stored.parentId) as Record<string, unknown>;
    // What the lists always ask for (resource_type=volume) is what a new resource is.
    for (const [k, v] of Object.entries(this.model.lists.query ?? {})) if (Object.hasOwn(members, k)) object[k] = v;
    if (r.fields.status && stored.status !== undefined) object = setAt(object, fieldPath(r.fields.status), stored.status) as Record<string, unknown>;
    const labels = this.model.labels;
    if (labels && Object.hasOwn(inner, labels.member) && this.has('labels-dropped')) object[labels.member] = labels.style === 'list' ? [] : {};
    return object;
  }

  /** The schema of the resource as its show answers it (inside any wrapper). */
  private resourceSchema(): SchemaObject | undefined {
    const show = this.model.resource.ops.show;
    const pointer = show.responses.get(String(successStatus(show)))?.schemaPointer;
    if (!pointer) return undefined;
    const wrapper = this.model.resource.wrapper;
    return wrapper ? objectMembers(this.profile.doc, pointer).properties[wrapper] : { $ref: pointer };
  }

  /** A value as the vendor stores it, where its rule normalises the field (Python's str.strip). */
  private normalized(field: string, value: unknown): unknown {
    const n = this.model.resource.normalize;
    return n && typeof value === 'string' && n.fields.includes(field) ? normalizers[n.rule](value) : value;
  }

  private setStatus(stored: Stored, status: string): void {
    stored.status = status;
    const f = this.model.resource.fields.status;
    if (f) stored.object = setAt(stored.object, fieldPath(f), status) as Record<string, unknown>;
  }

  /** The answer to a write of the resource: the operation it starts, or the resource as the answer documents it. */
  private written(c: Call & Request, op: Operation, stored: Stored): Reply {
    if (this.model.operations?.writes.has(op.id)) return this.startOperation(c, op, stored.id);
    return { status: this.ok(op), body: this.view(op, stored.object, this.model.resource.wrapper) };
  }

  /**
   * A body as an operation's success answer documents it: the object cut to the answer's schema
   * (a create that answers only the id), inside the wrapper.
   */
  private view(op: Operation, object: Record<string, unknown>, wrapper: string | undefined, ofResource = true): unknown {
    const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
    if (!pointer) return undefined;
    const outer = objectMembers(this.profile.doc, pointer);
    const w = wrapper && Object.hasOwn(outer.properties, wrapper) ? wrapper : wrapperOf(this.profile.doc, pointer);
    const schema = w ? outer.properties[w]! : { $ref: pointer };
    const projected = project(this.profile.doc, schema, object);
    const shown = ofResource ? this.cut(projected) : projected;
    return w ? { ...(this.instanceAt(pointer) as object), [w]: shown } : shown;
  }

  /** A view with the generic faults that break members applied. */
  private cut(view: unknown): unknown {
    if (!view || typeof view !== 'object') return view;
    let out = { ...(view as Record<string, unknown>) };
    const status = this.model.resource.fields.status;
    const ready = this.model.resource.states?.ready;
    if (this.has('status-case') && status && ready && fieldValue(out, status) === ready) out = setAt(out, fieldPath(status), swapCase(ready)) as Record<string, unknown>;
    for (const f of this.faults) {
      // The member is all after the first colon (os-extended-snapshot-attributes:progress).
      const at = f.indexOf(':');
      const [kind, member] = [f.slice(0, at), f.slice(at + 1)];
      if (at < 0 || !Object.hasOwn(out, member)) continue;
      if (kind === 'drop') delete out[member];
      if (kind === 'retype') out[member] = typeof out[member] === 'string' ? 12345 : `${JSON.stringify(out[member])}`;
    }
    return out;
  }

  private show(c: Call & Request): Reply {
    const stored = this.existing(c);
    return { status: this.ok(c.match.op), body: this.view(c.match.op, stored.object, this.model.resource.wrapper) };
  }

  private update(c: Call & Request): Reply {
    const stored = this.existing(c);
    const m = this.model;
    const inner = this.inner(c.body);
    const name = fieldValue(inner, m.resource.fields.name);
    // Under their faults, a rename to a name another holds goes through; one to its own name is refused.
    const taken = !this.has('accept:duplicate-rename') && this.nameTaken(name, this.has('refuse:own-name') ? undefined : stored.id);
    if (name !== undefined && taken) throw c.refuse('duplicate', `The name ${String(name)} is taken.`);
    this.admit();
    if (!this.has('update-lost')) {
      const schema = this.resourceSchema();
      const members = schema ? objectMembersOfNode(this.profile.doc, schema) : {};
      for (const [k, v] of Object.entries(inner)) if (Object.hasOwn(members, k) && (!m.labels || k !== m.labels.member)) stored.object[k] = this.normalized(k, v);
      const l = m.labels;
      if (l && Object.hasOwn(inner, l.member)) stored.object[l.member] = this.has('labels-merged') ? mergeLabels(stored.object[l.member], inner[l.member]) : inner[l.member];
      if (l && !Object.hasOwn(inner, l.member) && this.has('labels-cleared')) stored.object[l.member] = l.style === 'list' ? [] : {};
    }
    return this.written(c, c.match.op, stored);
  }

  private remove(c: Call & Request): Reply {
    const stored = this.existing(c);
    const s = this.model.resource.states;
    const deletable = this.has('accept:delete-while-creating') ? [...(s?.deletableFrom ?? []), ...(s?.transient ?? [])] : s?.deletableFrom;
    if (s && stored.status !== undefined && !deletable!.includes(stored.status)) throw c.refuse('invalid-state', `The resource is ${stored.status}.`);
    this.admit();
    const reply = this.model.operations?.writes.has(c.match.op.id) ? this.startOperation(c, c.match.op, stored.id) : { status: this.ok(c.match.op), body: this.view(c.match.op, stored.object, this.model.resource.wrapper) };
    if (this.has('delete-noop')) return reply;
    const deleting = s?.deleting.find((d) => d !== s.ready && !s.deletableFrom.includes(d));
    if (deleting) this.setStatus(stored, deleting);
    stored.deleting = true;
    const gone = () => {
      this.store.resources.delete(stored.id);
      this.store.deleted.set(stored.id, stored);
    };
    if (this.has('never-gone')) return reply;
    if (this.settings.delays.deleteMs > 0) this.store.timers.later(this.settings.delays.deleteMs, gone);
    else gone();
    return reply;
  }

  // --- lists ----------------------------------------------------------------------------------

  private list(c: Call & Request, l: ListModel, detail: boolean): Reply {
    const m = this.model;
    const r = m.resource;
    const q = c.url.searchParams;
    const key = l.ofParent ? 'parent-list:' : '';
    const ignored = (param: string) => this.has(`ignore:${key}${param}`) || (detail && this.has('ignore:detail-filters') && (l.filters?.fields.includes(param) ?? false));
    let items = [...this.store.resources.values()];
    if (this.has('deleted-listed')) items.push(...this.store.deleted.values());
    if (l.ofParent) {
      const param = l.op.parameters.find((p) => p.in === 'path' && p.fixture === 'parent');
      const parentId = param ? c.params[param.name] : undefined;
      if (!parentId || !this.store.parents.has(parentId)) throw c.refuse('unknown-resource', `The parent ${parentId} does not exist.`);
      items = items.filter((s) => s.parentId === parentId);
    }
    for (const field of l.filters?.fields ?? []) {
      const value = q.get(field);
      // Under its fault, the name filter matches the names that hold the value.
      const loose = field === r.fields.name && this.has(`${key}filter-substring:${field}`);
      if (value !== null && !ignored(field)) items = items.filter((s) => (loose ? String(fieldValue(s.object, field)).includes(value) : String(fieldValue(s.object, field)) === value));
    }
    for (const { param, value: pointer } of l.filters?.fromParent ?? []) {
      const value = q.get(param);
      if (value !== null && !ignored(param)) items = items.filter((s) => String(getAt(this.parentObject(s.parentId), this.inParent(pointer))) === value);
    }
    items.sort((a, b) => a.seq - b.seq);
    const sort = l.sort;
    if (sort) {
      const combined = sort.combined ? q.get(sort.combined) : null;
      const [by, dir] = combined ? combined.split(':') : [q.get(sort.key), q.get(sort.dir) ?? undefined];
      if (by && !ignored(sort.key)) items.sort((a, b) => String(fieldValue(a.object, by)).localeCompare(String(fieldValue(b.object, by))));
      if ((dir ?? sort.defaultDir) === 'desc') items.reverse();
    }
    const total = items.length;
    // Paging: a marker (after an id), an offset, a page number, or a token (an offset, opaque).
    let start = 0;
    if (l.marker && q.get(l.marker.param) !== null && !ignored(l.marker.param)) {
      const at = items.findIndex((s) => s.id === q.get(l.marker!.param));
      if (at < 0) throw c.refuse(l.marker.unknown ?? 'unknown-resource', 'The marker names no resource of the list.');
      start = at + 1;
    }
    const limitRaw = l.limit && !ignored(l.limit.param) ? q.get(l.limit.param) : null;
    const size = limitRaw !== null ? Number(limitRaw) : l.page || l.token ? defaultPageSize(l) : undefined;
    if (l.offset && q.get(l.offset.param) !== null && !ignored(l.offset.param)) start += Number(q.get(l.offset.param)) * (l.offset.withLimitOne && size ? size : 1);
    if (l.page && q.get(l.page.param) !== null && size !== undefined && !ignored(l.page.param)) start = (Number(q.get(l.page.param)) - (l.page.first ?? 1)) * size;
    if (l.token && q.get(l.token.param) && !ignored(l.token.param)) start = Number(Buffer.from(q.get(l.token.param)!, 'base64url').toString()) || 0;
    const page = items.slice(start, size === undefined ? undefined : start + size);
    const more = size !== undefined && start + page.length < total;
    const op = c.match.op;
    const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
    let body = (pointer ? this.instanceAt(pointer) : {}) as Record<string, unknown>;
    const itemSchema = pointer ? objectMembers(this.profile.doc, pointer).properties[l.items]?.items : undefined;
    body = setAt(body, [l.items], page.map((s) => this.cut(itemSchema ? project(this.profile.doc, itemSchema, s.object) : s.object))) as Record<string, unknown>;
    // A member named as a path parameter (the cluster_id of a cluster's list) is its value.
    for (const p of op.parameters) if (p.in === 'path' && Object.hasOwn(body, p.name)) body[p.name] = c.params[p.name];
    if (l.count && !this.has(`${key}count-missing`)) body = setAt(body, keysOf(`/${l.count.member}`), this.has(`${key}count-wrong`) ? total + 1 : total) as Record<string, unknown>;
    else if (l.count) delete body[l.count.member];
    if (l.total) body = setAt(body, keysOf(l.total.at), this.has(`${key}total-page`) ? page.length : total) as Record<string, unknown>;
    // The next page, where it is due: as a rel=next link, a URL or a token at a pointer.
    const full = size !== undefined && page.length === size && size > 0;
    const dueWhen = (when?: 'full' | 'more') => (when === 'more' ? more : full);
    const nextUrl = (params: Record<string, string>) => {
      const next = new URL(c.url);
      for (const [k, v] of Object.entries(params)) next.searchParams.set(k, v);
      if (this.has(`${key}next-elsewhere`)) next.pathname = `${next.pathname.replace(/\/[^/]*$/, '')}/elsewhere`;
      return next.toString();
    };
    const nextParams = (): Record<string, string> => {
      if (l.marker && page.length) return { [l.marker.param]: page.at(-1)!.id };
      if (l.page) return { [l.page.param]: String(Math.floor(start / (size || 1)) + (l.page.first ?? 1) + 1) };
      if (l.offset) return { [l.offset.param]: String(start + page.length) };
      return {};
    };
    if (!this.has(`${key}next-missing`)) {
      if (l.links && l.nextLink && dueWhen(l.linkWhen)) body = setAt(body, [l.links], [{ rel: 'next', href: nextUrl(nextParams()) }]) as Record<string, unknown>;
      if (l.next && dueWhen(l.next.when ?? 'more')) {
        const value = l.next.kind === 'url' ? nextUrl(nextParams()) : Buffer.from(String(start + page.length)).toString('base64url');
        body = setAt(body, keysOf(l.next.at), value) as Record<string, unknown>;
      }
    }
    void r;
    return { status: this.ok(op), body };
  }

  /** A pointer into the parent's show answer, as a pointer into the stored parent (inside its wrapper). */
  private inParent(pointer: string): string {
    const wrapper = this.parentWrapper();
    const keys = keysOf(pointer);
    return wrapper && keys[0] === wrapper ? `/${pointer.split('/').slice(2).join('/')}` : pointer;
  }

  private parentObject(id: string | undefined): Record<string, unknown> | undefined {
    return id === undefined ? undefined : this.store.parents.get(id)?.object;
  }

  // --- metadata -------------------------------------------------------------------------------

  private metadata(c: Call & Request): Reply {
    const meta = this.model.metadata!;
    const field = this.model.resource.fields.metadata ?? 'metadata';
    const stored = this.existing(c);
    const set = { ...((fieldValue(stored.object, field) as Record<string, string> | undefined) ?? {}) };
    const keyParam = c.match.op.parameters.find((p) => p.in === 'path' && !p.fixture)?.name;
    const key = keyParam ? c.params[keyParam]! : '';
    const wrapped = (request: string | undefined) => ((request ? getAt(c.body, `/${request}`) : c.body) ?? {}) as Record<string, string>;
    const save = (next: Record<string, string>) => {
      this.admit();
      stored.object = setAt(stored.object, fieldPath(field), next) as Record<string, unknown>;
    };
    const answer = (m: { op: Operation; response?: string }, value: unknown) => ({ status: this.ok(m.op), body: m.response ? { [m.response]: value } : undefined });
    switch (c.role) {
      case 'metaRead':
        return answer(meta.read, set);
      case 'metaReplace': {
        const next = this.has('metadata-replace-merges') ? { ...set, ...wrapped(meta.replace.request) } : { ...wrapped(meta.replace.request) };
        save(next);
        return answer(meta.replace, next);
      }
      case 'metaMerge': {
        const next = this.has('metadata-merge-replaces') ? { ...wrapped(meta.merge!.request) } : { ...set, ...wrapped(meta.merge!.request) };
        save(next);
        return answer(meta.merge!, next);
      }
      case 'keyRead':
        if (!Object.hasOwn(set, key)) throw c.refuse('unknown-resource', `No metadata key ${key}.`);
        return answer(meta.keyRead!, { [key]: set[key] });
      case 'keyWrite': {
        const given = wrapped(meta.keyWrite!.request);
        const mismatch = Object.keys(given).length !== 1 || !Object.hasOwn(given, key);
        // Under its fault, a body of another key (or of several) is answered as if written, and nothing is.
        if (mismatch && this.has('accept:key-mismatch')) return answer(meta.keyWrite!, given);
        if (mismatch) throw c.refuse('invalid-body', 'The body must hold exactly the key of the path.');
        save({ ...set, [key]: given[key]! });
        return answer(meta.keyWrite!, { [key]: given[key] });
      }
      default: {
        if (!Object.hasOwn(set, key)) throw c.refuse('unknown-resource', `No metadata key ${key}.`);
        delete set[key];
        save(set);
        return { status: this.ok(meta.keyDelete!.op) };
      }
    }
  }

  // --- the parent -----------------------------------------------------------------------------

  private parentSchema(): string | undefined {
    const show = this.model.parent.show;
    return show.responses.get(String(successStatus(show)))?.schemaPointer;
  }

  /** The parent's show answer wraps it in this member, if it does. */
  private parentWrapper(): string | undefined {
    const schema = this.parentSchema();
    return schema ? wrapperOf(this.profile.doc, schema) : undefined;
  }

  private parentCreate(c: Call & Request): Reply {
    const p = this.model.parent;
    const op = c.match.op;
    const wrapper = this.parentWrapper();
    // The create's body may be wrapped as the show's answer is ({"volume": {...}}), or be bare.
    const wrapped = wrapper ? getAt(c.body, `/${wrapper}`) : undefined;
    const inner = ((wrapped && typeof wrapped === 'object' ? wrapped : c.body) ?? {}) as Record<string, unknown>;
    const transient = p.status ? p.transient[0] : undefined;
    const status = p.status ? (this.settings.delays.createMs > 0 && transient ? transient : p.ready) : undefined;
    const stored = this.store.add(this.store.parents, {}, { status });
    const made = JSON.stringify(c.body ?? {});
    for (const [id, clause] of this.forbidding) if (made.includes(id)) this.forbidden.set(stored.id, clause);
    const schema = this.parentSchema();
    const innerSchema = schema && wrapper ? objectMembers(this.profile.doc, schema).properties[wrapper] : schema ? { $ref: schema } : undefined;
    const members = innerSchema ? objectMembersOfNode(this.profile.doc, innerSchema) : {};
    const given = Object.fromEntries(Object.entries(inner).filter(([k]) => Object.hasOwn(members, k)));
    stored.object = (innerSchema ? instance(this.profile.doc, innerSchema, '', { ...given, id: stored.id }) : { ...given, id: stored.id }) as Record<string, unknown>;
    // What the lists select by (a filter on a field of the parent) is what a parent has.
    for (const { value: pointer } of [...(this.model.lists.filters?.fromParent ?? []), ...(this.model.lists.byParent?.filters?.fromParent ?? [])]) {
      const keys = keysOf(this.inParent(pointer));
      const member = schema ? memberSchema(this.profile.doc, schema, keysOf(pointer)) : undefined;
      if (getAt(stored.object, this.inParent(pointer)) === undefined) stored.object = setAt(stored.object, keys, member ? instance(this.profile.doc, member.schema, member.pointer) : `${keys.at(-1)}-1`) as Record<string, unknown>;
    }
    this.setParentStatus(stored, status);
    this.addon.created?.(c, stored);
    if (p.status && status !== p.ready) {
      const waitingFor = new Set(this.settings.parentsReadyOnceSeen ? ['time', 'seen'] : ['time']);
      const passed = (what: string) => {
        waitingFor.delete(what);
        if (waitingFor.size) return;
        this.parentsUnseen.delete(stored.id);
        this.setParentStatus(stored, p.ready!);
      };
      if (waitingFor.has('seen')) this.parentsUnseen.set(stored.id, () => passed('seen'));
      this.store.timers.later(this.settings.delays.parentCreateMs, () => passed('time'));
    }
    if (this.model.operations?.writes.has(op.id)) return this.startOperation(c, op, stored.id);
    return { status: this.ok(op), body: this.view(op, stored.object, wrapper, false) };
  }

  private setParentStatus(stored: Stored, status: string | undefined): void {
    const pointer = this.model.parent.status;
    if (!pointer || status === undefined) return;
    stored.status = status;
    stored.object = setAt(stored.object, keysOf(this.inParent(pointer)), status) as Record<string, unknown>;
  }

  private existingParent(c: Call & Request): Stored {
    const param = c.match.op.parameters.find((p) => p.in === 'path' && p.fixture === 'parent') ?? c.match.op.parameters.find((p) => p.in === 'path');
    const parent = param ? this.store.parents.get(c.params[param.name]!) : undefined;
    if (!parent) throw c.refuse('unknown-resource', 'The parent does not exist.');
    return parent;
  }

  private parentShow(c: Call & Request): Reply {
    const parent = this.existingParent(c);
    const reply = { status: this.ok(c.match.op), body: this.view(c.match.op, parent.object, this.parentWrapper(), false) };
    this.parentsUnseen.get(parent.id)?.();
    return reply;
  }

  private parentDelete(c: Call & Request): Reply {
    const parent = this.existingParent(c);
    if (this.store.children(parent.id).length) throw c.refuse('invalid-state', 'The parent still holds resources.');
    const op = c.match.op;
    const reply = this.model.operations?.writes.has(op.id) ? this.startOperation(c, op, parent.id) : { status: this.ok(op), body: this.view(op, parent.object, this.parentWrapper(), false) };
    const gone = () => this.store.parents.delete(parent.id) && this.parentsUnseen.delete(parent.id);
    if (this.settings.delays.deleteMs > 0) this.store.timers.later(this.settings.delays.deleteMs, gone);
    else gone();
    return reply;
  }

  private parentList(c: Call & Request): Reply {
    const spec = this.model.parent.list!;
    const q = c.url.searchParams;
    let parents = [...this.store.parents.values()].sort((a, b) => a.seq - b.seq);
    const marker = q.get(spec.marker);
    if (marker) parents = parents.slice(parents.findIndex((p) => p.id === marker) + 1);
    const limit = q.get(spec.limit) === null ? undefined : Number(q.get(spec.limit));
    const page = parents.slice(0, limit);
    const op = c.match.op;
    const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
    let body = (pointer ? this.instanceAt(pointer) : {}) as Record<string, unknown>;
    body = setAt(body, keysOf(spec.items.startsWith('/') ? spec.items : `/${spec.items}`), page.map((p) => p.object)) as Record<string, unknown>;
    if (limit !== undefined && page.length === limit && page.length < parents.length && !this.has('parents:next-missing')) {
      const next = new URL(c.url);
      next.searchParams.set(spec.marker, page.at(-1)!.id);
      body = setAt(body, keysOf(spec.links.startsWith('/') ? spec.links : `/${spec.links}`), [{ rel: 'next', href: next.toString() }]) as Record<string, unknown>;
    }
    return { status: this.ok(op), body };
  }

  // --- operations and lookups -------------------------------------------------------------------

  /**
   * An operation a write answers with: pending for the time the change takes, then done (or failed);
   * in the answer's body, or at the URL of the header the profile names (Location, Operation-Location).
   */
  private startOperation(c: Call & Request, op: Operation, resourceId: string): Reply {
    const o = this.model.operations!;
    const id = randomUUID();
    const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
    let object = (pointer ? this.instanceAt(pointer) : {}) as Record<string, unknown>;
    object = setAt(object, keysOf(o.id ?? '/id'), id) as Record<string, unknown>;
    object = setAt(object, keysOf(o.resource), resourceId) as Record<string, unknown>;
    const record = { id, object, state: '' };
    const settle = (state: string) => {
      record.state = state;
      record.object = setAt(record.object, keysOf(o.state), state) as Record<string, unknown>;
    };
    const delay = op.method === 'DELETE' ? this.settings.delays.deleteMs : this.settings.delays.createMs;
    // The resource's own writes fail under the fault; the parent's still go through (the run needs one).
    const ofResource = Object.values(this.model.resource.ops).includes(op);
    const end = this.has('operation-fails') && ofResource ? (o.failed[0] ?? 'failure') : o.done;
    if (delay > 0 && o.pending[0]) {
      settle(o.pending[0]);
      this.store.timers.later(delay, () => settle(end));
    } else settle(end);
    this.store.operations.set(id, record);
    const status = this.ok(op);
    if (!(o.header || o.url) || !o.show) return { status, body: record.object };
    const param = o.show.parameters.find((p) => p.in === 'path');
    const url = `${c.origin}${c.match.base}${o.show.path.replace(`{${param?.name}}`, encodeURIComponent(id))}`;
    // The operation's URL in its own body (Google's selfLink), or in a header beside it.
    if (o.url) record.object = setAt(record.object, keysOf(o.url), url) as Record<string, unknown>;
    if (o.url) return { status, body: record.object };
    return { status, headers: { [o.header!]: url }, body: pointer ? record.object : undefined };
  }

  private operationShow(c: Call & Request): Reply {
    const param = c.match.op.parameters.find((p) => p.in === 'path');
    const record = param ? this.store.operations.get(c.params[param.name]!) : undefined;
    if (!record) throw c.refuse('unknown-resource', 'The operation does not exist.');
    return { status: this.ok(c.match.op), body: record.object };
  }

  /** Items the lookups of the profile look for (and the parents a run discovers), made at start. */
  private provide(): void {
    const p = this.model.parent;
    this.provideAll([...(p.lookups ?? []), ...(p.discover ? [p.discover] : [])]);
    // A parent made of what a precondition looks up may hold no resource (another volume type).
    for (const pre of this.model.preconditions ?? []) {
      if ('lookups' in pre.parent) for (const id of this.provideAll(pre.parent.lookups)) this.forbidding.set(id, pre.clause);
    }
  }

  /** Ids of provided items a parent made of cannot hold resources, with the precondition's clause. */
  private readonly forbidding = new Map<string, string>();
  /** Parents made of such an item. */
  private readonly forbidden = new Map<string, string>();

  /** Provides an item for each lookup (each may use the values of the earlier ones); returns their ids. */
  private provideAll(specs: NonNullable<ProfileServer['model']['parent']['lookups']>): string[] {
    const p = this.model.parent;
    const values: Record<string, string> = {};
    const ids: string[] = [];
    for (const spec of specs) {
      const item: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(spec.where)) Object.assign(item, setAt(item, keysOf(`/${k}`), v.replace(/\{(\w+)\}/g, (_, n: string) => values[n] ?? '')));
      const id = randomUUID();
      Object.assign(item, setAt(item, keysOf(spec.take), id));
      if (spec.as) values[spec.as] = id;
      ids.push(id);
      const list = this.store.provided.get(spec.operation) ?? [];
      list.push(item);
      this.store.provided.set(spec.operation, list);
      // A discovered parent is one of the server's own: it is there, ready, from the start.
      if (spec === p.discover) this.setParentStatus(this.store.add(this.store.parents, { ...item, id }, { id }), p.ready);
    }
    return ids;
  }

  private lookup(c: Call & Request): Reply {
    const op = c.match.op;
    const spec = [...(this.model.parent.lookups ?? []), ...(this.model.parent.discover ? [this.model.parent.discover] : [])].find((s) => s.operation === op.id)!;
    const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
    const body = setAt(pointer ? this.instanceAt(pointer) : {}, keysOf(spec.items), this.store.provided.get(op.id) ?? []);
    return { status: this.ok(op), body };
  }

  // --- the version root ---------------------------------------------------------------------------

  /** Whether a path is the version root: the API's base path with its last rootUp segments taken off. */
  private isVersionRoot(pathname: string): boolean {
    const v = this.model.versions;
    if (!v) return false;
    const segments = basePath(this.profile).split('/').filter(Boolean);
    return pathname.replace(/\/+$/, '').split('/').filter(Boolean).length === Math.max(0, segments.length - v.rootUp);
  }

  /** The versions document, OpenStack's way: the profile's version (and its microversion range). */
  private versionRoot(origin: string): Reply {
    const v = this.model.versions!;
    const mv = this.model.microversions;
    const version = { id: v.version, status: 'CURRENT', links: [{ rel: 'self', href: `${origin}${basePath(this.profile).split('/').slice(0, 2).join('/')}/` }], ...(v.minVersion ? { min_version: v.minVersion, version: mv?.base ?? v.minVersion } : {}) };
    return { status: 300, body: { versions: [version] } };
  }

  // --- errors -----------------------------------------------------------------------------------

  /** An error answer: the profile's envelope, its code and status where the profile puts them. */
  errorReply(error: Answered, call: Call | undefined): Reply {
    const e = this.model.envelope;
    if (this.has('envelope-broken')) return { status: error.status, body: { error: error.message } };
    let body = this.instanceAt(e.schema) as Record<string, unknown>;
    body = withMessage(body, error.message) as Record<string, unknown>;
    if (e.names?.at) {
      const statuses = Object.keys(e.names.byStatus);
      const other = statuses.find((s) => s !== String(error.status));
      const status = this.has('envelope-code') && other ? other : String(error.status);
      const code = e.names.byStatus[status]?.[0] ?? e.names.otherwise[0];
      if (code !== undefined) body = setAt(body, keysOf(e.names.at), code) as Record<string, unknown>;
    }
    if (e.status && !e.status.at.includes('*')) body = setAt(body, keysOf(e.status.at), this.has('envelope-status') ? error.status + 1 : error.status) as Record<string, unknown>;
    const reply: Reply = { status: error.status, body };
    return (call && this.addon.view?.(call, reply)) || reply;
  }
}

/** What a field holds when nothing was given: null where the schema allows it, else an empty value of its type. */
function emptyValue(doc: object, node: SchemaObject): unknown {
  const schema = typeof node.$ref === 'string' ? { ...resolvePointer(doc, node.$ref), ...node } : node;
  const types: string[] = [schema.type ?? []].flat();
  if (types.includes('null')) return null;
  if (types.includes('object')) return {};
  if (types.includes('array')) return [];
  return instance(doc, node);
}

/** The members of an object schema node (following its $ref). */
function objectMembersOfNode(doc: object, node: SchemaObject): Record<string, SchemaObject> {
  return typeof node.$ref === 'string' ? objectMembers(doc, node.$ref).properties : (node.properties ?? {});
}

/**
 * A value cut to a schema: an object keeps the members its schema has (each cut in turn) and gets
 * the required ones it lacks; a map or anything else is kept as it is.
 */
export function project(doc: object, schema: SchemaObject, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const pointer = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  const { properties, required } = pointer ? objectMembers(doc, pointer) : { properties: schema.properties ?? {}, required: schema.required ?? [] };
  if (!Object.keys(properties).length) return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries<SchemaObject>(properties)) {
    if (Object.hasOwn(value, name)) out[name] = project(doc, child, (value as Record<string, unknown>)[name]);
    else if (required.includes(name)) out[name] = instance(doc, child);
  }
  return out;
}

/** A body whose message members (message, msg, detail) say this. */
function withMessage(body: unknown, message: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = typeof v === 'string' && /message|msg|detail|description/i.test(k) ? message : withMessage(v, message);
  return out;
}


function mergeLabels(old: unknown, given: unknown): unknown {
  if (Array.isArray(old) && Array.isArray(given)) return [...new Set([...old, ...given])];
  if (old && typeof old === 'object' && given && typeof given === 'object') return { ...old, ...given };
  return given;
}

/** A page's size where the list pages without being told how many: its limit parameter's default, or 20. */
function defaultPageSize(l: ListModel): number {
  const param = l.limit ? l.op.parameters.find((p) => p.in === 'query' && p.name === l.limit!.param) : undefined;
  const d = param?.schema.default;
  return typeof d === 'number' && d > 0 ? d : 20;
}

/** The roles whose writes change the resource. */
const RESOURCE_WRITES = new Set<Role>(['create', 'update', 'delete', 'metaReplace', 'metaMerge', 'keyWrite', 'keyDelete']);

export type { Role };
