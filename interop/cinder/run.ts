// npm run interop:cinder: first the differential test (differential.ts: one sequence of requests to
// the real Cinder and to `serve --profile cinder-v3`, every difference listed in differences.yaml
// or the job fails), then the cinder-v3 profile against the real Cinder through the ordinary CLI,
// at the base microversion and at the highest. Starts Cinder, runs, checks after each part that
// nothing is left on the target, stops Cinder.
// Then five more runs at the base microversion while the machine is kept busy by CPU load the job
// starts and stops itself: a correct target must never fail a clause because the suite's machine
// was slow (beyond the expectations, nothing may fail). The time of every run is printed.
//   --no-expectations    run without the expectations file (each known divergence then fails)
//   --differential-only  run the differential test only
//   --loaded N           how many runs under load (default 5; 0 skips them)
//   --verbose            print each answer of the differential sequence as it comes
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readExpectations } from '../../src/report/results.ts';
import { differential, printReport } from './differential.ts';
import { ensureCinder, startCinder, TOKEN, type RunningCinder } from './harness.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const log = (line: string) => console.log(`[interop] ${line}`);
/** The base microversion and the highest this Cinder (2023.1) serves; the profile's version tests span them. */
const MICROVERSIONS = ['3.0', '3.70'];
const EXPECTATIONS = join(HERE, 'expectations.yaml');

const { values } = parseArgs({
  options: {
    'no-expectations': { type: 'boolean' },
    'differential-only': { type: 'boolean' },
    verbose: { type: 'boolean' },
    'report-dir': { type: 'string', default: join(ROOT, 'reports', 'interop-cinder') },
    examples: { type: 'string' },
    workers: { type: 'string' },
    loaded: { type: 'string', default: '5' },
  },
});

async function admin(cinder: RunningCinder, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${cinder.baseUrl}${path}`, {
    method,
    headers: { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

/**
 * Cinder's default quota (10 snapshots) is tight for the lifecycle lanes and the other tests at
 * once (they hold 8-9 snapshots at their peak); 12 leaves them room. Not more: the quota probe
 * fills whatever is left, and on this one-process Cinder every snapshot it makes and removes
 * costs about 80 ms of the run (the profile probes up to 30).
 */
function raiseQuotas(cinder: RunningCinder) {
  return admin(cinder, 'PUT', '/os-quota-class-sets/default', { quota_class_set: { snapshots: 12, volumes: 100, gigabytes: 1000 } });
}

/** What is still on the target: the state directory was empty, so anything here is ours. */
async function leftovers(cinder: RunningCinder): Promise<string[]> {
  const snapshots = (await admin(cinder, 'GET', '/snapshots')).snapshots as { id: string; name: string; status: string }[];
  const volumes = (await admin(cinder, 'GET', '/volumes')).volumes as { id: string; name: string }[];
  return [...snapshots.map((s) => `snapshot ${s.id} (${s.name}, ${s.status})`), ...volumes.map((v) => `volume ${v.id} (${v.name})`)];
}

/**
 * An expectation whose clause did not fail (it passed, or nothing exercised it) is out of date: the
 * job fails until the file is updated. So every entry stands for a failure seen in this run.
 */
function staleExpectations(reportDir: string): number {
  const file = join(reportDir, 'results.json');
  if (!existsSync(file)) return 0;
  const results = JSON.parse(readFileSync(file, 'utf8'));
  // Entries that accept a clause as not tested are the verdict's to check (results.json reason).
  const listed = new Set(readExpectations(EXPECTATIONS).filter((e) => !e.untested).map((e) => e.clause));
  const stale = (results.clauses as { id: string; status: string }[]).filter((c) => listed.has(c.id) && c.status !== 'expected-fail').map((c) => `${c.id} (${c.status})`);
  if (stale.length) log(`listed as expected failures but did not fail: ${stale.join(', ')}; update interop/cinder/expectations.yaml`);
  return stale.length ? 1 : 0;
}

/** Processes that keep every core busy until killed. */
function startCpuLoad(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

/**
 * 0 when a run failed nothing beyond the expectations and left no MUST clause untested (its verdict's
 * exit code is 0: a precondition that depends on timing is established even on a loaded machine),
 * 1 otherwise.
 */
function failuresBeyondExpectations(reportDir: string): number {
  const file = join(reportDir, 'results.json');
  if (!existsSync(file)) {
    log(`${reportDir}: no results`);
    return 1;
  }
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const failed = (results.clauses as Array<{ id: string; status: string; findings: Array<{ title: string }> }>).filter((c) => c.status === 'fail');
  const untestable = (results.clauses as Array<{ id: string; untestable?: boolean; reason?: string }>).filter((c) => c.untestable);
  for (const c of untestable) log(`  ${c.id} ${c.reason}`);
  if (results.exitCode === 0) return 0;
  log(`  under load: ${results.reason}`);
  for (const c of failed) log(`  ${c.id} failed under load: ${c.findings.map((f) => f.title).join('; ')}`);
  for (const e of results.errors) log(`  suite error under load: ${e.test}: ${String(e.message).split('\n')[0]}`);
  return 1;
}

/** 0 when nothing is left on the target, 1 (and what is left) otherwise. */
async function nothingLeft(cinder: RunningCinder): Promise<number> {
  const left = await leftovers(cinder);
  if (!left.length) {
    log('nothing left on the target');
    return 0;
  }
  log(`left ${left.length} resource(s) on the target:\n  ${left.join('\n  ')}`);
  return 1;
}

let cli: ChildProcess | undefined;
let cinder: RunningCinder | undefined;

function runCli(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'snapshot-conformance.mjs'), ...args], { stdio: 'inherit', cwd: ROOT });
    cli = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureCinder(log);
  cinder = await startCinder();
  log(`Cinder is up at ${cinder.baseUrl} (pid ${cinder.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let code = 1;
  try {
    code = 0;
    // At Cinder's default quotas, which the sequence meets on purpose (10 snapshots).
    log('differential test: the same requests to Cinder and to serve --profile cinder-v3');
    const origin = new URL(cinder.baseUrl).origin;
    const result = await differential(
      { name: 'cinder', origin, base: cinder.baseUrl, token: TOKEN },
      { reportFile: join(values['report-dir']!, 'differential.json'), log, verbose: values.verbose },
    );
    printReport(result, log);
    if (result.verdict.unlisted.length || result.verdict.stale.length) {
      log('every difference is fixed in the server or listed, with its reason, in interop/cinder/differences.yaml');
      code = 1;
    }
    code = Math.max(code, await nothingLeft(cinder));
    if (!values['differential-only']) {
      await raiseQuotas(cinder);
      const runAt = async (microversion: string, reportDir: string) => {
        const args = ['run', '--profile', 'cinder-v3', '--base-url', cinder!.baseUrl, '--token', TOKEN, '--microversion', microversion, '--report-dir', reportDir];
        if (!values['no-expectations']) args.push('--expectations', EXPECTATIONS);
        if (values.examples) args.push('--examples', values.examples);
        // The Cinder under test shares this machine's cores with the suite, and its one Python
        // process is what limits the run: three workers, not the four meant for a remote target.
        args.push('--workers', values.workers ?? '3');
        const t0 = Date.now();
        const exit = await runCli(args);
        log(`cinder-v3 at microversion ${microversion}: ${((Date.now() - t0) / 1000).toFixed(1)} s, exit ${exit}`);
        return exit;
      };
      for (const microversion of MICROVERSIONS) {
        const reportDir = join(values['report-dir']!, microversion);
        log(`cinder-v3 at microversion ${microversion}`);
        code = Math.max(code, await runAt(microversion, reportDir));
        if (!values['no-expectations']) code = Math.max(code, staleExpectations(reportDir));
        code = Math.max(code, await nothingLeft(cinder));
      }
      const loaded = Number(values.loaded);
      if (loaded > 0) {
        const burners = startCpuLoad();
        log(`${loaded} runs at microversion ${MICROVERSIONS[0]} while ${burners.length} processes keep every core busy`);
        try {
          for (let i = 1; i <= loaded; i++) {
            const reportDir = join(values['report-dir']!, `loaded-${i}`);
            await runAt(MICROVERSIONS[0]!, reportDir);
            code = Math.max(code, failuresBeyondExpectations(reportDir), await nothingLeft(cinder));
          }
        } finally {
          for (const b of burners) b.kill();
          log('the CPU load is stopped');
        }
      }
    }
  } finally {
    await cinder.stop();
    let alive = true;
    try {
      process.kill(cinder.pid, 0);
    } catch {
      alive = false;
    }
    if (alive) {
      log(`Cinder (pid ${cinder.pid}) is still running`);
      code = 1;
    } else log(`Cinder stopped (pid ${cinder.pid})`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}`);
  return code;
}

// Interrupted: the run cleans up what it made, then Cinder is stopped; neither is left running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    log(`${signal}: stopping`);
    if (cli && cli.exitCode === null) {
      cli.kill(signal);
      await new Promise((r) => cli!.once('exit', r));
    }
    await cinder?.stop();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[interop] ${(error as Error).message}`);
    process.exit(2);
  },
);
