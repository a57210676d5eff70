// Runs the conformance suite in this process (the in-process runner: the same tests, set-up,
// clean-up and results as a Playwright run) against a reference server this process starts, with
// faults if asked, and stops. Returns the results and what the server holds afterwards.
import { embeddedBaseUrl } from '../../src/profile/load.ts';
import { runInProcess } from '../../src/run/inprocess.ts';
import { shortRunSettings } from '../../src/selftest/selftest.ts';
import type { RunSettings } from '../../src/run/settings.ts';
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

/** Settings of a short run: few examples, short waits, a short shrink (the selftest's). */
export const quickSettings = (profile: string, baseUrl: string, more: Partial<RunSettings> = {}): RunSettings => shortRunSettings(profile, baseUrl, more, TOKEN);

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
