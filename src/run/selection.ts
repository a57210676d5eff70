// Which tests of the plan a run runs: all of them, those whose title matches --grep, or those
// chosen by clause (--clause, --last-failed). The CLI checks the selection before anything is
// made (one that matches nothing is bad input); Playwright's spec and the in-process runner
// register the same tests. Written once, here.
import type { SuiteTest } from './context.ts';
import { ALONE_TAG } from './gate.ts';
import type { RunSettings } from './settings.ts';

/** A test's id across the run: "<profile> › <group> › <title>" (records name it without the profile). */
export const testId = (def: Pick<SuiteTest, 'profile' | 'group' | 'title'>) => `${def.profile} › ${def.group} › ${def.title}`;

/** Tags select what a run runs: the profile, and whether the test only reads. */
export const tagsOf = (def: SuiteTest) => [`@${def.profile}`, ...(def.readOnly ? ['@read-only'] : []), ...(def.alone ? [ALONE_TAG] : [])];

/** What --grep matches: the test's id and its tags. */
export const grepSubject = (def: SuiteTest) => [testId(def), ...tagsOf(def)].join(' ');

export function selectTests(plan: SuiteTest[], run: Pick<RunSettings, 'grep' | 'tests'>): SuiteTest[] {
  const grep = run.grep ? new RegExp(run.grep) : undefined;
  const ids = run.tests && new Set(run.tests);
  return plan.filter((def) => (!grep || grep.test(grepSubject(def))) && (!ids || ids.has(testId(def))));
}
