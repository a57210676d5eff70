// Metadata: reading the set (it agrees with show and with the model), replacing or merging it, and
// the per-key operations (read, write, delete, a write whose body and path name other keys).
import type { MetadataOp } from '../../profile/api.ts';
import { addressable } from '../../profile/api.ts';
import { statusIs } from '../../checks/contract.ts';
import { refused } from '../../checks/refusal.ts';
import { idOf, pick, type Model, type ModelResource, type Real } from '../model.ts';
import { q, read, requireFields, Step } from './step.ts';

/** Picks an existing addressable key of the resource, or the fresh one when there is none (or asked). */
function chooseKey(target: ModelResource, index: number, fresh: string, useFresh = false): string {
  const keys = Object.keys(target.metadata).filter(addressable);
  return useFresh || keys.length === 0 ? fresh : keys[index % keys.length]!;
}

export class MetaRead extends Step {
  constructor(
    private readonly m: MetadataOp,
    private readonly i: number,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses() {
    return [this.m.clause];
  }
  planned() {
    return `metadata(live[${this.i}])`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `metadata(#${target.handle})`;
    const id = idOf(r, target.handle);
    const exchange = await r.api.metadata.read(id);
    r.judge.succeeded(this.m.op, exchange);
    const got = { metadata: r.api.metadata.setIn(this.m, exchange) };
    const { exchange: showExchange, resource } = await read(r, id);
    const field = r.api.model.resource.fields.metadata ?? 'metadata';
    requireFields(r, this.m.clause, got, [{ field: 'metadata', value: resource?.[field], clause: this.m.clause }], 'metadata read against show', [exchange, showExchange]);
    requireFields(r, this.m.clause, got, [{ field: 'metadata', value: target.metadata, clause: target.wroteMetadata }], 'metadata read', [exchange]);
  }
}

export class MetaWrite extends Step {
  constructor(
    private readonly m: MetadataOp,
    private readonly how: 'replace' | 'merge',
    private readonly i: number,
    private readonly set: Record<string, string>,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses() {
    return [this.m.clause];
  }
  planned() {
    return `${this.how}Metadata(live[${this.i}], ${q(this.set)})`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `${this.how}Metadata(#${target.handle}, ${q(this.set)})`;
    const id = idOf(r, target.handle);
    const exchange = this.how === 'replace' ? await r.api.metadata.replace(id, this.set) : await r.api.metadata.merge(id, this.set);
    r.judge.succeeded(this.m.op, exchange);
    target.metadata = this.how === 'replace' ? { ...this.set } : { ...target.metadata, ...this.set };
    target.wroteMetadata = this.m.clause;
    requireFields(r, this.m.clause, { metadata: r.api.metadata.setIn(this.m, exchange) }, [{ field: 'metadata', value: target.metadata, clause: this.m.clause }], `${this.how} answer`, [exchange]);
  }
}

/**
 * A command on one key of a live resource's metadata: an existing key it can address (by a
 * generated index), or the fresh one it was given when there is none or when asked for.
 */
abstract class KeyStep extends Step {
  constructor(
    protected readonly m: MetadataOp,
    protected readonly i: number,
    protected readonly k: number,
    protected readonly fresh: string,
    protected readonly useFresh: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses() {
    return [this.m.clause];
  }
  /** The resource and the key this run of the command acts on, its resolved name printed. */
  protected resolve(m: Model, verb: string, more = '') {
    const target = pick(m, this.i);
    const key = chooseKey(target, this.k, this.fresh, this.useFresh);
    this.resolved = `${verb}(#${target.handle}, ${q(key)}${more})`;
    return { target, key, has: Object.hasOwn(target.metadata, key) };
  }
}

export class KeyRead extends KeyStep {
  planned() {
    return `readKey(live[${this.i}], key[${this.k}] or ${q(this.fresh)})`;
  }
  protected async act(m: Model, r: Real) {
    const { target, key, has } = this.resolve(m, 'readKey');
    const exchange = await r.api.metadata.readKey(idOf(r, target.handle), key, !has);
    if (has) {
      r.judge.succeeded(this.m.op, exchange, this.m.clause);
      requireFields(r, this.m.clause, exchange.response?.json, [{ field: this.m.response ?? 'meta', value: { [key]: target.metadata[key] }, clause: target.wroteMetadata }], 'key read', [exchange]);
    } else {
      r.judge.require(statusIs, this.m.clause, { exchange, expected: [404] }, [exchange]);
    }
  }
}

export class KeyWrite extends KeyStep {
  constructor(m: MetadataOp, i: number, k: number, fresh: string, private readonly value: string, useFresh: boolean) {
    super(m, i, k, fresh, useFresh);
  }
  planned() {
    return `writeKey(live[${this.i}], ${q(this.fresh)}, ${q(this.value)})`;
  }
  protected async act(m: Model, r: Real) {
    const { target, key } = this.resolve(m, 'writeKey', `, ${q(this.value)}`);
    const exchange = await r.api.metadata.writeKey(idOf(r, target.handle), key, this.value);
    r.judge.succeeded(this.m.op, exchange);
    target.metadata = { ...target.metadata, [key]: this.value };
    target.wroteMetadata = this.m.clause;
    requireFields(r, this.m.clause, exchange.response?.json, [{ field: this.m.response ?? 'meta', value: { [key]: this.value }, clause: this.m.clause }], 'key write answer', [exchange]);
  }
}

export class KeyDelete extends KeyStep {
  planned() {
    return `deleteKey(live[${this.i}], key[${this.k}] or ${q(this.fresh)})`;
  }
  protected async act(m: Model, r: Real) {
    const { target, key, has } = this.resolve(m, 'deleteKey');
    const exchange = await r.api.metadata.deleteKey(idOf(r, target.handle), key, !has);
    if (!has) {
      r.judge.require(statusIs, this.m.clause, { exchange, expected: [404] }, [exchange]);
      return;
    }
    r.judge.succeeded(this.m.op, exchange);
    const { [key]: _removed, ...rest } = target.metadata;
    target.metadata = rest;
    target.wroteMetadata = this.m.clause;
  }
}

/** A per-key write whose body names another key than the path, or more keys: it must be refused. */
export class KeyMismatch extends Step {
  constructor(
    private readonly m: MetadataOp,
    private readonly clause: string,
    private readonly i: number,
    private readonly other: string,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses() {
    return [this.clause];
  }
  planned() {
    return `writeKeyMismatched(live[${this.i}], ${q(this.other)})`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    const key = chooseKey(target, 0, 'path-key');
    const other = this.other === key ? `${key}-other` : this.other;
    this.resolved = `writeKeyMismatched(#${target.handle}, path ${q(key)}, body ${q(other)})`;
    for (const body of [{ [other]: 'x' }, { [key]: 'x', [other]: 'y' }]) {
      const exchange = await r.api.metadata.writeKeyMismatched(idOf(r, target.handle), key, body);
      r.judge.require(refused, this.clause, { exchange, operation: this.m.op, kind: 'invalid-body' }, [exchange]);
    }
  }
}
