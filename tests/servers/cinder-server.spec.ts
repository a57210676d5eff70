// Tests of the Cinder-family reference server, over HTTP on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, request, test } from '@playwright/test';
import {
  type CinderFault,
  type CinderServerOptions,
  cinderFaults,
  startCinderServer,
} from '../../src/servers/cinder/index.ts';
import { referenceServers } from '../../src/servers/index.ts';
import { CinderFamilyApi } from '../support/cinder-family-api.ts';
import { type FaultCase, type Res, describeFaults, serverTest } from '../support/server-api.ts';

const TOKEN = 'secret-token';
// A volume takes as long to make as a snapshot: one made after a snapshot is ready after it (afterHold).
const FAST = { snapshotCreateMs: 30, snapshotDeleteMs: 30, volumeCreateMs: 30, volumeDeleteMs: 20 };
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const SUMMARY_FIELDS = ['created_at', 'description', 'id', 'metadata', 'name', 'size', 'status', 'updated_at', 'volume_id'];

/** A client of the Cinder server, in a project of its own. */
class Api extends CinderFamilyApi {
  constructor(http: APIRequestContext, root: string, family: 'v2' | 'v3' = 'v3') {
    super(http, root, TOKEN, family);
  }
}

// ---------------------------------------------------------------------------------------------
test.describe('cinder reference server', () => {
  const test = serverTest(() => startCinderServer({ token: TOKEN, delays: FAST, quotas: { snapshots: 3, volumes: 3 } }), (http, server) => new Api(http, server.url));

  test('version discovery needs no token and lists v2 and v3', async ({ api, server }) => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await api.call('GET', `${server.url}/`, { token: null });
    expect(root.status).toBe(300);
    expect(root.json.versions.map((v: { id: string }) => v.id)).toEqual(['v2.0', 'v3.0']);
    const v3 = await api.call('GET', `${server.url}/v3/`, { token: null });
    expect(v3.status).toBe(200);
    expect(v3.json.versions[0]).toMatchObject({ id: 'v3.0', status: 'CURRENT', min_version: '3.0', version: '3.70' });
    expect(v3.json.versions[0].links).toContainEqual({ rel: 'self', href: `${server.url}/v3/` });
    const v2 = await api.call('GET', `${server.url}/v2/`, { token: null });
    expect(v2.json.versions[0]).toMatchObject({ id: 'v2.0', min_version: '', version: '' });
  });

  test('auth: a missing or wrong token is 401 with the unauthorized envelope', async ({ api }) => {
    for (const token of [null, '', 'wrong']) {
      const res = await api.call('GET', '/snapshots', { token });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json).toEqual({ unauthorized: { code: 401, message: expect.any(String) } });
    }
    expect((await api.call('GET', '/snapshots')).status).toBe(200);
  });

  test('every answer carries a request id, JSON type and length', async ({ api }) => {
    const ok = await api.call('GET', '/snapshots');
    expect(ok.headers['x-openstack-request-id']).toMatch(REQUEST_ID);
    expect(ok.headers['x-compute-request-id']).toBe(ok.headers['x-openstack-request-id']);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(Number(ok.headers['content-length'])).toBe(Buffer.byteLength(ok.text));
    const miss = await api.call('GET', '/nothing-here');
    expect(miss.status).toBe(404);
    expect(miss.json).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
    expect(miss.headers['x-openstack-request-id']).toMatch(REQUEST_ID);
  });

  test('microversions: echo, latest, 406 and 400, and v2 without headers', async ({ api, server, http }) => {
    const plain = await api.call('GET', '/snapshots');
    expect(plain.headers['openstack-api-version']).toBe('volume 3.0');
    expect(plain.headers['vary']).toBe('OpenStack-API-Version');
    expect((await api.call('GET', '/snapshots', { mv: '3.45' })).headers['openstack-api-version']).toBe('volume 3.45');
    expect((await api.call('GET', '/snapshots', { mv: 'latest' })).headers['openstack-api-version']).toBe('volume 3.70');
    for (const mv of ['3.71', '4.0']) {
      const res = await api.call('GET', '/snapshots', { mv });
      expect(res.status).toBe(406);
      expect(res.json).toEqual({
        computeFault: { code: 406, message: `Version ${mv} is not supported by the API. Minimum is 3.0 and maximum is 3.70.` },
      });
    }
    const bad = await api.call('GET', '/snapshots', { mv: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.json.badRequest.message).toBe('API Version String abc is of invalid format. Must be of format MajorNum.MinorNum.');
    const v2 = await new Api(http, server.url, 'v2').call('GET', '/snapshots', { mv: '3.71' });
    expect(v2.status).toBe(200);
    expect(v2.headers['openstack-api-version']).toBeUndefined();
  });

  for (const family of ['v2', 'v3'] as const) {
    test(`lifecycle on ${family}: create, available, update, metadata, delete, gone`, async ({ server, http }) => {
      const c = new Api(http, server.url, family);
      const volumeId = await c.volume(2);
      const created = await c.snapshot(volumeId, { name: ' snap-1 ', description: 'first', metadata: { k1: 'v1' } });
      expect(created.status).toBe(202);
      const snap = created.json.snapshot;
      expect(Object.keys(snap).sort()).toEqual(SUMMARY_FIELDS);
      expect(snap).toMatchObject({ name: 'snap-1', description: 'first', volume_id: volumeId, status: 'creating', size: 2, updated_at: null, metadata: { k1: 'v1' } });
      expect(snap.created_at).toMatch(TIMESTAMP);
      expect(created.headers['location']).toBeUndefined();

      await c.waitFor(`/snapshots/${snap.id}`, 'available');
      const shown = (await c.call('GET', `/snapshots/${snap.id}`)).json.snapshot;
      expect(shown['os-extended-snapshot-attributes:progress']).toBe('100%');
      expect(shown['os-extended-snapshot-attributes:project_id']).toBe(c.project);
      expect((await c.call('GET', `/volumes/${volumeId}`)).json.volume.status).toBe('available');

      const updated = await c.call('PUT', `/snapshots/${snap.id}`, { body: { snapshot: { name: 'snap-2' } } });
      expect(updated.status).toBe(200);
      expect(updated.json.snapshot).toMatchObject({ name: 'snap-2', description: 'first' });
      expect(updated.json.snapshot['os-extended-snapshot-attributes:progress']).toBeUndefined();
      expect((await c.call('GET', `/snapshots/${snap.id}`)).json.snapshot.name).toBe('snap-2');
      expect((await c.call('GET', '/snapshots')).json.snapshots[0].name).toBe('snap-2');

      const meta = `/snapshots/${snap.id}/metadata`;
      expect((await c.call('GET', meta)).json).toEqual({ metadata: { k1: 'v1' } });
      await c.call('PUT', meta, { body: { metadata: { k1: 'v1', k2: 'v2', k3: 'v3' } } });
      const replaced = await c.call('PUT', meta, { body: { metadata: { k1: 'v1-new', k4: 'v4' } } });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toEqual({ metadata: { k1: 'v1-new', k4: 'v4' } });
      expect((await c.call('GET', meta)).json).toEqual({ metadata: { k1: 'v1-new', k4: 'v4' } });

      if (family === 'v3') {
        const merged = await c.call('POST', meta, { body: { metadata: { k5: 'v5', k1: 'v1-post' } } });
        expect(merged.status).toBe(200);
        expect(merged.json).toEqual({ metadata: { k1: 'v1-post', k4: 'v4', k5: 'v5' } });
        expect((await c.call('GET', `${meta}/k5`)).json).toEqual({ meta: { k5: 'v5' } });
        expect((await c.call('PUT', `${meta}/k5`, { body: { meta: { k5: 'v5-new' } } })).json).toEqual({ meta: { k5: 'v5-new' } });
        expect((await c.call('PUT', `${meta}/k6`, { body: { meta: { k6: 'x' } } })).status).toBe(200);
        const delKey = await c.call('DELETE', `${meta}/k6`);
        expect(delKey.status).toBe(200);
        expect(delKey.text).toBe('');
        const again = await c.call('DELETE', `${meta}/k6`);
        expect(again.json).toEqual({ itemNotFound: { code: 404, message: `Snapshot ${snap.id} has no metadata with key k6.` } });
        expect((await c.call('GET', meta)).json).toEqual({ metadata: { k1: 'v1-post', k4: 'v4', k5: 'v5-new' } });
      } else {
        expect((await c.call('POST', meta, { body: { metadata: { a: 'b' } } })).status).toBe(404);
        expect((await c.call('GET', `${meta}/k1`)).status).toBe(404);
      }

      const del = await c.call('DELETE', `/snapshots/${snap.id}`);
      expect(del.status).toBe(202);
      expect(del.text).toBe('');
      await c.waitFor(`/snapshots/${snap.id}`, 404);
      const gone = await c.call('GET', `/snapshots/${snap.id}`);
      expect(gone.json).toEqual({ itemNotFound: { code: 404, message: `Snapshot ${snap.id} could not be found.` } });
      expect((await c.call('DELETE', `/snapshots/${snap.id}`)).status).toBe(404);
      expect((await c.call('DELETE', `/volumes/${volumeId}`)).status).toBe(202);
      await c.waitFor(`/volumes/${volumeId}`, 404, 'volume');
    });
  }

  test('views: summary vs detail, microversion fields', async ({ api }) => {
    const id = await api.ready(await api.volume());
    const summary = (await api.call('GET', '/snapshots', { mv: '3.70' })).json.snapshots[0];
    expect(Object.keys(summary).sort()).toEqual(SUMMARY_FIELDS);
    const detail = (await api.call('GET', '/snapshots/detail', { mv: '3.70' })).json.snapshots[0];
    expect(detail).toMatchObject({ group_snapshot_id: null, user_id: expect.any(String), consumes_quota: true });
    expect(detail['os-extended-snapshot-attributes:progress']).toBe('100%');
    const at13 = (await api.call('GET', `/snapshots/${id}`, { mv: '3.13' })).json.snapshot;
    expect('group_snapshot_id' in at13).toBe(false);
    const at41 = (await api.call('GET', `/snapshots/${id}`, { mv: '3.41' })).json.snapshot;
    expect(at41).toHaveProperty('user_id');
    expect(at41).not.toHaveProperty('consumes_quota');
  });

  test('pagination: limit, links, marker, offset, sort, count', async ({ api }) => {
    const volumeId = await api.volume();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) ids.push((await api.snapshot(volumeId, { name })).json.snapshot.id);
    const newestFirst = [...ids].reverse();

    const page1 = await api.call('GET', `/snapshots?limit=2&volume_id=${volumeId}`);
    expect(page1.json.snapshots.map((s: { id: string }) => s.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.json.snapshots_links).toEqual([
      { rel: 'next', href: `${api.base}/snapshots?limit=2&volume_id=${volumeId}&marker=${newestFirst[1]}` },
    ]);
    const page2 = await api.call('GET', page1.json.snapshots_links[0].href);
    expect(page2.json.snapshots.map((s: { id: string }) => s.id)).toEqual([newestFirst[2]]);
    expect(page2.json.snapshots_links).toBeUndefined();
    const detailLink = (await api.call('GET', '/snapshots/detail?limit=1')).json.snapshots_links[0].href;
    expect(detailLink).toBe(`${api.base}/snapshots/detail?limit=1&marker=${newestFirst[0]}`);
    expect((await api.call('GET', '/snapshots')).json.snapshots_links).toBeUndefined();
    expect((await api.call('GET', '/snapshots?limit=0')).json).toEqual({ snapshots: [] });
    expect((await api.call('GET', '/snapshots?offset=1&limit=1')).json.snapshots[0].id).toBe(newestFirst[1]);

    const unknown = randomUUID();
    const missing = await api.call('GET', `/snapshots?marker=${unknown}`);
    expect(missing.status).toBe(404);
    expect(missing.json.itemNotFound.message).toBe(`Snapshot ${unknown} could not be found.`);
    expect((await api.call('GET', '/snapshots?limit=-1')).json.badRequest.message).toBe('limit param must be positive');
    expect((await api.call('GET', '/snapshots?limit=abc')).json.badRequest.message).toBe('limit param must be an integer');

    const names = async (query: string, mv?: string) =>
      (await api.call('GET', `/snapshots?${query}`, { mv })).json.snapshots?.map((s: { name: string }) => s.name);
    expect(await names('sort_key=created_at&sort_dir=asc')).toEqual(['a', 'b', 'c']);
    expect(await names('sort=created_at:asc')).toEqual(['a', 'b', 'c']);
    expect(await names('sort=name:desc', '3.30')).toEqual(['c', 'b', 'a']);
    expect((await api.call('GET', '/snapshots?sort_key=name')).json.badRequest.message).toBe('Invalid input received: Invalid sort key');
    expect((await api.call('GET', '/snapshots?sort_key=bogus')).status).toBe(400);
    expect((await api.call('GET', '/snapshots?sort_dir=up')).json.badRequest.message).toBe(
      "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.",
    );
    expect(await names('name=b')).toEqual(['b']);
    expect(await names(`volume_id=${volumeId}&limit=1`)).toEqual(['c']);
    expect((await api.call('GET', '/snapshots?with_count=true&limit=1', { mv: '3.45' })).json.count).toBe(3);
    expect((await api.call('GET', '/snapshots?with_count=true&limit=1')).json.count).toBeUndefined();

    await api.call('PUT', `/snapshots/${ids[0]}/metadata`, { body: { metadata: { k1: 'v1' } } });
    expect(await names(`metadata=${encodeURIComponent('{"k1":"v1"}')}`, '3.22')).toEqual(['a']);

    const volumes = await api.call('GET', '/volumes?limit=1');
    expect(volumes.json.volumes[0]).toEqual({ id: volumeId, name: 'parent', links: expect.any(Array) });
    expect(volumes.json.volumes_links[0].href).toBe(`${api.base}/volumes?limit=1&marker=${volumeId}`);
  });

  test('create validation: status codes, envelope and messages', async ({ api }) => {
    const volumeId = await api.volume();
    const post = (raw: string, contentType?: string) => api.call('POST', '/snapshots', { raw, contentType });
    const expectBad = (res: Res, message: string | RegExp) => {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ badRequest: { code: 400, message: expect.stringMatching(message) } });
    };
    expectBad(await post('{"snapshot": {"volume_id": '), /^Malformed request body$/);
    expectBad(await post('[]'), /^\[\] is not of type 'object'$/);
    expectBad(await post(''), /empty/);
    expectBad(await post('{"nope": {}}'), /^'snapshot' is a required property$/);
    expectBad(await post('{"snapshot": {"name": "x"}}'), /^Invalid input for field\/attribute snapshot\. Value: \{'name': 'x'\}\. 'volume_id' is a required property$/);
    expectBad(await post(JSON.stringify({ snapshot: { volume_id: volumeId, bogus: 1 } })), /Additional properties are not allowed \('bogus' was unexpected\)/);
    expectBad(await post('{"snapshot": {"volume_id": "abc"}}'), /volume_id\. Value: abc\. 'abc' is not valid under any of the given schemas/);
    expectBad(await api.snapshot(volumeId, { name: 'n'.repeat(256) }), /^Invalid input for field\/attribute name\. Value: n+\. 'n+' is too long$/);
    expectBad(await api.snapshot(volumeId, { description: 'd'.repeat(256) }), /description/);
    expectBad(await api.snapshot(volumeId, { display_description: 'x' }), /'display_description' was unexpected/);
    expectBad(await api.snapshot(volumeId, { metadata: { n: 1 } }), /^Invalid input for field\/attribute n\. Value: 1\. 1 is not of type 'string'$/);
    expectBad(await api.snapshot(volumeId, { metadata: { k: 'v'.repeat(256) } }), /is too long/);
    expectBad(await api.snapshot(volumeId, { metadata: { 'é': 'x' } }), /^Invalid input for field\/attribute metadata\. .*'é' does not match any of the regexes/);
    expectBad(await api.snapshot(volumeId, { force: 'maybe' }), /'maybe' is not one of \[True, 'True'/);
    expectBad(await api.snapshot(volumeId, { force: false }, '3.66'), /^Since microversion 3\.66 the 'force' flag is invalid/);

    const media = await post(JSON.stringify({ snapshot: { volume_id: volumeId } }), 'text/plain');
    expect(media.status).toBe(415);
    expect(media.json).toEqual({ badMediaType: { code: 415, message: 'Unsupported Content-Type' } });
    const noneVolume = await post('{"snapshot": {"volume_id": null}}');
    expect(noneVolume.status).toBe(404);
    expect(noneVolume.json.itemNotFound.message).toBe('Volume None could not be found.');
    const ghost = randomUUID();
    expect((await api.snapshot(ghost)).json).toEqual({ itemNotFound: { code: 404, message: `Volume ${ghost} could not be found.` } });

  });

  test('create accepts aliases, force values and strips names like Python', async ({ api }) => {
    const volumeId = await api.volume();
    const ok = async (fields: Record<string, unknown>, mv?: string) => {
      const res = await api.snapshot(volumeId, fields, mv);
      expect(res.status).toBe(202);
      await api.call('POST', `/snapshots/${res.json.snapshot.id}/action`, { body: { 'os-force_delete': {} } });
      await api.waitFor(`/snapshots/${res.json.snapshot.id}`, 404); // frees the quota
      return res.json.snapshot;
    };
    expect(await ok({ display_name: 'alias', metadata: null })).toMatchObject({ name: 'alias', description: null, metadata: {} });
    expect((await ok({ name: 'n'.repeat(255) })).name).toHaveLength(255);
    for (const force of [true, false, 'True']) await ok({ force });
    await ok({ force: true }, '3.66');
    expect((await ok({ name: '\u00a0\u2003 padded \u0085\u001c' })).name).toBe('padded');
    expect((await ok({ name: '\ufeffbom\ufeff ' })).name).toBe('\ufeffbom\ufeff');
  });

  test('update, show and delete validation', async ({ api }) => {
    const volumeId = await api.volume();
    const id = await api.ready(volumeId, { name: 'x' });
    const put = (snapshot: unknown) => api.call('PUT', `/snapshots/${id}`, { body: { snapshot } });
    expect((await put({})).json.badRequest.message).toBe(
      'Invalid input for field/attribute snapshot. Value: {}. {} is not valid under any of the given schemas',
    );
    expect((await put({ name: 'y', status: 'error' })).json.badRequest.message).toMatch(/'status' was unexpected/);
    expect((await put({ name: 'n'.repeat(256) })).status).toBe(400);
    expect((await put({ display_name: 'alias', display_description: 'dd' })).json.snapshot).toMatchObject({ name: 'alias', description: 'dd' });
    expect((await put({ name: null })).json.snapshot.name).toBeNull();
    expect((await put({ name: '' })).json.snapshot.name).toBe('');
    const later = (await api.call('GET', `/snapshots/${id}`)).json.snapshot;
    expect(later.updated_at).toMatch(TIMESTAMP);

    for (const missing of [randomUUID(), 'not-a-uuid']) {
      const notFound = { itemNotFound: { code: 404, message: `Snapshot ${missing} could not be found.` } };
      expect((await api.call('GET', `/snapshots/${missing}`)).json).toEqual(notFound);
      expect((await api.call('PUT', `/snapshots/${missing}`, { body: { snapshot: { name: 'z' } } })).json).toEqual(notFound);
      expect((await api.call('DELETE', `/snapshots/${missing}`)).json).toEqual(notFound);
      expect((await api.call('GET', `/snapshots/${missing}/metadata`)).json).toEqual(notFound);
    }

    const creating = (await api.snapshot(volumeId)).json.snapshot.id;
    const refused = await api.call('DELETE', `/snapshots/${creating}`);
    expect(refused.json).toEqual({
      badRequest: { code: 400, message: 'Invalid snapshot: Snapshot status must be available or error and must not be part of a group.' },
    });
    await api.call('POST', `/snapshots/${creating}/action`, { body: { 'os-reset_status': { status: 'error' } } });
    expect((await api.call('DELETE', `/snapshots/${creating}`)).status).toBe(202);

    const volumeDelete = await api.call('DELETE', `/volumes/${volumeId}`);
    expect(volumeDelete.json.badRequest.message).toMatch(/^Invalid volume: Volume status must be available or error .* have snapshots,/);
  });

  test('metadata route validation', async ({ api }) => {
    const id = await api.ready(await api.volume(), { metadata: { k5: 'v' } });
    const meta = `/snapshots/${id}/metadata`;
    const message = (res: Res) => Object.values(res.json as Record<string, { message: string }>)[0]!.message;
    expect(message(await api.call('PUT', `${meta}/k5`, { body: { meta: { other: 'x' } } }))).toBe('Request body and URI mismatch');
    expect(message(await api.call('PUT', `${meta}/k5`, { body: { meta: { k5: 'a', k7: 'b' } } }))).toBe('Request body contains too many items');
    expect(message(await api.call('PUT', `${meta}/k5`, { body: { metadata: { k5: 'a' } } }))).toBe("Missing required element 'meta' in request body.");
    expect(message(await api.call('PUT', meta, { body: { metadata: ['a'] } }))).toBe("Missing required element 'metadata' in request body.");
    expect(message(await api.call('POST', meta, { body: { metadata: { num: 1 } } }))).toBe(
      'Invalid metadata: Invalid input received: Value for metadata key: num is not a string or unicode',
    );
    expect((await api.call('POST', meta, { body: { metadata: { '': 'v' } } })).status).toBe(400);
    const longKey = await api.call('POST', meta, { body: { metadata: { ['k'.repeat(256)]: 'v' } } });
    expect(longKey.status).toBe(413);
    expect(longKey.json.overLimit.message).toMatch(/^Invalid metadata size: Metadata property key k+ greater than 255 characters\.$/);
    const longValue = await api.call('PUT', meta, { body: { metadata: { k: 'v'.repeat(256) } } });
    expect(longValue.json).toEqual({ overLimit: { code: 413, message: 'Invalid metadata size: Metadata property key k value greater than 255 characters.' } });
    expect((await api.call('GET', `${meta}/missing`)).json.itemNotFound.message).toBe(`Snapshot ${id} has no metadata with key missing.`);
    expect((await api.call('PUT', meta, { body: { metadata: {} } })).json).toEqual({ metadata: {} });
  });

  test('quotas answer 413 overLimit with Retry-After', async ({ api, server, http }) => {
    const volumeId = await api.volume();
    for (let i = 0; i < 3; i++) expect((await api.snapshot(volumeId)).status).toBe(202);
    const over = await api.snapshot(volumeId);
    expect(over.status).toBe(413);
    expect(over.headers['retry-after']).toBe('0');
    expect(over.json).toEqual({
      overLimit: { code: 413, message: 'SnapshotLimitExceeded: Maximum number of snapshots allowed (3) exceeded', retryAfter: '0' },
    });
    const other = new Api(http, server.url);
    for (let i = 0; i < 3; i++) await other.call('POST', '/volumes', { body: { volume: { size: 1 } } });
    expect((await other.call('POST', '/volumes', { body: { volume: { size: 1 } } })).status).toBe(413);
  });

  test('project-less v3 URLs, inventory and stats', async ({ api, server }) => {
    const before = server.stats();
    const projectLess = await api.call('GET', `${server.url}/v3/snapshots`, { mv: '3.67' });
    expect(projectLess.status).toBe(200);
    const volumeId = await api.volume();
    const inv = server.inventory();
    expect(inv.volumes).toContainEqual({ id: volumeId, name: 'parent', status: 'available', projectId: api.project });
    const after = server.stats();
    expect(after.requests).toBeGreaterThan(before.requests);
    expect(after.writes).toBe(before.writes + 1);
    expect(after.byMethod.POST).toBe((before.byMethod.POST ?? 0) + 1);
  });
});

// ---------------------------------------------------------------------------------------------
// What the differential test against a real Cinder (interop/cinder) showed the server must answer.
test.describe('as Cinder answers (interop/cinder/differential.ts)', () => {
  const test = serverTest(() => startCinderServer({ token: TOKEN, delays: FAST }), (http, server) => new Api(http, server.url));

  test('X-Compute-Request-Id only on JSON answers of the API; version headers on the version documents and a 406', async ({ api, server }) => {
    const volumeId = await api.volume();
    const id = await api.ready(volumeId, { metadata: { k: 'v' } });
    const json = await api.call('GET', `/snapshots/${id}`);
    expect(json.headers['x-compute-request-id']).toBe(json.headers['x-openstack-request-id']);
    const fault = await api.call('GET', `/snapshots/${randomUUID()}`);
    expect(fault.headers['x-compute-request-id']).toMatch(REQUEST_ID);
    for (const [method, path, status] of [['DELETE', `/snapshots/${id}/metadata/k`, 200], ['DELETE', `/snapshots/${id}`, 202]] as const) {
      const res = await api.call(method, path);
      expect(res.status).toBe(status);
      expect(res.text).toBe('');
      expect(res.headers['x-openstack-request-id']).toMatch(REQUEST_ID);
      expect(res.headers).not.toHaveProperty('x-compute-request-id');
      expect(res.headers['openstack-api-version']).toBe('volume 3.0');
    }
    const root = await api.call('GET', `${server.url}/`, { token: null, mv: '3.50' });
    expect(root.status).toBe(300);
    expect(root.headers).not.toHaveProperty('x-compute-request-id');
    expect(root.headers['openstack-api-version']).toBe('volume 3.50');
    expect(root.headers['vary']).toBe('OpenStack-API-Version');
    const rootTooHigh = await api.call('GET', `${server.url}/`, { token: null, mv: '3.99' });
    expect(rootTooHigh.status).toBe(406);
    expect(rootTooHigh.headers['openstack-api-version']).toBe('volume 3.99');
    const tooHigh = await api.call('GET', '/snapshots', { mv: '3.71' });
    expect([tooHigh.status, tooHigh.headers['openstack-api-version'], tooHigh.headers['vary']]).toEqual([406, 'volume 3.71', 'OpenStack-API-Version']);
    const malformed = await api.call('GET', '/snapshots', { mv: 'abc' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers).not.toHaveProperty('openstack-api-version');
    expect(malformed.headers).not.toHaveProperty('vary');
  });

  test('volume views: the create answer is the view alone, show and detail add the tenant attribute, nothing admin-only', async ({ api }) => {
    const created = await api.call('POST', '/volumes', { body: { volume: { size: 1, name: ' v ' } }, mv: '3.70' });
    expect(created.status).toBe(202);
    const v = created.json.volume;
    expect(v).not.toHaveProperty('os-vol-tenant-attr:tenant_id');
    for (const adminOnly of ['migration_status', 'provider_id', 'cluster_name', 'os-vol-host-attr:host', 'os-vol-mig-status-attr:migstat', 'encryption_key_id']) {
      expect(v).not.toHaveProperty(adminOnly);
    }
    expect(v).toMatchObject({ name: 'v', status: 'creating', shared_targets: true, service_uuid: null, snapshot_id: null, group_id: null, consumes_quota: true });
    await api.waitFor(`/volumes/${v.id}`, 'available', 'volume');
    const shown = (await api.call('GET', `/volumes/${v.id}`, { mv: '3.70' })).json.volume;
    expect(shown).toMatchObject({ 'os-vol-tenant-attr:tenant_id': api.project, shared_targets: false, service_uuid: expect.any(String) });
    expect(shown).not.toHaveProperty('migration_status');
    const listed = (await api.call('GET', '/volumes/detail')).json.volumes[0];
    expect(listed['os-vol-tenant-attr:tenant_id']).toBe(api.project);
    expect(listed).not.toHaveProperty('shared_targets'); // 3.48
  });

  test('volumes from snapshots: the snapshot gives the size, a smaller one is refused', async ({ api }) => {
    const volumeId = await api.volume(2);
    const snapshotId = await api.ready(volumeId);
    const plain = await api.call('POST', '/volumes', { body: { volume: { snapshot_id: snapshotId } } });
    expect(plain.status).toBe(202);
    expect(plain.json.volume).toMatchObject({ size: 2, snapshot_id: snapshotId, source_volid: null });
    const larger = await api.call('POST', '/volumes', { body: { volume: { size: 3, snapshot_id: snapshotId } } });
    expect(larger.json.volume).toMatchObject({ size: 3, snapshot_id: snapshotId });
    const smaller = await api.call('POST', '/volumes', { body: { volume: { size: 1, snapshot_id: snapshotId } } });
    expect(smaller.status).toBe(400);
    expect(smaller.json.badRequest.message).toBe(
      "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.",
    );
    const unknown = randomUUID();
    const missing = await api.call('POST', '/volumes', { body: { volume: { size: 1, snapshot_id: unknown } } });
    expect([missing.status, missing.json.itemNotFound?.message]).toEqual([404, `Snapshot ${unknown} could not be found.`]);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1, snapshot_id: 'abc' } } })).status).toBe(400);
    await api.waitFor(`/volumes/${plain.json.volume.id}`, 'available', 'volume');
    expect((await api.call('GET', `/volumes/${plain.json.volume.id}`)).json.volume.snapshot_id).toBe(snapshotId);
    // A volume from a volume: the same rule with the source's size.
    const clone = await api.call('POST', '/volumes', { body: { volume: { source_volid: volumeId } } });
    expect(clone.json.volume).toMatchObject({ size: 2, source_volid: volumeId });
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1, source_volid: volumeId } } })).status).toBe(400);
  });

  test('a snapshot still being created gives no volume', async ({ http }) => {
    const own = await startCinderServer({ token: TOKEN, delays: { ...FAST, snapshotCreateMs: 60_000 } });
    try {
      const c = new Api(http, own.url);
      const snapshotId = (await c.snapshot(await c.volume())).json.snapshot.id;
      const res = await c.call('POST', '/volumes', { body: { volume: { snapshot_id: snapshotId } } });
      expect(res.status).toBe(400);
      expect(res.json.badRequest.message).toMatch(/^Invalid snapshot: /);
    } finally {
      await own.close();
    }
  });

  test("volume create: Cinder's schema by microversion", async ({ api }) => {
    const unknown = { volume: { size: 1, x_unknown: 'x' } };
    expect((await api.call('POST', '/volumes', { body: unknown, mv: '3.52' })).status).toBe(202);
    const refused = await api.call('POST', '/volumes', { body: unknown, mv: '3.53' });
    expect(refused.status).toBe(400);
    expect(refused.json.badRequest.message).toMatch(/Additional properties are not allowed \('x_unknown' was unexpected\)/);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1 }, extra: 1 } })).status).toBe(400);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 0 } } })).status).toBe(400);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 'x' } } })).status).toBe(400);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1, multiattach: true } } })).status).toBe(400);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1, availability_zone: 'elsewhere' } } })).status).toBe(400);
    expect((await api.call('POST', '/volumes', { body: { volume: { size: 1, volume_type: 'gold' } } })).status).toBe(404);
    expect((await api.call('POST', '/volumes', { body: { volume: { name: 'no size' } } })).status).toBe(400);
  });

  test("snapshot sort keys: Cinder's columns at every microversion, name from 3.30", async ({ api }) => {
    const volumeId = await api.volume();
    for (const name of ['b', 'a', 'c']) await api.ready(volumeId, { name, description: name.toUpperCase() });
    const names = async (query: string, mv?: string) => {
      const res = await api.call('GET', `/snapshots?${query}`, { mv });
      return res.status === 200 ? res.json.snapshots.map((s: { name: string }) => s.name) : res.status;
    };
    expect(await names('sort_key=display_name&sort_dir=asc')).toEqual(['a', 'b', 'c']);
    expect(await names('sort_key=display_description&sort_dir=desc', '3.70')).toEqual(['c', 'b', 'a']);
    expect(await names('sort=display_name:desc,created_at')).toEqual(['c', 'b', 'a']);
    expect(await names('sort_key=volume_size')).toEqual(['c', 'a', 'b']); // a tie: newest first
    expect(await names('sort_key=name&sort_dir=asc')).toBe(400);
    expect(await names('sort_key=name&sort_dir=asc', '3.30')).toEqual(['a', 'b', 'c']);
    expect(await names('sort_key=size')).toBe(400);
  });

  test("user_id is the caller's: a noauth token's user, else an id derived from the token", async ({ http }) => {
    const open = await startCinderServer({ delays: FAST });
    try {
      const project = randomUUID().replaceAll('-', '');
      const as = (token: string) => ({ headers: { 'X-Auth-Token': token, 'OpenStack-API-Version': 'volume 3.41' } });
      const base = `${open.url}/v3/${project}`;
      const create = async (token: string) => {
        const volume = await http.post(`${base}/volumes`, { ...as(token), data: { volume: { size: 1 } } });
        return (await volume.json()).volume.user_id as string;
      };
      expect(await create(`alice:${project}`)).toBe('alice');
      const keystone = await create('gAAAAAB-some-keystone-token');
      expect(keystone).toMatch(/^[0-9a-f]{32}$/);
      expect(await create('gAAAAAB-some-keystone-token')).toBe(keystone);
      expect(await create('another-token')).not.toBe(keystone);
    } finally {
      await open.close();
    }
  });
});

test('the cinder-v3 profile serves v3 only, as Cinder has since Xena; the cinder-v2 one both', async () => {
  const http = await request.newContext();
  const v3 = await referenceServers['cinder-v3']!.start({ token: TOKEN });
  const v2 = await referenceServers['cinder-v2']!.start({ token: TOKEN });
  try {
    const ids = async (url: string) => ((await (await http.get(`${url}/`)).json()).versions as Array<{ id: string }>).map((v) => v.id);
    expect(await ids(v3.url)).toEqual(['v3.0']);
    expect(await ids(v2.url)).toEqual(['v2.0', 'v3.0']);
    const headers = { 'X-Auth-Token': TOKEN };
    expect((await http.get(`${v3.url}/v2/${randomUUID()}/snapshots`, { headers })).status()).toBe(404);
    expect((await http.get(`${v2.url}/v2/${randomUUID()}/snapshots`, { headers })).status()).toBe(200);
  } finally {
    await http.dispose();
    await Promise.all([v3.close(), v2.close()]);
  }
});

// ---------------------------------------------------------------------------------------------
test.describe('transient states (slow backend)', () => {
  const test = serverTest(async () => {
    const slow = { snapshotCreateMs: 600, snapshotDeleteMs: 600, volumeCreateMs: 600, volumeDeleteMs: 20 };
    return startCinderServer({ token: TOKEN, delays: slow });
  }, (http, server) => new Api(http, server.url));

  test('creating volume refused, creating and deleting snapshots visible', async ({ server, http }) => {
    const c = new Api(http, server.url);
    const busy = (await c.call('POST', '/volumes', { body: { volume: { size: 1 } } })).json.volume.id;
    const refused = await c.snapshot(busy);
    expect(refused.json).toEqual({
      badRequest: { code: 400, message: `Invalid volume: Volume ${busy} status must be available, but current status is: creating.` },
    });
    await c.waitFor(`/volumes/${busy}`, 'available', 'volume');
    const id = (await c.snapshot(busy)).json.snapshot.id;
    const early = (await c.call('GET', `/snapshots/${id}`)).json.snapshot;
    expect(early).toMatchObject({ status: 'creating', 'os-extended-snapshot-attributes:progress': '0%', updated_at: null });
    await c.waitFor(`/snapshots/${id}`, 'available');
    expect((await c.call('DELETE', `/snapshots/${id}`)).status).toBe(202);
    expect((await c.call('GET', `/snapshots/${id}`)).json.snapshot.status).toBe('deleting');
    expect(server.inventory().snapshots).toContainEqual({ id, name: null, status: 'deleting', projectId: c.project });
    await c.waitFor(`/snapshots/${id}`, 404);
    expect(server.inventory().snapshots).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Faults: each probe runs against a healthy server and a faulty one started with the same options.
// The healthy observation proves the probe checks the right thing; the faulty one differs only in
// the fault's own behaviour (the other fields of the observation stay as on the healthy server).

/**
 * A snapshot once the change under way has had its time: a volume made after it is ready after it
 * (its creation lasts as long as a snapshot's or its deletion), so the server's own timers tell
 * when, not a deadline of the test's.
 */
async function afterHold(c: Api, id: string): Promise<{ status: number; value: string | null }> {
  await c.volume();
  const res = await c.call('GET', `/snapshots/${id}`);
  return { status: res.status, value: res.json?.snapshot?.status ?? null };
}

const names = (res: Res) => res.json.snapshots.map((s: { name: string }) => s.name);

async function threeSnapshots(c: Api): Promise<void> {
  const volumeId = await c.volume();
  for (const name of ['n1', 'n2', 'n3']) await c.snapshot(volumeId, { name });
}

async function renamed(c: Api) {
  const id = await c.ready(await c.volume(), { name: 'old' });
  const put = await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { name: 'new' } } });
  return { id, put: put.json.snapshot.name };
}

async function withMetadata(c: Api) {
  return c.ready(await c.volume(), { metadata: { a: '1', b: '2' } });
}

const faultCases: Record<CinderFault, FaultCase<Api, CinderServerOptions>> = {
  'drop-field-size': {
    async probe(c) {
      const created = await c.snapshot(await c.volume(3));
      const id = created.json.snapshot.id;
      const bodies = [
        created.json.snapshot,
        (await c.call('GET', `/snapshots/${id}`)).json.snapshot,
        (await c.call('GET', '/snapshots')).json.snapshots[0],
        (await c.call('GET', '/snapshots/detail')).json.snapshots[0],
        (await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { name: 'x' } } })).json.snapshot,
      ];
      return { size: bodies.map((b) => b.size ?? 'absent'), volumeIdKept: bodies.every((b) => typeof b.volume_id === 'string') };
    },
    healthy: { size: [3, 3, 3, 3, 3], volumeIdKept: true },
    faulty: { size: ['absent', 'absent', 'absent', 'absent', 'absent'], volumeIdKept: true },
  },
  'wrong-type-size': {
    async probe(c) {
      const created = await c.snapshot(await c.volume(1));
      const shown = await c.call('GET', `/snapshots/${created.json.snapshot.id}`);
      const listed = await c.call('GET', '/snapshots');
      return [created, shown].map((r) => r.json.snapshot.size).concat(listed.json.snapshots[0].size);
    },
    healthy: [1, 1, 1],
    faulty: ['1', '1', '1'],
  },
  'create-returns-200': {
    async probe(c) {
      const res = await c.snapshot(await c.volume());
      return { status: res.status, body: res.json.snapshot.status };
    },
    healthy: { status: 202, body: 'creating' },
    faulty: { status: 200, body: 'creating' },
  },
  'delete-returns-204': {
    async probe(c) {
      const id = await c.ready(await c.volume());
      const res = await c.call('DELETE', `/snapshots/${id}`);
      await c.waitFor(`/snapshots/${id}`, 404);
      return { status: res.status, body: res.text };
    },
    healthy: { status: 202, body: '' },
    faulty: { status: 204, body: '' },
  },
  'envelope-flat': {
    async probe(c) {
      const res = await c.call('GET', '/snapshots/missing');
      return { status: res.status, body: res.json };
    },
    healthy: { status: 404, body: { itemNotFound: { code: 404, message: 'Snapshot missing could not be found.' } } },
    faulty: { status: 404, body: { code: 404, message: 'Snapshot missing could not be found.' } },
  },
  'envelope-code-mismatch': {
    async probe(c) {
      const res = await c.call('GET', '/snapshots/missing');
      return { status: res.status, body: res.json };
    },
    healthy: { status: 404, body: { itemNotFound: { code: 404, message: 'Snapshot missing could not be found.' } } },
    faulty: { status: 404, body: { itemNotFound: { code: 400, message: 'Snapshot missing could not be found.' } } },
  },
  'never-available': {
    async probe(c) {
      const res = await c.snapshot(await c.volume());
      return { created: res.json.snapshot.status, later: (await afterHold(c, res.json.snapshot.id)).value };
    },
    healthy: { created: 'creating', later: 'available' },
    faulty: { created: 'creating', later: 'creating' },
  },
  'error-on-create': {
    async probe(c) {
      const res = await c.snapshot(await c.volume());
      return { created: res.json.snapshot.status, later: (await afterHold(c, res.json.snapshot.id)).value };
    },
    healthy: { created: 'creating', later: 'available' },
    faulty: { created: 'creating', later: 'error' },
  },
  'delete-leaves-ghost': {
    async probe(c) {
      const id = await c.ready(await c.volume());
      const del = await c.call('DELETE', `/snapshots/${id}`);
      const after = await afterHold(c, id);
      return { delete: del.status, after: after.status, status: after.value };
    },
    healthy: { delete: 202, after: 404, status: null },
    faulty: { delete: 202, after: 200, status: 'deleting' },
  },
  'put-metadata-merges': {
    async probe(c) {
      const id = await withMetadata(c);
      const put = await c.call('PUT', `/snapshots/${id}/metadata`, { body: { metadata: { b: 'x', c: '3' } } });
      const post = await c.call('POST', `/snapshots/${id}/metadata`, { body: { metadata: { d: '4' } } });
      return { put: put.json.metadata, postKeys: Object.keys(post.json.metadata).sort() };
    },
    healthy: { put: { b: 'x', c: '3' }, postKeys: ['b', 'c', 'd'] },
    faulty: { put: { a: '1', b: 'x', c: '3' }, postKeys: ['a', 'b', 'c', 'd'] },
  },
  'post-metadata-replaces': {
    async probe(c) {
      const id = await withMetadata(c);
      const post = await c.call('POST', `/snapshots/${id}/metadata`, { body: { metadata: { c: '3' } } });
      const put = await c.call('PUT', `/snapshots/${id}/metadata`, { body: { metadata: { z: '9' } } });
      return { post: post.json.metadata, put: put.json.metadata };
    },
    healthy: { post: { a: '1', b: '2', c: '3' }, put: { z: '9' } },
    faulty: { post: { c: '3' }, put: { z: '9' } },
  },
  'delete-key-ignored': {
    async probe(c) {
      const id = await withMetadata(c);
      const del = await c.call('DELETE', `/snapshots/${id}/metadata/a`);
      const after = await c.call('GET', `/snapshots/${id}/metadata`);
      const missing = await c.call('DELETE', `/snapshots/${id}/metadata/zzz`);
      return { status: del.status, after: after.json.metadata, missing: missing.status };
    },
    healthy: { status: 200, after: { b: '2' }, missing: 404 },
    faulty: { status: 200, after: { a: '1', b: '2' }, missing: 404 },
  },
  'key-mismatch-accepted': {
    async probe(c) {
      const id = await withMetadata(c);
      const put = async (key: string, meta: Record<string, string>) => {
        const res = await c.call('PUT', `/snapshots/${id}/metadata/${key}`, { body: { meta } });
        return res.status === 200 ? 200 : `${res.status} ${res.json?.badRequest?.message}`;
      };
      return {
        other: await put('a', { z: '9' }),
        two: await put('a', { a: '3', c: '4' }),
        same: await put('a', { a: '5' }),
        stored: (await c.call('GET', `/snapshots/${id}/metadata`)).json.metadata,
      };
    },
    healthy: { other: '400 Request body and URI mismatch', two: '400 Request body contains too many items', same: 200, stored: { a: '5', b: '2' } },
    faulty: { other: 200, two: 200, same: 200, stored: { a: '5', b: '2' } },
  },
  'media-type-accepted': {
    async probe(c) {
      const body = JSON.stringify({ snapshot: { volume_id: await c.volume(), name: 'typed' } });
      const send = async (contentType: string) => (await c.call('POST', '/snapshots', { raw: body, contentType })).status;
      return { text: await send('text/plain'), xml: await send('application/xml'), json: await send('application/json') };
    },
    healthy: { text: 415, xml: 415, json: 202 },
    faulty: { text: 202, xml: 202, json: 202 },
  },
  'fault-name-wrong': {
    async probe(c) {
      const nameOf = (res: Res) => [res.status, Object.keys(res.json ?? {})[0]];
      return {
        missing: nameOf(await c.call('GET', '/snapshots/missing')),
        bad: nameOf(await c.call('POST', '/snapshots', { body: {} })),
        unauthorised: nameOf(await c.call('GET', '/snapshots', { token: null })),
      };
    },
    healthy: { missing: [404, 'itemNotFound'], bad: [400, 'badRequest'], unauthorised: [401, 'unauthorized'] },
    faulty: { missing: [404, 'badRequest'], bad: [400, 'badRequest'], unauthorised: [401, 'unauthorized'] },
  },
  'offset-ignored': {
    async probe(c) {
      await threeSnapshots(c);
      return { one: names(await c.call('GET', '/snapshots?offset=1')), paged: names(await c.call('GET', '/snapshots?offset=1&limit=1')), bad: (await c.call('GET', '/snapshots?offset=x')).status };
    },
    healthy: { one: ['n2', 'n1'], paged: ['n2'], bad: 400 },
    faulty: { one: ['n3', 'n2', 'n1'], paged: ['n3'], bad: 400 },
  },
  'bad-offset-accepted': {
    async probe(c) {
      const status = async (query: string) => (await c.call('GET', `/snapshots?${query}`)).status;
      return { negative: await status('offset=-1'), text: await status('offset=x'), zero: await status('offset=0'), limit: await status('limit=x') };
    },
    healthy: { negative: 400, text: 400, zero: 200, limit: 400 },
    faulty: { negative: 200, text: 200, zero: 200, limit: 400 },
  },
  'sort-param-ignored': {
    async probe(c) {
      await threeSnapshots(c);
      return {
        asc: names(await c.call('GET', '/snapshots?sort=created_at:asc')),
        byKey: names(await c.call('GET', '/snapshots?sort_key=created_at&sort_dir=asc')),
        plain: names(await c.call('GET', '/snapshots')),
      };
    },
    healthy: { asc: ['n1', 'n2', 'n3'], byKey: ['n1', 'n2', 'n3'], plain: ['n3', 'n2', 'n1'] },
    faulty: { asc: ['n3', 'n2', 'n1'], byKey: ['n1', 'n2', 'n3'], plain: ['n3', 'n2', 'n1'] },
  },
  ...filterFault('status-filter-ignored', 'status'),
  ...filterFault('volume-filter-ignored', 'volume'),
  ...filterFault('name-filter-substring', 'name'),
  'long-metadata-key-accepted': {
    async probe(c) {
      const v = await c.volume();
      const id = await c.ready(v, { metadata: { a: '1' } });
      return {
        create: (await c.snapshot(v, { metadata: { ['k'.repeat(256)]: 'v' } })).status,
        post: (await c.call('POST', `/snapshots/${id}/metadata`, { body: { metadata: { ['k'.repeat(256)]: 'v' } } })).status,
        at255: (await c.call('POST', `/snapshots/${id}/metadata`, { body: { metadata: { ['k'.repeat(255)]: 'v' } } })).status,
        longValue: (await c.call('POST', `/snapshots/${id}/metadata`, { body: { metadata: { k: 'v'.repeat(256) } } })).status,
      };
    },
    healthy: { create: 400, post: 413, at255: 200, longValue: 413 },
    faulty: { create: 202, post: 200, at255: 200, longValue: 413 },
  },
  'limits-count-bytes': {
    async probe(c) {
      const v = await c.volume();
      return {
        name: (await c.snapshot(v, { name: '雪'.repeat(255) })).status,
        description: (await c.snapshot(v, { description: '雪'.repeat(255) })).status,
        ascii256: (await c.snapshot(v, { name: 'n'.repeat(256) })).status,
        metadata: (await c.snapshot(v, { metadata: { k: '雪'.repeat(255) } })).status,
      };
    },
    healthy: { name: 202, description: 202, ascii256: 400, metadata: 202 },
    faulty: { name: 400, description: 400, ascii256: 400, metadata: 202 },
  },
  'description-control-chars-accepted': {
    async probe(c) {
      const v = await c.volume();
      return {
        bell: (await c.snapshot(v, { description: 'a\u0007b' })).status,
        separator: (await c.snapshot(v, { description: 'a\u2028b' })).status,
        printable: (await c.snapshot(v, { description: `0A !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~` })).status,
      };
    },
    healthy: { bell: 400, separator: 400, printable: 202 },
    faulty: { bell: 202, separator: 202, printable: 202 },
  },
  'metadata-filter-ignored': {
    async probe(c) {
      const v = await c.volume();
      await c.ready(v, { name: 'm1', metadata: { a: '1' } });
      await c.ready(v, { name: 'm2', metadata: { a: '2' } });
      const query = `/snapshots?metadata=${encodeURIComponent('{"a": "1"}')}`;
      return { at22: names(await c.call('GET', query, { mv: '3.22' })), at21: names(await c.call('GET', query, { mv: '3.21' })) };
    },
    healthy: { at22: ['m1'], at21: ['m2', 'm1'] },
    faulty: { at22: ['m2', 'm1'], at21: ['m2', 'm1'] },
  },
  'like-filter-ignored': {
    async probe(c) {
      const v = await c.volume();
      for (const name of ['alpha', 'beta']) await c.ready(v, { name });
      return { like: names(await c.call('GET', '/snapshots?name~=LPH', { mv: '3.34' })), exact: names(await c.call('GET', '/snapshots?name=beta', { mv: '3.34' })) };
    },
    healthy: { like: ['alpha'], exact: ['beta'] },
    faulty: { like: ['beta', 'alpha'], exact: ['beta'] },
  },
  'consumes-quota-filter-ignored': {
    async probe(c) {
      await c.ready(await c.volume(), { name: 'q1' });
      const at = (value: string) => c.call('GET', `/snapshots/detail?consumes_quota=${value}`, { mv: '3.65' }).then(names);
      return { yes: await at('true'), no: await at('false') };
    },
    healthy: { yes: ['q1'], no: [] },
    faulty: { yes: ['q1'], no: ['q1'] },
  },
  'with-count-missing': {
    async probe(c) {
      await threeSnapshots(c);
      const counted = (await c.call('GET', '/snapshots?with_count=true&limit=1', { mv: '3.45' })).json;
      const early = (await c.call('GET', '/snapshots?with_count=true', { mv: '3.44' })).json;
      return { count: counted.count ?? null, items: counted.snapshots.length, early: 'count' in early };
    },
    healthy: { count: 3, items: 1, early: false },
    faulty: { count: null, items: 1, early: false },
  },
  'pagination-skips-item': {
    async probe(c) {
      await threeSnapshots(c);
      const first = await c.call('GET', '/snapshots?limit=1');
      const rest = await c.call('GET', `/snapshots?marker=${first.json.snapshots[0].id}`);
      return { first: names(first), rest: names(rest) };
    },
    healthy: { first: ['n3'], rest: ['n2', 'n1'] },
    faulty: { first: ['n3'], rest: ['n1'] },
  },
  'links-missing': {
    async probe(c) {
      await threeSnapshots(c);
      const page = await c.call('GET', '/snapshots?limit=2');
      return { items: page.json.snapshots.length, links: page.json.snapshots_links?.length ?? 0 };
    },
    healthy: { items: 2, links: 1 },
    faulty: { items: 2, links: 0 },
  },
  'sort-ignored': {
    async probe(c) {
      await threeSnapshots(c);
      const get = async (q: string) => names(await c.call('GET', `/snapshots?${q}`, { mv: '3.30' }));
      return { sortDir: await get('sort_dir=asc'), sort: await get('sort=name:asc'), byNameDesc: await get('sort=name:desc') };
    },
    healthy: { sortDir: ['n1', 'n2', 'n3'], sort: ['n1', 'n2', 'n3'], byNameDesc: ['n3', 'n2', 'n1'] },
    faulty: { sortDir: ['n3', 'n2', 'n1'], sort: ['n3', 'n2', 'n1'], byNameDesc: ['n3', 'n2', 'n1'] },
  },
  'update-ignored': {
    async probe(c) {
      const { id, put } = await renamed(c);
      return { put, show: (await c.call('GET', `/snapshots/${id}`)).json.snapshot.name };
    },
    healthy: { put: 'new', show: 'new' },
    faulty: { put: 'new', show: 'old' },
  },
  'list-stale-name': {
    async probe(c) {
      const { id } = await renamed(c);
      return {
        show: (await c.call('GET', `/snapshots/${id}`)).json.snapshot.name,
        list: names(await c.call('GET', '/snapshots')),
        detail: names(await c.call('GET', '/snapshots/detail')),
      };
    },
    healthy: { show: 'new', list: ['new'], detail: ['new'] },
    faulty: { show: 'new', list: ['old'], detail: ['old'] },
  },
  'no-auth': {
    async probe(c) {
      const status = async (token: string | null) => (await c.call('GET', '/snapshots', { token })).status;
      return { none: await status(null), wrong: await status('wrong'), right: await status(TOKEN) };
    },
    healthy: { none: 401, wrong: 401, right: 200 },
    faulty: { none: 200, wrong: 200, right: 200 },
  },
  'accepts-long-name': {
    async probe(c) {
      const volumeId = await c.volume();
      const create = await c.snapshot(volumeId, { name: 'n'.repeat(256) });
      const ok = await c.snapshot(volumeId, { name: 'n'.repeat(255) });
      const update = await c.call('PUT', `/snapshots/${ok.json.snapshot.id}`, { body: { snapshot: { description: 'd'.repeat(256) } } });
      return { create: create.status, update: update.status, at255: ok.status };
    },
    healthy: { create: 400, update: 400, at255: 202 },
    faulty: { create: 202, update: 200, at255: 202 },
  },
  'accepts-unknown-fields': {
    async probe(c) {
      const volumeId = await c.volume();
      const create = await c.snapshot(volumeId, { bogus: true });
      const ok = await c.snapshot(volumeId);
      const update = await c.call('PUT', `/snapshots/${ok.json.snapshot.id}`, { body: { snapshot: { name: 'x', status: 'error' } } });
      const noVolume = await c.call('POST', '/snapshots', { body: { snapshot: { name: 'x' } } });
      return { create: create.status, update: update.status, noVolume: noVolume.status };
    },
    healthy: { create: 400, update: 400, noVolume: 400 },
    faulty: { create: 202, update: 200, noVolume: 400 },
  },
  'missing-volume-id-500': {
    async probe(c) {
      const missing = await c.call('POST', '/snapshots', { body: { snapshot: { name: 'x' } } });
      const bad = await c.call('POST', '/snapshots', { body: { snapshot: { volume_id: 'abc' } } });
      return { missing: Object.keys(missing.json)[0], status: missing.status, bad: bad.status };
    },
    healthy: { missing: 'badRequest', status: 400, bad: 400 },
    faulty: { missing: 'computeFault', status: 500, bad: 400 },
  },
  'malformed-json-500': {
    async probe(c) {
      const broken = await c.call('POST', '/snapshots', { raw: '{"snapshot": ' });
      const emptyBody = await c.call('POST', '/snapshots', { raw: '' });
      return { status: broken.status, name: Object.keys(broken.json)[0], empty: emptyBody.status };
    },
    healthy: { status: 400, name: 'badRequest', empty: 400 },
    faulty: { status: 500, name: 'computeFault', empty: 400 },
  },
  'unknown-id-500': {
    async probe(c) {
      const id = randomUUID();
      const show = await c.call('GET', `/snapshots/${id}`);
      const update = await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { name: 'x' } } });
      const del = await c.call('DELETE', `/snapshots/${id}`);
      const meta = await c.call('GET', `/snapshots/${id}/metadata`);
      return { statuses: [show.status, update.status, del.status], meta: meta.status };
    },
    healthy: { statuses: [404, 404, 404], meta: 404 },
    faulty: { statuses: [500, 500, 500], meta: 404 },
  },
  'delete-while-creating-allowed': {
    options: { delays: { ...FAST, snapshotCreateMs: 60_000 } },
    async probe(c) {
      const id = (await c.snapshot(await c.volume())).json.snapshot.id;
      const del = await c.call('DELETE', `/snapshots/${id}`);
      return { status: del.status };
    },
    healthy: { status: 400 },
    faulty: { status: 202 },
  },
  'no-request-id': {
    async probe(c) {
      const ok = await c.call('GET', '/snapshots');
      const miss = await c.call('GET', '/snapshots/missing');
      return { ok: 'x-openstack-request-id' in ok.headers, miss: 'x-openstack-request-id' in miss.headers, type: ok.headers['content-type'] };
    },
    healthy: { ok: true, miss: true, type: 'application/json' },
    faulty: { ok: false, miss: false, type: 'application/json' },
  },
  'content-type-text': {
    async probe(c) {
      const ok = await c.call('GET', '/snapshots');
      const miss = await c.call('GET', '/snapshots/missing');
      return { ok: ok.headers['content-type'], miss: miss.headers['content-type'], id: REQUEST_ID.test(ok.headers['x-openstack-request-id'] ?? '') };
    },
    healthy: { ok: 'application/json', miss: 'application/json', id: true },
    faulty: { ok: 'text/plain', miss: 'text/plain', id: true },
  },
  'unknown-marker-200': {
    async probe(c) {
      await threeSnapshots(c);
      const res = await c.call('GET', `/snapshots?limit=2&marker=${randomUUID()}`);
      return { status: res.status, names: res.json.snapshots ? names(res) : null };
    },
    healthy: { status: 404, names: null },
    faulty: { status: 200, names: ['n3', 'n2'] },
  },
  'quota-500': {
    options: { quotas: { snapshots: 1 } },
    async probe(c) {
      const volumeId = await c.volume();
      const first = await c.snapshot(volumeId);
      const second = await c.snapshot(volumeId);
      return { first: first.status, second: second.status, name: Object.keys(second.json)[0], retryAfter: second.headers['retry-after'] ?? null };
    },
    healthy: { first: 202, second: 413, name: 'overLimit', retryAfter: '0' },
    faulty: { first: 202, second: 500, name: 'computeFault', retryAfter: null },
  },
  'version-fields-early': {
    async probe(c) {
      const id = await c.ready(await c.volume());
      const fields = async (mv: string) => Object.keys((await c.call('GET', `/snapshots/${id}`, { mv })).json.snapshot).filter((k) => ['group_snapshot_id', 'user_id', 'consumes_quota'].includes(k));
      return { at3_0: await fields('3.0'), at3_70: await fields('3.70') };
    },
    healthy: { at3_0: [], at3_70: ['group_snapshot_id', 'user_id', 'consumes_quota'] },
    faulty: { at3_0: ['group_snapshot_id', 'user_id', 'consumes_quota'], at3_70: ['group_snapshot_id', 'user_id', 'consumes_quota'] },
  },
  'sort-name-early': {
    async probe(c) {
      await threeSnapshots(c);
      const sorted = async (mv: string) => (await c.call('GET', '/snapshots?sort_key=name&sort_dir=asc', { mv })).status;
      return { at3_29: await sorted('3.29'), at3_30: await sorted('3.30') };
    },
    healthy: { at3_29: 400, at3_30: 200 },
    faulty: { at3_29: 200, at3_30: 200 },
  },
  'force-false-accepted': {
    async probe(c) {
      const volumeId = await c.volume();
      return { at3_65: (await c.snapshot(volumeId, { force: false }, '3.65')).status, at3_66: (await c.snapshot(volumeId, { force: false }, '3.66')).status };
    },
    healthy: { at3_65: 202, at3_66: 400 },
    faulty: { at3_65: 202, at3_66: 202 },
  },
  'version-header-base': {
    async probe(c) {
      const header = async (mv: string) => (await c.call('GET', '/snapshots', { mv })).headers['openstack-api-version'];
      return { at3_0: await header('3.0'), at3_66: await header('3.66') };
    },
    healthy: { at3_0: 'volume 3.0', at3_66: 'volume 3.66' },
    faulty: { at3_0: 'volume 3.0', at3_66: 'volume 3.0' },
  },
};

test('an unknown fault name is refused at start', async () => {
  await expect(startCinderServer({ faults: ['bogus' as CinderFault] })).rejects.toThrow(/unknown Cinder fault/);
});

/**
 * A filter fault, seen through both lists: n1 and n3 on one volume, n2 on another, n3 in error, and
 * n10 on the first volume; each filter asks for one of them. What each list answers.
 */
function filterFault<F extends CinderFault>(fault: F, broken: 'name' | 'status' | 'volume') {
  const healthy = { name: ['n1', 'n1'], status: ['n3', 'n3'], volume: ['n2', 'n2'] };
  const faulty: Record<string, unknown> = { ...healthy };
  faulty[broken] = broken === 'name' ? [['n10', 'n1'], ['n10', 'n1']] : [['n10', 'n3', 'n2', 'n1'], ['n10', 'n3', 'n2', 'n1']];
  const spec: FaultCase<Api, CinderServerOptions> = {
    async probe(c) {
      const v1 = await c.volume();
      const v2 = await c.volume();
      await c.ready(v1, { name: 'n1' });
      await c.ready(v2, { name: 'n2' });
      const n3 = await c.ready(v1, { name: 'n3' });
      await c.ready(v1, { name: 'n10' });
      expect((await c.call('POST', `/snapshots/${n3}/action`, { body: { 'os-reset_status': { status: 'error' } } })).status).toBe(202);
      const pick = async (query: string) =>
        Promise.all(['/snapshots', '/snapshots/detail'].map(async (path) => {
          const found = names(await c.call('GET', `${path}?${query}`));
          return found.length === 1 ? found[0] : found;
        }));
      return { name: await pick('name=n1'), status: await pick('status=error'), volume: await pick(`volume_id=${v2}`) };
    },
    healthy,
    faulty,
  };
  return { [fault]: spec } as Record<F, FaultCase<Api, CinderServerOptions>>;
}

describeFaults({
  faults: cinderFaults,
  cases: faultCases,
  options: { token: TOKEN, delays: FAST },
  start: startCinderServer,
  client: (http, url) => new Api(http, url),
  coverageTitle: 'every named fault has a description and a test case',
  // Playwright files a test where test() is called: these keep the fault tests in this file.
  describe: (title, body) => test.describe(title, body),
  test: (title, body) => test(title, body),
});
