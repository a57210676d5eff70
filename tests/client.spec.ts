// The one HTTP client: in a read-only run a write never leaves it; traffic stays on the target's origin.
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
