// The transport and the profile API over it: in a read-only run a write never leaves; traffic
// stays on the target's origin; "come back later" answers are waited out within bounds; --max-rps
// spaces requests; a documented "busy" is retried within the profile's bound; the ledger and the
// judge hear every exchange. And the waiter: it learns a transition's time, and cuts short a wait
// for a transition that already timed out in the run.
import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import { Transport, type TransportOptions } from '../src/http/transport.ts';
import { Redactor } from '../src/http/redact.ts';
import { ProfileApi } from '../src/profile/api.ts';
import { loadProfile } from '../src/profile/load.ts';
import { Transitions, waitForState } from '../src/resources/waiter.ts';
import type { Exchange } from '../src/http/exchange.ts';

const profile = loadProfile('cinder-v3');

function apiFor(baseUrl: string, options: Partial<TransportOptions> = {}, profileId = 'cinder-v3') {
  const transport = Transport.create({ baseUrl, requestTimeoutMs: 2000, redactor: new Redactor(['secret-token']), ...options });
  return new ProfileApi(loadProfile(profileId), transport, { baseUrl, token: 'secret-token' });
}

/** A server that answers from a script, one answer per request, and counts what it got. */
async function scripted(answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>) {
  let n = 0;
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const a = answers[Math.min(n++, answers.length - 1)]!;
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(JSON.stringify(a.body ?? (a.status < 400 ? { snapshots: [] } : { overLimit: { code: a.status, message: 'later' } })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v3/p`, requests: () => n, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a read-only transport refuses every write before it is sent, as a defect of the suite', async () => {
  // Port 9 (discard): nothing listens, so what is sent at all fails at the transport.
  const api = apiFor('http://127.0.0.1:9/v3/p', { readOnly: true });
  await expect(api.create('v', { snapshot: { volume_id: 'v' } })).rejects.toThrow(/read-only run: the suite tried to send POST .* \(a defect of the suite/);
  await expect(api.update('s', { name: 'n' })).rejects.toThrow(/read-only run: the suite tried to send PUT/);
  await expect(api.delete('s')).rejects.toThrow(/read-only run: the suite tried to send DELETE/);
  await expect(api.metadata.merge('s', {})).rejects.toThrow(/read-only run: the suite tried to send POST/);
  // A read goes out (and, nothing listening, comes back as a transport error, not a refusal).
  const read = await api.list();
  expect(read.error).toMatch(/ECONNREFUSED/);
  expect(read.response).toBeUndefined();
});

test('the transport sends nothing off the target origin, and the API follows no link elsewhere', async () => {
  const api = apiFor('http://127.0.0.1:9/v3/p');
  await expect(api.send('GET', 'http://127.0.0.2:9/v3/p/snapshots')).rejects.toThrow(/off the target's origin/);
  expect(await api.follow('http://example.com/v3/p/snapshots?marker=x', 'listSnapshots')).toEqual({ offOrigin: 'http://example.com/v3/p/snapshots?marker=x' });
});

test('a short Retry-After on 429, 503 or 413 is waited out; a long one is not; every attempt is heard', async () => {
  const server = await scripted([{ status: 503, headers: { 'Retry-After': '1' } }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
  const slow = await scripted([{ status: 503, headers: { 'Retry-After': '3600' } }, { status: 200 }]);
  try {
    const heard: number[] = [];
    const api = apiFor(server.url).with({ received: (e) => heard.push(e.response?.status ?? 0) });
    const started = Date.now();
    const answer = await api.list();
    expect(answer.response?.status).toBe(200);
    expect(heard).toEqual([503, 429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect((await apiFor(slow.url).list()).response?.status).toBe(503);
    expect(slow.requests()).toBe(1);
  } finally {
    await Promise.all([server.close(), slow.close()]);
  }
});

test('--max-rps spaces the requests of a process', async () => {
  const server = await scripted([{ status: 200 }]);
  try {
    const api = apiFor(server.url, { minIntervalMs: 100 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => api.list()));
    expect(server.requests()).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
  } finally {
    await server.close();
  }
});

test('a documented busy answer is retried within the bound, each attempt numbered', async () => {
  // ECL documents 409 "tenant busy" (12 attempts): three busy answers, then the list.
  const server = await scripted([{ status: 409, body: { api_error_message: 'busy' } }, { status: 409, body: { api_error_message: 'busy' } }, { status: 409, body: { api_error_message: 'busy' } }, { status: 200 }]);
  try {
    const attempts: Array<number | undefined> = [];
    const api = apiFor(server.url, {}, 'ntt-ecl').with({ received: (e) => attempts.push(e.attempt) });
    const answer = await api.list();
    expect(answer.response?.status).toBe(200);
    expect(attempts).toEqual([1, 2, 3, 4]);
  } finally {
    await server.close();
  }
});

test('requests carry the token, the profile headers, the microversion and the run\'s extra headers; records are redacted', async () => {
  let headers: Record<string, string | string[] | undefined> = {};
  const server = createServer((req, res) => {
    headers = req.headers;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"snapshots":[],"echo":"secret-token"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v3/p`;
  try {
    const transport = Transport.create({ baseUrl: url, requestTimeoutMs: 2000, redactor: new Redactor(['secret-token']) });
    const api = new ProfileApi(profile, transport, { baseUrl: url, token: 'secret-token', microversion: '3.40', headers: { 'X-Gateway': 'g1' } });
    const exchange = await api.list();
    expect(headers['x-auth-token']).toBe('secret-token');
    expect(headers['openstack-api-version']).toBe('volume 3.40');
    expect(headers['x-gateway']).toBe('g1');
    expect(exchange.request.headers['X-Auth-Token']).toBe('[redacted]');
    expect(exchange.response?.body).not.toContain('secret-token');
    expect(exchange.response?.json).toEqual({ snapshots: [], echo: 'secret-token' });
    const none = await api.list(undefined, { token: 'none' });
    expect(none.purpose).toBe('auth');
    expect(headers['x-auth-token']).toBeUndefined();
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a kept-alive connection the target closed as it was reused is replaced, once, by a new one', async () => {
  // The server reads the second request of every connection and closes it without an answer.
  let connections = 0;
  const server = createServer((req, res) => {
    const socket = req.socket as typeof req.socket & { served?: number };
    socket.served = (socket.served ?? 0) + 1;
    if (socket.served > 1) return void socket.destroy();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"snapshots":[]}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v3/p`;
  try {
    const api = apiFor(url);
    for (let i = 0; i < 3; i++) expect((await api.list()).response?.status, `request ${i + 1}`).toBe(200);
    expect(connections).toBe(3);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

/** A clock of the test's own: a wait's pauses pass at once, so what it measures is exact and no machine is too slow. */
function testClock() {
  let t = 1000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** A poll that reports "creating" until `readyAfterMs` after `since` on the clock, then "available"; each poll takes 1 ms. */
function fakeTarget(clock: ReturnType<typeof testClock>, readyAfterMs: number) {
  const since = clock.now();
  let polls = 0;
  const poll = async (): Promise<Exchange> => {
    polls++;
    await clock.sleep(1);
    const state = clock.now() - since >= readyAfterMs ? 'available' : 'creating';
    return { id: `p${polls}`, request: { method: 'GET', url: 'x', headers: {} }, response: { status: 200, headers: {}, body: '', bodyBytes: 0, truncated: false, json: { s: state } }, startedAt: 0, durationMs: 1 };
  };
  return { since, poll, polls: () => polls, stateOf: (e: Exchange) => String((e.response?.json as { s: string }).s) };
}

test('the waiter learns how long a transition takes and polls around that time', async () => {
  const clock = testClock();
  const transitions = new Transitions();
  const spec = { target: 'available', allowed: ['creating'], failed: [], budgetMs: 5000, transition: 'p:ready' };
  const first = fakeTarget(clock, 300);
  const a = await waitForState(first.poll, first.stateOf, { ...spec, since: first.since }, transitions, clock);
  expect(a.observation.outcome).toBe('reached');
  const learned = transitions.typical('p:ready')!;
  expect(learned).toBeGreaterThan(200);
  expect(learned).toBeLessThan(600);
  // Knowing the time, the next wait does not poll from the start: a few polls around it.
  const second = fakeTarget(clock, 300);
  const b = await waitForState(second.poll, second.stateOf, { ...spec, since: second.since }, transitions, clock);
  expect(b.observation.outcome).toBe('reached');
  expect(second.polls()).toBeLessThan(first.polls());
  expect(b.observation.elapsedMs).toBeLessThan(450);
});

test('a transition that timed out once is waited on for a short time only, and the wait says why', async () => {
  const clock = testClock();
  const shared = new Map<string, number>();
  const store = { read: (t: string) => shared.get(t), write: (t: string, ms: number) => void shared.set(t, ms) };
  const spec = { target: 'available', allowed: ['creating'], failed: [], budgetMs: 1500, transition: 'p:ready' };
  const never = fakeTarget(clock, Number.POSITIVE_INFINITY);
  const a = await waitForState(never.poll, never.stateOf, { ...spec, since: never.since }, new Transitions(store), clock);
  expect(a.observation.outcome).toBe('timeout');
  expect(a.observation.elapsedMs).toBeGreaterThanOrEqual(1500);
  expect(a.observation.cutShort).toBeUndefined();
  // Another process of the same run (another Transitions, the same shared store) is told too.
  const again = fakeTarget(clock, Number.POSITIVE_INFINITY);
  const b = await waitForState(again.poll, again.stateOf, { ...spec, budgetMs: 60_000, since: again.since }, new Transitions(store), clock);
  expect(b.observation.outcome).toBe('timeout');
  expect(b.observation.elapsedMs).toBeLessThan(3000);
  expect(b.observation.cutShort).toMatch(/timed out after 1\.5 s earlier in this run/);
});

test('a leftover is waited on for what is left of its budget since its creation, and teaches nothing', async () => {
  const clock = testClock();
  const transitions = new Transitions();
  const spec = { target: 'available', allowed: ['creating'], failed: [], budgetMs: 1500, transition: 'p:ready' };
  // Created 1.2 s ago and still creating: 0.3 s are left of its budget, not another 1.5 s.
  const stuck = fakeTarget(clock, Number.POSITIVE_INFINITY);
  const a = await waitForState(stuck.poll, stuck.stateOf, { ...spec, ageMs: 1200 }, transitions, clock);
  expect(a.observation.outcome).toBe('timeout');
  expect(a.observation.elapsedMs).toBeGreaterThanOrEqual(1500);
  expect(clock.now() - stuck.since).toBeLessThan(1000);
  // Older than its budget: looked at once, then given up.
  const old = fakeTarget(clock, Number.POSITIVE_INFINITY);
  const b = await waitForState(old.poll, old.stateOf, { ...spec, ageMs: 5000 }, transitions, clock);
  expect(b.observation.outcome).toBe('timeout');
  expect(old.polls()).toBe(1);
  // A leftover that is ready at the first look says nothing of how long the change takes.
  const ready = fakeTarget(clock, 0);
  expect((await waitForState(ready.poll, ready.stateOf, { ...spec, ageMs: 800 }, transitions, clock)).observation.outcome).toBe('reached');
  expect(transitions.typical('p:ready')).toBeUndefined();
});

test("a rate limit's reset header, as the profile names it, is waited out: an epoch time, without Retry-After", async () => {
  // DigitalOcean's 429 says in ratelimit-reset the Unix time (seconds) to wait for.
  const reset = String(Math.ceil(Date.now() / 1000) + 1);
  const server = await scripted([{ status: 429, headers: { 'ratelimit-reset': reset }, body: { id: 'too_many_requests', message: 'later' } }, { status: 200, body: { snapshots: [], meta: { total: 0 } } }]);
  try {
    const api = apiFor(server.url.replace('/v3/p', ''), {}, 'digitalocean');
    const exchange = await api.list();
    expect(exchange.response?.status).toBe(200);
    expect(server.requests()).toBe(2);
    // The second request waited for the reset time (a second at most here), not sent at once.
    expect(Date.now()).toBeGreaterThanOrEqual(Number(reset) * 1000 - 50);
  } finally {
    await server.close();
  }
  // Without the profile's reset header, a 429 without Retry-After is the answer (Cinder names none).
  const plain = await scripted([{ status: 429, headers: { 'ratelimit-reset': reset } }, { status: 200 }]);
  try {
    const exchange = await apiFor(plain.url).list();
    expect([exchange.response?.status, plain.requests()]).toEqual([429, 1]);
  } finally {
    await plain.close();
  }
});
