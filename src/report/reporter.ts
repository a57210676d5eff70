// The Playwright reporter that writes the conformance report. It only reads and writes: the
// records the tests left in the run directory, the run's outcome (how it ended, its clean-up), and
// the errors Playwright saw that no record holds; it writes results.json, junit.xml and the HTML
// report. Removing what the run made and the time budget belong to the run (src/run/setup.ts).
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { readSettings, type RunSettings } from '../run/settings.ts';
import { readState, type Ended } from '../run/outcome.ts';
import { Redactor } from '../http/redact.ts';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import type { SuiteError } from './results.ts';
import { writeReport } from './write.ts';

export default class ConformanceReporter implements Reporter {
  private run!: RunSettings;
  private started = new Date();
  private readonly errors = new Map<string, SuiteError[]>();
  private redactor!: Redactor;

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, _suite: Suite): void {
    this.run = readSettings();
    this.started = new Date();
    this.redactor = new Redactor(Object.values(this.run.targets).map((t) => t.token));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'failed' && result.status !== 'timedOut') return;
    const profile = this.run.profiles.find((p) => test.tags.includes(`@${p}`));
    if (!profile) return;
    // The verdict test fails by design when a MUST clause failed: the report says that itself.
    if (test.title.startsWith('verdict:')) return;
    const title = test.titlePath().filter(Boolean).slice(2).join(' › ');
    for (const error of result.errors) this.error(profile, title, error);
    if (result.status === 'timedOut' && !result.errors.length) this.error(profile, title, { message: `the test timed out after ${result.duration} ms` });
  }

  onError(error: TestError): void {
    for (const profile of this.run?.profiles ?? []) this.error(profile, 'the run', error);
  }

  private error(profile: string, test: string, error: TestError) {
    const message = this.redactor.text(stripAnsi(error.message ?? error.value ?? 'unknown error')).slice(0, 4000);
    const list = this.errors.get(profile) ?? [];
    list.push({ test, message });
    this.errors.set(profile, list);
  }

  onEnd(result: FullResult): void {
    const durationMs = Date.now() - this.started.getTime();
    const ended: Ended | undefined = readState<Ended>(this.run.runDir, 'ended') ?? (result.status === 'timedout' ? 'budget' : result.status === 'interrupted' ? 'interrupted' : undefined);
    const cleanup = readState<Record<string, AfterRunCleanup>>(this.run.runDir, 'cleanup');
    const written = writeReport(this.run, this.errors, { startedAt: this.started, durationMs, ended, cleanup });
    process.stdout.write(`\n${written.summary}\nreport: ${written.index} (playwright: ${result.status})\n`);
  }
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
