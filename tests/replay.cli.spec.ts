// The command a report prints to rerun a failing lifecycle case, run as printed (in a shell, the
// token from SC_TOKEN), gives the same finding back: the same clause, check, title, expectation and
// case. (Against a server whose snapshots all end in error.)
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { serverFor } from '../src/servers/index.ts';
import { runInProcess } from '../src/run/inprocess.ts';
import { suitePlan } from '../suites/plan.ts';
import { quickSettings } from './support/in-process.ts';
import { CLI, runToEnd, TOKEN } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';

/** The finding of a lifecycle case, without what differs from run to run (the run's id in names, times). */
const sameness = (f: any) => ({
  clause: f.clause,
  check: f.check,
  title: f.title,
  expected: f.expected,
  pointer: f.pointer,
  commands: f.counterexample.commands.map((c: string) => c.replace(/sc-\d{8}T\d{6}-[0-9a-f]{4}/g, 'sc-<run>')),
});

const withCounterexample = (results: any) => results.clauses.flatMap((c: any) => c.findings.map((f: any) => ({ ...f, clause: c.id }))).find((f: any) => f.counterexample);

test('the replay command a report prints reruns the case and gets the same finding back', async () => {
  const server = await (await serverFor(PROFILE)).start({ token: TOKEN, faults: ['error-on-create'] });
  try {
    const run = quickSettings(PROFILE, embeddedBaseUrl(PROFILE, server.url));
    const first = withCounterexample((await runInProcess(run, suitePlan(run.profiles), { quiet: true })).all[0]);
    expect(first, 'the lifecycle property found the defect').toBeDefined();
    const printed: string = first.counterexample.replay;
    expect(printed).toMatch(/^npx snapshot-conformance run /);
    expect(printed).toContain('--state-timeout 3');

    // As printed, but for the command's name: this checkout's CLI, not one npx would fetch.
    const dir = mkdtempSync(join(tmpdir(), 'sc-replay-'));
    const command = printed.replace(/^npx snapshot-conformance /, `"${process.execPath}" "${CLI}" `);
    // As printed, in a shell.
    const replayed = await runToEnd('sh', ['-c', `${command} --report-dir '${dir}'`], { env: { SC_TOKEN: TOKEN } });
    expect(replayed.code, (replayed.stdout + replayed.stderr).slice(-1500)).toBe(1);
    const again = withCounterexample(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    expect(again, (replayed.stdout + replayed.stderr).slice(-1500)).toBeDefined();
    expect(sameness(again)).toEqual(sameness(first));
    expect(again.counterexample.path).toBe(first.counterexample.path);
  } finally {
    await server.close();
  }
});
