// The fault matrix: the whole suite (in process: the same tests, set-up, clean-up and results as a
// CLI run) against each reference server once correct and once per named fault. The correct server
// must pass every clause with nothing left behind; each fault must be caught by the clauses meant
// for it (specs/fault-matrix.yaml) and by no others. Every profile must have its rows.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { referenceServers } from '../src/servers/index.ts';
import { profileIds } from '../src/profile/load.ts';
import { runInProcessAgainst, type InProcessRun } from './support/in-process.ts';
import { ROOT } from './support/run-suite.ts';
import { readRecords } from '../src/run/records.ts';
import { CLAUSE_MAP } from '../suites/clause-map.ts';

interface Expectation {
  catches?: string[];
  also?: string[];
  residue?: boolean;
  /** The fault keeps the suite from setting up: suite errors are expected. */
  blocks?: boolean;
  'not-applicable'?: string;
}
const matrix: Record<string, Record<string, Expectation>> = parse(readFileSync(join(ROOT, 'specs/fault-matrix.yaml'), 'utf8'));

const failing = (run: InProcessRun) => run.results.clauses.filter((c) => c.status === 'fail').map((c) => c.id).sort();

test('every profile with a reference server has its rows in the matrix', () => {
  expect(profileIds().filter((p) => referenceServers[p] && !matrix[p])).toEqual([]);
});

for (const profile of profileIds().filter((p) => referenceServers[p])) {
  const rows = matrix[profile] ?? {};
  test.describe(profile, () => {
    test('the correct reference server passes every clause, and nothing is left on it', async () => {
      const run = await runInProcessAgainst(profile);
      expect(run.results.errors).toEqual([]);
      expect(run.results.clauses.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status} ${c.reason ?? ''}`)).toEqual([]);
      expect(run.results.verdict).toBe('conformant');
      expect(leftBehind(profile, run.inventory)).toEqual([]);
      // `run --clause ID` selects by suites/clause-map.ts: every clause has a test there that judged
      // it in this run, and every test it names exists (else: npm run clause-map).
      const judged = new Map<string, Set<string>>();
      for (const r of readRecords(run.dir, profile)) if (r.test) judged.set(r.test, new Set(r.findings.map((f) => f.clause)));
      const map = CLAUSE_MAP[profile] ?? {};
      expect(Object.keys(map).filter((t) => !judged.has(t)), 'tests the clause map names that did not run').toEqual([]);
      const unselectable = run.results.clauses.map((c) => c.id).filter((id) => !Object.entries(map).some(([t, clauses]) => clauses.includes(id) && judged.get(t)?.has(id)));
      expect(unselectable, 'clauses --clause would not test (npm run clause-map)').toEqual([]);
    });

    test('every fault of the server has a row in the matrix', () => {
      expect(Object.keys(rows).sort()).toEqual(Object.keys(referenceServers[profile]!.faults).sort());
    });

    for (const [fault, expected] of Object.entries(rows)) {
      if (expected['not-applicable']) continue;
      test(`fault ${fault} is caught by ${expected.catches!.join(', ')}`, async () => {
        const run = await runInProcessAgainst(profile, { faults: [fault] });
        const failed = failing(run);
        const allowed = new Set([...expected.catches!, ...(expected.also ?? [])]);
        expect(failed.filter((id) => !allowed.has(id)), 'clauses that should not have failed').toEqual([]);
        expect(expected.catches!.filter((id) => !failed.includes(id)), 'clauses that should have failed').toEqual([]);
        const must = run.results.clauses.filter((c) => c.level === 'MUST');
        if (must.some((c) => c.status === 'fail')) expect(run.results.verdict, 'a MUST failure makes the run not conformant').toBe('not conformant');
        else if (must.every((c) => c.status === 'pass')) expect(run.results.verdict, 'a SHOULD-only failure leaves it conformant').toBe('conformant');
        if (!expected.residue && !expected.blocks) expect(run.results.errors.map((e) => e.message.split('\n')[0])).toEqual([]);
        if (!expected.residue) expect(leftBehind(profile, run.inventory)).toEqual([]);
        // What the report says is still on the target is there: seen by a fresh read, never inferred
        // from a removal that went wrong (a 500 to the show of a deleted resource).
        const held = new Set(leftBehind(profile, run.inventory).map((item) => item.split(' ')[1]));
        expect((run.results.cleanup?.notRemoved ?? []).filter((f) => !held.has(f.id)).map((f) => `${f.kind} ${f.id}: ${f.reason}`), 'reported as left, yet gone').toEqual([]);
      });
    }
  });
}

/** What a run left on the server: everything of the kinds clients make. */
function leftBehind(profile: string, inventory: Record<string, Array<{ id: string }>>): string[] {
  const provided = referenceServers[profile]!.provided ?? [];
  return Object.entries(inventory).flatMap(([kind, items]) => (provided.includes(kind) ? [] : items.map((i) => `${kind} ${i.id}`)));
}
