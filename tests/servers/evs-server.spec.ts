// Tests of the Huawei EVS reference server, over HTTP on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, request, test } from '@playwright/test';
import {
  type EvsFault,
  type EvsServerOptions,
  evsFaults,
  startEvsServer,
} from '../../src/servers/evs/index.ts';
import { CinderFamilyApi } from '../support/cinder-family-api.ts';
import { type CallOptions, type FaultCase, type Res, describeFaults, serverTest, sleep } from '../support/server-api.ts';

const TOKEN = 'evs-token';
const FAST = { snapshotCreateMs: 30, snapshotDeleteMs: 30, volumeCreateMs: 20, volumeDeleteMs: 20 };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const EVS_CODE = /^EVS\.\d{4}$/;
const SUMMARY_FIELDS = ['created_at', 'description', 'id', 'metadata', 'name', 'size', 'status', 'updated_at', 'volume_id'];
const EXTENDED = ['os-extended-snapshot-attributes:progress', 'os-extended-snapshot-attributes:project_id'];
const DETAIL_FIELDS = [...SUMMARY_FIELDS, ...EXTENDED].sort();
const DELETE_REFUSED = { error: { message: 'snapshot status must be available or error when delete snapshot!', code: 'EVS.1047' } };

// Strings by their UTF-8 size: '快' is 3 bytes, 'é' 2, '😀' 4 (and two UTF-16 units).
const cjk = (n: number) => '快'.repeat(n);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A client of the EVS server, in a project of its own. */
class Api extends CinderFamilyApi {
  constructor(http: APIRequestContext, root: string, family: 'v2' | 'v3' = 'v3') {
    super(http, root, TOKEN, family);
  }

  /** The same project through the other API family. */
  as(family: 'v2' | 'v3'): Api {
    const other = new Api(this.http, this.root, family);
    Object.assign(other, { project: this.project });
    return other;
  }

  async reset(id: string, status: string): Promise<void> {
    const res = await this.call('POST', `/snapshots/${id}/action`, { body: { 'os-reset_status': { status } } });
    expect(res.status).toBe(202);
  }
}

/** An error body: HTTP status, the wrapper key and the code, and that the message is a string. */
function envelope(res: Res): { status: number; wrapper: string; code: unknown } {
  expect(res.headers['content-type']).toBe('application/json');
  const keys = Object.keys(res.json ?? {});
  expect(keys).toHaveLength(1);
  const inner = res.json[keys[0]!];
  expect(Object.keys(inner).sort()).toEqual(['code', 'message']);
  expect(typeof inner.message).toBe('string');
  if (typeof inner.code === 'string') expect(inner.code).toMatch(EVS_CODE);
  return { status: res.status, wrapper: keys[0]!, code: inner.code };
}

const names = (res: Res): string[] => res.json.snapshots.map((s: { name: string }) => s.name);

// ---------------------------------------------------------------------------------------------
test.describe('EVS reference server', () => {
  const lines: string[] = [];
  const test = serverTest(() => startEvsServer({ token: TOKEN, delays: FAST, log: (line) => lines.push(line) }), (http, server) => new Api(http, server.url));

  test('version documents need no token; v3 advertises 3.0 only', async ({ api, server }) => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await api.call('GET', `${server.url}/`, { token: null });
    expect(root.status).toBe(300);
    expect(root.json.versions.map((v: { id: string }) => v.id)).toEqual(['v2.0', 'v3.0']);
    const v3 = await api.call('GET', `${server.url}/v3/`, { token: null });
    expect(v3.status).toBe(200);
    expect(v3.json.versions[0]).toMatchObject({ id: 'v3.0', min_version: '3.0', version: '3.0' });
    expect(v3.json.versions[0].links).toContainEqual({ rel: 'self', href: `${server.url}/v3/` });
  });

  test('auth: a missing, empty or wrong token is 401 in the error envelope with EVS.5401', async ({ api }) => {
    for (const token of [null, '', 'wrong']) {
      const res = await api.call('GET', '/snapshots', { token });
      expect(envelope(res)).toEqual({ status: 401, wrapper: 'error', code: 'EVS.5401' });
    }
    expect((await api.call('GET', '/snapshots')).status).toBe(200);
  });

  for (const family of ['v2', 'v3'] as const) {
    test(`${family}: lifecycle create -> available -> show/list/update -> delete -> gone`, async ({ server, http }) => {
      const c = new Api(http, server.url, family);
      const volumeId = await c.volume(3);
      const created = await c.snapshot(volumeId, { name: 'snap-001', description: 'Daily backup', force: false, metadata: { k: 'v' } });
      expect(created.status).toBe(202);
      expect(created.headers['content-type']).toBe('application/json');
      const s = created.json.snapshot;
      expect(Object.keys(s).sort()).toEqual(DETAIL_FIELDS);
      expect(s).toMatchObject({
        status: 'creating',
        name: 'snap-001',
        description: 'Daily backup',
        volume_id: volumeId,
        size: 3,
        metadata: { k: 'v' },
        updated_at: null,
        'os-extended-snapshot-attributes:progress': '0%',
        'os-extended-snapshot-attributes:project_id': c.project,
      });
      expect(s.created_at).toMatch(TIMESTAMP);
      await c.waitFor(`/snapshots/${s.id}`, 'available');

      const shown = await c.call('GET', `/snapshots/${s.id}`);
      expect(shown.status).toBe(200);
      expect(Object.keys(shown.json.snapshot).sort()).toEqual(DETAIL_FIELDS);
      expect(shown.json.snapshot['os-extended-snapshot-attributes:progress']).toBe('100%');
      expect(shown.json.snapshot.created_at).toBe(s.created_at);

      const list = await c.call('GET', '/snapshots');
      expect(list.json.snapshots).toHaveLength(1);
      expect(Object.keys(list.json.snapshots[0]).sort()).toEqual(SUMMARY_FIELDS);
      const detail = await c.call('GET', '/snapshots/detail');
      expect(Object.keys(detail.json.snapshots[0]).sort()).toEqual(DETAIL_FIELDS);

      const updated = await c.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { name: 'snap-002', description: null } } });
      expect(updated.status).toBe(200);
      expect(Object.keys(updated.json.snapshot).sort()).toEqual(DETAIL_FIELDS);
      expect(updated.json.snapshot).toMatchObject({ name: 'snap-002', description: null, status: 'available' });
      expect(updated.json.snapshot.updated_at).toMatch(TIMESTAMP);
      expect((await c.call('GET', `/snapshots/${s.id}`)).json.snapshot.name).toBe('snap-002');

      const deleted = await c.call('DELETE', `/snapshots/${s.id}`);
      expect(deleted.status).toBe(202);
      expect(deleted.text).toBe('');
      const during = await c.call('GET', `/snapshots/${s.id}`);
      expect([404, 'deleting']).toContain(during.status === 404 ? 404 : during.json.snapshot.status);
      await c.waitFor(`/snapshots/${s.id}`, 404);
      expect(envelope(await c.call('GET', `/snapshots/${s.id}`))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
      expect((await c.call('GET', '/snapshots')).json.snapshots).toEqual([]);
      expect(server.inventory().snapshots.filter((x) => x.projectId === c.project)).toEqual([]);
    });

    test(`${family}: metadata routes with Cinder's semantics and byte limits`, async ({ server, http }) => {
      const c = new Api(http, server.url, family);
      const id = await c.ready(await c.volume(), { metadata: { a: '1', b: '2' } });
      const path = `/snapshots/${id}/metadata`;
      expect((await c.call('GET', path)).json).toEqual({ metadata: { a: '1', b: '2' } });
      const posted = await c.call('POST', path, { body: { metadata: { b: 'x', c: '3' } } });
      expect(posted.status).toBe(200);
      expect(posted.json).toEqual({ metadata: { a: '1', b: 'x', c: '3' } });
      const put = await c.call('PUT', path, { body: { metadata: { z: '9' } } });
      expect(put.json).toEqual({ metadata: { z: '9' } });
      expect((await c.call('GET', path)).json).toEqual({ metadata: { z: '9' } });
      expect((await c.call('GET', `${path}/z`)).json).toEqual({ meta: { z: '9' } });
      const putKey = await c.call('PUT', `${path}/z`, { body: { meta: { z: '10' } } });
      expect(putKey.json).toEqual({ meta: { z: '10' } });
      expect(envelope(await c.call('PUT', `${path}/z`, { body: { meta: { y: '1' } } }))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
      expect(envelope(await c.call('GET', `${path}/nope`))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
      const del = await c.call('DELETE', `${path}/z`);
      expect(del.status).toBe(200);
      expect((await c.call('GET', path)).json).toEqual({ metadata: {} });

      // Keys and values: 255 bytes of UTF-8.
      expect((await c.call('POST', path, { body: { metadata: { v: cjk(85), [cjk(85)]: 'k' } } })).status).toBe(200);
      for (const metadata of [{ v: cjk(86) }, { [cjk(86)]: 'k' }, { v: 'a'.repeat(256) }]) {
        expect(envelope(await c.call('POST', path, { body: { metadata } }))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
        expect(envelope(await c.call('PUT', path, { body: { metadata } }))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
      }
      expect((await c.call('GET', path)).json.metadata.v).toBe(cjk(85));
      // At create time too (keys there follow Cinder's ASCII pattern).
      const volumeId = await c.volume();
      expect((await c.snapshot(volumeId, { metadata: { v: cjk(85) } })).status).toBe(202);
      expect(envelope(await c.snapshot(volumeId, { metadata: { v: cjk(86) } }))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
    });
  }

  test('delete only from available or error: EVS.1047 otherwise', async ({ api }) => {
    const volumeId = await api.volume();
    const created = await api.snapshot(volumeId);
    const id: string = created.json.snapshot.id;
    const early = await api.call('DELETE', `/snapshots/${id}`);
    expect(early.status).toBe(400);
    expect(early.json).toEqual(DELETE_REFUSED);
    await api.waitFor(`/snapshots/${id}`, 'available');
    for (const status of ['backing-up', 'rollbacking', 'error_deleting', 'creating']) {
      await api.reset(id, status);
      expect((await api.call('GET', `/snapshots/${id}`)).json.snapshot.status).toBe(status);
      const res = await api.call('DELETE', `/snapshots/${id}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual(DELETE_REFUSED);
    }
    expect(envelope(await api.call('POST', `/snapshots/${id}/action`, { body: { 'os-reset_status': { status: 'ready' } } }))).toMatchObject({ status: 400 });
    await api.reset(id, 'error');
    expect((await api.call('DELETE', `/snapshots/${id}`)).status).toBe(202);
    await api.waitFor(`/snapshots/${id}`, 404);
    expect(envelope(await api.call('DELETE', `/snapshots/${id}`))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
  });

  test('names and descriptions: at most 255 bytes of UTF-8, not characters', async ({ api }) => {
    const fits = [cjk(85), 'a'.repeat(255), 'é'.repeat(127) + 'a', '😀'.repeat(63) + 'abc', `${cjk(84)}abc`];
    const over = [cjk(86), cjk(100), 'a'.repeat(256), 'é'.repeat(128), '😀'.repeat(63) + 'abcd'];
    for (const s of fits) expect(bytes(s)).toBe(255);
    for (const s of over) expect(bytes(s)).toBeGreaterThan(255);
    expect([...cjk(100)].length).toBeLessThan(255); // 100 characters, 300 bytes

    for (const field of ['name', 'description']) {
      const volumeId = await api.volume(); // 5 snapshots each: under the 7 per disk
      for (const value of fits) {
        const res = await api.snapshot(volumeId, { [field]: value });
        expect(res.status, `${field} of ${bytes(value)} bytes`).toBe(202);
        expect(res.json.snapshot[field]).toBe(value);
      }
      for (const value of over) {
        const res = await api.snapshot(volumeId, { [field]: value });
        expect(envelope(res), `${field} of ${bytes(value)} bytes`).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
      }
    }
  });

  test('update keeps the same byte limits and stores nothing when refused', async ({ api }) => {
    const id = await api.ready(await api.volume(), { name: 'before' });
    expect((await api.call('PUT', `/snapshots/${id}`, { body: { snapshot: { name: cjk(85), description: cjk(85) } } })).status).toBe(200);
    for (const snapshot of [{ name: cjk(86) }, { description: cjk(100) }, { name: 'a'.repeat(256) }]) {
      const res = await api.call('PUT', `/snapshots/${id}`, { body: { snapshot } });
      expect(envelope(res)).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
    }
    const shown = (await api.call('GET', `/snapshots/${id}`)).json.snapshot;
    expect([shown.name, shown.description]).toEqual([cjk(85), cjk(85)]);
  });

  test('the autobk_snapshot_ prefix is accepted through the API and such snapshots delete normally', async ({ api }) => {
    const volumeId = await api.volume();
    const id = await api.ready(volumeId, { name: 'autobk_snapshot_20240101' });
    expect((await api.call('GET', `/snapshots/${id}`)).json.snapshot.name).toBe('autobk_snapshot_20240101');
    const other = await api.ready(volumeId, { name: 'x' });
    expect((await api.call('PUT', `/snapshots/${other}`, { body: { snapshot: { name: 'autobk_snapshot_renamed' } } })).status).toBe(200);
    for (const target of [id, other]) {
      expect((await api.call('DELETE', `/snapshots/${target}`)).status).toBe(202);
      await api.waitFor(`/snapshots/${target}`, 404);
    }
  });

  test('at most 7 snapshots per disk, counting every one not yet gone; the 8th creates nothing', async ({ api, server }) => {
    const disk = await api.volume();
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await api.snapshot(disk, { name: `s${i}` });
      expect(res.status).toBe(202);
      ids.push(res.json.snapshot.id);
    }
    const eighth = await api.snapshot(disk, { name: 's8' });
    expect(envelope(eighth)).toEqual({ status: 400, wrapper: 'error', code: 'EVS.2140' });
    const ofDisk = async () => (await api.call('GET', `/snapshots?volume_id=${disk}`)).json.snapshots.length;
    expect(await ofDisk()).toBe(7);
    expect(server.inventory().snapshots.filter((s) => s.projectId === api.project)).toHaveLength(7);

    // Another disk of the project is not affected.
    const other = await api.volume();
    expect((await api.snapshot(other)).status).toBe(202);

    // Snapshots in any status count (one held in `deleting`, one in `error`); one gone frees a place.
    for (const id of ids) await api.waitFor(`/snapshots/${id}`, 'available');
    await api.reset(ids[0]!, 'deleting');
    await api.reset(ids[1]!, 'error');
    expect(envelope(await api.snapshot(disk))).toEqual({ status: 400, wrapper: 'error', code: 'EVS.2140' });
    expect((await api.call('DELETE', `/snapshots/${ids[1]}`)).status).toBe(202);
    expect(envelope(await api.snapshot(disk))).toEqual({ status: 400, wrapper: 'error', code: 'EVS.2140' });
    await api.waitFor(`/snapshots/${ids[1]}`, 404);
    expect((await api.snapshot(disk, { name: 'again' })).status).toBe(202);
    expect(await ofDisk()).toBe(7);
    expect(envelope(await api.snapshot(disk))).toEqual({ status: 400, wrapper: 'error', code: 'EVS.2140' });
  });

  test('request validation like Cinder, in EVS envelopes', async ({ api, server }) => {
    const volumeId = await api.volume();
    const bad = { status: 400, wrapper: 'badRequest', code: 'EVS.5400' };
    const cases: Array<[string, CallOptions, unknown]> = [
      ['unknown member', { body: { snapshot: { volume_id: volumeId, colour: 'red' } } }, bad],
      ['unknown top-level member', { body: { snapshot: { volume_id: volumeId }, extra: 1 } }, bad],
      ['no volume_id', { body: { snapshot: { name: 'x' } } }, bad],
      ['volume_id not a UUID', { body: { snapshot: { volume_id: 'disk-1' } } }, bad],
      ['name not a string', { body: { snapshot: { volume_id: volumeId, name: 42 } } }, bad],
      ['description a list', { body: { snapshot: { volume_id: volumeId, description: [] } } }, bad],
      ['metadata a string', { body: { snapshot: { volume_id: volumeId, metadata: 'k=v' } } }, bad],
      ['metadata value a number', { body: { snapshot: { volume_id: volumeId, metadata: { k: 1 } } } }, bad],
      ['force not boolean', { body: { snapshot: { volume_id: volumeId, force: 'maybe' } } }, bad],
      ['snapshot not an object', { body: { snapshot: [] } }, bad],
      ['malformed JSON', { raw: '{"snapshot": ' }, bad],
      ['empty body', { raw: '' , contentType: 'application/json' }, bad],
      ['wrong media type', { raw: JSON.stringify({ snapshot: { volume_id: volumeId } }), contentType: 'text/plain' }, { status: 415, wrapper: 'badMediaType', code: 'EVS.5415' }],
      ['unknown volume', { body: { snapshot: { volume_id: randomUUID() } } }, { status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' }],
    ];
    for (const [what, opts, expected] of cases) {
      const res = await api.call('POST', '/snapshots', opts);
      expect(envelope(res), what).toEqual(expected);
    }
    const id = await api.ready(volumeId);
    expect(envelope(await api.call('PUT', `/snapshots/${id}`, { body: { snapshot: { size: 2 } } }))).toEqual(bad);
    expect(envelope(await api.call('PUT', `/snapshots/${id}`, { body: { snapshot: {} } }))).toEqual(bad);
    expect(envelope(await api.call('PUT', `/snapshots/${randomUUID()}`, { body: { snapshot: { name: 'x' } } }))).toMatchObject({ status: 404, wrapper: 'itemNotFound' });
    expect(envelope(await api.call('DELETE', `/snapshots/${randomUUID()}`))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
    expect(envelope(await api.call('GET', '/nothing-here'))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
    expect(envelope(await api.call('GET', `${server.url}/v1/${api.project}/snapshots`))).toMatchObject({ status: 404 });
    expect((await api.call('GET', '/snapshots')).json.snapshots).toHaveLength(1);
  });

  for (const family of ['v2', 'v3'] as const) {
    test(`${family}: snapshot pages, order, filters and snapshots_links`, async ({ server, http }) => {
      const c = new Api(http, server.url, family);
      const volumeId = await c.volume();
      const ids: Record<string, string> = {};
      for (const name of ['s1', 's2', 's3', 's4', 's5']) ids[name] = await c.ready(volumeId, { name });
      const noLinks = family === 'v2' ? { present: true, value: null } : { present: false, value: undefined };
      const linksOf = (res: Res) => ({ present: 'snapshots_links' in res.json, value: res.json.snapshots_links });

      const all = await c.call('GET', '/snapshots');
      expect(names(all)).toEqual(['s5', 's4', 's3', 's2', 's1']); // created_at descending
      expect(linksOf(all)).toEqual(noLinks);

      const first = await c.call('GET', '/snapshots?limit=2');
      expect(names(first)).toEqual(['s5', 's4']);
      expect(first.json.snapshots_links).toEqual([{ href: `${c.base}/snapshots?limit=2&marker=${ids.s4}`, rel: 'next' }]);
      const second = await c.call('GET', first.json.snapshots_links[0].href);
      expect(names(second)).toEqual(['s3', 's2']);
      expect(second.json.snapshots_links).toEqual([{ href: `${c.base}/snapshots?limit=2&marker=${ids.s2}`, rel: 'next' }]);
      const last = await c.call('GET', second.json.snapshots_links[0].href);
      expect(names(last)).toEqual(['s1']);
      expect(linksOf(last)).toEqual(noLinks);

      // An exact last page has no next link; other parameters are kept in the href; detail keeps its path.
      expect(linksOf(await c.call('GET', '/snapshots?limit=5'))).toEqual(noLinks);
      const filtered = await c.call('GET', `/snapshots/detail?status=available&limit=3&volume_id=${volumeId}`);
      expect(names(filtered)).toEqual(['s5', 's4', 's3']);
      expect(filtered.json.snapshots_links).toEqual([
        { href: `${c.base}/snapshots/detail?status=available&limit=3&volume_id=${volumeId}&marker=${ids.s3}`, rel: 'next' },
      ]);

      expect(names(await c.call('GET', '/snapshots?offset=1&limit=2'))).toEqual(['s4', 's3']);
      expect(names(await c.call('GET', '/snapshots?offset=4'))).toEqual(['s1']);
      expect(names(await c.call('GET', `/snapshots?marker=${ids.s3}`))).toEqual(['s2', 's1']);
      expect(names(await c.call('GET', '/snapshots?sort_dir=asc&limit=2'))).toEqual(['s1', 's2']);
      expect(names(await c.call('GET', '/snapshots?name=s2'))).toEqual(['s2']);
      expect(names(await c.call('GET', '/snapshots?status=creating'))).toEqual([]);
      expect(names(await c.call('GET', `/snapshots?volume_id=${randomUUID()}`))).toEqual([]);
      expect((await c.call('GET', '/snapshots?limit=1000')).status).toBe(200);
    });
  }

  test('list parameter errors: limit over 1000 is EVS.2142, bad limit/offset EVS.5400, unknown marker EVS.1024', async ({ api }) => {
    for (const path of ['/snapshots', '/snapshots/detail', '/volumes']) {
      expect(envelope(await api.call('GET', `${path}?limit=1001`))).toEqual({ status: 400, wrapper: 'error', code: 'EVS.2142' });
      for (const limit of ['0', '-1', 'abc', '1.5', '']) {
        expect(envelope(await api.call('GET', `${path}?limit=${limit}`)), `limit=${limit}`).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
      }
      for (const offset of ['-1', 'x']) {
        expect(envelope(await api.call('GET', `${path}?offset=${offset}`)), `offset=${offset}`).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
      }
      expect(envelope(await api.call('GET', `${path}?marker=${randomUUID()}`))).toEqual({ status: 400, wrapper: 'error', code: 'EVS.1024' });
    }
  });

  for (const family of ['v2', 'v3'] as const) {
    test(`${family}: disk list pages with volumes_links as EVS's example shows`, async ({ server, http }) => {
      const c = new Api(http, server.url, family);
      const ids: string[] = [];
      for (const name of ['d1', 'd2', 'd3', 'd4']) ids.push(await c.volume(1, name));
      const first = await c.call('GET', '/volumes?limit=3');
      expect(first.status).toBe(200);
      expect(Object.keys(first.json).sort()).toEqual(['volumes', 'volumes_links']);
      expect(first.json.volumes.map((v: { name: string }) => v.name)).toEqual(['d4', 'd3', 'd2']);
      const item = first.json.volumes[0];
      expect(Object.keys(item)).toEqual(['id', 'links', 'name']);
      expect(item.links).toEqual([
        { href: `${c.base}/volumes/${ids[3]}`, rel: 'self' },
        { href: `${server.url}/${c.project}/volumes/${ids[3]}`, rel: 'bookmark' },
      ]);
      expect(first.json.volumes_links).toEqual([{ href: `${c.base}/volumes?limit=3&marker=${ids[1]}`, rel: 'next' }]);
      const rest = await c.call('GET', first.json.volumes_links[0].href);
      expect(rest.json.volumes.map((v: { name: string }) => v.name)).toEqual(['d1']);
      expect(rest.json).not.toHaveProperty('volumes_links');
      expect((await c.call('GET', '/volumes')).json).not.toHaveProperty('volumes_links');

      const detail = await c.call('GET', '/volumes/detail?limit=2');
      expect(detail.json.volumes[0]).toMatchObject({ id: ids[3], name: 'd4', status: 'available', size: 1 });
      expect(detail.json.volumes_links).toEqual([{ href: `${c.base}/volumes/detail?limit=2&marker=${ids[2]}`, rel: 'next' }]);
      expect((await c.call('GET', `/volumes/${ids[0]}`)).json.volume).toMatchObject({ id: ids[0], name: 'd1' });
      expect(envelope(await c.call('GET', `/volumes/${randomUUID()}`))).toEqual({ status: 404, wrapper: 'itemNotFound', code: 'EVS.5404' });
    });
  }

  test('a disk with snapshots cannot be deleted; without, it goes', async ({ api }) => {
    const disk = await api.volume();
    const snap = await api.ready(disk);
    expect(envelope(await api.call('DELETE', `/volumes/${disk}`))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
    expect((await api.call('DELETE', `/snapshots/${snap}`)).status).toBe(202);
    await api.waitFor(`/snapshots/${snap}`, 404);
    const res = await api.call('DELETE', `/volumes/${disk}`);
    expect(res.status).toBe(202);
    await api.waitFor(`/volumes/${disk}`, 404, 'volume');
  });

  test('data is kept per project; the same project answers alike on v2 and v3', async ({ api, server, http }) => {
    const v3 = api;
    const v2 = api.as('v2');
    const id = await v3.ready(await v3.volume(), { name: 'shared' });
    expect((await v2.call('GET', `/snapshots/${id}`)).json.snapshot.name).toBe('shared');
    const stranger = new Api(http, server.url);
    expect((await stranger.call('GET', `/snapshots/${id}`)).status).toBe(404);
    expect((await stranger.call('GET', '/snapshots')).json.snapshots).toEqual([]);
  });

  test('stats count requests and writes; the log gets one line per request', async ({ api, server }) => {
    const before = server.stats();
    const seen = lines.length;
    await api.call('GET', '/snapshots');
    await api.call('POST', '/snapshots', { body: { snapshot: {} } });
    const after = server.stats();
    expect(after.requests - before.requests).toBe(2);
    expect(after.writes - before.writes).toBe(1);
    expect((after.byMethod.POST ?? 0) - (before.byMethod.POST ?? 0)).toBe(1);
    expect(lines.length - seen).toBe(2);
    expect(lines.at(-1)).toMatch(/^POST \/v3\/\w+\/snapshots 400 /);
  });
});

test.describe('EVS quotas and shutdown', () => {
  let http: APIRequestContext;
  test.beforeAll(async () => {
    http = await request.newContext();
  });
  test.afterAll(async () => {
    await http.dispose();
  });

  test('project quotas: 413 overLimit with EVS.5413', async () => {
    const server = await startEvsServer({ delays: FAST, quotas: { snapshots: 2, volumes: 1 } });
    try {
      const c = new Api(http, server.url);
      const volumeId = await c.volume();
      expect(envelope(await c.call('POST', '/volumes', { body: { volume: { size: 1 } } }))).toEqual({ status: 413, wrapper: 'overLimit', code: 'EVS.5413' });
      expect((await c.snapshot(volumeId)).status).toBe(202);
      expect((await c.snapshot(volumeId)).status).toBe(202);
      expect(envelope(await c.snapshot(volumeId))).toEqual({ status: 413, wrapper: 'overLimit', code: 'EVS.5413' });
      // Another project has its own quota; any non-empty token is accepted without `token`.
      const other = new Api(http, server.url);
      expect((await other.call('GET', '/snapshots', { token: 'anything' })).status).toBe(200);
      await other.volume();
    } finally {
      await server.close();
    }
  });

  test('close() stops the server at once, with transitions still pending', async () => {
    const server = await startEvsServer({ delays: { snapshotCreateMs: 60_000, volumeCreateMs: 60_000 } });
    const c = new Api(http, server.url);
    const res = await c.call('POST', '/volumes', { body: { volume: { size: 1 } } });
    expect(res.status).toBe(202);
    expect(server.inventory().volumes).toEqual([expect.objectContaining({ status: 'creating', projectId: c.project })]);
    // A snapshot needs an available disk.
    expect(envelope(await c.snapshot(res.json.volume.id))).toEqual({ status: 400, wrapper: 'badRequest', code: 'EVS.5400' });
    const started = Date.now();
    await server.close();
    await server.close(); // idempotent
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(http.fetch(`${server.url}/`, { timeout: 2000 })).rejects.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Faults: each probe runs against a healthy server and a faulty one started with the same options.
// The healthy observation proves the probe checks the right thing; the faulty one differs only in
// the fault's own behaviour (the other fields of the observation stay as on the healthy server).

/** Polls a snapshot until its status leaves `from`, for at most `ms`; returns the status last seen. */
async function settle(c: Api, id: string, from = 'creating', ms = 2000): Promise<string | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await c.call('GET', `/snapshots/${id}`);
    const value: string | null = res.json?.snapshot?.status ?? null;
    if (value !== from || Date.now() > deadline) return value;
    await sleep(10);
  }
}

/** 7 snapshots on one disk, then an 8th: its status, and how many the disk then has. */
async function eighth(c: Api) {
  const disk = await c.volume();
  for (let i = 0; i < 7; i++) expect((await c.snapshot(disk)).status).toBe(202);
  const res = await c.snapshot(disk);
  const count = (await c.call('GET', `/snapshots?volume_id=${disk}`)).json.snapshots.length;
  return { eighth: res.status, count, otherDisk: (await c.snapshot(await c.volume())).status };
}

/** The error bodies of a 404, a 401 and an EVS-specific 400. */
async function errorBodies(c: Api) {
  return {
    missing: (await c.call('GET', '/snapshots/missing')).json,
    unauthorised: (await c.call('GET', '/snapshots', { token: null })).json,
    limit: (await c.call('GET', '/snapshots?limit=1001')).json,
  };
}

const createStatus = async (c: Api, volumeId: string, fields: Record<string, unknown>) => (await c.snapshot(volumeId, fields)).status;

const faultCases: Record<EvsFault, FaultCase<Api, EvsServerOptions>> = {
  'eighth-snapshot-accepted': {
    probe: eighth,
    healthy: { eighth: 400, count: 7, otherDisk: 202 },
    faulty: { eighth: 202, count: 8, otherDisk: 202 },
  },
  'limit-refused-but-created': {
    probe: eighth,
    healthy: { eighth: 400, count: 7, otherDisk: 202 },
    faulty: { eighth: 400, count: 8, otherDisk: 202 },
  },
  'chars-not-bytes': {
    async probe(c) {
      const v = await c.volume();
      return {
        name300bytes: await createStatus(c, v, { name: cjk(100) }),
        description300bytes: await createStatus(c, v, { description: cjk(100) }),
        name255bytes: await createStatus(c, v, { name: cjk(85) }),
        ascii256: await createStatus(c, v, { name: 'a'.repeat(256) }),
        metadata258bytes: await createStatus(c, v, { metadata: { k: cjk(86) } }),
      };
    },
    healthy: { name300bytes: 400, description300bytes: 400, name255bytes: 202, ascii256: 400, metadata258bytes: 400 },
    faulty: { name300bytes: 202, description300bytes: 202, name255bytes: 202, ascii256: 400, metadata258bytes: 400 },
  },
  'bytes-off-by-one': {
    async probe(c) {
      const v = await c.volume();
      const id = await c.ready(v);
      return {
        name255: await createStatus(c, v, { name: cjk(85) }),
        description255: await createStatus(c, v, { description: 'a'.repeat(255) }),
        update255: (await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { name: 'é'.repeat(127) + 'a' } } })).status,
        name254: await createStatus(c, v, { name: 'a'.repeat(254) }),
        name256: await createStatus(c, v, { name: 'a'.repeat(256) }),
        metadata255: await createStatus(c, v, { metadata: { k: cjk(85) } }),
      };
    },
    healthy: { name255: 202, description255: 202, update255: 200, name254: 202, name256: 400, metadata255: 202 },
    faulty: { name255: 400, description255: 400, update255: 400, name254: 202, name256: 400, metadata255: 202 },
  },
  'reserved-prefix-undeletable': {
    async probe(c) {
      const v = await c.volume();
      const reserved = await c.ready(v, { name: 'autobk_snapshot_1' });
      const plain = await c.ready(v, { name: 'plain' });
      const res = await c.call('DELETE', `/snapshots/${reserved}`);
      return {
        reserved: res.status === 202 ? 202 : envelope(res),
        plain: (await c.call('DELETE', `/snapshots/${plain}`)).status,
      };
    },
    healthy: { reserved: 202, plain: 202 },
    faulty: { reserved: { status: 403, wrapper: 'forbidden', code: 'EVS.5403' }, plain: 202 },
  },
  'envelope-flat': {
    probe: errorBodies,
    healthy: {
      missing: { itemNotFound: { message: 'Snapshot missing could not be found.', code: 'EVS.5404' } },
      unauthorised: { error: { message: 'Authentication required.', code: 'EVS.5401' } },
      limit: { error: { message: 'limit param must be less than or equal to 1000.', code: 'EVS.2142' } },
    },
    faulty: {
      missing: { message: 'Snapshot missing could not be found.', code: 'EVS.5404' },
      unauthorised: { message: 'Authentication required.', code: 'EVS.5401' },
      limit: { message: 'limit param must be less than or equal to 1000.', code: 'EVS.2142' },
    },
  },
  'numeric-error-code': {
    probe: errorBodies,
    healthy: {
      missing: { itemNotFound: { message: 'Snapshot missing could not be found.', code: 'EVS.5404' } },
      unauthorised: { error: { message: 'Authentication required.', code: 'EVS.5401' } },
      limit: { error: { message: 'limit param must be less than or equal to 1000.', code: 'EVS.2142' } },
    },
    faulty: {
      missing: { itemNotFound: { message: 'Snapshot missing could not be found.', code: 404 } },
      unauthorised: { error: { message: 'Authentication required.', code: 401 } },
      limit: { error: { message: 'limit param must be less than or equal to 1000.', code: 400 } },
    },
  },
  'limit-over-1000-accepted': {
    async probe(c) {
      const status = async (path: string) => (await c.call('GET', path)).status;
      return {
        snapshots1001: await status('/snapshots?limit=1001'),
        volumes5000: await status('/volumes?limit=5000'),
        limit1000: await status('/snapshots?limit=1000'),
        limit0: await status('/snapshots?limit=0'),
      };
    },
    healthy: { snapshots1001: 400, volumes5000: 400, limit1000: 200, limit0: 400 },
    faulty: { snapshots1001: 200, volumes5000: 200, limit1000: 200, limit0: 400 },
  },
  'links-wrong-type': {
    async probe(c) {
      const v = await c.volume();
      for (const name of ['a', 'b', 'c']) await c.snapshot(v, { name });
      const kind = (value: unknown) => (Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value);
      const v2 = c.as('v2');
      const v3Next = (await c.call('GET', '/snapshots?limit=2')).json;
      const v2Last = (await v2.call('GET', '/snapshots?limit=3')).json;
      const v3Last = (await c.call('GET', '/snapshots?limit=3')).json;
      const volumes = (await c.call('GET', '/volumes?limit=1')).json;
      return {
        v3Next: kind(v3Next.snapshots_links),
        v2Next: kind((await v2.call('GET', '/snapshots/detail?limit=1')).json.snapshots_links),
        v2Last: kind(v2Last.snapshots_links),
        v3LastPresent: 'snapshots_links' in v3Last,
        items: v3Next.snapshots.length,
        volumesLinks: kind(volumes.volumes_links),
      };
    },
    healthy: { v3Next: 'list', v2Next: 'list', v2Last: 'null', v3LastPresent: false, items: 2, volumesLinks: 'undefined' },
    faulty: { v3Next: 'string', v2Next: 'string', v2Last: 'string', v3LastPresent: false, items: 2, volumesLinks: 'undefined' },
  },
  'volumes-links-missing': {
    async probe(c) {
      const v = await c.volume();
      await c.volume();
      await c.volume();
      await c.snapshot(v);
      await c.snapshot(v);
      const page = (await c.call('GET', '/volumes?limit=2')).json;
      const detail = (await c.call('GET', '/volumes/detail?limit=1')).json;
      return {
        items: page.volumes.length,
        volumesLinks: Array.isArray(page.volumes_links),
        detailLinks: Array.isArray(detail.volumes_links),
        snapshotsLinks: Array.isArray((await c.call('GET', '/snapshots?limit=1')).json.snapshots_links),
      };
    },
    healthy: { items: 2, volumesLinks: true, detailLinks: true, snapshotsLinks: true },
    faulty: { items: 2, volumesLinks: false, detailLinks: false, snapshotsLinks: true },
  },
  'delete-while-creating-allowed': {
    options: { delays: { ...FAST, snapshotCreateMs: 400 } },
    async probe(c) {
      const v = await c.volume();
      const creating = (await c.snapshot(v)).json.snapshot.id;
      const first = await c.call('DELETE', `/snapshots/${creating}`);
      const other = await c.ready(v);
      await c.reset(other, 'backing-up');
      return { creating: first.status, backingUp: (await c.call('DELETE', `/snapshots/${other}`)).status };
    },
    healthy: { creating: 400, backingUp: 400 },
    faulty: { creating: 202, backingUp: 400 },
  },
  'put-metadata-merges': {
    async probe(c) {
      const id = await c.ready(await c.volume(), { metadata: { a: '1', b: '2' } });
      const path = `/snapshots/${id}/metadata`;
      const put = (await c.call('PUT', path, { body: { metadata: { b: 'x', c: '3' } } })).json.metadata;
      const post = (await c.call('POST', path, { body: { metadata: { d: '4' } } })).json.metadata;
      return { put, postKeys: Object.keys(post).sort() };
    },
    healthy: { put: { b: 'x', c: '3' }, postKeys: ['b', 'c', 'd'] },
    faulty: { put: { a: '1', b: 'x', c: '3' }, postKeys: ['a', 'b', 'c', 'd'] },
  },
  'status-unknown': {
    async probe(c) {
      const created = (await c.snapshot(await c.volume())).json.snapshot;
      const settled = await settle(c, created.id);
      const status = (res: Res) => res.json.snapshots.map((s: { status: string }) => s.status);
      return {
        created: created.status,
        show: settled,
        list: status(await c.call('GET', '/snapshots')),
        detail: status(await c.call('GET', '/snapshots/detail')),
        filter: (await c.call('GET', '/snapshots?status=available')).json.snapshots.length,
      };
    },
    healthy: { created: 'creating', show: 'available', list: ['available'], detail: ['available'], filter: 1 },
    faulty: { created: 'creating', show: 'ready', list: ['ready'], detail: ['ready'], filter: 1 },
  },
  'offset-ignored': {
    async probe(c) {
      const v = await c.volume(1, 'd1');
      await c.volume(1, 'd2');
      for (const name of ['n1', 'n2', 'n3']) await c.snapshot(v, { name });
      return {
        snapshots: names(await c.call('GET', '/snapshots?offset=1')),
        detail: names(await c.call('GET', '/snapshots/detail?offset=2&limit=1')),
        volumes: (await c.call('GET', '/volumes?offset=1')).json.volumes.map((x: { name: string }) => x.name),
        bad: (await c.call('GET', '/snapshots?offset=x')).status,
      };
    },
    healthy: { snapshots: ['n2', 'n1'], detail: ['n1'], volumes: ['d1'], bad: 400 },
    faulty: { snapshots: ['n3', 'n2', 'n1'], detail: ['n3'], volumes: ['d1'], bad: 400 },
  },
  'key-mismatch-accepted': {
    async probe(c) {
      const id = await c.ready(await c.volume(), { metadata: { a: '1' } });
      const put = async (key: string, meta: Record<string, string>) => {
        const res = await c.call('PUT', `/snapshots/${id}/metadata/${key}`, { body: { meta } });
        return res.status === 200 ? 200 : envelope(res);
      };
      return {
        other: await put('a', { b: '2' }),
        two: await put('a', { a: '3', c: '4' }),
        same: await put('a', { a: '5' }),
        stored: (await c.call('GET', `/snapshots/${id}/metadata`)).json.metadata,
      };
    },
    healthy: {
      other: { status: 400, wrapper: 'badRequest', code: 'EVS.5400' },
      two: { status: 400, wrapper: 'badRequest', code: 'EVS.5400' },
      same: 200,
      stored: { a: '5' },
    },
    faulty: { other: 200, two: 200, same: 200, stored: { a: '5' } },
  },
  ...filterFault('name-filter-ignored', ['name']),
  ...filterFault('status-filter-ignored', ['status']),
  ...filterFault('volume-filter-ignored', ['volume']),
  ...filterFault('detail-filters-ignored', ['name', 'status', 'volume'], 'detail'),
  'zone-filter-ignored': {
    async probe(c) {
      await c.ready(await c.volume(), { name: 'n1' });
      const zone = (query: string) => c.call('GET', `/snapshots/detail?availability_zone=${query}`).then(names);
      return { nova: await zone('nova'), other: await zone('elsewhere'), summary: names(await c.call('GET', '/snapshots?availability_zone=elsewhere')) };
    },
    healthy: { nova: ['n1'], other: [], summary: ['n1'] },
    faulty: { nova: ['n1'], other: ['n1'], summary: ['n1'] },
  },
  'name-filter-substring': {
    async probe(c) {
      const v = await c.volume();
      for (const name of ['snap-1', 'snap-10', 'other']) await c.snapshot(v, { name });
      const named = (name: string) => c.call('GET', `/snapshots?name=${name}`).then(names);
      return { exact: await named('snap-1'), start: await named('snap'), none: await named('zzz') };
    },
    healthy: { exact: ['snap-1'], start: [], none: [] },
    faulty: { exact: ['snap-10', 'snap-1'], start: ['snap-10', 'snap-1'], none: [] },
  },
  'bad-offset-accepted': {
    async probe(c) {
      const status = async (query: string) => (await c.call('GET', `/snapshots?${query}`)).status;
      return { negative: await status('offset=-1'), text: await status('offset=x'), zero: await status('offset=0'), limit: await status('limit=x') };
    },
    healthy: { negative: 400, text: 400, zero: 200, limit: 400 },
    faulty: { negative: 200, text: 200, zero: 200, limit: 400 },
  },
  'limit-zero-accepted': {
    async probe(c) {
      const v = await c.volume();
      for (const name of ['n1', 'n2']) await c.snapshot(v, { name });
      const zero = await c.call('GET', '/snapshots?limit=0');
      return { zero: zero.status, items: zero.json.snapshots?.length ?? null, negative: (await c.call('GET', '/snapshots?limit=-1')).status, one: (await c.call('GET', '/snapshots?limit=1')).status };
    },
    healthy: { zero: 400, items: null, negative: 400, one: 200 },
    faulty: { zero: 200, items: 2, negative: 400, one: 200 },
  },
  'limit-max-refused': {
    async probe(c) {
      const status = async (query: string) => (await c.call('GET', query)).status;
      return { max: await status('/snapshots?limit=1000'), volumes: await status('/volumes?limit=1000'), below: await status('/snapshots?limit=999'), over: await status('/snapshots?limit=1001') };
    },
    healthy: { max: 200, volumes: 200, below: 200, over: 400 },
    faulty: { max: 400, volumes: 400, below: 200, over: 400 },
  },
  'reserved-prefix-overbroad': {
    async probe(c) {
      const v = await c.volume();
      return {
        exact: await createStatus(c, v, { name: 'autobk_snapshot_1' }),
        noUnderscore: await createStatus(c, v, { name: 'autobk_snapshot1' }),
        upper: await createStatus(c, v, { name: 'AUTOBK_SNAPSHOT_1' }),
        inside: await createStatus(c, v, { name: 'x-autobk_snapshot_' }),
        plain: await createStatus(c, v, { name: 'autobk' }),
      };
    },
    healthy: { exact: 202, noUnderscore: 202, upper: 202, inside: 202, plain: 202 },
    faulty: { exact: 400, noUnderscore: 400, upper: 400, inside: 400, plain: 202 },
  },
  'description-control-chars-accepted': {
    async probe(c) {
      const v = await c.volume();
      const id = await c.ready(v);
      return {
        bell: await createStatus(c, v, { description: 'a\u0007b' }),
        separator: await createStatus(c, v, { description: 'a\u2028b' }),
        update: (await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { description: 'x\u0000y' } } })).status,
        printable: await createStatus(c, v, { description: `0A !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~ 雪` }),
      };
    },
    healthy: { bell: 400, separator: 400, update: 400, printable: 202 },
    faulty: { bell: 202, separator: 202, update: 200, printable: 202 },
  },
};

/**
 * A filter fault, seen through both lists: n1 and n3 on one disk, n2 on another, n3 in error; each
 * filter asks for one of them. What each list answers (a name, or every name when it selects more).
 */
function filterFault<F extends EvsFault>(fault: F, broken: Array<'name' | 'status' | 'volume'>, lists: 'both' | 'detail' = 'both') {
  const healthy = { name: ['n1', 'n1'], status: ['n3', 'n3'], volume: ['n2', 'n2'] };
  const all = ['n3', 'n2', 'n1'];
  const faulty: Record<string, unknown> = { ...healthy };
  for (const key of broken) faulty[key] = lists === 'detail' ? [healthy[key][0], all] : [all, all];
  const spec: FaultCase<Api, EvsServerOptions> = {
    async probe(c) {
      const d1 = await c.volume(1, 'd1');
      const d2 = await c.volume(1, 'd2');
      await c.ready(d1, { name: 'n1' });
      await c.ready(d2, { name: 'n2' });
      await c.reset(await c.ready(d1, { name: 'n3' }), 'error');
      const pick = async (query: string) =>
        Promise.all(['/snapshots', '/snapshots/detail'].map(async (path) => {
          const found = names(await c.call('GET', `${path}?${query}`));
          return found.length === 1 ? found[0] : found;
        }));
      return { name: await pick('name=n1'), status: await pick('status=error'), volume: await pick(`volume_id=${d2}`) };
    },
    healthy,
    faulty,
  };
  return { [fault]: spec } as Record<F, FaultCase<Api, EvsServerOptions>>;
}

test('an unknown fault name is refused at start', async () => {
  await expect(startEvsServer({ faults: ['bogus' as EvsFault] })).rejects.toThrow(/unknown EVS fault/);
});

describeFaults({
  faults: evsFaults,
  cases: faultCases,
  options: { token: TOKEN, delays: FAST },
  start: startEvsServer,
  client: (http, url) => new Api(http, url),
  // Playwright files a test where test() is called: these keep the fault tests in this file.
  describe: (title, body) => test.describe(title, body),
  test: (title, body) => test(title, body),
});
