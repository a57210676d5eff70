// Playwright's global set-up for the suite: the run's time budget starts, and the making of every
// profile's parents begins (see setup.ts); it goes on while Playwright starts the workers. The budget ends the tests as Ctrl-C would: Playwright then stops its
// workers and waits for them (its globalTimeout would leave them running while the clean-up lists
// the target).
import type { FullConfig } from '@playwright/test';
import { readState, writeState } from './outcome.ts';
import { readSettings } from './settings.ts';
import { beforeTests } from './setup.ts';

export default async function globalSetup(_config: FullConfig): Promise<void> {
  const run = readSettings();
  const budget = setTimeout(() => {
    // Already stopping (--max-failures): a second interrupt would end the test runner at once.
    if (readState(run.runDir, 'ended')) return;
    writeState(run.runDir, 'ended', 'budget');
    process.stdout.write(`\nthe run's time budget of ${run.budgetSeconds} s ran out: stopping the tests\n`);
    process.kill(process.pid, 'SIGINT');
  }, run.budgetSeconds * 1000);
  budget.unref();
  // The parents are made while the workers start: the tests wait for them.
  void beforeTests(run);
}
