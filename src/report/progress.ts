// What a `snapshot-conformance run` prints while it goes: one line per test as it ends, and under
// it each finding the run had not shown yet, once (clause, what was expected, what came), read
// from the test's record. A test is marked ✘ only for a failure that decides the verdict (a MUST
// clause, unknown to the expectations and the baseline); a known failure or one of a SHOULD or MAY
// clause is shown once, marked so, under a ✓. The closing summary and the evidence come from the
// conformance reporter and the report. Playwright's stack traces and code frames, which speak of
// the suite's insides rather than of the target, are not printed. Plain `npx playwright test`
// keeps Playwright's own reporters.
import { readFileSync } from 'node:fs';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { readSettings, secretsOf, type RunSettings } from '../run/settings.ts';
import { CHECK_MARK, RECORD, type Finding, type TestRecord } from '../findings/types.ts';
import { Redactor } from '../http/redact.ts';
import { loadProfile } from '../profile/load.ts';
import { VERDICT_TITLE } from '../run/verdict.ts';
import { isKnown, readKnown, type Known } from './known.ts';

const MARK = { passed: '✓', failed: '✘', timedOut: '✘', skipped: '-', interrupted: '!' } as const;
const LINES_PER_CLAUSE = 2;
const cut = (s: string | undefined, max = 160) => (!s ? '' : s.length > max ? `${s.slice(0, max - 1)}…` : s);

export default class ProgressReporter implements Reporter {
  private run!: RunSettings;
  private redactor = new Redactor([]);
  private known: Known = { expectations: [], baseline: new Set() };
  private total = 0;
  private done = 0;
  /** Findings already shown: each once. */
  private readonly shown = new Set<string>();

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.run = readSettings();
    this.redactor = new Redactor(secretsOf(this.run));
    this.known = readKnown(this.run);
    this.total = suite.allTests().length;
    process.stdout.write(`${this.total} tests\n`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.done++;
    const title = test.titlePath().slice(3).join(' › ');
    const seconds = result.duration >= 1000 ? ` (${(result.duration / 1000).toFixed(1)} s)` : '';
    const prefix = `[${this.done}/${this.total}] ${title}`;
    if (test.title === VERDICT_TITLE) {
      // The verdict test's message is the verdict and its reason (src/run/verdict.ts).
      const said = result.errors.map((e) => stripAnsi(e.message ?? '').split('\n')[0]!.replace(/^Error: /, '').replace(/^[\w-]+: /, ''))[0];
      return this.print([`${MARK[result.status]} ${prefix}${said ? `: ${said}` : ''}`]);
    }
    const failures = this.failuresOf(result);
    const deciding = failures.filter((f) => f.decides);
    const mark = result.status === 'passed' && deciding.length ? MARK.failed : MARK[result.status];
    const lines = [`${mark} ${prefix}${seconds}`];
    const why = result.status === 'skipped' ? result.annotations.find((a) => a.type === 'skip')?.description : undefined;
    if (why) lines[0] += `: ${why}`;
    const fresh = failures.filter((f) => !this.shown.has(f.key));
    const again = [...new Set(failures.filter((f) => this.shown.has(f.key) && f.decides).map((f) => f.finding.clause))];
    if (again.length && !fresh.length) lines[0] += `: ${again.join(', ')} again (shown above)`;
    // A few lines per clause: a defect seen on many requests (an envelope on every error) is one
    // line with a count, not a screenful; the report has each.
    const perClause = new Map<string, number>();
    for (const f of fresh) {
      this.shown.add(f.key);
      const n = (perClause.get(f.finding.clause) ?? 0) + 1;
      perClause.set(f.finding.clause, n);
      if (n <= LINES_PER_CLAUSE) lines.push(`    ${f.finding.clause} ${f.finding.title}: expected ${cut(f.finding.expected)}, got ${cut(f.finding.actual)}${f.note ? ` (${f.note})` : ''}`);
    }
    for (const [clause, n] of perClause) if (n > LINES_PER_CLAUSE) lines.push(`    ${clause}: and ${n - LINES_PER_CLAUSE} more finding(s), in the report`);
    for (const line of new Set(result.errors.map(firstLine))) lines.push(`    ${line}`);
    this.print(lines);
  }

  onError(error: TestError): void {
    this.print([firstLine(error)]);
  }

  onEnd(result: FullResult): void {
    if (result.status === 'interrupted') process.stdout.write('interrupted: the tests stopped; the clean-up ran\n');
  }

  private print(lines: string[]): void {
    process.stdout.write(`${this.redactor.text(lines.join('\n'))}\n`);
  }

  /** The failures a test recorded, each with whether it decides the verdict, or why not. */
  private failuresOf(result: TestResult): Array<{ finding: Finding; key: string; decides: boolean; note?: string }> {
    const file = result.annotations.find((a) => a.type === RECORD)?.description;
    if (!file) return [];
    let record: TestRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return [];
    }
    const profile = loadProfile(record.profile);
    return record.findings
      .filter((f) => f.outcome === 'fail' && (!this.run.clauses || this.run.clauses.includes(f.clause)))
      .map((finding) => {
        const level = profile.clauses.get(finding.clause)?.level ?? 'MUST';
        const known = isKnown(this.known, record.profile, finding);
        const note = known ? 'known: expectations or baseline' : level !== 'MUST' ? `${level}: does not decide the verdict` : undefined;
        return { finding, key: `${record.profile}\u0000${finding.clause}\u0000${finding.check}\u0000${finding.title}`, decides: !note, note };
      });
  }
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** A conformance finding as the check titled it; any other error by its first line. */
function firstLine(error: TestError): string {
  const text = stripAnsi(error.message ?? error.value ?? 'unknown error');
  const mark = text.indexOf(CHECK_MARK);
  if (mark >= 0) return text.slice(mark + CHECK_MARK.length).split('\n')[0]!.trim();
  const first = text.split('\n').find((l) => l.trim())?.trim() ?? 'unknown error';
  return `error: ${first.replace(/^Error: /, '')}`;
}
