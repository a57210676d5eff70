// The one HTTP client: in a read-only run a write never leaves it; traffic stays on the target's
// origin; "come back later" answers are waited out within bounds; --max-rps spaces requests.
import { test, expect, request } from '@playwright/test';
import { TargetClient, type Target } from '../src/http/client.ts';
import { Redactor } from '../src/http/redact.ts';
import { loadProfile } from '../src/profile/load.ts';

const profile = loadProfile('cinder-v3');
// Port 9 (discard): nothing listens, so what is sent at all fails at the transport.
const target: Target = { profile: profile.id, baseUrl: 'http://127.0.0.1:9/v3/p', token: 'secret-token', requestTimeoutMs: 2000, readOnly: true };

test('a read-only client refuses every write before it is sent, as a defect of the suite', async () => {
  const api = await request.newContext();
  try {
    const client = new TargetClient(api, profile, target, new Redactor([target.token]));
    for (const [op, options] of [
      ['createSnapshot', { body: { snapshot: { volume_id: 'v' } } }],
      ['updateSnapshot', { path: { snapshot_id: 's' }, body: { snapshot: { name: 'n' } } }],
      ['deleteSnapshot', { path: { snapshot_id: 's' } }],
      ['mergeSnapshotMetadata', { path: { snapshot_id: 's' }, body: { metadata: {} } }],
    ] as const) {
      await expect(client.call(op, options as never)).rejects.toThrow(/read-only run: the suite tried to send (POST|PUT|DELETE) .* \(a defect of the suite/);
    }
    // A read goes out (and, nothing listening, comes back as a transport error, not a refusal).
    const read = await client.call('listSnapshots');
    expect(read.error).toBeDefined();
  } finally {
    await api.dispose();
  }
});

test('the client sends nothing off the target origin', async () => {
  const api = await request.newContext();
  try {
    const client = new TargetClient(api, profile, { ...target, readOnly: false }, new Redactor([target.token]));
    await expect(client.send('GET', 'http://127.0.0.2:9/v3/p/snapshots')).rejects.toThrow(/off the target's origin/);
  } finally {
    await api.dispose();
  }
});

/** A server that answers from a script, one answer per request, and counts what it got. */
async function scripted(answers: Array<{ status: number; headers?: Record<string, string> }>) {
  const { createServer } = await import('node:http');
  let n = 0;
  const server = createServer((_req, res) => {
    const a = answers[Math.min(n++, answers.length - 1)]!;
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(JSON.stringify(a.status < 400 ? { snapshots: [] } : { overLimit: { code: a.status, message: 'later' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v3/p`, requests: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a short Retry-After on 429, 503 or 413 is waited out; a long one is not', async () => {
  const api = await request.newContext();
  const server = await scripted([{ status: 503, headers: { 'Retry-After': '1' } }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
  const slow = await scripted([{ status: 503, headers: { 'Retry-After': '3600' } }, { status: 200 }]);
  try {
    const client = new TargetClient(api, profile, { ...target, baseUrl: server.url, readOnly: false }, new Redactor([]));
    const seen: number[] = [];
    client.onExchange((e) => seen.push(e.response?.status ?? 0));
    const started = Date.now();
    const answer = await client.call('listSnapshots');
    expect(answer.response?.status).toBe(200);
    expect(seen).toEqual([503, 429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);

    const impatient = new TargetClient(api, profile, { ...target, baseUrl: slow.url, readOnly: false }, new Redactor([]));
    expect((await impatient.call('listSnapshots')).response?.status).toBe(503);
    expect(slow.requests()).toBe(1);
  } finally {
    await Promise.all([server.close(), slow.close(), api.dispose()]);
  }
});

test('--max-rps spaces the requests of a process', async () => {
  const api = await request.newContext();
  const server = await scripted([{ status: 200 }]);
  try {
    const client = new TargetClient(api, profile, { ...target, baseUrl: server.url, readOnly: false, minIntervalMs: 100 }, new Redactor([]));
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => client.call('listSnapshots')));
    expect(server.requests()).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
  } finally {
    await Promise.all([server.close(), api.dispose()]);
  }
});
