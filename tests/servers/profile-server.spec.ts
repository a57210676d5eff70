// Tests of the reference server every profile gets from its documents (src/servers/profile), over
// HTTP on 127.0.0.1 only, with the shipped profiles as its documents: routes, credentials (a header,
// a bearer scheme, a signer's verify), refusals and the envelope, states, the kinds of paging,
// operations to poll, labels, lookups; the add-on hooks and the faults. Each add-on's named faults
// are probed against a healthy twin at the end.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { embeddedBaseUrl, loadProfile, type Profile } from '../../src/profile/load.ts';
import { loadSigner } from '../../src/profile/requests.ts';
import { profileFaults, startProfileServer, type ProfileServerOptions } from '../../src/servers/profile/index.ts';
import { type FaultCase, type Res, ServerApi, describeFaults, serverTest, until } from '../support/server-api.ts';

const TOKEN = 'secret-token';
/** Exoscale's credentials are an API key and its secret. */
const KEY_SECRET = 'EXOkey:secret';

type Running = Awaited<ReturnType<typeof startProfileServer>>;

/** A client of a profile's server: its base URL, its credentials as the profile sends them. */
class Api extends ServerApi {
  constructor(
    http: APIRequestContext,
    root: string,
    readonly profile: Profile,
    token = profile.model.auth.kind === 'signer' ? KEY_SECRET : TOKEN,
  ) {
    super(http, root, token);
  }

  get base(): string {
    return embeddedBaseUrl(this.profile.id, this.root);
  }

  protected override async credentials(token: string, request: { method: string; url: string; body?: string }): Promise<Record<string, string>> {
    const auth = this.profile.model.auth;
    if (auth.kind === 'signer') return (await loadSigner(this.profile.model.modules.signer!)).sign({ ...request, headers: {} }, token);
    return { [auth.header!]: auth.scheme ? `${auth.scheme} ${token}` : token };
  }

  /** Asks for a resource until its status is this one (or it is gone: 404). */
  async waitFor(path: string, status: string | 404, at = (json: any) => json?.snapshot?.status): Promise<Res> {
    return until(() => this.call('GET', path), (res) => (status === 404 ? res.status === 404 : at(res.json) === status));
  }
}

const start = (id: string, options: ProfileServerOptions = {}) => startProfileServer(loadProfile(id), { token: id === 'exoscale' ? KEY_SECRET : TOKEN, ...options });

/** The tests of one profile's server, started once for the worker. */
const serverOf = (id: string, options: ProfileServerOptions = {}) => serverTest(() => start(id, options), (http, server) => new Api(http, server.url, loadProfile(id)));

/** Runs `fn` against a server of its own (other delays, faults), closed afterwards. */
async function withServer(http: APIRequestContext, id: string, options: ProfileServerOptions, fn: (c: Api, s: Running) => Promise<void>): Promise<void> {
  const own = await start(id, options);
  try {
    await fn(new Api(http, own.url, loadProfile(id)), own);
  } finally {
    await own.close();
  }
}

const name = (prefix = 'snap') => `${prefix}-${randomUUID().slice(0, 8)}`;

// ---------------------------------------------------------------------------------------------
// huawei-dws: a header token, states, a parent the server provides, a create that answers the id,
// a parent's own list (count, limit, offset, sort), busy while a snapshot is taken, names unique in
// any case, DWS's envelope.
test.describe('profile server: huawei-dws', () => {
  const test = serverOf('huawei-dws');
  const cluster = async (c: Api): Promise<string> => (await c.call('GET', '/clusters')).json.clusters[0].id;
  const make = async (c: Api, fields: Record<string, unknown> = {}) => c.call('POST', '/snapshots', { body: { snapshot: { name: name(), cluster_id: await cluster(c), ...fields } } });
  const ready = async (c: Api, fields: Record<string, unknown> = {}) => {
    const res = await make(c, fields);
    expect(res.status, res.text).toBe(200);
    await c.waitFor(`/snapshots/${res.json.snapshot.id}`, 'AVAILABLE');
    return res.json.snapshot.id as string;
  };

  test('routes: the document paths under its server URL; anything else is a 404 in the envelope', async ({ api, server }) => {
    expect((await api.call('GET', '/snapshots')).status).toBe(200);
    for (const [method, path] of [['GET', '/nothing'], ['PATCH', '/snapshots'], ['GET', `${server.url}/v9/x/snapshots`]] as const) {
      const res = await api.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ error_code: expect.stringMatching(/^[A-Z]+\.[0-9]{4}$/), error_msg: expect.any(String) });
    }
  });

  test('auth: no token, an empty one or a wrong one is refused with 401 in the envelope', async ({ api }) => {
    for (const token of [null, '', 'wrong']) {
      const res = await api.call('GET', '/snapshots', { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.json).toEqual({ error_code: expect.any(String), error_msg: 'The request carries no valid credentials.' });
    }
  });

  test('lookups: the cluster a run discovers is there from the start, ready', async ({ api }) => {
    const list = await api.call('GET', '/clusters');
    expect(list.json.clusters).toEqual([{ id: expect.any(String), status: 'AVAILABLE' }]);
    const id = list.json.clusters[0].id;
    expect((await api.call('GET', `/clusters/${id}`)).json.cluster).toMatchObject({ id, status: 'AVAILABLE' });
    expect((await api.call('GET', `/clusters/${randomUUID()}`)).status).toBe(404);
  });

  test('refusals: malformed, invalid, an unknown parent or resource, each with its documented status', async ({ api }) => {
    const expectRefused = (res: Res, status: number, message: RegExp) => {
      expect(res.status, res.text).toBe(status);
      expect(res.json.error_msg).toMatch(message);
    };
    expectRefused(await api.call('POST', '/snapshots', { raw: '{"snapshot":' }), 400, /not JSON/);
    expectRefused(await api.call('POST', '/snapshots', { raw: '[1]' }), 400, /not a JSON object/);
    expectRefused(await make(api, { name: 'ab' }), 400, /\/snapshot\/name/);
    expectRefused(await make(api, { description: 'a<b' }), 400, /\/snapshot\/description/);
    expectRefused(await make(api, { cluster_id: randomUUID() }), 404, /does not exist/);
    expectRefused(await api.call('GET', `/snapshots/${randomUUID()}`), 404, /does not exist/);
  });

  test('states: the create answers only the id; CREATING, then AVAILABLE; a delete answers 202 and the snapshot goes', async ({ api, server }) => {
    const created = await make(api, { description: 'kept' });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ snapshot: { id: expect.any(String) } });
    const id = created.json.snapshot.id;
    const shown = await api.call('GET', `/snapshots/${id}`);
    expect(['CREATING', 'AVAILABLE']).toContain(shown.json.snapshot.status);
    expect(shown.json.snapshot).toMatchObject({ id, description: 'kept', cluster_id: await cluster(api) });
    await api.waitFor(`/snapshots/${id}`, 'AVAILABLE');
    const deleted = await api.call('DELETE', `/snapshots/${id}`);
    expect(deleted.status).toBe(202);
    await api.waitFor(`/snapshots/${id}`, 404);
    expect((server.inventory().snapshots ?? []).map((s) => s.id)).not.toContain(id);
  });

  test('busy: while a snapshot of the cluster is CREATING, another create is answered 409', async ({ http }) => {
    // Snapshots that take a minute: the second create certainly meets the first one creating.
    await withServer(http, 'huawei-dws', { delays: { createMs: 60_000 } }, async (c) => {
      expect((await make(c)).status).toBe(200);
      const busy = await make(c);
      expect(busy.status).toBe(409);
      expect(busy.json.error_msg).toMatch(/in progress/);
    });
  });

  test('names are unique in any case; what is deleted frees its name', async ({ api }) => {
    const taken = name('Snap');
    const id = await ready(api, { name: taken });
    const again = await make(api, { name: taken.toLowerCase() });
    expect(again.status).toBe(400);
    expect(again.json.error_msg).toMatch(/is taken/);
    await api.call('DELETE', `/snapshots/${id}`);
    await api.waitFor(`/snapshots/${id}`, 404);
    await ready(api, { name: taken });
  });

  test("the parent's list: its count, limit, offset in pages of the limit, and sort by name either way", async ({ http }) => {
    await withServer(http, 'huawei-dws', { delays: { createMs: 0 } }, async (c) => {
      const cid = await cluster(c);
      const names = ['b-snap', 'c-snap', 'a-snap'];
      for (const n of names) expect((await make(c, { name: n })).status).toBe(200);
      const list = async (query: string) => (await c.call('GET', `/clusters/${cid}/snapshots?${query}`)).json;
      const namesOf = (json: any) => json.snapshots.map((s: { name: string }) => s.name);
      expect(await list('')).toMatchObject({ count: 3, cluster_id: cid });
      expect(namesOf(await list(''))).toEqual(names);
      expect(namesOf(await list('limit=2'))).toEqual(['b-snap', 'c-snap']);
      expect(namesOf(await list('limit=2&offset=1'))).toEqual(['a-snap']);
      expect((await list('limit=2&offset=1')).count).toBe(3);
      expect(namesOf(await list('sort_key=name&sort_dir=asc'))).toEqual(['a-snap', 'b-snap', 'c-snap']);
      expect(namesOf(await list('sort_key=name&sort_dir=desc'))).toEqual(['c-snap', 'b-snap', 'a-snap']);
      expect((await c.call('GET', `/clusters/${cid}/snapshots?limit=0`)).status).toBe(400);
      expect((await c.call('GET', `/clusters/${randomUUID()}/snapshots`)).status).toBe(404);
      expect((await c.call('GET', '/snapshots')).json.count).toBe(3);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// ntt-ecl: a synchronous create, writes one at a time (busy), lookups that make a parent, the
// preconditions (another volume type, a volume not ready), the version root, unique names on
// update, api_error_message on every answer.
test.describe('profile server: ntt-ecl', () => {
  const test = serverOf('ntt-ecl');
  /** The virtual storage of a volume type, as the run's lookups find it. */
  const storage = async (c: Api, type: string): Promise<string> => {
    const types = (await c.call('GET', '/volume_types')).json.volume_types;
    const typeId = types.find((t: { name: string }) => t.name === type).id;
    return (await c.call('GET', '/virtual_storages')).json.virtual_storages.find((v: { volume_type_id: string }) => v.volume_type_id === typeId).id;
  };
  const volume = async (c: Api, type = 'piops_iscsi_na') => {
    const res = await c.call('POST', '/volumes', { body: { volume: { name: name('vol'), size: 100, iops_per_gb: '2', virtual_storage_id: await storage(c, type) } } });
    expect(res.status, res.text).toBe(202);
    return res.json.volume.id as string;
  };
  const ready = async (c: Api, type?: string) => {
    const id = await volume(c, type);
    await c.waitFor(`/volumes/${id}`, 'available', (json) => json?.volume?.status);
    return id;
  };
  const snapshot = (c: Api, volumeId: string, fields: Record<string, unknown> = {}) => c.call('POST', '/snapshots', { body: { snapshot: { volume_id: volumeId, name: name(), ...fields } } });

  test('the version root: the versions at the root of the API, without a token', async ({ api, server }) => {
    const root = await api.call('GET', `${server.url}/`, { token: null });
    expect(root.status).toBe(300);
    expect(root.json.versions).toEqual([expect.objectContaining({ id: 'v1.0', status: 'CURRENT' })]);
  });

  test('the create is synchronous: available in its answer; every answer carries api_error_message', async ({ api }) => {
    const res = await snapshot(api, await ready(api), { description: 'daily' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ api_error_message: '', snapshot: { status: 'available', description: 'daily' } });
    const missing = await api.call('GET', `/snapshots/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ api_error_message: 'The resource does not exist.' });
  });

  test('preconditions: no snapshot of a volume not ready yet, nor of a volume of the other type', async ({ api }) => {
    const creating = await volume(api);
    const early = await snapshot(api, creating);
    expect(early.status).toBe(400);
    expect(early.json.api_error_message).toMatch(/is creating, not available/);
    const file = await ready(api, 'pre_nfs_na');
    const other = await snapshot(api, file);
    expect(other.status).toBe(400);
    expect(other.json.api_error_message).toMatch(/cannot hold resources/);
  });

  test('a made volume is ready once a show has answered it creating: a snapshot asked for at once meets it so, on any machine', async ({ http }) => {
    // No time to be ready in: only the show stands between the volume and available.
    await withServer(http, 'ntt-ecl', { delays: { parentCreateMs: 0 } }, async (c) => {
      const id = await volume(c);
      expect((await snapshot(c, id)).status).toBe(400);
      expect((await c.call('GET', `/volumes/${id}`)).json.volume.status).toBe('creating');
      await c.waitFor(`/volumes/${id}`, 'available', (json) => json?.volume?.status);
      const res = await snapshot(c, id);
      expect(res.status, res.text).toBeLessThan(300);
    });
  });

  test('writes go one at a time: a write that meets another under way is answered 409', async ({ http }) => {
    // A minute per write: the second certainly arrives while the first is under way.
    await withServer(http, 'ntt-ecl', { delays: { createMs: 60_000, parentCreateMs: 0 } }, async (c) => {
      const parent = await ready(c);
      const first = name('first');
      const pending = snapshot(c, parent, { name: first }).catch(() => undefined);
      await until(() => c.call('GET', '/snapshots'), (res) => res.json.snapshots.some((s: { name: string }) => s.name === first));
      const busy = await snapshot(c, parent);
      expect(busy.status).toBe(409);
      expect(busy.json.api_error_message).toMatch(/in progress/);
      // A refusal needs no turn: it is answered at once.
      expect((await snapshot(c, randomUUID())).status).toBe(404);
      void pending;
    });
  });

  test('names are unique in the tenant, on create and on update; its own name is no clash', async ({ api }) => {
    const parent = await ready(api);
    const a = (await snapshot(api, parent)).json.snapshot;
    const b = (await snapshot(api, parent)).json.snapshot;
    expect((await snapshot(api, parent, { name: a.name })).status).toBe(400);
    const renamed = await api.call('PUT', `/snapshots/${b.id}`, { body: { snapshot: { name: a.name } } });
    expect(renamed.status).toBe(400);
    expect(renamed.json.api_error_message).toMatch(/is taken/);
    const own = await api.call('PUT', `/snapshots/${b.id}`, { body: { snapshot: { name: b.name, description: 'new' } } });
    expect(own.status).toBe(200);
    expect((await api.call('GET', `/snapshots/${b.id}`)).json.snapshot).toMatchObject({ name: b.name, description: 'new' });
  });

  test("the lists: the volume_id filter on both, the detail's members", async ({ api }) => {
    const [one, two] = [await ready(api), await ready(api)];
    const mine = (await snapshot(api, one)).json.snapshot.id;
    await snapshot(api, two);
    for (const path of ['/snapshots', '/snapshots/detail']) {
      const res = await api.call('GET', `${path}?volume_id=${one}`);
      expect(res.json.snapshots.map((s: { id: string }) => s.id), path).toEqual([mine]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// huawei-evs: metadata (null, replace, merge, per key, a key mismatch), marker and offset paging
// with next links, query refusals, a limit per parent, filters (one from the parent), names
// stored stripped, the parents' own list.
test.describe('profile server: huawei-evs', () => {
  const test = serverOf('huawei-evs', { delays: { createMs: 0 } });
  const volume = async (c: Api) => (await c.call('POST', '/volumes', { body: { volume: { size: 10, name: name('vol') } } })).json.volume.id as string;
  const snapshot = (c: Api, volumeId: string, fields: Record<string, unknown> = {}) => c.call('POST', '/snapshots', { body: { snapshot: { volume_id: volumeId, name: name(), ...fields } } });
  const ids = (res: Res) => res.json.snapshots.map((s: { id: string }) => s.id);

  test('metadata: null at create is none; PUT replaces, POST merges, a key is read, written and deleted', async ({ api }) => {
    const id = (await snapshot(api, await volume(api), { metadata: null })).json.snapshot.id;
    const meta = `/snapshots/${id}/metadata`;
    expect((await api.call('GET', meta)).json).toEqual({ metadata: {} });
    expect((await api.call('PUT', meta, { body: { metadata: { a: '1', b: '2' } } })).json).toEqual({ metadata: { a: '1', b: '2' } });
    expect((await api.call('PUT', meta, { body: { metadata: { c: '3' } } })).json).toEqual({ metadata: { c: '3' } });
    expect((await api.call('POST', meta, { body: { metadata: { d: '4' } } })).json).toEqual({ metadata: { c: '3', d: '4' } });
    expect((await api.call('GET', `${meta}/c`)).json).toEqual({ meta: { c: '3' } });
    expect((await api.call('PUT', `${meta}/c`, { body: { meta: { c: '9' } } })).json).toEqual({ meta: { c: '9' } });
    const mismatch = await api.call('PUT', `${meta}/c`, { body: { meta: { z: '1' } } });
    expect(mismatch.status).toBe(400);
    expect((await api.call('DELETE', `${meta}/c`)).status).toBe(200);
    expect((await api.call('GET', `${meta}/c`)).status).toBe(404);
    expect((await api.call('GET', `/snapshots/${id}`)).json.snapshot.metadata).toEqual({ d: '4' });
  });

  test('paging: a limit, a next link by marker that follows on, an offset; bad values refused', async ({ api }) => {
    const parent = await volume(api);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await snapshot(api, parent)).json.snapshot.id);
    const first = await api.call('GET', `/snapshots?volume_id=${parent}&limit=2`);
    expect(ids(first)).toEqual(made.slice(0, 2));
    const next = first.json.snapshots_links.find((l: { rel: string }) => l.rel === 'next').href as string;
    expect(new URL(next).searchParams.get('marker')).toBe(made[1]);
    const second = await api.call('GET', next);
    expect(ids(second)).toEqual(made.slice(2));
    expect(second.json.snapshots_links).toBeUndefined();
    expect(ids(await api.call('GET', `/snapshots?volume_id=${parent}&offset=1`))).toEqual(made.slice(1));
    for (const query of ['limit=0', 'limit=1001', 'limit=x', 'offset=-1', `marker=${randomUUID()}`]) {
      const res = await api.call('GET', `/snapshots?${query}`);
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.json)).toHaveLength(1);
    }
  });

  test('a limit per parent: the eighth snapshot of a disk is refused, and nothing is made', async ({ api }) => {
    const parent = await volume(api);
    for (let i = 0; i < 7; i++) expect((await snapshot(api, parent)).status).toBe(202);
    const eighth = await snapshot(api, parent);
    expect(eighth.status).toBe(400);
    expect(ids(await api.call('GET', `/snapshots?volume_id=${parent}`))).toHaveLength(7);
  });

  test('filters: a name exactly, a status, a parent, and a field of the parent on the detail list', async ({ api }) => {
    const parent = await volume(api);
    const own = name('exact');
    const id = (await snapshot(api, parent, { name: own })).json.snapshot.id;
    expect(ids(await api.call('GET', `/snapshots?name=${own}`))).toEqual([id]);
    expect(ids(await api.call('GET', `/snapshots?name=${own.slice(0, -1)}`))).toEqual([]);
    expect(ids(await api.call('GET', `/snapshots?volume_id=${parent}&status=available`))).toEqual([id]);
    expect(ids(await api.call('GET', `/snapshots?volume_id=${parent}&status=error`))).toEqual([]);
    const zone = (await api.call('GET', `/volumes/${parent}`)).json.volume.availability_zone;
    expect(typeof zone).toBe('string');
    expect(ids(await api.call('GET', `/snapshots/detail?volume_id=${parent}&availability_zone=${zone}`))).toEqual([id]);
    expect(ids(await api.call('GET', `/snapshots/detail?volume_id=${parent}&availability_zone=${zone}-other`))).toEqual([]);
  });

  test("names are stored as the vendor's rule strips them", async ({ api }) => {
    const res = await snapshot(api, await volume(api), { name: '  padded\t', description: ' d ' });
    expect(res.json.snapshot).toMatchObject({ name: 'padded', description: 'd' });
  });

  test("the parents' own list pages by marker with a next link", async ({ api }) => {
    await volume(api);
    await volume(api);
    const page = await api.call('GET', '/volumes?limit=1');
    expect(page.json.volumes).toHaveLength(1);
    const next = page.json.volumes_links.find((l: { rel: string }) => l.rel === 'next').href;
    expect(new URL(next).searchParams.get('marker')).toBe(page.json.volumes[0].id);
  });
});

// ---------------------------------------------------------------------------------------------
// digitalocean: a bearer token, bare bodies, the parent in the path, no states, tags as a list,
// paging by page number with a next URL and a total, the code of each status at /id.
test.describe('profile server: digitalocean', () => {
  const test = serverOf('digitalocean');
  const volume = async (c: Api) => (await c.call('POST', '/v2/volumes', { body: { name: name('vol'), size_gigabytes: 1, region: 'nyc1' } })).json.volume.id as string;
  const snapshot = (c: Api, volumeId: string, fields: Record<string, unknown> = {}) => c.call('POST', `/v2/volumes/${volumeId}/snapshots`, { body: { name: name(), ...fields } });

  test('auth: a bearer token; none, another or one without its scheme is refused with the code of 401', async ({ api }) => {
    expect((await api.call('GET', '/v2/snapshots')).status).toBe(200);
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }] as Array<Record<string, string>>) {
      const res = await api.call('GET', '/v2/snapshots', { token: null, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json).toMatchObject({ id: 'unauthorized', message: expect.any(String) });
    }
    expect((await api.call('GET', `/v2/snapshots/${randomUUID()}`)).json).toMatchObject({ id: 'not_found' });
  });

  test('a bare create under its parent, tags kept, no states: there at once, and gone once 404', async ({ api }) => {
    const parent = await volume(api);
    const res = await snapshot(api, parent, { tags: ['a', 'b'] });
    expect(res.status).toBe(201);
    expect(res.json.snapshot).toMatchObject({ resource_id: parent, tags: ['a', 'b'] });
    expect((await api.call('GET', `/v2/snapshots/${res.json.snapshot.id}`)).status).toBe(200);
    expect((await api.call('DELETE', `/v2/snapshots/${res.json.snapshot.id}`)).status).toBe(204);
    await api.waitFor(`/v2/snapshots/${res.json.snapshot.id}`, 404);
  });

  test('paging by page number: a next URL while more are to come, and the total of all pages', async ({ api }) => {
    const parent = await volume(api);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await snapshot(api, parent)).json.snapshot.id);
    const first = await api.call('GET', `/v2/volumes/${parent}/snapshots?per_page=2&page=1`);
    expect(first.json.snapshots.map((s: { id: string }) => s.id)).toEqual(made.slice(0, 2));
    expect(first.json.meta.total).toBe(3);
    const next = new URL(first.json.links.pages.next);
    expect(next.searchParams.get('page')).toBe('2');
    const second = await api.call('GET', next.toString());
    expect(second.json.snapshots.map((s: { id: string }) => s.id)).toEqual(made.slice(2));
    expect(second.json.links?.pages?.next).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// exoscale: requests signed (the signer's verify), every write an operation to poll, the create as
// an action of the parent, labels set at create, replaced by an update that gives them and kept
// by one that does not.
test.describe('profile server: exoscale', () => {
  const test = serverOf('exoscale');
  /** The resource an operation was about, once it is over. */
  const done = async (c: Api, operation: Res): Promise<string> => {
    expect(operation.json.state).toBe('pending');
    const over = await c.waitFor(`/operation/${operation.json.id}`, 'success', (json) => json?.state);
    return over.json.reference.id;
  };
  const volume = async (c: Api) => {
    const id = await done(c, await c.call('POST', '/block-storage', { body: { name: name('vol'), size: 1 } }));
    await c.waitFor(`/block-storage/${id}`, 'detached', (json) => json?.state);
    return id;
  };

  test("auth: the signer's signature, checked with the credentials; unsigned or signed with another secret is refused", async ({ api, http, server }) => {
    expect((await api.call('GET', '/block-storage-snapshot')).status).toBe(200);
    const wrong = new Api(http, server.url, loadProfile('exoscale'), 'EXOkey:other');
    for (const res of [await api.call('GET', '/block-storage-snapshot', { token: null }), await wrong.call('GET', '/block-storage-snapshot')]) {
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ message: 'The request carries no valid credentials.' });
    }
  });

  test('every write answers an operation, pending, then over; the snapshot is made of its parent by an action', async ({ api }) => {
    const parent = await volume(api);
    const id = await done(api, await api.call('POST', `/block-storage/${parent}:create-snapshot`, { body: { name: name(), labels: { team: 'a' } } }));
    const shown = await api.waitFor(`/block-storage-snapshot/${id}`, 'created', (json) => json?.state);
    expect(shown.json).toMatchObject({ id, labels: { team: 'a' }, 'block-storage-volume': { id: parent } });
    expect((await api.call('GET', `/operation/${randomUUID()}`)).status).toBe(404);
  });

  test('labels: an update that gives them replaces them, one that does not keeps them', async ({ api }) => {
    const parent = await volume(api);
    const id = await done(api, await api.call('POST', `/block-storage/${parent}:create-snapshot`, { body: { name: name(), labels: { a: '1', b: '2' } } }));
    await api.waitFor(`/block-storage-snapshot/${id}`, 'created', (json) => json?.state);
    const labels = async () => (await api.call('GET', `/block-storage-snapshot/${id}`)).json.labels;
    await done(api, await api.call('PUT', `/block-storage-snapshot/${id}`, { body: { labels: { c: '3' } } }));
    expect(await labels()).toEqual({ c: '3' });
    await done(api, await api.call('PUT', `/block-storage-snapshot/${id}`, { body: { name: name('renamed') } }));
    expect(await labels()).toEqual({ c: '3' });
  });
});

// ---------------------------------------------------------------------------------------------
test.describe('profile server: faults', () => {
  test('a profile has its generic faults, each with the clauses meant to catch it, and its add-on’s named ones', async () => {
    const { faults, catches, generic } = await profileFaults(loadProfile('huawei-dws'));
    expect(catches['never-ready']).toEqual(['DWS-LIFE-02']);
    expect(generic.has('never-ready')).toBe(true);
    expect(faults['create-returns-full']).toMatch(/whole snapshot/);
    expect(catches['create-returns-full']).toEqual(['DWS-API-01']);
    expect(generic.has('create-returns-full')).toBe(false);
    // Only what the profile has: DWS has no update, no metadata, no labels.
    expect(Object.keys(faults).filter((f) => /update|metadata|labels/.test(f))).toEqual([]);
  });

  test('an unknown fault is refused, naming the known ones', async () => {
    await expect(start('huawei-dws', { faults: ['no-such-fault'] })).rejects.toThrow(/unknown huawei-dws fault\(s\): no-such-fault; known: .*never-ready/);
  });

  test('a generic fault turns its one behaviour wrong: another success status, a member dropped', async ({ request: http }) => {
    for (const [fault, expected] of [['status:listSnapshots', { status: 201, count: true }], ['count-missing', { status: 200, count: false }]] as const) {
      await withServer(http, 'huawei-dws', { faults: [fault] }, async (c) => {
        const res = await c.call('GET', '/snapshots');
        expect({ status: res.status, count: 'count' in res.json }, fault).toEqual(expected);
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The add-ons' named faults: each probe runs against a healthy server and a faulty one started
// with the same options, so the fault is the only difference between the two observations.

type Options = ProfileServerOptions;

/** A probe's client: a fresh one on the server at `url`. */
const clientOf = (id: string) => (http: APIRequestContext, url: string) => new Api(http, url, loadProfile(id));

async function addonFaults(id: string): Promise<Record<string, string>> {
  const { faults, generic } = await profileFaults(loadProfile(id));
  return Object.fromEntries(Object.entries(faults).filter(([f]) => !generic.has(f)));
}

const dwsCreate = async (c: Api, fields: Record<string, unknown>) => {
  const cluster = (await c.call('GET', '/clusters')).json.clusters[0].id;
  return c.call('POST', '/snapshots', { body: { snapshot: { name: name(), cluster_id: cluster, ...fields } } });
};
const dwsStatuses = (c: Api, ...fields: Array<Record<string, unknown>>) => Promise.all(fields.map(async (f) => (await dwsCreate(c, f)).status));

const DWS: Record<string, FaultCase<Api, Options>> = {
  'create-returns-full': { probe: async (c) => Object.keys((await dwsCreate(c, {})).json.snapshot).includes('name'), healthy: false, faulty: true },
  'name-rules-ignored': { probe: (c) => dwsStatuses(c, { name: 'a!' }, { name: 42 }), healthy: [400, 400], faulty: [200, 400] },
  'name-first-char-unchecked': { probe: (c) => dwsStatuses(c, { name: `1${name()}` }, { name: 'ab!cd' }), healthy: [400, 400], faulty: [200, 400] },
  'name-uppercase-refused': { probe: (c) => dwsStatuses(c, { name: name('Snap') }), healthy: [200], faulty: [400] },
  'description-chars-accepted': { probe: (c) => dwsStatuses(c, { description: 'a=b' }, { description: 'a<b' }), healthy: [400, 400], faulty: [200, 200] },
  'description-forbids-only-html': { probe: (c) => dwsStatuses(c, { description: 'a=b' }, { description: 'a<b' }), healthy: [400, 400], faulty: [200, 400] },
  'description-punctuation-refused': { probe: (c) => dwsStatuses(c, { description: 'a;b' }, { description: 'a-b, c.' }), healthy: [200, 200], faulty: [400, 200] },
  'description-bytes-not-chars': { probe: (c) => dwsStatuses(c, { description: 'é'.repeat(200) }), healthy: [200], faulty: [400] },
};

const eclCreate = async (c: Api) => {
  const types = (await c.call('GET', '/volume_types')).json.volume_types;
  const typeId = types.find((t: { name: string }) => t.name === 'piops_iscsi_na').id;
  const vs = (await c.call('GET', '/virtual_storages')).json.virtual_storages.find((v: { volume_type_id: string }) => v.volume_type_id === typeId).id;
  const parent = (await c.call('POST', '/volumes', { body: { volume: { name: name('vol'), size: 100, iops_per_gb: '2', virtual_storage_id: vs } } })).json.volume.id;
  return c.call('POST', '/snapshots', { body: { snapshot: { volume_id: parent, name: name() } } });
};

const ECL: Record<string, FaultCase<Api, Options>> = {
  'create-async': {
    probe: async (c) => {
      const res = await eclCreate(c);
      return { status: res.status, created: res.json.snapshot.status, later: (await c.waitFor(`/snapshots/${res.json.snapshot.id}`, 'available')).json.snapshot.status };
    },
    healthy: { status: 200, created: 'available', later: 'available' },
    faulty: { status: 202, created: 'creating', later: 'available' },
  },
  'no-api-error-message': { probe: async (c) => 'api_error_message' in (await c.call('GET', '/snapshots')).json, healthy: true, faulty: false },
  'created-at-format': { probe: async (c) => (await eclCreate(c)).json.snapshot.created_at.includes('T'), healthy: true, faulty: false },
};

const evsCreate = async (c: Api, fields: Record<string, unknown> = {}, volumeId?: string) => {
  const parent = volumeId ?? (await c.call('POST', '/volumes', { body: { volume: { size: 10, name: name('vol') } } })).json.volume.id;
  return c.call('POST', '/snapshots', { body: { snapshot: { volume_id: parent, name: name(), ...fields } } });
};
const evsList = async (c: Api, query: string) => (await c.call('GET', `/snapshots?${query}`)).status;

const EVS: Record<string, FaultCase<Api, Options>> = {
  'chars-not-bytes': { probe: async (c) => (await evsCreate(c, { name: 'é'.repeat(200) })).status, healthy: 400, faulty: 202 },
  'bytes-off-by-one': { probe: async (c) => (await evsCreate(c, { name: 'a'.repeat(255) })).status, healthy: 202, faulty: 400 },
  'description-control-chars-accepted': { probe: async (c) => (await evsCreate(c, { description: 'a\u0007b' })).status, healthy: 400, faulty: 202 },
  'reserved-prefix-overbroad': { probe: async (c) => (await evsCreate(c, { name: `x-AUTOBK_SNAPSHOT-${name()}` })).status, healthy: 202, faulty: 400 },
  'reserved-prefix-undeletable': {
    probe: async (c) => (await c.call('DELETE', `/snapshots/${(await evsCreate(c, { name: `autobk_snapshot_${name()}` })).json.snapshot.id}`)).status,
    healthy: 202,
    faulty: 403,
  },
  'numeric-error-code': { probe: async (c) => (await c.call('GET', `/snapshots/${randomUUID()}`)).json.itemNotFound.code, healthy: 'EVS.5404', faulty: 404 },
  'links-wrong-type': {
    probe: async (c) => {
      const first = await evsCreate(c);
      await evsCreate(c, {}, first.json.snapshot.volume_id);
      return typeof (await c.call('GET', `/snapshots?volume_id=${first.json.snapshot.volume_id}&limit=1`)).json.snapshots_links;
    },
    healthy: 'object',
    faulty: 'string',
  },
  'limit-over-1000-accepted': { probe: (c) => evsList(c, 'limit=1001'), healthy: 400, faulty: 200 },
  'limit-max-refused': { probe: (c) => evsList(c, 'limit=1000'), healthy: 200, faulty: 400 },
  'limit-zero-accepted': { probe: (c) => evsList(c, 'limit=0'), healthy: 400, faulty: 200 },
  'bad-offset-accepted': { probe: async (c) => [await evsList(c, 'offset=-1'), await evsList(c, 'offset=x')], healthy: [400, 400], faulty: [200, 200] },
};

for (const [id, cases] of [['huawei-dws', DWS], ['ntt-ecl', ECL], ['huawei-evs', EVS]] as const) {
  const faults = await addonFaults(id);
  test.describe(`${id} add-on`, () => {
    // Resources ready at once: a probe's creates never meet one another being made.
    describeFaults<string, Options, Api>({
      faults,
      cases,
      options: { delays: { createMs: 0 } },
      start: (options) => start(id, options),
      client: clientOf(id),
      coverageTitle: 'every named fault of the add-on has a probe',
      describe: test.describe,
      test,
    });
  });
}
