// Runs the conformance suite in this process (the in-process runner: the same tests, set-up,
// clean-up and results as a Playwright run) against a reference server this process starts, with
// faults if asked, and stops. Returns the results and what the server holds afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../../src/profile/load.ts';
import { runInProcess } from '../../src/run/inprocess.ts';
import { DEFAULTS, newRunId, type RunSettings } from '../../src/run/settings.ts';
import { serverFor, type ReferenceServer } from '../../src/servers/index.ts';
import type { ProfileResults } from '../../src/report/results.ts';
import { suitePlan } from '../../suites/plan.ts';

export const TOKEN = 'canary-token-5f0c2b7e9a';

export interface InProcessRun {
  dir: string;
  results: ProfileResults;
  inventory: ReturnType<ReferenceServer['inventory']>;
  stats: ReturnType<ReferenceServer['stats']>;
}

/** Settings of a short run: few examples, short waits, a short shrink. */
export function quickSettings(profile: string, baseUrl: string, more: Partial<RunSettings> = {}): RunSettings {
  const runId = newRunId();
  return {
    runId,
    runDir: mkdtempSync(join(tmpdir(), `sc-${profile}-`)),
    profiles: [profile],
    targets: { [profile]: { baseUrl, token: TOKEN } },
    embedded: false,
    seed: 7,
    examples: 8,
    concurrency: 2,
    workers: 2,
    requestTimeoutMs: 5000,
    stateTimeoutSeconds: 3,
    shrinkBudgetSeconds: 5,
    budgetSeconds: DEFAULTS.budgetSeconds,
    ...more,
  };
}

export async function runInProcessAgainst(profile: string, options: { faults?: string[]; settings?: Partial<RunSettings> } = {}): Promise<InProcessRun> {
  const server = await (await serverFor(profile)).start({ token: TOKEN, faults: options.faults });
  try {
    const run = quickSettings(profile, embeddedBaseUrl(profile, server.url), options.settings);
    const written = await runInProcess(run, suitePlan(run.profiles), { quiet: true });
    return { dir: run.runDir, results: written.all[0]!, inventory: server.inventory(), stats: server.stats() };
  } finally {
    await server.close();
  }
}
