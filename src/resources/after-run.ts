// The clean-up after a run's tests, whatever way they ended (passed, failed, out of time,
// interrupted, a worker gone): what the run made and its tests did not remove is removed here,
// from the run's ledger and by the run's name prefix. The run does it after its tests (Playwright's
// global teardown) and hands the outcome to the report; the CLI does it itself only when the test
// runner ended without a report.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { RunSettings } from '../run/settings.ts';
import { newTransitions, openApi, runFiles } from '../run/world.ts';
import { sweep } from './sweep.ts';

/** How long the clean-up after the tests waits on a change that timed out in the run. */
const AFTER_RUN_CUT_MS = 30_000;

export interface Leftover {
  kind: string;
  id: string;
  name?: string;
}

export interface AfterRunCleanup {
  /** Resources the run made, by kind (its ledger, and what the target shows named for it). */
  made: Record<string, number>;
  /** Left by the tests and removed after them. */
  removed: Leftover[];
  /** Left by the tests and seen still on the target afterwards: `sweep` is the way to remove them. */
  notRemoved: Array<Leftover & { reason: string }>;
  /** Their removal went wrong, and no fresh read could tell whether they are still there. */
  unconfirmed?: Array<Leftover & { reason: string }>;
  /** A read-only run removes nothing: what it found named for itself (there should be nothing). */
  readOnly?: boolean;
  /** The clean-up itself could not run (the target stopped answering, say). */
  error?: string;
}

export async function cleanUpAfterRun(run: RunSettings, profileId: string): Promise<AfterRunCleanup> {
  const ledgerFile = runFiles(run.runDir).ledger;
  try {
    // A resource still being made gets the rest of its time, counted from its creation: the state
    // timeout, or where a wait for it timed out in the run, more than a test's cut-short wait.
    const report = await sweep(openApi(run, profileId, 1, newTransitions(run, profileId, AFTER_RUN_CUT_MS)), {
      runs: [run.runId],
      ledgerFile: existsSync(ledgerFile) ? ledgerFile : undefined,
      dryRun: run.readOnly,
    });
    const byId = new Map(report.found.map((f) => [f.id, f]));
    return {
      made: report.made,
      removed: report.deleted.map((id) => byId.get(id) ?? { kind: '', id }),
      notRemoved: run.readOnly ? report.found.map((f) => ({ ...f, reason: 'a read-only run removes nothing' })) : report.failed.map((f) => ({ ...(byId.get(f.id) ?? f), reason: f.reason })),
      unconfirmed: report.unconfirmed.length ? report.unconfirmed.map((f) => ({ ...(byId.get(f.id) ?? f), reason: f.reason })) : undefined,
      readOnly: run.readOnly || undefined,
      error: report.listError && `could not list the target (${report.listError}): only what the ledger holds was looked for`,
    };
  } catch (error) {
    return { made: {}, removed: [], notRemoved: [], readOnly: run.readOnly || undefined, error: (error as Error).message.split('\n')[0] };
  }
}

/**
 * The command that removes what a run left on its target: its report directory holds the ledger,
 * the run id, the profiles and the target; the token comes from SC_TOKEN as for the run, and each
 * header the run added must be given again (its value is kept nowhere).
 */
export function sweepCommandOf(run: Pick<RunSettings, 'runDir' | 'headers'>): string {
  const near = relative(process.cwd(), run.runDir) || '.';
  const dir = near.startsWith('..') ? run.runDir : near;
  const headers = Object.keys(run.headers ?? {}).map((h) => ` --header '${h}: ...'`).join('');
  return `snapshot-conformance sweep --report-dir ${/^[\w./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`}${headers}`;
}

/**
 * The line a run prints among its first: its id and, where it works on a target of its own, the
 * command that removes what it made should the run be killed outright.
 */
export function runIdLine(run: Pick<RunSettings, 'runId' | 'runDir' | 'headers' | 'embedded'>): string {
  if (run.embedded) return `run ${run.runId}`;
  return `run ${run.runId}; if it is killed, \`${sweepCommandOf(run)}\` removes what it made (token in SC_TOKEN)`;
}

/** Says on the terminal what a clean-up did: progress on stdout, what is left on stderr. */
export function printCleanup(profileId: string, run: Pick<RunSettings, 'runDir' | 'headers'>, c: AfterRunCleanup, redact: (line: string) => string = (line) => line): void {
  const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const err = (line: string) => process.stderr.write(`${redact(line)}\n`);
  const sweepHint = `run \`${sweepCommandOf(run)}\` (token in SC_TOKEN)`;
  const unconfirmed = c.unconfirmed ?? [];
  if (c.error) err(`${profileId}: clean-up after the tests failed: ${c.error}; ${sweepHint}`);
  else if (c.readOnly) {
    if (c.notRemoved.length) err(`${profileId}: ${c.notRemoved.length} resource(s) named for this run exist, although it was read-only`);
  } else {
    const left = c.removed.length + c.notRemoved.length + unconfirmed.length;
    if (left) out(`${profileId}: clean-up after the tests removed ${c.removed.length} of ${left} resource(s) left by this run`);
    for (const f of c.notRemoved) err(`${profileId}: could not remove ${f.kind} ${f.id}: ${f.reason}`);
    for (const f of unconfirmed) err(`${profileId}: cannot tell whether ${f.kind} ${f.id} is gone: ${f.reason}`);
    if (c.notRemoved.length || unconfirmed.length) err(`${profileId}: ${sweepHint}`);
  }
}
