// The clean-up after a run's tests, whatever way they ended (passed, failed, out of time,
// interrupted, a worker gone): what the run made and its tests did not remove is removed here,
// from the run's ledger and by the run's name prefix. The run does it after its tests (Playwright's
// global teardown) and hands the outcome to the report; the CLI does it itself only when the test
// runner ended without a report.
import { existsSync } from 'node:fs';
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
  /** Left by the tests and still on the target: `sweep --run <id>` is the way to remove them. */
  notRemoved: Array<Leftover & { reason: string }>;
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
      readOnly: run.readOnly || undefined,
      error: report.listError && `could not list the target (${report.listError}): only what the ledger holds was looked for`,
    };
  } catch (error) {
    return { made: {}, removed: [], notRemoved: [], readOnly: run.readOnly || undefined, error: (error as Error).message.split('\n')[0] };
  }
}

/** Says on the terminal what a clean-up did: progress on stdout, what is left on stderr. */
export function printCleanup(profileId: string, runId: string, c: AfterRunCleanup, redact: (line: string) => string = (line) => line): void {
  const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const err = (line: string) => process.stderr.write(`${redact(line)}\n`);
  const sweepHint = `run \`snapshot-conformance sweep --profile ${profileId} --run ${runId} --base-url ... --token ...\``;
  if (c.error) err(`${profileId}: clean-up after the tests failed: ${c.error}; ${sweepHint}`);
  else if (c.readOnly) {
    if (c.notRemoved.length) err(`${profileId}: ${c.notRemoved.length} resource(s) named for this run exist, although it was read-only`);
  } else {
    if (c.removed.length || c.notRemoved.length) out(`${profileId}: clean-up after the tests removed ${c.removed.length} of ${c.removed.length + c.notRemoved.length} resource(s) left by this run`);
    for (const f of c.notRemoved) err(`${profileId}: could not remove ${f.kind} ${f.id}: ${f.reason}`);
    if (c.notRemoved.length) err(`${profileId}: ${sweepHint}`);
  }
}
