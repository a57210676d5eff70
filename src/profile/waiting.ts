// Waiting, as the profile's asynchrony says: the resource's own status (poll its show until ready
// or gone), an operation a write's answer points to (poll it until it is over), or neither (a
// resource that is there is ready, one answered 404 is gone). The state a show reports is the
// resource's status where it has one, else what the answer is ("HTTP 200"; "gone" for a 404): no
// state is invented for a resource that has none.
import type { Exchange } from '../http/exchange.ts';
import { header } from '../http/exchange.ts';
import { waitForState, type Transitions, type WaitResult, type WaitSpec } from '../resources/waiter.ts';
import { getAt } from '../util/pointer.ts';
import { successStatus, type Operation } from './load.ts';
import { fieldPath, type OperationsModel, type ProfileModel } from './model.ts';

/** The state of a resource that is no longer there (404). */
export const GONE = 'gone';

/** What an answer says of a resource's presence, where it has no status of its own. */
export const presence = (exchange: Exchange) => (exchange.response?.status === 404 ? GONE : `HTTP ${exchange.response?.status ?? 0}`);

/** What the waiting verbs need of the profile API. */
export interface Poller {
  readonly model: ProfileModel;
  readonly profile: { id: string };
  readonly transitions: Transitions;
  readonly stateBudgetMs: number;
  /** The endpoint, where a relative operation URL is resolved. */
  readonly baseUrl: string;
  show(id: string): Promise<Exchange>;
  send(method: string, url: string): Promise<Exchange>;
  call(op: Operation, options: { path?: Record<string, string> }): Promise<Exchange>;
  url(op: Operation, path?: Record<string, string>): string;
}

/** The status an answer shows for the resource: its status member, or its presence. */
export function stateOf(model: ProfileModel, exchange: Exchange): string {
  const r = model.resource;
  if (exchange.response?.status === 404 || !r.states || !r.fields.status) return presence(exchange);
  return String(getAt(exchange.response?.json, `/${fieldPath(r.fields.status, r.wrapper).join('/')}`) ?? `HTTP ${exchange.response?.status}`);
}

/** What "ready" is for the resource: its ready status, or its show answering as documented. */
export function readyState(model: ProfileModel): string {
  return model.resource.states?.ready ?? `HTTP ${successStatus(model.resource.ops.show)}`;
}

/** Polls a resource (show) until the spec is met; `transition` names it for learning and timeouts. */
export function waitUntil(api: Poller, id: string, spec: Omit<WaitSpec, 'budgetMs' | 'transition'> & { budgetMs?: number; transition: 'ready' | 'gone' }): Promise<WaitResult> {
  return waitForState(() => api.show(id), (e) => stateOf(api.model, e), { budgetMs: api.stateBudgetMs, ...spec, transition: `${api.profile.id}:${spec.transition}` }, api.transitions);
}

/** Until the resource is ready, through its transient states only (failing fast on a failed one). */
export function waitReady(api: Poller, id: string, since?: number, closely?: boolean): Promise<WaitResult> {
  const s = api.model.resource.states;
  return waitUntil(api, id, { target: readyState(api.model), allowed: s?.transient ?? [], failed: s?.failed ?? [], transition: 'ready', since, closely });
}

/** Until the resource is gone, through its deleting states only (still shown, where it has none). */
export function waitGone(api: Poller, id: string, since?: number): Promise<WaitResult> {
  const s = api.model.resource.states;
  return waitUntil(api, id, { target: GONE, allowed: s ? s.deleting : [readyState(api.model)], failed: [], transition: 'gone', since });
}

/** An operation a write's answer points to, waited on until it is over. */
export interface OperationWait extends WaitResult {
  /** The last poll: the operation as it ended (or the write's answer, when it was over at once). */
  final: Exchange;
}

/** Whether the answer of this operation is an operation to wait on. */
export const answersOperation = (model: ProfileModel, op: Operation) => Boolean(model.operations?.writes.has(op.id));

/** The state an answer shows for an operation. */
const operationState = (o: OperationsModel, exchange: Exchange) =>
  exchange.response?.status === 404 ? GONE : String(getAt(exchange.response?.json, o.state) ?? `HTTP ${exchange.response?.status ?? 0}`);

/**
 * Polls the operation a write's answer points to (its id, through the operation's show; or the
 * URL in the answer's header) until it is over: done, failed, or out of its budget.
 */
export async function awaitOperation(api: Poller, answer: Exchange, since?: number): Promise<OperationWait> {
  const o = api.model.operations!;
  let poll: () => Promise<Exchange>;
  const at = o.url ? getAt(answer.response?.json, o.url) : undefined;
  const url = o.header ? header(answer, o.header.toLowerCase()) : typeof at === 'string' ? at : undefined;
  const id = o.id ? getAt(answer.response?.json, o.id) : undefined;
  if (url) poll = () => api.send('GET', new URL(url, `${api.baseUrl}/`).toString());
  else if (typeof id === 'string' && o.show) {
    const show = o.show;
    const param = show.parameters.find((p) => p.in === 'path');
    poll = () => api.call(show, { path: param ? { [param.name]: id } : {} });
  } else {
    const seen = [`no operation in the answer (${o.header ? `header ${o.header}` : `at ${o.id}`})`];
    return { observation: { seen, outcome: 'unexpected', elapsedMs: 0, budgetMs: api.stateBudgetMs }, exchanges: [answer], final: answer };
  }
  // An operation already over when the write answered needs no poll.
  const first = operationState(o, answer);
  if (first === o.done || o.failed.includes(first)) return { observation: { seen: [first], outcome: first === o.done ? 'reached' : 'failed', elapsedMs: 0, budgetMs: api.stateBudgetMs }, exchanges: [answer], final: answer };
  const wait = await waitForState(poll, (e) => operationState(o, e), { target: o.done, allowed: o.pending, failed: o.failed, budgetMs: api.stateBudgetMs, since, transition: `${api.profile.id}:operation` }, api.transitions);
  return { ...wait, final: wait.exchanges.at(-1) ?? answer };
}
