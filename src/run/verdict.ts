// The verdict of a profile so far, from the records of its tests: what the verdict test of a
// Playwright run asserts (it runs last), so that a non-conformant target fails the run there too.
// The same verdict, exit code and reason as the report's (src/report/verdict.ts): the terminal
// never shows a passing verdict test above a failing report.
import { resultsOf } from './outcome.ts';
import type { RunSettings } from './settings.ts';
import type { Verdict } from '../report/verdict.ts';

/** The title of each profile's verdict test (it fails by design when the profile's verdict does). */
export const VERDICT_TITLE = 'verdict';

export function verdictOf(run: RunSettings, profile: string): Verdict {
  const { verdict, exitCode, reason } = resultsOf(run, profile, { startedAt: new Date(), durationMs: 0 });
  return { verdict, exitCode, reason };
}
