// --max-failures N: the tests stop once N clauses have failed. What counts is what decides the
// verdict: a failing MUST clause finding that the run did not know of (expectations, baseline).
// Each process marks the clauses its tests failed, one empty file per clause in the run directory,
// so that every process of the run counts the same; the test that reaches N stops the run.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRecord } from '../findings/types.ts';
import type { Profile } from '../profile/load.ts';
import { isKnown, readKnown, type Known } from '../report/known.ts';
import { readState, writeState } from './outcome.ts';
import type { RunSettings } from './settings.ts';

let known: Known | undefined;

/** Marks the clauses a test failed; true when the run has reached its --max-failures (and says it ended so). */
export function reachedMaxFailures(run: RunSettings, profile: Profile, record: TestRecord): boolean {
  if (!run.maxFailures) return false;
  known ??= readKnown(run);
  const dir = join(run.runDir, 'state', 'failed');
  mkdirSync(dir, { recursive: true });
  for (const f of record.findings) {
    if (f.outcome !== 'fail' || profile.clauses.get(f.clause)?.level !== 'MUST') continue;
    if (run.clauses && !run.clauses.includes(f.clause)) continue;
    if (isKnown(known, profile.id, f)) continue;
    writeFileSync(join(dir, `${profile.id}~${f.clause}`), '');
  }
  if (readdirSync(dir).length < run.maxFailures) return false;
  // One process stops the run, once: a second interrupt would end the test runner at once.
  try {
    writeFileSync(join(run.runDir, 'state', 'stopping'), '', { flag: 'wx' });
  } catch {
    return false;
  }
  if (!readState(run.runDir, 'ended')) writeState(run.runDir, 'ended', 'max-failures');
  return true;
}
