// What a test of the suite gets, however it runs (a Playwright worker, or in-process): the
// profile's world, a judged profile API, the judge, the run's parent, and ways to structure and skip.
import type { Judge } from '../findings/judge.ts';
import type { ProfileApi } from '../profile/api.ts';
import type { World } from './world.ts';

export interface TestContext {
  world: World;
  /** Every exchange it sends is judged by `judge`. */
  api: ProfileApi;
  judge: Judge;
  /** The id of the parent resource (the volume a snapshot is taken of), once ready; skips the test when there is none. */
  parent(): Promise<string>;
  /** A part of the test: a failed required check ends the part, not the test. */
  step(title: string, body: () => Promise<unknown>): Promise<void>;
  /** Ends the test as skipped, saying why (its clauses stay "not tested" unless exercised). */
  skip(reason: string): never;
  /** Notes something about the test for its record (the property's runs, say). */
  note(type: string, description: string): void;
}

/**
 * A clause a test judges; or one it would judge but for what the profile lacks (`lacking` says
 * what), so that the profile check can say why a MUST clause is judged by no test.
 */
export type Judges = string | { clause: string; lacking: string };

/** A test of the suite: what the runners schedule and the report counts. */
export interface SuiteTest {
  profile: string;
  /** Where it belongs (contract, lifecycle, ...) and its title within. */
  group: string;
  title: string;
  /** Only reads: runs in a read-only run too. */
  readOnly?: boolean;
  /** Needs the target to itself (pages that must not shift, a quota filled up): runs after the others. */
  alone?: boolean;
  /** Skipped when the run replays one lifecycle case (everything but the property). */
  notInReplay?: boolean;
  /** Expected share of the run's time: the longest starts first. */
  weight: number;
  run(t: TestContext): Promise<void>;
  /**
   * The clauses it judges for its profile, beside those every judged answer is checked for
   * (src/findings/judge.ts): what `snapshot-conformance check` counts as reachable. Asked before a
   * run, never during one; keep it in step with `run`.
   */
  clauses(): Judges[];
}
