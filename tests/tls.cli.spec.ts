// TLS client certificates: a target that asks for one gets the certificate given with
// --client-cert and --client-key, and its own certificate is trusted through --ca-cert. Without
// them the target cannot be reached at all: exit 2, never a verdict. The certificates are made
// here, with openssl, for 127.0.0.1.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl, loadProfile } from '../src/profile/load.ts';
import { startProfileServer } from '../src/servers/profile/index.ts';
import { cli } from './support/run-suite.ts';

const PROFILE = 'digitalocean';
const TOKEN = 'tls-token';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA. */
function certificates(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=sc-test-ca');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2', ...(who === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.pem'), cert: read('server.pem'), key: read('server.key') };
}

test('a target that asks for a client certificate: the run presents it and trusts the target through the CA given', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-tls-'));
  const server = await startProfileServer(loadProfile(PROFILE), { token: TOKEN, tls: certificates(dir) });
  try {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const base = ['run', '--profile', PROFILE, '--base-url', embeddedBaseUrl(PROFILE, server.url), '--token', TOKEN, '--examples', '3', '--seed', '5'];
    const withCerts = await cli([...base, '--report-dir', join(dir, 'r1'), '--client-cert', join(dir, 'client.pem'), '--client-key', join(dir, 'client.key'), '--ca-cert', join(dir, 'ca.pem')]);
    expect(withCerts.code, withCerts.stdout.slice(-1500) + withCerts.stderr).toBe(0);
    expect(withCerts.stdout).toMatch(/digitalocean: conformant/);
    // No client certificate: the handshake is refused before any answer: nothing to judge.
    const without = await cli([...base, '--report-dir', join(dir, 'r2'), '--ca-cert', join(dir, 'ca.pem')]);
    expect(without.code).toBe(2);
    expect(without.stderr.trim().split('\n')).toHaveLength(1);
    expect(without.stderr).toMatch(/unreachable.*asks for a client certificate: give --client-cert and --client-key/);
    expect(server.stats().requests).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});

test('certificate options that cannot be used are exit 2 with one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-tls-bad-'));
  writeFileSync(join(dir, 'not.pem'), 'hello');
  const base = ['run', '--profile', PROFILE, '--base-url', 'https://127.0.0.1:9/v2', '--token', TOKEN];
  const missing = await cli([...base, '--ca-cert', join(dir, 'absent.pem')]);
  expect([missing.code, missing.stderr.trim()]).toEqual([2, expect.stringMatching(/^snapshot-conformance: --ca-cert: cannot read .*absent\.pem/)]);
  const notPem = await cli([...base, '--client-cert', join(dir, 'not.pem'), '--client-key', join(dir, 'not.pem')]);
  expect([notPem.code, notPem.stderr.trim()]).toEqual([2, expect.stringMatching(/--client-cert: .*not\.pem is not PEM/)]);
  writeFileSync(join(dir, 'c.pem'), '-----BEGIN CERTIFICATE-----\n');
  const alone = await cli([...base, '--client-cert', join(dir, 'c.pem')]);
  expect([alone.code, alone.stderr.trim()]).toEqual([2, 'snapshot-conformance: --client-cert and --client-key go together: give both']);
});
