// Shrinking a failing lifecycle case has a time budget of its own: past it, shrinking stops with
// the smallest case found, and the report says how far it got and still gives the command that
// replays the case. (In process, against a server whose snapshots all end in error.)
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcessAgainst } from './support/in-process.ts';

const counterexampleOf = (results: any) => results.clauses.flatMap((c: any) => c.findings).find((f: any) => f.counterexample)?.counterexample;

test('a shrink budget that runs out stops shrinking, and the report says so', async () => {
  const cut = await runInProcessAgainst('cinder-v3', { faults: ['error-on-create'], settings: { shrinkBudgetSeconds: 0.001, examples: 4 } });
  const ce = counterexampleOf(cut.results);
  expect(ce, 'the property found the defect').toBeDefined();
  expect(ce.shrink.stoppedByBudget).toBe(true);
  expect(ce.shrink.budgetSeconds).toBe(0.001);
  expect(ce.replay).toMatch(/--seed \d+ --replay-path '[^']+' --concurrency 1 --grep 'lifecycle property'/);
  expect(ce.commands.length).toBeGreaterThan(0);
  const page = readFileSync(join(cut.dir, 'index.html'), 'utf8');
  expect(page).toMatch(/data-testid="shrink">Shrinking took \d+ step\(s\) in [\d.]+ s, and was stopped by its time budget of 0.001 s/);

  const whole = await runInProcessAgainst('cinder-v3', { faults: ['error-on-create'], settings: { shrinkBudgetSeconds: 60, examples: 4 } });
  const full = counterexampleOf(whole.results);
  expect(full.shrink.stoppedByBudget).toBe(false);
  expect(full.shrink.steps).toBeGreaterThan(0);
  // Shrunk further than the cut one: at most as many commands.
  expect(full.commands.length).toBeLessThanOrEqual(ce.commands.length);
});
