// sweep: removes what crashed runs left on a target, found through their ledgers and the suite's
// name prefix (sc-<run id>-). It never touches a resource whose name lacks that prefix, unless the
// run's ledger says the run made it. It never says "nothing left" without having looked: the target
// is checked first as a run checks it (reached, the token and headers accepted, the profile's API),
// and a sweep that cannot look stops with exit 2.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { profileIds } from '../profile/load.ts';
import { registeredProfiles } from '../profile/sources.ts';
import { resolveCheckedProfile } from '../profile/check.ts';
import { sweep, type SweepReport } from '../resources/sweep.ts';
import { readState } from '../run/outcome.ts';
import { misconfiguration } from '../run/preflight.ts';
import { DEFAULTS, profileFilesOf, registerRunProfiles, type RunSettings } from '../run/settings.ts';
import { openApi } from '../run/world.ts';
import { UsageError } from './usage.ts';
import { parseHeaders, targetUrl, tlsOptions } from './run.ts';

const RUN_ID = /^\d{8}T\d{6}-[0-9a-f]{4}$/;

/** What a run's report directory tells a sweep: the ledger, and the runs, profiles and target it names. */
interface RunDirectory {
  ledgerFile: string;
  runs: string[];
  profiles: string[];
  /** The base URL the run went to, unless it was redacted (it held a secret). */
  baseUrl?: string;
  /** The names of the headers the run added: their values are kept nowhere. */
  headers: string[];
}

function readRunDirectory(dir: string): RunDirectory {
  const ledgerFile = join(dir, 'ledger.jsonl');
  if (!existsSync(ledgerFile)) throw new UsageError(`no ledger.jsonl in ${dir}: give the report directory of the run to sweep`);
  const runs = new Set<string>();
  const profiles = new Set<string>();
  for (const line of readFileSync(ledgerFile, 'utf8').split('\n')) {
    try {
      const event = JSON.parse(line);
      // Entries the sweeps themselves wrote carry no run id of their own.
      if (RUN_ID.test(event.run)) runs.add(event.run);
      if (typeof event.profile === 'string') profiles.add(event.profile);
    } catch {
      // an empty line, or one cut by a crash
    }
  }
  const settings = readState<RunSettings>(dir, 'settings');
  // The run's profiles from folders of the user's are known again by their ids.
  if (settings) registerRunProfiles(settings);
  if (settings?.runId && RUN_ID.test(settings.runId)) runs.add(settings.runId);
  for (const p of settings?.profiles ?? []) profiles.add(p);
  const urls = [...new Set(Object.values(settings?.targets ?? {}).map((t) => t.baseUrl))];
  const baseUrl = !settings?.embedded && urls.length === 1 && !urls[0]!.includes('[redacted]') ? urls[0] : undefined;
  return { ledgerFile, runs: [...runs], profiles: [...profiles].filter((p) => profileIds().includes(p) || Object.hasOwn(registeredProfiles(), p)), baseUrl, headers: Object.keys(settings?.headers ?? {}) };
}

export async function sweepCommand(values: Record<string, any>): Promise<number> {
  const given: RunDirectory | undefined = values['report-dir'] ? readRunDirectory(resolve(values['report-dir'])) : undefined;
  const profileId: string | undefined = values.profile === undefined ? undefined : resolveCheckedProfile(values.profile);
  const profiles = profileId ? [profileId] : (given?.profiles ?? []);
  if (!profiles.length) throw new UsageError(`sweep needs --profile, one of ${profileIds().join(', ')} or the path of a profile folder (or --report-dir of a run)`);
  const rawUrl: string | undefined = values['base-url'] ?? given?.baseUrl;
  if (!rawUrl) throw new UsageError(`sweep needs --base-url (the endpoint the runs went to)${given ? ': the report directory does not name it' : ''}`);
  const token: string | undefined = values.token ?? (process.env.SC_TOKEN || undefined);
  if (!token) throw new UsageError('sweep needs --token (or SC_TOKEN in the environment)');
  const headers = parseHeaders(values.header ?? []);
  const missing = (given?.headers ?? []).filter((h) => !Object.keys(headers).some((k) => k.toLowerCase() === h.toLowerCase()));
  if (missing.length) throw new UsageError(`the run sent ${missing.map((h) => `--header '${h}: ...'`).join(' ')}: give ${missing.length > 1 ? 'them' : 'it'} again (header values are kept nowhere)`);
  let runs: string[] | undefined = values.run;
  if (runs?.length && values['all-runs']) throw new UsageError('give --run or --all-runs, not both');
  for (const id of runs ?? []) if (!RUN_ID.test(id)) throw new UsageError(`--run must be a run id like 20261123T120000-1a2b, not "${id}"`);
  if (!runs?.length && !values['all-runs']) {
    if (!given?.runs.length) throw new UsageError('sweep needs --report-dir DIR (the run\'s report directory), --run ID (repeatable) or --all-runs');
    runs = given.runs;
  }
  // The ledger: the report directory given, or the run's default one.
  const dir = given ? resolve(values['report-dir']) : runs?.length === 1 ? resolve('reports', runs[0]!) : undefined;
  const ledgerFile = given?.ledgerFile ?? (dir && existsSync(join(dir, 'ledger.jsonl')) ? join(dir, 'ledger.jsonl') : undefined);

  const baseUrl = targetUrl(rawUrl, values['project-id']);
  const settings: RunSettings = {
    runId: 'sweep',
    runDir: dir ?? resolve('reports', 'sweep'),
    tls: tlsOptions(values),
    profiles,
    profileFiles: profileFilesOf(profiles),
    targets: Object.fromEntries(profiles.map((p) => [p, { baseUrl, token }])),
    embedded: false,
    seed: 0,
    examples: 0,
    concurrency: 1,
    workers: 1,
    requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
    shrinkBudgetSeconds: 0,
    budgetSeconds: DEFAULTS.budgetSeconds,
    readOnly: values['dry-run'],
    headers: Object.keys(headers).length ? headers : undefined,
  };
  const whose = runs ? runs.join(', ') : 'earlier runs';
  let code = 0;
  for (const profile of profiles) {
    // Before anything else: can the sweep look at all? A refused token, an unreachable target or
    // another API would otherwise find nothing, and "nothing left" would be a false all-clear.
    const wrong = await misconfiguration(openApi({ ...settings, readOnly: true, requestTimeoutMs: Math.min(settings.requestTimeoutMs, 15_000) }, profile));
    if (wrong) throw new UsageError(`sweep cannot look for what ${whose} left (${profile}): ${wrong}`);
    let report: SweepReport;
    try {
      report = await sweep(openApi(settings, profile), { runs, ledgerFile, dryRun: values['dry-run'] });
    } catch (error) {
      throw new UsageError(`cannot sweep ${baseUrl}: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
    code = Math.max(code, printSweep(profile, report, whose, Boolean(ledgerFile), values['dry-run']));
  }
  return code;
}

/** What one profile's sweep did; its exit code: 2 when it could not look, 1 when something is left. */
function printSweep(profile: string, report: SweepReport, whose: string, withLedger: boolean, dryRun: boolean): number {
  const label = (f: { kind: string; id: string; name?: string }) => `${f.kind} ${f.id}${f.name ? ` (${f.name})` : ''}`;
  const byId = new Map(report.found.map((f) => [f.id, f]));
  // The list failed after the check: only what the ledger holds was looked at.
  const blind = report.listError ? `${profile}: could not list the target (${report.listError}): what the ledger does not hold was not looked for` : undefined;
  if (dryRun) {
    for (const f of report.found) process.stdout.write(`would remove ${label(f)}\n`);
    if (blind) process.stderr.write(`${blind}\n`);
    else process.stdout.write(`${report.found.length} resource(s) left by ${whose} (${profile}${withLedger ? '' : '; found by name, no ledger'})\n`);
    return blind ? 2 : 0;
  }
  for (const id of report.deleted) process.stdout.write(`removed ${label(byId.get(id) ?? { kind: '', id })}\n`);
  for (const f of report.failed) process.stderr.write(`could not remove ${label(byId.get(f.id) ?? f)}: ${f.reason}\n`);
  for (const f of report.unconfirmed) process.stderr.write(`cannot tell whether ${label(byId.get(f.id) ?? f)} is gone: ${f.reason}\n`);
  process.stdout.write(`removed ${report.deleted.length} of ${report.found.length} resource(s) left by ${whose} (${profile})\n`);
  if (blind) {
    process.stderr.write(`${blind}\n`);
    return 2;
  }
  return report.failed.length || report.unconfirmed.length ? 1 : 0;
}
