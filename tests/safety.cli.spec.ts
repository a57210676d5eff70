// Safe on a target the suite does not own: a run interrupted in the middle of its tests removes
// what it made before it exits; a run killed outright leaves a ledger from which `sweep` removes
// everything it made, and nothing else.
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { referenceServers, type ReferenceServer } from '../src/servers/index.ts';
import { runOf } from '../src/resources/sweep.ts';
import { CLI, cli, ROOT, TOKEN } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';

/** Starts a run against the server; it is its own process group, so the test can kill it whole. */
function startRun(server: ReferenceServer, dir: string): ChildProcess {
  const args = [CLI, 'run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--token', TOKEN, '--report-dir', dir, '--examples', '40', '--state-timeout', '5'];
  return spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: 'pipe', env: { ...process.env, CI: '1' } });
}

/** Waits until the run's ledger says it has made at least this many snapshots. */
async function madeSnapshots(dir: string, count: number): Promise<void> {
  await expect
    .poll(() => {
      const file = join(dir, 'ledger.jsonl');
      if (!existsSync(file)) return 0;
      return readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"event":"created"') && l.includes('"kind":"snapshot"')).length;
    }, { timeout: 0, intervals: [100] })
    .toBeGreaterThanOrEqual(count);
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} in the middle of the lifecycle tests: the run removes what it made, reports it, then exits`, async () => {
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN });
    try {
      const dir = mkdtempSync(join(tmpdir(), `sc-${signal.toLowerCase()}-`));
      const child = startRun(server, dir);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      // Past the contract tests' creates: the lifecycle tests are running.
      await madeSnapshots(dir, 15);
      const exit = exited(child);
      child.kill(signal);
      expect(await exit, out.slice(-2000)).toBe(130);
      const left = server.inventory();
      expect(left.snapshots ?? [], out.slice(-2000)).toEqual([]);
      expect(left.volumes ?? []).toEqual([]);
      // The report says the run was cut short, and what the clean-up after it did.
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.ended).toBe('interrupted');
      expect(results.verdict).toBe('not conformant');
      expect(results.exitCode).toBe(130);
      expect(results.cleanup.made.snapshot).toBeGreaterThanOrEqual(15);
      expect(results.cleanup.notRemoved).toEqual([]);
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toMatch(/Nothing of this run is left on the target/);
    } finally {
      await server.close();
    }
  });
}

test('a run whose time budget runs out stops its tests, cleans up and reports what it did not reach', async () => {
  // Snapshots that take two seconds to be made: a run of eight seconds cannot reach every clause.
  const server = await referenceServers[PROFILE]!.start({ token: TOKEN, delays: { createMs: 2000 } });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'sc-budget-'));
    const budget = 8;
    const run = await cli(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--token', TOKEN, '--report-dir', dir, '--examples', '200', '--budget', String(budget)]);
    expect(run.code, run.stdout.slice(-1500) + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/time budget of 8 s ran out: stopping the tests/);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.ended).toBe('budget');
    expect(results.budgetSeconds).toBe(budget);
    expect(results.verdict).toBe('not conformant');
    const untested = results.clauses.filter((c: any) => c.status === 'skip');
    expect(untested.length).toBeGreaterThan(0);
    for (const c of untested) expect(c.reason).toBe("not tested: the run's time budget ran out");
    expect(results.cleanup.notRemoved).toEqual([]);
    expect(server.inventory().snapshots ?? []).toEqual([]);
    expect(server.inventory().volumes ?? []).toEqual([]);
  } finally {
    await server.close();
  }
});

test('SIGKILL leaves resources behind; sweep removes all of them and nothing else', async () => {
  const server = await referenceServers[PROFILE]!.start({ token: TOKEN });
  try {
    // What the suite did not make: a customer's volume and snapshot, which must survive.
    const base = embeddedBaseUrl(PROFILE, server.url);
    const headers = { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' };
    const volume = await (await fetch(`${base}/volumes`, { method: 'POST', headers, body: JSON.stringify({ volume: { size: 1, name: 'customer-volume' } }) })).json();
    await expect.poll(async () => (await (await fetch(`${base}/volumes/${volume.volume.id}`, { headers })).json()).volume.status).toBe('available');
    await fetch(`${base}/snapshots`, { method: 'POST', headers, body: JSON.stringify({ snapshot: { volume_id: volume.volume.id, name: 'customer-snapshot' } }) });

    const dir = mkdtempSync(join(tmpdir(), 'sc-sigkill-'));
    const child = startRun(server, dir);
    await madeSnapshots(dir, 8);
    const exit = exited(child);
    process.kill(-child.pid!, 'SIGKILL');
    await exit;
    const all = (kind: 'snapshots' | 'volumes') => server.inventory()[kind] ?? [];
    const mine = (kind: 'snapshots' | 'volumes') => all(kind).filter((i) => i.name?.startsWith('sc-'));
    await expect.poll(() => mine('snapshots').length + mine('volumes').length, { message: 'the killed run left something to sweep' }).toBeGreaterThan(0);
    // The run's volume carries the run's id in its metadata too, for whoever finds it in a console.
    expect(mine('volumes').length).toBeGreaterThan(0);
    for (const v of mine('volumes')) {
      const shown = await (await fetch(`${base}/volumes/${v.id}`, { headers })).json();
      expect(shown.volume.metadata).toEqual({ 'sc-run': runOf(v.name) });
    }

    const dry = await cli(['sweep', '--profile', PROFILE, '--base-url', base, '--token', TOKEN, '--all-runs', '--report-dir', dir, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would remove snapshot/);
    expect(mine('snapshots').length).toBeGreaterThan(0);

    // The report directory tells the rest: the run's id, its profile and its target.
    const swept = await cli(['sweep', '--report-dir', dir], { env: { SC_TOKEN: TOKEN } });
    expect(swept.code, swept.stdout + swept.stderr).toBe(0);
    expect(mine('snapshots')).toEqual([]);
    expect(mine('volumes')).toEqual([]);
    const names = [...all('snapshots'), ...all('volumes')].map((i) => i.name).sort();
    expect(names).toEqual(['customer-snapshot', 'customer-volume']);
    expect(swept.stdout + swept.stderr).not.toContain(TOKEN);
  } finally {
    await server.close();
  }
});

test('sweep refuses to guess: it needs a profile, a target, a token and the runs to remove', async () => {
  // A run's report directory whose run went through a gateway: the header's value is kept nowhere.
  const gated = mkdtempSync(join(tmpdir(), 'sc-gated-'));
  mkdirSync(join(gated, 'state'));
  writeFileSync(join(gated, 'ledger.jsonl'), '');
  writeFileSync(join(gated, 'state', 'settings.json'), JSON.stringify({ runId: '20260101T000000-abcd', profiles: [PROFILE], targets: { [PROFILE]: { baseUrl: 'http://127.0.0.1:9/v3/p' } }, headers: { 'X-Gateway-Key': '[redacted]' } }));
  for (const [args, says] of [
    [['sweep', '--report-dir', gated, '--token', 't'], /^snapshot-conformance: the run sent --header 'X-Gateway-Key: \.\.\.': give it again/],
    [['sweep', '--report-dir', join(gated, 'state'), '--token', 't'], /no ledger\.jsonl in /],
    [['sweep', '--base-url', 'http://127.0.0.1:9', '--token', 't', '--all-runs'], /sweep needs --profile/],
    [['sweep', '--profile', PROFILE, '--token', 't', '--all-runs'], /sweep needs --base-url/],
    [['sweep', '--profile', PROFILE, '--base-url', 'http://127.0.0.1:9', '--all-runs'], /sweep needs --token/],
    [['sweep', '--profile', PROFILE, '--base-url', 'http://127.0.0.1:9', '--token', 't'], /--report-dir DIR .*, --run ID .* or --all-runs/],
    [['sweep', '--profile', PROFILE, '--base-url', 'http://127.0.0.1:9', '--token', 't', '--run', 'yesterday'], /--run must be a run id/],
  ] as const) {
    const result = await cli([...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).toMatch(says);
  }
});

test('a read-only run sends no write, judges what reading can, and says what it could not test', async () => {
  const server = await referenceServers[PROFILE]!.start({ token: TOKEN });
  try {
    // Something to read: a volume and a snapshot with metadata, made by someone else.
    const base = embeddedBaseUrl(PROFILE, server.url);
    const headers = { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' };
    const volume = await (await fetch(`${base}/volumes`, { method: 'POST', headers, body: JSON.stringify({ volume: { size: 1, name: 'existing' } }) })).json();
    await expect.poll(async () => (await (await fetch(`${base}/volumes/${volume.volume.id}`, { headers })).json()).volume.status).toBe('available');
    await fetch(`${base}/snapshots`, { method: 'POST', headers, body: JSON.stringify({ snapshot: { volume_id: volume.volume.id, name: 'existing', metadata: { k: 'v' } } }) });
    const before = server.stats();

    const dir = mkdtempSync(join(tmpdir(), 'sc-read-only-'));
    const run = await cli(['run', '--profile', PROFILE, '--base-url', base, '--token', TOKEN, '--report-dir', dir, '--read-only']);
    const after = server.stats();
    expect(after.writes - before.writes, run.stdout.slice(-1500)).toBe(0);
    // A verdict on what reading can test: nothing it tested failed, so it passes, and says so on its
    // first and last lines.
    expect(run.code, run.stdout.slice(-1500) + run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/restricted on purpose \(read-only\)/);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^cinder-v3: no failure found: .*\(read-only\).*\(exit 0\)$/);
    expect(after.requests).toBeGreaterThan(before.requests);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    const by = (status: string) => results.clauses.filter((c: any) => c.status === status).map((c: any) => c.id);
    expect(by('fail')).toEqual([]);
    // Read: the contract of list, detail, show and metadata reads; unknown ids; tokens; page limits.
    expect(by('pass')).toEqual(expect.arrayContaining(['CV3-API-01', 'CV3-API-02', 'CV3-API-04', 'CV3-API-07', 'CV3-ERR-04', 'CV3-AUTH-01', 'CV3-AUTH-02', 'CV3-LIST-01']));
    // Not read: anything that needs a write, said so.
    expect(by('skip')).toEqual(expect.arrayContaining(['CV3-API-03', 'CV3-LIFE-02', 'CV3-META-02']));
    expect(results.clauses.filter((c: any) => c.status === 'skip').every((c: any) => c.reason === 'not testable read-only')).toBe(true);
    expect(results.readOnly).toBe(true);
  } finally {
    await server.close();
  }
});
