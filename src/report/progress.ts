// What a `snapshot-conformance run` prints while it goes: one line per test as it ends, and under a
// failed test the conformance findings it raised, one line each. The evidence (exchanges, curl,
// counterexamples) is in the report; Playwright's stack traces and code frames, which speak of the
// suite's insides rather than of the target, are not printed. Plain `npx playwright test` keeps
// Playwright's own reporters.
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { readSettings, secretsOf } from '../run/settings.ts';
import { CHECK_MARK, FINDING } from '../findings/types.ts';
import { Redactor } from '../http/redact.ts';

const MARK = { passed: '✓', failed: '✘', timedOut: '✘', skipped: '-', interrupted: '!' } as const;

export default class ProgressReporter implements Reporter {
  private redactor = new Redactor([]);
  private total = 0;
  private done = 0;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.redactor = new Redactor(secretsOf(readSettings()));
    this.total = suite.allTests().length;
    process.stdout.write(`${this.total} tests\n`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.done++;
    const title = test.titlePath().slice(3).join(' › ');
    const seconds = result.duration >= 1000 ? ` (${(result.duration / 1000).toFixed(1)} s)` : '';
    const findings = result.annotations.filter((a) => a.type === FINDING).map((a) => a.description ?? '');
    const mark = result.status === 'passed' && findings.length ? MARK.failed : MARK[result.status];
    const lines = [`${mark} [${this.done}/${this.total}] ${title}${seconds}`];
    const why = result.status === 'skipped' ? result.annotations.find((a) => a.type === 'skip')?.description : undefined;
    if (why) lines[0] += `: ${why}`;
    for (const line of new Set([...findings, ...result.errors.map(firstLine)])) lines.push(`    ${line}`);
    process.stdout.write(`${this.redactor.text(lines.join('\n'))}\n`);
  }

  onError(error: TestError): void {
    process.stdout.write(`${this.redactor.text(firstLine(error))}\n`);
  }

  onEnd(result: FullResult): void {
    if (result.status === 'interrupted') process.stdout.write('interrupted\n');
  }
}

/** A conformance finding as the check titled it; any other error by its first line. */
function firstLine(error: TestError): string {
  const text = (error.message ?? error.value ?? 'unknown error').replace(/\u001b\[[0-9;]*m/g, '');
  const mark = text.indexOf(CHECK_MARK);
  if (mark >= 0) return text.slice(mark + CHECK_MARK.length).split('\n')[0]!.trim();
  const first = text.split('\n').find((l) => l.trim())?.trim() ?? 'unknown error';
  return `error: ${first.replace(/^Error: /, '')}`;
}
