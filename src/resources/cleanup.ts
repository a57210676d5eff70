// Removing what the run created: each resource the ledger still holds is waited on until it can be
// deleted, deleted, and waited on until it is gone; resources before their parents. Never throws;
// says what it could not remove, and where it stopped.
import type { Exchange } from '../http/exchange.ts';
import type { StateObservation } from '../checks/resource.ts';
import { GONE, type ProfileApi } from '../profile/api.ts';
import type { WaitResult } from './waiter.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';

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

interface Kind {
  kind: string;
  transient: string[];
  wait: (id: string, spec: { target: string | null; allowed: string[] | 'any'; failed: string[]; transition: string; ageMs?: number }) => Promise<WaitResult>;
  del: (id: string) => Promise<Exchange>;
}

/**
 * How long ago the entry entered its state: a wait on it gets what is left of its budget, so no
 * resource is waited on for more than one budget per change, however often it is cleaned up.
 */
const ageOf = (entry: LedgerEntry) => (entry.changedAt === undefined ? undefined : Math.max(0, Date.now() - entry.changedAt));

/**
 * Deletes what the ledger holds (only the entries `only` accepts; parents too with withParents):
 * resources first, then their parents.
 */
export async function cleanup(api: ProfileApi, ledger: Ledger, only?: (e: LedgerEntry) => boolean, withParents = true): Promise<CleanupReport> {
  const s = api.model.resource.states;
  const report: CleanupReport = { deleted: [], failed: [] };
  const kinds: Kind[] = [
    {
      kind: api.model.resource.kind,
      // A delete the tests sent just before they stopped may still be going on: waited through too,
      // where deleting is a state of its own (DWS shows a snapshot being deleted as AVAILABLE).
      transient: s ? [...s.transient, ...s.deleting.filter((d) => !s.deletableFrom.includes(d) && d !== s.ready)] : [],
      wait: (id, spec) => api.waitUntil(id, { ...spec, transition: spec.transition as 'ready' | 'gone' }),
      del: (id) => api.delete(id),
    },
  ];
  const parent = api.parent;
  if (withParents && parent.makeable) {
    kinds.push({ kind: parent.kind, transient: parent.transient, wait: (id, spec) => parent.waitUntil(id, spec), del: (id) => parent.delete(id) });
  }
  for (const k of kinds) {
    const entries = ledger.outstanding(k.kind).filter((e) => !only || only(e));
    await Promise.all(
      entries.map(async (entry) => {
        const id = entry.id!;
        const fail = (phase: CleanupFailure['phase'], reason: string, exchanges: Exchange[], observation?: StateObservation) =>
          report.failed.push({ kind: k.kind, id, reason, phase, observation, exchanges });
        if (entry.state === 'created') {
          const settled = await k.wait(id, { target: null, allowed: k.transient, failed: [], transition: 'ready', ageMs: ageOf(entry) });
          const now = settled.observation.seen.at(-1) ?? 'unknown';
          if (now !== GONE) {
            // Best effort: a status the profile does not know is no reason not to try.
            if (k.transient.includes(now)) return fail('settle', `it stayed ${now}`, settled.exchanges.slice(-1), settled.observation);
            const del = await k.del(id);
            const status = del.response?.status ?? 0;
            if (status !== 404 && (status < 200 || status >= 300)) return fail('delete', `delete answered ${del.response ? status : del.error}`, [del]);
          }
        }
        // A 500 says nothing of the resource and will not change by waiting: reported, not waited out.
        // A delete accepted earlier (by a test, or just now) has had that part of its time.
        const gone = await k.wait(id, { target: GONE, allowed: 'any', failed: ['HTTP 500'], transition: 'gone', ageMs: entry.state === 'deleting' ? ageOf(entry) : undefined });
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
