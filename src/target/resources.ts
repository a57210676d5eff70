// Working with the resources of a profile on a target: filling path parameters, the one waiter
// that polls a resource's status, and the cleanup that deletes what the run created.
import type { TargetClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { operation, type Operation } from '../profile/load.ts';
import type { StateObservation } from '../checks/resource.ts';
import type { Ledger } from './ledger.ts';
import { getAt } from '../util/pointer.ts';

/** Path parameters of an operation: by x-fixture (resource, parent), else by name. */
export function pathParams(op: Operation, fixtures: { resource?: string; parent?: string }, byName: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in !== 'path') continue;
    const value = byName[p.name] ?? (p.fixture ? fixtures[p.fixture as keyof typeof fixtures] : undefined) ?? (p.example as string | undefined);
    if (value === undefined) throw new Error(`no value for path parameter ${p.name} of ${op.id}`);
    out[p.name] = value;
  }
  return out;
}

/**
 * A value a path segment can carry: "." and ".." would be read as path steps, and servers decode
 * %2F into a "/" that splits the path (real Cinder answers such a per-key read with a bare 404).
 */
export const addressable = (value: unknown): value is string => typeof value === 'string' && !/^\.{1,2}$/.test(value) && !value.includes('/');

export interface WaitSpec {
  /** A status to reach, or "gone" (404); null: any status that is not in `allowed` ends the wait. */
  target: string | null;
  /** Statuses that may be seen on the way ('any': all of them). */
  allowed: string[] | 'any';
  /** Statuses that end the wait as failed (fail fast). */
  failed: string[];
  budgetMs: number;
}

export interface WaitResult {
  observation: StateObservation;
  /** Every poll, in order: evidence when the wait fails. */
  exchanges: Exchange[];
}

export const GONE = 'gone';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one waiter: polls show with backing-off intervals until the target state, a failed state, a
 * state that is not allowed, or the end of the budget, and says what it saw.
 */
export async function waitForState(client: TargetClient, showOp: string, fixtures: { resource?: string; parent?: string }, statusPointer: string, spec: WaitSpec): Promise<WaitResult> {
  const op = operation(client.profile, showOp);
  const start = performance.now();
  const seen: string[] = [];
  const exchanges: Exchange[] = [];
  let interval = 50;
  const note = (s: string) => {
    if (seen.at(-1) !== s) seen.push(s);
  };
  let lastSeenFirstMs: number | undefined;
  const done = (outcome: StateObservation['outcome']): WaitResult => ({
    observation: { seen, outcome, elapsedMs: Math.round(performance.now() - start), budgetMs: spec.budgetMs, lastSeenFirstMs },
    exchanges,
  });
  for (;;) {
    const ex = await client.call(showOp, { path: pathParams(op, fixtures) });
    exchanges.push(ex);
    if (!ex.response) return done('no-answer');
    const status = ex.response.status === 404 ? GONE : String(getAt(ex.response.json, statusPointer) ?? `HTTP ${ex.response.status}`);
    note(status);
    if (seen.length === 1 && status !== spec.target) lastSeenFirstMs = Math.round(performance.now() - start);
    const allowed = spec.allowed === 'any' || spec.allowed.includes(status);
    if (spec.target === null ? !allowed : status === spec.target) return done('reached');
    if (spec.failed.includes(status)) return done('failed');
    if (!allowed) return done('unexpected');
    const elapsed = performance.now() - start;
    if (elapsed >= spec.budgetMs) return done('timeout');
    await sleep(Math.min(interval, spec.budgetMs - elapsed));
    interval = Math.min(interval * 1.5, 3000);
  }
}

/** The time budget for state changes: the profile's, unless the run sets one. */
export function stateBudgetMs(client: TargetClient): number {
  return 1000 * (client.target.stateTimeoutSeconds ?? client.profile.conformance.resource.states.budgetSeconds);
}

export interface CleanupFailure {
  kind: string;
  id: string;
  reason: string;
  /** Where it stopped: never left a transient state, delete refused, or never gone after delete. */
  phase: 'settle' | 'delete' | 'gone';
  observation?: StateObservation;
  exchanges: Exchange[];
}

export interface CleanupReport {
  deleted: string[];
  failed: CleanupFailure[];
}

/**
 * Deletes what the ledger holds, resources before their parents (parents only withParents): waits
 * until each can be deleted, deletes it and waits until it is gone. Never throws; says what it
 * could not remove, and where it stopped.
 */
export async function cleanup(client: TargetClient, ledger: Ledger, only?: (e: { id?: string }) => boolean, withParents = true): Promise<CleanupReport> {
  const profile = client.profile;
  const c = profile.conformance;
  const r = c.resource;
  const p = c.fixtures.parent;
  const report: CleanupReport = { deleted: [], failed: [] };
  type Kind = { kind: string; fixture: 'resource' | 'parent'; show: string; del: string; status: string; transient: string[] };
  const kinds: Kind[] = [
    // A delete the tests sent just before they stopped may still be going on: waited through too,
    // where deleting is a state of its own (DWS shows a snapshot being deleted as AVAILABLE).
    { kind: r.wrapper, fixture: 'resource', show: r.operations.show, del: r.operations.delete, status: `/${r.wrapper}/${r.fields.status}`, transient: [...r.states.transient, ...r.states.deleting.filter((s) => !r.states.deletableFrom.includes(s) && s !== r.states.ready)] },
  ];
  // Parents only where the run can make (and so delete) them.
  if (withParents && p.create && p.delete) {
    kinds.push({ kind: operation(profile, p.create).creates ?? 'parent', fixture: 'parent', show: p.show, del: p.delete, status: p.status, transient: p.transient ?? ['creating'] });
  }
  const budgetMs = stateBudgetMs(client);
  for (const k of kinds) {
    const entries = ledger.outstanding(k.kind).filter((e) => !only || only(e));
    await Promise.all(
      entries.map(async (entry) => {
        const id = entry.id!;
        const fixtures = { [k.fixture]: id };
        const fail = (phase: CleanupFailure['phase'], reason: string, exchanges: Exchange[], observation?: StateObservation) =>
          report.failed.push({ kind: k.kind, id, reason, phase, observation, exchanges });
        if (entry.state === 'created') {
          const settled = await waitForState(client, k.show, fixtures, k.status, { target: null, allowed: k.transient, failed: [], budgetMs });
          const now = settled.observation.seen.at(-1) ?? 'unknown';
          if (now !== GONE) {
            // Best effort: a status the profile does not know is no reason not to try.
            if (k.transient.includes(now)) return fail('settle', `it stayed ${now}`, settled.exchanges.slice(-1), settled.observation);
            const del = await client.call(k.del, { path: pathParams(operation(profile, k.del), fixtures) });
            const s = del.response?.status ?? 0;
            if (s !== 404 && (s < 200 || s >= 300)) return fail('delete', `delete answered ${del.response ? s : del.error}`, [del]);
          }
        }
        // A 500 says nothing of the resource and will not change by waiting: it is reported, not waited out.
        const gone = await waitForState(client, k.show, fixtures, k.status, { target: GONE, allowed: 'any', failed: ['HTTP 500'], budgetMs });
        if (gone.observation.outcome !== 'reached') {
          return fail('gone', `not gone after ${gone.observation.elapsedMs} ms (saw ${gone.observation.seen.join(' -> ')})`, gone.exchanges.slice(-1), gone.observation);
        }
        ledger.gone(entry);
        report.deleted.push(id);
      }),
    );
  }
  return report;
}
