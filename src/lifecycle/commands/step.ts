// What every lifecycle command shares: the fast-check command shape (`check` reads the model only,
// `run` acts on the target and requires that the answers agree with the model, `toString` prints
// the values it resolved to, so that a shrunk sequence reads as a script), and how the fields the
// target shows are compared with the model.
import type fc from 'fast-check';
import type { Exchange } from '../../http/exchange.ts';
import { fieldsMatch, type ExpectedField } from '../../checks/resource.ts';
import { show as showValue } from '../../checks/check.ts';
import { normalizers } from '../../util/normalize.ts';
import type { Item } from '../../profile/api.ts';
import type { ProfileModel } from '../../profile/model.ts';
import type { Model, ModelResource, Real } from '../model.ts';

export type Cmd = fc.AsyncCommand<Model, Real>;

export const q = (v: unknown) => showValue(v, 60);

export abstract class Step implements Cmd {
  protected resolved = '';
  abstract check(m: Readonly<Model>): boolean;
  protected abstract act(m: Model, r: Real): Promise<void>;
  abstract planned(): string;
  /**
   * The clauses the command judges, or charges a value it writes to (a later read judges it): what
   * the profile check counts as reachable (src/profile/check.ts).
   */
  abstract clauses(c: ProfileModel): string[];
  /** Runs the command; the sequence's log says what ran, values resolved (the failing one last). */
  async run(m: Model, r: Real): Promise<void> {
    try {
      await this.act(m, r);
    } finally {
      r.log.push(this.toString());
    }
  }
  toString(): string {
    return this.resolved || this.planned();
  }
}

/** The clause of the vendor's normalisation, where a value sent is one it changes. */
export function normalizes(c: ProfileModel, field: string, value: string | null | undefined): string[] {
  const n = c.resource.normalize;
  return n && typeof value === 'string' && n.fields.includes(field) && normalizers[n.rule](value) !== value ? [n.clause] : [];
}

/** The value the vendor stores for one sent (its normalisation rule, where it has one). */
export function normalized(r: Real, field: string, value: string | null): string | null {
  const n = r.api.model.resource.normalize;
  return n && value !== null && n.fields.includes(field) ? normalizers[n.rule](value) : value;
}

/** What the target must show for a model resource, each value charged to the write that set it. */
export function expected(r: Real, m: ModelResource, withParent = true): ExpectedField[] {
  const c = r.api.model;
  const f = c.resource.fields;
  const out: ExpectedField[] = [{ field: f.name, value: m.name, clause: m.wroteName, raw: m.sent.name }];
  if (f.description) out.push({ field: f.description, value: m.description, clause: m.wroteName, raw: m.sent.description });
  if (withParent && f.parent) out.push({ field: f.parent, value: r.parentId, clause: c.lifecycle.showMatchesCreate });
  if (f.metadata) out.push({ field: f.metadata, value: m.metadata, clause: m.wroteMetadata });
  if (c.labels && m.labels !== undefined) out.push({ field: c.labels.member, value: m.labels, clause: m.wroteLabels ?? c.labels.create, unordered: c.labels.style === 'list' });
  return out;
}

/** Requires that a resource holds the expected fields; every clause behind a value is exercised. */
export function requireFields(r: Real, clause: string, resource: unknown, fields: ExpectedField[], where: string, evidence: Exchange[]): void {
  const n = r.api.model.resource.normalize;
  const rule = n ? { normalize: normalizers[n.rule], normalizedFields: n.fields, normalizeClause: n.clause } : {};
  const normalizedSomething = fields.some((f) => f.raw !== undefined && f.raw !== f.value);
  const also = [...fields.map((f) => f.clause), ...(normalizedSomething && n ? [n.clause] : [])];
  r.judge.require(fieldsMatch, clause, { resource, expected: fields, where, ...rule }, evidence, also);
}

/** GET the resource, require the documented success and return its object. */
export async function read(r: Real, id: string): Promise<{ exchange: Exchange; resource: Item | undefined }> {
  const exchange = await r.api.show(id);
  r.judge.succeeded(r.api.model.resource.ops.show, exchange);
  return { exchange, resource: r.api.resourceOf(exchange.response?.json) };
}
