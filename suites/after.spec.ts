// After the other tests (Playwright's teardown project, so it runs whatever their outcome): per
// profile, in order, the tests that need the target to themselves, then the verdict, a test that
// fails when a MUST clause failed, so that plain `npx playwright test` shows a non-conformant
// target as failed. Profiles run side by side; within one, one test at a time.
import { readSettings } from '../src/run/settings.ts';
import { verdictOf } from '../src/run/verdict.ts';
import { register, test } from './fixtures.ts';
import { suitePlan } from './plan.ts';

const run = readSettings();
for (const profile of run.profiles) {
  test.describe(profile, () => {
    test.describe.configure({ mode: 'default' });
    register(suitePlan([profile]).filter((def) => def.alone), true);
    test('verdict: every MUST clause holds', { tag: `@${profile}` }, () => {
      const verdict = verdictOf(run, profile);
      if (verdict.failing.length) throw new Error(`${profile} is not conformant: ${verdict.failing.join('; ')}`);
    });
  });
}
