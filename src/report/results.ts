// Joins the findings of every test with the profile's clauses into the run's results: one status
// per clause, the verdict, and the counts. Pure: the reporter feeds it, the writers render it.
import { readFileSync } from 'node:fs';
import type { Clause, Profile } from '../profile/load.ts';
import { addCase, type Finding, type Occurrence, type StoredExchange, type TestRecord, type Timing, type StateTiming } from '../findings/types.ts';
import { evidenceOf, mergeOccurrences, occurrencesOf } from '../findings/occurrences.ts';
import { allChecks } from '../checks/index.ts';
import { groupCauses, type Cause } from './causes.ts';
import { PACKAGE_ROOT } from '../profile/load.ts';
import { join } from 'node:path';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import { coveredBy, coversSome, describes, fine, signature, type Expectation } from './known.ts';
import { decideVerdict, type Ended, type ExitCode, type VerdictName } from './verdict.ts';

export { readExpectations, type Expectation } from './known.ts';

export type ClauseStatus = 'pass' | 'fail' | 'skip' | 'expected-fail';
export type { Cause } from './causes.ts';

/** A failure as the report shows it: every place it was made, and what else its evidence shows. */
export interface ReportedFinding extends Finding {
  occurrences: Occurrence[];
  /** Other clauses with a finding on one of this finding's exchanges ("same exchange as ..."). */
  sameExchangeAs?: string[];
  /** The cause (ProfileResults.causes) it belongs to: findings of failed MUST clauses. */
  cause?: string;
  /** The run knew of it: an expectations entry, or the baseline. */
  known?: 'expected' | 'baseline';
  /** Covered by a clause-only expectation whose evidence does not describe it: look again. */
  undescribed?: boolean;
}

/** A check a finding names, with what it holds to (src/checks). */
export interface CheckSummary {
  id: string;
  summary: string;
}

export interface ClauseResult {
  id: string;
  level: Clause['level'];
  area: Clause['area'];
  title: string;
  text: string;
  source: string[];
  /** The vendor's public page for the clause. */
  url: string;
  contradiction?: Clause['contradiction'];
  status: ClauseStatus;
  /** Why a clause was skipped ("not tested") or is expected to fail. */
  reason?: string;
  /** Set when the expectations file lists the clause but it passed: the file is out of date. */
  unexpectedPass?: boolean;
  /** Not tested because its precondition could not be established here (the reason says why). */
  untestable?: boolean;
  /** Not tested, and the expectations file accepts it: its reason. */
  accepted?: string;
  /** An expectations entry accepts it as not tested, but it was tested: the entry is out of date. */
  testedThoughAccepted?: boolean;
  /** What the expectations file gives as evidence of an expected failure. */
  evidence?: string;
  /** How many check evaluations held for this clause. */
  passes: number;
  /** The time of the tests that exercised it, shared out among the clauses each exercised (ms). */
  timeMs: number;
  findings: ReportedFinding[];
  /** Entries of the expectations file for this clause that matched none of its findings. */
  staleExpectations?: Expectation[];
}

/** Median, 95th percentile and maximum of a set of durations, in ms, and how many there were. */
export interface Stats {
  count: number;
  median: number;
  p95: number;
  max: number;
}

export interface SuiteError {
  test: string;
  message: string;
}

export interface ProfileResults {
  tool: string;
  version: string;
  profile: string;
  title: string;
  /** The run's id: what its resources' names carry, and what `sweep --run` takes. */
  runId?: string;
  target: string;
  /** The microversion the run asked for, where the profile has them. */
  microversion?: string;
  /** The run sent no request that writes. */
  readOnly?: boolean;
  seed: number;
  startedAt: string;
  durationMs: number;
  /** This profile's own wall time (its first test's start to its last test's end), when known. */
  profileDurationMs?: number;
  /** `no failure found`: a run restricted on purpose (read-only, a selection, a shard) found none. */
  verdict: VerdictName;
  /** The exit code this profile's verdict gives (src/report/verdict.ts), and why, in one line. */
  exitCode: ExitCode;
  reason: string;
  /** What restricted the run on purpose (read-only, a selection, a shard); none in a full run. */
  restricted?: string;
  /** `causes`: how many causes the failed MUST clauses have (see `causes`). */
  summary: { passed: number; failed: number; skipped: number; expectedFailures: number; unexpectedPasses: number; causes: number };
  byLevel: Record<Clause['level'], { passed: number; failed: number; skipped: number; expectedFailures: number }>;
  clauses: ClauseResult[];
  /** The failed MUST clauses grouped by cause, largest first (src/report/causes.ts). */
  causes: Cause[];
  /** The checks the findings name. */
  checks: CheckSummary[];
  errors: SuiteError[];
  exchanges: StoredExchange[];
  timings: Timing[];
  states: StateTiming[];
  /** How often the target answered "busy, try again" (retried by the suite), by operation. */
  busy?: { status: number; count: number; byOperation: Record<string, number> };
  /** The run did not finish: its time budget ran out, it was interrupted, or --max-failures stopped it. Never conformant. */
  ended?: Ended;
  budgetSeconds?: number;
  maxFailures?: number;
  /** What the clean-up after the tests removed and could not remove. */
  cleanup?: AfterRunCleanup;
  /** Each test: how long it took, and why it was skipped if it was. */
  tests: Array<{ test: string; durationMs: number; skipped?: string }>;
  /** Requests and their latency, by operation; time from create to ready and from delete to gone. */
  latency: Record<string, Stats>;
  stateTimes: { ready?: Stats; gone?: Stats };
  /** This run is one shard of several (I/N): untested clauses are other shards' (see merge). */
  shard?: string;
  /** Failing findings that are in the baseline, and how many new ones came on top. */
  baseline?: { file: string; known: number; new: number };
  /** The expectations file: its entries, the clauses that failed as expected, those accepted as not tested, those whose entries are out of date. */
  expectations?: { file: string; entries: number; expectedFailures: number; accepted: number; outOfDate: number };
}

export const TOOL = 'snapshot-conformance';
/**
 * The version of results.json's format: 2 added formatVersion, exitCode, reason, restricted, the
 * verdict "no failure found" and a clause's `accepted` (1: the files before it, without the member).
 */
export const RESULTS_FORMAT = 2;
export const VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;


export interface ProfileInput {
  profile: Profile;
  runId?: string;
  target: string;
  microversion?: string;
  /** A read-only run: what it did not exercise could not be tested without writing. */
  readOnly?: boolean;
  seed: number;
  startedAt: Date;
  durationMs: number;
  profileDurationMs?: number;
  records: TestRecord[];
  errors: SuiteError[];
  expectations: Expectation[];
  /** Where the expectations came from (--expectations). */
  expectationsFile?: string;
  ended?: ProfileResults['ended'];
  budgetSeconds?: number;
  maxFailures?: number;
  /** A run restricted to some tests: how it was asked (--grep RE, --clause ID), and the clauses it judges (all, when none are named). */
  selection?: { by: string; clauses?: string[] };
  /** What restricts the run on purpose (read-only, a selection, a shard): its verdict is on what it could test. */
  restricted?: string;
  /** The clauses each test judges (suites/clause-map.ts): a clause no test judged says which of its tests was skipped, and why. */
  clauseMap?: Record<string, string[]>;
  cleanup?: AfterRunCleanup;
  /** The failing findings of a baseline run, by signature (readBaseline), and its file. */
  baseline?: { file: string; known: Set<string> };
  shard?: string;
}

export function profileResults(input: ProfileInput): ProfileResults {
  const { profile, records, expectations } = input;
  const byClause = new Map<string, Finding[]>();
  for (const record of records) for (const f of record.findings) {
    const list = byClause.get(f.clause) ?? [];
    list.push(f);
    byClause.set(f.clause, list);
  }
  const notTested = input.readOnly
    ? 'not testable read-only'
    : input.ended === 'budget'
      ? "not tested: the run's time budget ran out"
      : input.ended === 'interrupted'
        ? 'not tested: the run was interrupted'
        : input.ended === 'max-failures'
          ? `not tested: the run stopped at ${input.maxFailures} failing clause(s) (--max-failures)`
          : input.shard
            ? `not tested in this shard (${input.shard})`
            : input.selection
              ? `not tested in this selection (${input.selection.by})`
              : 'not tested';
  const selected = input.selection?.clauses && new Set(input.selection.clauses);
  // Why a clause no test judged was not: a test that judges it was skipped (the quota is higher
  // than the probe's creates, the run's parent could not be made...).
  const skippedFor = new Map<string, string>();
  for (const r of records) {
    if (!r.test || !r.skipped) continue;
    for (const clause of input.clauseMap?.[r.test] ?? []) if (!skippedFor.has(clause)) skippedFor.set(clause, `not tested: ${r.test} was skipped: ${r.skipped}`);
  }
  let baselineKnown = 0;
  let baselineNew = 0;
  const timeOf = new Map<string, number>();
  for (const r of records) {
    const exercised = new Set(r.findings.map((f) => f.clause));
    for (const c of exercised) timeOf.set(c, (timeOf.get(c) ?? 0) + (r.durationMs ?? 0) / exercised.size);
  }
  const clauses: ClauseResult[] = profile.clauseFile.clauses.map((clause) => {
    const base = { id: clause.id, level: clause.level, area: clause.area, title: clause.title, text: clause.text, source: clause.source, url: clause.url, contradiction: clause.contradiction };
    // A selection of clauses judges those alone: what its tests found of others is not what was asked.
    if (selected && !selected.has(clause.id)) return { ...base, status: 'skip' as const, reason: `not selected (${input.selection!.by})`, passes: 0, timeMs: 0, findings: [] };
    const findings = byClause.get(clause.id) ?? [];
    const all = expectations.filter((e) => e.clause === clause.id);
    const entries = all.filter((e) => !e.untested);
    const acceptance = all.find((e) => e.untested);
    const failures: ReportedFinding[] = mergeFailures(findings.filter((f) => f.outcome === 'fail')).map((f) => {
      const covering = coveredBy(entries, f);
      const inBaseline = input.baseline?.known.has(signature(profile.id, f));
      if (input.baseline) inBaseline ? baselineKnown++ : baselineNew++;
      if (covering) return { ...f, known: 'expected' as const, undescribed: covering.every((e) => describes(e, f)) ? undefined : true };
      return inBaseline ? { ...f, known: 'baseline' as const } : f;
    });
    const passes = findings.filter((f) => f.outcome === 'pass').reduce((n, f) => n + f.count, 0);
    let status: ClauseStatus = failures.length ? 'fail' : passes ? 'pass' : 'skip';
    const untestable = findings.find((f) => f.outcome === 'untestable');
    let reason = status === 'skip' ? (untestable && !input.readOnly ? `not testable here: ${untestable.title}` : notTested === 'not tested' ? (skippedFor.get(clause.id) ?? notTested) : notTested) : undefined;
    let unexpectedPass: boolean | undefined;
    let evidence: string | undefined;
    // Expected only when every failing finding is known: a new one in the same clause fails the run.
    if (status === 'fail' && failures.every((f) => f.known)) {
      status = 'expected-fail';
      const used = entries.filter((e) => failures.some((f) => coversSome(e, f)));
      reason = used.length ? used.map((e) => e.reason).join(' / ') : `in the baseline (${input.baseline?.file})`;
      evidence = used.map((e) => e.evidence).filter(Boolean).join(' / ') || undefined;
    } else if (entries.length && status === 'pass') {
      unexpectedPass = true;
      reason = `listed as expected to fail (${entries[0]!.reason}) but passed`;
    }
    const stale = status === 'skip' ? [] : entries.filter((e) => fine(e) && !failures.some((f) => coversSome(e, f)));
    return {
      ...base,
      status,
      reason,
      unexpectedPass,
      untestable: status === 'skip' && untestable && !input.readOnly ? true : undefined,
      accepted: status === 'skip' && acceptance ? acceptance.reason : undefined,
      testedThoughAccepted: status !== 'skip' && acceptance ? true : undefined,
      evidence,
      passes,
      timeMs: Math.round(timeOf.get(clause.id) ?? 0),
      findings: failures,
      staleExpectations: stale.length ? stale : undefined,
    };
  });
  const count = (list: ClauseResult[]) => ({
    passed: list.filter((c) => c.status === 'pass').length,
    failed: list.filter((c) => c.status === 'fail').length,
    skipped: list.filter((c) => c.status === 'skip').length,
    expectedFailures: list.filter((c) => c.status === 'expected-fail').length,
  });
  const must = clauses.filter((c) => c.level === 'MUST');
  // A run restricted on purpose judges what it could test: a shard (the other shards test the
  // rest; merge joins them), read-only, a selection.
  const restricted = input.restricted;
  const decided = decideVerdict({ clauses, errors: input.errors, ended: input.ended, budgetSeconds: input.budgetSeconds, maxFailures: input.maxFailures, restricted });
  const states = records.flatMap((r) => r.states);
  const wanted = new Set(clauses.flatMap((c) => c.findings.flatMap(evidenceOf)));
  const exchanges = new Map<string, StoredExchange>();
  for (const r of records) for (const e of r.exchanges) if (wanted.has(e.id)) exchanges.set(e.id, e);
  linkSameExchanges(clauses);
  const timings = records.flatMap((r) => r.timings);
  const causes = causesOf(profile, clauses, exchanges, timings);
  return {
    tool: TOOL,
    version: VERSION,
    profile: profile.id,
    title: profile.title,
    runId: input.runId,
    target: input.target,
    microversion: input.microversion,
    readOnly: input.readOnly || undefined,
    seed: input.seed,
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    profileDurationMs: input.profileDurationMs,
    verdict: decided.verdict,
    exitCode: decided.exitCode,
    reason: decided.reason,
    restricted,
    summary: { ...count(clauses), unexpectedPasses: clauses.filter((c) => c.unexpectedPass).length, causes: causes.length },
    byLevel: {
      MUST: count(must),
      SHOULD: count(clauses.filter((c) => c.level === 'SHOULD')),
      MAY: count(clauses.filter((c) => c.level === 'MAY')),
    },
    clauses,
    causes,
    checks: checksNamed(clauses),
    errors: input.errors,
    exchanges: [...exchanges.values()],
    timings,
    states,
    busy: busyCounts(profile, timings),
    ended: input.ended,
    budgetSeconds: input.budgetSeconds,
    maxFailures: input.ended === 'max-failures' ? input.maxFailures : undefined,
    cleanup: input.cleanup,
    tests: records.filter((r) => r.test).map((r) => ({ test: r.test!, durationMs: r.durationMs ?? 0, skipped: r.skipped })),
    latency: Object.fromEntries(groupBy(timings, (t) => t.operation).map(([op, list]) => [op, stats(list.map((t) => t.ms))])),
    stateTimes: {
      ready: states.some((t) => t.phase === 'ready') ? stats(states.filter((t) => t.phase === 'ready').map((t) => t.ms)) : undefined,
      gone: states.some((t) => t.phase === 'gone') ? stats(states.filter((t) => t.phase === 'gone').map((t) => t.ms)) : undefined,
    },
    shard: input.shard,
    baseline: input.baseline ? { file: input.baseline.file, known: baselineKnown, new: baselineNew } : undefined,
    expectations: input.expectationsFile
      ? {
          file: input.expectationsFile,
          entries: expectations.filter((e) => profile.clauses.has(e.clause)).length,
          expectedFailures: clauses.filter((c) => c.status === 'expected-fail' && c.findings.some((f) => f.known === 'expected')).length,
          accepted: clauses.filter((c) => c.accepted).length,
          outOfDate: clauses.filter((c) => c.unexpectedPass || c.staleExpectations || c.testedThoughAccepted).length,
        }
      : undefined,
  };
}

function groupBy<T>(list: T[], key: (t: T) => string): Array<[string, T[]]> {
  const out = new Map<string, T[]>();
  for (const t of list) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Median, p95 and max (nearest rank), rounded to 0.1 ms. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const r = (n: number) => Math.round(n * 10) / 10;
  return { count: sorted.length, median: r(at(0.5)), p95: r(at(0.95)), max: r(sorted.at(-1) ?? 0) };
}

function busyCounts(profile: Profile, timings: Timing[]): ProfileResults['busy'] {
  const busy = profile.model.busy;
  if (!busy) return undefined;
  const byOperation: Record<string, number> = {};
  for (const t of timings) if (t.status === busy.status) byOperation[t.operation] = (byOperation[t.operation] ?? 0) + 1;
  return { status: busy.status, count: Object.values(byOperation).reduce((a, b) => a + b, 0), byOperation };
}

/**
 * The same failure seen by several tests is one finding with the counts added, and every place it
 * was made listed (within the bounds of findings/occurrences.ts).
 */
function mergeFailures(failures: Finding[]): ReportedFinding[] {
  const merged = new Map<string, ReportedFinding>();
  for (const f of failures) {
    const key = `${f.check}\u0000${f.title}`;
    const hit = merged.get(key);
    if (hit) {
      hit.count += f.count;
      for (const c of f.cases ?? []) addCase(hit, c);
      mergeOccurrences(hit, f);
      if (!hit.counterexample && f.counterexample) hit.counterexample = f.counterexample;
    } else merged.set(key, { ...f, cases: f.cases ? [...f.cases] : undefined, occurrences: occurrencesOf(f).map((o) => ({ ...o, exchanges: [...o.exchanges] })) });
  }
  return [...merged.values()];
}

/** Findings of different clauses resting on the same exchange name each other. */
function linkSameExchanges(clauses: ClauseResult[]): void {
  const byExchange = new Map<string, Set<string>>();
  for (const c of clauses) for (const f of c.findings) for (const id of evidenceOf(f)) byExchange.set(id, (byExchange.get(id) ?? new Set()).add(c.id));
  for (const c of clauses) {
    for (const f of c.findings) {
      const others = new Set(evidenceOf(f).flatMap((id) => [...(byExchange.get(id) ?? [])]));
      others.delete(c.id);
      if (others.size) f.sameExchangeAs = [...others].sort();
    }
  }
}

/** The failed MUST clauses' findings grouped by cause; each finding learns its cause's id. */
function causesOf(profile: Profile, clauses: ClauseResult[], exchanges: Map<string, StoredExchange>, timings: Timing[]): Cause[] {
  const findings = clauses.filter((c) => c.level === 'MUST' && c.status === 'fail').flatMap((c) => c.findings.map((f) => ({ clause: c.id, finding: f })));
  const { causes, causeOf } = groupCauses(
    findings.map(({ clause, finding }) => ({
      clause,
      clauseTitle: profile.clauses.get(clause)?.title,
      check: finding.check,
      title: finding.title,
      exchanges: evidenceOf(finding).filter((id) => exchanges.has(id)),
      contexts: finding.occurrences.map((o) => o.context).filter((c): c is string => Boolean(c)),
      operations: [...new Set([finding.operation, ...(finding.cases ?? []).map((c) => c.operation)].filter((o): o is string => Boolean(o)))],
    })),
    {
      exchanges,
      template: (ex) => (ex.operation ? profile.operations.get(ex.operation)?.path : undefined),
      timings,
      createOperation: profile.model.resource.ops.create.id,
    },
  );
  findings.forEach(({ finding }, i) => (finding.cause = causeOf[i]));
  return causes;
}

const CHECKS = new Map(allChecks.map((c) => [c.id, c.summary]));

/** The checks the findings name, with what each holds to, in the order first named. */
function checksNamed(clauses: ClauseResult[]): CheckSummary[] {
  const ids = new Set(clauses.flatMap((c) => c.findings.map((f) => f.check)));
  return [...ids].filter((id) => CHECKS.has(id)).map((id) => ({ id, summary: CHECKS.get(id)! }));
}

/**
 * results.json: the interface other tools rely on (design.md), plus the verdict, the counts by
 * level, suite errors, the exchanges that are evidence, and the timings: each test's duration,
 * latency by operation, time to ready and to gone.
 */
export function resultsJson(r: ProfileResults) {
  return {
    formatVersion: RESULTS_FORMAT,
    tool: r.tool,
    version: r.version,
    profile: r.profile,
    runId: r.runId,
    target: r.target,
    microversion: r.microversion,
    readOnly: r.readOnly,
    seed: r.seed,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    profileDurationMs: r.profileDurationMs,
    verdict: r.verdict,
    exitCode: r.exitCode,
    reason: r.reason,
    restricted: r.restricted,
    summary: r.summary,
    byLevel: r.byLevel,
    causes: r.causes,
    clauses: r.clauses,
    checks: r.checks,
    errors: r.errors,
    busy: r.busy,
    ended: r.ended,
    budgetSeconds: r.budgetSeconds,
    maxFailures: r.maxFailures,
    cleanup: r.cleanup,
    shard: r.shard,
    baseline: r.baseline,
    expectations: r.expectations,
    tests: r.tests,
    latency: r.latency,
    stateTimes: r.stateTimes,
    exchanges: r.exchanges,
  };
}
