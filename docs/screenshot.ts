// Regenerates docs/report.png, the README's picture of a report: the cinder-v3 profile against its
// reference server with two faults on (PUT metadata merges; authentication is off), the passing
// clauses filtered out, and the first failure's first exchange opened.
// usage: npx tsx docs/screenshot.ts
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite } from '../tests/support/run-suite.ts';

const run = await runSuite('cinder-v3', { faults: ['put-metadata-merges', 'no-auth'] });
const browser = await chromium.launch({
  executablePath: process.env.SC_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
await page.goto(pathToFileURL(join(run.dir, 'index.html')).href);
await page.locator('input[name=status][value=pass]').uncheck();
// Failed clauses are open already: open the evidence of the first one.
const failed = page.locator('details.clause[data-status=fail]').first();
await failed.locator('details.ex > summary').first().click();
await page.screenshot({ path: join(import.meta.dirname, 'report.png'), fullPage: false });
await browser.close();
console.log(`docs/report.png from ${run.dir}`);
