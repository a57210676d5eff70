// The suite as data: every test of every chosen profile, longest first (the lifecycle property is
// the longest chain of a run, so it starts first). Playwright's spec files register them; the
// in-process runner runs them directly. The same tests, whoever schedules them.
import type { SuiteTest } from '../src/run/context.ts';
import { loadProfile, type Profile } from '../src/profile/load.ts';
import { clausesOfAnswers } from '../src/findings/judge.ts';
import { authTests } from './auth.ts';
import { contractTests } from './contract.ts';
import { lifecycleTests } from './lifecycle.ts';
import { limitTests } from './limits.ts';
import { listTests } from './lists.ts';
import { microversionTests } from './microversions.ts';
import { readingTests } from './reading.ts';

const MAKERS = [lifecycleTests, contractTests, authTests, microversionTests, readingTests, listTests, limitTests];

export function suitePlan(profiles: string[]): SuiteTest[] {
  const tests = profiles.flatMap((id) => {
    const profile = loadProfile(id);
    return MAKERS.flatMap((make) => make(profile));
  });
  // Stable: equal weights keep the order above, profile by profile.
  return tests.sort((a, b) => b.weight - a.weight);
}

/**
 * What the suite can judge of a profile, asked of the tests it registers (and of the automatic
 * checks of every answer): the clauses some test judges, and for others what the profile lacks
 * for the tests that would judge them. The profile check reports the MUST clauses none judges.
 */
export function judgedClauses(profile: Profile): { judged: Set<string>; lacking: Map<string, string[]> } {
  const judged = new Set(clausesOfAnswers(profile));
  const lacking = new Map<string, string[]>();
  for (const use of MAKERS.flatMap((make) => make(profile)).flatMap((test) => test.clauses())) {
    if (typeof use === 'string') judged.add(use);
    else lacking.set(use.clause, [...(lacking.get(use.clause) ?? []), use.lacking]);
  }
  for (const clause of judged) lacking.delete(clause);
  return { judged, lacking };
}
