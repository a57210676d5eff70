// Updating name and description: the answer holds the new values, and later reads must too.
import type { Operation } from '../../profile/load.ts';
import { idOf, nameTaken, pick, type Model, type Real } from '../model.ts';
import { expected, normalized, q, requireFields, Step } from './step.ts';

export class Update extends Step {
  /** The profile's update and its clause (the command exists only where the profile has them). */
  constructor(
    private readonly op: Operation,
    private readonly clause: string,
    private readonly i: number,
    private readonly v: { name?: string; description?: string | null },
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0 && !nameTaken(m, this.v.name, pick(m, this.i));
  }
  planned() {
    return `update(live[${this.i}], ${q(this.v)})`;
  }
  protected async act(m: Model, r: Real) {
    const f = r.api.model.resource.fields;
    const target = pick(m, this.i);
    this.resolved = `update(#${target.handle}, ${q(this.v)})`;
    const body: Record<string, unknown> = {};
    if ('name' in this.v) body[f.name] = this.v.name;
    if ('description' in this.v) body[f.description] = this.v.description;
    const exchange = await r.api.update(idOf(r, target.handle), body);
    r.judge.succeeded(this.op, exchange);
    if ('name' in this.v) {
      target.name = normalized(r, f.name, this.v.name ?? null);
      target.sent.name = this.v.name ?? null;
    }
    if ('description' in this.v) {
      target.description = normalized(r, f.description, this.v.description ?? null);
      target.sent.description = this.v.description ?? null;
    }
    target.wroteName = this.clause;
    requireFields(r, this.clause, r.api.resourceOf(exchange.response?.json), expected(r, target).slice(0, 2), 'update answer', [exchange]);
  }
}
