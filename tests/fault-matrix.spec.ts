// The fault matrix: the whole suite, through the CLI, against each reference server once correct
// and once per named fault. The correct server must pass every clause with nothing left behind;
// each fault must be caught by the clauses meant for it (fault-matrix.yaml) and by no others.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { referenceServers } from '../src/servers/index.ts';
import { profileIds } from '../src/profile/load.ts';
import { failing, ROOT, runSuite } from './support/run-suite.ts';

interface Expectation {
  catches?: string[];
  also?: string[];
  residue?: boolean;
  /** The fault keeps the suite from setting up: suite errors are expected. */
  blocks?: boolean;
  'not-applicable'?: string;
}
const matrix: Record<string, Record<string, Expectation>> = parse(readFileSync(join(ROOT, 'tests/fault-matrix.yaml'), 'utf8'));

for (const profile of profileIds().filter((p) => referenceServers[p] && matrix[p])) {
  test.describe(profile, () => {
    test('the correct reference server passes every clause, and nothing is left on it', async () => {
      const run = await runSuite(profile);
      expect(run.results, run.stderr).toBeDefined();
      expect(run.results.errors).toEqual([]);
      expect(run.results.clauses.filter((c: any) => c.status !== 'pass').map((c: any) => `${c.id} ${c.status}`)).toEqual([]);
      expect(run.code).toBe(0);
      expect(leftBehind(profile, run.inventory)).toEqual([]);
    });

    test('every fault of the server has a row in the matrix', () => {
      expect(Object.keys(matrix[profile]!).sort()).toEqual(Object.keys(referenceServers[profile]!.faults).sort());
    });

    for (const [fault, expected] of Object.entries(matrix[profile]!)) {
      if (expected['not-applicable']) continue;
      test(`fault ${fault} is caught by ${expected.catches!.join(', ')}`, async () => {
        const run = await runSuite(profile, { faults: [fault] });
        expect(run.results, run.stderr).toBeDefined();
        const failed = failing(run.results);
        const allowed = new Set([...expected.catches!, ...(expected.also ?? [])]);
        expect(failed.filter((id) => !allowed.has(id)), 'clauses that should not have failed').toEqual([]);
        expect(expected.catches!.filter((id) => !failed.includes(id)), 'clauses that should have failed').toEqual([]);
        expect(run.code, 'a MUST failure exits 1, a SHOULD-only failure 0').toBe(run.results.verdict === 'conformant' ? 0 : 1);
        if (!expected.residue && !expected.blocks) expect(run.results.errors.map((e: any) => e.message.split('\n')[0])).toEqual([]);
        if (!expected.residue) expect(leftBehind(profile, run.inventory)).toEqual([]);
      });
    }
  });
}

/** What a run left on the server: everything of the kinds clients make. */
function leftBehind(profile: string, inventory: Record<string, Array<{ id: string }>>): string[] {
  const provided = referenceServers[profile]!.provided ?? [];
  return Object.entries(inventory).flatMap(([kind, items]) => (provided.includes(kind) ? [] : items.map((i) => `${kind} ${i.id}`)));
}
