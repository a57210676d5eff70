// The conformance suite as Playwright runs it. Settings come from SC_* environment variables (the
// CLI sets them; see src/config/run-env.ts), so `npx playwright test` works on its own too:
//   SC_PROFILE=cinder-v3 SC_BASE_URL=https://host:8776/v3/<project> SC_TOKEN=... npx playwright test
// With no SC_BASE_URL, Playwright starts the embedded reference servers itself.
//
// Per profile, three projects: <id>:setup makes the parent resource, <id> runs the suite in
// parallel, <id>:teardown (run after <id>, whatever its outcome) runs what needs the target alone
// and then removes everything the run created.
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { join } from 'node:path';
import { embeddedPort, EMBEDDED_TOKEN, readRunEnv, selfServed, toEnv } from './src/config/run-env.ts';

const run = readRunEnv();
// No target from the CLI nor from SC_BASE_URL: Playwright starts the embedded servers (webServer).
const serveEmbedded = selfServed();
// Workers are separate processes: they must see the same run id, seed and targets as this one.
Object.assign(process.env, toEnv(run));

const projects: PlaywrightTestConfig<object, { profileId: string }>['projects'] = run.profiles.flatMap((id) => [
  { name: `${id}:setup`, testDir: 'suites/setup', testMatch: /\.setup\.ts$/, use: { profileId: id }, teardown: `${id}:teardown` },
  { name: id, testDir: 'suites', testMatch: /\.spec\.ts$/, grep: new RegExp(`@${id}\\b`), use: { profileId: id }, dependencies: [`${id}:setup`] },
  { name: `${id}:teardown`, testDir: 'suites/teardown', testMatch: /\.teardown\.ts$/, use: { profileId: id } },
]);

export default defineConfig<object, { profileId: string }>({
  outputDir: join(run.runDir, 'playwright'),
  fullyParallel: true,
  workers: run.workers,
  retries: 0,
  // The run's time budget (--budget) bounds the tests all together: the reporter stops them when
  // it runs out, then cleans up and reports what ran. A property test waits for many state
  // changes, so one test may take up to half an hour of it.
  timeout: Math.min(30 * 60, run.budgetSeconds) * 1000,
  reportSlowTests: null,
  forbidOnly: true,
  // The CLI prints findings line by line (src/report/progress.ts); plain Playwright users keep its own.
  reporter: [[process.env.SC_CLI ? './src/report/progress.ts' : process.env.CI ? 'dot' : 'list'], ['./src/report/reporter.ts']],
  use: { trace: 'off' },
  projects,
  webServer: serveEmbedded
    ? run.profiles.map((id) => ({
        command: `node bin/snapshot-conformance.mjs serve --profile ${id} --port ${embeddedPort(id)} --token ${EMBEDDED_TOKEN}`,
        url: `http://127.0.0.1:${embeddedPort(id)}/`,
        reuseExistingServer: false,
        stdout: 'ignore' as const,
      }))
    : undefined,
});
