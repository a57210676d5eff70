// Runs a plan of the suite in this process, without Playwright: the same tests, set-up, clean-up
// and report as a Playwright run, with tests side by side up to a bound. The project's fault
// matrix and the bench use it to run the suite many times without starting processes.
import type { SuiteTest } from './context.ts';
import { executeTest, testTitle } from './execute.ts';
import { writeReport, type WrittenReport } from '../report/write.ts';
import { Redactor } from '../http/redact.ts';
import type { SuiteError } from '../report/results.ts';
import type { Transitions } from '../resources/waiter.ts';
import { afterTests, beforeTests } from './setup.ts';
import { secretsOf, type RunSettings } from './settings.ts';
import { newTransitions, openWorld } from './world.ts';
import { selectTests } from './selection.ts';
import { readState, type Ended } from './outcome.ts';

class Skipped extends Error {}

export interface InProcessOptions {
  /** Tests that run at once (a Playwright run's workers). */
  concurrency?: number;
  /** Says nothing on the terminal (the clean-up's lines). */
  quiet?: boolean;
}

export async function runInProcess(run: RunSettings, plan: SuiteTest[], options: InProcessOptions = {}): Promise<WrittenReport> {
  const started = new Date();
  const t0 = performance.now();
  const errors = new Map<string, SuiteError[]>();
  const transitions = new Map<string, Transitions>(run.profiles.map((p) => [p, newTransitions(run, p)]));
  let n = 0;
  // --max-failures reached: no test starts after it.
  let stopped = false;
  const one = async (def: SuiteTest, slot: number) => {
    if (stopped) return;
    const world = openWorld(run, def.profile, { processes: 1, tag: `t${++n}-`, transitions: transitions.get(def.profile) });
    try {
      await executeTest(def, world, { skip: (reason) => { throw new Skipped(reason); }, parentIndex: slot, stopRun: () => (stopped = true) });
    } catch (error) {
      if (error instanceof Skipped) return;
      // The record holds the error; this keeps what the record could not (it is the test's own).
      const list = errors.get(def.profile) ?? [];
      list.push({ test: testTitle(def), message: String((error as Error)?.message ?? error) });
      errors.set(def.profile, list);
    }
  };
  const parents = beforeTests(run);
  const chosen = selectTests(plan, run);
  // Side by side up to the bound, longest first; then, per profile, what needs the target alone.
  await pool(chosen.filter((d) => !d.alone), options.concurrency ?? run.workers, one);
  await Promise.all(run.profiles.map(async (p) => {
    for (const def of chosen.filter((d) => d.alone && d.profile === p)) await one(def, 0);
  }));
  await parents;
  const redactor = new Redactor(secretsOf(run));
  const cleanup = await afterTests(run, (line) => redactor.text(line), options.quiet);
  return writeReport(run, errors, { startedAt: started, durationMs: Math.round(performance.now() - t0), cleanup, ended: readState<Ended>(run.runDir, 'ended') });
}

/** Runs the items with at most `size` at once, each told its slot. */
async function pool<T>(items: T[], size: number, run: (item: T, slot: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async (_, slot) => {
      while (next < items.length) await run(items[next++]!, slot);
    }),
  );
}
