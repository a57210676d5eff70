// The suite as data: every test of every chosen profile, longest first (the lifecycle property is
// the longest chain of a run, so it starts first). Playwright's spec files register them; the
// in-process runner runs them directly. The same tests, whoever schedules them.
import type { SuiteTest } from '../src/run/context.ts';
import { loadProfile } from '../src/profile/load.ts';
import { authTests } from './auth.ts';
import { contractTests } from './contract.ts';
import { lifecycleTests } from './lifecycle.ts';
import { limitTests } from './limits.ts';
import { listTests } from './lists.ts';
import { microversionTests } from './microversions.ts';
import { readingTests } from './reading.ts';

export function suitePlan(profiles: string[]): SuiteTest[] {
  const tests = profiles.flatMap((id) => {
    const profile = loadProfile(id);
    return [lifecycleTests, contractTests, authTests, microversionTests, readingTests, listTests, limitTests].flatMap((make) => make(profile));
  });
  // Stable: equal weights keep the order above, profile by profile.
  return tests.sort((a, b) => b.weight - a.weight);
}
