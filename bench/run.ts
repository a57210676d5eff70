// npm run bench: the suite's speed, each figure printed beside its target and the ratio. Asserts
// nothing: the figures are for people (and the issue tracker) to read.
//   1. every profile against the embedded servers (the CLI, default examples): wall time; and each
//      profile alone
//   2. one profile against a target with set latencies: wall time next to the critical-path lower
//      bound the bench computes from the run's own longest chain of dependent requests and waits
//   3. requests per second of the suite's client with its judge, next to a plain node:http client,
//      on a zero-latency server and the same request mix (3 rounds of each per run, medians)
//   4. targets with one lifecycle defect: a snapshot that never becomes available, one that never
//      goes away (bound: one state timeout plus 60 s), and other defects (bound: a passing run + 60 s)
// Every timed run is made --runs times (default 3) and printed as its median with the spread: one
// run on a shared machine moves by a second or more, which is the size of the gaps worth seeing.
// usage: npm run bench [-- --only 1,2,3,4] [--runs N]
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedBaseUrl, loadProfile, profileIds } from '../src/profile/load.ts';
import { referenceServers } from '../src/servers/index.ts';
import { Transport } from '../src/http/transport.ts';
import { Redactor } from '../src/http/redact.ts';
import { ProfileApi } from '../src/profile/api.ts';
import { Judge } from '../src/findings/judge.ts';
import { validatorsFor } from '../src/validate/validators.ts';
import type { TestRecord } from '../src/findings/types.ts';
import { DEFAULTS } from '../src/run/defaults.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/snapshot-conformance.mjs');
const TOKEN = 'bench-token-0123456789';
const { values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string' } } });
const only = new Set((values.only ?? '1,2,3,4').split(','));
const RUNS = Number(values.runs ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write(`--runs: a whole number of runs, at least 1 (got ${values.runs})\n`);
  process.exit(2);
}

const rows: Array<[string, string, string, string]> = [];
function row(what: string, value: string, target: string, ratio: string) {
  rows.push([what, value, target, ratio]);
  process.stdout.write(`${what.padEnd(64)} ${value.padStart(10)}   ${target.padEnd(22)} ${ratio}\n`);
}
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The middle of values in order (the lower of the two middle ones, for an even count). */
const middle = <T>(sorted: T[]): T => sorted[Math.floor((sorted.length - 1) / 2)]!;
const median = (xs: number[]) => middle([...xs].sort((a, b) => a - b));

/** RUNS runs of one measurement: the median wall time, its spread, and whether any run failed. */
interface Timed {
  ms: number;
  spread: string;
  failed: boolean;
}
async function timed(once: () => Promise<{ code: number; ms: number }>): Promise<Timed> {
  const runs: Array<{ code: number; ms: number }> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  return { ms: middle(ms), spread: RUNS > 1 ? ` (${(ms[0]! / 1000).toFixed(1)}-${s(ms.at(-1)!)})` : '', failed: runs.some((r) => r.code !== 0) };
}
const failed = (t: Timed) => (t.failed ? ' (a run failed!)' : '');
/** The workers of a run against a target of its own, the CLI's default (what figure 2 divides the work by). */
const WORKERS = DEFAULTS.workersRemote;

function cli(args: string[]): Promise<{ code: number; ms: number; out: string }> {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, CI: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => done({ code: code ?? 1, ms: performance.now() - t0, out }));
  });
}

const FIRST_FIVE = ['cinder-v2', 'cinder-v3', 'huawei-evs', 'ntt-ecl', 'huawei-dws'];

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `sc-bench-${name}-`));

function records(dir: string): TestRecord[] {
  const root = join(dir, 'records');
  return readdirSync(root).flatMap((p) => readdirSync(join(root, p)).map((f) => JSON.parse(readFileSync(join(root, p, f), 'utf8')) as TestRecord));
}

// --- 1 ---------------------------------------------------------------------------------------------
async function embedded() {
  // The target was set for the first five profiles; the others are measured beside them.
  const five = await timed(() => cli(['run', ...FIRST_FIVE.flatMap((p) => ['--profile', p]), '--seed', '1', '--report-dir', tmp('five')]));
  row('1. the first five profiles, embedded servers, defaults (CLI wall)', s(five.ms), '<= 15 s', `${(five.ms / 15000).toFixed(2)}x of target${five.spread}${failed(five)}`);
  const all = await timed(() => cli(['run', '--seed', '1', '--report-dir', tmp('all')]));
  row(`   all ${profileIds().length} shipped profiles`, s(all.ms), '', `${all.spread.trim()}${failed(all)}`);
  for (const p of profileIds()) {
    const one = await timed(() => cli(['run', '--profile', p, '--seed', '1', '--report-dir', tmp(p)]));
    row(`   ${p} alone`, s(one.ms), '', `${one.spread.trim()}${failed(one)}`);
  }
}

// --- 2 ---------------------------------------------------------------------------------------------
/** A proxy that holds every request for `latencyMs` before passing it on. */
async function latencyProxy(upstream: string, latencyMs: number) {
  const up = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        const out = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.end(Buffer.concat(chunks));
      }, latencyMs),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}${up.pathname}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function latency() {
  const profile = 'cinder-v3';
  const latencyMs = 25;
  const server = await referenceServers[profile]!.start({ token: TOKEN, delays: { createMs: 800, deleteMs: 400 } });
  const proxy = await latencyProxy(embeddedBaseUrl(profile, server.url), latencyMs);
  try {
    // Each run is set against its own chain; the run of median ratio is printed, with the spread.
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = tmp('latency');
      const run = await cli(['run', '--profile', profile, '--base-url', proxy.url, '--token', TOKEN, '--seed', '1', '--report-dir', dir]);
      const all = records(dir);
      const tests = all.filter((r) => r.startedAt !== undefined);
      const setup = all.find((r) => r.test === 'set-up')?.durationMs ?? 0;
      const alone = tests.filter((r) => r.alone);
      const shared = tests.filter((r) => !alone.includes(r));
      const longest = Math.max(...shared.map((r) => r.durationMs ?? 0));
      const spread = shared.reduce((n, r) => n + (r.durationMs ?? 0), 0) / WORKERS;
      const aloneChain = alone.reduce((n, r) => n + (r.durationMs ?? 0), 0);
      const lastEnd = Math.max(...tests.map((r) => r.startedAt! + (r.durationMs ?? 0)));
      const cleanup = Math.max(0, statSync(join(dir, 'state', 'cleanup.json')).mtimeMs - lastEnd);
      const chain = setup + longest + aloneChain + cleanup;
      runs.push({ run, setup, longest, aloneChain, cleanup, spread, chain, bound: setup + Math.max(longest, spread) + aloneChain + cleanup, ratio: run.ms / chain });
    }
    runs.sort((a, b) => a.ratio - b.ratio);
    const m = middle(runs);
    const range = RUNS > 1 ? ` (${runs[0]!.ratio.toFixed(2)}-${runs.at(-1)!.ratio.toFixed(2)})` : '';
    const bad = runs.some((r) => r.run.code !== 0) ? ' (a run failed!)' : '';
    row(`2. ${profile}, ${latencyMs} ms per request, 800/400 ms transitions (CLI wall)`, s(m.run.ms), `<= 1.25 x ${s(m.chain)}`, `${m.ratio.toFixed(2)}x of the longest chain${range}${bad}`);
    row(`   longest chain: set-up ${s(m.setup)} + longest test ${s(m.longest)} + alone ${s(m.aloneChain)} + clean-up ${s(m.cleanup)}; all work / ${WORKERS} workers ${s(m.spread)}`, '', '', `${(m.run.ms / m.bound).toFixed(2)}x of max(chain, work / workers)`);
  } finally {
    await proxy.close();
    await server.close();
  }
}

// --- 3 ---------------------------------------------------------------------------------------------
interface Canned {
  method: string;
  path: string;
  body?: string;
  status: number;
  headers: Record<string, string>;
  answer: string;
}

/** The request mix, with the answers a correct server gives: recorded once from the reference server. */
async function recordMix(): Promise<{ mix: Canned[]; operations: string[] }> {
  const profile = loadProfile('cinder-v3');
  const server = await referenceServers['cinder-v3']!.start({ token: TOKEN, delays: { createMs: 1, deleteMs: 1 } });
  const base = embeddedBaseUrl('cinder-v3', server.url);
  try {
    const api = new ProfileApi(profile, Transport.create({ baseUrl: base, requestTimeoutMs: 5000, redactor: new Redactor([]) }), { baseUrl: base, token: TOKEN });
    const volume = await api.parent.make('bench');
    await api.parent.waitReady(volume.id);
    const created = await api.create(volume.id, api.createBody(volume.id, 'bench-snapshot', { description: 'd', metadata: { a: 'b' } }));
    const id = String(api.createdId(created));
    await api.waitReady(id);
    const exchanges = [
      await api.list(),
      await api.listDetail(),
      await api.show(id),
      await api.metadata.read(id),
      await api.update(id, { description: 'e' }),
      await api.metadata.replace(id, { c: 'd' }),
      created,
    ];
    const mix = exchanges.map((e) => ({ method: e.request.method, path: new URL(e.request.url).pathname + new URL(e.request.url).search, body: e.request.body, status: e.response!.status, headers: e.response!.headers, answer: e.response!.body }));
    return { mix, operations: exchanges.map((e) => e.operation!) };
  } finally {
    await server.close();
  }
}

/** A server in its own process that answers each request of the mix with its recorded answer at once. */
async function cannedServer(mix: Canned[]): Promise<{ url: string; close: () => void }> {
  const code = `
    const mix = ${JSON.stringify(mix)};
    require('node:http').createServer((req, res) => {
      const hit = mix.find((m) => m.method === req.method && m.path === req.url) ?? mix[0];
      req.resume();
      req.on('end', () => { const h = { ...hit.headers }; delete h['content-length']; delete h['transfer-encoding']; delete h['connection']; res.writeHead(hit.status, h); res.end(hit.answer); });
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((r) => child.stdout.once('data', (d) => r(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

async function throughput() {
  const { mix, operations } = await recordMix();
  const server = await cannedServer(mix);
  const profile = loadProfile('cinder-v3');
  const base = `${server.url}/v3/0f8ab1bd23e34c6da6c91ee1a1b2c3d4`;
  const transport = Transport.create({ baseUrl: base, requestTimeoutMs: 5000, redactor: new Redactor([TOKEN]) });
  const judge = new Judge(profile, validatorsFor(profile));
  const api = new ProfileApi(profile, transport, { baseUrl: base, token: TOKEN }).with(judge.listener());
  const agent = new Agent({ keepAlive: true });
  const plain = (m: Canned) =>
    new Promise<void>((done, fail) => {
      const req = httpRequest(`${server.url}${m.path}`, { method: m.method, agent, headers: { Accept: 'application/json', 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' } }, (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          if (text) JSON.parse(text);
          done();
        });
      });
      req.on('error', fail);
      req.end(m.body);
    });
  const suite = (m: Canned, i: number) => api.send(m.method, `${server.url}${m.path}`, { rawBody: m.body }, profile.operations.get(operations[i % operations.length]!));
  const n = 3000;
  const rate = async (one: (m: Canned, i: number) => Promise<unknown>) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await one(mix[i % mix.length]!, i);
    return n / ((performance.now() - t0) / 1000);
  };
  // Rounds of both, one after the other, so that each ratio is of the same moment of the machine;
  // the first round of each warms up (connections, compiled schemas) and is not counted.
  await rate(plain);
  await rate(suite);
  const rounds: Array<{ plain: number; suite: number; ratio: number }> = [];
  for (let round = 0; round < 3 * RUNS; round++) {
    const [p, q] = [await rate(plain), await rate(suite)];
    rounds.push({ plain: p, suite: q, ratio: q / p });
  }
  server.close();
  const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  row(
    '3. requests/s, suite client + judge (sequential, zero-latency server)',
    median(rounds.map((r) => r.suite)).toFixed(0),
    `>= 50% of ${median(rounds.map((r) => r.plain)).toFixed(0)}`,
    `${pct(median(ratios))} of plain node:http (${pct(ratios[0]!)}-${pct(ratios.at(-1)!)} over ${rounds.length} rounds)`,
  );
}

// --- 4 ---------------------------------------------------------------------------------------------
async function defects() {
  const profile = 'cinder-v3';
  const stateTimeout = 20;
  const runAgainst = async (fault?: string) => {
    const server = await referenceServers[profile]!.start({ token: TOKEN, faults: fault ? [fault] : [] });
    try {
      return await cli(['run', '--profile', profile, '--base-url', embeddedBaseUrl(profile, server.url), '--token', TOKEN, '--seed', '1', '--state-timeout', String(stateTimeout), '--report-dir', tmp(fault ?? 'passing')]);
    } finally {
      await server.close();
    }
  };
  const passing = await timed(() => runAgainst());
  row(`4. ${profile} passing run, --state-timeout ${stateTimeout}`, s(passing.ms), '', `${passing.spread.trim()}${failed(passing)}`);
  for (const fault of ['never-available', 'delete-leaves-ghost']) {
    const r = await timed(() => runAgainst(fault));
    const bound = (stateTimeout + 60) * 1000;
    row(`   ${fault}`, s(r.ms), `<= ${s(bound)}`, `${(r.ms / bound).toFixed(2)}x of the bound${r.spread}`);
  }
  for (const fault of ['put-metadata-merges', 'list-stale-name', 'error-on-create', 'update-ignored']) {
    const r = await timed(() => runAgainst(fault));
    const bound = passing.ms + 60_000;
    row(`   ${fault}`, s(r.ms), `<= ${s(bound)}`, `${(r.ms / bound).toFixed(2)}x of the bound${r.spread}`);
  }
}

process.stdout.write(`${'figure'.padEnd(64)} ${'value'.padStart(10)}   ${'target'.padEnd(22)} ratio${RUNS > 1 ? ` (values: medians of ${RUNS} runs; spread)` : ''}\n`);
if (only.has('1')) await embedded();
if (only.has('2')) await latency();
if (only.has('3')) await throughput();
if (only.has('4')) await defects();
