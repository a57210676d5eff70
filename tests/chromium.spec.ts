// The test command's first step: Debian's Chromium for the report tests is there, installed, or named
// in one line with the command to run. Here: a binary that does not exist is said so at once.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './support/run-suite.ts';

test('a Chromium named by SC_CHROMIUM that does not exist stops the test command with one line', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/chromium.mjs')], { env: { ...process.env, SC_CHROMIUM: '/nonexistent/chromium' }, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual(['SC_CHROMIUM names /nonexistent/chromium, which does not exist']);
});

test('with Chromium there, the step says nothing and lets the tests run', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/chromium.mjs')], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout + r.stderr).toBe('');
});
