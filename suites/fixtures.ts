// The one fixture layer of the Playwright runner: a worker holds, for each profile it meets, a
// world (the profile loaded and compiled once, the transport, the ledger), for the whole run.
// A test is run by executeTest, as the in-process runner runs it: its findings are recorded, they
// never fail the test (a failed test would cost Playwright a new worker process).
import { test as base } from '@playwright/test';
import type { TestInfo } from '@playwright/test';
import type { SuiteTest } from '../src/run/context.ts';
import { executeTest, testTitle, type RunnerHooks } from '../src/run/execute.ts';
import { readSettings } from '../src/run/settings.ts';
import { tagsOf } from '../src/run/selection.ts';
import { FINDING, RECORD } from '../src/findings/types.ts';
import { openWorld, type World } from '../src/run/world.ts';

interface Worlds {
  of(profile: string): World;
}

export const test = base.extend<object, { worlds: Worlds }>({
  worlds: [
    async ({}, use, workerInfo) => {
      const run = readSettings();
      const worlds = new Map<string, World>();
      await use({
        of(profile) {
          let world = worlds.get(profile);
          // Each worker is its own process: it takes its share of the rate, and names apart.
          if (!world) worlds.set(profile, (world = openWorld(run, profile, { processes: run.workers, tag: `w${workerInfo.workerIndex}-` })));
          return world;
        },
      });
      // Each test removed what it made; the run removes whatever is left after all the tests.
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/** How a Playwright test skips itself and shows its parts. */
export function hooks(testInfo: TestInfo): RunnerHooks {
  return {
    skip: (reason) => {
      testInfo.skip(true, reason);
      // testInfo.skip throws; this line is for the type (never).
      throw new Error(reason);
    },
    step: (title, body) => test.step(title, body),
    parentIndex: testInfo.parallelIndex,
    // The test runner is this worker's parent: an interrupt stops the tests as the time budget does.
    stopRun: () => process.kill(process.ppid, 'SIGINT'),
    recorded: (file) => void testInfo.annotations.push({ type: RECORD, description: file }),
  };
}


/** Registers tests of the plan with Playwright (inside a profile's describe, without the profile in the title). */
export function register(defs: SuiteTest[], inProfile = false): void {
  for (const def of defs) {
    test(inProfile ? testTitle(def) : `${def.profile} › ${testTitle(def)}`, { tag: tagsOf(def) }, async ({ worlds }, testInfo) => {
      const record = await executeTest(def, worlds.of(def.profile), hooks(testInfo));
      // The findings travel in the record file (the terminal reads it); these notes are for plain Playwright's reporters.
      for (const f of record.findings) if (f.outcome === 'fail') testInfo.annotations.push({ type: FINDING, description: `${f.clause} ${f.title}: expected ${f.expected}, got ${f.actual}` });
    });
  }
}
