// What a run leaves in its directory besides the records of its tests, and the results read back
// from all of it: the set-up's outcome, how it ended (its budget spent, interrupted), and the
// clean-up after the tests. The verdict test, the reporter and the merge of shards read the same.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from '../http/redact.ts';
import { loadProfile } from '../profile/load.ts';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import { profileResults, readExpectations, type ProfileResults, type SuiteError } from '../report/results.ts';
import { readBaseline } from '../report/known.ts';
import { readRecords } from './records.ts';
import { CLAUSE_MAP } from '../../suites/clause-map.ts';
import { restrictionOf, secretsOf, selectionOf, type RunSettings } from './settings.ts';

export type { Ended } from '../report/verdict.ts';
import type { Ended } from '../report/verdict.ts';

const stateFile = (runDir: string, name: string) => join(runDir, 'state', `${name}.json`);

export type StateName = 'ended' | 'cleanup' | 'started' | 'settings' | 'expected';

export function writeState(runDir: string, name: StateName, value: unknown): void {
  mkdirSync(join(runDir, 'state'), { recursive: true });
  writeFileSync(stateFile(runDir, name), JSON.stringify(value));
}

export function readState<T>(runDir: string, name: StateName): T | undefined {
  const file = stateFile(runDir, name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export interface RunOutcome {
  startedAt: Date;
  durationMs: number;
  ended?: Ended;
  /** Errors the test runner saw that no record holds (a worker that died, a set-up that threw). */
  errors?: SuiteError[];
  cleanup?: Record<string, AfterRunCleanup>;
}

/** The results of one profile, from the run directory. */
export function resultsOf(run: RunSettings, profileId: string, outcome: RunOutcome): ProfileResults {
  const profile = loadProfile(profileId);
  const records = readRecords(run.runDir, profileId);
  const recorded: SuiteError[] = records.filter((r) => r.error).map((r) => ({ test: r.test ?? 'set-up', message: r.error! }));
  const known = new Set(recorded.map((e) => e.test));
  // A profile's own time, where several ran side by side: its first test's start to its last one's end.
  const timed = records.filter((r) => r.startedAt !== undefined);
  const durationMs = timed.length ? Math.max(...timed.map((r) => r.startedAt! + (r.durationMs ?? 0))) - Math.min(...timed.map((r) => r.startedAt!)) : outcome.durationMs;
  return profileResults({
    profile,
    runId: run.runId,
    target: new Redactor(secretsOf(run, profileId)).url(run.targets[profileId]?.baseUrl ?? ''),
    microversion: profile.model.microversions ? (run.microversion ?? profile.model.microversions.base) : undefined,
    readOnly: run.readOnly,
    seed: run.seed,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    profileDurationMs: run.profiles.length > 1 ? durationMs : undefined,
    records,
    errors: [...recorded, ...(outcome.errors ?? []).filter((e) => !known.has(e.test))],
    expectations: run.expectations ? readExpectations(run.expectations) : [],
    expectationsFile: run.expectations,
    ended: outcome.ended,
    budgetSeconds: run.budgetSeconds,
    maxFailures: run.maxFailures,
    selection: selectionOf(run),
    restricted: restrictionOf(run),
    clauseMap: CLAUSE_MAP[profileId],
    cleanup: outcome.cleanup?.[profileId],
    baseline: run.baseline ? { file: run.baseline, known: readBaseline(run.baseline) } : undefined,
    shard: run.shard,
  });
}
