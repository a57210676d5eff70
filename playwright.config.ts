// The conformance suite as Playwright runs it. Settings come from SC_* environment variables (the
// CLI sets them; see src/run/settings.ts), so `npx playwright test` works on its own too:
//   SC_PROFILE=cinder-v3 SC_BASE_URL=https://host:8776/v3/<project> SC_TOKEN=... npx playwright test
// With no SC_BASE_URL, Playwright starts the embedded reference servers itself.
//
// One project for all profiles together, so that the workers live for the whole run (see
// suites/conformance.spec.ts for the order of the tests). The run's parents are made before the
// tests and everything left is removed after them (src/run/global-setup.ts).
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { embeddedPort, EMBEDDED_TOKEN, readSettings, selfServed, toEnv } from './src/run/settings.ts';
import { endWithTheCli } from './src/run/with-the-cli.ts';
import { unwritableFolder } from './src/util/folders.ts';

// This file runs as TypeScript from a checkout and as JavaScript from the package (dist/).
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const here = (path: string) => fileURLToPath(new URL(`${path}.${ext}`, import.meta.url));

const run = readSettings();
// Started by the CLI: this runner and its workers end when the CLI does, however it ends.
endWithTheCli();
// No target from the CLI nor from SC_BASE_URL: Playwright starts the embedded servers (webServer).
const serveEmbedded = selfServed();
// A plain Playwright user's SC_RUN_DIR that cannot be written ends here with one line (the CLI checks
// --report-dir itself), not in a runner that never finishes.
if (!process.env.SC_CLI) {
  const why = unwritableFolder(run.runDir);
  if (why) {
    process.stderr.write(`SC_RUN_DIR ${run.runDir}: cannot be made or written (${why}); give a folder that can\n`);
    process.exit(2);
  }
  // Their profile folders too, checked once, by the runner (the CLI checks its own): the workers,
  // which inherit the mark, read them as they are.
  if (!process.env.SC_PROFILES_CHECKED) {
    const { loadCheckedProfile } = (await import(here('./src/profile/check'))) as typeof import('./src/profile/check.ts');
    for (const id of run.profiles) {
      try {
        loadCheckedProfile(id);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exit(2);
      }
    }
    process.env.SC_PROFILES_CHECKED = '1';
  }
}
// Workers are separate processes: they must see the same run id, seed and targets as this one.
Object.assign(process.env, toEnv(run));

export default defineConfig({
  testDir: fileURLToPath(new URL('./suites', import.meta.url)),
  outputDir: join(run.runDir, 'playwright'),
  fullyParallel: true,
  workers: run.workers,
  retries: 0,
  // The run's time budget (--budget) bounds the tests all together (the global set-up stops them
  // when it runs out). A property test waits for many state changes: one test may take up to half
  // an hour of it.
  timeout: Math.min(30 * 60, run.budgetSeconds) * 1000,
  reportSlowTests: null,
  forbidOnly: true,
  globalSetup: here('./src/run/global-setup'),
  globalTeardown: here('./src/run/global-teardown'),
  // The CLI prints findings line by line (src/report/progress.ts); plain Playwright users keep its own.
  reporter: [[process.env.SC_CLI ? here('./src/report/progress') : process.env.CI ? 'dot' : 'list'], [here('./src/report/reporter')]],
  use: { trace: 'off' },
  projects: [{ name: 'conformance', testMatch: /conformance\.spec\.[jt]s$/ }],
  webServer: serveEmbedded
    ? run.profiles.map((id) => ({
        command: `"${process.execPath}" "${fileURLToPath(new URL('./bin/snapshot-conformance.mjs', import.meta.url.includes('/dist/') ? new URL('../', import.meta.url) : import.meta.url))}" serve --profile ${JSON.stringify(run.profileFiles?.[id] ?? id)} --port ${embeddedPort(id, run.profiles)} --token ${EMBEDDED_TOKEN} --quiet`,
        url: `http://127.0.0.1:${embeddedPort(id, run.profiles)}/`,
        reuseExistingServer: false,
        stdout: 'ignore' as const,
      }))
    : undefined,
});
