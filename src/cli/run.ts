// run: checks the request, starts the embedded reference servers when no target is given, makes
// sure each target is the profile's API at all, then runs the suite through Playwright (the
// package's playwright.config) and exits by the verdict the report wrote.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { embeddedBaseUrl, loadProfile, PACKAGE_ROOT, profileIds } from '../profile/load.ts';
import { readBaseline, readExpectations } from '../report/known.ts';
import { cleanUpAfterRun, printCleanup, runIdLine } from '../resources/after-run.ts';
import { misconfiguration } from '../run/preflight.ts';
import { DEFAULTS, newRunId, newSeed, profileFilesOf, secretsOf, toEnv, type RunSettings } from '../run/settings.ts';
import { resolveProfile } from '../profile/sources.ts';
import { Redactor } from '../http/redact.ts';
import { openApi } from '../run/world.ts';
import { serverFor, type ReferenceServer } from '../servers/index.ts';
import { positiveInt, seconds, UsageError } from './usage.ts';

export async function runCommand(values: Record<string, any>): Promise<number> {
  const profiles = chooseProfiles(values.profile);
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  if (values.grep !== undefined) {
    try {
      new RegExp(values.grep);
    } catch (error) {
      throw new UsageError(`--grep is not a regular expression: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be I/N with 1 <= I <= N, not "${values.shard}"`);
  }
  if (values.expectations) checkExpectations(resolve(values.expectations), profiles);
  if (values.baseline) {
    try {
      readBaseline(resolve(values.baseline));
    } catch (error) {
      throw new UsageError(`cannot use the baseline: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const microversion: string | undefined = values.microversion;
  if (microversion !== undefined) {
    for (const id of profiles) {
      const mv = loadProfile(id).model.microversions;
      if (!mv) throw new UsageError(`--microversion: profile ${id} has no microversions; choose one that has (--profile cinder-v3)`);
      if (!new RegExp(mv.pattern).test(microversion)) throw new UsageError(`--microversion must look like ${mv.base} (pattern ${mv.pattern}), not "${microversion}"`);
    }
  }
  if (values['volume-id'] && values['cluster-id']) throw new UsageError('give --volume-id or --cluster-id, not both');
  const parentId: string | undefined = values['volume-id'] ?? values['cluster-id'];
  const headers = parseHeaders(values.header ?? []);
  const token: string | undefined = values.token ?? (values['base-url'] ? process.env.SC_TOKEN || undefined : undefined);

  const runId = newRunId();
  const run: RunSettings = {
    runId,
    runDir: resolve(values['report-dir'] ?? join('reports', runId)),
    profiles,
    profileFiles: profileFilesOf(profiles),
    targets: {},
    embedded: false,
    seed: values.seed !== undefined ? Number(values.seed) : newSeed(),
    examples: positiveInt('examples', values.examples, DEFAULTS.examples),
    concurrency: positiveInt('concurrency', values.concurrency, DEFAULTS.concurrency),
    workers: positiveInt('workers', values.workers, values['base-url'] ? DEFAULTS.workersRemote : DEFAULTS.workers),
    requestTimeoutMs: 1000 * (seconds('request-timeout', values['request-timeout']) ?? DEFAULTS.requestTimeoutSeconds),
    stateTimeoutSeconds: seconds('state-timeout', values['state-timeout']),
    shrinkBudgetSeconds: seconds('shrink-budget', values['shrink-budget']) ?? DEFAULTS.shrinkBudgetSeconds,
    replayPath: values['replay-path'],
    expectations: values.expectations ? resolve(values.expectations) : undefined,
    baseline: values.baseline ? resolve(values.baseline) : undefined,
    shard: values.shard,
    microversion,
    readOnly: values['read-only'],
    maxRps: values['max-rps'] === undefined ? undefined : positiveInt('max-rps', values['max-rps'], 0),
    headers: Object.keys(headers).length ? headers : undefined,
    tls: tlsOptions(values),
    budgetSeconds: seconds('budget', values.budget) ?? DEFAULTS.budgetSeconds,
  };

  const servers: ReferenceServer[] = [];
  try {
    if (values['base-url']) {
      const baseUrl = targetUrl(values['base-url'], values['project-id']);
      for (const p of profiles) run.targets[p] = { baseUrl, token, parentId };
    } else {
      if (values.token || values['project-id'] || parentId) throw new UsageError('--token, --project-id and --volume-id need --base-url');
      run.embedded = true;
      const embeddedToken = `embedded-${randomBytes(12).toString('hex')}`;
      await Promise.all(
        profiles.map(async (p) => {
          const family = await serverFor(p);
          const server = await family.start({ token: embeddedToken });
          servers.push(server);
          run.targets[p] = { baseUrl: embeddedBaseUrl(p, server.url), token: embeddedToken };
        }),
      );
    }
    // A given parent is shared by every worker: where a parent holds few resources, one worker.
    if (parentId && profiles.some((p) => loadProfile(p).model.perParent)) run.workers = 1;
    // An unreachable target is the first thing to fix; then a missing token; then a target that is
    // not the API the way it was given (the base URL, the token).
    await Promise.all(profiles.map((p) => preflight(run, p, values['base-url'] !== undefined && !token)));

    // A report directory used again: its old results must not pass for this run's.
    rmSync(join(run.runDir, 'results.json'), { force: true });
    const where = values['base-url'] ? new Redactor(secretsOf(run)).url(run.targets[profiles[0]!]!.baseUrl) : 'the embedded reference servers';
    process.stdout.write(`snapshot-conformance: ${profiles.join(', ')} against ${where} (seed ${run.seed})\nreport: ${run.runDir}\n${runIdLine(run)}\n`);
    await playwright(run, values.grep, values.shard);
    // The run cleans up before the report is written; where its clean-up left no outcome, it never
    // got that far.
    if (!existsSync(join(run.runDir, 'state', 'cleanup.json'))) {
      for (const id of run.profiles) printCleanup(id, run, await cleanUpAfterRun(run, id));
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }

  const results = join(run.runDir, 'results.json');
  if (!existsSync(results)) {
    process.stderr.write('snapshot-conformance: the run ended without results (see the output above)\n');
    return 2;
  }
  return JSON.parse(readFileSync(results, 'utf8')).verdict === 'conformant' ? 0 : 1;
}

async function preflight(run: RunSettings, profile: string, tokenMissing: boolean): Promise<void> {
  const api = openApi({ ...run, requestTimeoutMs: Math.min(run.requestTimeoutMs, 15_000), readOnly: true }, profile);
  const probe = await api.list();
  if (!probe.response) throw new UsageError(`the target of ${profile} is unreachable: ${run.targets[profile]!.baseUrl} (${probe.error})`);
  if (tokenMissing) throw new UsageError('--token is required with --base-url (or SC_TOKEN in the environment): the profiles authenticate with X-Auth-Token');
  const wrong = await misconfiguration(api);
  if (wrong) throw new UsageError(`${profile}: ${wrong}`);
}

/** The profiles asked for: the package's by id (all by default), a user's by the path of its folder. */
function chooseProfiles(asked: string[] | undefined): string[] {
  const list = (asked ?? ['all']).flatMap((p) => p.split(',')).filter(Boolean);
  if (list.includes('all')) return profileIds();
  const ids = list.map((p) => resolveProfile(p));
  for (const id of ids) loadProfile(id);
  return [...new Set(ids)];
}

/** An expectations file must be readable and speak only of clauses of the profiles run. */
function checkExpectations(file: string, profiles: string[]): void {
  let entries;
  try {
    entries = readExpectations(file);
  } catch (error) {
    throw new UsageError(`cannot use the expectations file: ${(error as Error).message.split('\n')[0]}`);
  }
  const known = new Set(profiles.flatMap((p) => [...loadProfile(p).clauses.keys()]));
  const unknown = entries.find((e) => !known.has(e.clause));
  if (unknown) throw new UsageError(`the expectations file names clause ${unknown.clause}, which no profile of this run has (see snapshot-conformance list clauses)`);
}

/** --header 'Name: value' (repeatable). */
export function parseHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of raw) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(h);
    if (!m) throw new UsageError(`--header must look like 'Name: value', not "${h}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
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

function playwright(run: RunSettings, grep: string | undefined, shard: string | undefined): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const config = existsSync(join(PACKAGE_ROOT, 'dist', 'playwright.config.js')) ? join(PACKAGE_ROOT, 'dist', 'playwright.config.js') : join(PACKAGE_ROOT, 'playwright.config.ts');
  const args = [cli, 'test', '--config', config];
  if (grep) args.push('--grep', grep);
  if (shard) args.push('--shard', shard);
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...toEnv(run), SC_CLI: '1' } });
    // SIGTERM too becomes an interrupt Playwright handles: it stops the tests, the run cleans up,
    // and the report says what ran.
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

/** --client-cert, --client-key and --ca-cert: readable PEM files, the certificate and its key together. */
export function tlsOptions(values: Record<string, any>): RunSettings['tls'] {
  const [cert, key, ca] = (['client-cert', 'client-key', 'ca-cert'] as const).map((name) => {
    const file: string | undefined = values[name];
    if (file === undefined) return undefined;
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`--${name}: cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!/-----BEGIN [A-Z ]+-----/.test(text)) throw new UsageError(`--${name}: ${path} is not PEM (it has no -----BEGIN ... ----- line)`);
    return path;
  });
  if (Boolean(cert) !== Boolean(key)) throw new UsageError('--client-cert and --client-key go together: give both');
  return cert || ca ? { cert, key, ca } : undefined;
}
