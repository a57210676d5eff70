// The HTML report as a person uses it, in real Chromium: opened from disk, read against
// results.json, starting with what is wrong (by cause), a failure expanded and its curl command
// copied and replayed as bash would run it, anchors and filters in the URL, search over findings,
// vendor pages and checks linked, and its summary compared with a screenshot. The run behind it has
// failures (a faulted reference server: PUT metadata merging, no request id, authentication off,
// a 500 for a create over the quota), an expected failure and an expectation that no longer fails.
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite, TOKEN, type SuiteRun } from '../support/run-suite.ts';
import { allChecks } from '../../src/checks/index.ts';
import { HINTS } from '../../src/report/causes.ts';

test.describe.configure({ mode: 'serial' });

let run: SuiteRun;
const FAILING = 'CV3-META-02'; // put-metadata-merges
const EXPECTED = 'CV3-API-13'; // no-request-id, listed as expected
const STALE = 'CV3-LIFE-01'; // listed as expected, but it passes
const NO_TOKEN = 'CV3-AUTH-01'; // no-auth: requests without a token succeed
const BAD_TOKEN = 'CV3-AUTH-02'; // no-auth: requests with an invalid token succeed
const CREATE_500 = ['CV3-API-03', 'CV3-LIM-06']; // quota-500: one exchange, two clauses (the create's contract, the quota)

test.beforeAll(async () => {
  const expectations = join(mkdtempSync(join(tmpdir(), 'sc-expect-')), 'expectations.yaml');
  writeFileSync(
    expectations,
    `expectations:\n  - { clause: ${EXPECTED}, reason: the target sends no request id, evidence: every answer }\n  - { clause: ${STALE}, reason: once failed, evidence: none }\n`,
  );
  run = await runSuite('cinder-v3', { faults: ['put-metadata-merges', 'no-request-id', 'no-auth', 'quota-500'], args: ['--expectations', expectations] });
  expect(run.code, run.stdout.slice(-1500)).toBe(1);
});

async function open(page: Page, file = 'index.html', hash = '') {
  await page.goto(pathToFileURL(join(run.dir, file)).href + hash);
}

const clause = (page: Page, id: string) => page.locator(`details.clause[data-clause="${id}"]`);
const resultOf = (id: string) => run.results.clauses.find((c: any) => c.id === id);
const visibleIds = (page: Page) => page.locator('details.clause:visible').evaluateAll((rows) => rows.map((d) => (d as HTMLElement).dataset.clause!));

/** Whether an element's top is inside the window. */
const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top > -2 && r.top < window.innerHeight; // scrolled to: the top may sit a fraction of a pixel above
  });

test('the verdict, the counts and the clause matrix are those of results.json', async ({ page }) => {
  await open(page);
  const r = run.results;
  await expect(page.getByTestId('verdict')).toHaveText({ conformant: 'Conformant', 'not conformant': 'Not conformant', 'no failure found': 'No failure found' }[r.verdict as string]!);
  await expect(page.getByTestId('reason')).toHaveText(r.reason);
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

test('the page is self-contained: opening it, following anchors and filtering request nothing but the file itself', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await open(page, 'index.html', `#${NO_TOKEN}`);
  await page.locator('input[name=status][value=pass]').uncheck();
  await page.locator('#search').fill('500');
  await clause(page, CREATE_500[0]!).locator('details.ex > summary').first().click();
  const file = pathToFileURL(join(run.dir, 'index.html')).href;
  expect(requested.map((u) => u.split('#')[0])).toEqual([file]);
});

test('a failure is open on what was expected, what came, the exchange and a curl command to copy', async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).copied = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => (window as any).copied.push(t) } });
  });
  await open(page);
  const row = clause(page, FAILING);
  await expect(row.locator('.badge')).toHaveText('fail');
  await expect(row).toHaveAttribute('open', '');
  const finding = row.locator('.finding').first();
  await expect(finding).toBeVisible();
  await expect(finding.locator('th', { hasText: 'expected' })).toBeVisible();
  await expect(finding.locator('th', { hasText: 'got' })).toBeVisible();
  const ex = finding.locator('details.ex').first();
  await ex.locator(':scope > summary').click();
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

test('junit.xml is well-formed: one testcase per clause and the verdict, a failure with a message and the report anchor for each failed MUST clause, none for the others', async ({ page }) => {
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
  expect(parsed.cases).toHaveLength(r.clauses.length + r.errors.length + 1);
  const deciding = r.clauses.filter((c: any) => (c.status === 'fail' && c.level === 'MUST') || c.unexpectedPass);
  for (const c of deciding) {
    const failure = parsed.failures!.find((f) => f.name.startsWith(`${c.id} `));
    expect(failure, `a failure for ${c.id}`).toBeDefined();
    expect(failure!.message).toContain(`(report: index.html#${c.id})`);
  }
  expect(parsed.failures!.map((f) => f.name).sort()).toEqual([...deciding.map((c: any) => `${c.id} ${c.title}`), 'verdict'].sort());
});

test('the summary looks as it did (screenshot)', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await open(page);
  // Times, durations and the server's port change from run to run; the verdict's reason is read
  // as text by the test of the verdict.
  await expect(page.locator('header')).toHaveScreenshot('summary.png', { mask: [page.locator('dl.meta dd'), page.getByTestId('reason')], maxDiffPixelRatio: 0.01 });
});

test('the page starts with what is wrong: the failed MUST clauses grouped by cause, with hints, as results.json says', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await open(page);
  const r = run.results;
  const mustFailed = r.clauses.filter((c: any) => c.level === 'MUST' && c.status === 'fail').map((c: any) => c.id).sort();
  expect(r.summary.causes).toBe(r.causes.length);
  expect([...new Set(r.causes.flatMap((c: any) => c.clauses))].sort()).toEqual(mustFailed);
  // On the first screen, before the clause list.
  await expect.poll(() => inView(page, '[data-testid=causes]')).toBe(true);
  const [causesTop, clausesTop] = await Promise.all([page.getByTestId('causes').boundingBox(), page.locator('details.clause').first().boundingBox()]);
  expect(causesTop!.y).toBeLessThan(clausesTop!.y);
  await expect(page.getByTestId('cause-count')).toHaveText(`${mustFailed.length} MUST clauses failed, from ${r.causes.length} causes:`);
  const items = page.getByTestId('cause');
  await expect(items).toHaveCount(r.causes.length);
  for (const [i, cause] of r.causes.entries()) {
    const item = items.nth(i);
    await expect(item.locator('a[href^="#"]')).toHaveText(cause.clauses);
    // Each cause says what is wrong, by its title, in the box.
    await expect(item.getByTestId('cause-title')).toContainText(cause.title.replace(/`/g, ''));
    expect(cause.title).not.toMatch(/must NOT|must have|must be|properties\b/);
    if (cause.hint) await expect(item.getByTestId('hint')).toHaveText(cause.hint);
  }
  // One exchange, two clauses: one cause. Authentication off: one cause with its hint, for both auth clauses.
  const create500 = r.causes.find((c: any) => c.clauses.includes(CREATE_500[0]));
  expect(create500.clauses).toEqual(CREATE_500);
  const auth = r.causes.find((c: any) => c.hint === HINTS.authOff);
  expect(auth.clauses).toEqual([NO_TOKEN, BAD_TOKEN]);
  // A cause's clause link opens the clause and brings it into view.
  await clause(page, NO_TOKEN).locator(':scope > summary').click(); // closed by hand first
  await expect(clause(page, NO_TOKEN)).not.toHaveAttribute('open', '');
  await items.filter({ hasText: HINTS.authOff }).locator(`a[href="#${NO_TOKEN}"]`).click();
  await expect(clause(page, NO_TOKEN)).toHaveAttribute('open', '');
  await expect.poll(() => inView(page, `details.clause[data-clause="${NO_TOKEN}"]`)).toBe(true);
});

test('failed clauses start open; #CLAUSE-ID opens and scrolls to any clause', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 700 });
  await open(page);
  const failed = run.results.clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id);
  for (const id of failed) await expect(clause(page, id)).toHaveAttribute('open', '');
  for (const id of ['CV3-API-01', STALE]) await expect(clause(page, id)).not.toHaveAttribute('open', '');
  // A passing clause far down the page, opened by its address.
  const target = 'CV3-LIM-05';
  await open(page, 'index.html', `#${target}`);
  await expect(clause(page, target)).toHaveAttribute('open', '');
  await expect(clause(page, target)).toHaveAttribute('id', target);
  await expect.poll(() => inView(page, `#${target}`)).toBe(true);
  await expect(page.locator('details.clause:visible')).toHaveCount(run.results.clauses.length);
});

test('filters and search live in the address and survive a reload', async ({ page }) => {
  await open(page);
  await page.locator('input[name=status][value=pass]').uncheck();
  await page.locator('#level').selectOption('MUST');
  await page.locator('#search').fill('computeFault');
  await expect.poll(() => visibleIds(page)).toEqual(CREATE_500);
  const address = page.url();
  expect(new URL(address).hash).toMatch(/status=fail%2Cskip%2Cexpected-fail|status=fail,skip,expected-fail/);
  expect(decodeURIComponent(new URL(address).hash)).toContain('level=MUST');
  expect(decodeURIComponent(new URL(address).hash)).toContain('q=computeFault');
  await page.reload();
  await expect(page.locator('input[name=status][value=pass]')).not.toBeChecked();
  await expect(page.locator('#level')).toHaveValue('MUST');
  await expect(page.locator('#search')).toHaveValue('computeFault');
  expect(await visibleIds(page)).toEqual(CREATE_500);
  // The address alone (sent on, opened elsewhere) shows the same.
  const other = await page.context().newPage();
  await other.goto(address);
  expect(await visibleIds(other)).toEqual(CREATE_500);
  // Back to the defaults: the fragment goes.
  await page.locator('#search').fill('');
  await page.locator('#level').selectOption('');
  await page.locator('input[name=status][value=pass]').check();
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.locator('details.clause:visible')).toHaveCount(run.results.clauses.length);
});

test('search finds findings: status codes, fault names, check ids, operation ids and titles', async ({ page }) => {
  await open(page);
  const search = async (text: string) => {
    await page.locator('#search').fill(text);
    return (await visibleIds(page)).sort();
  };
  expect(await search('500')).toEqual(expect.arrayContaining(CREATE_500));
  expect(await search('computefault')).toEqual(CREATE_500);
  // refusal.status judged the auth probes and the 500 create over the quota.
  expect(await search('refusal.status')).toEqual(['CV3-AUTH-01', 'CV3-AUTH-02', 'CV3-LIM-06']);
  expect(await search('deleteSnapshotMetadataKey with an invalid token')).toEqual([BAD_TOKEN]);
  expect(await search('showSnapshotMetadataKey')).toEqual(expect.arrayContaining([NO_TOKEN, BAD_TOKEN]));
  expect(await search('replace answer: metadata differs')).toEqual([FAILING]);
  expect(await search('request with a bad token')).toEqual([BAD_TOKEN]);
  expect(await search('no clause says this')).toEqual([]);
});

test('every occurrence of a merged finding is listed with its own exchange', async ({ page }) => {
  await open(page);
  const finding = resultOf(NO_TOKEN).findings.find((f: any) => f.title === 'accepted (200) instead of refused');
  expect(finding.count).toBeGreaterThan(1);
  expect(finding.occurrences.length).toBeGreaterThan(5);
  const box = clause(page, NO_TOKEN).locator('.finding', { hasText: 'accepted (200) instead of refused' });
  await expect(box.locator('h4')).toContainText(`×${finding.count}`);
  const listed = box.getByTestId('occurrence');
  await expect(listed).toHaveCount(finding.occurrences.length);
  const stored = new Map(run.results.exchanges.map((e: any) => [e.id, e]));
  for (const [i, o] of finding.occurrences.entries()) {
    // What the test was doing, or (made outside a named step) the operations it shows.
    await expect(listed.nth(i)).toContainText(o.context ?? (stored.get(o.exchanges[0]) as any).operation);
    // Each with its exchange, and each exchange a different request (one per operation).
    await expect(listed.nth(i).locator('details.ex')).toHaveCount(o.exchanges.length);
    for (const id of o.exchanges) {
      const e: any = stored.get(id);
      expect(e, `exchange ${id} is stored`).toBeDefined();
      await expect(listed.nth(i).locator(`details.ex[data-exchange="${id}"] > summary`)).toContainText(`${e.request.method} ${e.request.url}`);
    }
  }
  // Not the first occurrence again and again: the auth test's probes of every operation, each its own request.
  const operations = new Set(finding.occurrences.flatMap((o: any) => o.exchanges.map((id: string) => (stored.get(id) as any).operation)));
  expect(operations.size).toBeGreaterThanOrEqual(8);
  await expect(box.locator('details.ex')).toHaveCount(finding.occurrences.reduce((n: number, o: any) => n + o.exchanges.length, 0));
});

test('findings of different clauses on the same exchange point at each other', async ({ page }) => {
  await open(page);
  const [a, b] = CREATE_500;
  // The create over quota: its finding under each clause (the create's clause may have others, of
  // creates that met the quota in other tests, on exchanges of their own).
  const linked = (id: string) => resultOf(id).findings.filter((f: any) => f.sameExchangeAs).map((f: any) => f.sameExchangeAs);
  for (const [id, other] of [[a!, b!], [b!, a!]] as const) {
    expect(linked(id), `${id} has a finding on the exchange of ${other}`).not.toEqual([]);
    for (const names of linked(id)) expect(names).toEqual([other]);
    await expect(clause(page, id).getByTestId('same-exchange')).toHaveText(linked(id).map(() => `Same exchange as ${other}`));
  }
  await clause(page, b!).locator(':scope > summary').click(); // close it, then follow the link from a
  await clause(page, a!).getByTestId('same-exchange').first().locator('a').click();
  await expect(page).toHaveURL(new RegExp(`#${b}$`));
  await expect(clause(page, b!)).toHaveAttribute('open', '');
});

test("each clause links to the vendor's page and names its notes as text; check ids link to what the check holds to", async ({ page }) => {
  await open(page);
  for (const c of run.results.clauses) {
    const row = clause(page, c.id);
    await expect(row.locator('a.vendor')).toHaveAttribute('href', c.url);
    await expect(row.getByTestId('notes')).toContainText(`not in the package): ${c.source.join('; ')}`);
  }
  // Links lead to the vendors' pages or within the page, never to a file the reader does not have.
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(hrefs.filter((h) => !/^(https:\/\/|#)/.test(h))).toEqual([]);
  await expect(page.getByTestId('about')).toContainText('docs/clauses.md');
  expect(run.results.clauses.every((c: any) => /^https:\/\//.test(c.url))).toBe(true);
  const summaries = new Map(allChecks.map((c) => [c.id, c.summary]));
  const named = [...new Set(run.results.clauses.flatMap((c: any) => c.findings.map((f: any) => f.check)))] as string[];
  expect(run.results.checks.map((c: any) => c.id).sort()).toEqual(named.filter((id) => summaries.has(id)).sort());
  for (const c of run.results.checks) await expect(page.locator(`dl.checks dt[id="check-${c.id}"] + dd`)).toHaveText(summaries.get(c.id)!);
  const link = clause(page, FAILING).locator('a.check').first();
  const id = (await link.textContent())!;
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#check-${id.replace(/\./g, '\\.')}$`));
  await expect.poll(() => inView(page, `dt[id="check-${id}"]`)).toBe(true);
});

/** The words bash hands to curl when it runs a copied command, $SC_TOKEN set to the run's token. */
function curlWords(command: string): string[] {
  const out = spawnSync('bash', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`], { env: { PATH: process.env.PATH, SC_TOKEN: TOKEN }, encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.split('\0').slice(0, -1);
}
const sentToken = (words: string[]) => words.find((w, i) => words[i - 1] === '-H' && /^x-auth-token:/i.test(w))?.replace(/^[^:]+:\s*/, '');

test('replays send what the suite sent: the run token as $SC_TOKEN, no token as none, an invalid one as it was', async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).copied = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => (window as any).copied.push(t) } });
  });
  await open(page);
  const copy = async (clauseId: string, title: string) => {
    const ex = clause(page, clauseId).locator('.finding', { hasText: title }).locator('details.ex').first();
    await ex.locator(':scope > summary').click();
    await ex.locator('button.copy').click();
    const copied: string[] = await page.evaluate(() => (window as any).copied);
    return copied.at(-1)!;
  };
  const stored = (clauseId: string, title: string) => {
    const f = resultOf(clauseId).findings.find((x: any) => x.title === title);
    return run.results.exchanges.find((e: any) => e.id === f.occurrences[0].exchanges[0]);
  };
  // The suite sent an invalid token: the replay sends that same token, never the run's.
  const bad = stored(BAD_TOKEN, 'accepted (200) instead of refused');
  expect(bad.request.headers['X-Auth-Token']).toMatch(/^invalid-/);
  const badCommand = await copy(BAD_TOKEN, 'accepted (200) instead of refused');
  expect(badCommand).not.toContain('$SC_TOKEN');
  expect(sentToken(curlWords(badCommand))).toBe(bad.request.headers['X-Auth-Token']);
  // The suite sent no token: the replay sends none.
  const none = stored(NO_TOKEN, 'accepted (200) instead of refused');
  expect(none.request.headers['X-Auth-Token']).toBeUndefined();
  expect(sentToken(curlWords(await copy(NO_TOKEN, 'accepted (200) instead of refused')))).toBeUndefined();
  // The suite sent the run's token (stored redacted): the replay sends $SC_TOKEN.
  const good = await copy(FAILING, 'replace answer');
  expect(good).toContain('$SC_TOKEN');
  expect(sentToken(curlWords(good))).toBe(TOKEN);
  // Every word but the token is what was stored.
  const words = curlWords(good);
  const e = stored(FAILING, resultOf(FAILING).findings[0].title);
  expect(words.slice(0, 4)).toEqual(['-i', '-X', e.request.method, e.request.url]);
  expect(words.at(-1)).toBe(e.request.body);
  // The page itself never holds the token.
  expect(readFileSync(join(run.dir, 'index.html'), 'utf8')).not.toContain(TOKEN);
});
