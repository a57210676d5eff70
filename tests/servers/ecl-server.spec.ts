// Tests of the NTT ECL Storage reference server, over HTTP on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, test } from '@playwright/test';
import {
  type EclFault,
  type EclServerOptions,
  eclFaults,
  startEclServer,
} from '../../src/servers/ecl/index.ts';
import { type FaultCase, type Res, ServerApi, describeFaults, serverTest, sleep } from '../support/server-api.ts';

const TOKEN = 'ecl-test-token';
const FAST = { snapshotCreateMs: 60, volumeCreateMs: 150, busyMs: 15 };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SNAPSHOT_FIELDS = [
  'id', 'status', 'name', 'description', 'usage', 'volume_id', 'snapshot_type_id',
  'created_at', 'updated_at', 'deleted_at', 'error_message', 'delete_reason',
];
const VOLUME_FIELDS = [
  'id', 'status', 'name', 'description', 'size', 'iops_per_gb', 'initiator_iqns', 'initiator_secret',
  'target_secret', 'throughput', 'snapshot_ids', 'target_ips', 'metadata', 'virtual_storage_id',
  'availability_zone', 'created_at', 'updated_at', 'error_message', 'percent_snapshot_reserve_used', 'export_rules',
];
const BUSY = /^Tenant is busy\. /;

/** A client bound to one server and one tenant (a fresh tenant by default). */
class Api extends ServerApi {
  readonly tenant = randomUUID().replaceAll('-', '');
  private storages?: Record<string, string>;

  constructor(http: APIRequestContext, root: string) {
    super(http, root, TOKEN);
  }

  get base(): string {
    return `${this.root}/v1.0/${this.tenant}`;
  }

  /** The tenant's virtual storage id for a volume type name. */
  async storage(typeName: 'piops_iscsi_na' | 'pre_nfs_na'): Promise<string> {
    if (!this.storages) {
      const types = (await this.call('GET', '/volume_types')).json.volume_types as Array<{ id: string; name: string }>;
      const storages = (await this.call('GET', '/virtual_storages')).json.virtual_storages as Array<{ id: string; volume_type_id: string }>;
      this.storages = Object.fromEntries(storages.map((s) => [types.find((t) => t.id === s.volume_type_id)!.name, s.id]));
    }
    return this.storages[typeName]!;
  }

  async createVolume(fields: Record<string, unknown> = {}, typeName: 'piops_iscsi_na' | 'pre_nfs_na' = 'piops_iscsi_na'): Promise<Res> {
    const size = typeName === 'piops_iscsi_na' ? 100 : 256;
    const volume = { name: `vol-${randomUUID().slice(0, 8)}`, size, virtual_storage_id: await this.storage(typeName), ...fields };
    return this.call('POST', '/volumes', { body: { volume } });
  }

  /** An available volume's id. */
  async volume(typeName: 'piops_iscsi_na' | 'pre_nfs_na' = 'piops_iscsi_na'): Promise<string> {
    const res = await this.createVolume({}, typeName);
    expect(res.status).toBe(202);
    const id: string = res.json.volume.id;
    await this.waitFor(`/volumes/${id}`, (r) => r.json?.volume?.status === 'available');
    return id;
  }

  snapshot(volumeId: string, name = `snap-${randomUUID().slice(0, 8)}`, extra: Record<string, unknown> = {}): Promise<Res> {
    return this.call('POST', '/snapshots', { body: { snapshot: { volume_id: volumeId, name, ...extra } } });
  }

  async waitFor(path: string, done: (r: Res) => boolean, ms = 3000): Promise<Res> {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await this.call('GET', path);
      if (done(res)) return res;
      if (Date.now() > deadline) throw new Error(`${path} did not settle: ${JSON.stringify(res.json)}`);
      await sleep(10);
    }
  }

  /** A write retried on 409 Tenant is busy, as ECL clients do. */
  async retried(method: string, path: string, body?: unknown): Promise<Res> {
    for (let i = 0; ; i++) {
      const res = await this.call(method, path, { body });
      if (res.status !== 409 || i > 200) return res;
      await sleep(5);
    }
  }

  async count(path = '/snapshots'): Promise<number> {
    return (await this.call('GET', path)).json.snapshots.length;
  }
}

function expectError(res: Res, status: number, message: RegExp = /./): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(Object.keys(res.json)).toEqual(['api_error_message']);
  expect(res.json.api_error_message).toMatch(message);
}

// ---------------------------------------------------------------------------------------------
test.describe('ecl reference server', () => {
  const test = serverTest(() => startEclServer({ token: TOKEN, delays: FAST }), (http, server) => new Api(http, server.url));

  test('GET / lists v1.0 only, as CURRENT, without a token', async ({ api, server }) => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await api.call('GET', `${server.url}/`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json.api_error_message).toBe('');
    expect(res.json.versions).toHaveLength(1);
    expect(res.json.versions[0]).toMatchObject({ id: 'v1.0', status: 'CURRENT' });
  });

  test('auth: a missing, empty or wrong token is 401 with the envelope', async ({ api }) => {
    for (const token of [null, '', 'wrong']) expectError(await api.call('GET', '/snapshots', { token }), 401);
    expect((await api.call('GET', '/snapshots')).status).toBe(200);
  });

  test('any non-empty token is accepted when none is configured', async ({ http }) => {
    const open = await startEclServer({ delays: FAST });
    try {
      const c = new Api(http, open.url);
      expect((await c.call('GET', '/volume_types', { token: 'anything' })).status).toBe(200);
      expectError(await c.call('GET', '/volume_types', { token: null }), 401);
    } finally {
      await open.close();
    }
  });

  test('volume types: the block and the file type, listed and shown', async ({ api }) => {
    const res = await api.call('GET', '/volume_types');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['api_error_message', 'volume_types']);
    expect(res.json.api_error_message).toBe('');
    const types = res.json.volume_types as Array<{ id: string; name: string; extra_specs: Record<string, unknown> }>;
    expect(types.map((t) => t.name)).toEqual(['piops_iscsi_na', 'pre_nfs_na']);
    for (const t of types) {
      expect(Object.keys(t).sort()).toEqual(['extra_specs', 'id', 'name']);
      expect(t.id).toMatch(UUID);
      expect(t.extra_specs.available_volume_size).toEqual(expect.any(Array));
    }
    expect(types[0]!.extra_specs.available_iops_per_gb).toEqual(['2', '4']);
    expect(types[1]!.extra_specs.available_volume_throughput).toEqual(expect.any(Array));
    const one = await api.call('GET', `/volume_types/${types[1]!.id}`);
    expect(one.json).toEqual({ api_error_message: '', volume_type: types[1] });
    expect((await api.call('GET', '/volume_types/detail')).json.volume_types).toEqual(types);
    expectError(await api.call('GET', `/volume_types/${randomUUID()}`), 404);
  });

  test('virtual storages: one available per volume type, per tenant, not in the inventory', async ({ api, server, http }) => {
    const types = (await api.call('GET', '/volume_types')).json.volume_types as Array<{ id: string }>;
    const res = await api.call('GET', '/virtual_storages');
    expect(res.status).toBe(200);
    expect(res.json.api_error_message).toBe('');
    const storages = res.json.virtual_storages as Array<Record<string, any>>;
    expect(storages.map((s) => s.volume_type_id).sort()).toEqual(types.map((t) => t.id).sort());
    for (const s of storages) {
      expect(s).toMatchObject({ id: expect.stringMatching(UUID), name: expect.any(String), status: 'available' });
      expect(s.created_at).toMatch(TIMESTAMP);
      const one = await api.call('GET', `/virtual_storages/${s.id}`);
      expect(one.json).toEqual({ api_error_message: '', virtual_storage: s });
    }
    const other = new Api(http, server.url);
    const theirs = (await other.call('GET', '/virtual_storages')).json.virtual_storages as Array<{ id: string }>;
    expect(theirs.map((s) => s.id)).not.toContain(storages[0]!.id);
    expectError(await other.call('GET', `/virtual_storages/${storages[0]!.id}`), 404);
    const ids = new Set(storages.map((s) => s.id));
    expect(server.inventory().volumes.filter((v) => ids.has(v.id))).toEqual([]);
  });

  test('volume create: 202 creating, then available, with the documented fields', async ({ api, server }) => {
    const vsId = await api.storage('piops_iscsi_na');
    const res = await api.createVolume({ name: 'data-1', size: 250, description: 'd', iops_per_gb: '4', initiator_iqns: ['iqn.2003-01.org:a'] });
    expect(res.status).toBe(202);
    expect(res.json.api_error_message).toBe('');
    const v = res.json.volume;
    expect(Object.keys(v).sort()).toEqual([...VOLUME_FIELDS].sort());
    expect(v).toMatchObject({ name: 'data-1', size: 250, description: 'd', status: 'creating', iops_per_gb: '4', virtual_storage_id: vsId, snapshot_ids: [] });
    expect(v.initiator_iqns).toEqual(['iqn.2003-01.org:a']);
    expect(v.created_at).toMatch(TIMESTAMP);
    expect(server.inventory().volumes).toContainEqual({ id: v.id, name: 'data-1', status: expect.any(String), projectId: api.tenant });
    const ready = await api.waitFor(`/volumes/${v.id}`, (r) => r.json.volume.status === 'available');
    expect(ready.json.volume.target_ips).toHaveLength(1);
    for (const path of ['/volumes', '/volumes/detail']) {
      const list = await api.call('GET', path);
      expect(list.json.api_error_message).toBe('');
      expect(list.json.volumes).toEqual([ready.json.volume]);
    }
    const file = await api.createVolume({ size: 512, throughput: '100' }, 'pre_nfs_na');
    expect(file.status).toBe(202);
    expect(file.json.volume).toMatchObject({ throughput: '100', iops_per_gb: null });
  });

  test('volume create validation', async ({ api }) => {
    const vsId = await api.storage('piops_iscsi_na');
    const bad: Array<[Record<string, unknown>, number]> = [
      [{ size: 100, virtual_storage_id: vsId }, 400], // no name
      [{ name: 'a', virtual_storage_id: vsId }, 400], // no size
      [{ name: 'a', size: '100', virtual_storage_id: vsId }, 400],
      [{ name: 'a', size: 99, virtual_storage_id: vsId }, 400],
      [{ name: 'a', size: 12001, virtual_storage_id: vsId }, 400],
      [{ name: 'a', size: 100.5, virtual_storage_id: vsId }, 400],
      [{ name: 'a', size: 100 }, 400], // no virtual storage
      [{ name: 'a', size: 100, virtual_storage_id: randomUUID() }, 404],
      [{ name: 'a', size: 100, virtual_storage_id: vsId, iops_per_gb: '3' }, 400],
      [{ name: 'a', size: 100, virtual_storage_id: vsId, iops_per_gb: 2 }, 400],
      [{ name: 'a', size: 100, virtual_storage_id: vsId, throughput: '50' }, 400],
      [{ name: 'a', size: 100, virtual_storage_id: vsId, colour: 'red' }, 400],
    ];
    for (const [volume, status] of bad) expectError(await api.call('POST', '/volumes', { body: { volume } }), status);
    expectError(await api.createVolume({ iops_per_gb: '2' }, 'pre_nfs_na'), 400);
    expectError(await api.createVolume({ size: 300 }, 'pre_nfs_na'), 400);
    expect((await api.createVolume({ name: 'twice' })).status).toBe(202);
    expectError(await api.createVolume({ name: 'twice' }), 400, /already used/);
    expect((await api.call('GET', '/volumes')).json.volumes).toHaveLength(1);
  });

  test('synchronous snapshot lifecycle: create 200 available, show, list, update, delete, gone', async ({ api, server }) => {
    const volumeId = await api.volume();
    const started = Date.now();
    const created = await api.snapshot(volumeId, 'snapshot01');
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.snapshotCreateMs - 5);
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('application/json');
    expect(Object.keys(created.json)).toEqual(['api_error_message', 'snapshot']);
    expect(created.json.api_error_message).toBe('');
    const s = created.json.snapshot;
    expect(Object.keys(s)).toEqual(SNAPSHOT_FIELDS);
    expect(s).toMatchObject({
      id: expect.stringMatching(UUID),
      status: 'available',
      name: 'snapshot01',
      description: '',
      usage: 0,
      volume_id: volumeId,
      snapshot_type_id: expect.stringMatching(UUID),
      updated_at: null,
      deleted_at: null,
      error_message: '',
      delete_reason: '',
    });
    expect(s.created_at).toMatch(TIMESTAMP);
    expect(server.inventory().snapshots).toContainEqual({ id: s.id, name: 'snapshot01', status: 'available', projectId: api.tenant });

    expect((await api.call('GET', `/snapshots/${s.id}`)).json).toEqual({ api_error_message: '', snapshot: s });
    for (const path of ['/snapshots', '/snapshots/detail', `/snapshots?volume_id=${volumeId}`, `/snapshots/detail?volume_id=${volumeId}`]) {
      expect((await api.call('GET', path)).json).toEqual({ api_error_message: '', snapshots: [s] });
    }
    expect((await api.call('GET', `/snapshots?volume_id=${randomUUID()}`)).json.snapshots).toEqual([]);
    expect((await api.call('GET', `/volumes/${volumeId}`)).json.volume.snapshot_ids).toEqual([s.id]);

    const described = await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { description: 'test desc' } } });
    expect(described.status).toBe(200);
    expect(described.json.api_error_message).toBe('');
    expect(described.json.snapshot).toMatchObject({ name: 'snapshot01', description: 'test desc' });
    expect(described.json.snapshot.updated_at).toMatch(TIMESTAMP);
    const renamed = await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { name: 'snapshot02' } } });
    expect(renamed.json.snapshot).toMatchObject({ name: 'snapshot02', description: 'test desc' });
    expect((await api.call('GET', `/snapshots/${s.id}`)).json.snapshot).toEqual(renamed.json.snapshot);

    const deleted = await api.call('DELETE', `/snapshots/${s.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ api_error_message: '' });
    expectError(await api.call('GET', `/snapshots/${s.id}`), 404);
    expectError(await api.call('DELETE', `/snapshots/${s.id}`), 404);
    expectError(await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { name: 'x' } } }), 404);
    expect(await api.count()).toBe(0);
    expect(server.inventory().snapshots.filter((i) => i.projectId === api.tenant)).toEqual([]);
    expect((await api.call('GET', `/volumes/${volumeId}`)).json.volume.snapshot_ids).toEqual([]);

    const volumeGone = await api.call('DELETE', `/volumes/${volumeId}`);
    expect(volumeGone.json).toEqual({ api_error_message: '' });
    expectError(await api.call('GET', `/volumes/${volumeId}`), 404);
    expect(server.inventory().volumes.filter((i) => i.projectId === api.tenant)).toEqual([]);
  });

  test('names are unique per tenant; a refused duplicate creates nothing', async ({ api, server, http }) => {
    const volumeId = await api.volume();
    expect((await api.snapshot(volumeId, 'same')).status).toBe(200);
    expectError(await api.snapshot(volumeId, 'same'), 400, /already used/);
    expect(await api.count()).toBe(1);
    const other = (await api.snapshot(volumeId, 'other')).json.snapshot;
    expectError(await api.call('PUT', `/snapshots/${other.id}`, { body: { snapshot: { name: 'same' } } }), 400, /already used/);
    expect((await api.call('GET', `/snapshots/${other.id}`)).json.snapshot.name).toBe('other');
    // Keeping one's own name is no conflict; names differing in case are different names.
    expect((await api.call('PUT', `/snapshots/${other.id}`, { body: { snapshot: { name: 'other' } } })).status).toBe(200);
    expect((await api.snapshot(volumeId, 'SAME')).status).toBe(200);
    // Another tenant has its own names.
    const elsewhere = new Api(http, server.url);
    expect((await elsewhere.snapshot(await elsewhere.volume(), 'same')).status).toBe(200);
  });

  test('create preconditions: the volume exists, is block storage and is available', async ({ api, server, http }) => {
    expectError(await api.snapshot(randomUUID()), 404);
    const file = await api.volume('pre_nfs_na');
    expectError(await api.snapshot(file), 400, /piops_iscsi_na/);
    const creating = (await api.createVolume()).json.volume.id;
    expectError(await api.snapshot(creating), 400, /available/);
    expect(await api.count()).toBe(0);
    // Another tenant's volume is not found.
    const elsewhere = new Api(http, server.url);
    expectError(await api.snapshot(await elsewhere.volume()), 404);
  });

  test('volume delete: refused while it has snapshots or is creating', async ({ api }) => {
    const creating = (await api.createVolume()).json.volume.id;
    expectError(await api.call('DELETE', `/volumes/${creating}`), 400, /creating/);
    const volumeId = await api.volume();
    const s = (await api.snapshot(volumeId)).json.snapshot;
    expectError(await api.call('DELETE', `/volumes/${volumeId}`), 400, /snapshots/);
    expect((await api.call('GET', `/volumes/${volumeId}`)).status).toBe(200);
    expect((await api.call('DELETE', `/snapshots/${s.id}`)).status).toBe(200);
    expect((await api.call('DELETE', `/volumes/${volumeId}`)).status).toBe(200);
    expectError(await api.call('DELETE', `/volumes/${randomUUID()}`), 404);
  });

  test('update: at least one member, only while available', async ({ api }) => {
    const s = (await api.snapshot(await api.volume())).json.snapshot;
    for (const snapshot of [{}, { name: '' }, { name: 1 }, { description: 5 }, { size: 1 }]) {
      expectError(await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot } }), 400);
    }
    expect((await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { description: null } } })).json.snapshot.description).toBe('');
    expect((await api.call('GET', `/snapshots/${s.id}`)).json.snapshot.name).toBe(s.name);
  });

  test('request validation: malformed or misshaped bodies are 400 with the envelope', async ({ api }) => {
    const volumeId = await api.volume();
    const long = 'x'.repeat(256);
    const cases: Array<{ raw?: string; body?: unknown }> = [
      { raw: '{"snapshot": ' },
      { raw: '' },
      { body: [] },
      { body: {} },
      { body: { snapshot: 'x' } },
      { body: { snapshot: { volume_id: volumeId, name: 'a' }, extra: 1 } },
      { body: { snapshot: { volume_id: volumeId, name: 'a', metadata: {} } } },
      { body: { snapshot: { name: 'a' } } },
      { body: { snapshot: { volume_id: volumeId } } },
      { body: { snapshot: { volume_id: 42, name: 'a' } } },
      { body: { snapshot: { volume_id: volumeId, name: ['a'] } } },
      { body: { snapshot: { volume_id: volumeId, name: 'a', description: 1 } } },
      { body: { snapshot: { volume_id: volumeId, name: long } } },
      { body: { snapshot: { volume_id: volumeId, name: 'a', description: long } } },
    ];
    for (const c of cases) expectError(await api.call('POST', '/snapshots', c), 400);
    expect(await api.count()).toBe(0);
    const limit = await api.snapshot(volumeId, 'n'.repeat(255), { description: 'd'.repeat(255) });
    expect(limit.status).toBe(200);
  });

  test('routing: unknown paths are 404 and wrong methods 405, in the envelope', async ({ api, server }) => {
    expectError(await api.call('GET', '/nothing'), 404);
    expectError(await api.call('GET', `${server.url}/v2.0/${api.tenant}/snapshots`), 404);
    const res = await api.call('PATCH', '/snapshots');
    expectError(res, 405);
    expect(res.headers.allow).toBe('GET, POST');
  });

  test('close() ends a server with a create in progress, clears timers, and is idempotent', async ({ http }) => {
    const own = await startEclServer({ delays: { snapshotCreateMs: 10_000, volumeCreateMs: 10 } });
    const c = new Api(http, own.url);
    const volumeId = await c.volume();
    const pending = c.call('POST', '/snapshots', { token: 'x', body: { snapshot: { volume_id: volumeId, name: 's' } } }).then(
      () => 'answered',
      () => 'dropped',
    );
    await sleep(50);
    const started = Date.now();
    await Promise.all([own.close(), own.close()]);
    expect(await pending).toBe('dropped');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('stats count requests, writes and methods', async ({ http }) => {
    const own = await startEclServer({ delays: FAST });
    try {
      const c = new Api(http, own.url);
      await c.call('GET', '/volume_types', { token: 'x' });
      await c.call('DELETE', `/snapshots/${randomUUID()}`, { token: 'x' });
      await c.call('POST', '/snapshots', { token: 'x', body: {} });
      expect(own.stats()).toEqual({ requests: 3, writes: 2, byMethod: { GET: 1, DELETE: 1, POST: 1 } });
    } finally {
      await own.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
test.describe('tenant busy', () => {
  const SLOW = { snapshotCreateMs: 400, volumeCreateMs: 600, busyMs: 250 };
  const test = serverTest(() => startEclServer({ token: TOKEN, delays: SLOW }), (http, server) => new Api(http, server.url));

  test('a write meeting a snapshot create in progress is 409 and changes nothing', async ({ api, server, http }) => {
    const volumeId = await api.volume();
    const first = api.snapshot(volumeId, 'first');
    await sleep(50);
    const during = await Promise.all([
      api.snapshot(volumeId, 'second'),
      api.createVolume({ name: 'blocked' }),
      api.call('DELETE', `/volumes/${volumeId}`),
    ]);
    for (const res of during) expectError(res, 409, BUSY);
    // Reads go on, and the snapshot being taken is not visible yet.
    expect(await api.count()).toBe(0);
    // Another tenant is not busy.
    const other = new Api(http, server.url);
    expect((await other.createVolume()).status).toBe(202);
    expect((await first).status).toBe(200);
    expect((await api.call('GET', '/snapshots')).json.snapshots.map((s: { name: string }) => s.name)).toEqual(['first']);
    expect((await api.call('GET', '/volumes')).json.volumes).toHaveLength(1);
    expect(server.inventory().snapshots.filter((s) => s.projectId === api.tenant)).toHaveLength(1);
  });

  test('concurrent writes: exactly one proceeds; retrying clients all succeed', async ({ api }) => {
    const volumeId = await api.volume();
    const raced = await Promise.all(['a', 'b', 'c'].map((name) => api.snapshot(volumeId, name)));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const retried = await Promise.all(['d', 'e'].map((name) => api.retried('POST', '/snapshots', { snapshot: { volume_id: volumeId, name } })));
    expect(retried.map((r) => r.status)).toEqual([200, 200]);
    expect(await api.count()).toBe(3);
  });

  test('update and delete keep the tenant busy for busyMs', async ({ api }) => {
    const volumeId = await api.volume();
    const s = (await api.snapshot(volumeId, 'x')).json.snapshot;
    const started = Date.now();
    const update = api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { description: 'new' } } });
    await sleep(50);
    expectError(await api.call('DELETE', `/snapshots/${s.id}`), 409, BUSY);
    expect((await update).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW.busyMs - 5);
    const del = api.call('DELETE', `/snapshots/${s.id}`);
    await sleep(50);
    expectError(await api.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { name: 'y' } } }), 409, BUSY);
    expect((await del).status).toBe(200);
    expectError(await api.call('GET', `/snapshots/${s.id}`), 404);
  });

  test('a volume being created does not keep the tenant busy after its 202', async ({ api }) => {
    const first = await api.createVolume();
    expect(first.status).toBe(202);
    const second = await api.createVolume();
    expect(second.status).toBe(202);
    expect((await api.call('GET', `/volumes/${first.json.volume.id}`)).json.volume.status).toBe('creating');
  });
});

// ---------------------------------------------------------------------------------------------
test.describe('tenant busy with the default holds', () => {
  const test = serverTest(() => startEclServer({ token: TOKEN }), (http, server) => new Api(http, server.url));

  test('writes sent at the same time still meet a busy tenant; one after the other they do not', async ({ server, http }) => {
    const api = new Api(http, server.url);
    const volumeId = await api.volume();
    const raced = await Promise.all(['a', 'b', 'c'].map((name) => api.snapshot(volumeId, name)));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    // Sequential writes each wait for the answer before them, so none meets another in progress.
    for (const name of ['d', 'e', 'f']) expect((await api.snapshot(volumeId, name)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Faults: each probe runs against a healthy server and a faulty one started with the same options.
// The healthy observation proves the probe checks the right thing; the faulty one differs only in
// the fault's own behaviour.

const format = (t: string) => (TIMESTAMP.test(t) ? 'T+0000' : /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(t) ? 'space' : t);

const faultCases: Record<EclFault, FaultCase<Api, EclServerOptions>> = {
  'create-async': {
    async probe(c) {
      const created = await c.snapshot(await c.volume());
      const id = created.json.snapshot.id;
      const later = await c.waitFor(`/snapshots/${id}`, (r) => r.json.snapshot.status !== 'creating');
      return { code: created.status, status: created.json.snapshot.status, later: later.json.snapshot.status };
    },
    healthy: { code: 200, status: 'available', later: 'available' },
    faulty: { code: 202, status: 'creating', later: 'available' },
  },
  'no-api-error-message': {
    async probe(c) {
      const volumeId = await c.volume();
      const created = await c.snapshot(volumeId);
      const id = created.json.snapshot.id;
      const bodies = [
        (await c.call('GET', '/volume_types')).json,
        (await c.call('GET', '/virtual_storages')).json,
        (await c.call('GET', `/volumes/${volumeId}`)).json,
        created.json,
        (await c.call('GET', `/snapshots/${id}`)).json,
        (await c.call('GET', '/snapshots')).json,
        (await c.call('PUT', `/snapshots/${id}`, { body: { snapshot: { description: 'x' } } })).json,
        (await c.call('DELETE', `/snapshots/${id}`)).json,
      ];
      const error = (await c.call('GET', `/snapshots/${id}`)).json;
      return { success: bodies.map((b) => 'api_error_message' in b), error: Object.keys(error), snapshotKept: 'snapshot' in created.json };
    },
    healthy: { success: [true, true, true, true, true, true, true, true], error: ['api_error_message'], snapshotKept: true },
    faulty: { success: [false, false, false, false, false, false, false, false], error: ['api_error_message'], snapshotKept: true },
  },
  'duplicate-name-accepted': {
    async probe(c) {
      const volumeId = await c.volume();
      const first = await c.snapshot(volumeId, 'dup');
      const second = await c.snapshot(volumeId, 'dup');
      const other = await c.snapshot(volumeId, 'other');
      return { first: first.status, second: second.status, other: other.status, count: await c.count() };
    },
    healthy: { first: 200, second: 400, other: 200, count: 2 },
    faulty: { first: 200, second: 200, other: 200, count: 3 },
  },
  'duplicate-refused-but-created': {
    async probe(c) {
      const volumeId = await c.volume();
      const first = await c.snapshot(volumeId, 'dup');
      const second = await c.snapshot(volumeId, 'dup');
      return { first: first.status, second: second.status, count: await c.count() };
    },
    healthy: { first: 200, second: 400, count: 1 },
    faulty: { first: 200, second: 400, count: 2 },
  },
  'wrong-volume-type-accepted': {
    async probe(c) {
      const onFile = await c.snapshot(await c.volume('pre_nfs_na'));
      const onBlock = await c.snapshot(await c.volume());
      return { file: onFile.status, block: onBlock.status, count: await c.count() };
    },
    healthy: { file: 400, block: 200, count: 1 },
    faulty: { file: 200, block: 200, count: 2 },
  },
  'busy-volume-accepted': {
    options: { delays: { ...FAST, volumeCreateMs: 400 } },
    async probe(c) {
      const creating = (await c.createVolume()).json.volume.id;
      const onCreating = await c.snapshot(creating);
      const onMissing = await c.snapshot(randomUUID());
      return { creating: onCreating.status, missing: onMissing.status, count: await c.count() };
    },
    healthy: { creating: 400, missing: 404, count: 0 },
    faulty: { creating: 200, missing: 404, count: 1 },
  },
  'busy-forever': {
    async probe(c) {
      const volume = await c.createVolume();
      const read = await c.call('GET', '/volumes');
      return { volume: volume.status, busy: BUSY.test(volume.json.api_error_message ?? ''), read: read.status };
    },
    healthy: { volume: 202, busy: false, read: 200 },
    faulty: { volume: 409, busy: true, read: 200 },
  },
  'busy-as-500': {
    options: { delays: { ...FAST, snapshotCreateMs: 300 } },
    async probe(c) {
      const volumeId = await c.volume();
      const first = c.snapshot(volumeId, 'one');
      await sleep(50);
      const second = await c.snapshot(volumeId, 'two');
      return { first: (await first).status, second: second.status, message: BUSY.test(second.json.api_error_message) };
    },
    healthy: { first: 200, second: 409, message: true },
    faulty: { first: 200, second: 500, message: true },
  },
  'created-at-format': {
    async probe(c) {
      const volumeId = await c.volume();
      const s = (await c.snapshot(volumeId)).json.snapshot;
      const updated = (await c.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { description: 'x' } } })).json.snapshot;
      const volume = (await c.call('GET', `/volumes/${volumeId}`)).json.volume;
      return { created: format(s.created_at), updated: format(updated.updated_at), volume: format(volume.created_at) };
    },
    healthy: { created: 'T+0000', updated: 'T+0000', volume: 'T+0000' },
    faulty: { created: 'space', updated: 'T+0000', volume: 'T+0000' },
  },
  'usage-string': {
    async probe(c) {
      const s = (await c.snapshot(await c.volume())).json.snapshot;
      const listed = (await c.call('GET', '/snapshots')).json.snapshots[0];
      return { created: s.usage, listed: listed.usage, size: typeof (await c.call('GET', `/volumes/${s.volume_id}`)).json.volume.size };
    },
    healthy: { created: 0, listed: 0, size: 'number' },
    faulty: { created: '0', listed: '0', size: 'number' },
  },
  'delete-leaves-ghost': {
    async probe(c) {
      const s = (await c.snapshot(await c.volume())).json.snapshot;
      const deleted = await c.call('DELETE', `/snapshots/${s.id}`);
      await sleep(100);
      const after = await c.call('GET', `/snapshots/${s.id}`);
      return { deleted: deleted.status, after: after.status, count: await c.count() };
    },
    healthy: { deleted: 200, after: 404, count: 0 },
    faulty: { deleted: 200, after: 200, count: 1 },
  },
  'update-ignored': {
    async probe(c) {
      const s = (await c.snapshot(await c.volume(), 'old')).json.snapshot;
      const put = await c.call('PUT', `/snapshots/${s.id}`, { body: { snapshot: { name: 'new', description: 'd' } } });
      const got = (await c.call('GET', `/snapshots/${s.id}`)).json.snapshot;
      return { put: put.status, answered: put.json.snapshot.name, stored: got.name, description: got.description };
    },
    healthy: { put: 200, answered: 'new', stored: 'new', description: 'd' },
    faulty: { put: 200, answered: 'new', stored: 'old', description: '' },
  },
  'envelope-missing-message': {
    async probe(c) {
      const missing = await c.call('GET', `/snapshots/${randomUUID()}`);
      const invalid = await c.call('POST', '/snapshots', { body: {} });
      const ok = await c.call('GET', '/snapshots');
      return { missing: [missing.status, Object.keys(missing.json)], invalid: [invalid.status, Object.keys(invalid.json)], ok: Object.keys(ok.json) };
    },
    healthy: { missing: [404, ['api_error_message']], invalid: [400, ['api_error_message']], ok: ['api_error_message', 'snapshots'] },
    faulty: { missing: [404, ['error']], invalid: [400, ['error']], ok: ['api_error_message', 'snapshots'] },
  },
  'duplicate-name-on-update-accepted': {
    probe: renames,
    healthy: { other: 400, own: 200, fresh: 200, names: ['two', 'three'], create: 400 },
    faulty: { other: 200, own: 200, fresh: 200, names: ['one', 'three'], create: 400 },
  },
  'own-name-update-refused': {
    probe: renames,
    healthy: { other: 400, own: 200, fresh: 200, names: ['two', 'three'], create: 400 },
    faulty: { other: 400, own: 400, fresh: 200, names: ['two', 'three'], create: 400 },
  },
  'volume-filter-ignored': {
    async probe(c) {
      const a = await c.volume();
      const b = await c.volume();
      await c.retried('POST', '/snapshots', { snapshot: { volume_id: a, name: 'on-a' } });
      await c.retried('POST', '/snapshots', { snapshot: { volume_id: b, name: 'on-b' } });
      const names = async (path: string) => (await c.call('GET', path)).json.snapshots.map((x: { name: string }) => x.name).sort();
      return { list: await names(`/snapshots?volume_id=${a}`), detail: await names(`/snapshots/detail?volume_id=${b}`), other: await names(`/snapshots?volume_id=${randomUUID()}`) };
    },
    healthy: { list: ['on-a'], detail: ['on-b'], other: [] },
    faulty: { list: ['on-a', 'on-b'], detail: ['on-a', 'on-b'], other: ['on-a', 'on-b'] },
  },
};

/**
 * Two snapshots, "one" and "two"; "two" renamed to "one" (another's), to "two" (its own, with a new
 * description) and to "three"; then a create named "three". The statuses and the names after.
 */
async function renames(c: Api) {
  const v = await c.volume();
  await c.retried('POST', '/snapshots', { snapshot: { volume_id: v, name: 'one' } });
  const two = (await c.retried('POST', '/snapshots', { snapshot: { volume_id: v, name: 'two' } })).json.snapshot.id;
  const rename = async (snapshot: Record<string, string>) => (await c.retried('PUT', `/snapshots/${two}`, { snapshot })).status;
  const other = await rename({ name: 'one' });
  const own = await rename({ name: other === 200 ? 'one' : 'two', description: 'same name' });
  const before = (await c.call('GET', `/snapshots/${two}`)).json.snapshot.name;
  const fresh = await rename({ name: 'three' });
  const create = (await c.retried('POST', '/snapshots', { snapshot: { volume_id: v, name: 'three' } })).status;
  return { other, own, fresh, names: [before, (await c.call('GET', `/snapshots/${two}`)).json.snapshot.name], create };
}

test('an unknown fault name is refused at start', async () => {
  await expect(startEclServer({ faults: ['bogus' as EclFault] })).rejects.toThrow(/unknown ECL fault/);
});

describeFaults({
  faults: eclFaults,
  cases: faultCases,
  options: { token: TOKEN, delays: FAST },
  start: startEclServer,
  client: (http, url) => new Api(http, url),
  // Playwright files a test where test() is called: these keep the fault tests in this file.
  describe: (title, body) => test.describe(title, body),
  test: (title, body) => test(title, body),
});
