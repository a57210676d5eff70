// run: checks the request, starts the embedded reference servers when no target is given, makes
// sure each target is the profile's API at all, then runs the suite through Playwright (the
// package's playwright.config) and exits by the verdict the report wrote (src/report/verdict.ts).
// Every wrong set-up stops before anything is made, with exit code 2 and one line; the test runner
// and its workers end with the run, a second Ctrl-C ending them at once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { embeddedBaseUrl, loadProfile, PACKAGE_ROOT, profileIds } from '../profile/load.ts';
import { readBaseline, readExpectations } from '../report/known.ts';
import { EXIT } from '../report/verdict.ts';
import { cleanUpAfterRun, printCleanup, runIdLine } from '../resources/after-run.ts';
import { readRecords } from '../run/records.ts';
import { unwritableFolder } from '../util/folders.ts';
import { anotherApi, misconfiguration, parentProblem } from '../run/preflight.ts';
import { selectTests, testId } from '../run/selection.ts';
import { DEFAULTS, newRunId, newSeed, profileFilesOf, restrictionOf, secretsOf, toEnv, type RunSettings } from '../run/settings.ts';
import { registeredProfiles } from '../profile/sources.ts';
import { resolveCheckedProfile } from '../profile/check.ts';
import { Redactor } from '../http/redact.ts';
import { openApi } from '../run/world.ts';
import { CLI_PIPE_FD } from '../run/with-the-cli.ts';
import type { ReferenceServer } from '../servers/index.ts';
import { CLAUSE_MAP } from '../../suites/clause-map.ts';
import { suitePlan } from '../../suites/plan.ts';
import { positiveInt, seconds, UsageError } from './usage.ts';

export async function runCommand(values: Record<string, any>): Promise<number> {
  // A target is one API: which one is not guessed.
  if (values['base-url'] !== undefined && values.profile === undefined) throw new UsageError('--base-url needs --profile: say which API the target is (see snapshot-conformance list profiles)');
  let profiles = chooseProfiles(values.profile);
  if (values['base-url'] !== undefined && profiles.length !== 1) throw new UsageError(`--base-url is one API: give one --profile, not ${profiles.join(', ')}`);
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
  if (values['replay-path'] !== undefined) {
    // "<fast-check path>@<commands' replay path>", as the report gives it with its seed.
    if (!/^\d+(:\d+)*(@([A-Za-z0-9+/]*:[A-Za-z0-9+/]*)?)?$/.test(values['replay-path'])) throw new UsageError(`--replay-path must be a path the report gives (like 3:0:1@CBA:bA), not "${values['replay-path']}"`);
    if (values.seed === undefined) throw new UsageError('--replay-path needs the --seed the report gives with it');
  }
  const maxFailures = values['max-failures'] === undefined ? undefined : positiveInt('max-failures', values['max-failures'], 0);
  const selection = chooseTests(values, profiles);
  profiles = selection.profiles;
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
    grep: values.grep,
    tests: selection.tests,
    clauses: selection.clauses,
    selectedBy: selection.selectedBy,
    maxFailures,
  };
  // Every option is checked: the report folder is made (and a folder that cannot be stops the run).
  const reportDir = prepareReportDir(run.runDir, values['report-dir']);

  const servers: ReferenceServer[] = [];
  let outcome: { code: number; killed: boolean; interrupted: boolean };
  try {
    if (values['base-url']) {
      const baseUrl = targetUrl(values['base-url'], values['project-id']);
      for (const p of profiles) run.targets[p] = { baseUrl, token, parentId };
    } else {
      if (values.token || values['project-id'] || parentId) throw new UsageError('--token, --project-id and --volume-id need --base-url');
      run.embedded = true;
      const embeddedToken = `embedded-${randomBytes(12).toString('hex')}`;
      // Loaded only here: a run against an endpoint never needs the reference servers.
      const { serverFor } = await import('../servers/index.ts');
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
    // not the API the way it was given (the base URL, the token, the profile, the parent).
    const given = parentId ? { id: parentId, option: values['volume-id'] ? '--volume-id' : '--cluster-id' } : undefined;
    await Promise.all(profiles.map((p) => preflight(run, p, { tokenMissing: values['base-url'] !== undefined && !token, remote: values['base-url'] !== undefined, given })));

    // A report directory used again: its old results must not pass for this run's.
    rmSync(join(run.runDir, 'results.json'), { force: true });
    const where = values['base-url'] ? new Redactor(secretsOf(run)).url(run.targets[profiles[0]!]!.baseUrl) : 'the embedded reference servers';
    const restricted = restrictionOf(run);
    process.stdout.write(
      `snapshot-conformance: ${profiles.join(', ')} against ${where} (seed ${run.seed})${restricted ? `; restricted on purpose (${restricted}): a verdict on what it tests, not on the whole profile` : ''}\nreport: ${run.runDir}\n${runIdLine(run)}\n`,
    );
    outcome = await playwright(run, values.shard);
    // The run cleans up before the report is written; where its clean-up left no outcome, it never
    // got that far. A run stopped at once (a second Ctrl-C) leaves it to sweep.
    if (!outcome.killed && !existsSync(join(run.runDir, 'state', 'cleanup.json'))) {
      for (const id of run.profiles) printCleanup(id, run, await cleanUpAfterRun(run, id));
    }
  } catch (error) {
    // Stopped before the tests: a report folder this run made holds nothing worth keeping.
    if (error instanceof UsageError) reportDir.removeIfMadeEmpty();
    throw error;
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }

  if (outcome.killed) {
    const target = values['base-url'] ? ` --base-url ${new Redactor(secretsOf(run)).url(values['base-url'])}` : '';
    process.stdout.write(
      `stopped at once: what the run made may be left on the target; remove it with: npx snapshot-conformance sweep --profile ${profiles[0]}${target} --run ${run.runId} --report-dir ${run.runDir}\n`,
    );
    return EXIT.interrupted;
  }
  const results = join(run.runDir, 'results.json');
  if (!existsSync(results)) {
    if (outcome.interrupted) return EXIT.interrupted;
    process.stderr.write('snapshot-conformance: the run ended without results (see the output above)\n');
    return EXIT.usage;
  }
  // The verdict's exit code, as the report wrote it (its last line on the terminal says why).
  return JSON.parse(readFileSync(results, 'utf8')).exitCode;
}

async function preflight(run: RunSettings, profile: string, o: { tokenMissing: boolean; remote: boolean; given?: { id: string; option: string } }): Promise<void> {
  const quick = { ...run, requestTimeoutMs: Math.min(run.requestTimeoutMs, 15_000), readOnly: true };
  const api = openApi(quick, profile);
  const probe = await api.list();
  if (!probe.response) throw new UsageError(`the target of ${profile} is unreachable: ${run.targets[profile]!.baseUrl} (${probe.error})`);
  const auth = loadProfile(profile).model.auth;
  if (o.tokenMissing && auth.kind !== 'none') {
    const how = auth.kind === 'header' ? `in ${auth.header}${auth.scheme ? ` as "${auth.scheme} <token>"` : ''}` : auth.kind === 'query' ? `in the query parameter ${auth.query}` : 'to sign its requests';
    throw new UsageError(`--token is required with --base-url (or SC_TOKEN in the environment): ${profile} sends it ${how}`);
  }
  const wrong = (await misconfiguration(api)) ?? (o.remote ? await anotherApi(api, otherApis(quick, profile)) : undefined) ?? (await parentProblem(api, o.given));
  if (wrong) throw new UsageError(`${profile}: ${wrong}`);
}

/** The other profiles' APIs, opened on this profile's target: which API the target is, when it is not this one. */
function otherApis(run: RunSettings, profile: string) {
  return profileIds()
    .filter((p) => p !== profile)
    .map((p) => () => openApi({ ...run, targets: { [p]: run.targets[profile]! }, microversion: undefined }, p));
}

/** The report folder, made and written to before anything is made on a target (a folder that cannot be is exit 2). */
function prepareReportDir(dir: string, asked: string | undefined) {
  const existed = existsSync(dir);
  const why = unwritableFolder(dir);
  if (why) {
    throw new UsageError(`${asked !== undefined ? `--report-dir ${asked}` : `the report folder ${dir}`}: cannot be made or written (${why}); give a folder that can`);
  }
  return {
    path: dir,
    removeIfMadeEmpty: () => {
      if (!existed && existsSync(dir) && !readdirSync(dir).length) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The tests a run runs, and the clauses it judges: all; or by --clause (the tests that judge each,
 * suites/clause-map.ts), by --last-failed (the tests that failed those clauses in a run's report
 * folder), by --grep; a selection that matches nothing is bad input. Profiles with no test selected
 * are left out.
 */
function chooseTests(values: Record<string, any>, asked: string[]): { profiles: string[]; tests?: string[]; clauses?: string[]; selectedBy?: string } {
  const clauseIds: string[] | undefined = values.clause;
  const lastFailed: string | undefined = values['last-failed'];
  if (clauseIds && lastFailed) throw new UsageError('give --clause or --last-failed, not both');
  let profiles = asked;
  let tests: string[] | undefined;
  let clauses: string[] | undefined;
  let selectedBy: string | undefined;
  if (clauseIds) {
    for (const id of clauseIds) if (!profiles.some((p) => loadProfile(p).clauses.has(id))) throw new UsageError(`--clause ${id}: no profile of this run has that clause (see snapshot-conformance list clauses)`);
    clauses = [...new Set(clauseIds)];
    tests = profiles.flatMap((p) => testsJudging(p, clauses!));
    selectedBy = clauses.map((c) => `--clause ${c}`).join(' ');
  } else if (lastFailed) {
    const failed = failedIn(lastFailed);
    profiles = profiles.filter((p) => failed.has(p));
    if (!profiles.length) throw new UsageError(`--last-failed ${lastFailed}: no clause of ${asked.join(', ')} failed in that run; nothing to rerun`);
    clauses = profiles.flatMap((p) => failed.get(p)!.clauses);
    tests = profiles.flatMap((p) => failed.get(p)!.tests);
    selectedBy = `--last-failed ${lastFailed}`;
  }
  const plan = selectTests(suitePlan(profiles), { grep: values.grep, tests });
  if (!plan.length) {
    throw new UsageError(
      values.grep !== undefined
        ? `--grep ${values.grep} matches no test${tests ? ` of ${selectedBy}` : ''} (a test's title reads "${testId({ profile: profiles[0]!, group: 'lifecycle', title: 'property: random sequences agree with the model' })} @${profiles[0]}")`
        : `${selectedBy} selects no test`,
    );
  }
  if (tests || values.grep !== undefined) profiles = profiles.filter((p) => plan.some((t) => t.profile === p));
  return { profiles, tests, clauses, selectedBy };
}

/** The tests of a profile that judge any of the clauses (every test, for a profile the map does not know). */
function testsJudging(profile: string, clauses: string[]): string[] {
  const map = CLAUSE_MAP[profile];
  const plan = suitePlan([profile]);
  if (!map) return plan.map(testId);
  return plan.filter((t) => map[`${t.group} › ${t.title}`]?.some((c) => clauses.includes(c))).map(testId);
}

/** What failed in a run's report folder: by profile, the failed clauses and the tests that failed them. */
function failedIn(dir: string): Map<string, { clauses: string[]; tests: string[] }> {
  const folder = resolve(dir);
  let doc: any;
  try {
    doc = JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8'));
  } catch (error) {
    throw new UsageError(`--last-failed ${dir}: not the report folder of a run (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]} reading its results.json)`);
  }
  const out = new Map<string, { clauses: string[]; tests: string[] }>();
  for (const r of Array.isArray(doc?.profiles) ? doc.profiles : [doc]) {
    const clauses: string[] = (r?.clauses ?? []).filter((c: any) => c.status === 'fail').map((c: any) => c.id);
    if (!clauses.length || !(profileIds().includes(r.profile) || Object.hasOwn(registeredProfiles(), r.profile))) continue;
    // The tests that failed them, from the run's records; where the folder has none, the map's.
    const failing = readRecords(folder, r.profile).filter((rec) => rec.test && rec.findings.some((f) => f.outcome === 'fail' && clauses.includes(f.clause)));
    const tests = failing.length ? [...new Set(failing.map((rec) => `${r.profile} › ${rec.test}`))] : testsJudging(r.profile, clauses);
    out.set(r.profile, { clauses, tests });
  }
  return out;
}

/** The profiles asked for: the package's by id (all by default), a user's by the path of its folder. */
function chooseProfiles(asked: string[] | undefined): string[] {
  const list = (asked ?? ['all']).flatMap((p) => p.split(',')).filter(Boolean);
  if (list.includes('all')) return profileIds();
  const ids = list.map((p) => resolveCheckedProfile(p));
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

/** How long a second signal counts as the same interrupt: npx forwards the terminal's Ctrl-C, which the run also gets. */
const SAME_INTERRUPT_MS = 1000;

/**
 * Runs the tests in Playwright, a process group of its own (the runner and its workers), which
 * ends with the run whatever happens. The first SIGINT or SIGTERM becomes an interrupt the runner
 * handles: it stops the tests, the run cleans up, the report says what ran. A second one ends the
 * whole group at once.
 */
function playwright(run: RunSettings, shard: string | undefined): Promise<{ code: number; killed: boolean; interrupted: boolean }> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const config = existsSync(join(PACKAGE_ROOT, 'dist', 'playwright.config.js')) ? join(PACKAGE_ROOT, 'dist', 'playwright.config.js') : join(PACKAGE_ROOT, 'playwright.config.ts');
  const args = [cli, 'test', '--config', config];
  if (shard) args.push('--shard', shard);
  return new Promise((resolvePromise) => {
    // Its own group; fd 3 is the pipe whose closing ends it with this process (src/run/with-the-cli.ts).
    const child = spawn(process.execPath, args, {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      detached: true,
      env: { ...process.env, ...toEnv(run), SC_CLI: '1', SC_CLI_PID: String(process.pid) },
    });
    const group = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group has ended
      }
    };
    let first: number | undefined;
    let killed = false;
    let ended = false;
    const onSignal = () => {
      const now = performance.now();
      if (first === undefined) {
        first = now;
        child.kill('SIGINT');
        setTimeout(() => {
          if (!ended) process.stdout.write('\ninterrupted: the tests stop and the run removes what it made; Ctrl-C again stops everything at once\n');
        }, SAME_INTERRUPT_MS).unref();
      } else if (now - first >= SAME_INTERRUPT_MS && !killed) {
        killed = true;
        group();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', group);
    child.on('exit', (code) => {
      ended = true;
      child.stdio[CLI_PIPE_FD]?.destroy();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('exit', group);
      // Nothing of the group outlives the run (a worker the runner left behind).
      group();
      resolvePromise({ code: code ?? EXIT.interrupted, killed, interrupted: first !== undefined });
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
