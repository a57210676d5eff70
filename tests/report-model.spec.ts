// The report's model, without a browser: the grouping of findings by cause, the curl command that
// replays an exchange (run through bash to see the words it really sends), the bounded occurrences
// of a finding, and what profileResults makes of them (results.json carries all of it).
import { test, expect } from '@playwright/test';
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Finding, StoredExchange, TestRecord, Timing } from '../src/findings/types.ts';
import { Judge } from '../src/findings/judge.ts';
import { noteOccurrence, OCCURRENCE_LIMITS } from '../src/findings/occurrences.ts';
import { REDACTED } from '../src/http/redact.ts';
import { loadProfile } from '../src/profile/load.ts';
import { validatorsFor } from '../src/validate/validators.ts';
import { faultNameOf, groupCauses, HINTS, pathTemplate, type CauseFinding } from '../src/report/causes.ts';
import { curlCommand, headerVariable, shellWord, variablesOf } from '../src/report/curl.ts';
import { profileResults, resultsJson } from '../src/report/results.ts';

const BASE = 'http://127.0.0.1:8776/v3/p';
const SNAP = '4f1c6a52-2f0c-4a43-9f4b-3b8a2f1d9c11';

function ex(id: string, method: string, path: string, status: number | undefined, extra: Partial<StoredExchange> & { body?: unknown } = {}): StoredExchange {
  const { body, ...rest } = extra;
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    id,
    request: { method, url: `${BASE}${path}`, headers: { Accept: 'application/json', 'X-Auth-Token': REDACTED } },
    response: status === undefined ? undefined : { status, headers: { 'content-type': 'application/json' }, body: text, bodyBytes: text.length, truncated: false },
    error: status === undefined ? 'connection reset' : undefined,
    startedAt: 0,
    durationMs: 1,
    ...rest,
  };
}

const fault = (name: string, code: number) => ({ [name]: { code, message: 'm' } });
const map = (...list: StoredExchange[]) => new Map(list.map((e) => [e.id, e]));
const f = (clause: string, exchanges: string[], title = `${clause} failed`, check = 'status.documented'): CauseFinding => ({ clause, check, title, exchanges });

test.describe('grouping findings by cause', () => {
  const schema = (clause: string, exchanges: string[], title: string, operations: string[]): CauseFinding => ({ clause, check: 'body.schema', title, exchanges, operations });
  const refusal = (clause: string, exchanges: string[], title: string, contexts: string[] = []): CauseFinding => ({ clause, check: 'refusal.status', title, exchanges, contexts });

  test('one member broken the same way is one cause across clauses and operations, titled in words', () => {
    const exchanges = map(ex('a', 'GET', '/snapshots', 200, { operation: 'listSnapshots' }), ex('b', 'POST', '/snapshots', 202, { operation: 'createSnapshot' }), ex('c', 'GET', `/snapshots/${SNAP}`, 200, { operation: 'showSnapshot' }));
    const { causes, causeOf } = groupCauses([schema('CV3-API-01', ['a'], '`size` is missing', ['listSnapshots']), schema('CV3-API-03', ['b'], '`size` is missing', ['createSnapshot']), schema('CV3-API-04', ['c'], '`size` is missing', ['showSnapshot'])], { exchanges });
    expect(causes).toEqual([{ id: 'cause-1', title: '`size` is missing (in the answers of listSnapshots, createSnapshot and showSnapshot)', clauses: ['CV3-API-01', 'CV3-API-03', 'CV3-API-04'], findings: 3 }]);
    expect(causeOf).toEqual(['cause-1', 'cause-1', 'cause-1']);
  });

  test('two defects on one request are two causes: sharing an exchange joins nothing', () => {
    const exchanges = map(ex('a', 'POST', '/snapshots', 200, { operation: 'createSnapshot' }));
    const findings = [schema('CV3-API-03', ['a'], '`size` is missing', ['createSnapshot']), { clause: 'CV3-API-03', check: 'status.expected', title: 'answered 200 instead of 202', exchanges: ['a'], operations: ['createSnapshot'] }, schema('CV3-API-03', ['a'], '`status` is not one of the documented values ("creating")', ['createSnapshot'])];
    const { causes } = groupCauses(findings, { exchanges });
    expect(causes.map((c) => c.title).sort()).toEqual(['`size` is missing (in the answers of createSnapshot)', '`status` is not one of the documented values ("creating") (in the answers of createSnapshot)', 'createSnapshot: answered 200 instead of 202']);
  });

  test('an undocumented status goes with the defect its request shows, and two 500s to different bodies stay two causes', () => {
    const c500 = (id: string) => ex(id, 'POST', '/snapshots', 500, { operation: 'createSnapshot', purpose: 'negative' as const, body: fault('computeFault', 500) });
    const exchanges = map(c500('a'), c500('b'));
    const findings: CauseFinding[] = [
      refusal('CV3-ERR-05', ['a'], 'server error (500) instead of a refusal', ['createSnapshot with a body that is not JSON']),
      refusal('CV3-ERR-06', ['b'], 'server error (500) instead of a refusal', ['createSnapshot with snapshot without its required member volume_id']),
      { clause: 'CV3-API-03', check: 'status.documented', title: 'undocumented status 500', exchanges: ['a', 'b'], operations: ['createSnapshot'] },
    ];
    const { causes, causeOf } = groupCauses(findings, { exchanges });
    expect(causes.map((c) => [c.title, c.clauses])).toEqual([
      ['createSnapshot with a body that is not JSON: server error (500 computeFault) instead of a refusal', ['CV3-ERR-05', 'CV3-API-03']],
      ['createSnapshot with snapshot without its required member volume_id: server error (500 computeFault) instead of a refusal', ['CV3-ERR-06', 'CV3-API-03']],
    ]);
    expect(causeOf).toEqual(['cause-1', 'cause-2', 'cause-1']);
  });

  test('the same answer to a request without a body is one defect, whichever clause met it', () => {
    const show500 = (id: string, purpose?: 'negative') => ex(id, 'GET', `/snapshots/${SNAP}`, 500, { operation: 'showSnapshot', purpose, body: fault('computeFault', 500) });
    const exchanges = map(show500('a', 'negative'), show500('b'), ex('c', 'GET', `/snapshots/${SNAP}`, 500, { operation: 'showSnapshot', body: fault('itemNotFound', 500) }));
    const template = () => '/snapshots/{snapshot_id}';
    const findings: CauseFinding[] = [
      { ...refusal('CV3-ERR-04', ['a'], 'server error (500) instead of a refusal'), clauseTitle: 'An unknown snapshot is 404', operations: ['showSnapshot'] },
      { clause: 'CV3-LIFE-06', clauseTitle: 'A deleted snapshot is gone', check: 'state.reached', title: 'went to HTTP 500 instead of gone', exchanges: ['b'] },
      // Another fault name is another answer.
      { clause: 'CV3-LIFE-08', check: 'state.reached', title: 'went to HTTP 500 instead of gone', exchanges: ['c'] },
    ];
    const { causes } = groupCauses(findings, { exchanges, template });
    expect(causes.map((c) => [c.title, c.clauses])).toEqual([
      ['An unknown snapshot is 404: server error (500 computeFault) instead of a refusal (showSnapshot)', ['CV3-ERR-04', 'CV3-LIFE-06']],
      ['went to HTTP 500 instead of gone', ['CV3-LIFE-08']],
    ]);
  });

  test('where requests as documented get the server error too, it is one defect whatever the bodies', () => {
    const c500 = (id: string, purpose?: 'negative') => ex(id, 'POST', '/snapshots', 500, { operation: 'createSnapshot', purpose, body: fault('computeFault', 500) });
    const exchanges = map(c500('a'), c500('b', 'negative'), c500('c', 'negative'));
    const findings: CauseFinding[] = [
      { clause: 'CV3-API-03', check: 'status.expected', title: 'answered 500 instead of 202', exchanges: ['a'], operations: ['createSnapshot'] },
      refusal('CV3-ERR-05', ['b'], 'server error (500) instead of a refusal'),
      refusal('CV3-ERR-06', ['c'], 'server error (500) instead of a refusal'),
    ];
    const { causes } = groupCauses(findings, { exchanges });
    expect(causes.map((c) => [c.title, c.clauses])).toEqual([['createSnapshot: answered 500 instead of 202 (computeFault)', ['CV3-API-03', 'CV3-ERR-05', 'CV3-ERR-06']]]);
  });

  test('error answers out of the envelope are one cause, whatever the members', () => {
    const exchanges = map(ex('a', 'GET', '/snapshots', 400, { body: { message: 'm', code: 'EVS.1' } }), ex('b', 'POST', '/snapshots', 404, { body: { message: 'm', code: 'EVS.2' } }));
    const env = (title: string, exchanges: string[]): CauseFinding => ({ clause: 'EVS-ERR-01', check: 'envelope.shape', title, exchanges });
    const { causes } = groupCauses([env('error envelope: an undocumented member `message`', ['a', 'b']), env('error envelope: `code` is a string, not an object', ['a', 'b'])], { exchanges });
    expect(causes.map((c) => [c.title, c.findings])).toEqual([['error answers are not in the documented envelope: an undocumented member `message`; `code` is a string, not an object', 2]]);
  });

  test('requests without a valid token that succeed are one cause, "authentication is off", whatever their statuses', () => {
    const exchanges = map(
      ex('a', 'GET', '/snapshots', 200, { purpose: 'auth' as const, operation: 'listSnapshots' }),
      ex('b', 'POST', '/snapshots', 202, { purpose: 'auth' as const, operation: 'createSnapshot' }),
      ex('c', 'GET', '/snapshots', 200, { operation: 'listSnapshots' }),
      ex('d', 'DELETE', `/snapshots/${SNAP}`, 400, { purpose: 'auth' as const, operation: 'deleteSnapshot', body: fault('badRequest', 400) }),
    );
    const { causes } = groupCauses(
      [refusal('CV3-AUTH-01', ['a'], 'accepted (200) instead of refused'), refusal('CV3-AUTH-02', ['b'], 'accepted (202) instead of refused'), schema('CV3-API-01', ['c'], '`size` is missing', ['listSnapshots']), refusal('CV3-AUTH-02', ['d'], 'refused with 400 instead of 401')],
      { exchanges },
    );
    const off = causes.find((c) => c.hint === HINTS.authOff)!;
    expect(off.clauses).toEqual(['CV3-AUTH-01', 'CV3-AUTH-02']);
    // The probe answered 400 by the operation itself went through too: the same cause.
    expect(off.findings).toBe(3);
    expect(causes.find((c) => c.clauses.includes('CV3-API-01'))?.hint).toBeUndefined();
    expect(causes).toHaveLength(2);
  });

  test('a probe refused with the wrong status, on a target that refuses every probe, is a cause of its own', () => {
    const exchanges = map(ex('d', 'DELETE', `/snapshots/${SNAP}`, 400, { purpose: 'auth' as const, operation: 'deleteSnapshot', body: fault('badRequest', 400) }), ex('e', 'GET', '/snapshots', 403, { purpose: 'auth' as const }));
    const { causes } = groupCauses([refusal('CV3-AUTH-02', ['d'], 'refused with 400 instead of 401'), refusal('CV3-AUTH-01', ['e'], 'refused with 403 instead of 401')], { exchanges });
    expect(causes.map((c) => [c.clauses, c.hint])).toEqual([[['CV3-AUTH-02'], undefined], [['CV3-AUTH-01'], undefined]]);
  });

  test('every request answering 404 points at the base URL', () => {
    const exchanges = map(ex('a', 'GET', '/snapshots', 404, { operation: 'listSnapshots' }), ex('b', 'POST', '/snapshots', 404, { operation: 'createSnapshot' }));
    const all404: Timing[] = [{ operation: 'listSnapshots', status: 404, ms: 1 }, { operation: 'createSnapshot', status: 404, ms: 1 }];
    const findings = [f('CV3-API-01', ['a']), f('CV3-API-03', ['b'])];
    // Two request patterns, one known cause.
    expect(groupCauses(findings, { exchanges, timings: all404 }).causes.map((c) => [c.hint, c.clauses])).toEqual([[HINTS.baseUrl, ['CV3-API-01', 'CV3-API-03']]]);
    // One request that did not answer 404 and the hint is gone (an unknown id is 404 on a good URL too).
    const some: Timing[] = [...all404, { operation: 'listSnapshots', status: 200, ms: 1 }];
    expect(groupCauses(findings, { exchanges, timings: some }).causes.every((c) => c.hint === undefined)).toBe(true);
  });

  test('creates failing on the server side, with no create succeeding, point at the parent volume', () => {
    const exchanges = map(ex('a', 'POST', '/snapshots', 500, { operation: 'createSnapshot', body: fault('computeFault', 500) }));
    const creates = (statuses: number[]): Timing[] => statuses.map((status) => ({ operation: 'createSnapshot', status, ms: 1 }));
    const ctx = { exchanges, createOperation: 'createSnapshot' };
    expect(groupCauses([f('CV3-API-03', ['a'])], { ...ctx, timings: creates([500, 500, 400, 401]) }).causes[0]!.hint).toBe(HINTS.parent);
    // A create that succeeded clears the parent: the 500 is the request's own (a missing volume_id, say).
    expect(groupCauses([f('CV3-API-03', ['a'])], { ...ctx, timings: creates([500, 202]) }).causes[0]!.hint).toBeUndefined();
  });

  test('a finding without exchanges is a cause of its own, named by its title', () => {
    const { causes } = groupCauses([f('CV3-LIFE-02', [], 'never became available'), f('CV3-LIFE-06', [], 'never gone')], { exchanges: new Map() });
    expect(causes.map((c) => c.title)).toEqual(['never became available', 'never gone']);
  });

  test('fault names: Cinder wrapper keys, EVS and DWS codes; none for other bodies', () => {
    expect(faultNameOf(ex('a', 'GET', '/x', 500, { body: fault('computeFault', 500) }))).toBe('computeFault');
    expect(faultNameOf(ex('a', 'GET', '/x', 400, { body: { error: { code: 'EVS.0001', message: 'm' } } }))).toBe('EVS.0001');
    expect(faultNameOf(ex('a', 'GET', '/x', 403, { body: { error_code: 'DWS.0015', error_msg: 'm' } }))).toBe('DWS.0015');
    expect(faultNameOf(ex('a', 'GET', '/x', 200, { body: { snapshot: { id: SNAP, name: 'n' } } }))).toBeUndefined();
    expect(faultNameOf(ex('a', 'GET', '/x', 500))).toBeUndefined();
    expect(pathTemplate(`${BASE}/snapshots/${SNAP}/metadata/color?x=1`)).toBe('/v3/p/snapshots/{id}/metadata/color');
  });
});

/** The words bash passes to curl when it runs the command, with $SC_TOKEN set. */
function wordsOf(command: string, token = 'the-real-token'): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
  const out = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH, SC_TOKEN: token }, encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.split('\0').slice(0, -1);
}

const headersIn = (words: string[]) => words.flatMap((w, i) => (words[i - 1] === '-H' ? [w] : []));

test.describe('the replay command', () => {
  test("the run's token (stored redacted) is sent as $SC_TOKEN", () => {
    const words = wordsOf(curlCommand(ex('a', 'PUT', `/snapshots/${SNAP}/metadata`, 200, { request: { method: 'PUT', url: `${BASE}/snapshots/${SNAP}/metadata`, headers: { 'X-Auth-Token': REDACTED, 'Content-Type': 'application/json' }, body: `{"metadata":{"it's":"a \\"quote\\" $HOME"}}` } })));
    expect(words.slice(0, 4)).toEqual(['-i', '-X', 'PUT', `${BASE}/snapshots/${SNAP}/metadata`]);
    expect(headersIn(words)).toEqual(['X-Auth-Token: the-real-token', 'Content-Type: application/json']);
    expect(words.at(-1)).toBe(`{"metadata":{"it's":"a \\"quote\\" $HOME"}}`);
  });

  test('a request sent without a token is replayed without one', () => {
    const words = wordsOf(curlCommand(ex('a', 'GET', '/snapshots', 200, { purpose: 'auth' as const, request: { method: 'GET', url: `${BASE}/snapshots`, headers: { Accept: 'application/json' } } })));
    expect(headersIn(words)).toEqual(['Accept: application/json']);
    expect(curlCommand(ex('a', 'GET', '/snapshots', 200, { request: { method: 'GET', url: `${BASE}/snapshots`, headers: {} } }))).not.toContain('SC_TOKEN');
  });

  test('an invalid token is replayed literally, as the suite sent it', () => {
    const bad = 'invalid-0b6e9d3c-7e51-4c1e-9a55-1d1f2f0f8e21';
    const command = curlCommand(ex('a', 'GET', '/snapshots', 200, { purpose: 'auth' as const, request: { method: 'GET', url: `${BASE}/snapshots`, headers: { 'X-Auth-Token': bad } } }));
    expect(command).not.toContain('SC_TOKEN');
    expect(headersIn(wordsOf(command))).toEqual([`X-Auth-Token: ${bad}`]);
  });

  test('the token inside a value, a URL (percent-encoded) or a body becomes $SC_TOKEN there too', () => {
    const e = ex('a', 'GET', '/x', 200, { request: { method: 'POST', url: `${BASE}/x?token=${encodeURIComponent(REDACTED)}`, headers: { Authorization: `Bearer ${REDACTED}` }, body: `{"t":"${REDACTED}"}` } });
    const words = wordsOf(curlCommand(e), 'tok');
    expect(words[3]).toBe(`${BASE}/x?token=tok`);
    expect(headersIn(words)).toEqual(['Authorization: Bearer tok']);
    expect(words.at(-1)).toBe('{"t":"tok"}');
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });
});

test.describe('the replay command behind a gateway', () => {
  /** Runs a replay command with curl, as a reader would with the variables set; resolves to the status it got. */
  const replay = (command: string) =>
    new Promise<string>((resolve) => {
      const script = command.replace('curl -i', 'curl -s -o /dev/null -w "%{http_code}"');
      execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, SC_TOKEN: 'the-token', SC_HEADER_X_GATEWAY_KEY: 'gateway-secret' } }, (_error, stdout) => resolve(stdout));
    });

  test('a --header value is a variable of its own: the gateway gets its key, the API its token', async () => {
    // A gateway in front of the API: its key and the token, each checked in the header it belongs to.
    const server = createServer((req, res) => {
      const ok = req.headers['x-gateway-key'] === 'gateway-secret' && req.headers['x-auth-token'] === 'the-token';
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' }).end(ok ? '{"snapshots":[]}' : '{"forbidden":{}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/p/snapshots`;
      const stored = ex('a', 'GET', '/snapshots', 200, { request: { method: 'GET', url, headers: { Accept: 'application/json', 'X-Gateway-Key': REDACTED, 'X-Auth-Token': REDACTED } } });
      const command = curlCommand(stored, ['X-Gateway-Key']);
      expect(headerVariable('X-Gateway-Key')).toBe('SC_HEADER_X_GATEWAY_KEY');
      expect(variablesOf(command)).toEqual(['SC_HEADER_X_GATEWAY_KEY', 'SC_TOKEN']);
      expect(await replay(command)).toBe('200');
      // Without the run's header names, the gateway's key is sent as the token: refused.
      expect(await replay(curlCommand(stored))).toBe('403');
    } finally {
      server.close();
    }
  });
});

test.describe('occurrences of a finding', () => {
  const finding = (): Finding => ({ clause: 'X-A-01', check: 'c', outcome: 'fail', count: 1, title: 't', context: 'first', exchanges: ['e0'] });

  test('each place is listed with its exchanges, within bounds, and what was left out is counted', () => {
    const fnd = finding();
    const L = OCCURRENCE_LIMITS;
    expect(noteOccurrence(fnd, 'first', ['e0', 'e1', 'e2', 'e3'])).toEqual(['e1', 'e2']);
    expect(fnd.occurrences).toEqual([{ context: 'first', count: 2, exchanges: ['e0', 'e1', 'e2'] }]);
    expect(fnd.exchangesNotKept).toBe(1);
    for (let i = 0; i < L.occurrencesPerFinding + 5; i++) noteOccurrence(fnd, `place ${i}`, [`p${i}`]);
    expect(fnd.occurrences).toHaveLength(L.occurrencesPerFinding);
    expect(fnd.occurrencesNotListed).toBe(6);
    expect(fnd.occurrences!.reduce((n, o) => n + o.exchanges.length, 0)).toBe(L.exchangesPerFinding);
    expect(fnd.occurrences!.reduce((n, o) => n + o.count, 0) + fnd.occurrencesNotListed!).toBe(2 + L.occurrencesPerFinding + 5);
  });

  test('the Judge keeps every place a repeated failure was made, and the exchanges that show it', async () => {
    const profile = loadProfile('cinder-v3');
    const judge = new Judge(profile, validatorsFor(profile));
    const accepted = { id: 'always-fails', summary: 's', judge: () => [{ title: 'accepted (200) instead of refused', expected: '401', actual: '200' }] };
    const probes = ['listSnapshots', 'showSnapshot', 'deleteSnapshot'].map((op, i) => ({ ...ex(`w-${i}`, 'GET', '/snapshots', 200, { purpose: 'auth' as const }), operation: op }));
    for (const e of probes) await judge.step(`${e.operation} with no token`, async () => judge.check(accepted, 'CV3-AUTH-01', {}, [e as any]));
    const record = judge.record();
    const [found] = record.findings.filter((x) => x.outcome === 'fail');
    expect(found!.count).toBe(3);
    expect(found!.occurrences!.map((o) => [o.context, o.exchanges])).toEqual(probes.map((e) => [`${e.operation} with no token`, [e.id]]));
    expect(record.exchanges.map((e) => e.id).sort()).toEqual(['w-0', 'w-1', 'w-2']);
  });
});

test.describe('results', () => {
  const profile = loadProfile('cinder-v3');
  const probe = (i: number, op: string) => ({ ...ex(`w${i}`, 'GET', '/snapshots', 200, { purpose: 'auth' as const }), operation: op });
  const record = (findings: Finding[], exchanges: StoredExchange[], timings: Timing[] = []): TestRecord => ({ profile: profile.id, findings, exchanges, timings, states: [] });
  const fail = (clause: string, title: string, context: string, exchanges: string[], check = 'refusal.status'): Finding => ({
    clause, check, outcome: 'fail', count: 1, title, expected: '401', actual: '200', context, exchanges, occurrences: [{ context, count: 1, exchanges }],
  });
  const created = ex('c1', 'POST', '/snapshots', 500, { operation: 'createSnapshot', body: fault('computeFault', 500) });
  const results = profileResults({
    profile,
    target: BASE,
    seed: 1,
    startedAt: new Date(0),
    durationMs: 10,
    profileDurationMs: 7,
    expectations: [],
    errors: [],
    records: [
      record([fail('CV3-AUTH-01', 'accepted (200) instead of refused', 'listSnapshots with no token', ['w1'])], [probe(1, 'listSnapshots')]),
      record([fail('CV3-AUTH-01', 'accepted (200) instead of refused', 'showSnapshot with no token', ['w2'])], [probe(2, 'showSnapshot')]),
      record(
        [fail('CV3-API-03', 'undocumented status 500', 'createSnapshot without volume_id', ['c1'], 'status.documented'), fail('CV3-ERR-06', 'server error (500) instead of a refusal', 'createSnapshot without volume_id', ['c1'])],
        [created],
        [{ operation: 'createSnapshot', status: 500, ms: 1 }, { operation: 'createSnapshot', status: 202, ms: 1 }],
      ),
    ],
  });
  const clause = (id: string) => results.clauses.find((c) => c.id === id)!;

  test('a failure made by several tests is one finding listing every place, with its exchanges stored', () => {
    const [merged] = clause('CV3-AUTH-01').findings;
    expect(merged!.count).toBe(2);
    expect(merged!.occurrences.map((o) => [o.context, o.exchanges])).toEqual([['listSnapshots with no token', ['w1']], ['showSnapshot with no token', ['w2']]]);
    expect(results.exchanges.map((e) => e.id).sort()).toEqual(['c1', 'w1', 'w2']);
  });

  test('findings on the same exchange name each other, and share a cause; the summary counts causes', () => {
    expect(clause('CV3-API-03').findings[0]!.sameExchangeAs).toEqual(['CV3-ERR-06']);
    expect(clause('CV3-ERR-06').findings[0]!.sameExchangeAs).toEqual(['CV3-API-03']);
    expect(clause('CV3-AUTH-01').findings[0]!.sameExchangeAs).toBeUndefined();
    expect(results.causes.map((c) => c.clauses)).toEqual([['CV3-API-03', 'CV3-ERR-06'], ['CV3-AUTH-01']]);
    expect(results.causes[1]!.hint).toBe(HINTS.authOff);
    expect(results.summary.causes).toBe(2);
    expect(clause('CV3-ERR-06').findings[0]!.cause).toBe('cause-1');
  });

  test('results.json carries causes, occurrences, the checks named, the vendor pages and the profile duration', () => {
    const json = JSON.parse(JSON.stringify(resultsJson(results)));
    expect(json.causes).toEqual(results.causes);
    expect(json.summary.causes).toBe(2);
    expect(json.profileDurationMs).toBe(7);
    expect(json.checks.map((c: any) => c.id).sort()).toEqual(['refusal.status', 'status.documented']);
    expect(json.checks.every((c: any) => c.summary.length > 0)).toBe(true);
    expect(json.clauses.every((c: any) => /^https:\/\//.test(c.url))).toBe(true);
    expect(json.clauses.find((c: any) => c.id === 'CV3-AUTH-01').findings[0].occurrences).toHaveLength(2);
  });
});

test('every clause of every profile names a vendor page over https', () => {
  for (const id of ['cinder-v2', 'cinder-v3', 'huawei-evs', 'ntt-ecl', 'huawei-dws']) {
    for (const c of loadProfile(id).clauseFile.clauses) expect(c.url, `${id} ${c.id}`).toMatch(/^https:\/\/(docs\.openstack\.org|support\.huaweicloud\.com|ecl\.ntt\.com)\//);
  }
});
