// Creating: a resource with generated fields (required to answer as created, then to become ready),
// and one with a name already taken where names are unique (required to be refused, leaving nothing).
import type { ResourceModel } from '../../profile/model.ts';
import { refused } from '../../checks/refusal.ts';
import { refusedCreateLeftNothing } from '../../checks/resource.ts';
import { create, leftBehindBy, waitReady } from '../../steps/create-delete.ts';
import { idOf, nameTaken, pick, type Model, type ModelResource, type Real } from '../model.ts';
import { expected, normalized, q, requireFields, Step } from './step.ts';

export interface CreateValues {
  name: string;
  description: string | null;
  /** Absent where the profile's create takes no metadata. */
  metadata?: Record<string, string> | null;
}

export class Create extends Step {
  constructor(
    private readonly v: CreateValues,
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
  protected async act(m: Model, r: Real) {
    const c = r.api.model;
    const f = c.resource.fields;
    const handle = m.nextHandle++;
    this.resolved = `${this.planned()} -> #${handle}`;
    const more: Record<string, unknown> = { [f.description]: this.v.description };
    if (f.metadata && this.v.metadata !== undefined) more[f.metadata] = this.v.metadata;
    const created = await create(r, r.api.createBody(r.parentId, this.v.name, more));
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
    const fields = expected(r, model).filter((e) => r.api.model.resource.createAnswers.has(e.field));
    if (fields.length) requireFields(r, c.lifecycle.showMatchesCreate, created.answer, fields, 'create answer', [created.exchange]);
    await waitReady(r, created.id, created.receivedAt);
    m.live.push(model);
  }
}

type UniqueName = NonNullable<ResourceModel['uniqueName']>;

/** A create with the name of a live resource (in other case, where names are unique regardless). */
export class CreateDuplicate extends Step {
  constructor(
    private readonly unique: UniqueName,
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
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    const original = target.sent.name ?? '';
    const name = this.swapCase && this.unique.caseInsensitive ? swapCase(original) : original;
    this.resolved = `createDuplicate(#${target.handle}, name=${q(name)})`;
    const exchange = await r.api.create(r.api.createBody(r.parentId, name), { negative: true });
    // What it made, refused or not, is found and removed first: a failing case must not leave it.
    const { found, list } = await leftBehindBy(r, name, { except: idOf(r, target.handle), caseInsensitive: this.unique.caseInsensitive });
    r.judge.require(refused, this.unique.clause, { exchange, operation: r.api.model.resource.ops.create, kind: 'duplicate' }, [exchange]);
    r.judge.require(refusedCreateLeftNothing, this.unique.clause, { found, name }, [exchange, list]);
  }
}

const swapCase = (s: string) => [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
