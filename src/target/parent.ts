// The parent a resource needs (a volume, a cluster): made by the run where the API allows (with
// values looked up on the target first, like ECL's virtual storage), or found on the target
// (DWS's clusters), or given by the user. Used by the set-up project and by the tests that need a
// parent of their own (another volume type, one not ready yet, a fresh one to fill).
import type { TargetClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { operation } from '../profile/load.ts';
import type { LookupSpec } from '../profile/schema.ts';
import { getAt, keysOf, setAt } from '../util/pointer.ts';
import { RUN_PREFIX, RUN_TAG } from './sweep.ts';
import { pathParams, stateBudgetMs, waitForState, type WaitResult } from './resources.ts';

/** The target could not give what the run needs from it: a set-up problem, not a finding. */
export class SetupError extends Error {}

/** Runs lookups in order; each may use the values of the earlier ones ("{as}") and fill the body. */
export async function runLookups(client: TargetClient, lookups: LookupSpec[], body: unknown): Promise<{ body: unknown; values: Record<string, string> }> {
  const values: Record<string, string> = {};
  for (const spec of lookups) {
    const value = await lookup(client, spec, values);
    if (spec.as) values[spec.as] = value;
    if (spec.into) body = setAt(body, keysOf(spec.into), value);
  }
  return { body, values };
}

export async function lookup(client: TargetClient, spec: LookupSpec, values: Record<string, string> = {}): Promise<string> {
  const exchange = await client.call(spec.operation);
  const items = getAt(exchange.response?.json, spec.items);
  if (!Array.isArray(items)) throw new SetupError(`${spec.operation} answered ${exchange.response?.status ?? exchange.error} without a list at ${spec.items}`);
  const where = Object.entries(spec.where).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')] as const);
  const hit = items.find((item) => where.every(([k, v]) => String(getAt(item, `/${k}`)) === v));
  const value = hit === undefined ? undefined : getAt(hit, spec.take);
  if (typeof value !== 'string') throw new SetupError(`no item of ${spec.operation} has ${where.map(([k, v]) => `${k} = ${v}`).join(' and ')}`);
  return value;
}

export interface ParentMade {
  id: string;
  /** The run created it (so the run deletes it). */
  created: boolean;
  exchange?: Exchange;
}

/** Makes a parent (or finds one, when the API has no create); does not wait for it. */
export async function makeParent(client: TargetClient, name: string, lookups?: LookupSpec[], bodyOverride?: unknown): Promise<ParentMade> {
  const p = client.profile.conformance.fixtures.parent;
  if (!p.create) {
    if (!p.discover) throw new SetupError(`profile ${client.profile.id} cannot make a parent: give one (--volume-id or --cluster-id)`);
    return { id: await lookup(client, p.discover), created: false };
  }
  const base = bodyOverride ?? p.body ?? {};
  let named = p.name ? setAt(base, keysOf(p.name), name) : base;
  const runId = RUN_PREFIX.exec(name)?.[1];
  if (p.tag && runId) named = setAt(named, keysOf(p.tag), { [RUN_TAG]: runId });
  const { body } = await runLookups(client, lookups ?? p.lookups ?? [], named);
  const exchange = await client.call(p.create, { body });
  const id = getAt(exchange.response?.json, p.id);
  if (typeof id !== 'string') {
    throw new SetupError(`could not create the parent: ${p.create} answered ${exchange.response?.status ?? exchange.error} ${exchange.response?.body.slice(0, 300) ?? ''}`);
  }
  return { id, created: true, exchange };
}

/** Waits until the parent is ready. */
export function waitParentReady(client: TargetClient, id: string): Promise<WaitResult> {
  const p = client.profile.conformance.fixtures.parent;
  return waitForState(client, p.show, { parent: id }, p.status, { target: p.ready, allowed: p.transient ?? ['creating'], failed: ['error'], budgetMs: stateBudgetMs(client) });
}

/** Reads a given parent: it must exist. */
export async function checkParent(client: TargetClient, id: string): Promise<void> {
  const p = client.profile.conformance.fixtures.parent;
  const exchange = await client.call(p.show, { path: pathParams(operation(client.profile, p.show), { parent: id }) });
  if (exchange.response?.status !== 200) throw new SetupError(`the parent ${id} cannot be read: ${p.show} answered ${exchange.response?.status ?? exchange.error}`);
}
