// Playwright's global set-up for the suite: the run's time budget starts, and every profile gets
// its parents (see setup.ts). Returns the global tear-down: the clean-up after the tests.
// The budget ends the tests as Ctrl-C would: Playwright then stops its workers and waits for them
// (its globalTimeout would leave them running while the clean-up lists the target).
import type { FullConfig } from '@playwright/test';
import { Redactor } from '../http/redact.ts';
import { writeState } from './outcome.ts';
import { readSettings } from './settings.ts';
import { afterTests, beforeTests } from './setup.ts';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const run = readSettings();
  const budget = setTimeout(() => {
    writeState(run.runDir, 'ended', 'budget');
    process.stdout.write(`\nthe run's time budget of ${run.budgetSeconds} s ran out: stopping the tests\n`);
    process.kill(process.pid, 'SIGINT');
  }, run.budgetSeconds * 1000);
  budget.unref();
  await beforeTests(run);
  return async () => {
    clearTimeout(budget);
    const redactor = new Redactor(Object.values(run.targets).map((t) => t.token));
    await afterTests(run, (line) => redactor.text(line));
  };
}
