// The verdict of a profile's results, its exit code and the one line that says why: the rules of
// README's exit-code table, written once. Pure: results.ts calls it, the CLI exits by what it gives.
//   0   conformant: every MUST clause passed or failed as expected, none is untested unless the
//       expectations accept it; or, in a run restricted on purpose (read-only, a selection, a
//       shard), nothing it tested failed
//   1   not conformant: a MUST clause failed, an expectation is out of date (an expected failure no
//       longer fails), a suite error, a run that ended early, or (a full run) a MUST clause not tested
//   130 interrupted
// (2, bad input or a target that is not the profile's API, never gets this far.)
import type { Clause } from '../profile/load.ts';

export const EXIT = { ok: 0, notConformant: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type VerdictName = 'conformant' | 'not conformant' | 'no failure found';

/** How the tests ended when they did not all run: the budget, an interrupt, --max-failures. */
export type Ended = 'budget' | 'interrupted' | 'max-failures';

export interface Verdict {
  verdict: VerdictName;
  exitCode: ExitCode;
  /** Why, in one line: what failed or was not tested, by clause; or what held. */
  reason: string;
}

/** What the verdict reads of a clause. */
export interface JudgedClause {
  id: string;
  level: Clause['level'];
  status: 'pass' | 'fail' | 'skip' | 'expected-fail';
  reason?: string;
  /** The expectations accept that it is not tested (their reason). */
  accepted?: string;
  unexpectedPass?: boolean;
  staleExpectations?: unknown[];
  /** An `untested: true` entry names it, but it was tested. */
  testedThoughAccepted?: boolean;
}

export interface VerdictInput {
  clauses: JudgedClause[];
  errors: Array<{ test: string; message: string }>;
  ended?: Ended;
  budgetSeconds?: number;
  maxFailures?: number;
  /** What restricts the run on purpose ("read-only", "--grep RE", "shard 1/2"); a full run has none. */
  restricted?: string;
}

/** At most `max` items named, then how many more. */
function named(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { clauses } = input;
  const must = clauses.filter((c) => c.level === 'MUST');
  const problems: string[] = [];
  const failed = must.filter((c) => c.status === 'fail').map((c) => c.id);
  if (failed.length) problems.push(`${named(failed, 5)} failed`);
  const passedAgainst = clauses.filter((c) => c.unexpectedPass).map((c) => c.id);
  if (passedAgainst.length) problems.push(`${named(passedAgainst)} passed though the expectations say it fails (update the expectations file)`);
  const stale = clauses.filter((c) => c.staleExpectations?.length).map((c) => c.id);
  if (stale.length) problems.push(`an expectation of ${named(stale)} matches none of its findings (update the expectations file)`);
  const tested = clauses.filter((c) => c.testedThoughAccepted).map((c) => c.id);
  if (tested.length) problems.push(`${named(tested)} was tested though the expectations accept it as not tested (update the expectations file)`);
  if (input.errors.length) problems.push(`${input.errors.length} suite error(s), first in ${input.errors[0]!.test}: ${input.errors[0]!.message.split('\n')[0]!.slice(0, 160)}`);
  if (input.ended === 'budget') problems.push(`the time budget of ${input.budgetSeconds} s ran out before the end`);
  if (input.ended === 'max-failures') problems.push(`stopped at ${input.maxFailures} failing clause(s) (--max-failures)`);
  // One rule for every kind of "not tested", in a full run: a MUST clause not shown to hold is not
  // conformance, whatever kept it from being tested, unless the expectations accept it.
  const untested = must.filter((c) => c.status === 'skip' && !c.accepted);
  if (!input.restricted && !input.ended && untested.length) {
    problems.push(untested.length <= 3 ? untested.map((c) => `${c.id} ${c.reason ?? 'not tested'}`).join('; ') : `${untested.length} MUST clauses not tested (${named(untested.map((c) => c.id))})`);
  }
  if (input.ended === 'interrupted') return { verdict: 'not conformant', exitCode: EXIT.interrupted, reason: ['interrupted before the end', ...problems].join('; ') };
  // A restricted run says so on its last line too, whatever its verdict.
  if (problems.length) return { verdict: 'not conformant', exitCode: EXIT.notConformant, reason: `${problems.join('; ')}${input.restricted ? ` (restricted on purpose: ${input.restricted})` : ''}` };
  const count = (s: JudgedClause['status']) => clauses.filter((c) => c.status === s).length;
  if (input.restricted) {
    const testedCount = clauses.length - count('skip');
    return { verdict: 'no failure found', exitCode: EXIT.ok, reason: `no MUST clause failed of the ${testedCount} clause(s) tested (${input.restricted}); ${count('skip')} not tested: not a verdict on the whole profile` };
  }
  const of = (s: JudgedClause['status']) => must.filter((c) => c.status === s).length;
  const held = [`${of('pass')} passed`, of('expected-fail') ? `${of('expected-fail')} failed as expected` : '', of('skip') ? `${of('skip')} accepted as not tested` : ''].filter(Boolean);
  return { verdict: 'conformant', exitCode: EXIT.ok, reason: `every MUST clause holds (${held.join(', ')})` };
}
