// The profile API: the one place that knows how a profile's requests are shaped, in the manner of
// Tempest's service clients. Its verbs (create, show, list, update, delete, the metadata
// operations, the parent's, waiting for a state) take their paths, wrappers, pointers and headers
// from the profile's compiled model (model.ts); the request shaping (requests.ts), the one retry
// policy (retry.ts), the lists (lists.ts), the parent (parent.ts) and metadata (metadata.ts) each
// have a room of their own. Suites, lifecycle commands, fixtures and the clean-up talk to a target
// through it; the transport under it only sends and records.
import type { Exchange } from '../http/exchange.ts';
import type { Transport, TransportListener } from '../http/transport.ts';
import { getAt, getPath, REMOVE, setAt } from '../util/pointer.ts';
import { memberSchema } from '../generate/schema-sites.ts';
import { Transitions, type WaitResult, type WaitSpec } from '../resources/waiter.ts';
import { operation, type Operation, type Profile } from './load.ts';
import { ListApi, type Item } from './lists.ts';
import { MetadataApi } from './metadata.ts';
import { fieldOf, fieldPath, withField, type ProfileModel } from './model.ts';
import { ParentApi } from './parent.ts';
import { fixtureQuery, pathParams, RequestShaper, type ApiTarget, type CallOptions, type PathFixtures, type Query } from './requests.ts';
import { RetryPolicy } from './retry.ts';
import * as waiting from './waiting.ts';

export { addressable, pathParams, type ApiTarget, type CallOptions, type PathFixtures } from './requests.ts';
export { SetupError } from './parent.ts';
export { GONE, type OperationWait } from './waiting.ts';
export { fieldOf } from './model.ts';
export type { Item } from './lists.ts';
export type { MetadataOp, ProfileModel } from './model.ts';

/** The compiled model of a profile. */
export const modelOf = (profile: Profile): ProfileModel => profile.model;

export class ProfileApi {
  readonly model: ProfileModel;
  private readonly shaper: RequestShaper;
  private readonly retry: RetryPolicy;
  /** The profile's own list, and the list of one parent's resources where the vendor documents one. */
  readonly lists: { main: ListApi; byParent?: ListApi };

  constructor(
    readonly profile: Profile,
    readonly transport: Transport,
    readonly target: ApiTarget,
    /** What the run learned of its transitions (shared by every API of the process). */
    readonly transitions = new Transitions(),
  ) {
    this.model = profile.model;
    this.shaper = new RequestShaper(this.model, target);
    this.retry = new RetryPolicy(profile.id, this.model, transitions);
    const { byParent } = this.model.lists;
    this.lists = { main: new ListApi(this, this.model.lists), byParent: byParent && new ListApi(this, byParent) };
  }

  /** The same API whose exchanges these listeners hear too (a test's judge). */
  with(listener: TransportListener): ProfileApi {
    return new ProfileApi(this.profile, this.transport.with(listener), this.target, this.transitions);
  }

  get baseUrl(): string {
    return this.target.baseUrl;
  }

  /** The time budget for a state change: the profile's, unless the run sets one. */
  get stateBudgetMs(): number {
    return 1000 * (this.target.stateTimeoutSeconds ?? this.model.resource.budgetSeconds);
  }

  // --- requests ---------------------------------------------------------------------------------

  /** The absolute URL of an operation with its path parameters filled in. */
  url(op: Operation, path: Record<string, string> = {}, query: Query = {}): string {
    return this.shaper.url(op, path, query);
  }

  /** Calls an operation by its operationId; `fixtures` fill its parameters marked x-fixture. */
  call(operationId: string | Operation, options: CallOptions = {}): Promise<Exchange> {
    const op = typeof operationId === 'string' ? operation(this.profile, operationId) : operationId;
    if (op === this.model.resource.ops.create && this.model.resource.nameIn === 'path') options = this.namedInPath(op, options);
    const path = options.fixtures ? { ...pathParams(op, options.fixtures), ...options.path } : options.path;
    const query = options.fixtures ? { ...fixtureQuery(op, options.fixtures), ...options.query } : options.query;
    return this.send(op.method, this.url(op, path, query), options, op);
  }

  /** Follows a URL the target gave (a next link); only on the target's own origin. */
  async follow(url: string, operationId: string): Promise<Exchange | { offOrigin: string }> {
    if (!this.transport.sameOrigin(url)) return { offOrigin: url };
    return this.send('GET', url, {}, operation(this.profile, operationId));
  }

  /** The microversion this run asks for: the target's, or the profile's base. */
  get microversion(): string | undefined {
    return this.shaper.microversion;
  }

  /** The header that asks for a microversion (the run's, unless one is given). */
  versionHeader(version?: string): Record<string, string> {
    return this.shaper.versionHeader(version ?? this.shaper.microversion);
  }

  /** Sends a request shaped for the profile, under its retry policy. */
  send(method: string, url: string, options: Omit<CallOptions, 'path' | 'query' | 'fixtures'> = {}, op?: Operation): Promise<Exchange> {
    return this.retry.send(this.transport, () => this.shaper.request(method, url, options, op), {
      op,
      untilRefused: options.untilRefused,
      probing: options.negative || options.token !== undefined,
    });
  }

  // --- the resource -----------------------------------------------------------------------------

  /** Path parameters of an operation, for a resource id (and the parent, and named ones). */
  pathOf(op: Operation, fixtures: PathFixtures, byName?: Record<string, string>): Record<string, string> {
    return pathParams(op, fixtures, byName);
  }

  /** Creates a resource of a parent: the parent goes where the create names it (its body carries it already, or a parameter). */
  create(parentId: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<Exchange> {
    return this.call(this.model.resource.ops.create, { ...options, fixtures: { parent: parentId, ...options.fixtures }, body });
  }

  /**
   * A create PUT at a name the client chooses: the name travels in the body's name member until it
   * is sent, and then goes to the path (out of the body, unless its schema has it too).
   */
  private namedInPath(op: Operation, options: CallOptions): CallOptions {
    const name = getPath(options.body, this.namePath);
    if (typeof name !== 'string') return options;
    return { ...options, body: this.asSent(op, options.body), naming: name, fixtures: { ...options.fixtures, name } };
  }

  /** A body as it leaves: a create PUT at a name sends the name in its path, not in its body (unless its schema has it too). */
  asSent(op: Operation, body: unknown): unknown {
    const r = this.model.resource;
    if (op !== r.ops.create || r.nameIn !== 'path' || !op.requestBody || memberSchema(this.profile.doc, op.requestBody.schemaPointer, this.namePath)) return body;
    return getPath(body, this.namePath) === undefined ? body : setAt(body, this.namePath, REMOVE);
  }

  show(id: string, options: CallOptions = {}): Promise<Exchange> {
    const op = this.model.resource.ops.show;
    return this.call(op, { ...options, path: pathParams(op, { resource: id }) });
  }

  list(query?: Query, options: CallOptions = {}): Promise<Exchange> {
    return this.lists.main.page(query, options);
  }

  listDetail(query?: Query, options: CallOptions = {}): Promise<Exchange> {
    const op = this.model.resource.ops.listDetail;
    if (!op) throw new Error(`profile ${this.profile.id} has no detailed list`);
    return this.call(op, { ...options, query });
  }

  /** Changes the members given (name, description, labels), wrapped as the profile's bodies are. */
  update(id: string, fields: Record<string, unknown>, options: CallOptions = {}): Promise<Exchange> {
    const op = this.model.resource.ops.update;
    if (!op) throw new Error(`profile ${this.profile.id} has no update`);
    const wrapper = this.model.resource.requestWrapper;
    return this.call(op, { ...options, path: pathParams(op, { resource: id }), body: wrapper ? { [wrapper]: fields } : fields });
  }

  delete(id: string, options: CallOptions = {}): Promise<Exchange> {
    const op = this.model.resource.ops.delete;
    return this.call(op, { ...options, path: pathParams(op, { resource: id }) });
  }

  /** A create body for a parent and a name (with more members, if given); the parent only where the body names it. */
  createBody(parentId: string, name: string, more: Record<string, unknown> = {}): unknown {
    const { requestWrapper, fields: f, parentIn } = this.model.resource;
    let fields: unknown = { [f.name]: name, ...more };
    if (parentIn === 'body') fields = withField(fields, f.parent!, parentId);
    return requestWrapper ? { [requestWrapper]: fields } : fields;
  }

  /** Where the name is in a create or update body. */
  get namePath(): string[] {
    return fieldPath(this.model.resource.fields.name, this.model.resource.requestWrapper);
  }

  /** The items of an answer of the profile's list. */
  items(exchange: Exchange): Item[] {
    return this.lists.main.items(exchange);
  }

  /** The resource object of an answer ({"snapshot": {...}} -> {...}, or the answer itself where it is bare). */
  resourceOf(json: unknown): Item | undefined {
    const wrapper = this.model.resource.wrapper;
    const value = wrapper ? getAt(json, `/${wrapper}`) : json;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : undefined;
  }

  /** The id a create answer gives (at the profile's id pointer; in the operation it waited on, once over). */
  createdId(exchange: Exchange): unknown {
    return getAt(exchange.response?.json, this.model.resource.id);
  }

  /** The id of a resource object, as views carry it (its id member, unless the profile names another: its name). */
  idOf(item: unknown): string {
    return String(fieldOf(item, this.model.resource.fields.id ?? 'id'));
  }

  /** A field of a resource object (a member, or a pointer into it). */
  field(item: unknown, name: keyof ProfileModel['resource']['fields']): unknown {
    const field = this.model.resource.fields[name];
    return field === undefined ? undefined : fieldOf(item, field);
  }

  /** The status an answer shows for the resource (its presence, where it has no status); "gone" for a 404. */
  stateOf(exchange: Exchange): string {
    return waiting.stateOf(this.model, exchange);
  }

  /**
   * The resources named so (optionally in any case): through the list's name filter where it has
   * one, else page by page through the whole list. `list` is the (last) page read.
   */
  async named(name: string, options: { except?: string; caseInsensitive?: boolean } = {}): Promise<{ found: string[]; list: Exchange }> {
    const main = this.lists.main;
    const same = (n: unknown) => typeof n === 'string' && (options.caseInsensitive ? n.toLowerCase() === name.toLowerCase() : n === name);
    const { items, last } = main.model.byName ? await main.firstPage({ [this.model.resource.fields.name]: name }) : await main.walk();
    const found = items
      .filter((i) => same(this.field(i, 'name')) && this.idOf(i) !== options.except)
      .map((i) => this.idOf(i));
    return { found, list: last };
  }

  // --- waiting --------------------------------------------------------------------------------

  /** Polls a resource (show) until the spec is met; `transition` names it for learning and timeouts. */
  waitUntil(id: string, spec: Omit<WaitSpec, 'budgetMs' | 'transition'> & { budgetMs?: number; transition: 'ready' | 'gone' }): Promise<WaitResult> {
    return waiting.waitUntil(this, id, spec);
  }

  /** Until the resource is ready, through its transient states only (failing fast on a failed one). */
  waitReady(id: string, since?: number, closely?: boolean): Promise<WaitResult> {
    return waiting.waitReady(this, id, since, closely);
  }

  /** Until the resource is gone, through its deleting states only. */
  waitGone(id: string, since?: number): Promise<WaitResult> {
    return waiting.waitGone(this, id, since);
  }

  /** What "ready" is for the resource: its ready status, or its show answering as documented. */
  get readyState(): string {
    return waiting.readyState(this.model);
  }

  /** Whether this operation's answer is an operation to wait on. */
  answersOperation(op: Operation): boolean {
    return waiting.answersOperation(this.model, op);
  }

  /** Waits until the operation a write's answer points to is over. */
  awaitOperation(answer: Exchange, since?: number): Promise<waiting.OperationWait> {
    return waiting.awaitOperation(this, answer, since);
  }

  // --- the parent and metadata ------------------------------------------------------------------

  get parent(): ParentApi {
    return new ParentApi(this);
  }

  /** The metadata operations, resolved; a profile without them has none, and no command uses them. */
  get metadata(): MetadataApi {
    const m = this.model.metadata;
    if (!m) throw new Error(`profile ${this.profile.id} has no metadata operations`);
    return new MetadataApi(this, m);
  }
}
