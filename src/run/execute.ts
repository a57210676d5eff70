// Runs one test of the suite, the same way whichever runner schedules it (a Playwright worker, or
// the in-process runner): a judge of its own listening to its exchanges, the read-only and replay
// gates, what it made removed when it ends (what the clean-up saw is evidence too), and its record
// (findings, evidence, timings) written to the run directory, where the verdict and the report
// read it. A finding never fails the test: it is recorded.
import { reachedState } from '../checks/resource.ts';
import { CheckFailed, Judge } from '../findings/judge.ts';
import type { TestRecord } from '../findings/types.ts';
import { GONE } from '../profile/api.ts';
import { cleanup, type CleanupReport } from '../resources/cleanup.ts';
import type { LedgerEntry } from '../resources/ledger.ts';
import { parentsOf } from '../resources/parent.ts';
import type { SuiteTest, TestContext } from './context.ts';
import { markActive, waitAlone } from './gate.ts';
import { reachedMaxFailures } from './max-failures.ts';
import { writeRecord } from './records.ts';
import { runFiles, type World } from './world.ts';

/** How a runner lets a test skip itself and structure its parts. */
export interface RunnerHooks {
  /** Ends the test as skipped; must throw. */
  skip(reason: string): never;
  /** Wraps a part of the test (Playwright: a test.step). */
  step?(title: string, body: () => Promise<void>): Promise<void>;
  /** Which parent of the run this test uses, when there are several (one per process). */
  parentIndex?: number;
  /** Stops the run's tests as the time budget does (--max-failures reached); the clean-up still runs. */
  stopRun?(): void;
  /** Told where the test's record was written (the terminal reads its findings there). */
  recorded?(file: string): void;
}

/** The title of a test as runners and the report show it. */
export const testTitle = (def: SuiteTest) => `${def.group} › ${def.title}`;

export async function executeTest(def: SuiteTest, world: World, hooks: RunnerHooks): Promise<TestRecord> {
  const started = performance.now();
  const startedAt = Date.now();
  let skipped: string | undefined;
  const notes: Array<{ type: string; description: string }> = [];
  const skip = (reason: string): never => {
    skipped = reason;
    return hooks.skip(reason);
  };
  const judge = new Judge(world.profile, world.validators, { onBlocked: skip });
  let record: TestRecord | undefined;
  let error: string | undefined;
  const t: TestContext = {
    world,
    api: world.api.with(judge.listener()),
    judge,
    parent: async () => {
      // Made while the workers started: waited for, for as long as a parent may take to be ready.
      const made = await parentsOf(runFiles(world.run.runDir).parents(world.profile.id), world.api.stateBudgetMs + 60_000);
      // The set-up's own failure is the one reported; what needs a parent is skipped, not failed again.
      if (!made.parents?.length) return skip(`no parent resource: ${made.error ?? `the run's set-up for ${world.profile.id} did not succeed`}`);
      return made.parents[(hooks.parentIndex ?? 0) % made.parents.length]!.id;
    },
    step: async (title, body) => {
      const part = async () => {
        try {
          await judge.step(title, body);
        } catch (error) {
          if (!(error instanceof CheckFailed)) throw error;
        }
      };
      await (hooks.step ? hooks.step(title, part) : part());
    },
    skip,
    note: (type, description) => notes.push({ type, description }),
  };
  // What needs the target alone waits until the profile's other tests have ended.
  if (def.alone) await waitAlone(world.run.runDir, world.profile.id);
  const leave = markActive(world.run.runDir, world.profile.id);
  try {
    if (world.run.readOnly && !def.readOnly) skip('it writes: not testable read-only');
    if (world.run.replayPath && def.notInReplay) skip('replaying one property case');
    await removingWhatItMakes(world, judge, () => def.run(t));
  } catch (thrown) {
    // A required check that failed ended the test: its finding is recorded, nothing more to do.
    if (!(thrown instanceof CheckFailed)) {
      if (skipped === undefined) error = world.redactor.text(thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)).slice(0, 4000);
      throw thrown;
    }
  } finally {
    record = { ...judge.record(), test: testTitle(def), alone: def.alone || undefined, startedAt, durationMs: Math.round(performance.now() - started), skipped, error, notes: notes.length ? notes : undefined };
    // The record first: the end of the mark tells those waiting that it is there.
    const file = writeRecord(world.run.runDir, record, def.alone ? 'alone' : 'shared');
    hooks.recorded?.(file);
    leave();
    if (reachedMaxFailures(world.run, world.profile, record)) hooks.stopRun?.();
  }
  return record;
}


/**
 * Removals of earlier parts that may still be going on while a test goes on: enough that a chain
 * of parts rarely waits on one, few enough that the run's peak on the target stays where its other
 * tests put it (10 snapshots of cinder-v3 with 4 workers, with 2 as with 4).
 */
const MAX_PENDING_REMOVALS = 4;

/**
 * Runs a part and removes at once what it created, parents it made too (where parents hold few
 * resources, a test must not keep what it no longer needs). The run's own parents were made before.
 * With `pending`, the removal goes on beside what follows (its promise joins the list, for the
 * test to await before it ends): a chain of parts does not wait for each one's clean-up.
 */
export async function removingWhatItMakes<T>(world: World, judge: Judge, body: () => Promise<T>, pending?: Array<Promise<void>>): Promise<T> {
  const before = new Set<LedgerEntry>(world.ledger.entries);
  try {
    return await body();
  } finally {
    const mine = new Set(world.ledger.entries.filter((e) => !before.has(e)));
    const removal = mine.size ? cleanup(world.api, world.ledger, (e) => mine.has(e), true).then((report) => judgeCleanup(world, judge, report)) : Promise.resolve();
    if (!pending) await removal;
    else {
      // A few at a time: what is being removed still holds quota (and names) on the target.
      pending.push(removal);
      if (pending.length > MAX_PENDING_REMOVALS) await pending.shift();
    }
  }
}

/**
 * What the clean-up saw is evidence too, whichever step made or deleted the resource: one that
 * never leaves its transient state was never ready; one deleted that never goes away is not gone.
 */
function judgeCleanup(world: World, judge: Judge, report: CleanupReport): void {
  const c = world.profile.model;
  const s = c.resource.states;
  for (const f of report.failed) {
    if (f.kind !== c.resource.kind || !f.observation) continue;
    if (f.phase === 'gone') judge.check(reachedState, c.lifecycle.gone, { observation: f.observation, target: GONE, allowedOnTheWay: s?.deleting ?? [world.api.readyState] }, f.exchanges);
    if (f.phase === 'settle' && s) judge.check(reachedState, c.lifecycle.becomesReady, { observation: { ...f.observation, outcome: 'timeout' }, target: s.ready, allowedOnTheWay: s.transient }, f.exchanges);
  }
}
