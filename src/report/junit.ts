// junit.xml for CI tools: one testsuite per profile, one testcase per clause. A failed clause is a
// <failure> with its findings; an untested one is <skipped>; an expected failure passes with a note.
import type { ProfileResults } from './results.ts';

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');

export function junitXml(all: ProfileResults[]): string {
  const suites = all.map((r) => {
    const cases = r.clauses.map((c) => {
      const name = `${c.id} ${c.title}`;
      const head = `    <testcase classname="${esc(`${r.profile}.${c.area}`)}" name="${esc(name)}" time="${(c.timeMs / 1000).toFixed(3)}">`;
      if (c.status === 'fail') {
        const message = c.findings.filter((f) => !f.known).map((f) => `${f.title} (expected ${f.expected}, got ${f.actual})`).join('; ');
        const body = c.findings
          .map((f) => [`${f.title} x${f.count}`, `  expected: ${f.expected}`, `  got: ${f.actual}`, f.context ? `  while: ${f.context}` : '', f.counterexample ? `  replay: ${f.counterexample.replay}` : ''].filter(Boolean).join('\n'))
          .join('\n');
        return `${head}\n      <failure message="${esc(`[${c.level}] ${message}`)}" type="${c.level}">${esc(body)}</failure>\n    </testcase>`;
      }
      if (c.status === 'skip') return `${head}\n      <skipped message="${esc(c.reason ?? 'not tested')}"/>\n    </testcase>`;
      if (c.status === 'expected-fail') return `${head}\n      <system-out>${esc(`expected failure: ${c.reason}`)}</system-out>\n    </testcase>`;
      if (c.unexpectedPass) return `${head}\n      <failure message="${esc(c.reason ?? 'passed unexpectedly')}" type="unexpected-pass"/>\n    </testcase>`;
      return `${head}</testcase>`;
    });
    const failures = r.clauses.filter((c) => c.status === 'fail' || c.unexpectedPass).length;
    return [
      `  <testsuite name="${esc(r.profile)}" tests="${r.clauses.length + r.errors.length}" failures="${failures}" errors="${r.errors.length}" skipped="${r.summary.skipped}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${r.startedAt.replace(/\.\d+Z$/, '')}">`,
      ...cases,
      ...r.errors.map((e) => `    <testcase classname="${esc(`${r.profile}.suite`)}" name="${esc(e.test)}"><error message="${esc(e.message.split('\n')[0] ?? '')}">${esc(e.message)}</error></testcase>`),
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snapshot-conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}
