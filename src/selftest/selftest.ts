// A profile's mutation score: the suite run, in this process, against the profile's reference
// server once correct and once per fault (the generic faults its documents allow, and its named
// ones). A fault is caught when the run fails a clause meant to catch it; caught elsewhere when it
// fails only others; unseen when nothing fails, with the clauses that should have caught it and
// why they did not. A profile whose clauses catch nothing is told so, not passed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl, loadProfile } from '../profile/load.ts';
import type { ProfileResults } from '../report/results.ts';
import { runInProcess } from '../run/inprocess.ts';
import { DEFAULTS, newRunId, profileFilesOf, type RunSettings } from '../run/settings.ts';
import { serverFor } from '../servers/index.ts';
import { suitePlan } from '../../suites/plan.ts';

export const SELFTEST_FORMAT = 1;

export type FaultOutcomeKind = 'caught' | 'caught-elsewhere' | 'unseen' | 'broke-the-run';

export interface FaultOutcome {
  fault: string;
  does: string;
  /** The clauses meant to catch it (one at least must fail); empty where none is known. */
  expected: string[];
  /** The clauses the run failed. */
  failing: string[];
  outcome: FaultOutcomeKind;
  /** For an unseen fault: what should have caught it, and why it did not. */
  why?: string;
  durationMs: number;
}

export interface SelftestResult {
  tool: 'snapshot-conformance';
  kind: 'selftest';
  formatVersion: number;
  profile: string;
  /** The correct server: it must be conformant, or the faults say nothing. */
  correct: { verdict: string; failing: string[]; errors: string[] };
  faults: FaultOutcome[];
  score: { faults: number; caught: number; percent: number };
  durationMs: number;
}

export interface SelftestOptions {
  /** Only these faults (default: every fault of the server). */
  faults?: string[];
  /** Told each outcome as it comes. */
  progress?: (outcome: FaultOutcome, index: number, total: number) => void;
  /** Settings of each run (seed, examples, waits). */
  settings?: Partial<RunSettings>;
  /** Runs that go on at once (default 6). */
  concurrency?: number;
}

/** Runs the items with at most `size` at once, each with its index. */
async function pool<T>(items: T[], size: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  }));
}

const TOKEN = 'selftest-token';

/** The short runs of a selftest (and of the project's tests): few examples, short waits, a short shrink. */
export function shortRunSettings(profile: string, baseUrl: string, more: Partial<RunSettings> = {}, token = TOKEN): RunSettings {
  return {
    runId: newRunId(),
    runDir: mkdtempSync(join(tmpdir(), `sc-selftest-${profile}-`)),
    profiles: [profile],
    profileFiles: profileFilesOf([profile]),
    targets: { [profile]: { baseUrl, token } },
    embedded: false,
    seed: 7,
    examples: 8,
    concurrency: 2,
    workers: 2,
    requestTimeoutMs: 5000,
    stateTimeoutSeconds: 3,
    shrinkBudgetSeconds: 5,
    budgetSeconds: DEFAULTS.budgetSeconds,
    ...more,
  };
}

/** One run of the suite against the profile's server with these faults. */
export async function runAgainst(profile: string, faults: string[], more: Partial<RunSettings> = {}): Promise<ProfileResults> {
  const family = await serverFor(profile);
  const server = await family.start({ token: TOKEN, faults });
  const run = shortRunSettings(profile, embeddedBaseUrl(profile, server.url), more);
  try {
    const written = await runInProcess(run, suitePlan(run.profiles), { quiet: true });
    return written.all[0]!;
  } finally {
    await server.close();
    rmSync(run.runDir, { recursive: true, force: true });
  }
}

const failingOf = (results: ProfileResults) => results.clauses.filter((c) => c.status === 'fail').map((c) => c.id).sort();

export async function selftest(profileId: string, options: SelftestOptions = {}): Promise<SelftestResult> {
  const t0 = performance.now();
  const profile = loadProfile(profileId);
  const family = await serverFor(profileId);
  const names = options.faults ?? Object.keys(family.faults);
  const correct = await runAgainst(profileId, [], options.settings);
  const outcomes: FaultOutcome[] = new Array(names.length);
  let done = 0;
  // Side by side: a run mostly waits on its server's transitions, hardly on this machine's cores.
  await pool(names, options.concurrency ?? 6, async (fault, i) => {
    const started = performance.now();
    const results = await runAgainst(profileId, [fault], options.settings);
    const failing = failingOf(results);
    const expected = family.catches?.[fault] ?? [];
    const errors = results.errors.map((e) => e.message.split('\n')[0]!);
    let outcome: FaultOutcomeKind;
    if (failing.some((c) => expected.includes(c)) || (!expected.length && failing.length)) outcome = 'caught';
    else if (failing.length) outcome = 'caught-elsewhere';
    else outcome = errors.length ? 'broke-the-run' : 'unseen';
    const why = outcome === 'caught' ? undefined : whyNot(expected, results, profile.clauses, errors);
    const o: FaultOutcome = { fault, does: family.faults[fault] ?? '', expected, failing, outcome, why, durationMs: Math.round(performance.now() - started) };
    outcomes[i] = o;
    options.progress?.(o, done++, names.length);
  });
  const caught = outcomes.filter((o) => o.outcome === 'caught').length;
  return {
    tool: 'snapshot-conformance',
    kind: 'selftest',
    formatVersion: SELFTEST_FORMAT,
    profile: profileId,
    correct: { verdict: correct.verdict, failing: failingOf(correct), errors: correct.errors.map((e) => e.message.split('\n')[0]!) },
    faults: outcomes,
    score: { faults: outcomes.length, caught, percent: outcomes.length ? Math.round((1000 * caught) / outcomes.length) / 10 : 100 },
    durationMs: Math.round(performance.now() - t0),
  };
}

/** Why the clauses meant to catch a fault did not: not in the profile, not tested (and why), or passed. */
function whyNot(expected: string[], results: ProfileResults, clauses: Map<string, unknown>, errors: string[]): string {
  if (!expected.length) return 'no clause of the profile speaks of it';
  const parts = expected.map((id) => {
    if (!clauses.has(id)) return `${id} is not a clause of the profile`;
    const c = results.clauses.find((x) => x.id === id);
    if (!c || c.status === 'skip') return `${id} was not tested${c?.reason ? ` (${c.reason})` : ''}`;
    return `${id} passed: no test looks at this`;
  });
  return `${parts.join('; ')}${errors.length ? `; the run broke: ${errors[0]}` : ''}`;
}
