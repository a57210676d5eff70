// The parent a resource needs (a volume, a cluster): made where the API allows (with values looked
// up on the target first, like ECL's virtual storage), or found on the target (DWS's clusters);
// read, waited for, deleted.
import type { Exchange } from '../http/exchange.ts';
import { waitForState, type WaitResult, type WaitSpec } from '../resources/waiter.ts';
import { getAt, keysOf, setAt } from '../util/pointer.ts';
import type { LookupSpec, ParentModel } from './model.ts';
import { pathParams } from './requests.ts';
import type { ProfileApi } from './api.ts';
import { presence } from './waiting.ts';

/** The target could not give what the run needs from it: a set-up problem, not a finding. */
export class SetupError extends Error {}

export class ParentApi {
  readonly model: ParentModel;

  constructor(private readonly api: ProfileApi) {
    this.model = api.model.parent;
  }

  /** Whether the run can make (and so delete) parents. */
  get makeable(): boolean {
    return Boolean(this.model.create && this.model.delete);
  }

  /** The kind the ledger files a made parent under. */
  get kind(): string {
    return this.model.kind;
  }

  /** Runs lookups in order; each may use the values of the earlier ones ("{as}") and fill the body. */
  async runLookups(lookups: LookupSpec[], body: unknown): Promise<unknown> {
    const values: Record<string, string> = {};
    for (const spec of lookups) {
      const value = await this.lookup(spec, values);
      if (spec.as) values[spec.as] = value;
      if (spec.into) body = setAt(body, keysOf(spec.into), value);
    }
    return body;
  }

  async lookup(spec: LookupSpec, values: Record<string, string> = {}): Promise<string> {
    const exchange = await this.api.call(spec.operation);
    const items = getAt(exchange.response?.json, spec.items);
    if (!Array.isArray(items)) throw new SetupError(`${spec.operation} answered ${exchange.response?.status ?? exchange.error} without a list at ${spec.items}`);
    const where = Object.entries(spec.where).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')] as const);
    const hit = items.find((item) => where.every(([k, v]) => String(getAt(item, `/${k}`)) === v));
    const value = hit === undefined ? undefined : getAt(hit, spec.take);
    if (typeof value !== 'string') throw new SetupError(`no item of ${spec.operation} has ${where.map(([k, v]) => `${k} = ${v}`).join(' and ')}`);
    return value;
  }

  /**
   * Makes a parent named so (tagged with the run's id where its create takes metadata), or finds
   * one where the API makes none; does not wait for it.
   */
  async make(name: string, options: { runTag?: Record<string, string>; lookups?: LookupSpec[]; body?: unknown } = {}): Promise<{ id: string; created: boolean; exchange?: Exchange }> {
    const p = this.model;
    if (!p.create) {
      if (!p.discover) throw new SetupError(`profile ${this.api.profile.id} cannot make a parent: give one (--volume-id or --cluster-id)`);
      return { id: await this.lookup(p.discover), created: false };
    }
    let body: unknown = options.body ?? p.body ?? {};
    if (p.name) body = setAt(body, keysOf(p.name), name);
    if (p.tag && options.runTag) body = setAt(body, keysOf(p.tag), options.runTag);
    body = await this.runLookups(options.lookups ?? p.lookups ?? [], body);
    const exchange = await this.api.call(p.create, { body });
    const failed = (why: string) => new SetupError(`could not create the parent: ${p.create!.id} answered ${why}`);
    const status = exchange.response?.status ?? 0;
    if (status < 200 || status >= 300) throw failed(`${exchange.response?.status ?? exchange.error} ${exchange.response?.body.slice(0, 300) ?? ''}`);
    // Answered with an operation: the parent is the one it names once it is over.
    let answer = exchange;
    if (this.api.answersOperation(p.create)) {
      const wait = await this.api.awaitOperation(exchange);
      if (wait.observation.outcome !== 'reached') throw failed(`an operation that did not succeed (saw ${wait.observation.seen.join(' -> ')})`);
      answer = wait.final;
    }
    const id = getAt(answer.response?.json, p.id);
    if (typeof id !== 'string') throw failed(`${status} without an id at ${p.id}: ${answer.response?.body.slice(0, 300) ?? ''}`);
    return { id, created: true, exchange };
  }

  show(id: string): Promise<Exchange> {
    const op = this.model.show;
    return this.api.call(op, { path: pathParams(op, { parent: id }) });
  }

  delete(id: string): Promise<Exchange> {
    const op = this.model.delete;
    if (!op) throw new Error(`profile ${this.api.profile.id} cannot delete parents`);
    return this.api.call(op, { path: pathParams(op, { parent: id }) });
  }

  /** The parent's status in an answer (its presence, where it has none); "gone" for a 404. */
  stateOf(exchange: Exchange): string {
    if (exchange.response?.status === 404 || !this.model.status) return presence(exchange);
    return String(getAt(exchange.response?.json, this.model.status) ?? `HTTP ${exchange.response?.status}`);
  }

  /** What "ready" is for the parent: its ready status, or its show answering 200. */
  get readyState(): string {
    return this.model.ready ?? 'HTTP 200';
  }

  /** The transient states of a parent. */
  get transient(): string[] {
    return this.model.transient;
  }

  waitUntil(id: string, spec: Omit<WaitSpec, 'budgetMs'> & { budgetMs?: number }): Promise<WaitResult> {
    return waitForState(() => this.show(id), (e) => this.stateOf(e), { budgetMs: this.api.stateBudgetMs, ...spec, transition: spec.transition && `${this.api.profile.id}:parent-${spec.transition}` }, this.api.transitions);
  }

  waitReady(id: string): Promise<WaitResult> {
    return this.waitUntil(id, { target: this.readyState, allowed: this.model.status ? this.transient : [], failed: ['error'], transition: 'ready' });
  }
}
