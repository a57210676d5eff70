// The page of a run of several profiles, in Chromium: one row per profile with its verdict, counts
// and duration as its own results.json says, readable in a window 800 px wide without scrolling
// sideways, and every profile page leading back to it. The run: two profiles against the embedded
// reference servers (both correct), so the profile pages are also what a passing run writes.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, type CliResult } from '../support/run-suite.ts';

test.describe.configure({ mode: 'serial' });

const PROFILES = ['cinder-v2', 'ntt-ecl'];
let dir: string;
let result: CliResult;
let combined: any;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sc-summary-'));
  result = await cli(['run', ...PROFILES.flatMap((p) => ['--profile', p]), '--report-dir', dir, '--seed', '7', '--examples', '4', '--state-timeout', '3']);
  combined = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(result.code, result.stdout.slice(-1500)).toBe(0);
});

const own = (profile: string) => JSON.parse(readFileSync(join(dir, profile, 'results.json'), 'utf8'));
const open = (page: Page, file: string) => page.goto(pathToFileURL(join(dir, file)).href);

test("the index shows each profile's verdict, counts and duration, as the profile's own results say", async ({ page }) => {
  await open(page, 'index.html');
  await expect(page.getByTestId('profiles').locator('tr[data-profile]')).toHaveCount(PROFILES.length);
  expect(combined.profiles.map((p: any) => p.profile)).toEqual(PROFILES);
  for (const profile of PROFILES) {
    const r = own(profile);
    const row = page.locator(`tr[data-profile="${profile}"]`);
    await expect(row.getByTestId('verdict')).toHaveText(r.verdict);
    await expect(row.getByTestId('passed')).toHaveText(String(r.summary.passed));
    await expect(row.getByTestId('failed')).toHaveText(String(r.summary.failed));
    await expect(row.getByTestId('skipped')).toHaveText(String(r.summary.skipped));
    await expect(row.getByTestId('expected')).toHaveText(String(r.summary.expectedFailures));
    await expect(row.getByTestId('causes')).toHaveText(String(r.summary.causes));
    // The profile's own time: from its first test to its last, within the run's.
    expect(r.profileDurationMs).toBeGreaterThan(0);
    expect(r.profileDurationMs).toBeLessThanOrEqual(r.durationMs);
    await expect(row.getByTestId('duration')).toHaveText(`${(r.profileDurationMs / 1000).toFixed(1)} s`);
    await expect(row.locator('a')).toHaveAttribute('href', `${profile}/index.html`);
  }
  await expect(page.getByTestId('run-verdict')).toHaveText('All profiles conformant');
  expect(combined.summary.causes).toBe(combined.profiles.reduce((n: number, p: any) => n + p.summary.causes, 0));
});

test('the index fits a window 800 px wide: nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 700 });
  await open(page, 'index.html');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, table: document.querySelector('table.profiles')!.getBoundingClientRect().right }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  expect(widths.table).toBeLessThanOrEqual(widths.window);
  // The long target wraps inside its cell instead.
  await expect(page.locator('tr[data-profile] td.target').first()).toContainText('http://127.0.0.1:');
});

test('each profile page links back to the index, and the index to it', async ({ page }) => {
  for (const profile of PROFILES) {
    await open(page, 'index.html');
    await page.locator(`tr[data-profile="${profile}"] a`).click();
    await expect(page).toHaveURL(new RegExp(`/${profile}/index\\.html$`));
    await expect(page.getByTestId('verdict')).toHaveText('Conformant');
    await page.getByTestId('back').click();
    await expect(page).toHaveURL(/\/sc-summary-[^/]+\/index\.html$/);
    await expect(page.getByTestId('profiles')).toBeVisible();
  }
});

test('a passing run writes small pages: no causes, no evidence, about 40 KB per profile', async ({ page }) => {
  for (const profile of PROFILES) {
    const size = statSync(join(dir, profile, 'index.html')).size;
    expect(size, `${profile}/index.html is ${size} bytes`).toBeLessThan(50_000);
    await open(page, `${profile}/index.html`);
    await expect(page.getByTestId('causes')).toHaveCount(0);
    await expect(page.locator('details.clause[open]')).toHaveCount(0);
  }
});
