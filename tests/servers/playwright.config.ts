// Runs the reference-server tests on their own, apart from the conformance suite's configuration:
//   npx playwright test -c tests/servers/playwright.config.ts
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  reporter: 'line',
  outputDir: '../../test-results/servers',
});
