// sweep: removes what crashed runs left on a target, found through their ledgers and the suite's
// name prefix (sc-<run id>-). It never touches a resource whose name lacks that prefix, unless the
// run's ledger says the run made it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Target } from '../http/client.ts';
import { loadProfile, profileIds } from '../profile/load.ts';
import { sweep } from '../target/sweep.ts';
import { parseOptions } from './main.ts';
import { UsageError } from './usage.ts';
import { targetUrl } from './run.ts';

const RUN_ID = /^\d{8}T\d{6}-[0-9a-f]{4}$/;

export async function sweepCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    profile: { type: 'string' },
    'base-url': { type: 'string' },
    token: { type: 'string' },
    'project-id': { type: 'string' },
    run: { type: 'string', multiple: true },
    'all-runs': { type: 'boolean' },
    'report-dir': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const profileId = values.profile;
  if (!profileId || !profileIds().includes(profileId)) throw new UsageError(`sweep needs --profile, one of ${profileIds().join(', ')}`);
  if (!values['base-url']) throw new UsageError('sweep needs --base-url (the endpoint the runs went to)');
  if (!values.token) throw new UsageError('sweep needs --token');
  const runs = values.run;
  if (!runs?.length && !values['all-runs']) throw new UsageError('sweep needs --run ID (repeatable) or --all-runs');
  if (runs?.length && values['all-runs']) throw new UsageError('give --run or --all-runs, not both');
  for (const id of runs ?? []) if (!RUN_ID.test(id)) throw new UsageError(`--run must be a run id like 20261123T120000-1a2b, not "${id}"`);
  // The ledger: the report directory given, or the run's default one.
  const dir = values['report-dir'] ? resolve(values['report-dir']) : runs?.length === 1 ? resolve('reports', runs[0]!) : undefined;
  const ledgerFile = dir && existsSync(join(dir, 'ledger.jsonl')) ? join(dir, 'ledger.jsonl') : undefined;
  if (values['report-dir'] && !ledgerFile) throw new UsageError(`no ledger.jsonl in ${dir}`);

  const profile = loadProfile(profileId);
  const target: Target = { profile: profileId, baseUrl: targetUrl(values['base-url'], values['project-id']), token: values.token, requestTimeoutMs: 30_000 };
  let report: Awaited<ReturnType<typeof sweep>>;
  try {
    report = await sweep(profile, target, { runs, ledgerFile, dryRun: values['dry-run'] });
  } catch (error) {
    throw new UsageError(`cannot sweep ${target.baseUrl}: ${((error as Error).message.split('\n')[0] ?? '').replace(/^apiRequestContext\.\w+: /, '')}`);
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
