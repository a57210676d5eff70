// The steps every scenario is made of, judged as they go: create a resource and wait until it is
// ready, delete one and wait until it is gone, and find what a refused create made anyway.
// Suites and lifecycle commands share them.
import type { Exchange } from '../http/exchange.ts';
import type { Judge } from '../findings/judge.ts';
import { GONE, type Item, type ProfileApi } from '../profile/api.ts';
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

/**
 * Sends a create of a parent's resource and requires the documented success; returns the new id.
 * Where the create is answered with an operation, waits until it is over and takes the id it
 * names; does not wait for the resource itself.
 */
export async function create(t: Judged, parentId: string, body: unknown): Promise<Created> {
  const { api, judge } = t;
  const c = api.model;
  const op = c.resource.ops.create;
  const exchange = await api.create(parentId, body);
  let receivedAt = performance.now();
  judge.succeeded(op, exchange);
  const final = api.answersOperation(op) ? await operationOver(t, exchange, receivedAt) : exchange;
  if (final !== exchange) receivedAt = performance.now();
  const id = api.createdId(final);
  judge.require(answerNamesId, op.clause ?? c.lifecycle.becomesReady, { json: final.response?.json, id, pointer: c.resource.id }, [final]);
  const answer = final === exchange ? (api.resourceOf(exchange.response?.json) ?? {}) : {};
  const states = c.resource.states;
  if (states && final === exchange) judge.check(statusIn, c.lifecycle.becomesReady, { status: api.field(answer, 'status'), allowed: states.created, where: 'create answer' }, [exchange]);
  return { id: id as string, exchange, receivedAt, answer };
}

/**
 * Requires that the operation a write was answered with ends in success, passing only through its
 * pending states; returns its last poll (where it names what it was about).
 */
export async function operationOver({ api, judge }: Judged, answer: Exchange, since: number): Promise<Exchange> {
  const o = api.model.operations!;
  const wait = await api.awaitOperation(answer, since);
  judge.require(reachedState, o.clause, { observation: wait.observation, target: o.done, allowedOnTheWay: o.pending }, wait.exchanges.slice(-2));
  return wait.final;
}

/**
 * Polls until the resource is ready; requires that it gets there through allowed states only.
 * `closely`: polls from the start, to see how long the transient state lasts (timing tests).
 */
export async function waitReady({ api, judge }: Judged, id: string, since?: number, closely?: boolean): Promise<StateObservation> {
  const s = api.model.resource.states;
  const wait = await api.waitReady(id, since, closely);
  judge.require(reachedState, api.model.lifecycle.becomesReady, { observation: wait.observation, target: api.readyState, allowedOnTheWay: s?.transient ?? [] }, wait.exchanges.slice(-2));
  judge.stateTiming('ready', wait.observation.elapsedMs);
  return wait.observation;
}

export async function createReady(t: Judged, parentId: string, body: unknown): Promise<Created> {
  const created = await create(t, parentId, body);
  await waitReady(t, created.id, created.receivedAt);
  return created;
}

/** A ready resource made from the create example, named for the run. */
export function createExample(t: Judged, parentId: string): Promise<Created> {
  return createReady(t, parentId, validCreateBody(t, parentId));
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
  const op = api.model.resource.ops.delete;
  judge.succeeded(op, exchange);
  if (api.answersOperation(op)) await operationOver(t, exchange, performance.now());
  const wait = await api.waitGone(id, performance.now());
  judge.require(reachedState, c.lifecycle.gone, { observation: wait.observation, target: GONE, allowedOnTheWay: c.resource.states?.deleting ?? [api.readyState] }, wait.exchanges.slice(-2));
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
