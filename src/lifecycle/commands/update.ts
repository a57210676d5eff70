// Updating name, description and labels: the answer holds the new values (or, where an update is
// answered with an operation, the resource once it is over), and later reads must too. Labels an
// update does not give are kept.
import type { Operation } from '../../profile/load.ts';
import type { ProfileModel } from '../../profile/model.ts';
import { operationOver } from '../../steps/create-delete.ts';
import { idOf, nameTaken, pick, type Labels, type Model, type Real } from '../model.ts';
import { expected, normalized, normalizes, q, read, requireFields, Step } from './step.ts';

export class Update extends Step {
  /** The profile's update and its clause (the command exists only where the profile has them). */
  constructor(
    private readonly op: Operation,
    private readonly clause: string,
    private readonly i: number,
    private readonly v: { name?: string; description?: string | null; labels?: Labels },
    /** The resource it updates holds labels: one that gives none judges that they are kept. */
    private readonly labelled = false,
  ) {
    super();
  }
  check(m: Readonly<Model>) {
    return m.live.length > 0 && !nameTaken(m, this.v.name, pick(m, this.i));
  }
  clauses(c: ProfileModel) {
    const f = c.resource.fields;
    const labels = c.labels;
    // Labels given replace the ones before; not given, the ones before (where there are some) are kept.
    const wrote = labels ? (this.v.labels !== undefined ? labels.replace : this.labelled ? labels.kept : undefined) : undefined;
    return [this.clause, ...(wrote ? [wrote] : []), ...normalizes(c, f.name, this.v.name), ...(f.description ? normalizes(c, f.description, this.v.description) : [])];
  }
  planned() {
    return `update(live[${this.i}], ${q(this.v)})`;
  }
  protected async act(m: Model, r: Real) {
    const c = r.api.model;
    const f = c.resource.fields;
    const target = pick(m, this.i);
    this.resolved = `update(#${target.handle}, ${q(this.v)})`;
    const body: Record<string, unknown> = {};
    if ('name' in this.v) body[f.name] = this.v.name;
    if ('description' in this.v && f.description) body[f.description] = this.v.description;
    if (this.v.labels !== undefined && c.labels) body[c.labels.member] = this.v.labels;
    const id = idOf(r, target.handle);
    const exchange = await r.api.update(id, body);
    r.judge.succeeded(this.op, exchange);
    if ('name' in this.v) {
      target.name = normalized(r, f.name, this.v.name ?? null);
      target.sent.name = this.v.name ?? null;
    }
    if ('description' in this.v && f.description) {
      target.description = normalized(r, f.description, this.v.description ?? null);
      target.sent.description = this.v.description ?? null;
    }
    target.wroteName = this.clause;
    const labels = c.labels;
    if (labels) {
      // Given: they replace the ones before; not given: the ones before are kept.
      if (this.v.labels !== undefined) [target.labels, target.wroteLabels] = [this.v.labels, labels.replace ?? this.clause];
      else if (target.labels !== undefined) target.wroteLabels = labels.kept ?? target.wroteLabels;
    }
    const written = new Set([f.name, f.description, labels?.member]);
    const fields = expected(r, target).filter((e) => written.has(e.field));
    if (r.api.answersOperation(this.op)) {
      await operationOver(r, exchange, performance.now());
      const shown = await read(r, id);
      requireFields(r, this.clause, shown.resource, fields, 'show after the update', [exchange, shown.exchange]);
    } else requireFields(r, this.clause, r.api.resourceOf(exchange.response?.json), fields, 'update answer', [exchange]);
  }
}
