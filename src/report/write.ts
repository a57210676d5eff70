// Writes a run's report files from its directory: results.json, junit.xml and the HTML report, one
// set per profile (and a summary when several ran). The reporter calls it when Playwright ends;
// the in-process runner and the merge of shards call it too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resultsOf, type RunOutcome } from '../run/outcome.ts';
import type { RunSettings } from '../run/settings.ts';
import { profilePage, summaryPage } from './html.ts';
import { junitXml } from './junit.ts';
import { resultsJson, RESULTS_FORMAT, TOOL, VERSION, type ProfileResults, type SuiteError } from './results.ts';
import { closingSummary, runExitCode, runReason } from './summary.ts';
import { EXIT, type ExitCode } from './verdict.ts';

export interface WrittenReport {
  all: ProfileResults[];
  /** The closing summary for the terminal (src/report/summary.ts); its last line is the verdict. */
  summary: string;
  /** The report's entry page, an absolute path. */
  index: string;
  /** The exit code of the run's verdict. */
  exitCode: ExitCode;
}

export function writeReport(run: RunSettings, errors: Map<string, SuiteError[]>, outcome: RunOutcome): WrittenReport {
  const all = run.profiles.map((id) => resultsOf(run, id, { ...outcome, errors: errors.get(id) }));
  const dir = run.runDir;
  // The headers the run added: their values are secrets, and the replays take each from a variable.
  const headers = Object.keys(run.headers ?? {});
  mkdirSync(dir, { recursive: true });
  if (all.length === 1) {
    writeFileSync(join(dir, 'results.json'), JSON.stringify(resultsJson(all[0]!), null, 2));
    writeFileSync(join(dir, 'index.html'), profilePage(all[0]!, { headers }));
  } else {
    const links: Record<string, string> = {};
    for (const r of all) {
      mkdirSync(join(dir, r.profile), { recursive: true });
      writeFileSync(join(dir, r.profile, 'results.json'), JSON.stringify(resultsJson(r), null, 2));
      writeFileSync(join(dir, r.profile, 'index.html'), profilePage(r, { index: '../index.html', headers }));
      links[r.profile] = `${r.profile}/index.html`;
    }
    const exitCode = runExitCode(all);
    const combined = {
      formatVersion: RESULTS_FORMAT,
      tool: TOOL,
      version: VERSION,
      runId: run.runId,
      seed: run.seed,
      startedAt: outcome.startedAt.toISOString(),
      durationMs: outcome.durationMs,
      verdict: all.every((r) => r.verdict === 'conformant') ? 'conformant' : exitCode === EXIT.ok ? 'no failure found' : 'not conformant',
      exitCode,
      reason: runReason(all),
      summary: sum(all),
      profiles: all.map(resultsJson),
    };
    writeFileSync(join(dir, 'results.json'), JSON.stringify(combined, null, 2));
    writeFileSync(join(dir, 'index.html'), summaryPage(all, links));
  }
  writeFileSync(join(dir, 'junit.xml'), junitXml(all));
  const index = resolve(dir, 'index.html');
  return { all, summary: closingSummary(all, index), index, exitCode: runExitCode(all) };
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
