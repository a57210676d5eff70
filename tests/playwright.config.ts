// The project's own tests (npm test): the engine's checks and generators, the reference servers,
// the CLI, the HTML report in a browser, and the fault matrix (the selftest of every shipped
// profile). Traffic goes to 127.0.0.1 only; every server is started and stopped by the test that
// needs it.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: '../test-results/tests',
  fullyParallel: true,
  workers: process.env.SC_TEST_WORKERS ? Number(process.env.SC_TEST_WORKERS) : 2,
  // No bound on how long a test or an expectation may take: a slow or loaded machine makes a test
  // slower, never failed. A test that hangs is one the runner (or CI's job) reports.
  timeout: 0,
  expect: { timeout: 0 },
  reporter: process.env.CI ? 'dot' : 'list',
  projects: [
    { name: 'unit', testIgnore: [/fault-matrix\.spec\.ts$/, /cli\.spec\.ts$/, /hostile\.spec\.ts$/, /tests\/report\//] },
    { name: 'cli', testMatch: /cli\.spec\.ts$/ },
    // The selftest of each shipped profile: the whole suite in process, once per fault, side by side.
    { name: 'fault-matrix', testMatch: /fault-matrix\.spec\.ts$/ },
    // Hostile targets: a proxy misbehaving one way per scenario in front of a reference server.
    { name: 'hostile', testMatch: /hostile\.spec\.ts$/ },
    {
      // The HTML report in a real browser: Debian's Chromium (Playwright cannot download its own here).
      name: 'report',
      // Anchored at tests/: a checkout whose own path holds "report/" must not run everything here.
      testMatch: /tests\/report\/.*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: process.env.SC_CHROMIUM ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
});
