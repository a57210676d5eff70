// The Playwright reporter that turns a run into a conformance report. It collects every test's
// "conformance" attachment, joins the findings with each profile's clauses, and writes
// results.json, junit.xml and the HTML report to the run directory. Test errors that are not
// check failures (a set-up that could not run, a bug) are reported as suite errors.
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readRunEnv, selfServed, type RunEnv } from '../config/run-env.ts';
import { ATTACHMENT, CHECK_MARK, type TestRecord } from '../findings/types.ts';
import { Redactor } from '../http/redact.ts';
import { loadProfile } from '../profile/load.ts';
import { cleanUpAfterRun, printCleanup, type AfterRunCleanup } from '../target/after-run.ts';
import { profilePage, summaryPage } from './html.ts';
import { junitXml } from './junit.ts';
import { profileResults, readExpectations, resultsJson, TOOL, VERSION, type Expectation, type ProfileResults, type SuiteError } from './results.ts';

export default class ConformanceReporter implements Reporter {
  private run!: RunEnv;
  private started = new Date();
  private readonly records = new Map<string, TestRecord[]>();
  private readonly errors = new Map<string, SuiteError[]>();
  /** Per profile: its first test's start and its last test's end (the report shows each profile's duration). */
  private readonly spans = new Map<string, { start: number; end: number }>();
  private redactor!: Redactor;
  private budgetTimer?: NodeJS.Timeout;
  private budgetSpent = false;

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, _suite: Suite): void {
    this.run = readRunEnv();
    this.started = new Date();
    this.redactor = new Redactor(Object.values(this.run.targets).map((t) => t.token));
    // The run's budget ends the tests as Ctrl-C would: Playwright then stops its workers and waits
    // for them (its globalTimeout would leave them running while the clean-up lists the target).
    this.budgetTimer = setTimeout(() => {
      this.budgetSpent = true;
      process.stdout.write(`\nthe run's time budget of ${this.run.budgetSeconds} s ran out: stopping the tests\n`);
      process.kill(process.pid, 'SIGINT');
    }, this.run.budgetSeconds * 1000);
    this.budgetTimer.unref();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const profile = profileOf(test);
    if (!profile) return;
    const start = result.startTime.getTime();
    const span = this.spans.get(profile);
    this.spans.set(profile, { start: Math.min(span?.start ?? start, start), end: Math.max(span?.end ?? 0, start + result.duration) });
    for (const a of result.attachments) {
      if (a.name !== ATTACHMENT || !a.body) continue;
      push(this.records, profile, JSON.parse(a.body.toString('utf8')) as TestRecord);
    }
    for (const error of result.errors) {
      const message = this.redactor.text(stripAnsi(error.message ?? error.value ?? 'unknown error'));
      if (message.includes(CHECK_MARK)) continue;
      push(this.errors, profile, { test: test.titlePath().slice(2).join(' › '), message: message.slice(0, 4000) });
    }
  }

  async onEnd(result: FullResult): Promise<void> {
    const durationMs = Date.now() - this.started.getTime();
    clearTimeout(this.budgetTimer);
    const ended = this.budgetSpent || result.status === 'timedout' ? ('budget' as const) : result.status === 'interrupted' ? ('interrupted' as const) : undefined;
    let expectations: Expectation[] = [];
    if (this.run.expectations) expectations = readExpectations(this.run.expectations);
    const cleanups = await this.cleanUp();
    const all: ProfileResults[] = this.run.profiles.map((id) =>
      profileResults({
        profile: loadProfile(id),
        runId: this.run.runId,
        target: this.redactor.url(this.run.targets[id]?.baseUrl ?? ''),
        microversion: microversionOf(id, this.run.microversion),
        readOnly: this.run.readOnly,
        seed: this.run.seed,
        startedAt: this.started,
        durationMs,
        profileDurationMs: spanMs(this.spans.get(id)),
        records: this.records.get(id) ?? [],
        errors: this.errors.get(id) ?? [],
        expectations,
        ended,
        budgetSeconds: this.run.budgetSeconds,
        cleanup: cleanups.get(id),
      }),
    );
    const dir = this.run.runDir;
    mkdirSync(dir, { recursive: true });
    if (all.length === 1) {
      writeFileSync(join(dir, 'results.json'), JSON.stringify(resultsJson(all[0]!), null, 2));
      writeFileSync(join(dir, 'index.html'), profilePage(all[0]!));
    } else {
      const links: Record<string, string> = {};
      for (const r of all) {
        mkdirSync(join(dir, r.profile), { recursive: true });
        writeFileSync(join(dir, r.profile, 'results.json'), JSON.stringify(resultsJson(r), null, 2));
        writeFileSync(join(dir, r.profile, 'index.html'), profilePage(r, { index: '../index.html' }));
        links[r.profile] = `${r.profile}/index.html`;
      }
      const combined = {
        tool: TOOL,
        version: VERSION,
        seed: this.run.seed,
        startedAt: this.started.toISOString(),
        durationMs,
        verdict: all.every((r) => r.verdict === 'conformant') ? 'conformant' : 'not conformant',
        summary: sum(all),
        profiles: all.map(resultsJson),
      };
      writeFileSync(join(dir, 'results.json'), JSON.stringify(combined, null, 2));
      writeFileSync(join(dir, 'index.html'), summaryPage(all, links));
    }
    writeFileSync(join(dir, 'junit.xml'), junitXml(all));
    const lines = all.map((r) => {
      const s = r.summary;
      return `${r.profile}: ${r.verdict} (${r.clauses.length} clauses: ${s.passed} pass, ${s.failed} fail, ${s.skipped} not tested, ${s.expectedFailures} expected fail${r.errors.length ? `, ${r.errors.length} suite error(s)` : ''}${r.ended ? `; ended early: ${r.ended === 'budget' ? 'time budget ran out' : 'interrupted'}` : ''})`;
    });
    process.stdout.write(`\n${lines.join('\n')}\nreport: ${relative(process.cwd(), join(dir, 'index.html'))} (playwright: ${result.status})\n`);
  }

  /**
   * Removes what the tests left, before the report is written so that it can say what was removed.
   * Embedded servers Playwright started itself are already stopped by now, and their state with them.
   */
  private async cleanUp(): Promise<Map<string, AfterRunCleanup>> {
    const done = new Map<string, AfterRunCleanup>();
    if (selfServed()) return done;
    for (const id of this.run.profiles) {
      if (!this.run.readOnly) process.stdout.write(`${id}: cleaning up after the tests\n`);
      const cleanup = await cleanUpAfterRun(this.run, id);
      printCleanup(id, this.run.runId, cleanup, (line) => this.redactor.text(line));
      done.set(id, cleanup);
    }
    return done;
  }
}

function profileOf(test: TestCase): string | undefined {
  const use = test.parent.project()?.use as { profileId?: string } | undefined;
  return use?.profileId;
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

function sum(all: ProfileResults[]) {
  return all.reduce(
    (acc, r) => ({
      passed: acc.passed + r.summary.passed,
      failed: acc.failed + r.summary.failed,
      skipped: acc.skipped + r.summary.skipped,
      expectedFailures: acc.expectedFailures + r.summary.expectedFailures,
      unexpectedPasses: acc.unexpectedPasses + r.summary.unexpectedPasses,
      causes: acc.causes + r.summary.causes,
    }),
    { passed: 0, failed: 0, skipped: 0, expectedFailures: 0, unexpectedPasses: 0, causes: 0 },
  );
}

const spanMs = (span?: { start: number; end: number }) => (span ? span.end - span.start : undefined);

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The microversion a profile's run asked for: the one given, or the profile's base. */
function microversionOf(profile: string, given?: string): string | undefined {
  const mv = loadProfile(profile).conformance.microversions;
  return mv ? (given ?? mv.base) : undefined;
}
