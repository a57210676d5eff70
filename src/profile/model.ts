// A profile, compiled: what its x-conformance block says, resolved once against its document
// (operations found, wrappers and pointers settled, defaults given), in the terms the engine works
// with. The raw block stays in src/profile: suites, steps, checks, the run and the report read this
// model, and talk to a target through the profile API (api.ts).
import { memberSchema } from '../generate/schema-sites.ts';
import { operation, successStatus, type Operation, type Profile } from './load.ts';
import { ProfileError } from './sources.ts';
import type { Conformance, LookupSpec as RawLookup, ParentSpec } from './schema.ts';

export type LookupSpec = RawLookup;

/** The states of a resource that has a status of its own. */
export type States = Conformance['resource']['states'];

/** A list the vendor documents: its items, paging, sort and filters, each with its clause. */
export type ListModel = Omit<Conformance['lists'], 'byParent'> & {
  op: Operation;
  /** The list of one parent's resources (a path parameter for the parent), not the profile's own list. */
  ofParent: boolean;
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

export interface ResourceModel {
  /** What the ledger files the resource under (the create's x-creates). */
  kind: string;
  /** The member that wraps the resource in bodies ({"snapshot": {...}}). */
  wrapper: string;
  /** Where the create answer has the new id. */
  id: string;
  fields: Conformance['resource']['fields'];
  ops: { create: Operation; show: Operation; list: Operation; listDetail?: Operation; update?: Operation; delete: Operation };
  states: States;
  normalize?: Conformance['resource']['normalize'];
  uniqueName?: Conformance['resource']['uniqueName'];
  /** The members the create answer documents for the resource (a DWS create answers only the id). */
  createAnswers: Set<string>;
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
  status: string;
  ready: string;
  transient: string[];
  delete?: Operation;
  list?: NonNullable<ParentSpec['list']> & { op: Operation };
  /** What the ledger files a made parent under. */
  kind: string;
}

export interface ProfileModel {
  /** The tag of the operations the profile judges. */
  subject: string;
  requestHeaders: Record<string, string>;
  /** The clause of "a JSON body is declared application/json". */
  contentType: string;
  auth: Conformance['auth'];
  envelope: Conformance['envelope'];
  refusals: Conformance['refusals'];
  busy?: Conformance['busy'];
  versions?: Conformance['versions'];
  unsupportedVersion?: Conformance['unsupportedVersion'];
  microversions?: Conformance['microversions'];
  resource: ResourceModel;
  lifecycle: Conformance['lifecycle'];
  metadata?: MetadataModel;
  lists: ListModel & { byParent?: ListModel };
  quota?: Conformance['quota'];
  reservedPrefix?: Conformance['reservedPrefix'];
  perParent?: Conformance['perParent'];
  preconditions?: Conformance['preconditions'];
  parent: ParentModel;
}

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

/** Compiles a profile's x-conformance block against its document. */
export function compileModel(profile: Profile, c: Conformance): ProfileModel {
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
  const createOk = ops.create.responses.get(String(successStatus(ops.create)))?.schemaPointer;
  const answered = createOk ? memberSchema(profile.doc, createOk, [r.wrapper]) : undefined;
  const resource: ResourceModel = {
    kind: ops.create.creates ?? r.wrapper,
    wrapper: r.wrapper,
    id: r.id,
    fields: r.fields,
    ops,
    states: r.states,
    normalize: r.normalize,
    uniqueName: r.uniqueName,
    createAnswers: new Set(Object.keys(answered?.schema.properties ?? {})),
  };
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
    ...main,
    op: ops.list,
    ofParent: false,
    byParent: byParent && (({ operation: id, ...rest }) => ({ ...rest, op: op(id), ofParent: true }))(byParent),
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
  return {
    subject: c.subject,
    requestHeaders: c.requestHeaders ?? {},
    contentType: c.contentType,
    auth: c.auth,
    envelope: c.envelope,
    refusals: c.refusals,
    busy: c.busy,
    versions: c.versions,
    unsupportedVersion: c.unsupportedVersion,
    microversions: c.microversions,
    resource,
    lifecycle: c.lifecycle,
    metadata,
    lists,
    quota: c.quota,
    reservedPrefix: c.reservedPrefix,
    perParent: c.perParent,
    preconditions: c.preconditions,
    parent,
  };
}
