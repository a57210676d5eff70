// The steps every scenario is made of, judged as they go: create a resource and wait until it is
// ready, delete one and wait until it is gone, and find what a refused create made anyway.
// Suites and lifecycle commands share them.
import type { Exchange } from '../http/exchange.ts';
import type { Judge } from '../findings/judge.ts';
import type { Item, ProfileApi } from '../profile/api.ts';
import { answerNamesId, reachedState, statusIn, type StateObservation } from '../checks/resource.ts';
import { cleanup } from '../resources/cleanup.ts';
import { validBody } from '../generate/requests.ts';
import type { World } from '../run/world.ts';

/** The judged part of a test context: what these steps need. */
export interface Judged {
  api: ProfileApi;
  judge: Judge;
  world: World;
}

export interface Created {
  id: string;
  exchange: Exchange;
  /** performance.now() when the answer came. */
  receivedAt: number;
  /** The resource object of the create answer. */
  answer: Item;
}

/** Sends a create and requires the documented success; returns the new id. Does not wait. */
export async function create({ api, judge }: Judged, body: unknown): Promise<Created> {
  const c = api.model;
  const op = api.model.resource.ops.create;
  const exchange = await api.create(body);
  const receivedAt = performance.now();
  judge.succeeded(op, exchange);
  const id = api.createdId(exchange);
  judge.require(answerNamesId, op.clause ?? c.lifecycle.becomesReady, { json: exchange.response?.json, id, pointer: c.resource.id }, [exchange]);
  const answer = api.resourceOf(exchange.response?.json) ?? {};
  judge.check(statusIn, c.lifecycle.becomesReady, { status: answer[c.resource.fields.status], allowed: c.resource.states.created, where: 'create answer' }, [exchange]);
  return { id: id as string, exchange, receivedAt, answer };
}

/**
 * Polls until the resource is ready; requires that it gets there through allowed states only.
 * `closely`: polls from the start, to see how long the transient state lasts (timing tests).
 */
export async function waitReady({ api, judge }: Judged, id: string, since?: number, closely?: boolean): Promise<StateObservation> {
  const s = api.model.resource.states;
  const wait = await api.waitReady(id, since, closely);
  judge.require(reachedState, api.model.lifecycle.becomesReady, { observation: wait.observation, target: s.ready, allowedOnTheWay: s.transient }, wait.exchanges.slice(-2));
  judge.stateTiming('ready', wait.observation.elapsedMs);
  return wait.observation;
}

export async function createReady(t: Judged, body: unknown): Promise<Created> {
  const created = await create(t, body);
  await waitReady(t, created.id, created.receivedAt);
  return created;
}

/** A ready resource made from the create example, named for the run. */
export function createExample(t: Judged, parentId: string): Promise<Created> {
  return createReady(t, validCreateBody(t, parentId));
}

/** The documented create example, with this parent and a fresh name. */
export function validCreateBody(t: Judged, parentId: string, name: () => string = t.world.name): unknown {
  return validBody(t.api.profile, t.api.model.resource.ops.create, { parent: parentId, name });
}

/** Deletes a ready resource, requires the documented success, and waits until it is gone. */
export async function deleteUntilGone(t: Judged, id: string): Promise<void> {
  const { api, judge } = t;
  const c = api.model;
  const started = performance.now();
  const exchange = await api.delete(id);
  judge.succeeded(api.model.resource.ops.delete, exchange);
  const wait = await api.waitGone(id, performance.now());
  judge.require(reachedState, c.lifecycle.gone, { observation: wait.observation, target: 'gone', allowedOnTheWay: c.resource.states.deleting }, wait.exchanges.slice(-2));
  judge.stateTiming('gone', performance.now() - started);
}

/**
 * After a create the target refused: the resources that carry the name it was sent with (but the
 * one given as `except`). What is found was made although refused: the run adopts it and removes it
 * at once, so that it takes no name or quota from later tests; what resists stays in the ledger.
 */
export async function leftBehindBy(t: Judged, name: string, options: { except?: string; caseInsensitive?: boolean } = {}): Promise<{ found: string[]; list: Exchange }> {
  const { found, list } = await t.api.named(name, options);
  const ledger = t.world.ledger;
  if (found.length) {
    for (const id of found) ledger.adopt(t.api.model.resource.kind, id, name);
    await cleanup(t.world.api, ledger, (e) => found.includes(e.id ?? ''), false);
  }
  return { found, list };
}
