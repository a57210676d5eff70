// The steps every scenario is made of, judged as they go: create a resource and wait until it is
// ready, delete one and wait until it is gone. Suites and lifecycle commands share them.
import type { TargetClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Judge } from '../findings/judge.ts';
import { operation } from '../profile/load.ts';
import { answerNamesId, reachedState, statusIn, type StateObservation } from '../checks/resource.ts';
import { cleanup, GONE, pathParams, stateBudgetMs, waitForState } from '../target/resources.ts';
import { getAt } from '../util/pointer.ts';

export interface Created {
  id: string;
  exchange: Exchange;
  /** performance.now() when the answer came. */
  receivedAt: number;
  /** The resource object of the create answer. */
  answer: Record<string, unknown>;
}

/** The member of a body that holds the resource ({"snapshot": {...}} -> {...}). */
export const unwrap = (client: TargetClient, json: unknown) =>
  getAt(json, `/${client.profile.conformance.resource.wrapper}`) as Record<string, unknown> | undefined;

/** Sends a create and requires the documented success; returns the new id. Does not wait. */
export async function create(client: TargetClient, judge: Judge, body: unknown): Promise<Created> {
  const c = client.profile.conformance;
  const op = operation(client.profile, c.resource.operations.create);
  const exchange = await client.call(op.id, { body });
  const receivedAt = performance.now();
  judge.succeeded(op, exchange);
  const id = getAt(exchange.response?.json, c.resource.id);
  judge.require(answerNamesId, op.clause ?? c.lifecycle.becomesReady, { json: exchange.response?.json, id, pointer: c.resource.id }, [exchange]);
  const answer = unwrap(client, exchange.response?.json) ?? {};
  judge.check(statusIn, c.lifecycle.becomesReady, { status: answer[c.resource.fields.status], allowed: c.resource.states.created, where: 'create answer' }, [exchange]);
  return { id: id as string, exchange, receivedAt, answer };
}

/** Polls until the resource is ready; requires that it gets there through allowed states only. */
export async function waitReady(client: TargetClient, judge: Judge, id: string): Promise<StateObservation> {
  const c = client.profile.conformance;
  const s = c.resource.states;
  const wait = await waitForState(client, c.resource.operations.show, { resource: id }, statusPointer(client), {
    target: s.ready,
    allowed: s.transient,
    failed: s.failed,
    budgetMs: stateBudgetMs(client),
  });
  judge.require(reachedState, c.lifecycle.becomesReady, { observation: wait.observation, target: s.ready, allowedOnTheWay: s.transient }, wait.exchanges.slice(-2));
  judge.stateTiming('ready', wait.observation.elapsedMs);
  return wait.observation;
}

export async function createReady(client: TargetClient, judge: Judge, body: unknown): Promise<Created> {
  const created = await create(client, judge, body);
  await waitReady(client, judge, created.id);
  return created;
}

/** Deletes a ready resource, requires the documented success, and waits until it is gone. */
export async function deleteUntilGone(client: TargetClient, judge: Judge, id: string): Promise<void> {
  const c = client.profile.conformance;
  const op = operation(client.profile, c.resource.operations.delete);
  const started = performance.now();
  const exchange = await client.call(op.id, { path: pathParams(op, { resource: id }) });
  judge.succeeded(op, exchange);
  const wait = await waitForState(client, c.resource.operations.show, { resource: id }, statusPointer(client), {
    target: GONE,
    allowed: c.resource.states.deleting,
    failed: [],
    budgetMs: stateBudgetMs(client),
  });
  judge.require(reachedState, c.lifecycle.gone, { observation: wait.observation, target: GONE, allowedOnTheWay: c.resource.states.deleting }, wait.exchanges.slice(-2));
  judge.stateTiming('gone', performance.now() - started);
}

export const statusPointer = (client: TargetClient) => {
  const r = client.profile.conformance.resource;
  return `/${r.wrapper}/${r.fields.status}`;
};

/**
 * After a create the target refused: the resources that carry the name it was sent with (but the
 * one given as `except`). What is found was made although refused: the run adopts it and removes it.
 */
export async function leftBehindBy(client: TargetClient, name: string, options: { except?: string; caseInsensitive?: boolean } = {}): Promise<{ found: string[]; list: Exchange }> {
  const c = client.profile.conformance;
  const r = c.resource;
  const list = await client.call(r.operations.list, { query: { [r.fields.name]: name } });
  const items = (getAt(list.response?.json, `/${c.lists.items}`) as Array<Record<string, unknown>> | undefined) ?? [];
  const same = (n: unknown) => typeof n === 'string' && (options.caseInsensitive ? n.toLowerCase() === name.toLowerCase() : n === name);
  const found = items.filter((i) => same(i[r.fields.name]) && i.id !== options.except).map((i) => String(i.id));
  const ledger = client.ledger;
  if (found.length && ledger) {
    for (const id of found) ledger.adopt(r.wrapper, id, name);
    // Removed at once, so that it takes no name or quota from later tests; what resists stays in
    // the ledger for the final clean-up.
    await cleanup(client, ledger, (e) => found.includes(e.id ?? ''), false);
  }
  return { found, list };
}
