// Joins the findings of every test with the profile's clauses into the run's results: one status
// per clause, the verdict, and the counts. Pure: the reporter feeds it, the writers render it.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Clause, Profile } from '../profile/load.ts';
import type { Finding, Occurrence, StoredExchange, TestRecord, Timing, StateTiming } from '../findings/types.ts';
import { evidenceOf, mergeOccurrences, occurrencesOf } from '../findings/occurrences.ts';
import { allChecks } from '../checks/index.ts';
import { groupCauses, type Cause } from './causes.ts';
import { PACKAGE_ROOT } from '../profile/load.ts';
import { join } from 'node:path';
import type { AfterRunCleanup } from '../target/after-run.ts';

export type ClauseStatus = 'pass' | 'fail' | 'skip' | 'expected-fail';
export type { Cause } from './causes.ts';

/** A failure as the report shows it: every place it was made, and what else its evidence shows. */
export interface ReportedFinding extends Finding {
  occurrences: Occurrence[];
  /** Other clauses with a finding on one of this finding's exchanges ("same exchange as ..."). */
  sameExchangeAs?: string[];
  /** The cause (ProfileResults.causes) it belongs to: findings of failed MUST clauses. */
  cause?: string;
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
  /** What the expectations file gives as evidence of an expected failure. */
  evidence?: string;
  /** How many check evaluations held for this clause. */
  passes: number;
  findings: ReportedFinding[];
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
  verdict: 'conformant' | 'not conformant';
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
  /** The run did not finish: its time budget ran out, or it was interrupted. Never conformant. */
  ended?: 'budget' | 'interrupted';
  budgetSeconds?: number;
  /** What the clean-up after the tests removed and could not remove. */
  cleanup?: AfterRunCleanup;
}

export interface Expectation {
  clause: string;
  reason: string;
  evidence?: string;
}

export const TOOL = 'snapshot-conformance';
export const VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

export function readExpectations(file: string): Expectation[] {
  const doc = parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(doc) ? doc : doc?.expectations;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of {clause, reason}`);
  return list.map((e: any, i: number) => {
    if (typeof e?.clause !== 'string' || typeof e?.reason !== 'string') throw new Error(`${file}: entry ${i + 1} needs clause and reason`);
    return { clause: e.clause, reason: e.reason, evidence: e.evidence };
  });
}

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
  ended?: ProfileResults['ended'];
  budgetSeconds?: number;
  cleanup?: AfterRunCleanup;
}

export function profileResults(input: ProfileInput): ProfileResults {
  const { profile, records, expectations } = input;
  const byClause = new Map<string, Finding[]>();
  for (const record of records) for (const f of record.findings) {
    const list = byClause.get(f.clause) ?? [];
    list.push(f);
    byClause.set(f.clause, list);
  }
  const expected = new Map(expectations.map((e) => [e.clause, e]));
  const notTested = input.readOnly ? 'not testable read-only' : input.ended === 'budget' ? "not tested: the run's time budget ran out" : input.ended === 'interrupted' ? 'not tested: the run was interrupted' : 'not tested';
  const clauses: ClauseResult[] = profile.clauseFile.clauses.map((clause) => {
    const findings = byClause.get(clause.id) ?? [];
    const failures = mergeFailures(findings.filter((f) => f.outcome === 'fail'));
    const passes = findings.filter((f) => f.outcome === 'pass').reduce((n, f) => n + f.count, 0);
    let status: ClauseStatus = failures.length ? 'fail' : passes ? 'pass' : 'skip';
    let reason = status === 'skip' ? notTested : undefined;
    let unexpectedPass: boolean | undefined;
    const expectation = expected.get(clause.id);
    let evidence: string | undefined;
    if (expectation && status === 'fail') {
      status = 'expected-fail';
      reason = expectation.reason;
      evidence = expectation.evidence;
    } else if (expectation && status === 'pass') {
      unexpectedPass = true;
      reason = `listed as expected to fail (${expectation.reason}) but passed`;
    }
    return {
      id: clause.id,
      level: clause.level,
      area: clause.area,
      title: clause.title,
      text: clause.text,
      source: clause.source,
      url: clause.url,
      contradiction: clause.contradiction,
      status,
      reason,
      unexpectedPass,
      evidence,
      passes,
      findings: failures,
    };
  });
  const count = (list: ClauseResult[]) => ({
    passed: list.filter((c) => c.status === 'pass').length,
    failed: list.filter((c) => c.status === 'fail').length,
    skipped: list.filter((c) => c.status === 'skip').length,
    expectedFailures: list.filter((c) => c.status === 'expected-fail').length,
  });
  const must = clauses.filter((c) => c.level === 'MUST');
  const conformant = must.every((c) => c.status === 'pass' || c.status === 'expected-fail') && !clauses.some((c) => c.unexpectedPass) && input.errors.length === 0 && !input.ended;
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
    verdict: conformant ? 'conformant' : 'not conformant',
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
    states: records.flatMap((r) => r.states),
    busy: busyCounts(profile, records.flatMap((r) => r.timings)),
    ended: input.ended,
    budgetSeconds: input.budgetSeconds,
    cleanup: input.cleanup,
  };
}

function busyCounts(profile: Profile, timings: Timing[]): ProfileResults['busy'] {
  const busy = profile.conformance.busy;
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
      mergeOccurrences(hit, f);
      if (!hit.counterexample && f.counterexample) hit.counterexample = f.counterexample;
    } else merged.set(key, { ...f, occurrences: occurrencesOf(f).map((o) => ({ ...o, exchanges: [...o.exchanges] })) });
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
    findings.map(({ clause, finding }) => ({ clause, check: finding.check, title: finding.title, exchanges: evidenceOf(finding).filter((id) => exchanges.has(id)) })),
    {
      exchanges,
      template: (ex) => (ex.operation ? profile.operations.get(ex.operation)?.path : undefined),
      timings,
      createOperation: profile.conformance.resource?.operations?.create,
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
 * level, suite errors and the exchanges that are evidence. Timings stay in the HTML report.
 */
export function resultsJson(r: ProfileResults) {
  return {
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
    summary: r.summary,
    byLevel: r.byLevel,
    causes: r.causes,
    clauses: r.clauses,
    checks: r.checks,
    errors: r.errors,
    busy: r.busy,
    ended: r.ended,
    budgetSeconds: r.budgetSeconds,
    cleanup: r.cleanup,
    exchanges: r.exchanges,
  };
}
