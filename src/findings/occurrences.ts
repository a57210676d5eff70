// Where a finding was made. The same failure (same clause, check and title) is one finding with a
// count, but each place it was made (what the test was doing) stays listed with the exchanges that
// show it there, within bounds: a target that fails the same way ten thousand times must not make
// the report ten thousand exchanges long.
import type { Finding, Occurrence } from './types.ts';

export const OCCURRENCE_LIMITS = {
  /** Exchanges kept for one occurrence. */
  exchangesPerOccurrence: 3,
  /** Exchanges kept for one finding, over all its occurrences. */
  exchangesPerFinding: 12,
  /** Occurrences listed for one finding; the rest are counted. */
  occurrencesPerFinding: 30,
} as const;

/** The occurrences of a finding; one made before occurrences were recorded has one, its first. */
export function occurrencesOf(f: Finding): Occurrence[] {
  return f.occurrences ?? [{ context: f.context, count: f.count, exchanges: [...f.exchanges] }];
}

const keptExchanges = (list: Occurrence[]) => list.reduce((n, o) => n + o.exchanges.length, 0);

/**
 * Adds `count` occurrences made while doing `context`, shown by `exchanges`, to a finding (its
 * own count is the caller's). Returns the exchange ids it kept, which the caller must store;
 * those it could not keep are counted in `exchangesNotKept`, occurrences past the listing bound
 * in `occurrencesNotListed`.
 */
export function noteOccurrence(f: Finding, context: string | undefined, exchanges: string[], count = 1): string[] {
  const list = (f.occurrences = occurrencesOf(f));
  let target = list.find((o) => o.context === context);
  if (!target) {
    if (list.length >= OCCURRENCE_LIMITS.occurrencesPerFinding) {
      f.occurrencesNotListed = (f.occurrencesNotListed ?? 0) + count;
      f.exchangesNotKept = (f.exchangesNotKept ?? 0) + exchanges.length;
      return [];
    }
    target = { context, count: 0, exchanges: [] };
    list.push(target);
  }
  target.count += count;
  const kept: string[] = [];
  let budget = OCCURRENCE_LIMITS.exchangesPerFinding - keptExchanges(list);
  for (const id of exchanges) {
    if (target.exchanges.includes(id)) continue;
    if (budget > 0 && target.exchanges.length < OCCURRENCE_LIMITS.exchangesPerOccurrence) {
      target.exchanges.push(id);
      kept.push(id);
      budget--;
    } else f.exchangesNotKept = (f.exchangesNotKept ?? 0) + 1;
  }
  return kept;
}

/** Adds the occurrences of `from` (the same failure, made elsewhere) to `into`; returns the exchange ids kept. */
export function mergeOccurrences(into: Finding, from: Finding): string[] {
  const kept: string[] = [];
  for (const o of occurrencesOf(from)) kept.push(...noteOccurrence(into, o.context, o.exchanges, o.count));
  into.occurrencesNotListed = sum(into.occurrencesNotListed, from.occurrencesNotListed);
  into.exchangesNotKept = sum(into.exchangesNotKept, from.exchangesNotKept);
  return kept;
}

/** Every exchange id a finding keeps as evidence. */
export const evidenceOf = (f: Finding): string[] => [...new Set([...f.exchanges, ...occurrencesOf(f).flatMap((o) => o.exchanges)])];

function sum(a?: number, b?: number): number | undefined {
  const n = (a ?? 0) + (b ?? 0);
  return n || undefined;
}
