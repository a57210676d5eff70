// Creating: a resource with generated fields (required to answer as created, then to become ready),
// and one with a name already taken where names are unique (required to be refused, leaving nothing).
import type { ProfileModel, ResourceModel } from '../../profile/model.ts';
import { refused } from '../../checks/refusal.ts';
import { keysOf } from '../../util/pointer.ts';
import { refusedCreateLeftNothing } from '../../checks/resource.ts';
import { create, leftBehindBy, waitReady } from '../../steps/create-delete.ts';
import { idOf, nameTaken, pick, type Labels, type Model, type ModelResource, type Real } from '../model.ts';
import { swapCase } from '../../util/normalize.ts';
import { expected, normalized, normalizes, q, requireFields, Step } from './step.ts';

export interface CreateValues {
  name: string;
  /** Absent where the profile's resource has no description. */
  description?: string | null;
  /** Absent where the profile's create takes no metadata. */
  metadata?: Record<string, string> | null;
  /** Absent where the profile has no labels (or this create gives none). */
  labels?: Labels;
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
  clauses(c: ProfileModel) {
    const f = c.resource.fields;
    return [
      c.lifecycle.becomesReady,
      c.lifecycle.showMatchesCreate,
      ...(c.metadata && f.metadata ? [c.metadata.create] : []),
      ...(c.labels && this.v.labels !== undefined ? [c.labels.create] : []),
      ...normalizes(c, f.name, this.v.name),
      ...(f.description ? normalizes(c, f.description, this.v.description) : []),
    ];
  }
  planned() {
    const more = (['description', 'metadata', 'labels'] as const).filter((k) => this.v[k] !== undefined).map((k) => `, ${k}=${q(this.v[k])}`);
    return `create(name=${q(this.v.name)}${more.join('')})`;
  }
  protected async act(m: Model, r: Real) {
    const c = r.api.model;
    const f = c.resource.fields;
    const handle = m.nextHandle++;
    this.resolved = `${this.planned()} -> #${handle}`;
    const more: Record<string, unknown> = {};
    const description = f.description ? (this.v.description ?? null) : null;
    if (f.description && this.v.description !== undefined) more[f.description] = this.v.description;
    if (f.metadata && this.v.metadata !== undefined) more[f.metadata] = this.v.metadata;
    if (c.labels && this.v.labels !== undefined) more[c.labels.member] = this.v.labels;
    const created = await create(r, r.parentId, r.api.createBody(r.parentId, this.v.name, more));
    r.ids.set(handle, created.id);
    const model: ModelResource = {
      handle,
      name: normalized(r, f.name, this.v.name),
      description: f.description ? normalized(r, f.description, description) : null,
      metadata: this.v.metadata ?? {},
      // Labels are judged once a write gave them (none given may show as absent, null or empty).
      labels: c.labels ? this.v.labels : undefined,
      wroteLabels: c.labels?.create,
      sent: { name: this.v.name, description },
      wroteName: c.lifecycle.showMatchesCreate,
      wroteMetadata: c.metadata?.create ?? c.lifecycle.showMatchesCreate,
    };
    const fields = expected(r, model).filter((e) => r.api.model.resource.createAnswers.has(e.field.startsWith('/') ? keysOf(e.field)[0]! : e.field));
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
  clauses() {
    return [this.unique.clause];
  }
  planned() {
    return `createDuplicate(live[${this.i}]${this.swapCase ? ', other case' : ''})`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    const original = target.sent.name ?? '';
    const name = this.swapCase && this.unique.caseInsensitive ? swapCase(original) : original;
    this.resolved = `createDuplicate(#${target.handle}, name=${q(name)})`;
    const exchange = await r.api.create(r.parentId, r.api.createBody(r.parentId, name), { negative: true });
    // What it made, refused or not, is found and removed first: a failing case must not leave it.
    const { found, list } = await leftBehindBy(r, name, { except: idOf(r, target.handle), caseInsensitive: this.unique.caseInsensitive });
    r.judge.require(refused, this.unique.clause, { exchange, operation: r.api.model.resource.ops.create, kind: 'duplicate' }, [exchange]);
    r.judge.require(refusedCreateLeftNothing, this.unique.clause, { found, name }, [exchange, list]);
  }
}

