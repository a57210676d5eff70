// The suite under Playwright, one project for every profile, so that the workers (one process
// each) live for the whole run. First every test that can share the target, longest first; then,
// per profile and in order, what needs the target alone (it waits until the profile's other tests
// have ended) and the verdict: a test that fails when the report's verdict does (a MUST clause
// failed or untested, an expectation out of date), so that plain `npx playwright test` shows a
// non-conformant target as failed. Profiles run side by side.
import { readSettings } from '../src/run/settings.ts';
import { VERDICT_TITLE, verdictOf } from '../src/run/verdict.ts';
import { waitAlone } from '../src/run/gate.ts';
import { register, test } from './fixtures.ts';
import { suitePlan } from './plan.ts';
import { selectTests } from '../src/run/selection.ts';

const run = readSettings();
// The tests the run asked for (--grep, --clause, --last-failed); the verdict of each profile always.
const plan = selectTests(suitePlan(run.profiles), run);
register(plan.filter((def) => !def.alone));
for (const profile of run.profiles) {
  test.describe(profile, () => {
    test.describe.configure({ mode: 'default' });
    register(plan.filter((def) => def.alone && def.profile === profile), true);
    test(VERDICT_TITLE, { tag: `@${profile}` }, async () => {
      // Every other test of the profile was given out before this one: it waits for them to end.
      await waitAlone(run.runDir, profile);
      const verdict = verdictOf(run, profile);
      if (verdict.exitCode !== 0) throw new Error(`${profile}: ${verdict.verdict}: ${verdict.reason}`);
    });
  });
}
