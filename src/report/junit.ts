// junit.xml for CI tools: one testsuite per profile, one testcase per clause, and one for the
// profile's verdict. Only what decides the verdict is a <failure>: a failed MUST clause, an
// expectation that passed, and the verdict itself; a failed SHOULD or MAY clause passes with its
// findings in <system-out>. An untested clause is <skipped>; an expected failure passes with a note.
// Each failure names the report's anchor of its clause, and each suite takes its profile's own time.
import type { ClauseResult, ProfileResults } from './results.ts';

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');

/** The name of the testcase that carries a profile's verdict. */
export const VERDICT_CASE = 'verdict';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The findings of a clause, as text: what was expected, what came, where, and how to replay it. */
const findingsText = (c: ClauseResult) =>
  c.findings
    .map((f) => [`${f.title} x${f.count}`, `  expected: ${f.expected}`, `  got: ${f.actual}`, f.context ? `  while: ${f.context}` : '', f.counterexample ? `  replay: ${f.counterexample.replay}` : ''].filter(Boolean).join('\n'))
    .join('\n');

/** The page of a profile's report, relative to junit.xml (one page, or one per profile beside a summary). */
const pageOf = (r: ProfileResults, several: boolean) => (several ? `${r.profile}/index.html` : 'index.html');

export function junitXml(all: ProfileResults[]): string {
  const several = all.length > 1;
  const suites = all.map((r) => {
    const page = pageOf(r, several);
    const cases = r.clauses.map((c) => {
      const head = `    <testcase classname="${esc(`${r.profile}.${c.area}`)}" name="${esc(`${c.id} ${c.title}`)}" time="${seconds(c.timeMs)}">`;
      const anchor = `${page}#${c.id}`;
      if (c.status === 'fail' && c.level === 'MUST') {
        const message = c.findings.filter((f) => !f.known).map((f) => `${f.title} (expected ${f.expected}, got ${f.actual})`).join('; ');
        return `${head}\n      <failure message="${esc(`[MUST] ${message} (report: ${anchor})`)}" type="MUST">${esc(`report: ${anchor}\n${findingsText(c)}`)}</failure>\n    </testcase>`;
      }
      if (c.status === 'fail') {
        return `${head}\n      <system-out>${esc(`${c.level} clause failed (it does not decide the verdict); report: ${anchor}\n${findingsText(c)}`)}</system-out>\n    </testcase>`;
      }
      if (c.status === 'skip') return `${head}\n      <skipped message="${esc(c.reason ?? 'not tested')}"/>\n    </testcase>`;
      if (c.status === 'expected-fail') return `${head}\n      <system-out>${esc(`expected failure: ${c.reason}`)}</system-out>\n    </testcase>`;
      if (c.unexpectedPass) return `${head}\n      <failure message="${esc(`${c.reason ?? 'passed unexpectedly'} (report: ${anchor})`)}" type="unexpected-pass">${esc(`report: ${anchor}`)}</failure>\n    </testcase>`;
      return `${head}</testcase>`;
    });
    const verdict = verdictCase(r, page);
    const failures = r.clauses.filter((c) => (c.status === 'fail' && c.level === 'MUST') || c.unexpectedPass).length + (verdict.failed ? 1 : 0);
    return [
      `  <testsuite name="${esc(r.profile)}" tests="${r.clauses.length + r.errors.length + 1}" failures="${failures}" errors="${r.errors.length}" skipped="${r.summary.skipped}" time="${seconds(r.profileDurationMs ?? r.durationMs)}" timestamp="${r.startedAt.replace(/\.\d+Z$/, '')}">`,
      ...cases,
      ...r.errors.map((e) => `    <testcase classname="${esc(`${r.profile}.suite`)}" name="${esc(e.test)}"><error message="${esc(e.message.split('\n')[0] ?? '')}">${esc(e.message)}</error></testcase>`),
      verdict.xml,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snapshot-conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The profile's verdict as a testcase of its own: a failure, with what made it so, when not conformant. */
function verdictCase(r: ProfileResults, page: string): { xml: string; failed: boolean } {
  // Its time is in the clauses' already: none of its own, so that the cases add up to the suite.
  const head = `    <testcase classname="${esc(r.profile)}" name="${VERDICT_CASE}" time="0.000">`;
  if (r.verdict === 'conformant') return { xml: `${head}</testcase>`, failed: false };
  // Why, in short (the report says it in full): the MUST clauses that failed, where some did.
  const failed = r.clauses.filter((c) => c.level === 'MUST' && c.status === 'fail').map((c) => c.id);
  const message = `not conformant${failed.length ? `: MUST clauses failed: ${failed.join(', ')}` : ''}`;
  return { xml: `${head}\n      <failure message="${esc(`${message} (report: ${page})`)}" type="verdict">${esc(`report: ${page}\n${message}`)}</failure>\n    </testcase>`, failed: true };
}
