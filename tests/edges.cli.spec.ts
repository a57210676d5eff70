// Trust at the edges, as a user of the installed package meets them: each case runs the packed
// tarball's CLI (tests/support/installed.ts) and checks its exit code and the first line it prints,
// then what it wrote. Every server here is started and stopped by the test, on 127.0.0.1.
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { referenceServers, type ReferenceServer } from '../src/servers/index.ts';
import { installedPackage } from './support/installed.ts';
import type { CliResult } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';
const TOKEN = 'edge-token-4b1d9c07';
const GATEWAY_KEY = 'gateway-key-77e0a1';

/** The first line the command printed: stdout's, or stderr's when stdout is empty. */
const firstLine = (r: CliResult) => (r.stdout.trim() ? r.stdout : r.stderr).split('\n')[0] ?? '';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A gateway in front of a reference server: 403 unless X-Gateway-Key is its key, else passed on. */
async function gateway(upstream: ReferenceServer): Promise<{ url: string; close: () => Promise<void> }> {
  const up = new URL(upstream.url);
  const server = createServer((req, res) => {
    if (req.headers['x-gateway-key'] !== GATEWAY_KEY) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"gateway: forbidden"}');
      return;
    }
    const out = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  const url = await listen(server);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `sc-edge-${name}-`));

test.describe('behind a gateway (--header)', () => {
  test('a refusal names the header as a suspect, and the report replays through the gateway', async () => {
    const pkg = await installedPackage();
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['drop-field-size'] });
    const gw = await gateway(server);
    try {
      const base = embeddedBaseUrl(PROFILE, gw.url);
      const env = { SC_TOKEN: TOKEN };
      // Without a header the gateway refuses: only the token can be named.
      const bare = await pkg.npx(['run', '--profile', PROFILE, '--base-url', base], { env });
      expect(bare.code).toBe(2);
      expect(firstLine(bare)).toMatch(/the target refused the token \(GET .* answered 403\)/);
      expect(firstLine(bare)).not.toMatch(/header/);
      // A wrong gateway key: the line names the header as well as the token.
      const wrong = await pkg.npx(['run', '--profile', PROFILE, '--base-url', base, '--header', 'X-Gateway-Key: not-the-key'], { env });
      expect(wrong.code).toBe(2);
      expect(firstLine(wrong)).toMatch(/refused the token or the header given \(GET .* answered 403\).*--header X-Gateway-Key/);

      // The right key: a short run whose evidence (a create answered without `size`) is replayed with curl,
      // the key from its own variable and the token from $SC_TOKEN.
      const dir = tmp('gateway');
      const run = await pkg.npx(['run', '--profile', PROFILE, '--base-url', base, '--header', `X-Gateway-Key: ${GATEWAY_KEY}`, '--grep', 'createSnapshot conforms', '--report-dir', dir], { env });
      expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(1);
      expect(firstLine(run)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1/);
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      expect(html).not.toContain(GATEWAY_KEY);
      const commands = [...html.matchAll(/<pre id="[^"]*" class="curl">([^<]*)<\/pre>/g)].map((m) => unescapeHtml(m[1]!));
      expect(commands.length).toBeGreaterThan(0);
      const command = commands.find((c) => c.includes('-X POST'))!;
      expect(command).toContain('"$SC_HEADER_X_GATEWAY_KEY"');
      expect(html).toContain('<code>SC_HEADER_X_GATEWAY_KEY</code>');
      // Past the gateway and the token, the API itself answers: the run's volume is gone since its
      // clean-up (404), where the gateway (403) or the API with a wrong token (401) would refuse.
      expect(await replay(command, { SC_TOKEN: TOKEN, SC_HEADER_X_GATEWAY_KEY: GATEWAY_KEY })).toBe('404');
      expect(await replay(command, { SC_TOKEN: TOKEN, SC_HEADER_X_GATEWAY_KEY: 'wrong' })).toBe('403');
      expect(await replay(command, { SC_TOKEN: 'wrong', SC_HEADER_X_GATEWAY_KEY: GATEWAY_KEY })).toBe('401');
    } finally {
      await gw.close();
      await server.close();
    }
  });
});

const unescapeHtml = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e as string]!);

/** Runs a replay command with curl, the variables set as a reader would; resolves to the status it got. */
function replay(command: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const script = command.replace('curl -i', 'curl -s -o /dev/null -w "%{http_code}"');
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, ...env } }, (_error, stdout) => resolve(stdout));
  });
}

test.describe('what the package holds', () => {
  test('the documents and examples the README and the report point to ship; list faults offers only what a profile catches', async () => {
    const pkg = await installedPackage();
    const root = join(pkg.project, 'node_modules', 'snapshot-conformance');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // Every link of the README, and every docs/ or examples/ path it names, is in the package.
    const pointed = new Set([...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((p) => !/^https?:/.test(p)));
    for (const m of readme.matchAll(/`((?:docs|examples)\/[^`\s]*[^`\s/])`/g)) pointed.add(m[1]!);
    expect([...pointed]).toEqual(expect.arrayContaining(['docs/clauses.md', 'examples/github/conformance.yml', 'examples/gitlab/.gitlab-ci.yml']));
    const shipped = (p: string) => pkg.files.includes(p) || pkg.files.some((f) => f.startsWith(`${p}/`));
    expect([...pointed].filter((p) => !shipped(p))).toEqual([]);
    // The one script of docs/ is for a checkout, and the README says so.
    expect(pkg.files).not.toContain('docs/screenshot.ts');
    expect(readme).toMatch(/`npx tsx docs\/screenshot\.ts` in a checkout/);

    // The report: links go to the vendors' pages or within the page; the documents it names ship.
    const dir = tmp('package');
    const run = await pkg.npx(['run', '--profile', 'cinder-v3', '--grep', 'listSnapshots conforms', '--report-dir', dir]);
    expect(firstLine(run), run.stderr).toMatch(/^snapshot-conformance: cinder-v3 against the embedded reference servers/);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.filter((h) => !/^(https:\/\/|#)/.test(h))).toEqual([]);
    const named = [...new Set([...html.matchAll(/\b((?:docs|examples)\/[\w./-]+\w)/g)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((p) => !shipped(p))).toEqual([]);
    // The authors' notes are named as notes, not cited as files the reader has.
    expect(html).toMatch(/Written from the profile authors' notes \(not in the package\): reference\/vendor-facts\.md/);

    // cinder-v2 shares Cinder's server: its list holds the faults v2's clauses catch, no others.
    const faults = await pkg.npx(['list', 'faults', '--profile', 'cinder-v2']);
    expect(faults.code).toBe(0);
    expect(firstLine(faults)).toMatch(/^cinder-v2 +\S+ +\S/);
    expect(faults.stdout).toMatch(/^cinder-v2 +put-metadata-merges /m);
    expect(faults.stdout).not.toMatch(/post-metadata-replaces|with-count-missing/);
  });
});

test.describe('merge, compare and junit that add up', () => {
  /** A shard's report directory as `run --shard I/N` leaves it (its settings and its records). */
  function shardDir(name: string, shard: string | undefined, baseUrl = 'http://127.0.0.1:9/v3/p'): string {
    const dir = tmp(name);
    mkdirSync(join(dir, 'state'), { recursive: true });
    mkdirSync(join(dir, 'records', PROFILE), { recursive: true });
    const settings = { runId: `20260101T000000-${name.slice(0, 4).padEnd(4, '0')}`, runDir: dir, profiles: [PROFILE], targets: { [PROFILE]: { baseUrl } }, embedded: false, seed: 1, examples: 4, concurrency: 2, workers: 2, requestTimeoutMs: 1000, shrinkBudgetSeconds: 1, budgetSeconds: 60, shard };
    writeFileSync(join(dir, 'state', 'settings.json'), JSON.stringify(settings));
    return dir;
  }

  test('merge refuses a shard of another run, a missing shard and the same shard twice', async () => {
    const pkg = await installedPackage();
    const one = shardDir('aaaa', '1/2');
    const two = shardDir('bbbb', '2/2');
    const elsewhere = shardDir('cccc', '2/2', 'http://127.0.0.1:9/v3/other');
    const cases: Array<[string[], RegExp]> = [
      [[one, elsewhere], /^snapshot-conformance: \S+ and \S+ are shards of different runs: their targets differ/],
      [[one], /^snapshot-conformance: shard 2\/2 is missing: merge needs every shard of the run$/],
      [[one, one, two], /^snapshot-conformance: shard 1\/2 is given twice \(/],
      [[one, shardDir('dddd', undefined)], /^snapshot-conformance: \S+ was not run with --shard/],
    ];
    for (const [dirs, line] of cases) {
      const r = await pkg.npx(['merge', ...dirs, '--report-dir', tmp('merged')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(firstLine(r)).toMatch(line);
    }
    // Every shard of one run, once each: merged.
    const merged = await pkg.npx(['merge', one, two, '--report-dir', tmp('merged')]);
    expect(merged.code, merged.stderr).not.toBe(2);
    expect(firstLine(merged)).toBe('merged 2 shard(s)');
  });

  test('compare: not tested now is lost coverage, not fixed; latency within the noise floor is not flagged', async () => {
    const pkg = await installedPackage();
    const clause = (id: string, status: string, findings: unknown[] = []) => ({ id, level: 'MUST', title: `${id} title`, status, findings });
    const doc = (clauses: unknown[], median: number) => ({ tool: 'snapshot-conformance', version: pkg.version, profile: PROFILE, runId: 'r', verdict: 'not conformant', clauses, latency: { listSnapshots: { count: 9, median, p95: median, max: median } } });
    const broken = { clause: 'CV3-LIFE-05', check: 'resource.fields', title: 'update ignored', outcome: 'fail', count: 1, exchanges: [] };
    const dir = tmp('compare');
    writeFileSync(join(dir, 'old.json'), JSON.stringify(doc([clause('CV3-API-01', 'pass'), clause('CV3-LIFE-05', 'fail', [broken])], 2)));
    writeFileSync(join(dir, 'new.json'), JSON.stringify(doc([clause('CV3-API-01', 'skip'), clause('CV3-LIFE-05', 'skip')], 18.4)));
    const r = await pkg.npx(['compare', join(dir, 'old.json'), join(dir, 'new.json'), '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(firstLine(r)).toBe('cinder-v3: not conformant -> not conformant; 0 newly failing, 0 fixed, 0 still failing, 2 lost coverage');
    expect(r.stdout).toMatch(/lost coverage: CV3-LIFE-05 CV3-LIFE-05 title \(was fail, now not tested\)/);
    expect(r.stdout).not.toMatch(/fixed:|latency/);
    // A real slowdown is flagged.
    writeFileSync(join(dir, 'slow.json'), JSON.stringify(doc([clause('CV3-API-01', 'pass'), clause('CV3-LIFE-05', 'pass')], 250)));
    const slow = await pkg.npx(['compare', join(dir, 'new.json'), join(dir, 'slow.json'), '--out', dir]);
    expect(slow.stdout).toContain('latency listSnapshots median +1259% (18.4 -> 250 ms)');
  });

  test('junit.xml: a run that passes every MUST clause counts no failure, whatever its SHOULD findings', async () => {
    const pkg = await installedPackage();
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['no-request-id'] });
    try {
      const dir = tmp('junit');
      const r = await pkg.npx(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--examples', '2', '--report-dir', dir], { env: { SC_TOKEN: TOKEN } });
      expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
      expect(firstLine(r)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1/);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.clauses.find((c: any) => c.id === 'CV3-API-13').status).toBe('fail');
      const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuite name="cinder-v3" tests="\d+" failures="0"/);
      expect(junit).not.toContain('<failure');
      expect(junit).toContain('<testcase classname="cinder-v3" name="verdict" time="0.000"></testcase>');
      expect(junit).toMatch(/<system-out>SHOULD clause failed \(it does not decide the verdict\); report: index.html#CV3-API-13/);
    } finally {
      await server.close();
    }
  });
});

test.describe('sweep never gives a false all-clear', () => {
  test('the run prints its id and the sweep command; a sweep that cannot look stops with exit 2, one that can removes what is left', async () => {
    const pkg = await installedPackage();
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN });
    const html = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in</title>'));
    const htmlUrl = await listen(html);
    try {
      const base = embeddedBaseUrl(PROFILE, server.url);
      const dir = tmp('sweep');
      const run = await pkg.npx(['run', '--profile', PROFILE, '--base-url', base, '--grep', 'listSnapshots conforms', '--report-dir', dir], { env: { SC_TOKEN: TOKEN } });
      expect(firstLine(run)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1/);
      const said = run.stdout.split('\n').slice(0, 4).map((l) => /^run (\d{8}T\d{6}-[0-9a-f]{4}); if it is killed, `snapshot-conformance (sweep --report-dir (\S+))` removes what it made \(token in SC_TOKEN\)$/.exec(l)).find(Boolean);
      expect(said, run.stdout.slice(0, 1000)).toBeTruthy();
      const [, runId, command, printedDir] = said!;
      expect(printedDir).toBe(dir);

      // What a run killed between a create and its removal leaves: a snapshot named for it.
      const headers = { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' };
      const volume = (await (await fetch(`${base}/volumes`, { method: 'POST', headers, body: JSON.stringify({ volume: { size: 1, name: 'a-volume' } }) })).json()).volume.id;
      await expect.poll(async () => (await (await fetch(`${base}/volumes/${volume}`, { headers })).json()).volume.status).toBe('available');
      const left = (await (await fetch(`${base}/snapshots`, { method: 'POST', headers, body: JSON.stringify({ snapshot: { volume_id: volume, name: `sc-${runId}-left` } }) })).json()).snapshot.id;
      const snapshots = () => (server.inventory().snapshots ?? []).map((s) => s.id);

      // It cannot look: a wrong token, a closed port, an HTML page. Exit 2, one line, nothing said to be clear.
      const closed = createServer();
      const closedUrl = await listen(closed);
      await new Promise((resolve) => closed.close(resolve));
      for (const [args, env, line] of [
        [[], { SC_TOKEN: 'not-the-token' }, /^snapshot-conformance: sweep cannot look for what \S+ left \(cinder-v3\): the target refused the token/],
        [['--base-url', embeddedBaseUrl(PROFILE, closedUrl)], { SC_TOKEN: TOKEN }, /^snapshot-conformance: sweep cannot look for what \S+ left \(cinder-v3\): the target does not answer/],
        [['--base-url', `${htmlUrl}/v3/p`], { SC_TOKEN: TOKEN }, /^snapshot-conformance: sweep cannot look for what \S+ left \(cinder-v3\): .* answered an HTML page/],
      ] as const) {
        const r = await pkg.npx(['sweep', '--report-dir', dir, ...args], { env });
        expect(r.code, r.stdout + r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(firstLine(r)).toMatch(line);
      }
      expect(snapshots()).toEqual([left]);

      // The command the run printed: the report directory gives the run id, the profile and the target.
      const swept = await pkg.npx(command!.split(' '), { env: { SC_TOKEN: TOKEN } });
      expect(swept.code, swept.stderr).toBe(0);
      expect(firstLine(swept)).toBe(`removed snapshot ${left} (sc-${runId}-left)`);
      expect(swept.stdout).toContain(`removed 1 of 1 resource(s) left by ${runId} (cinder-v3)`);
      expect(snapshots()).toEqual([]);
    } finally {
      await new Promise((resolve) => html.close(resolve));
      await server.close();
    }
  });

  test('a target whose unknown ids answer 500: nothing is called left that a fresh read does not see', async () => {
    const pkg = await installedPackage();
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['unknown-id-500'] });
    try {
      const dir = tmp('unknown-500');
      const r = await pkg.npx(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--examples', '2', '--report-dir', dir], { env: { SC_TOKEN: TOKEN } });
      expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(1);
      expect(firstLine(r)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1/);
      expect(server.inventory().snapshots ?? []).toEqual([]);
      expect(r.stderr).not.toMatch(/could not remove|cannot tell whether/);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.cleanup.made.snapshot).toBeGreaterThan(0);
      expect(results.cleanup.notRemoved).toEqual([]);
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('Nothing of this run is left on the target.');
    } finally {
      await server.close();
    }
  });
});

test.describe('one defect, one cause', () => {
  test('the report box lists each defect once, by what is wrong: a missing member across five clauses, two 500 bugs apart', async () => {
    const pkg = await installedPackage();
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN, faults: ['drop-field-size', 'missing-volume-id-500', 'malformed-json-500'] });
    try {
      const dir = tmp('causes');
      const r = await pkg.npx(['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--examples', '2', '--report-dir', dir], { env: { SC_TOKEN: TOKEN } });
      expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(1);
      expect(firstLine(r)).toMatch(/^snapshot-conformance: cinder-v3 against http:\/\/127\.0\.0\.1/);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      const titles = results.causes.map((c: any) => c.title);
      expect(titles).toHaveLength(3);
      expect(results.causes[0].title).toMatch(/^`size` is missing \(in the answers of /);
      expect(results.causes[0].clauses).toEqual(['CV3-API-01', 'CV3-API-02', 'CV3-API-03', 'CV3-API-04', 'CV3-API-05']);
      expect(titles).toEqual(expect.arrayContaining([
        expect.stringMatching(/with a body that is not JSON: server error \(500 computeFault\) instead of a refusal$/),
        expect.stringMatching(/^createSnapshot with snapshot without its required member volume_id: server error \(500 computeFault\) instead of a refusal$/),
      ]));
      // The box at the top says it, by title.
      const box = readFileSync(join(dir, 'index.html'), 'utf8').match(/<section class="causes"[\s\S]*?<\/section>/)![0];
      expect(box).toContain('<strong><code>size</code> is missing (in the answers of ');
      expect(box).toContain('3 causes');
      // Not the validator's words, nor a request pattern for a title.
      expect(box).not.toMatch(/must NOT|is not of type|→ \d{3}/);
    } finally {
      await server.close();
    }
  });
});
