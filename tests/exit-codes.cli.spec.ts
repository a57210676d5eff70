// `run` as a user meets it, from the installed package (tests/support/installed.ts) against servers
// this file starts: the exit code and the first line of every kind of run, the last line that says
// why, wrong set-ups stopped before anything is made, nothing left running after a second Ctrl-C,
// the closing summary, and choosing what runs (--clause, --last-failed, --max-failures, list checks).
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { referenceServers, type ReferenceServer } from '../src/servers/index.ts';
import { startCinderServer } from '../src/servers/cinder/index.ts';
import { HINTS } from '../src/report/causes.ts';
import { RESULTS_FORMAT } from '../src/report/results.ts';
import { installedPackage, type Installed } from './support/installed.ts';
import { runToEnd, type CliResult } from './support/run-suite.ts';

const TOKEN = 'canary-token-5f0c2b7e9a';
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `sc-${name}-`));
const lines = (out: string) => out.trimEnd().split('\n');
const firstLine = (r: CliResult) => lines(r.stdout)[0];
const lastLine = (r: CliResult) => lines(r.stdout).at(-1);
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const v3 = (server: ReferenceServer) => embeddedBaseUrl('cinder-v3', server.url);

/** Exit 2, nothing on stdout, one line on stderr. */
function stoppedWith(r: CliResult, says: RegExp) {
  expect(r.code, r.stdout.slice(-800) + r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr), r.stderr).toHaveLength(1);
  expect(r.stderr.trim()).toMatch(says);
}

let pkg: Installed;
test.beforeAll(async () => {
  pkg = await installedPackage();
});

test('plain Playwright with an SC_RUN_DIR that cannot be written stops at once: exit 2 and one line', async () => {
  const file = join(tmp('file'), 'a-file');
  writeFileSync(file, '');
  const runDir = join(file, 'report');
  const config = join(pkg.project, 'node_modules/snapshot-conformance/dist/playwright.config.js');
  const r = await runToEnd(join(pkg.project, 'node_modules/.bin/playwright'), ['test', '-c', config], { cwd: pkg.project, env: { SC_CLI: '', SC_RUN_DIR: runDir, SC_PROFILE: 'cinder-v3' } });
  expect([r.code, r.stderr.trim()]).toEqual([2, `SC_RUN_DIR ${runDir}: cannot be made or written (ENOTDIR); give a folder that can`]);
});

test('plain Playwright with a profile folder that is broken stops at once: exit 2 and its first problem', async () => {
  // The template profile with a clause it does not define: only the full check sees it.
  const folder = tmp('broken-profile');
  cpSync(join(import.meta.dirname, '../examples/profile-template'), folder, { recursive: true });
  const document = join(folder, 'openapi.yaml');
  const text = readFileSync(document, 'utf8');
  const line = text.slice(0, text.indexOf('contentType: EX-API-01')).split('\n').length;
  writeFileSync(document, text.replace('contentType: EX-API-01', 'contentType: EX-API-99'));
  const config = join(pkg.project, 'node_modules/snapshot-conformance/dist/playwright.config.js');
  const r = await runToEnd(join(pkg.project, 'node_modules/.bin/playwright'), ['test', '-c', config], { cwd: pkg.project, env: { SC_CLI: '', SC_RUN_DIR: tmp('run'), SC_PROFILE: folder } });
  expect([r.code, r.stderr.trim()]).toEqual([2, `${document}:${line}: x-conformance.contentType names clause EX-API-99, which clauses.yaml does not define (define it in the clause file, or name one of its clauses)`]);
});

test.describe('against a correct target', () => {
  test.describe.configure({ mode: 'default' });
  let server: ReferenceServer;
  test.beforeAll(async () => void (server = await referenceServers['cinder-v3']!.start({ token: TOKEN })));
  test.afterAll(async () => server.close());
  const run = (more: string[], dir = tmp('run')) => pkg.npx(['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--report-dir', dir, '--examples', '2', ...more]);

  test('wrong set-ups stop before anything is made: exit 2 and one line saying what to fix', async () => {
    const file = join(tmp('file'), 'a-file');
    writeFileSync(file, '');
    const failing = createServer((_req, res) => void res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"computeFault": {"code": 500, "message": "down"}}'));
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', () => r()));
    try {
      const down = `http://127.0.0.1:${(failing.address() as { port: number }).port}/v3/0f8ab1bd23e34c6da6c91ee1a1b2c3d4`;
      const cases: Array<[string[], RegExp]> = [
        [['run', '--base-url', v3(server), '--token', TOKEN], /--base-url needs --profile: say which API the target is/],
        // Another API: its first reads (an empty list, an error) hold to this profile's shapes, but
        // what the profile finds its parent with is not there; or they hold to another profile's.
        [['run', '--profile', 'huawei-dws', '--base-url', v3(server), '--token', TOKEN], /^snapshot-conformance: huawei-dws: no parent to take snapshots of: listClusters answered 404 .*: check --profile and the base URL/],
        [['run', '--profile', 'ntt-ecl', '--base-url', v3(server), '--token', TOKEN], /^snapshot-conformance: ntt-ecl: the target answers as the cinder-v2 or cinder-v3 API, not the ntt-ecl one \(ECL-.*; ECL-ERR-01 .*\): check --profile$/],
        [['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--volume-id', '0e7f0bd4-2e4a-4c55-9a38-9d5c5f0f3b11'], /cinder-v3: --volume-id 0e7f0bd4-2e4a-4c55-9a38-9d5c5f0f3b11: the target has no such volume \(GET .* answered 404\)/],
        [['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--grep', 'no such test'], /--grep no such test matches no test/],
        [['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--clause', 'CV3-NOPE-01'], /--clause CV3-NOPE-01: no profile of this run has that clause/],
        [['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--seed', '1', '--replay-path', 'not-a-path'], /--replay-path must be a path the report gives/],
        [['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--last-failed', tmp('empty')], /--last-failed .*: not the report folder of a run/],
        [['run', '--profile', 'cinder-v3', '--base-url', down, '--token', TOKEN], /the target answers its first reads with server errors .*: it is not in a state to be judged/],
        [['run', '--profile', 'cinder-v3', '--report-dir', join(file, 'report')], /--report-dir .*a-file\/report: cannot be made or written \(ENOTDIR\)/],
      ];
      // A folder the kernel's /proc cannot hold: Node's own recursive mkdir never returns there.
      if (existsSync('/proc/self')) cases.push([['run', '--profile', 'cinder-v3', '--report-dir', '/proc/no-such-folder/report'], /--report-dir \/proc\/no-such-folder\/report: cannot be made or written \(ENOENT\)/]);
      // Not even a report folder is left: the cases without --report-dir would have used reports/<run id>.
      const folders = () => (existsSync(join(pkg.project, 'reports')) ? readdirSync(join(pkg.project, 'reports')).filter((f) => /^\d{8}T/.test(f)) : []);
      const before = folders();
      for (const [args, says] of cases) stoppedWith(await pkg.npx(args), says);
      stoppedWith(await pkg.npx(['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--budget', 'soon']), /--budget must be a number of seconds greater than 0, not "soon"/);
      expect(folders()).toEqual(before);
    } finally {
      await new Promise<void>((r) => failing.close(() => r()));
    }
    expect(server.stats().writes, 'nothing was made').toBe(0);
  });

  test('a run restricted on purpose says so first and last, and exits 0 when nothing it tested failed', async () => {
    const readOnly = await run(['--read-only']);
    expect(readOnly.code, readOnly.stdout.slice(-1500)).toBe(0);
    expect(firstLine(readOnly)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1:\d+\/v3\/\w+ \(seed \d+\); restricted on purpose \(read-only\)/);
    expect(lastLine(readOnly)).toMatch(/^cinder-v3: no failure found: no MUST clause failed of the \d+ clause\(s\) tested \(read-only\); \d+ not tested: not a verdict on the whole profile \(exit 0\)$/);
    // (A selection by --grep is judged the same way: tests/cli.spec.ts, the token and --header.)
  });

  test('an expected failure that no longer fails: exit 1, the verdict test fails too, and the last line says which', async () => {
    const file = join(tmp('stale'), 'expectations.yaml');
    writeFileSync(file, '- { clause: CV3-API-01, reason: an old defect of the list }\n');
    const r = await run(['--grep', 'reading', '--expectations', file]);
    expect(r.code, r.stdout.slice(-1500)).toBe(1);
    expect(r.stdout).not.toMatch(/✓ .*verdict/);
    expect(r.stdout).toMatch(/✘ \[\d+\/\d+\] cinder-v3 › verdict: not conformant: CV3-API-01 passed though the expectations say it fails/);
    expect(lastLine(r)).toBe('cinder-v3: not conformant: CV3-API-01 passed though the expectations say it fails (update the expectations file) (restricted on purpose: --grep reading) (exit 1)');
  });
});

test('a MUST clause the target cannot make testable fails a full run, named with why', async () => {
  // A project quota above what the quota probe creates: the over-quota refusal (CV3-LIM-06)
  // cannot be shown here.
  const server = await startCinderServer({ token: TOKEN, families: ['v3'], quotas: { snapshots: 1000 } });
  try {
    const dir = tmp('quota');
    const untested = await pkg.npx(['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--report-dir', dir, '--examples', '2']);
    expect(untested.code, untested.stdout.slice(-1500)).toBe(1);
    expect(firstLine(untested)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1:\d+\/v3\/\w+ \(seed \d+\)$/);
    expect(lastLine(untested)).toBe('cinder-v3: not conformant: CV3-LIM-06 not tested: limits › quota: creating past it is refused and creates nothing was skipped: no refusal within 30 creates: the quota is higher (exit 1)');
    expect(results(dir)).toMatchObject({ verdict: 'not conformant', exitCode: 1, reason: expect.stringMatching(/^CV3-LIM-06 not tested: /) });
    // Accepted by an expectations entry (untested: true), it does not decide the verdict:
    // tests/verdict.spec.ts, on results made of records.
  } finally {
    await server.close();
  }
});

test.describe('against a target with defects', () => {
  test.describe.configure({ mode: 'default' });
  let server: ReferenceServer;
  const summaryDir = tmp('summary');
  // No request id on any answer: its first reads already fail a check (a header), and it is still
  // the cinder-v3 API to judge, not another one (a Cinder v2 needs none).
  test.beforeAll(async () => void (server = await referenceServers['cinder-v3']!.start({ token: TOKEN, faults: ['no-auth', 'put-metadata-merges', 'delete-returns-204', 'no-request-id'] })));
  test.afterAll(async () => server.close());
  const run = (dir: string, more: string[]) => pkg.npx(['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--report-dir', dir, '--examples', '2', '--seed', '3', '--shrink-budget', '2', ...more]);

  test('the terminal shows each finding once, marks only what decides the verdict, and ends with a summary and the verdict', async () => {
    const dir = tmp('inputs');
    writeFileSync(join(dir, 'expectations.yaml'), '- { clause: CV3-API-06, check: status.documented, reason: the delete answers 204 }\n');
    // A baseline of an earlier run that failed nothing.
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ profile: 'cinder-v3', clauses: [] }));
    const r = await run(summaryDir, ['--expectations', join(dir, 'expectations.yaml'), '--baseline', join(dir, 'baseline.json')]);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(1);
    expect(firstLine(r)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1:\d+\/v3\/\w+ \(seed 3\)$/);
    const out = lines(r.stdout);
    const summaryAt = out.findIndex((l) => /^cinder-v3: not conformant \(58 clauses: /.test(l));
    expect(summaryAt, r.stdout.slice(-3000)).toBeGreaterThan(0);
    const progress = out.slice(0, summaryAt);
    const findings = progress.filter((l) => /^ {4}[A-Z0-9]+-[A-Z]+-\d\d /.test(l));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.length, 'each finding once').toBe(new Set(findings).size);
    // The known failure is shown once, marked known; a test with nothing else is not marked failed.
    const known = findings.filter((l) => l.includes('CV3-API-06'));
    expect(known.length).toBeGreaterThan(0);
    for (const l of known) expect(l).toMatch(/\(known: expectations or baseline\)$/);
    expect(progress.find((l) => l.includes('contract › deleteSnapshot conforms to its contract'))).toMatch(/^✓ /);
    const summary = out.slice(summaryAt).join('\n');
    expect(summary).toMatch(/\n {2}failing MUST clauses:\n {4}CV3-META-02 .*\n {6}.*: expected .*, got .*/);
    expect(summary).toMatch(/\n {4}CV3-AUTH-01 .*\n {6}.*: expected .*, got .*/);
    expect(summary).toMatch(/\n {2}causes:\n {4}1\. /);
    expect(summary).toContain(`hint: ${HINTS.authOff}`);
    expect(summary).toMatch(/\n {2}expectations: 1 entry: 1 clause\(s\) failed as expected, 0 accepted as not tested, 0 out of date\n/);
    expect(summary).toMatch(/\n {2}baseline: 0 known finding\(s\), \d+ new\n/);
    expect(summary).toMatch(/\n {2}replay: npx snapshot-conformance run --profile cinder-v3 .*--seed \d+ --replay-path '[^']+'/);
    const report = /\nreport: (.+)\n/.exec(summary)![1]!;
    expect(isAbsolute(report) && existsSync(report), report).toBe(true);
    expect(lastLine(r)).toMatch(/^cinder-v3: not conformant: (?=[^;]*CV3-META-02)(?=[^;]*CV3-AUTH-01)[^;]* failed(; .*)? \(exit 1\)$/);
    expect(results(summaryDir)).toMatchObject({ formatVersion: RESULTS_FORMAT, exitCode: 1, reason: lastLine(r)!.replace(/^cinder-v3: not conformant: /, '').replace(/ \(exit 1\)$/, '') });
  });

  test('--clause runs the tests that judge the clause and judges it alone', async () => {
    const dir = tmp('clause');
    const r = await run(dir, ['--clause', 'CV3-META-02']);
    expect(r.code, r.stdout.slice(-1500)).toBe(1);
    expect(firstLine(r)).toMatch(/restricted on purpose \(--clause CV3-META-02\)/);
    expect(lastLine(r)).toBe('cinder-v3: not conformant: CV3-META-02 failed (restricted on purpose: --clause CV3-META-02) (exit 1)');
    const res = results(dir);
    expect(res.clauses.filter((c: any) => c.status !== 'skip').map((c: any) => c.id)).toEqual(['CV3-META-02']);
    expect(res.clauses.find((c: any) => c.id === 'CV3-AUTH-01').reason).toBe('not selected (--clause CV3-META-02)');
    expect(res.tests.filter((t: any) => t.test !== 'set-up').length).toBeLessThan(results(summaryDir).tests.length - 1);
  });

  test('--last-failed reruns what failed in a report folder, by the tests that failed it', async () => {
    const before = results(summaryDir).clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id);
    const dir = tmp('last-failed');
    const r = await run(dir, ['--last-failed', summaryDir]);
    expect(r.code, r.stdout.slice(-1500)).toBe(1);
    expect(firstLine(r)).toContain(`restricted on purpose (--last-failed ${summaryDir})`);
    expect(lastLine(r)).toMatch(new RegExp(`^cinder-v3: not conformant: .* failed \\(restricted on purpose: --last-failed ${summaryDir}\\) \\(exit 1\\)$`));
    const res = results(dir);
    expect(res.clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id)).toEqual(before);
    expect(res.clauses.filter((c: any) => c.status !== 'skip').map((c: any) => c.id).sort()).toEqual([...before].sort());
    // A folder whose run failed nothing has nothing to rerun.
    const clean = tmp('clean');
    writeFileSync(join(clean, 'results.json'), JSON.stringify({ profile: 'cinder-v3', clauses: [{ id: 'CV3-API-01', status: 'pass' }] }));
    stoppedWith(await run(tmp('nothing'), ['--last-failed', clean]), /--last-failed .*: no clause of cinder-v3 failed in that run; nothing to rerun/);
  });

  test('--max-failures stops the tests once that many clauses failed; the clean-up runs and the report says so', async () => {
    const dir = tmp('max-failures');
    const r = await run(dir, ['--max-failures', '1', '--examples', '20']);
    expect(r.code, r.stdout.slice(-1500)).toBe(1);
    expect(lastLine(r)).toMatch(/; stopped at 1 failing clause\(s\) \(--max-failures\) \(exit 1\)$/);
    const res = results(dir);
    expect(res.ended).toBe('max-failures');
    expect(res.tests.length).toBeLessThan(results(summaryDir).tests.length);
    expect(res.cleanup.notRemoved).toEqual([]);
    expect(server.inventory().snapshots ?? []).toEqual([]);
  });
});

test('list checks names every check with what it holds to', async () => {
  const r = await pkg.npx(['list', 'checks']);
  expect(r.code).toBe(0);
  expect(firstLine(r)).toMatch(/^status\.expected +The answer has the status the operation documents/);
  expect(lines(r.stdout).every((l) => /^[a-z-]+(\.[a-z-]+)+ +\S/.test(l))).toBe(true);
});

test('a second Ctrl-C ends the run and every process of it at once, exit 130, and says how to sweep', async () => {
  // Deletes that take ten minutes: the run's own clean-up would wait long after a first Ctrl-C.
  const server = await referenceServers['cinder-v3']!.start({ token: TOKEN, delays: { deleteMs: 600_000 } });
  const dir = tmp('twice');
  const child = spawn(pkg.bin, ['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--report-dir', dir, '--examples', '40', '--state-timeout', '600'], { cwd: pkg.project, env: { ...process.env, CI: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // The run is under way: it has made a snapshot, and its test runner and workers are running.
    await expect.poll(() => (existsSync(join(dir, 'ledger.jsonl')) ? readFileSync(join(dir, 'ledger.jsonl'), 'utf8') : ''), { timeout: 0 }).toContain('"kind":"snapshot"');
    const processes = descendants(child.pid!);
    expect(processes.length, 'the test runner and its workers').toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    await expect.poll(() => out, { timeout: 0 }).toContain('Ctrl-C again stops everything at once');
    child.kill('SIGINT');
    expect(await exited, out.slice(-1500)).toBe(130);
    expect(lines(out)[0]).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1:\d+\/v3\/\w+ \(seed \d+\)$/);
    expect(lines(out).at(-1)).toMatch(/^stopped at once: what the run made may be left on the target; remove it with: npx snapshot-conformance sweep --profile cinder-v3 --base-url http:\/\/127\.0\.0\.1:\d+\/v3\/\w+ --run \S+ --report-dir /);
    await expect.poll(() => processes.filter(alive), { message: 'no process of the run is left' }).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
  }
});

test('the run killed outright (SIGKILL, which it cannot see) still leaves no process of it running', async () => {
  // Deletes that take ten minutes: the run's processes would have long to live on their own.
  const server = await referenceServers['cinder-v3']!.start({ token: TOKEN, delays: { deleteMs: 600_000 } });
  const dir = tmp('kill');
  // Its output to a file, as to a terminal: a pipe its test runner writes to would close with the
  // test, and end the runner for another reason.
  const out = openSync(join(dir, 'out.txt'), 'w');
  const child = spawn(pkg.bin, ['run', '--profile', 'cinder-v3', '--base-url', v3(server), '--token', TOKEN, '--report-dir', dir, '--examples', '40', '--state-timeout', '600'], { cwd: pkg.project, env: { ...process.env, CI: '1' }, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await expect.poll(() => (existsSync(join(dir, 'ledger.jsonl')) ? readFileSync(join(dir, 'ledger.jsonl'), 'utf8') : ''), { timeout: 0 }).toContain('"kind":"snapshot"');
    const processes = descendants(child.pid!);
    expect(processes.length, 'the test runner and its workers').toBeGreaterThanOrEqual(3);
    child.kill('SIGKILL');
    await exited;
    await expect.poll(() => processes.filter(alive), { message: 'no process of the run is left' }).toEqual([]);
  } finally {
    await server.close();
  }
});

/** The processes below a pid, from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, ppid] of parent) if (ppid === p) out.push(child), walk(child);
  };
  walk(pid);
  return out;
}

/** Running (not ended, not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
