// The suite as an exact CI gate: a known failure never hides a new one in the same clause
// (expectations at the grain of findings, a baseline of an earlier run), `compare` says what changed
// between two runs, and a run split in shards and merged has the verdict of the unsharded run.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { referenceServers } from '../src/servers/index.ts';
import { runInProcessAgainst } from './support/in-process.ts';
import { cli, TOKEN } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `sc-${name}-`));
const clause = (results: any, id: string) => results.clauses.find((c: any) => c.id === id);

test('a finding-grain expectation keeps the run green for the known defect only; a second defect in the same clause fails it', async () => {
  // The target's quota answers 500 (a known defect: LIM-06, and a 500 on the create, API-03).
  const file = join(tmp('expect'), 'expectations.yaml');
  writeFileSync(
    file,
    [
      '- { clause: CV3-LIM-06, check: refusal.status, operation: createSnapshot, status: 500, reason: the quota answers 500 }',
      '- { clause: CV3-API-03, check: status.documented, operation: createSnapshot, status: 500, reason: the quota answers 500 }',
    ].join('\n'),
  );
  const known = await runInProcessAgainst(PROFILE, { faults: ['quota-500'], settings: { expectations: file } });
  expect(clause(known.results, 'CV3-API-03').status).toBe('expected-fail');
  expect(clause(known.results, 'CV3-LIM-06').status).toBe('expected-fail');
  expect(known.results.verdict).toBe('conformant');

  // The same target also answers its creates 200 instead of 202: a new finding in CV3-API-03.
  const both = await runInProcessAgainst(PROFILE, { faults: ['quota-500', 'create-returns-200'], settings: { expectations: file } });
  const api03 = clause(both.results, 'CV3-API-03');
  expect(api03.status).toBe('fail');
  expect(api03.findings.filter((f: any) => !f.known).map((f: any) => f.status)).toContain(200);
  expect(both.results.verdict).toBe('not conformant');
});

test('a clause-only expectation keeps its meaning, and marks what its evidence does not describe', async () => {
  const file = join(tmp('expect'), 'expectations.yaml');
  writeFileSync(file, '- { clause: CV3-API-03, reason: the create answers 500 over quota, evidence: "POST /snapshots -> 500 computeFault" }\n- { clause: CV3-LIM-06, reason: the same }\n');
  const run = await runInProcessAgainst(PROFILE, { faults: ['quota-500', 'create-returns-200'], settings: { expectations: file } });
  const api03 = clause(run.results, 'CV3-API-03');
  expect(api03.status).toBe('expected-fail');
  const byStatus = Object.fromEntries(api03.findings.map((f: any) => [f.status, f.undescribed ?? false]));
  expect(byStatus[200]).toBe(true);
  expect(byStatus[500]).toBe(false);
});

test('--baseline fails the run only on findings the baseline did not have; compare says what changed', async () => {
  const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['put-metadata-merges'] });
  const worse = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['put-metadata-merges', 'update-ignored'] });
  try {
    const run = (base: string, dir: string, more: string[] = []) => cli(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, base), '--token', TOKEN, '--report-dir', dir, '--seed', '5', '--examples', '4', '--shrink-budget', '3', ...more]);
    const first = tmp('baseline');
    expect((await run(server.url, first)).code).toBe(1);
    const baseline = join(first, 'results.json');
    // The same defects again: all in the baseline, the gate is green.
    const same = tmp('same');
    const again = await run(server.url, same, ['--baseline', baseline]);
    expect(again.code, again.stdout.slice(-1500)).toBe(0);
    const sameResults = JSON.parse(readFileSync(join(same, 'results.json'), 'utf8'));
    expect(clause(sameResults, 'CV3-META-02').status).toBe('expected-fail');
    expect(sameResults.baseline.new).toBe(0);
    // A new defect on top: red, for it alone.
    const regressed = tmp('regressed');
    const red = await run(worse.url, regressed, ['--baseline', baseline]);
    expect(red.code).toBe(1);
    const redResults = JSON.parse(readFileSync(join(regressed, 'results.json'), 'utf8'));
    expect(redResults.clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id)).toEqual(['CV3-LIFE-05']);

    // compare: the new failure, nothing fixed, the old one still failing; files written.
    const out = tmp('compare');
    const compared = await cli(['compare', baseline, regressed, '--out', out]);
    expect(compared.code).toBe(1);
    expect(compared.stdout).toMatch(/cinder-v3: not conformant -> not conformant; [1-9]\d* newly failing, 0 fixed, [1-9]\d* still failing/);
    expect(compared.stdout).toMatch(/new: {3}CV3-LIFE-05 /);
    const json = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(json.profiles[0].newlyFailing.every((f: any) => f.clause === 'CV3-LIFE-05')).toBe(true);
    expect(json.profiles[0].latency.find((l: any) => l.operation === 'createSnapshot').new.count).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'comparison.html'), 'utf8')).toContain('Newly failing');
    // The other way round, it was fixed.
    const back = await cli(['compare', regressed, baseline, '--out', out]);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/fixed: CV3-LIFE-05 /);
  } finally {
    await server.close();
    await worse.close();
  }
});

test('a run split in two shards and merged has the verdict and clause statuses of the unsharded run', async () => {
  const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['put-metadata-merges'] });
  try {
    const run = (dir: string, more: string[] = []) => cli(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--token', TOKEN, '--report-dir', dir, '--seed', '9', '--examples', '4', '--shrink-budget', '3', ...more]);
    const whole = tmp('whole');
    const one = tmp('shard1');
    const two = tmp('shard2');
    const merged = tmp('merged');
    const [w, s1, s2] = [await run(whole), await run(one, ['--shard', '1/2']), await run(two, ['--shard', '2/2'])];
    expect(w.code).toBe(1);
    const m = await cli(['merge', one, two, '--report-dir', merged]);
    expect(m.code, m.stdout + m.stderr).toBe(w.code);
    const statuses = (dir: string) => Object.fromEntries(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).clauses.map((c: any) => [c.id, c.status]));
    expect(statuses(merged)).toEqual(statuses(whole));
    // Each shard ran part of the tests, and says so; together they ran them all.
    const tests = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).tests.filter((t: any) => t.test !== 'set-up').length;
    expect(tests(one)).toBeGreaterThan(0);
    expect(tests(two)).toBeGreaterThan(0);
    expect(tests(one) + tests(two)).toBe(tests(whole));
    expect([s1.code, s2.code]).toContain(1);
    expect(readFileSync(join(merged, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="cinder-v3"/);
    expect(readFileSync(join(merged, 'index.html'), 'utf8')).toContain('Not conformant');
  } finally {
    await server.close();
  }
});
