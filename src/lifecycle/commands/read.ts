// Reading: a show must hold what the model holds; a list (summary or detail) must hold every live
// resource once, as show has it, and no deleted one.
import type { Operation } from '../../profile/load.ts';
import type { ProfileModel } from '../../profile/model.ts';
import { listed } from '../../checks/resource.ts';
import { fieldValue } from '../../util/pointer.ts';
import { idOf, pick, type Model, type Real } from '../model.ts';
import { expected, read, requireFields, Step } from './step.ts';

export class Show extends Step {
  constructor(private readonly i: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0;
  }
  clauses(c: ProfileModel) {
    return [c.lifecycle.showMatchesCreate];
  }
  planned() {
    return `show(live[${this.i}])`;
  }
  protected async act(m: Model, r: Real) {
    const target = pick(m, this.i);
    this.resolved = `show(#${target.handle})`;
    const { exchange, resource } = await read(r, idOf(r, target.handle));
    requireFields(r, r.api.model.lifecycle.showMatchesCreate, resource, expected(r, target), 'show', [exchange]);
  }
}

export class List extends Step {
  /** `op`: the summary list or the detailed one. */
  constructor(private readonly op: Operation, private readonly detail: boolean) {
    super();
  }
  check() {
    return true;
  }
  clauses(c: ProfileModel) {
    return [c.lifecycle.listsAgree];
  }
  planned() {
    return this.detail ? 'list(detail)' : 'list()';
  }
  protected async act(m: Model, r: Real) {
    this.resolved = this.planned();
    const c = r.api.model;
    const exchange = await r.api.call(this.op);
    r.judge.succeeded(this.op, exchange);
    const items = r.api.items(exchange);
    const ids = items.map((i) => r.api.idOf(i));
    const where = this.detail ? 'list detail' : 'list';
    for (const live of m.live) {
      const id = idOf(r, live.handle);
      r.judge.require(listed, c.lifecycle.listsAgree, { ids, id, shouldBe: true, list: where }, [exchange]);
      // Lists must agree with show; show itself is judged against the model by Show.
      const { exchange: showExchange, resource } = await read(r, id);
      const fields = expected(r, live).map((e) => ({ ...e, value: fieldValue(resource, e.field), clause: c.lifecycle.listsAgree }));
      requireFields(r, c.lifecycle.listsAgree, items.find((i) => r.api.idOf(i) === id), fields, where, [exchange, showExchange]);
    }
    for (const handle of m.deleted) {
      r.judge.require(listed, c.lifecycle.gone, { ids, id: idOf(r, handle), shouldBe: false, list: where }, [exchange]);
    }
  }
}
