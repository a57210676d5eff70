// run: checks the request, starts the embedded reference servers when no target is given, makes
// sure the target answers at all, then runs the suite through Playwright (playwright.config.ts)
// and decides the exit code from the results the reporter wrote.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { request } from '@playwright/test';
import { DEFAULT_BUDGET_SECONDS, embeddedBaseUrl, newRunId, toEnv, type RunEnv, type TargetSpec } from '../config/run-env.ts';
import { loadProfile, PACKAGE_ROOT, profileIds } from '../profile/load.ts';
import { readExpectations } from '../report/results.ts';
import { cleanUpAfterRun, printCleanup } from '../target/after-run.ts';
import { referenceServers, type ReferenceServer } from '../servers/index.ts';
import { parseOptions } from './main.ts';
import { positiveInt, seconds, UsageError } from './usage.ts';

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    profile: { type: 'string', multiple: true },
    'base-url': { type: 'string' },
    token: { type: 'string' },
    'project-id': { type: 'string' },
    'volume-id': { type: 'string' },
    'cluster-id': { type: 'string' },
    'report-dir': { type: 'string' },
    seed: { type: 'string' },
    examples: { type: 'string' },
    concurrency: { type: 'string' },
    workers: { type: 'string' },
    expectations: { type: 'string' },
    'request-timeout': { type: 'string' },
    'state-timeout': { type: 'string' },
    'replay-path': { type: 'string' },
    grep: { type: 'string' },
    'read-only': { type: 'boolean' },
    microversion: { type: 'string' },
    'max-rps': { type: 'string' },
    budget: { type: 'string' },
  });

  const profiles = chooseProfiles(values.profile);
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  if (values.expectations) {
    try {
      readExpectations(resolve(values.expectations));
    } catch (error) {
      throw new UsageError(`cannot use the expectations file: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const microversion = values.microversion;
  if (microversion !== undefined) {
    for (const id of profiles) {
      const mv = loadProfile(id).conformance.microversions;
      if (!mv) throw new UsageError(`--microversion: profile ${id} has no microversions; choose one that has (--profile cinder-v3)`);
      if (!new RegExp(mv.pattern).test(microversion)) throw new UsageError(`--microversion must look like ${mv.base} (pattern ${mv.pattern}), not "${microversion}"`);
    }
  }
  if (values['volume-id'] && values['cluster-id']) throw new UsageError('give --volume-id or --cluster-id, not both');
  const parentId = values['volume-id'] ?? values['cluster-id'];

  const runId = newRunId();
  const run: RunEnv = {
    runId,
    runDir: resolve(values['report-dir'] ?? join('reports', runId)),
    profiles,
    targets: {},
    embedded: false,
    seed: values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31),
    examples: positiveInt('examples', values.examples, 20),
    concurrency: positiveInt('concurrency', values.concurrency, 2),
    workers: positiveInt('workers', values.workers, 2),
    requestTimeoutMs: 1000 * (seconds('request-timeout', values['request-timeout']) ?? 30),
    stateTimeoutSeconds: seconds('state-timeout', values['state-timeout']),
    replayPath: values['replay-path'],
    expectations: values.expectations ? resolve(values.expectations) : undefined,
    microversion,
    readOnly: values['read-only'],
    maxRps: values['max-rps'] === undefined ? undefined : positiveInt('max-rps', values['max-rps'], 0),
    budgetSeconds: seconds('budget', values.budget) ?? DEFAULT_BUDGET_SECONDS,
  };

  const servers: ReferenceServer[] = [];
  try {
    if (values['base-url']) {
      const baseUrl = targetUrl(values['base-url'], values['project-id']);
      for (const p of profiles) run.targets[p] = { baseUrl, token: values.token, parentId };
    } else {
      if (values.token || values['project-id'] || parentId) throw new UsageError('--token, --project-id and --volume-id need --base-url');
      run.embedded = true;
      const token = `embedded-${randomBytes(12).toString('hex')}`;
      for (const p of profiles) {
        const family = referenceServers[p];
        if (!family) throw new UsageError(`profile ${p} has no embedded server; give --base-url`);
        const server = await family.start({ token });
        servers.push(server);
        run.targets[p] = { baseUrl: embeddedBaseUrl(p, server.url), token };
      }
    }
    for (const [p, target] of Object.entries(run.targets)) await ensureReachable(p, target);
    // A given parent is shared by every worker: where a parent holds few resources, one worker.
    if (parentId && profiles.some((p) => loadProfile(p).conformance.perParent)) run.workers = 1;
    // Checked after reachability: an unreachable target is the first thing to fix.
    if (values['base-url'] && !values.token) throw new UsageError('--token is required with --base-url (the profiles authenticate with X-Auth-Token)');

    const where = values['base-url'] ? run.targets[profiles[0]!]!.baseUrl : 'the embedded reference servers';
    process.stdout.write(`snapshot-conformance: ${profiles.join(', ')} against ${where} (seed ${run.seed})\nreport: ${run.runDir}\n`);
    await playwright(run, values.grep);
    // The reporter cleans up before it writes results.json; without them, it never got that far.
    if (!existsSync(join(run.runDir, 'results.json'))) await cleanUpAfter(run);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }

  const results = join(run.runDir, 'results.json');
  if (!existsSync(results)) {
    process.stderr.write(`snapshot-conformance: the run ended without results (see the output above)\n`);
    return 2;
  }
  const verdict = JSON.parse(readFileSync(results, 'utf8')).verdict;
  return verdict === 'conformant' ? 0 : 1;
}

/** The clean-up the reporter did not get to do (the test runner ended without a report). */
async function cleanUpAfter(run: RunEnv): Promise<void> {
  for (const id of run.profiles) printCleanup(id, run.runId, await cleanUpAfterRun(run, id));
}

function chooseProfiles(asked: string[] | undefined): string[] {
  const known = profileIds();
  const list = (asked ?? ['all']).flatMap((p) => p.split(',')).filter(Boolean);
  if (list.includes('all')) return known;
  for (const p of list) {
    if (!known.includes(p)) throw new UsageError(`unknown profile "${p}"; known profiles: ${known.join(', ')}, or all`);
    loadProfile(p);
  }
  return [...new Set(list)];
}

export function targetUrl(raw: string, projectId: string | undefined): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url must be http or https, not ${url.protocol}`);
  let base = url.toString().replace(/\/+$/, '');
  if (projectId && !url.pathname.split('/').includes(projectId)) base += `/${encodeURIComponent(projectId)}`;
  return base;
}

/** Any HTTP answer will do: this only tells an unreachable target from one that answers. */
async function ensureReachable(profile: string, target: TargetSpec): Promise<void> {
  const api = await request.newContext();
  try {
    await api.get(target.baseUrl, { timeout: 15_000, maxRedirects: 0, failOnStatusCode: false });
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/^apiRequestContext\.get: /, '');
    throw new UsageError(`the target of ${profile} is unreachable: ${target.baseUrl} (${reason})`);
  } finally {
    await api.dispose();
  }
}

function playwright(run: RunEnv, grep: string | undefined): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [cli, 'test', '--config', join(PACKAGE_ROOT, 'playwright.config.ts')];
  if (grep) args.push('--grep', grep);
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: 'inherit', env: { ...process.env, ...toEnv(run), SC_CLI: '1' } });
    // SIGTERM too becomes an interrupt Playwright handles: it stops the tests, and the reporter
    // cleans up and writes the report of what ran.
    const forward = () => child.kill('SIGINT');
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise(code ?? 1);
    });
  });
}
