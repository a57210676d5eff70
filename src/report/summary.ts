// The closing summary a `run` prints, as pytest's short summary and Schemathesis's failures do:
// per profile its verdict and counts; under one that is not clean, each failing MUST clause with
// its findings (what was expected, what came) once, the causes with their hints, what was not
// tested and why, what failed without deciding the verdict, the expectations' and the baseline's
// counts and the first replay; then the report's absolute path; the last line is the verdict, its
// reason and the exit code. Pure text from the results.
import type { ClauseResult, ProfileResults, ReportedFinding } from './results.ts';
import { EXIT, type ExitCode } from './verdict.ts';

const FINDINGS_PER_CLAUSE = 5;
const CAUSES = 5;
const cut = (s: string | undefined, max = 160) => (!s ? '' : s.length > max ? `${s.slice(0, max - 1)}…` : s);
const findingLine = (f: ReportedFinding) => `${f.title}: expected ${cut(f.expected)}, got ${cut(f.actual)}${f.count > 1 ? ` (×${f.count})` : ''}`;

export function countsLine(r: ProfileResults): string {
  const s = r.summary;
  return `${r.clauses.length} clauses: ${s.passed} pass, ${s.failed} fail, ${s.skipped} not tested, ${s.expectedFailures} expected fail`;
}

/** What the run's exit code is: the highest of its profiles' (interrupted above all). */
export function runExitCode(all: Array<Pick<ProfileResults, 'exitCode'>>): ExitCode {
  const codes = all.map((r) => r.exitCode);
  if (codes.includes(EXIT.interrupted)) return EXIT.interrupted;
  return codes.includes(EXIT.notConformant) ? EXIT.notConformant : EXIT.ok;
}

/** The verdict of a run and why, in one line (of one profile, or of several). */
export function runReason(all: ProfileResults[]): string {
  if (all.length === 1) return `${all[0]!.profile}: ${all[0]!.verdict}: ${all[0]!.reason}`;
  const bad = all.filter((r) => r.exitCode !== EXIT.ok);
  if (!bad.length) {
    if (all.every((r) => r.verdict === 'conformant')) return `conformant: every MUST clause holds in ${all.map((r) => r.profile).join(', ')}`;
    return `no failure found in what was tested: ${all.map((r) => `${r.profile} (${r.verdict})`).join(', ')}`;
  }
  return `not conformant: ${bad.map((r) => `${r.profile} (${r.reason})`).join('; ')}`;
}

/** The last line: the verdict, why, and the exit code it gives. */
export const verdictLine = (all: ProfileResults[]) => `${runReason(all)} (exit ${runExitCode(all)})`;

function profileBlock(r: ProfileResults): string[] {
  const lines = [`${r.profile}: ${r.verdict} (${countsLine(r)}${r.restricted ? `; ${r.restricted}` : ''})`];
  const must = r.clauses.filter((c) => c.level === 'MUST');
  const failing = must.filter((c) => c.status === 'fail');
  if (failing.length) {
    lines.push('  failing MUST clauses:');
    for (const c of failing) {
      lines.push(`    ${c.id} ${c.title}`);
      const fresh = c.findings.filter((f) => !f.known);
      for (const f of fresh.slice(0, FINDINGS_PER_CLAUSE)) lines.push(`      ${findingLine(f)}`);
      if (fresh.length > FINDINGS_PER_CLAUSE) lines.push(`      and ${fresh.length - FINDINGS_PER_CLAUSE} more finding(s) in the report`);
    }
  }
  if (r.causes.length) {
    lines.push('  causes:');
    r.causes.slice(0, CAUSES).forEach((cause, i) => {
      lines.push(`    ${i + 1}. ${cause.title}: ${cause.clauses.join(', ')}`);
      if (cause.hint) lines.push(`       hint: ${cause.hint}`);
    });
    if (r.causes.length > CAUSES) lines.push(`    and ${r.causes.length - CAUSES} more cause(s) in the report`);
  }
  const untested = (c: ClauseResult) => `${c.id} (${c.reason ?? 'not tested'})`;
  // In a full run a MUST clause not tested decides the verdict; in a restricted one, the counts say it.
  if (!r.restricted) {
    const notTested = must.filter((c) => c.status === 'skip' && !c.accepted);
    if (notTested.length) lines.push(`  not tested (MUST): ${notTested.slice(0, 5).map(untested).join('; ')}${notTested.length > 5 ? `; and ${notTested.length - 5} more` : ''}`);
  }
  const accepted = r.clauses.filter((c) => c.accepted);
  if (accepted.length) lines.push(`  accepted as not tested: ${accepted.map((c) => `${c.id} (${c.accepted})`).join('; ')}`);
  const outOfDate = r.clauses.filter((c) => c.unexpectedPass || c.staleExpectations || c.testedThoughAccepted);
  if (outOfDate.length) lines.push(`  expectations out of date: ${outOfDate.map((c) => `${c.id} ${c.unexpectedPass ? 'passed' : c.testedThoughAccepted ? 'was tested' : 'has an entry that matches none of its findings'}`).join('; ')}`);
  const also = r.clauses.filter((c) => c.level !== 'MUST' && c.status === 'fail');
  if (also.length) lines.push(`  also failing, not deciding the verdict: ${also.map((c) => `${c.id} (${c.level})`).join(', ')}`);
  if (r.expectations) lines.push(`  expectations: ${r.expectations.entries} entr${r.expectations.entries === 1 ? 'y' : 'ies'}: ${r.expectations.expectedFailures} clause(s) failed as expected, ${r.expectations.accepted} accepted as not tested, ${r.expectations.outOfDate} out of date`);
  if (r.baseline) lines.push(`  baseline: ${r.baseline.known} known finding(s), ${r.baseline.new} new`);
  for (const e of r.errors.slice(0, 3)) lines.push(`  suite error in ${e.test}: ${cut(e.message.split('\n')[0], 200)}`);
  const replay = r.clauses.flatMap((c) => (c.status === 'fail' ? c.findings : [])).find((f) => f.counterexample)?.counterexample?.replay;
  if (replay) lines.push(`  replay: ${replay}`);
  return lines;
}

/** The closing summary of a run: profile blocks, the report's path, and the verdict line last. */
export function closingSummary(all: ProfileResults[], reportPath: string): string {
  return [...all.flatMap(profileBlock), `report: ${reportPath}`, verdictLine(all)].join('\n');
}
