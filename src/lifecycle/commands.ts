// One fast-check command per operation of the lifecycle. `check` reads the model only; `run` acts
// on the target through the judged client and requires that the answers agree with the model;
// `toString` prints the values each command resolved to, so a shrunk sequence reads as a script.
import fc from 'fast-check';
import type { Profile } from '../profile/load.ts';
import type { Exchange } from '../http/exchange.ts';
import { operation, successStatus } from '../profile/load.ts';
import { statusIs } from '../checks/contract.ts';
import { fieldsMatch, listed, refusedCreateLeftNothing, type ExpectedField } from '../checks/resource.ts';
import { refused } from '../checks/refusal.ts';
import { show as showValue } from '../checks/check.ts';
import { normalizers } from '../util/normalize.ts';
import { getAt } from '../util/pointer.ts';
import { arbitraryFor } from '../generate/arbitraries.ts';
import { memberSchema } from '../generate/schema-sites.ts';
import { create, deleteUntilGone, leftBehindBy, unwrap, waitReady } from '../steps/resource.ts';
import { addressable, pathParams } from '../target/resources.ts';
import { nameTaken, pick, type Model, type ModelResource, type Real } from './model.ts';

type Cmd = fc.AsyncCommand<Model, Real>;

export interface CommandOptions {
  namePrefix: string;
  /** At most this many live resources per sequence (the quota a lane may use). */
  maxLive: number;
}

const q = (v: unknown) => showValue(v, 60);

/** The arbitraries of every command the profile's operations allow. */
export function commandArbitraries(profile: Profile, options: CommandOptions): fc.Arbitrary<Cmd>[] {
  const c = profile.conformance;
  const r = c.resource;
  const doc = profile.doc;
  const createBody = operation(profile, r.operations.create).requestBody!.schemaPointer;
  const field = (name: string, noNull = false) => {
    const site = memberSchema(doc, createBody, [r.wrapper, name]);
    if (!site) throw new Error(`the create body of ${profile.id} has no member ${r.wrapper}.${name}`);
    return arbitraryFor(doc, site.schema, site.pointer, { namePrefix: options.namePrefix, noNull });
  };
  const name = field(r.fields.name, true) as fc.Arbitrary<string>;
  const description = field(r.fields.description) as fc.Arbitrary<string | null>;
  const createMetadata = r.fields.metadata ? (field(r.fields.metadata) as fc.Arbitrary<Record<string, string> | null>) : fc.constant(undefined);

  const create = fc.record({ name, description, metadata: createMetadata }).map((v) => new Create(v, options.maxLive));
  const arbs: fc.Arbitrary<Cmd>[] = [
    // Listed three times: most commands need a live resource, so creating must come often.
    create,
    create,
    create,
    fc.nat().map((i) => new Show(i)),
    fc.constant(null).map(() => new List(false)),
    fc.nat().map((i) => new Delete(i)),
    fc.nat().map((i) => new UseDeleted(i)),
  ];
  if (r.operations.listDetail) arbs.push(fc.constant(null).map(() => new List(true)));
  if (r.uniqueName) arbs.push(fc.tuple(fc.nat(), fc.boolean()).map(([i, swap]) => new CreateDuplicate(i, swap)));
  if (r.operations.update && c.lifecycle.update) {
    const change = fc.record({ name, description }, { requiredKeys: [] }).filter((v) => Object.keys(v).length > 0);
    arbs.push(fc.tuple(fc.nat(), change).map(([i, v]) => new Update(i, v)));
  }
  const m = c.metadata;
  if (m) {
    const setSchema = memberSchema(doc, operation(profile, m.replace.operation).requestBody!.schemaPointer, ['metadata'])!;
    const set = arbitraryFor(doc, setSchema.schema, setSchema.pointer, { maxKeys: 3 }) as fc.Arbitrary<Record<string, string>>;
    const key = arbitraryFor(doc, setSchema.schema.propertyNames, `${setSchema.pointer}/propertyNames`).filter(addressable) as fc.Arbitrary<string>;
    const value = arbitraryFor(doc, setSchema.schema.additionalProperties, `${setSchema.pointer}/additionalProperties`) as fc.Arbitrary<string>;
    arbs.push(fc.nat().map((i) => new MetaRead(i)));
    arbs.push(fc.tuple(fc.nat(), set).map(([i, s]) => new MetaWrite(i, s, 'replace')));
    if (m.merge) arbs.push(fc.tuple(fc.nat(), set).map(([i, s]) => new MetaWrite(i, s, 'merge')));
    if (m.keyRead) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, fc.boolean()).map(([i, k, fresh, useFresh]) => new KeyRead(i, k, fresh, useFresh)));
    if (m.keyWrite) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, value, fc.boolean()).map(([i, k, fresh, v, useFresh]) => new KeyWrite(i, k, fresh, v, useFresh)));
    if (m.keyDelete) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, fc.boolean()).map(([i, k, fresh, useFresh]) => new KeyDelete(i, k, fresh, useFresh)));
    if (m.keyWrite && m.keyMismatch) arbs.push(fc.tuple(fc.nat(), key).map(([i, other]) => new KeyMismatch(i, other)));
  }
  return arbs;
}

const conf = (r: Real) => r.client.profile.conformance;
const norm = (r: Real) => {
  const n = conf(r).resource.normalize;
  return n ? { normalize: normalizers[n.rule], normalizedFields: n.fields, normalizeClause: n.clause } : {};
};
const normalized = (r: Real, field: string, value: string | null) => {
  const n = conf(r).resource.normalize;
  return n && value !== null && n.fields.includes(field) ? normalizers[n.rule](value) : value;
};
const idOf = (r: Real, m: ModelResource) => r.ids.get(m.handle)!;

/** The one member a body is wrapped in ({"metadata": ...}, {"meta": ...}), read from its schema. */
function member(r: Real, opId: string, side: 'request' | 'response'): string {
  const profile = r.client.profile;
  const op = operation(profile, opId);
  const pointer = side === 'request' ? op.requestBody?.schemaPointer : op.responses.get(String(successStatus(op)))?.schemaPointer;
  const required = pointer ? memberSchema(profile.doc, pointer, [])?.schema.required : undefined;
  if (!Array.isArray(required) || required.length !== 1) throw new Error(`${opId}: the ${side} body must have exactly one required member`);
  return required[0];
}

/** What the target must show for a model resource, each value charged to the write that set it. */
function expected(r: Real, m: ModelResource, withParent = true): ExpectedField[] {
  const f = conf(r).resource.fields;
  const out: ExpectedField[] = [
    { field: f.name, value: m.name, clause: m.wroteName, raw: m.sent.name },
    { field: f.description, value: m.description, clause: m.wroteName, raw: m.sent.description },
  ];
  if (withParent) out.push({ field: f.parent, value: r.parentId, clause: conf(r).lifecycle.showMatchesCreate });
  if (f.metadata) out.push({ field: f.metadata, value: m.metadata, clause: m.wroteMetadata });
  return out;
}

/** The members the answer of an operation documents for the resource (a DWS create answers only the id). */
function documentedMembers(r: Real, opId: string): Set<string> {
  const profile = r.client.profile;
  const op = operation(profile, opId);
  const pointer = op.responses.get(String(successStatus(op)))?.schemaPointer;
  const resource = pointer ? memberSchema(profile.doc, pointer, [conf(r).resource.wrapper]) : undefined;
  return new Set(Object.keys(resource?.schema.properties ?? {}));
}

/** Requires that a resource holds the expected fields; every clause behind a value is exercised. */
function requireFields(r: Real, clause: string, resource: unknown, fields: ExpectedField[], where: string, evidence: Exchange[]) {
  const n = norm(r);
  const normalizedSomething = fields.some((f) => f.raw !== undefined && f.raw !== f.value);
  const also = [...fields.map((f) => f.clause), ...(normalizedSomething && n.normalizeClause ? [n.normalizeClause] : [])];
  r.judge.require(fieldsMatch, clause, { resource, expected: fields, where, ...n }, evidence, also);
}

/** GET the resource, require 200 and return its object. */
async function read(r: Real, id: string) {
  const c = conf(r);
  const op = operation(r.client.profile, c.resource.operations.show);
  const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: id }) });
  r.judge.succeeded(op, exchange);
  return { exchange, resource: unwrap(r.client, exchange.response?.json) };
}

abstract class Step implements Cmd {
  protected resolved = '';
  abstract check(m: Readonly<Model>): boolean;
  abstract run(m: Model, r: Real): Promise<void>;
  abstract planned(): string;
  toString(): string {
    return this.resolved || this.planned();
  }
}

class Create extends Step {
  constructor(
    private readonly v: { name: string; description: string | null; metadata: Record<string, string> | null | undefined },
    private readonly maxLive: number,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length < this.maxLive && !nameTaken(m, this.v.name);
  }
  planned() {
    return `create(name=${q(this.v.name)}, description=${q(this.v.description)}${this.v.metadata !== undefined ? `, metadata=${q(this.v.metadata)}` : ''})`;
  }
  async run(m: Model, r: Real) {
    const c = conf(r);
    const f = c.resource.fields;
    const handle = m.nextHandle++;
    this.resolved = `${this.planned()} -> #${handle}`;
    const inner: Record<string, unknown> = { [f.parent]: r.parentId, [f.name]: this.v.name, [f.description]: this.v.description };
    if (f.metadata && this.v.metadata !== undefined) inner[f.metadata] = this.v.metadata;
    const created = await create(r.client, r.judge, { [c.resource.wrapper]: inner });
    r.ids.set(handle, created.id);
    const model: ModelResource = {
      handle,
      name: normalized(r, f.name, this.v.name),
      description: normalized(r, f.description, this.v.description),
      metadata: this.v.metadata ?? {},
      sent: { name: this.v.name, description: this.v.description },
      wroteName: c.lifecycle.showMatchesCreate,
      wroteMetadata: c.metadata?.create ?? c.lifecycle.showMatchesCreate,
    };
    const answered = documentedMembers(r, c.resource.operations.create);
    const fields = expected(r, model).filter((e) => answered.has(e.field));
    if (fields.length) requireFields(r, c.lifecycle.showMatchesCreate, created.answer, fields, 'create answer', [created.exchange]);
    await waitReady(r.client, r.judge, created.id);
    m.live.push(model);
  }
}

/** A create with the name of a live resource (in other case where names are unique regardless). */
class CreateDuplicate extends Step {
  constructor(
    private readonly i: number,
    private readonly swapCase: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `createDuplicate(live[${this.i}]${this.swapCase ? ', other case' : ''})`;
  }
  async run(m: Model, r: Real) {
    const c = conf(r);
    const unique = c.resource.uniqueName!;
    const f = c.resource.fields;
    const target = pick(m, this.i);
    const original = target.sent.name ?? '';
    const name = this.swapCase && unique.caseInsensitive ? swapCase(original) : original;
    this.resolved = `createDuplicate(#${target.handle}, name=${q(name)})`;
    const op = operation(r.client.profile, c.resource.operations.create);
    const exchange = await r.client.call(op.id, { body: { [c.resource.wrapper]: { [f.parent]: r.parentId, [f.name]: name } } });
    r.judge.require(refused, unique.clause, { exchange, operation: op, kind: 'duplicate' }, [exchange]);
    const { found, list } = await leftBehindBy(r.client, name, { except: idOf(r, target), caseInsensitive: unique.caseInsensitive });
    r.judge.require(refusedCreateLeftNothing, unique.clause, { found, name }, [exchange, list]);
  }
}

const swapCase = (s: string) => [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');

class Show extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `show(live[${this.i}])`;
  }
  async run(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `show(#${target.handle})`;
    const { exchange, resource } = await read(r, idOf(r, target));
    requireFields(r, conf(r).lifecycle.showMatchesCreate, resource, expected(r, target), 'show', [exchange]);
  }
}

class List extends Step {
  constructor(private readonly detail: boolean) {
    super();
  }
  check() {
    return true;
  }
  planned() {
    return (this.detail ? 'list(detail)' : 'list()');
  }
  async run(m: Model, r: Real) {
    this.resolved = this.planned();
    const c = conf(r);
    const opId = this.detail ? c.resource.operations.listDetail! : c.resource.operations.list;
    const op = operation(r.client.profile, opId);
    const exchange = await r.client.call(opId);
    r.judge.succeeded(op, exchange);
    const items = (getAt(exchange.response?.json, `/${c.lists.items}`) as Array<Record<string, unknown>> | undefined) ?? [];
    const ids = items.map((i) => String(i.id));
    const where = this.detail ? 'list detail' : 'list';
    for (const live of m.live) {
      const id = idOf(r, live);
      r.judge.require(listed, c.lifecycle.listsAgree, { ids, id, shouldBe: true, list: where }, [exchange]);
      // Lists must agree with show; show itself is judged against the model by Show.
      const { exchange: showExchange, resource } = await read(r, id);
      const fields = expected(r, live).map((e) => ({ ...e, value: resource?.[e.field], clause: c.lifecycle.listsAgree }));
      requireFields(r, c.lifecycle.listsAgree, items.find((i) => i.id === id), fields, where, [exchange, showExchange]);
    }
    for (const handle of m.deleted) {
      r.judge.require(listed, c.lifecycle.gone, { ids, id: r.ids.get(handle)!, shouldBe: false, list: where }, [exchange]);
    }
  }
}

class Update extends Step {
  constructor(
    private readonly i: number,
    private readonly v: { name?: string; description?: string | null },
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0 && !nameTaken(m, this.v.name, pick(m as Model, this.i));
  }
  planned() {
    return `update(live[${this.i}], ${q(this.v)})`;
  }
  async run(m: Model, r: Real) {
    const c = conf(r);
    const f = c.resource.fields;
    const target = pick(m, this.i);
    this.resolved = `update(#${target.handle}, ${q(this.v)})`;
    const op = operation(r.client.profile, c.resource.operations.update!);
    const body: Record<string, unknown> = {};
    if ('name' in this.v) body[f.name] = this.v.name;
    if ('description' in this.v) body[f.description] = this.v.description;
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }), body: { [c.resource.wrapper]: body } });
    r.judge.succeeded(op, exchange);
    if ('name' in this.v) {
      target.name = normalized(r, f.name, this.v.name ?? null);
      target.sent.name = this.v.name ?? null;
    }
    if ('description' in this.v) {
      target.description = normalized(r, f.description, this.v.description ?? null);
      target.sent.description = this.v.description ?? null;
    }
    target.wroteName = c.lifecycle.update!;
    requireFields(r, c.lifecycle.update!, unwrap(r.client, exchange.response?.json), expected(r, target).slice(0, 2), 'update answer', [exchange]);
  }
}

class MetaRead extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `metadata(live[${this.i}])`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const target = pick(m, this.i);
    this.resolved = `metadata(#${target.handle})`;
    const op = operation(r.client.profile, md.read.operation);
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }) });
    r.judge.succeeded(op, exchange);
    const got = { metadata: getAt(exchange.response?.json, `/${member(r, op.id, 'response')}`) };
    const { exchange: showExchange, resource } = await read(r, idOf(r, target));
    const field = conf(r).resource.fields.metadata!;
    requireFields(r, md.read.clause, got, [{ field: 'metadata', value: resource?.[field], clause: md.read.clause }], 'metadata read against show', [exchange, showExchange]);
    requireFields(r, md.read.clause, got, [{ field: 'metadata', value: target.metadata, clause: target.wroteMetadata }], 'metadata read', [exchange]);
  }
}

class MetaWrite extends Step {
  constructor(
    private readonly i: number,
    private readonly set: Record<string, string>,
    private readonly how: 'replace' | 'merge',
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `${this.how}Metadata(live[${this.i}], ${q(this.set)})`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const spec = md[this.how]!;
    const target = pick(m, this.i);
    this.resolved = `${this.how}Metadata(#${target.handle}, ${q(this.set)})`;
    const op = operation(r.client.profile, spec.operation);
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }), body: { [member(r, op.id, 'request')]: this.set } });
    r.judge.succeeded(op, exchange);
    target.metadata = this.how === 'replace' ? { ...this.set } : { ...target.metadata, ...this.set };
    target.wroteMetadata = spec.clause;
    requireFields(r, spec.clause, { metadata: getAt(exchange.response?.json, `/${member(r, op.id, 'response')}`) }, [{ field: 'metadata', value: target.metadata, clause: spec.clause }], `${this.how} answer`, [exchange]);
  }
}

/** Picks an existing addressable key of the resource, or the fresh one when there is none (or asked). */
function chooseKey(target: ModelResource, index: number, fresh: string, useFresh = false): string {
  const keys = Object.keys(target.metadata).filter(addressable);
  return useFresh || keys.length === 0 ? fresh : keys[index % keys.length]!;
}

class KeyRead extends Step {
  constructor(
    private readonly i: number,
    private readonly k: number,
    private readonly fresh: string,
    private readonly useFresh: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `readKey(live[${this.i}], key[${this.k}] or ${q(this.fresh)})`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const target = pick(m, this.i);
    const key = chooseKey(target, this.k, this.fresh, this.useFresh);
    this.resolved = `readKey(#${target.handle}, ${q(key)})`;
    const op = operation(r.client.profile, md.keyRead!.operation);
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }, { key }) });
    if (key in target.metadata) {
      r.judge.succeeded(op, exchange, md.keyRead!.clause);
      requireFields(r, md.keyRead!.clause, exchange.response?.json, [{ field: member(r, op.id, 'response'), value: { [key]: target.metadata[key] }, clause: target.wroteMetadata }], 'key read', [exchange]);
    } else {
      r.judge.require(statusIs, md.keyRead!.clause, { exchange, expected: [404] }, [exchange]);
    }
  }
}

class KeyWrite extends Step {
  constructor(
    private readonly i: number,
    private readonly k: number,
    private readonly fresh: string,
    private readonly value: string,
    private readonly useFresh: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `writeKey(live[${this.i}], ${q(this.fresh)}, ${q(this.value)})`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const target = pick(m, this.i);
    const key = chooseKey(target, this.k, this.fresh, this.useFresh);
    this.resolved = `writeKey(#${target.handle}, ${q(key)}, ${q(this.value)})`;
    const op = operation(r.client.profile, md.keyWrite!.operation);
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }, { key }), body: { [member(r, op.id, 'request')]: { [key]: this.value } } });
    r.judge.succeeded(op, exchange);
    target.metadata = { ...target.metadata, [key]: this.value };
    target.wroteMetadata = md.keyWrite!.clause;
    requireFields(r, md.keyWrite!.clause, exchange.response?.json, [{ field: member(r, op.id, 'response'), value: { [key]: this.value }, clause: md.keyWrite!.clause }], 'key write answer', [exchange]);
  }
}

class KeyDelete extends Step {
  constructor(
    private readonly i: number,
    private readonly k: number,
    private readonly fresh: string,
    private readonly useFresh: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `deleteKey(live[${this.i}], key[${this.k}] or ${q(this.fresh)})`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const target = pick(m, this.i);
    const key = chooseKey(target, this.k, this.fresh, this.useFresh);
    this.resolved = `deleteKey(#${target.handle}, ${q(key)})`;
    const op = operation(r.client.profile, md.keyDelete!.operation);
    const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }, { key }) });
    if (!(key in target.metadata)) {
      r.judge.require(statusIs, md.keyDelete!.clause, { exchange, expected: [404] }, [exchange]);
      return;
    }
    r.judge.succeeded(op, exchange);
    const { [key]: _removed, ...rest } = target.metadata;
    target.metadata = rest;
    target.wroteMetadata = md.keyDelete!.clause;
  }
}

class Delete extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `delete(live[${this.i}])`;
  }
  async run(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `delete(#${target.handle})`;
    await deleteUntilGone(r.client, r.judge, idOf(r, target));
    m.live.splice(m.live.indexOf(target), 1);
    m.deleted.push(target.handle);
  }
}

class UseDeleted extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.deleted.length > 0;
  }
  planned() {
    return `useDeleted(deleted[${this.i}])`;
  }
  async run(m: Model, r: Real) {
    const c = conf(r);
    const handle = m.deleted[this.i % m.deleted.length]!;
    this.resolved = `useDeleted(#${handle})`;
    const id = r.ids.get(handle)!;
    const ops = [c.resource.operations.show, c.resource.operations.update, c.metadata?.read.operation, c.resource.operations.delete];
    for (const opId of ops) {
      if (!opId) continue;
      const op = operation(r.client.profile, opId);
      const body = opId === c.resource.operations.update ? { [c.resource.wrapper]: { [c.resource.fields.description]: 'after delete' } } : undefined;
      const exchange = await r.client.call(opId, { path: pathParams(op, { resource: id }), body });
      r.judge.require(statusIs, c.lifecycle.useAfterDelete, { exchange, expected: [404] }, [exchange]);
    }
  }
}

class KeyMismatch extends Step {
  constructor(
    private readonly i: number,
    private readonly other: string,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  planned() {
    return `writeKeyMismatched(live[${this.i}], ${q(this.other)})`;
  }
  async run(m: Model, r: Real) {
    const md = conf(r).metadata!;
    const target = pick(m, this.i);
    const key = chooseKey(target, 0, 'path-key');
    const other = this.other === key ? `${key}-other` : this.other;
    this.resolved = `writeKeyMismatched(#${target.handle}, path ${q(key)}, body ${q(other)})`;
    const op = operation(r.client.profile, md.keyWrite!.operation);
    const wrap = member(r, op.id, 'request');
    for (const body of [{ [wrap]: { [other]: 'x' } }, { [wrap]: { [key]: 'x', [other]: 'y' } }]) {
      const exchange = await r.client.call(op.id, { path: pathParams(op, { resource: idOf(r, target) }, { key }), body });
      r.judge.require(refused, md.keyMismatch!, { exchange, operation: op, kind: 'invalid-body' }, [exchange]);
    }
  }
}

/**
 * Fixed walks through every command, run before the random ones so that each clause is exercised
 * on every run: the property explores, the scenarios guarantee coverage. Two walks, so that a
 * defect in one part (say, update) does not hide the other (metadata).
 */
export function scenarios(profile: Profile, options: CommandOptions): Record<string, Cmd[]> {
  const c = profile.conformance;
  // Where the vendor normalises names, characters where its rule differs from JavaScript's trim().
  const tricky = Boolean(c.resource.normalize);
  const name = tricky ? `\ufeff${options.namePrefix}scenario \u001f` : `${options.namePrefix}scenario`;
  const metadata = c.resource.fields.metadata ? { color: 'red', size: 'small' } : undefined;
  const lifecycle: Cmd[] = [new Create({ name, description: tricky ? '\u3000A scenario ' : 'A scenario', metadata }, options.maxLive), new Show(0), new List(false)];
  if (c.resource.uniqueName) lifecycle.push(new CreateDuplicate(0, false), new CreateDuplicate(0, true));
  if (c.resource.operations.listDetail) lifecycle.push(new List(true));
  if (c.resource.operations.update && c.lifecycle.update) {
    lifecycle.push(new Update(0, { name: `${options.namePrefix}renamed${tricky ? '\u2003' : ''}`, description: tricky ? null : 'renamed' }), new Show(0), new List(false));
  }
  lifecycle.push(new Delete(0), new List(false));
  if (c.resource.operations.listDetail) lifecycle.push(new List(true));
  lifecycle.push(new UseDeleted(0));
  const out: Record<string, Cmd[]> = { lifecycle };
  const m = c.metadata;
  if (m) {
    const steps: Cmd[] = [new Create({ name: `${options.namePrefix}metadata`, description: null, metadata }, options.maxLive), new Show(0), new MetaRead(0)];
    steps.push(new MetaWrite(0, { color: 'blue', tier: 'gold' }, 'replace'), new MetaRead(0));
    if (m.merge) steps.push(new MetaWrite(0, { tier: 'silver', zone: 'a' }, 'merge'), new MetaRead(0));
    if (m.keyRead) steps.push(new KeyRead(0, 0, 'color', true), new KeyRead(0, 0, 'no-such-key', true));
    if (m.keyWrite) steps.push(new KeyWrite(0, 0, 'zone', 'b', true), new KeyWrite(0, 0, 'added', 'c', true));
    if (m.keyWrite && m.keyMismatch) steps.push(new KeyMismatch(0, 'other'));
    if (m.keyDelete) steps.push(new KeyDelete(0, 0, 'tier', true), new KeyDelete(0, 0, 'no-such-key', true));
    steps.push(new MetaRead(0), new Show(0), new Delete(0));
    out.metadata = steps;
  }
  return out;
}
