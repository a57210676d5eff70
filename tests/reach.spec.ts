// What each test says it judges (SuiteTest.clauses) and what every judged answer is checked for
// (clausesOfAnswers), which `snapshot-conformance check` counts as reachable, is what a run of each
// shipped profile against its reference server judged: a claim of a clause no test judges would let
// the check call an unreachable clause reachable.
import { test, expect } from '@playwright/test';
import { loadProfile, profileIds } from '../src/profile/load.ts';
import { clausesOfAnswers } from '../src/findings/judge.ts';
import { readRecords } from '../src/run/records.ts';
import { testTitle } from '../src/run/execute.ts';
import { suitePlan } from '../suites/plan.ts';
import { runInProcessAgainst } from './support/in-process.ts';

for (const id of profileIds()) {
  test(`${id}: every test judges the clauses it says it judges`, async () => {
    const run = await runInProcessAgainst(id);
    const records = readRecords(run.dir, id);
    const claimedNotJudged: string[] = [];
    for (const def of suitePlan([id])) {
      const record = records.find((r) => r.test === testTitle(def));
      expect(record, `${testTitle(def)} ran`).toBeTruthy();
      expect(record!.skipped, `${testTitle(def)} ran to its end`).toBeUndefined();
      const judged = new Set(record!.findings.map((f) => f.clause));
      for (const clause of def.clauses()) if (typeof clause === 'string' && !judged.has(clause)) claimedNotJudged.push(`${testTitle(def)}: ${clause}`);
    }
    // And what every judged answer is checked for, by some test.
    const judgedAnywhere = new Set(records.flatMap((r) => r.findings.map((f) => f.clause)));
    for (const clause of clausesOfAnswers(loadProfile(id))) if (!judgedAnywhere.has(clause)) claimedNotJudged.push(`every answer: ${clause}`);
    expect(claimedNotJudged).toEqual([]);
  });
}
