// The verdict of a profile so far, from the records of its tests: what the verdict test of a
// Playwright run asserts (it runs last), so that a non-conformant target fails the run there too.
import { resultsOf } from './outcome.ts';
import type { RunSettings } from './settings.ts';

/** The title of each profile's verdict test (it fails by design when a MUST clause failed). */
export const VERDICT_TITLE = 'verdict: every MUST clause holds';

export function verdictOf(run: RunSettings, profile: string): { conformant: boolean; failing: string[] } {
  const started = Date.now();
  const results = resultsOf(run, profile, { startedAt: new Date(started), durationMs: 0 });
  const failing = results.clauses.filter((c) => c.level === 'MUST' && c.status === 'fail').map((c) => `${c.id} ${c.title}: ${c.findings.map((f) => f.title).join(', ')}`);
  return { conformant: failing.length === 0, failing };
}
