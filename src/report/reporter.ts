// The Playwright reporter that writes the conformance report. It only reads and writes: the
// records the tests left in the run directory, the run's outcome (how it ended, its clean-up), and
// the errors Playwright saw that no record holds; it writes results.json, junit.xml and the HTML
// report. Removing what the run made and the time budget belong to the run (src/run/setup.ts).
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { readSettings, secretsOf, type RunSettings } from '../run/settings.ts';
import { readState, writeState, type Ended } from '../run/outcome.ts';
import { ALONE_TAG } from '../run/gate.ts';
import { VERDICT_TITLE } from '../run/verdict.ts';
import { Redactor } from '../http/redact.ts';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import type { SuiteError } from './results.ts';
import { writeReport } from './write.ts';

export default class ConformanceReporter implements Reporter {
  private readonly run: RunSettings = readSettings();
  private started = new Date();
  private readonly errors = new Map<string, SuiteError[]>();
  private readonly redactor = new Redactor(secretsOf(this.run));

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.started = new Date();
    // How many tests of each profile share the target: those that need it alone wait for their
    // records (src/run/gate.ts). What a shard or a --grep left out is not counted.
    const shared = suite.allTests().filter((t) => !t.tags.includes(ALONE_TAG) && t.title !== VERDICT_TITLE);
    writeState(this.run.runDir, 'expected', Object.fromEntries(this.run.profiles.map((p) => [p, shared.filter((t) => t.tags.includes(`@${p}`)).length])));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'failed' && result.status !== 'timedOut') return;
    const profile = this.run.profiles.find((p) => test.tags.includes(`@${p}`));
    if (!profile) return;
    // The verdict test fails by design when a MUST clause failed: the report says that itself.
    if (test.title === VERDICT_TITLE) return;
    // Named as the test's record names it: "contract › createSnapshot conforms to its contract".
    const title = test.titlePath().slice(3).join(' › ').replace(`${profile} › `, '');
    for (const error of result.errors) this.error(profile, title, error);
    if (result.status === 'timedOut' && !result.errors.length) this.error(profile, title, { message: `the test timed out after ${result.duration} ms` });
  }

  onError(error: TestError): void {
    for (const profile of this.run.profiles) this.error(profile, 'the run', error);
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
    // The closing summary; its last line is the verdict, why, and the exit code the CLI gives.
    process.stdout.write(`\n${written.summary}\n`);
  }
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
