// The verdict rules, on results made of records (no target): one rule for every kind of "not
// tested" in a full run, what the expectations accept, a run restricted on purpose judged on what
// it tested, and the exit code and reason results.json carries for each.
import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, TestRecord } from '../src/findings/types.ts';
import { loadProfile } from '../src/profile/load.ts';
import { profileResults, resultsJson, RESULTS_FORMAT, type ProfileInput } from '../src/report/results.ts';
import { readExpectations, type Expectation } from '../src/report/known.ts';

const profile = loadProfile('ntt-ecl');
const clauses = profile.clauseFile.clauses;
const pass = (clause: string): Finding => ({ clause, check: 'status.expected', outcome: 'pass', count: 1, exchanges: [] });
const fail = (clause: string, title = 'refused with 400 instead of 404'): Finding => ({ clause, check: 'refusal.status', outcome: 'fail', count: 1, title, expected: '404', actual: '400', status: 400, exchanges: [] });
const untestable = (clause: string, why: string): Finding => ({ clause, check: 'refusal.status', outcome: 'untestable', count: 1, title: why, exchanges: [] });
const record = (findings: Finding[]): TestRecord => ({ profile: profile.id, test: 'lifecycle › a test', findings, exchanges: [], timings: [], states: [] });
const SHOULD = clauses.find((c) => c.level === 'SHOULD')!.id;
const LIFE09 = 'ECL-LIFE-09';

/** Results of records where every clause passed, but for the findings given in place of a clause's. */
function results(replace: Record<string, Finding[]>, more: Partial<ProfileInput> = {}) {
  const findings = clauses.flatMap((c) => replace[c.id] ?? [pass(c.id)]);
  return profileResults({ profile, target: 'http://127.0.0.1:1/v1.0/t', seed: 1, startedAt: new Date(0), durationMs: 1, records: [record(findings)], errors: [], expectations: [], ...more });
}
const accept = (clause: string, reason = 'the target cannot show it'): Expectation => ({ clause, untested: true, reason });

test('a full run where every MUST clause passed is conformant: exit 0, and results.json says why in its format', () => {
  const r = results({});
  expect([r.verdict, r.exitCode]).toEqual(['conformant', 0]);
  expect(r.reason).toBe(`every MUST clause holds (${clauses.filter((c) => c.level === 'MUST').length} passed)`);
  const json = resultsJson(r);
  expect(json).toMatchObject({ formatVersion: RESULTS_FORMAT, verdict: 'conformant', exitCode: 0, reason: r.reason });
});

test('one rule for every "not tested" in a full run: a MUST clause not exercised, or not testable here, fails the run and is named with why', () => {
  const never = results({ [LIFE09]: [] });
  expect([never.verdict, never.exitCode]).toEqual(['not conformant', 1]);
  expect(never.reason).toBe(`${LIFE09} not tested`);
  // The case that used to pass: a timing precondition not shown.
  const here = results({ [LIFE09]: [untestable(LIFE09, 'the new parent was available once the create was answered')] });
  expect([here.verdict, here.exitCode]).toEqual(['not conformant', 1]);
  expect(here.reason).toBe(`${LIFE09} not testable here: the new parent was available once the create was answered`);
  // A test that judges it was skipped: which, and why (the quota above the probe's creates, say).
  const quota = 'limits › quota: creating past it is refused and creates nothing';
  const skipped = profileResults({
    profile, target: 'http://127.0.0.1:1/v1.0/t', seed: 1, startedAt: new Date(0), durationMs: 1, errors: [], expectations: [],
    records: [record(clauses.filter((c) => c.id !== LIFE09).map((c) => pass(c.id))), { ...record([]), test: quota, skipped: 'no refusal within 20 creates: the quota is higher' }],
    clauseMap: { [quota]: [LIFE09] },
  });
  expect([skipped.exitCode, skipped.reason]).toEqual([1, `${LIFE09} not tested: ${quota} was skipped: no refusal within 20 creates: the quota is higher`]);
  // A SHOULD clause not tested, or failing, does not decide the verdict.
  expect(results({ [SHOULD]: [] }).exitCode).toBe(0);
  expect(results({ [SHOULD]: [fail(SHOULD)] }).exitCode).toBe(0);
});

test('the expectations accept a clause as not tested, with a reason; an acceptance of a clause that was tested is out of date', () => {
  const accepted = results({ [LIFE09]: [untestable(LIFE09, 'no parent is slow enough')] }, { expectations: [accept(LIFE09)] });
  expect([accepted.verdict, accepted.exitCode]).toEqual(['conformant', 0]);
  expect(accepted.clauses.find((c) => c.id === LIFE09)).toMatchObject({ status: 'skip', accepted: 'the target cannot show it' });
  expect(accepted.reason).toMatch(/1 accepted as not tested/);
  // An acceptance covers no failure: a failing clause still fails.
  expect(results({ [LIFE09]: [fail(LIFE09)] }, { expectations: [accept(LIFE09)] }).exitCode).toBe(1);
  const stale = results({}, { expectations: [accept(LIFE09)] });
  expect([stale.verdict, stale.exitCode]).toEqual(['not conformant', 1]);
  expect(stale.reason).toBe(`${LIFE09} was tested though the expectations accept it as not tested (update the expectations file)`);
});

test('an expected failure that no longer fails makes the run not conformant, and says so', () => {
  const r = results({}, { expectations: [{ clause: LIFE09, reason: 'known defect' }] });
  expect([r.verdict, r.exitCode]).toEqual(['not conformant', 1]);
  expect(r.reason).toBe(`${LIFE09} passed though the expectations say it fails (update the expectations file)`);
  const known = results({ [LIFE09]: [fail(LIFE09)] }, { expectations: [{ clause: LIFE09, reason: 'known defect' }] });
  expect([known.verdict, known.exitCode]).toEqual(['conformant', 0]);
  expect(known.reason).toMatch(/1 failed as expected/);
});

test('a run restricted on purpose is judged on what it tested: exit 0 when nothing it tested failed, 1 when something did', () => {
  const untested = Object.fromEntries(clauses.slice(5).map((c) => [c.id, []]));
  const readOnly = results(untested, { readOnly: true, restricted: 'read-only' });
  expect([readOnly.verdict, readOnly.exitCode]).toEqual(['no failure found', 0]);
  expect(readOnly.reason).toBe(`no MUST clause failed of the 5 clause(s) tested (read-only); ${clauses.length - 5} not tested: not a verdict on the whole profile`);
  expect(readOnly.clauses.find((c) => c.id === clauses[6]!.id)!.reason).toBe('not testable read-only');
  const failing = results({ ...untested, [clauses[0]!.id]: [fail(clauses[0]!.id)] }, { readOnly: true, restricted: 'read-only' });
  expect([failing.verdict, failing.exitCode]).toEqual(['not conformant', 1]);
  expect(failing.reason).toBe(`${clauses[0]!.id} failed (restricted on purpose: read-only)`);
  const grep = results(untested, { selection: { by: '--grep reading' }, restricted: '--grep reading' });
  expect([grep.exitCode, grep.clauses.at(-1)!.reason]).toEqual([0, 'not tested in this selection (--grep reading)']);
});

test('a selection of clauses judges those alone: what its tests found of other clauses is not what was asked', () => {
  const [asked, other] = [LIFE09, 'ECL-ERR-01'];
  const r = results({ [other]: [fail(other)] }, { selection: { by: `--clause ${asked}`, clauses: [asked] }, restricted: `--clause ${asked}` });
  expect([r.verdict, r.exitCode]).toEqual(['no failure found', 0]);
  expect(r.clauses.find((c) => c.id === other)).toMatchObject({ status: 'skip', reason: `not selected (--clause ${asked})`, findings: [] });
  expect(results({ [asked]: [fail(asked)] }, { selection: { by: `--clause ${asked}`, clauses: [asked] }, restricted: `--clause ${asked}` }).exitCode).toBe(1);
});

test('a run that ended early: interrupted is 130, the time budget or --max-failures is 1, each said', () => {
  const interrupted = results({ [LIFE09]: [] }, { ended: 'interrupted' });
  expect([interrupted.exitCode, interrupted.reason]).toEqual([130, 'interrupted before the end']);
  const budget = results({ [LIFE09]: [] }, { ended: 'budget', budgetSeconds: 8 });
  expect([budget.exitCode, budget.reason]).toEqual([1, 'the time budget of 8 s ran out before the end']);
  expect(budget.clauses.find((c) => c.id === LIFE09)!.reason).toBe("not tested: the run's time budget ran out");
  const stopped = results({ [LIFE09]: [fail(LIFE09)], 'ECL-ERR-01': [] }, { ended: 'max-failures', maxFailures: 1 });
  expect([stopped.exitCode, stopped.reason]).toEqual([1, `${LIFE09} failed; stopped at 1 failing clause(s) (--max-failures)`]);
});

test('an expectations entry accepting "not tested" names the clause alone, with a reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-untested-'));
  const file = (text: string) => (writeFileSync(join(dir, 'e.yaml'), text), join(dir, 'e.yaml'));
  expect(readExpectations(file(`- { clause: ${LIFE09}, untested: true, reason: no slow parent here }\n`))).toEqual([{ clause: LIFE09, untested: true, reason: 'no slow parent here' }]);
  expect(() => readExpectations(file(`- { clause: ${LIFE09}, untested: true, status: 400, reason: r }\n`))).toThrow(/an untested entry names the clause alone/);
  expect(() => readExpectations(file(`- { clause: ${LIFE09}, untested: yes please, reason: r }\n`))).toThrow(/untested must be true or false/);
});
