// Playwright's global tear-down for the suite: the clean-up after the tests (see setup.ts). A
// tear-down of its own, not one the set-up returns: Playwright runs it also when the set-up was
// interrupted half-way, so the parents already made are removed too.
import type { FullConfig } from '@playwright/test';
import { Redactor } from '../http/redact.ts';
import { readSettings, secretsOf } from './settings.ts';
import { afterTests } from './setup.ts';

export default async function globalTeardown(_config: FullConfig): Promise<void> {
  const run = readSettings();
  const redactor = new Redactor(secretsOf(run));
  await afterTests(run, (line) => redactor.text(line));
}
