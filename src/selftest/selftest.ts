// A profile's mutation score: the suite run, in this process, against the profile's reference
// server once correct and once per fault (the generic faults its documents allow, and its named
// ones). A fault is caught when the run fails a clause meant to catch it (the fault matrix's, for a
// shipped profile, else the server's); caught elsewhere when it fails only others; unseen when
// nothing fails, with the clauses that should have caught it and why they did not; not applicable
// where the fault matrix says the profile cannot catch it, and why (not run, not scored). A
// profile whose clauses catch nothing is told so, not passed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl, loadProfile } from '../profile/load.ts';
import type { ProfileResults } from '../report/results.ts';
import { runInProcess } from '../run/inprocess.ts';
import { readRecords } from '../run/records.ts';
import { DEFAULTS, newRunId, profileFilesOf, type RunSettings } from '../run/settings.ts';
import { serverFor, type ServerFamily } from '../servers/index.ts';
import { matrixRows } from './matrix.ts';
import { suitePlan } from '../../suites/plan.ts';

// 2: outcomes may be not-applicable; each run says what it did not test and what it left; generic faults scored apart.
export const SELFTEST_FORMAT = 2;

export type FaultOutcomeKind = 'caught' | 'caught-elsewhere' | 'unseen' | 'broke-the-run' | 'not-applicable';

/** What one run of the suite against the server showed. */
export interface RunOutcome {
  verdict: string;
  /** The clauses the run failed. */
  failing: string[];
  /** The clauses it did not test, each with why. */
  untested: string[];
  /** The run's errors, their first lines. */
  errors: string[];
  /** What the server still holds of what clients make, after the run's clean-up ("kind id"). */
  left: string[];
  /** What the run's clean-up reported as still on the target ("kind id"). */
  reportedLeft: string[];
  /** The correct run only: the clauses each test's findings judged, by test title (what `--clause` selects by). */
  judged?: Record<string, string[]>;
}

export interface FaultOutcome extends RunOutcome {
  fault: string;
  /** A generic fault of the profile's documents, or one named by its server (or its add-on). */
  kind: 'generic' | 'named';
  does: string;
  /** The clauses meant to catch it (one at least must fail); empty where none is known. */
  expected: string[];
  outcome: FaultOutcomeKind;
  /** For a fault not caught: what should have caught it, and why it did not (or why it cannot). */
  why?: string;
  durationMs: number;
}

export interface SelftestResult {
  tool: 'snapshot-conformance';
  kind: 'selftest';
  formatVersion: number;
  profile: string;
  /** The correct server: it must be conformant, or the faults say nothing. */
  correct: RunOutcome;
  faults: FaultOutcome[];
  /** Of the faults that apply: all of them, and the generic ones. */
  score: Score & { generic: Score };
  durationMs: number;
}

export interface Score {
  faults: number;
  caught: number;
  percent: number;
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
export async function runAgainst(profile: string, faults: string[], more: Partial<RunSettings> = {}): Promise<RunOutcome> {
  const correct = faults.length === 0;
  const family = await serverFor(profile);
  const server = await family.start({ token: TOKEN, faults });
  const run = shortRunSettings(profile, embeddedBaseUrl(profile, server.url), more);
  try {
    const written = await runInProcess(run, suitePlan(run.profiles), { quiet: true });
    const outcome = outcomeOf(written.all[0]!, leftOn(family, server.inventory()));
    if (correct) {
      outcome.judged = {};
      for (const r of readRecords(run.runDir, profile)) if (r.test) outcome.judged[r.test] = [...new Set([...(outcome.judged[r.test] ?? []), ...r.findings.map((f) => f.clause)])];
    }
    return outcome;
  } finally {
    await server.close();
    rmSync(run.runDir, { recursive: true, force: true });
  }
}

/** What a server holds of the kinds clients make ("kind id"). */
function leftOn(family: ServerFamily, inventory: Record<string, Array<{ id: string }>>): string[] {
  return Object.entries(inventory).flatMap(([kind, items]) => (family.provided?.includes(kind) ? [] : items.map((i) => `${kind} ${i.id}`)));
}

function outcomeOf(results: ProfileResults, left: string[]): RunOutcome {
  return {
    verdict: results.verdict,
    failing: results.clauses.filter((c) => c.status === 'fail').map((c) => c.id).sort(),
    untested: results.clauses.filter((c) => c.status === 'skip').map((c) => `${c.id}: ${c.reason ?? 'not tested'}`),
    errors: results.errors.map((e) => e.message.split('\n')[0]!),
    left,
    reportedLeft: (results.cleanup?.notRemoved ?? []).map((f) => `${f.kind} ${f.id}`),
  };
}

const scoreOf = (outcomes: FaultOutcome[]): Score => {
  const applying = outcomes.filter((o) => o.outcome !== 'not-applicable');
  const caught = applying.filter((o) => o.outcome === 'caught').length;
  return { faults: applying.length, caught, percent: applying.length ? Math.round((1000 * caught) / applying.length) / 10 : 100 };
};

export async function selftest(profileId: string, options: SelftestOptions = {}): Promise<SelftestResult> {
  const t0 = performance.now();
  const profile = loadProfile(profileId);
  const family = await serverFor(profileId);
  const rows = matrixRows(profileId);
  const names = options.faults ?? Object.keys(family.faults);
  const kindOf = (fault: string) => (family.generic?.has(fault) ? 'generic' : 'named');
  const correct = await runAgainst(profileId, [], options.settings);
  const outcomes: FaultOutcome[] = new Array(names.length);
  let done = 0;
  const told = (o: FaultOutcome, i: number) => {
    outcomes[i] = o;
    options.progress?.(o, done++, names.length);
  };
  // What the profile cannot catch is said, not run.
  const running = names.flatMap((fault, i) => {
    const reason = rows[fault]?.['not-applicable'];
    if (!reason) return [{ fault, i }];
    const none: RunOutcome = { verdict: '', failing: [], untested: [], errors: [], left: [], reportedLeft: [] };
    told({ ...none, fault, kind: kindOf(fault), does: family.faults[fault] ?? '', expected: [], outcome: 'not-applicable', why: reason, durationMs: 0 }, i);
    return [];
  });
  // Side by side: a run mostly waits on its server's transitions, hardly on this machine's cores.
  await pool(running, options.concurrency ?? 6, async ({ fault, i }) => {
    const started = performance.now();
    const run = await runAgainst(profileId, [fault], options.settings);
    const expected = rows[fault]?.catches ?? family.catches?.[fault] ?? [];
    let outcome: FaultOutcomeKind;
    if (run.failing.some((c) => expected.includes(c)) || (!expected.length && run.failing.length)) outcome = 'caught';
    else if (run.failing.length) outcome = 'caught-elsewhere';
    else outcome = run.errors.length ? 'broke-the-run' : 'unseen';
    const why = outcome === 'caught' ? undefined : whyNot(expected, run, profile.clauses);
    told({ ...run, fault, kind: kindOf(fault), does: family.faults[fault] ?? '', expected, outcome, why, durationMs: Math.round(performance.now() - started) }, i);
  });
  return {
    tool: 'snapshot-conformance',
    kind: 'selftest',
    formatVersion: SELFTEST_FORMAT,
    profile: profileId,
    correct,
    faults: outcomes,
    score: { ...scoreOf(outcomes), generic: scoreOf(outcomes.filter((o) => o.kind === 'generic')) },
    durationMs: Math.round(performance.now() - t0),
  };
}

/** Why the clauses meant to catch a fault did not: not in the profile, not tested (and why), or passed. */
function whyNot(expected: string[], run: RunOutcome, clauses: Map<string, unknown>): string {
  if (!expected.length) return 'no clause of the profile speaks of it';
  const parts = expected.map((id) => {
    if (!clauses.has(id)) return `${id} is not a clause of the profile`;
    const untested = run.untested.find((u) => u.startsWith(`${id}: `));
    if (untested) return `${id} was not tested (${untested.slice(id.length + 2)})`;
    return `${id} passed: no test looks at this`;
  });
  return `${parts.join('; ')}${run.errors.length ? `; the run broke: ${run.errors[0]}` : ''}`;
}
