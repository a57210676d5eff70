// The HTML report as a person uses it, in real Chromium: opened from disk, read against
// results.json, a failure expanded and its curl command copied, filtered, and its summary compared
// with a screenshot. The run behind it has failures (a faulted reference server), an expected
// failure and an expectation that no longer fails.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite, TOKEN, type SuiteRun } from '../support/run-suite.ts';

test.describe.configure({ mode: 'serial' });

let run: SuiteRun;
const FAILING = 'CV3-META-02'; // put-metadata-merges
const EXPECTED = 'CV3-API-13'; // no-request-id, listed as expected
const STALE = 'CV3-LIFE-01'; // listed as expected, but it passes

test.beforeAll(async () => {
  const expectations = join(mkdtempSync(join(tmpdir(), 'sc-expect-')), 'expectations.yaml');
  writeFileSync(
    expectations,
    `expectations:\n  - { clause: ${EXPECTED}, reason: the target sends no request id, evidence: every answer }\n  - { clause: ${STALE}, reason: once failed, evidence: none }\n`,
  );
  run = await runSuite('cinder-v3', { faults: ['put-metadata-merges', 'no-request-id'], args: ['--expectations', expectations] });
  expect(run.code, run.stdout.slice(-1500)).toBe(1);
});

async function open(page: Page, file = 'index.html') {
  await page.goto(pathToFileURL(join(run.dir, file)).href);
}

const clause = (page: Page, id: string) => page.locator(`details.clause[data-clause="${id}"]`);

test('the verdict, the counts and the clause matrix are those of results.json', async ({ page }) => {
  await open(page);
  const r = run.results;
  await expect(page.getByTestId('verdict')).toHaveText(r.verdict === 'conformant' ? 'Conformant' : 'Not conformant');
  const all = page.getByTestId('counts').locator('tr', { has: page.locator('th', { hasText: /^All$/ }) }).locator('td');
  await expect(all).toHaveText([r.summary.passed, r.summary.failed, r.summary.skipped, r.summary.expectedFailures].map(String));
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    const row = page.getByTestId('counts').locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${level}$`) }) }).locator('td');
    const b = r.byLevel[level];
    await expect(row).toHaveText([b.passed, b.failed, b.skipped, b.expectedFailures].map(String));
  }
  const shown = await page.locator('details.clause').evaluateAll((rows) => rows.map((d) => [(d as HTMLElement).dataset.clause, (d as HTMLElement).dataset.status]));
  expect(shown.sort()).toEqual(r.clauses.map((c: any) => [c.id, c.status]).sort());
  await expect(page.getByTestId('target')).not.toContainText(TOKEN);
  // What the run made, and that none of it is left (the server agrees).
  expect(run.inventory.snapshots ?? []).toEqual([]);
  await expect(page.getByTestId('cleanup')).toContainText(`${r.cleanup.made.snapshot} snapshots`);
  await expect(page.getByTestId('cleanup')).toContainText('Nothing of this run is left on the target.');
});

test('a failure opens to what was expected, what came, the exchange and a curl command to copy', async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).copied = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => (window as any).copied.push(t) } });
  });
  await open(page);
  const row = clause(page, FAILING);
  await expect(row.locator('.badge')).toHaveText('fail');
  await row.locator('summary').first().click();
  const finding = row.locator('.finding').first();
  await expect(finding).toBeVisible();
  await expect(finding.locator('th', { hasText: 'expected' })).toBeVisible();
  await expect(finding.locator('th', { hasText: 'got' })).toBeVisible();
  const ex = finding.locator('details.ex').first();
  await ex.locator('summary').click();
  await expect(ex.locator('pre').first()).toBeVisible();
  await ex.locator('button.copy').click();
  const copied: string[] = await page.evaluate(() => (window as any).copied);
  expect(copied).toHaveLength(1);
  expect(copied[0]).toMatch(/^curl /);
  expect(copied[0]).toContain('$SC_TOKEN');
  expect(copied[0]).not.toContain(TOKEN);
  await expect(ex.locator('button.copy')).toHaveText('copied');
});

test('filters by status and level, and search by clause id', async ({ page }) => {
  await open(page);
  const visible = () => page.locator('details.clause:visible').evaluateAll((rows) => rows.map((d) => (d as HTMLElement).dataset.status + ' ' + (d as HTMLElement).dataset.level));
  const total = run.results.clauses.length;
  expect(await visible()).toHaveLength(total);
  await page.locator('input[name=status][value=pass]').uncheck();
  const withoutPass = await visible();
  expect(withoutPass.length).toBe(total - run.results.summary.passed);
  expect(withoutPass.every((s) => !s.startsWith('pass '))).toBe(true);
  await page.locator('#level').selectOption('MUST');
  expect((await visible()).every((s) => s.endsWith(' MUST'))).toBe(true);
  await page.locator('input[name=status][value=pass]').check();
  await page.locator('#level').selectOption('');
  await page.locator('#search').fill(FAILING.toLowerCase());
  await expect(page.locator('details.clause:visible')).toHaveCount(1);
  await expect(page.locator('details.clause:visible')).toHaveAttribute('data-clause', FAILING);
});

test('an expected failure shows its reason; an expectation that passes is called out', async ({ page }) => {
  await open(page);
  await expect(clause(page, EXPECTED).locator('.badge')).toHaveText('expected fail');
  await clause(page, EXPECTED).locator('summary').first().click();
  await expect(clause(page, EXPECTED)).toContainText('the target sends no request id');
  await expect(clause(page, EXPECTED)).toContainText('Evidence: every answer');
  await expect(clause(page, STALE).locator('.badge')).toHaveText('pass (unexpected)');
  await expect(page.locator('header')).toContainText('listed as expected failures passed');
});

test('junit.xml is well-formed: one testcase per clause, a failure with a message for each failed clause', async ({ page }) => {
  const xml = readFileSync(join(run.dir, 'junit.xml'), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror')!.textContent };
    return {
      cases: [...doc.querySelectorAll('testcase')].map((t) => t.getAttribute('name') ?? ''),
      failures: [...doc.querySelectorAll('testcase')]
        .filter((t) => t.querySelector('failure'))
        .map((t) => ({ name: t.getAttribute('name') ?? '', message: t.querySelector('failure')!.getAttribute('message') ?? '' })),
    };
  }, xml);
  expect(parsed.error).toBeUndefined();
  const r = run.results;
  expect(parsed.cases).toHaveLength(r.clauses.length + r.errors.length);
  for (const c of r.clauses.filter((c: any) => c.status === 'fail' || c.unexpectedPass)) {
    const failure = parsed.failures!.find((f) => f.name.startsWith(`${c.id} `));
    expect(failure, `a failure for ${c.id}`).toBeDefined();
    expect(failure!.message.length).toBeGreaterThan(0);
  }
});

test('the summary looks as it did (screenshot)', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await open(page);
  // Times, durations and the server's port change from run to run.
  await expect(page.locator('header')).toHaveScreenshot('summary.png', { mask: [page.locator('dl.meta dd')], maxDiffPixelRatio: 0.01 });
});
