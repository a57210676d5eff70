// The project's own tests (npm test): the engine's checks and generators, the reference servers,
// the CLI, and the fault matrix that runs the whole suite against every named fault. Traffic goes
// to 127.0.0.1 only; every server is started and stopped by the test that needs it.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: '../test-results/tests',
  fullyParallel: true,
  workers: process.env.SC_TEST_WORKERS ? Number(process.env.SC_TEST_WORKERS) : 2,
  timeout: 10 * 60_000,
  reporter: process.env.CI ? 'dot' : 'list',
  projects: [
    { name: 'unit', testIgnore: /fault-matrix|cli|report/ },
    { name: 'cli', testMatch: /cli\.spec\.ts$/ },
    { name: 'fault-matrix', testMatch: /fault-matrix\.spec\.ts$/ },
  ],
});
