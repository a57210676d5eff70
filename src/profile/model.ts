// A profile, compiled: what its x-conformance block says, resolved once against its document
// (operations found, wrappers and pointers settled, the conventions the vendor follows named,
// defaults given), in the terms the engine works with. The raw block stays in src/profile: suites,
// steps, checks, the run and the report read this model, and talk to a target through the profile
// API (api.ts).
import { resolve } from 'node:path';
import { memberSchema } from '../generate/schema-sites.ts';
import { fieldValue, keysOf, setAt } from '../util/pointer.ts';
import { operation, successStatus, type Operation, type Profile } from './load.ts';
import { ProfileError } from './sources.ts';
import type { Conformance, LookupSpec as RawLookup, ParentSpec } from './schema.ts';

export type LookupSpec = RawLookup;

/** The states of a resource that has a status of its own. */
export type States = NonNullable<Conformance['resource']['states']>;

type RawList = Omit<Conformance['lists'], 'byParent'>;

/** A list the vendor documents: its items, paging, sort and filters, each with its clause. */
export type ListModel = RawList & {
  op: Operation;
  /** The list of one parent's resources (a path parameter for the parent), not the profile's own list. */
  ofParent: boolean;
  /** How the list pages: by marker, offset, page number or token; or not at all. */
  paging: 'marker' | 'offset' | 'page' | 'token' | 'none';
  /** Whether it selects by name (a name lookup needs no paging through). */
  byName: boolean;
  /** The member of its items that holds their id. */
  idField: string;
};

/** A metadata operation, resolved: the operation, its clause, and the members its bodies are wrapped in. */
export interface MetadataOp {
  op: Operation;
  clause: string;
  request?: string;
  response?: string;
}

export interface MetadataModel {
  /** The clause of metadata given at create. */
  create: string;
  read: MetadataOp;
  replace: MetadataOp;
  merge?: MetadataOp;
  keyRead?: MetadataOp;
  keyWrite?: MetadataOp;
  keyDelete?: MetadataOp;
  keyMismatch?: string;
}

/** Labels: a map of strings or a list of strings, set at create and by the update. */
export type LabelsModel = NonNullable<Conformance['labels']>;

export type Fields = Conformance['resource']['fields'];

export interface ResourceModel {
  /** What the ledger files the resource under (the create's x-creates). */
  kind: string;
  /** The member that wraps the resource in answers; absent: answers are the resource. */
  wrapper?: string;
  /** The member that wraps create and update bodies; absent: bare. */
  requestWrapper?: string;
  /** Where the create answer (or the operation it waits on, once finished) has the new id. */
  id: string;
  /** Members of the resource: a member name, or a pointer into the resource ("/volume/id"). */
  fields: Fields;
  ops: { create: Operation; show: Operation; list: Operation; listDetail?: Operation; update?: Operation; delete: Operation };
  /** The resource's states; absent: a resource that is there is ready, and it is gone once 404. */
  states?: States;
  /** The time budget of a change (to ready, to gone), in seconds. */
  budgetSeconds: number;
  normalize?: Conformance['resource']['normalize'];
  uniqueName?: Conformance['resource']['uniqueName'];
  /** The members the create answer documents for the resource (a DWS create answers only the id). */
  createAnswers: Set<string>;
  /** Where a create names the parent: a member of its body, a path parameter, a query parameter. */
  parentIn: 'body' | 'path' | 'query';
  /** Where a create names what it makes: a member of its body, or the path it is PUT at (x-fixture name). */
  nameIn: 'body' | 'path';
  /** The members an update's body may carry (inside the wrapper): a rename needs the name among them. */
  updates: Set<string>;
}

export interface ParentModel {
  create?: Operation;
  body?: unknown;
  name?: string;
  tag?: string;
  lookups?: LookupSpec[];
  discover?: LookupSpec;
  id: string;
  show: Operation;
  /** Where the parent's show has its status; absent: a parent that is there is ready. */
  status?: string;
  ready?: string;
  transient: string[];
  delete?: Operation;
  list?: NonNullable<ParentSpec['list']> & { op: Operation };
  /** What the ledger files a made parent under. */
  kind: string;
}

export interface AuthModel {
  /** How credentials travel: a header (with a scheme), the query, a signature, or not at all. */
  kind: 'header' | 'query' | 'signer' | 'none';
  header?: string;
  scheme?: string;
  query?: string;
  probe: Operation;
  /** The clauses of a request without credentials and with wrong ones (none where there are none). */
  missing?: string;
  invalid?: string;
}

export interface OperationsModel {
  /** The writes answered with an operation (operationIds). */
  writes: Set<string>;
  /** Where such an answer has the operation's id, to poll with `show`; or its URL (in the body, or a header). */
  id?: string;
  url?: string;
  header?: string;
  show?: Operation;
  state: string;
  pending: string[];
  done: string;
  failed: string[];
  /** Where a finished operation names the resource it was about. */
  resource: string;
  clause: string;
}

export interface ProfileModel {
  /** The tag of the operations the profile judges. */
  subject: string;
  requestHeaders: Record<string, string>;
  /** A query every request carries. */
  query: Record<string, string>;
  /** The clause of "a JSON body is declared application/json". */
  contentType: string;
  auth: AuthModel;
  envelope: Conformance['envelope'];
  refusals: Conformance['refusals'];
  busy?: Conformance['busy'];
  rateLimit?: Conformance['rateLimit'];
  /** The rule the names the run gives follow. */
  names: NonNullable<Conformance['names']>;
  /** The profile folder's modules, as absolute paths. */
  modules: { server?: string; signer?: string };
  versions?: Conformance['versions'];
  unsupportedVersion?: Conformance['unsupportedVersion'];
  microversions?: Conformance['microversions'];
  operations?: OperationsModel;
  resource: ResourceModel;
  lifecycle: Conformance['lifecycle'];
  metadata?: MetadataModel;
  labels?: LabelsModel;
  lists: ListModel & { byParent?: ListModel };
  quota?: Conformance['quota'];
  reservedPrefix?: Conformance['reservedPrefix'];
  perParent?: Conformance['perParent'];
  preconditions?: Conformance['preconditions'];
  parent: ParentModel;
}

/** The value of a field of a resource (a member, or a pointer into it). */
export const fieldOf = fieldValue;

/** The keys of a field inside a body: ["snapshot", "volume", "id"] for a pointer under a wrapper. */
export const fieldPath = (field: string, wrapper?: string): string[] => [...(wrapper ? [wrapper] : []), ...(field.startsWith('/') ? keysOf(field) : [field])];

/** A body with a field set. */
export const withField = (body: unknown, field: string, value: unknown, wrapper?: string): unknown => setAt(body, fieldPath(field, wrapper), value);

/** The one member a body is wrapped in ({"metadata": ...}, {"meta": ...}), read from its schema. */
function soleMember(profile: Profile, op: Operation, side: 'request' | 'response'): string {
  const pointer = side === 'request' ? op.requestBody?.schemaPointer : op.responses.get(String(successStatus(op)))?.schemaPointer;
  const required = pointer ? memberSchema(profile.doc, pointer, [])?.schema.required : undefined;
  if (!Array.isArray(required) || required.length !== 1) throw new ProfileError(`${profile.file}: ${op.id}: the ${side} body must have exactly one required member`);
  return required[0];
}

function metadataOp(profile: Profile, spec: { operation: string; clause: string }): MetadataOp {
  const o = operation(profile, spec.operation);
  const success = o.responses.get(String(successStatus(o)));
  return {
    op: o,
    clause: spec.clause,
    request: o.requestBody ? soleMember(profile, o, 'request') : undefined,
    response: success?.schemaPointer ? soleMember(profile, o, 'response') : undefined,
  };
}

function listModel(raw: RawList, op: Operation, ofParent: boolean, nameField: string, idField: string): ListModel {
  const paging = raw.token ? 'token' : raw.page ? 'page' : raw.marker ? 'marker' : raw.offset ? 'offset' : 'none';
  return { ...raw, op, ofParent, paging, byName: Boolean(raw.filters?.fields.includes(nameField)), idField };
}

/** Where the create names its parent, as its document says: a path or query parameter marked x-fixture parent, else its body. */
function parentIn(create: Operation): ResourceModel['parentIn'] {
  const param = create.parameters.find((p) => p.fixture === 'parent');
  return param?.in === 'path' ? 'path' : param?.in === 'query' ? 'query' : 'body';
}

function authModel(profile: Profile, c: Conformance): AuthModel {
  const a = c.auth;
  const ways = [a.header && 'header', a.query && 'query', a.none && 'none', c.modules?.signer && 'signer'].filter(Boolean) as AuthModel['kind'][];
  // A signer may name the header it signs into: it is the signer's way, not a second one.
  const kinds = ways.includes('signer') ? ['signer' as const] : ways;
  if (kinds.length !== 1) {
    throw new ProfileError(`${profile.file}: x-conformance.auth must say one way credentials travel (header, query, none, or a signer in modules.signer), not ${kinds.length ? kinds.join(' and ') : 'none of them'}`);
  }
  const kind = kinds[0]!;
  if (kind !== 'none' && (!a.missing || !a.invalid)) throw new ProfileError(`${profile.file}: x-conformance.auth needs the clauses of missing and invalid credentials (missing, invalid)`);
  return { kind, header: a.header, scheme: a.scheme, query: a.query, probe: operation(profile, a.probe), missing: a.missing, invalid: a.invalid };
}

/** Compiles a profile's x-conformance block against its document. */
export function compileModel(profile: Profile, c: Conformance, folder: string): ProfileModel {
  const op = (id: string) => operation(profile, id);
  const r = c.resource;
  const ops = {
    create: op(r.operations.create),
    show: op(r.operations.show),
    list: op(r.operations.list),
    listDetail: r.operations.listDetail ? op(r.operations.listDetail) : undefined,
    update: r.operations.update ? op(r.operations.update) : undefined,
    delete: op(r.operations.delete),
  };
  const o = c.operations;
  if (o) for (const id of o.writes) op(id);
  const createOk = ops.create.responses.get(String(successStatus(ops.create)))?.schemaPointer;
  const answersOperation = o?.writes.includes(ops.create.id);
  const answered = createOk && !answersOperation ? memberSchema(profile.doc, createOk, r.wrapper ? [r.wrapper] : []) : undefined;
  const resource: ResourceModel = {
    kind: ops.create.creates ?? r.wrapper ?? 'resource',
    wrapper: r.wrapper,
    requestWrapper: r.bareRequests ? undefined : r.wrapper,
    id: r.id,
    fields: r.fields,
    ops,
    states: r.states,
    budgetSeconds: r.states?.budgetSeconds ?? r.budgetSeconds ?? 300,
    normalize: r.normalize,
    uniqueName: r.uniqueName,
    createAnswers: new Set(Object.keys(answered?.schema.properties ?? {})),
    parentIn: parentIn(ops.create),
    nameIn: ops.create.parameters.some((p) => p.in === 'path' && p.fixture === 'name') ? 'path' : 'body',
    updates: new Set(ops.update?.requestBody ? Object.keys(memberSchema(profile.doc, ops.update.requestBody.schemaPointer, r.bareRequests || !r.wrapper ? [] : [r.wrapper])?.schema.properties ?? {}) : []),
  };
  if (resource.parentIn === 'body' && !r.fields.parent) throw new ProfileError(`${profile.file}: x-conformance.resource.fields.parent is needed: the create ${ops.create.id} names its parent in its body (no parameter is marked x-fixture: parent)`);
  if (!r.states && c.lifecycle.deleteWhileCreating) throw new ProfileError(`${profile.file}: x-conformance.lifecycle.deleteWhileCreating needs resource.states (a resource without states is never seen creating)`);
  const m = c.metadata;
  const metaOp = (spec: { operation: string; clause: string } | undefined) => (spec ? metadataOp(profile, spec) : undefined);
  const metadata: MetadataModel | undefined = m && {
    create: m.create,
    read: metadataOp(profile, m.read),
    replace: metadataOp(profile, m.replace),
    merge: metaOp(m.merge),
    keyRead: metaOp(m.keyRead),
    keyWrite: metaOp(m.keyWrite),
    keyDelete: metaOp(m.keyDelete),
    keyMismatch: m.keyMismatch,
  };
  const { byParent, ...main } = c.lists;
  const lists: ProfileModel['lists'] = {
    ...listModel(main, ops.list, false, r.fields.name, r.fields.id ?? 'id'),
    byParent: byParent && (({ operation: id, ...rest }) => listModel(rest, op(id), true, r.fields.name, r.fields.id ?? 'id'))(byParent),
  };
  const p = c.fixtures.parent;
  const parentCreate = p.create ? op(p.create) : undefined;
  const parent: ParentModel = {
    create: parentCreate,
    body: p.body,
    name: p.name,
    tag: p.tag,
    lookups: p.lookups,
    discover: p.discover,
    id: p.id,
    show: op(p.show),
    status: p.status,
    ready: p.ready,
    transient: p.transient ?? ['creating'],
    delete: p.delete ? op(p.delete) : undefined,
    list: p.list && { ...p.list, op: op(p.list.operation) },
    kind: parentCreate?.creates ?? 'parent',
  };
  if (Boolean(p.status) !== Boolean(p.ready)) throw new ProfileError(`${profile.file}: x-conformance.fixtures.parent needs both status and ready, or neither (a parent that is there is ready)`);
  const operations: OperationsModel | undefined = o && {
    writes: new Set(o.writes),
    id: o.id,
    url: o.url,
    header: o.header,
    show: o.show ? op(o.show) : undefined,
    state: o.state,
    pending: o.pending,
    done: o.done,
    failed: o.failed,
    resource: o.resource,
    clause: o.clause,
  };
  if (o && !(o.id && o.show) && !o.header && !o.url) throw new ProfileError(`${profile.file}: x-conformance.operations must say where an answer has the operation: its id (id, with the operation's show), its URL in the body (url) or in a header (header)`);
  const module = (path?: string) => (path ? resolve(folder, path) : undefined);
  return {
    subject: c.subject,
    requestHeaders: c.requestHeaders ?? {},
    query: c.query ?? {},
    contentType: c.contentType,
    auth: authModel(profile, c),
    envelope: c.envelope,
    refusals: c.refusals,
    busy: c.busy,
    rateLimit: c.rateLimit,
    names: c.names ?? {},
    modules: { server: module(c.modules?.server), signer: module(c.modules?.signer) },
    versions: c.versions,
    unsupportedVersion: c.unsupportedVersion,
    microversions: c.microversions,
    operations,
    resource,
    lifecycle: c.lifecycle,
    metadata,
    labels: c.labels,
    lists,
    quota: c.quota,
    reservedPrefix: c.reservedPrefix,
    perParent: c.perParent,
    preconditions: c.preconditions,
    parent,
  };
}
