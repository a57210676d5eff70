// Deleting: the resource goes away (through its deleting states), and afterwards every operation on
// it answers 404.
import type { Exchange } from '../../http/exchange.ts';
import { statusIs } from '../../checks/contract.ts';
import type { ProfileModel } from '../../profile/model.ts';
import { deleteUntilGone } from '../../steps/create-delete.ts';
import { idOf, pick, type Model, type Real } from '../model.ts';
import { Step } from './step.ts';

export class Delete extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses(c: ProfileModel) {
    return [c.lifecycle.gone];
  }
  planned() {
    return `delete(live[${this.i}])`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `delete(#${target.handle})`;
    await deleteUntilGone(r, idOf(r, target.handle));
    m.live.splice(m.live.indexOf(target), 1);
    m.deleted.push(target.handle);
  }
}

export class UseDeleted extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.deleted.length > 0;
  }
  clauses(c: ProfileModel) {
    return [c.lifecycle.useAfterDelete];
  }
  planned() {
    return `useDeleted(deleted[${this.i}])`;
  }
  protected async act(m: Model, r: Real) {
    const api = r.api;
    const handle = m.deleted[this.i % m.deleted.length]!;
    this.resolved = `useDeleted(#${handle})`;
    const id = idOf(r, handle);
    const negative = { negative: true };
    const attempts: Array<() => Promise<Exchange>> = [() => api.show(id, negative)];
    const f = api.model.resource.fields;
    if (api.model.resource.ops.update) attempts.push(() => api.update(id, f.description ? { [f.description]: 'after delete' } : { [f.name]: r.world.name() }, negative));
    const read = api.model.metadata?.read.op;
    if (read) attempts.push(() => api.call(read, { fixtures: { resource: id }, negative: true }));
    attempts.push(() => api.delete(id, negative));
    for (const attempt of attempts) {
      const exchange = await attempt();
      r.judge.require(statusIs, api.model.lifecycle.useAfterDelete, { exchange, expected: [404] }, [exchange]);
    }
  }
}
