// How the HTML report holds up when a run has thousands of exchanges of evidence: builds results
// for the cinder-v3 profile in which every clause failed many times (each failure with its
// exchanges), writes the page, and opens it in Chromium. Prints figures; asserts nothing.
// usage: npx tsx bench/report.ts [exchanges=3000]
import { chromium } from '@playwright/test';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Exchange } from '../src/http/exchange.ts';
import type { Finding, TestRecord } from '../src/findings/types.ts';
import { loadProfile } from '../src/profile/load.ts';
import { profilePage } from '../src/report/html.ts';
import { profileResults, resultsJson } from '../src/report/results.ts';

const wanted = Number(process.argv[2] ?? 3000);
const profile = loadProfile('cinder-v3');
const clauses = profile.clauseFile.clauses;
const body = JSON.stringify({ snapshot: { id: 'x', status: 'available', name: 'n'.repeat(200), description: 'd'.repeat(255), metadata: { k: 'v'.repeat(255) } } });

const exchanges: Exchange[] = [];
const findings: Finding[] = [];
for (let i = 0; exchanges.length < wanted; i++) {
  const clause = clauses[i % clauses.length]!;
  const ids: string[] = [];
  for (let j = 0; j < 3; j++) {
    const id = `b-${exchanges.length}`;
    ids.push(id);
    exchanges.push({
      id,
      request: { method: 'PUT', url: `http://127.0.0.1:8776/v3/p/snapshots/${i}`, headers: { 'X-Auth-Token': '[redacted]', 'Content-Type': 'application/json' }, body },
      response: { status: 400, headers: { 'content-type': 'application/json' }, body, bodyBytes: body.length, truncated: false },
      startedAt: 0,
      durationMs: 3,
    });
  }
  findings.push({ clause: clause.id, check: 'body.schema', outcome: 'fail', count: 1, title: `failure ${i}`, expected: 'something', actual: 'something else', pointer: '/snapshot/name', exchanges: ids });
}
const record: TestRecord = {
  profile: profile.id,
  findings,
  exchanges,
  timings: exchanges.map((e) => ({ operation: 'updateSnapshot', status: 400, ms: e.durationMs })),
  states: [],
};

let t = performance.now();
const results = profileResults({ profile, target: 'http://127.0.0.1:8776/v3/p', seed: 1, startedAt: new Date(), durationMs: 1, records: [record], errors: [], expectations: [] });
const html = profilePage(results);
const buildMs = performance.now() - t;
const dir = mkdtempSync(join(tmpdir(), 'sc-bench-report-'));
writeFileSync(join(dir, 'index.html'), html);
writeFileSync(join(dir, 'results.json'), JSON.stringify(resultsJson(results)));

const browser = await chromium.launch({ executablePath: process.env.SC_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage();
t = performance.now();
await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
const loadMs = performance.now() - t;
t = performance.now();
await page.locator('input[name=status][value=fail]').uncheck();
await page.locator('details.clause:visible').count();
const filterMs = performance.now() - t;
t = performance.now();
await page.locator('#search').fill('cv3-meta-02');
await page.locator('details.clause:visible').count();
const searchMs = performance.now() - t;
const heapMb = (await page.evaluate(() => (performance as any).memory?.usedJSHeapSize ?? 0)) / 2 ** 20;
await browser.close();

const mb = (file: string) => (statSync(join(dir, file)).size / 2 ** 20).toFixed(1);
console.log(`exchanges of evidence: ${exchanges.length} in ${findings.length} failures over ${clauses.length} clauses`);
console.log(`index.html: ${mb('index.html')} MB, built in ${buildMs.toFixed(0)} ms; results.json: ${mb('results.json')} MB`);
console.log(`Chromium: loaded in ${loadMs.toFixed(0)} ms, status filter ${filterMs.toFixed(0)} ms, search ${searchMs.toFixed(0)} ms, JS heap ${heapMb.toFixed(1)} MB`);
console.log(`written to ${dir}`);
