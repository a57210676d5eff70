// The CLI as a user meets it: bad input ends with exit code 2 and one line saying what to fix;
// `serve` answers like Cinder; `run` writes the report files, keeps the token out of every one of
// them, and exits 0 or 1 by the MUST clauses.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, cli, ROOT, runSuite, TOKEN } from './support/run-suite.ts';
import { referenceServers } from '../src/servers/index.ts';
import { profileIds } from '../src/profile/load.ts';

/** Exit 2, nothing on stdout worth reading, and exactly one line on stderr: no stack trace. */
function usageError(result: { code: number; stderr: string }, says: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
}

test.describe('bad input', () => {
  test('an unreachable target', async () => {
    usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', 'http://127.0.0.1:9']), /unreachable: http:\/\/127\.0\.0\.1:9/);
  });
  test('an unknown command', async () => {
    usageError(await cli(['frobnicate']), /unknown command "frobnicate"/);
  });
  test('an unknown option', async () => {
    usageError(await cli(['run', '--colour']), /--colour/);
  });
  test('an unknown profile', async () => {
    usageError(await cli(['run', '--profile', 'nope']), /unknown profile "nope"; known profiles: .*cinder-v3/);
  });
  test('a malformed URL', async () => {
    usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', 'not a url']), /--base-url is not a URL/);
  });
  test('a URL that is not http', async () => {
    usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', 'ftp://127.0.0.1/x']), /must be http or https/);
  });
  test('a seed that is not a number', async () => {
    usageError(await cli(['run', '--seed', 'abc']), /--seed must be an integer/);
  });
  test('a time budget that is not a number of seconds', async () => {
    usageError(await cli(['run', '--budget', 'soon']), /--budget must be a number of seconds greater than 0, not "soon"/);
  });
  test('an unreadable expectations file', async () => {
    usageError(await cli(['run', '--expectations', '/nonexistent/expectations.yaml']), /cannot use the expectations file/);
  });
  test('a malformed expectations file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-exp-'));
    writeFileSync(join(dir, 'e.yaml'), '- clause: CV3-ERR-05\n');
    usageError(await cli(['run', '--expectations', join(dir, 'e.yaml')]), /entry 1 needs clause and reason/);
  });
  test('a target that needs a token and got none', async () => {
    const server = await referenceServers['cinder-v3']!.start({});
    try {
      usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', `${server.url}/v3/abc`]), /--token is required/);
    } finally {
      await server.close();
    }
  });
  test('serve with an unknown fault', async () => {
    usageError(await cli(['serve', '--profile', 'cinder-v3', '--fault', 'nope']), /unknown fault "nope" for cinder-v3; known: /);
  });
  test('serve without a profile', async () => {
    usageError(await cli(['serve']), /serve needs --profile/);
  });
  test('an expectations entry for a clause no profile of the run has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-exp-'));
    writeFileSync(join(dir, 'e.yaml'), '- { clause: CV3-ERR-99, reason: a typo }\n');
    usageError(await cli(['run', '--profile', 'cinder-v3', '--expectations', join(dir, 'e.yaml')]), /names clause CV3-ERR-99, which no profile of this run has/);
  });
  test('a --grep that is not a regular expression', async () => {
    usageError(await cli(['run', '--grep', 'life(cycle']), /--grep is not a regular expression/);
  });
  test('a --header without a name and a value', async () => {
    usageError(await cli(['run', '--header', 'no colon here']), /--header must look like 'Name: value'/);
  });
  test('a --shard that is not I/N', async () => {
    usageError(await cli(['run', '--shard', '3/2']), /--shard must be I\/N/);
  });
  test('list of something it does not know', async () => {
    usageError(await cli(['list', 'widgets']), /list what\? one of profiles, clauses, checks or faults, not "widgets"/);
  });
});

test.describe('the CLI people expect', () => {
  test('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('help, `help <command>` and `<command> --help` list every option with examples, at once', async () => {
    // Node says which modules it loads: help loads the CLI's own, not the suite, the profiles or Playwright.
    const overview = await cli(['help'], { env: { NODE_DEBUG: 'esm' } });
    const loaded = [...new Set(overview.stderr.match(/dist\/[\w./-]+\.js/g) ?? [])];
    expect(loaded.length, 'the debug output names the modules').toBeGreaterThan(0);
    expect(loaded.filter((m) => !/^dist\/src\/(cli|run\/defaults)/.test(m)), 'help answers without loading the suite').toEqual([]);
    expect(overview.stderr).not.toMatch(/playwright/);
    expect(overview.code).toBe(0);
    for (const command of ['run', 'serve', 'sweep', 'list', 'compare', 'merge']) expect(overview.stdout).toContain(`  ${command} `);
    const { COMMANDS } = await import('../src/cli/commands.ts');
    for (const command of ['run', 'serve', 'sweep', 'list', 'compare', 'merge'] as const) {
      for (const args of [['help', command], [command, '--help']]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(0);
        for (const option of Object.keys(COMMANDS[command].options)) expect(r.stdout, `${args.join(' ')} lists --${option}`).toContain(`--${option}`);
        expect(r.stdout).toMatch(/Examples:\n  snapshot-conformance /);
      }
    }
  });

  test('list profiles, clauses (level and title) and faults (one line each)', async () => {
    const profiles = await cli(['list', 'profiles']);
    expect(profiles.code).toBe(0);
    expect(profiles.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(profileIds());
    const clauses = await cli(['list', 'clauses', '--profile', 'cinder-v3']);
    expect(clauses.stdout).toMatch(/^CV3-API-01 +MUST +List snapshots answers 200 with summary views$/m);
    const { loadProfile } = await import('../src/profile/load.ts');
    expect(clauses.stdout.trim().split('\n')).toHaveLength(loadProfile('cinder-v3').clauseFile.clauses.length);
    const faults = await cli(['list', 'faults', '--profile', 'cinder-v3']);
    expect(faults.stdout).toMatch(/^cinder-v3 +put-metadata-merges +\S.*$/m);
    expect(faults.stdout.trim().split('\n')).toHaveLength(Object.keys(referenceServers['cinder-v3']!.faults).length);
    // cinder-v2 shares Cinder's server, whose faults v2 cannot all see: only those its clauses catch.
    const v2 = await cli(['list', 'faults', '--profile', 'cinder-v2']);
    expect(v2.stdout).toMatch(/^cinder-v2 +put-metadata-merges +\S.*$/m);
    expect(v2.stdout).not.toMatch(/post-metadata-replaces|with-count-missing|version-header-base/);
  });

  test('the token from SC_TOKEN, and --header on every request', async () => {
    const server = await referenceServers['cinder-v3']!.start({ token: TOKEN });
    const seen = new Set<string>();
    const { createServer, request } = await import('node:http');
    // A gateway that lets through only requests with its header.
    const gateway = createServer((req, res) => {
      seen.add(String(req.headers['x-gateway-key']));
      if (req.headers['x-gateway-key'] !== 'open-sesame') return void res.writeHead(403).end();
      const up = request(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/v3/0f8ab1bd23e34c6da6c91ee1a1b2c3d4`;
      const dir = mkdtempSync(join(tmpdir(), 'sc-env-'));
      const r = await cli(['run', '--profile', 'cinder-v3', '--base-url', base, '--header', 'X-Gateway-Key: open-sesame', '--report-dir', dir, '--examples', '2', '--grep', 'reading'], { env: { SC_TOKEN: TOKEN } });
      // Only the reading tests ran (--grep): what they judge passed; the rest is not tested, and a
      // selection is judged on what it tested.
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.errors, r.stdout.slice(-1500) + r.stderr).toEqual([]);
      for (const id of ['CV3-API-01', 'CV3-API-02', 'CV3-AUTH-01', 'CV3-AUTH-02']) expect(results.clauses.find((c: any) => c.id === id).status, id).toBe('pass');
      expect(r.code).toBe(0);
      expect([...seen]).toEqual(['open-sesame']);
      for (const file of walk(dir)) expect(readFileSync(file, 'utf8').includes(TOKEN), file).toBe(false);
    } finally {
      await new Promise<void>((r) => gateway.close(() => r()));
      await server.close();
    }
  });
});

test.describe('misconfiguration is not a verdict: the run stops before the tests and creates nothing', () => {
  const projectUrl = (origin: string) => `${origin}/v3/0f8ab1bd23e34c6da6c91ee1a1b2c3d4`;
  /** A server answering every request with one canned answer. */
  async function canned(status: number, type: string, body: string) {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => void res.writeHead(status, { 'Content-Type': type }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  test('a base URL without the version and project', async () => {
    const server = await referenceServers['cinder-v3']!.start({ token: TOKEN });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sc-mis-'));
      const r = await cli(['run', '--profile', 'cinder-v3', '--base-url', server.url, '--token', TOKEN, '--report-dir', dir]);
      usageError(r, /answered 404: the base URL must end in the API version and project/);
      expect(server.inventory().snapshots ?? []).toEqual([]);
      expect(server.inventory().volumes ?? []).toEqual([]);
      expect(r.stdout).not.toMatch(/clean-up|sweep/);
    } finally {
      await server.close();
    }
  });

  test('a token the target refuses', async () => {
    const server = await referenceServers['cinder-v3']!.start({ token: TOKEN });
    try {
      const r = await cli(['run', '--profile', 'cinder-v3', '--base-url', projectUrl(server.url), '--token', 'not-the-token']);
      usageError(r, /the target refused the token .*answered 401.*: check --token or SC_TOKEN/);
      expect(server.inventory().volumes ?? []).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('something that is not the API: an HTML page, another API\'s JSON', async () => {
    const html = await canned(200, 'text/html', '<!doctype html><title>Welcome</title>');
    const other = await canned(200, 'application/json', '{"servers": []}');
    try {
      usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', projectUrl(html.url), '--token', TOKEN]), /answered an HTML page, not the cinder-v3 API: check the base URL/);
      usageError(await cli(['run', '--profile', 'cinder-v3', '--base-url', projectUrl(other.url), '--token', TOKEN]), /without a "snapshots" list: this is not the cinder-v3 API/);
    } finally {
      await html.close();
      await other.close();
    }
  });
});

test('serve prints its base URL and answers like Cinder until interrupted', async ({ request }) => {
  const child = spawn(process.execPath, [CLI, 'serve', '--profile', 'cinder-v3', '--port', '0', '--fault', 'no-auth'], { cwd: ROOT });
  const firstLine = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
  });
  const base = /reference server: (http:\/\/127\.0\.0\.1:\d+\/v3\/\w+)/.exec(firstLine)![1]!;
  const root = await request.get(new URL('/', base).toString());
  expect(root.status()).toBe(300);
  expect((await root.json()).versions.map((v: any) => v.id)).toContain('v3.0');
  const list = await request.get(`${base}/snapshots`);
  expect(list.status()).toBe(200);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});

test('run against the embedded servers: every profile passes, reports are written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-run-'));
  const result = await cli(['run', '--report-dir', dir, '--examples', '6', '--seed', '11']);
  expect(result.code, result.stdout.slice(-2000)).toBe(0);
  expect(result.stdout).toMatch(/cinder-v2: conformant/);
  expect(result.stdout).toMatch(/cinder-v3: conformant/);
  const profiles = profileIds();
  const combined = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(combined.profiles.map((p: any) => p.profile)).toEqual(profiles);
  expect(combined.summary.failed).toBe(0);
  for (const profile of profiles) {
    const one = JSON.parse(readFileSync(join(dir, profile, 'results.json'), 'utf8'));
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['tool', 'version', 'profile', 'target', 'seed', 'startedAt', 'durationMs', 'summary', 'clauses']));
    expect(one.clauses.every((c: any) => c.status === 'pass')).toBe(true);
    expect(readFileSync(join(dir, profile, 'index.html'), 'utf8')).toContain('Conformant');
  }
  expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('All profiles conformant');
  const v3 = JSON.parse(readFileSync(join(dir, 'cinder-v3', 'results.json'), 'utf8'));
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  // One case per clause and the verdict's; each suite takes its profile's own time, not the run's.
  expect(junit).toContain(`<testsuite name="cinder-v3" tests="${v3.clauses.length + 1}" failures="0"`);
  const suiteTimes = Object.fromEntries([...junit.matchAll(/<testsuite name="([^"]+)"[^>]* time="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])]));
  for (const profile of profileIds()) {
    const own = JSON.parse(readFileSync(join(dir, profile, 'results.json'), 'utf8'));
    expect(suiteTimes[profile], profile).toBeCloseTo(own.profileDurationMs / 1000, 2);
    expect(own.profileDurationMs).toBeLessThan(own.durationMs);
  }
  // Timings for tools: each test's duration, latency by operation, time to ready and to gone; real
  // times in junit.xml.
  expect(v3.tests.length).toBeGreaterThan(20);
  expect(v3.tests.every((t: any) => typeof t.test === 'string' && t.durationMs >= 0)).toBe(true);
  expect(v3.latency.createSnapshot.count).toBeGreaterThan(0);
  for (const stat of [v3.latency.createSnapshot, v3.stateTimes.ready, v3.stateTimes.gone]) {
    expect(stat.median).toBeGreaterThan(0);
    expect(stat.p95).toBeGreaterThanOrEqual(stat.median);
    expect(stat.max).toBeGreaterThanOrEqual(stat.p95);
  }
  const times = [...junit.matchAll(/<testcase [^>]*time="([\d.]+)"/g)].map((m) => Number(m[1]));
  expect(times.filter((t) => t > 0).length).toBeGreaterThan(times.length / 2);
});

test('a run with failures exits 1, and the token is in no file it wrote', async () => {
  const run = await runSuite('cinder-v3', { faults: ['put-metadata-merges'] });
  expect(run.code).toBe(1);
  expect(run.results.verdict).toBe('not conformant');
  const files = walk(run.dir);
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) expect(readFileSync(file, 'utf8').includes(TOKEN), file).toBe(false);
  expect(run.stdout.includes(TOKEN) || run.stderr.includes(TOKEN)).toBe(false);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

test('run with --volume-id uses that volume, never deletes it, and leaves no snapshot', async ({ request }) => {
  const server = await referenceServers['cinder-v3']!.start({ token: TOKEN });
  try {
    const base = `${server.url}/v3/0f8ab1bd23e34c6da6c91ee1a1b2c3d4`;
    const created = await request.post(`${base}/volumes`, { headers: { 'X-Auth-Token': TOKEN }, data: { volume: { size: 1, name: 'given' } } });
    const volumeId = (await created.json()).volume.id;
    await expect.poll(async () => (await (await request.get(`${base}/volumes/${volumeId}`, { headers: { 'X-Auth-Token': TOKEN } })).json()).volume.status).toBe('available');
    const dir = mkdtempSync(join(tmpdir(), 'sc-vol-'));
    const result = await cli(['run', '--profile', 'cinder-v3', '--base-url', base, '--token', TOKEN, '--volume-id', volumeId, '--report-dir', dir, '--examples', '4']);
    expect(result.code, result.stdout.slice(-1500)).toBe(0);
    expect(server.inventory().volumes!.map((v) => v.id)).toEqual([volumeId]);
    expect(server.inventory().snapshots).toEqual([]);
  } finally {
    await server.close();
  }
});
