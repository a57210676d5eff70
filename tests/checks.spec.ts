// Self-tests of the checks: each check holds on one recorded input and fails on another that is
// wrong in exactly the way the check is about. No check can be vacuous: the last test makes sure
// every check of the suite has its pair here.
import { test, expect } from '@playwright/test';
import { allChecks } from '../src/checks/index.ts';
import { isNotApplicable, type Check } from '../src/checks/check.ts';
import { Judge } from '../src/findings/judge.ts';
import type { Finding } from '../src/findings/types.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { loadProfile, operation } from '../src/profile/load.ts';
import { validatorsFor } from '../src/validate/validators.ts';
import { pythonStrip } from '../src/util/normalize.ts';

const profile = loadProfile('cinder-v3');
const validators = validatorsFor(profile);
const op = (id: string) => operation(profile, id);
const FAULT = '#/components/schemas/Fault';
const ID = '4f1c6a52-2f0c-4a43-9f4b-3b8a2f1d9c11';
const VOL = '5aa119a8-d25b-45a7-8d1b-88e127885635';

/** A recorded exchange, as the client would store it. */
function ex(status: number, body: unknown, headers: Record<string, string> = {}, url = `http://127.0.0.1:1/v3/p/snapshots`): Exchange {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    id: 'x-1',
    request: { method: 'GET', url, headers: {} },
    response: { status, headers: { 'content-type': 'application/json', ...headers }, body: text, bodyBytes: text.length, truncated: false, json },
    startedAt: 0,
    durationMs: 1,
  };
}

const versionHeaders = { 'openstack-api-version': 'volume 3.0', 'x-openstack-request-id': `req-${ID}` };
const snapshot = (extra: Record<string, unknown> = {}) => ({
  id: ID,
  status: 'available',
  name: 'n',
  description: null,
  created_at: '2026-11-23T19:52:41.174506',
  updated_at: null,
  volume_id: VOL,
  size: 1,
  metadata: {},
  ...extra,
});

const cases: Record<string, { pass: unknown; fail: unknown }> = {
  'status.expected': { pass: { exchange: ex(202, {}), expected: [202] }, fail: { exchange: ex(200, {}), expected: [202] } },
  'status.accepted': { pass: { exchange: ex(200, {}) }, fail: { exchange: ex(400, {}) } },
  'status.documented': {
    pass: { exchange: ex(202, {}), operation: op('createSnapshot'), validators },
    fail: { exchange: ex(500, {}), operation: op('createSnapshot'), validators },
  },
  'body.schema': {
    pass: { exchange: ex(200, { snapshot: snapshot() }), operation: op('updateSnapshot'), validators },
    fail: { exchange: ex(200, { snapshot: snapshot({ size: '1' }) }), operation: op('updateSnapshot'), validators },
  },
  'content-type.json': { pass: { exchange: ex(200, { a: 1 }) }, fail: { exchange: ex(200, { a: 1 }, { 'content-type': 'text/plain' }) } },
  'headers.documented': {
    pass: { exchange: ex(200, { snapshots: [] }, versionHeaders), operation: op('listSnapshots'), validators },
    fail: { exchange: ex(200, { snapshots: [] }, { 'openstack-api-version': 'volume 3.0' }), operation: op('listSnapshots'), validators },
  },
  'busy.retried': {
    pass: { exchange: { ...ex(200, {}), attempt: 3 }, busyStatus: 409, attempts: 10 },
    fail: { exchange: { ...ex(409, { api_error_message: 'Tenant is busy' }), attempt: 10 }, busyStatus: 409, attempts: 10 },
  },
  'envelope.shape': {
    pass: { exchange: ex(404, { itemNotFound: { code: 404, message: 'gone' } }), validators, schemaPointer: FAULT },
    fail: { exchange: ex(404, { itemNotFound: { code: 404 } }), validators, schemaPointer: FAULT },
  },
  'envelope.code': {
    pass: { exchange: ex(404, { itemNotFound: { code: 404, message: 'gone' } }), at: '/*/code' },
    fail: { exchange: ex(404, { itemNotFound: { code: 400, message: 'gone' } }), at: '/*/code' },
  },
  'envelope.name': {
    pass: { exchange: ex(404, { itemNotFound: { code: 404, message: 'x' } }), byStatus: { '404': ['itemNotFound'] }, otherwise: ['computeFault'] },
    fail: { exchange: ex(404, { badRequest: { code: 404, message: 'x' } }), byStatus: { '404': ['itemNotFound'] }, otherwise: ['computeFault'] },
  },
  'refusal.status': {
    pass: { exchange: ex(400, { badRequest: { code: 400, message: 'x' } }), operation: op('createSnapshot'), kind: 'invalid-body' },
    fail: { exchange: ex(202, { snapshot: snapshot() }), operation: op('createSnapshot'), kind: 'invalid-body' },
  },
  'resource.fields': {
    pass: { resource: { name: 'a b' }, expected: [{ field: 'name', value: ' a b\u001f', clause: 'C' }], where: 'show', normalize: pythonStrip, normalizedFields: ['name'] },
    fail: { resource: { name: '\ufeffa b' }, expected: [{ field: 'name', value: ' a b', clause: 'C' }], where: 'show', normalize: pythonStrip, normalizedFields: ['name'] },
  },
  'list.membership': { pass: { ids: [ID, 'b'], id: ID, shouldBe: true, list: 'list' }, fail: { ids: [ID], id: ID, shouldBe: false, list: 'list' } },
  'state.reached': {
    pass: { observation: { seen: ['creating', 'available'], outcome: 'reached', elapsedMs: 120, budgetMs: 1000 }, target: 'available', allowedOnTheWay: ['creating'] },
    fail: { observation: { seen: ['creating'], outcome: 'timeout', elapsedMs: 1000, budgetMs: 1000 }, target: 'available', allowedOnTheWay: ['creating'] },
  },
  'state.initial': { pass: { status: 'creating', allowed: ['creating', 'available'], where: 'create' }, fail: { status: 'error', allowed: ['creating', 'available'], where: 'create' } },
  'resource.id': { pass: { json: { snapshot: { id: ID } }, id: ID, pointer: '/snapshot/id' }, fail: { json: { snapshot: {} }, id: undefined, pointer: '/snapshot/id' } },
  'resource.none-created': { pass: { found: [], name: 'n' }, fail: { found: [ID], name: 'n' } },
  'list.limit': { pass: { count: 2, limit: 2 }, fail: { count: 3, limit: 2 } },
  'list.next-url': {
    pass: { href: 'http://127.0.0.1:1/v2/snapshots?page=2&per_page=2', due: true, requestUrl: 'http://127.0.0.1:1/v2/snapshots?page=1&per_page=2', continues: { param: 'page', value: '2' } },
    fail: { href: undefined, due: true, requestUrl: 'http://127.0.0.1:1/v2/snapshots?page=1&per_page=2', continues: { param: 'page', value: '2' } },
  },
  'list.total': { pass: { total: 5, all: 5, page: 1 }, fail: { total: 1, all: 5, page: 1 } },
  'list.pages': {
    pass: { pages: [['c', 'b'], ['a']], full: ['c', 'b', 'a'], ours: ['a', 'b', 'c'] },
    fail: { pages: [['c', 'b'], []], full: ['c', 'b', 'a'], ours: ['a', 'b', 'c'] },
  },
  'list.next-link': {
    pass: { links: [{ rel: 'next', href: 'http://h/v3/p/snapshots?limit=2&marker=b' }], full: true, lastId: 'b', requestUrl: 'http://h/v3/p/snapshots?limit=2' },
    fail: { links: [{ rel: 'next', href: 'http://evil.example/v3/p/snapshots?limit=2&marker=b' }], full: true, lastId: 'b', requestUrl: 'http://h/v3/p/snapshots?limit=2' },
  },
  'list.link-page': { pass: { expected: ['a'], got: ['a'] }, fail: { expected: ['a'], got: ['b'] } },
  'list.sorted': {
    pass: { values: ['2026-01-01T00:00:00', '2026-01-02T00:00:00'], dir: 'asc', field: 'created_at' },
    fail: { values: ['2026-01-02T00:00:00', '2026-01-01T00:00:00'], dir: 'asc', field: 'created_at' },
  },
  'list.filter': {
    pass: { items: [{ id: 'a', status: 'available' }], field: 'status', value: 'available', mustInclude: ['a'], idField: 'id' },
    fail: { items: [{ id: 'a', status: 'error' }], field: 'status', value: 'available', mustInclude: ['a'], idField: 'id' },
  },
  'list.count': { pass: { count: 2, items: 2 }, fail: { count: 3, items: 2 } },
  'list.offset': { pass: { full: ['c', 'b', 'a'], page: ['b', 'a'], offset: 1 }, fail: { full: ['c', 'b', 'a'], page: ['c', 'b'], offset: 1 } },
  'versions.document': {
    pass: { exchange: ex(300, { versions: [{ id: 'v3.0', min_version: '3.0', version: '3.70' }] }), version: 'v3.0', minVersion: '3.0' },
    fail: { exchange: ex(300, { versions: [{ id: 'v3.0', status: 'CURRENT' }] }), version: 'v3.0', minVersion: '3.0' },
  },
  'version.echo': {
    pass: { exchange: ex(200, {}, { 'openstack-api-version': 'volume 3.66' }), header: 'OpenStack-API-Version', expected: 'volume 3.66' },
    fail: { exchange: ex(200, {}, { 'openstack-api-version': 'volume 3.0' }), header: 'OpenStack-API-Version', expected: 'volume 3.66' },
  },
  'version.fields': {
    pass: { resource: snapshot({ group_snapshot_id: null }), version: '3.14', since: { group_snapshot_id: '3.14', user_id: '3.41' }, where: 'show' },
    fail: { resource: snapshot({ group_snapshot_id: null }), version: '3.9', since: { group_snapshot_id: '3.14' }, where: 'show' },
  },
};

/**
 * The finding each check makes of its failing input, as the judge records it for a test (the check,
 * the clause: the one it was called for unless the failure names its own, and what was wrong where).
 */
type Expected = Pick<Finding, 'title' | 'expected' | 'actual'> & { pointer?: string; clause?: string };
const findings: Record<string, Expected> = {
  'status.expected': { title: 'answered 200 instead of 202', expected: '202', actual: '200' },
  'status.accepted': { title: 'refused (400) instead of accepted', expected: 'a 2xx answer', actual: '400' },
  'status.documented': { title: 'undocumented status 500', expected: 'one of 202, 400, 401, 404, 406, 413, 415', actual: '500' },
  'body.schema': {
    title: '`size` is a string, not an integer',
    expected: 'the schema at #/components/schemas/SnapshotFields/properties/size',
    actual: '`size` is a string, not an integer (got "1")',
    pointer: '/snapshot/size',
  },
  'content-type.json': { title: 'JSON body sent as text/plain', expected: 'application/json', actual: 'text/plain' },
  'headers.documented': { title: 'header X-OpenStack-Request-Id is missing', expected: 'X-OpenStack-Request-Id present', actual: 'absent', clause: 'CV3-API-13' },
  'busy.retried': { title: 'still busy after 10 attempts', expected: 'an answer other than 409 within 10 attempts', actual: '409 every time' },
  'envelope.shape': {
    title: 'error envelope: `message` is missing',
    expected: 'the error envelope',
    actual: '/itemNotFound/message: `message` is missing; body {"itemNotFound":{"code":404}}',
    pointer: '/itemNotFound/message',
  },
  'envelope.code': { title: 'the status in the error body differs from the HTTP status', expected: '404', actual: '400', pointer: '/itemNotFound/code' },
  'envelope.name': { title: 'a 404 error with the code "badRequest"', expected: 'itemNotFound', actual: '"badRequest"', pointer: '/' },
  'refusal.status': { title: 'accepted (202) instead of refused', expected: '400', actual: '202' },
  'resource.fields': { title: 'show: name differs from what was stored', expected: '"a b"', actual: '"\ufeffa b"', pointer: '/name', clause: 'C' },
  'list.membership': { title: 'list: a deleted resource is still listed', expected: `${ID} absent`, actual: 'listed' },
  'state.reached': { title: 'did not reach available within 1.0 s', expected: 'creating / available then available within 1.0 s', actual: 'creating after 1.0 s' },
  'state.initial': { title: 'create: status "error" is not an initial state', expected: 'creating or available', actual: '"error"' },
  'resource.id': { title: 'the create answer names no id', expected: 'a string at /snapshot/id', actual: '{"snapshot":{}}', pointer: '/snapshot/id' },
  'resource.none-created': { title: 'a refused create left a resource behind', expected: 'no resource named "n"', actual: ID },
  'list.limit': { title: 'a page holds more items than limit', expected: 'at most 2', actual: '3' },
  'list.pages': { title: 'paging skipped an item', expected: 'a on some page', actual: 'on no page' },
  'list.next-link': { title: 'the next link leaves the endpoint', expected: 'http://h', actual: 'http://evil.example' },
  'list.next-url': { title: 'a page with more after it names no next page', expected: "the next page's URL", actual: 'none' },
  'list.link-page': { title: 'the next link gives another page than the marker', expected: 'a', actual: 'b' },
  'list.sorted': { title: 'not sorted by created_at asc', expected: 'created_at ascending', actual: '"2026-01-02T00:00:00" before "2026-01-01T00:00:00"' },
  'list.filter': { title: 'filter status let other items through', expected: 'status = "available"', actual: '1 item(s) with "error"' },
  'list.count': { title: 'the list count differs from its items', expected: '2', actual: '3' },
  'list.total': { title: 'the total counts the page only', expected: '5', actual: '1' },
  'list.offset': { title: 'offset does not skip that many items', expected: 'b, a', actual: 'c, b' },
  'versions.document': { title: 'v3.0 does not state its microversion range', expected: 'min_version 3.0 and a version', actual: '{}' },
  'version.echo': { title: 'answered at another microversion than asked', expected: 'OpenStack-API-Version: volume 3.66', actual: 'volume 3.0' },
  'version.fields': { title: 'group_snapshot_id shown before microversion 3.14 (show at 3.9)', expected: 'no group_snapshot_id (it comes with 3.14)', actual: 'group_snapshot_id: null' },
};

/** The clause a self-test binds each check to. */
const CLAUSE = 'SELF-01';

for (const check of allChecks as Array<Check<unknown>>) {
  test(`${check.id} holds on its passing input`, () => {
    const pair = cases[check.id];
    expect(pair, `no self-test pair for ${check.id}`).toBeDefined();
    const verdict = check.judge(pair!.pass);
    expect(isNotApplicable(verdict) ? verdict : verdict.map((f) => f.title)).toEqual([]);
  });
  test(`${check.id} fails on its failing input, with its finding`, () => {
    const judge = new Judge(profile, validators);
    expect(judge.check(check, CLAUSE, cases[check.id]!.fail)).toBe(false);
    const { clause = CLAUSE, pointer, ...rest } = findings[check.id]!;
    const made = judge.failures().map((f) => ({ check: f.check, clause: f.clause, title: f.title, expected: f.expected, actual: f.actual, pointer: f.pointer }));
    expect(made).toEqual([{ check: check.id, clause, pointer, ...rest }]);
  });
}

test('every check has a self-test pair and its finding, and every pair a check', () => {
  expect(Object.keys(cases).sort()).toEqual(allChecks.map((c) => c.id).sort());
  expect(Object.keys(findings).sort()).toEqual(allChecks.map((c) => c.id).sort());
});

test('the status and the code of an error are read where the profile says: a named fault, a nested error, a flat member', () => {
  const code = allChecks.find((c) => c.id === 'envelope.code')!;
  const name = allChecks.find((c) => c.id === 'envelope.name')!;
  expect(code.judge({ exchange: ex(404, { error: { code: 404, message: 'x' } }), at: '/error/code' })).toEqual([]);
  expect(code.judge({ exchange: ex(404, { error: { code: 400, message: 'x' } }), at: '/error/code' })).toEqual([
    expect.objectContaining({ expected: '404', actual: '400', pointer: '/error/code' }),
  ]);
  expect(code.judge({ exchange: ex(404, { itemNotFound: { code: 500 } }), at: '/*/code' })).toEqual([expect.objectContaining({ pointer: '/itemNotFound/code', actual: '500' })]);
  const byStatus = { '404': ['not_found'], '401': ['unauthorized'] };
  expect(name.judge({ exchange: ex(404, { id: 'not_found', message: 'x' }), at: '/id', byStatus, otherwise: ['server_error'] })).toEqual([]);
  expect(name.judge({ exchange: ex(404, { id: 'bad_request', message: 'x' }), at: '/id', byStatus, otherwise: ['server_error'] })).toEqual([
    expect.objectContaining({ expected: 'not_found', actual: '"bad_request"', pointer: '/id' }),
  ]);
  expect(name.judge({ exchange: ex(503, { id: 'unavailable', message: 'x' }), at: '/id', byStatus, otherwise: ['server_error'] })).toEqual([expect.objectContaining({ expected: 'server_error' })]);
});

test("a next page's URL: missing when due, present on the last page, elsewhere, or not following on", () => {
  const check = allChecks.find((c) => c.id === 'list.next-url')!;
  const requestUrl = 'http://127.0.0.1:1/v2/snapshots?page=1&per_page=2';
  const continues = { param: 'page', value: '2' };
  expect(check.judge({ href: undefined, due: false, requestUrl })).toEqual([]);
  expect(check.judge({ href: `${requestUrl}&x`, due: false, requestUrl })).toEqual([expect.objectContaining({ title: 'the last page names a next page' })]);
  expect(check.judge({ href: 'http://127.0.0.9:1/v2/snapshots?page=2', due: true, requestUrl, continues })).toEqual([expect.objectContaining({ title: 'the next page leaves the endpoint', expected: 'http://127.0.0.1:1', actual: 'http://127.0.0.9:1' })]);
  expect(check.judge({ href: 'http://127.0.0.1:1/v2/volumes?page=2', due: true, requestUrl, continues })).toEqual([expect.objectContaining({ title: 'the next page is of another list' })]);
  expect(check.judge({ href: 'http://127.0.0.1:1/v2/snapshots?page=1', due: true, requestUrl, continues })).toEqual([expect.objectContaining({ title: 'the next page does not follow this one', expected: 'page=2', actual: '?page=1' })]);
});

test('a total that counts the page is told apart from one that is otherwise wrong', () => {
  const check = allChecks.find((c) => c.id === 'list.total')!;
  expect(check.judge({ total: 2, all: 5, page: 2 })).toEqual([expect.objectContaining({ title: 'the total counts the page only', expected: '5', actual: '2' })]);
  expect(check.judge({ total: 7, all: 5, page: 2 })).toEqual([expect.objectContaining({ title: 'the total differs from the items of all the pages' })]);
  expect(check.judge({ total: undefined, all: 5, page: 2 })).toEqual([expect.objectContaining({ title: 'the list does not say how many items it holds in all' })]);
});

test('a schema failure names the clause of the constraint it breaks', () => {
  const verdict = allChecks.find((c) => c.id === 'body.schema')!.judge({ exchange: ex(200, { snapshot: snapshot({ status: 'weird' }) }), operation: op('updateSnapshot'), validators });
  expect(verdict).toEqual([expect.objectContaining({ clause: 'CV3-API-09', pointer: '/snapshot/status' })]);
});

test('a name stored as sent where the vendor strips it is charged to the normalisation clause', () => {
  const verdict = allChecks.find((c) => c.id === 'resource.fields')!.judge({
    resource: { name: ' a ' },
    expected: [{ field: 'name', value: ' a ', raw: ' a ', clause: 'CV3-LIFE-03' }],
    where: 'show',
    normalize: pythonStrip,
    normalizedFields: ['name'],
    normalizeClause: 'CV3-LIM-05',
  });
  expect(verdict).toEqual([expect.objectContaining({ clause: 'CV3-LIM-05' })]);
});
