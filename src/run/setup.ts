// What a run does before its tests and after them, for every profile at once: Playwright's global
// set-up and tear-down call these, and so does the in-process runner.
//   before: each profile's target is checked to be the API at all (a misconfiguration stops the
//           run before anything is created), and the parents are made, while the workers start:
//           the tests wait for them (parentsOf).
//   after:  everything the run made and its tests did not remove is removed, and the outcome is
//           left in the run directory for the report.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Judge } from '../findings/judge.ts';
import { SetupError } from '../profile/api.ts';
import { cleanUpAfterRun, printCleanup, type AfterRunCleanup } from '../resources/after-run.ts';
import { setUpParents, writeParents } from '../resources/parent.ts';
import { writeState } from './outcome.ts';
import { misconfiguration } from './preflight.ts';
import { writeRecord } from './records.ts';
import { secretsOf, type RunSettings } from './settings.ts';
import { Redactor } from '../http/redact.ts';
import { openWorld, runFiles } from './world.ts';

/** The making of the run's parents, when it was started in this process (the tear-down waits for it). */
let settingUp: Promise<void> | undefined;

/**
 * Starts the parents of every profile of the run, side by side; a profile that cannot have one is
 * recorded. Returns at once: the tests wait for the parents they need (parentsOf); the promise it
 * returns is for those who want to wait for all of them.
 */
export function beforeTests(run: RunSettings): Promise<void> {
  // A report directory used again holds an earlier run's records and state: they are not this run's.
  for (const dir of ['records', 'state']) rmSync(join(run.runDir, dir), { recursive: true, force: true });
  writeState(run.runDir, 'started', { at: new Date().toISOString() });
  // What the report of these results needs to be written again elsewhere (merge): no secret (no
  // token, the names of the headers given but not their values, the base URLs redacted).
  const redactor = new Redactor(secretsOf(run));
  writeState(run.runDir, 'settings', {
    ...run,
    targets: Object.fromEntries(Object.entries(run.targets).map(([p, t]) => [p, { baseUrl: redactor.url(t.baseUrl) }])),
    headers: run.headers && Object.fromEntries(Object.keys(run.headers).map((name) => [name, '[redacted]'])),
  });
  settingUp = Promise.all(run.profiles.map((profile) => setUpProfile(run, profile))).then(() => undefined);
  return settingUp;
}

async function setUpProfile(run: RunSettings, profileId: string): Promise<void> {
  const world = openWorld(run, profileId, { tag: 'setup-' });
  const started = performance.now();
  const parentsFile = runFiles(run.runDir).parents(profileId);
  // Judged for what the target says of itself (busy answers); the parents are not the subject.
  const judge = new Judge(world.profile, world.validators);
  const api = world.api.with(judge.listener());
  let error: string | undefined;
  try {
    const wrong = await misconfiguration(api);
    if (wrong) throw new SetupError(wrong);
    const given = run.targets[profileId]?.parentId;
    // A read-only run makes nothing: it reads the parent given, or one it finds where the API has
    // no create (a cluster), for the tests that read a parent's resources.
    if (!run.readOnly || given || !api.parent.makeable) {
      const count = world.profile.model.perParent && !run.readOnly ? run.workers : 1;
      await setUpParents(api, parentsFile, { given, count, name: world.name });
    } else writeParents(parentsFile, { error: 'a read-only run makes no parent' });
  } catch (thrown) {
    error = world.redactor.text(thrown instanceof SetupError ? thrown.message : String((thrown as Error)?.stack ?? thrown));
    // The tests that wait for a parent are told: they are skipped, the set-up's error is the finding.
    writeParents(parentsFile, { error });
  }
  writeRecord(run.runDir, { ...judge.record(), test: 'set-up', durationMs: Math.round(performance.now() - started), error }, 'setup');
}

/** Removes what the tests left, profile by profile, and leaves the outcome for the report. */
export async function afterTests(run: RunSettings, redact: (line: string) => string, quiet = false): Promise<Record<string, AfterRunCleanup>> {
  // Parents still being made (a run interrupted early) are made before they are removed.
  await settingUp;
  const done: Record<string, AfterRunCleanup> = {};
  await Promise.all(
    run.profiles.map(async (id) => {
      if (!run.readOnly && !quiet) process.stdout.write(`${id}: cleaning up after the tests\n`);
      done[id] = await cleanUpAfterRun(run, id);
      if (!quiet) printCleanup(id, run, done[id], redact);
    }),
  );
  writeState(run.runDir, 'cleanup', done);
  return done;
}
