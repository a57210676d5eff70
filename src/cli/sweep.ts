// sweep: removes what crashed runs left on a target, found through their ledgers and the suite's
// name prefix (sc-<run id>-). It never touches a resource whose name lacks that prefix, unless the
// run's ledger says the run made it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { profileIds } from '../profile/load.ts';
import { resolveProfile } from '../profile/sources.ts';
import { sweep } from '../resources/sweep.ts';
import { DEFAULTS, profileFilesOf, type RunSettings } from '../run/settings.ts';
import { openApi } from '../run/world.ts';
import { UsageError } from './usage.ts';
import { targetUrl } from './run.ts';

const RUN_ID = /^\d{8}T\d{6}-[0-9a-f]{4}$/;

export async function sweepCommand(values: Record<string, any>): Promise<number> {
  if (!values.profile) throw new UsageError(`sweep needs --profile, one of ${profileIds().join(', ')} or the path of a profile folder`);
  const profileId = resolveProfile(values.profile);
  if (!values['base-url']) throw new UsageError('sweep needs --base-url (the endpoint the runs went to)');
  const token: string | undefined = values.token ?? (process.env.SC_TOKEN || undefined);
  if (!token) throw new UsageError('sweep needs --token (or SC_TOKEN in the environment)');
  const runs: string[] | undefined = values.run;
  if (!runs?.length && !values['all-runs']) throw new UsageError('sweep needs --run ID (repeatable) or --all-runs');
  if (runs?.length && values['all-runs']) throw new UsageError('give --run or --all-runs, not both');
  for (const id of runs ?? []) if (!RUN_ID.test(id)) throw new UsageError(`--run must be a run id like 20261123T120000-1a2b, not "${id}"`);
  // The ledger: the report directory given, or the run's default one.
  const dir = values['report-dir'] ? resolve(values['report-dir']) : runs?.length === 1 ? resolve('reports', runs[0]!) : undefined;
  const ledgerFile = dir && existsSync(join(dir, 'ledger.jsonl')) ? join(dir, 'ledger.jsonl') : undefined;
  if (values['report-dir'] && !ledgerFile) throw new UsageError(`no ledger.jsonl in ${dir}`);

  const baseUrl = targetUrl(values['base-url'], values['project-id']);
  const settings: RunSettings = {
    runId: 'sweep',
    runDir: dir ?? resolve('reports', 'sweep'),
    profiles: [profileId],
    profileFiles: profileFilesOf([profileId]),
    targets: { [profileId]: { baseUrl, token } },
    embedded: false,
    seed: 0,
    examples: 0,
    concurrency: 1,
    workers: 1,
    requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
    shrinkBudgetSeconds: 0,
    budgetSeconds: DEFAULTS.budgetSeconds,
    readOnly: values['dry-run'],
  };
  let report: Awaited<ReturnType<typeof sweep>>;
  try {
    report = await sweep(openApi(settings, profileId), { runs, ledgerFile, dryRun: values['dry-run'] });
  } catch (error) {
    throw new UsageError(`cannot sweep ${baseUrl}: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const label = (f: { kind: string; id: string; name?: string }) => `${f.kind} ${f.id}${f.name ? ` (${f.name})` : ''}`;
  if (values['dry-run']) {
    for (const f of report.found) process.stdout.write(`would remove ${label(f)}\n`);
    process.stdout.write(`${report.found.length} resource(s) left by ${runs ? runs.join(', ') : 'earlier runs'}${ledgerFile ? '' : ' (found by name; no ledger)'}\n`);
    return 0;
  }
  const byId = new Map(report.found.map((f) => [f.id, f]));
  for (const id of report.deleted) process.stdout.write(`removed ${label(byId.get(id) ?? { kind: '', id })}\n`);
  for (const f of report.failed) process.stderr.write(`could not remove ${label(byId.get(f.id) ?? f)}: ${f.reason}\n`);
  process.stdout.write(`removed ${report.deleted.length} of ${report.found.length} resource(s)\n`);
  return report.failed.length ? 1 : 0;
}
