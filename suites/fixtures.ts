// The one fixture layer of the suite. A worker holds the profile (loaded and compiled once), the
// target, one Playwright request context, the ledger and an unjudged client for set-up and
// clean-up. A test gets a Judge (its findings become the "conformance" attachment) and a client
// whose every exchange the judge sees. What a test creates is deleted when it ends.
import { test as base, expect } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readRunEnv, targetOf, type RunEnv } from '../src/config/run-env.ts';
import { TargetClient, type Target } from '../src/http/client.ts';
import { Redactor } from '../src/http/redact.ts';
import { CheckFailed, Judge } from '../src/findings/judge.ts';
import { ATTACHMENT, CHECK_MARK } from '../src/findings/types.ts';
import { loadProfile, type Profile } from '../src/profile/load.ts';
import { Ledger, type LedgerEntry } from '../src/target/ledger.ts';
import { cleanup, GONE, type CleanupReport } from '../src/target/resources.ts';
import { runPrefix } from '../src/target/sweep.ts';
import { reachedState } from '../src/checks/resource.ts';
import { validatorsFor, type Validators } from '../src/validate/validators.ts';

export interface World {
  run: RunEnv;
  profile: Profile;
  validators: Validators;
  target: Target;
  api: APIRequestContext;
  redactor: Redactor;
  ledger: Ledger;
  /** A client whose exchanges are not judged: set-up and clean-up. */
  admin: TargetClient;
  /** Fresh names for what the run creates: the run's prefix, the worker, a counter. */
  name: () => string;
  namePrefix: string;
  /** The file where the set-up project leaves the parent resources' ids for the workers. */
  parentFile: string;
}

interface WorkerFixtures {
  profileId: string;
  world: World;
}
interface TestFixtures {
  judge: Judge;
  client: TargetClient;
  /** The id of the parent resource (the volume a snapshot is taken of). */
  parentId: string;
  /** Skips, in a read-only run, every test not tagged @read-only. */
  readOnlyGate: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  profileId: ['', { scope: 'worker', option: true }],

  world: [
    async ({ profileId, playwright }, use, workerInfo) => {
      if (!profileId) throw new Error('no profile: run through a project of playwright.config.ts');
      const run = readRunEnv();
      const profile = loadProfile(profileId);
      // Each worker is its own process: it takes its share of the rate.
      const target = targetOf(run, profileId, run.workers);
      const api = await playwright.request.newContext();
      const redactor = new Redactor([target.token]);
      const ledger = new Ledger(profile, run.runId, join(run.runDir, 'ledger.jsonl'));
      const namePrefix = runPrefix(run.runId);
      let counter = 0;
      const world: World = {
        run,
        profile,
        validators: validatorsFor(profile),
        target,
        api,
        redactor,
        ledger,
        admin: new TargetClient(api, profile, target, redactor, ledger),
        name: () => `${namePrefix}w${workerInfo.workerIndex}-${++counter}`,
        namePrefix,
        parentFile: join(run.runDir, 'state', `${profileId}.parents.json`),
      };
      await use(world);
      // The parent resource is shared by all workers: the tear-down project removes it.
      await cleanup(world.admin, ledger, undefined, false);
      await api.dispose();
    },
    { scope: 'worker' },
  ],

  // A read-only run runs only what reading can judge (tests tagged @read-only); the others write,
  // and their clauses show as not testable read-only.
  readOnlyGate: [
    async ({ world }, use, testInfo) => {
      testInfo.skip(Boolean(world.run.readOnly) && !testInfo.tags.includes(READ_ONLY_TAG), 'it writes: not testable read-only');
      await use();
    },
    { auto: true },
  ],

  judge: async ({ world }, use, testInfo) => {
    const judge = new Judge(world.profile, world.validators, {
      onBlocked: (reason) => {
        testInfo.skip(true, reason);
        throw new Error(reason);
      },
      onFailure: (f) => expect.soft(false, `${CHECK_MARK} ${f.clause} ${f.title}: expected ${f.expected}, got ${f.actual}`).toBe(true),
    });
    await use(judge);
    await testInfo.attach(ATTACHMENT, { body: JSON.stringify(judge.record()), contentType: 'application/json' });
  },

  client: async ({ world, judge }, use) => {
    const client = new TargetClient(world.api, world.profile, world.target, world.redactor, world.ledger);
    client.onExchange((exchange, op) => judge.exchange(exchange, op));
    await removingWhatItMakes(world, judge, () => use(client));
  },

  parentId: async ({ world }, use, testInfo) => {
    // One parent per worker where parents hold few resources; parallelIndex stays with the slot.
    const parents = readParents(world);
    await use(parents[testInfo.parallelIndex % parents.length]!.id);
  },
});

export { expect };

export interface ParentState {
  id: string;
  /** The run created it (so the run deletes it), rather than finding it or being given it. */
  created: boolean;
}

export function writeParents(world: World, parents: ParentState[]): void {
  mkdirSync(dirname(world.parentFile), { recursive: true });
  writeFileSync(world.parentFile, JSON.stringify(parents));
}

export function readParents(world: World): ParentState[] {
  // The set-up's own failure is the one reported; what needs a parent is skipped, not failed again.
  test.skip(!existsSync(world.parentFile), `no parent resource: the set-up project of ${world.profile.id} did not succeed`);
  return JSON.parse(readFileSync(world.parentFile, 'utf8')) as ParentState[];
}

/**
 * A part of a test: a Playwright step (for its report) and a judge step (for the findings' context).
 * A required check that fails ends the part, not the test: its finding is already recorded.
 */
export async function step(judge: Judge, title: string, body: () => Promise<unknown>): Promise<void> {
  await test.step(title, async () => {
    try {
      await judge.step(title, body);
    } catch (error) {
      if (!(error instanceof CheckFailed)) throw error;
    }
  });
}

/**
 * Runs a part and removes at once what it created (where parents hold few resources, a test
 * must not keep what it no longer needs).
 */
export async function removingWhatItMakes<T>(world: World, judge: Judge, body: () => Promise<T>): Promise<T> {
  const before = new Set<LedgerEntry>(world.ledger.entries);
  try {
    return await body();
  } finally {
    judgeCleanup(world, judge, await cleanup(world.admin, world.ledger, (e) => !before.has(e as LedgerEntry)));
  }
}

/**
 * What the clean-up saw is evidence too, whichever step made or deleted the resource: one that
 * never leaves its transient state was never ready; one deleted that never goes away is not gone.
 */
function judgeCleanup(world: World, judge: Judge, report: CleanupReport): void {
  const c = world.profile.conformance;
  const s = c.resource.states;
  for (const f of report.failed) {
    if (f.kind !== c.resource.wrapper || !f.observation) continue;
    if (f.phase === 'gone') judge.check(reachedState, c.lifecycle.gone, { observation: f.observation, target: GONE, allowedOnTheWay: s.deleting }, f.exchanges);
    if (f.phase === 'settle') judge.check(reachedState, c.lifecycle.becomesReady, { observation: { ...f.observation, outcome: 'timeout' }, target: s.ready, allowedOnTheWay: s.transient }, f.exchanges);
  }
}

/** Tests that only read carry this tag: a read-only run runs them alone. */
export const READ_ONLY_TAG = '@read-only';

/** Tests of a profile carry its tag; the profile's project selects them by it. */
export const profileTag = (id: string) => `@${id}`;
