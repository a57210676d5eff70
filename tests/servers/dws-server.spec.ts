// Tests of the Huawei DWS reference server, over HTTP on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { type DwsFault, dwsFaults, startDwsServer } from '../../src/servers/dws/index.ts';
import { HOLD_MS } from '../../src/servers/timers.ts';
import { type FaultCase, type Res, ServerApi, describeFaults, serverTest, sleep } from '../support/server-api.ts';

type RunningDwsServer = Awaited<ReturnType<typeof startDwsServer>>;
type DwsServerOptions = NonNullable<Parameters<typeof startDwsServer>[0]>;

const TOKEN = 'secret-token';
const FAST = { snapshotCreateMs: 20, snapshotDeleteMs: 20 };
// For tests that look at a snapshot while it is CREATING or being deleted: wide enough for a loaded machine.
const SLOW = { snapshotCreateMs: 500, snapshotDeleteMs: 300 };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ITEM_FIELDS = ['cluster_id', 'description', 'finished', 'id', 'name', 'size', 'started', 'status', 'type'];
const DETAIL_FIELDS = [
  ...ITEM_FIELDS,
  'backup_device', 'backup_key', 'backup_level', 'bak_expected_start_time', 'bak_keep_day', 'bak_period',
  'base_backup_key', 'base_backup_name', 'cluster_name', 'datastore', 'db_user', 'fine_grained_backup',
  'prior_backup_key', 'progress', 'support_inplace_restore', 'total_backup_size', 'updated',
].sort();
const FORBIDDEN = ['!', '<', '>', "'", '=', '&', '"'];

/** A client bound to one server and project (a fresh project by default). */
class Api extends ServerApi {
  readonly project = randomUUID().replaceAll('-', '');
  private clusterIds?: { available: string; unavailable: string };

  constructor(http: APIRequestContext, root: string, token: string = TOKEN) {
    super(http, root, token);
  }

  get base(): string {
    return `${this.root}/v1.0/${this.project}`;
  }

  /** The ids of the project's two clusters, told apart by status. */
  async clusters(): Promise<{ available: string; unavailable: string }> {
    if (!this.clusterIds) {
      const list = (await this.call('GET', '/clusters')).json.clusters as Array<{ id: string; status: string }>;
      const by = (status: string) => list.find((c) => c.status === status)!.id;
      this.clusterIds = { available: by('AVAILABLE'), unavailable: by('UNAVAILABLE') };
    }
    return this.clusterIds;
  }

  /** POST /snapshots on the AVAILABLE cluster unless `cluster_id` is given. */
  async create(fields: Record<string, unknown> = {}): Promise<Res> {
    const snapshot = { cluster_id: (await this.clusters()).available, ...fields };
    return this.call('POST', '/snapshots', { body: { snapshot } });
  }

  /** Creates a snapshot and waits until it is AVAILABLE; returns its id. */
  async ready(fields: Record<string, unknown> = {}): Promise<string> {
    const res = await this.create({ name: uniqueName(), ...fields });
    expect(res.status).toBe(200);
    await this.waitFor(res.json.snapshot.id, 'AVAILABLE');
    return res.json.snapshot.id;
  }

  /** Creates a snapshot; when accepted, waits until it leaves CREATING. Returns the create status. */
  async attempt(fields: Record<string, unknown>): Promise<number> {
    const res = await this.create(fields);
    if (res.status === 200) await settle(this, res.json.snapshot.id, 'CREATING');
    return res.status;
  }

  async waitFor(id: string, status: string | 404): Promise<void> {
    await expect
      .poll(async () => {
        const res = await this.call('GET', `/snapshots/${id}`);
        return res.status === 404 ? 404 : res.json?.snapshot?.status;
      }, { timeout: 3000, intervals: [10] })
      .toBe(status);
  }

  async count(): Promise<number> {
    return (await this.call('GET', '/snapshots')).json.snapshots.length;
  }
}

let nameSeq = 0;
const uniqueName = () => `snap-${process.pid}-${++nameSeq}`;

/** Polls a snapshot until it leaves `from` (or 404s), for at most `ms`; returns what it saw last. */
async function settle(c: Api, id: string, from: string, ms = 1000): Promise<{ status: number; value: string | null }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await c.call('GET', `/snapshots/${id}`);
    const value: string | null = res.json?.snapshot?.status ?? null;
    if (value !== from || Date.now() > deadline) return { status: res.status, value };
    await sleep(10);
  }
}

/** Runs `fn` against a server of its own, closed afterwards. */
async function withServer(http: APIRequestContext, options: DwsServerOptions, fn: (c: Api, s: RunningDwsServer) => Promise<void>): Promise<void> {
  const own = await startDwsServer({ token: TOKEN, ...options });
  try {
    await fn(new Api(http, own.url), own);
  } finally {
    await own.close();
  }
}

const dwsError = (code: string) => ({ error_code: code, error_msg: expect.any(String) });

function expectError(res: Res, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.json).toEqual(dwsError(code));
  expect(res.json.error_msg.length).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
test.describe('dws reference server', () => {
  const test = serverTest(() => startDwsServer({ token: TOKEN, delays: FAST }), (http, server) => new Api(http, server.url));

  test('listens on 127.0.0.1 and answers JSON with a request id', async ({ api, server }) => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await api.call('GET', '/snapshots');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.json).toEqual({ snapshots: [], count: 0 });
  });

  test('auth: a missing, empty or wrong token is 401 with the error_code envelope', async ({ api }) => {
    for (const token of [null, '', '   ', 'wrong']) {
      const res = await api.call('GET', '/snapshots', { token });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json).toEqual({ error_code: 'APIGW.0301', error_msg: expect.stringMatching(/X-Auth-Token/) });
    }
    const create = await api.call('POST', '/snapshots', { token: null, body: { snapshot: { name: 'abcd', cluster_id: 'x' } } });
    expect(create.status).toBe(401);
    expect(await api.count()).toBe(0);
  });

  test('auth: without a configured token any non-empty token is accepted', async ({ http }) => {
    const open = await startDwsServer({ delays: FAST });
    try {
      const c = new Api(http, open.url, 'anything-at-all');
      expect((await c.call('GET', '/clusters')).status).toBe(200);
      expect((await c.call('GET', '/clusters', { token: 'other' })).status).toBe(200);
      expect((await c.call('GET', '/clusters', { token: null })).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  test('clusters: two per project, one AVAILABLE and one UNAVAILABLE, list and show', async ({ api, server, http }) => {
    const list = await api.call('GET', '/clusters');
    expect(list.status).toBe(200);
    expect(list.json.count).toBe(2);
    expect(list.json.clusters).toHaveLength(2);
    expect(list.json.clusters.map((c: { status: string }) => c.status).sort()).toEqual(['AVAILABLE', 'UNAVAILABLE']);
    for (const cluster of list.json.clusters) {
      expect(cluster).toMatchObject({ id: expect.stringMatching(UUID), name: expect.any(String), version: expect.any(String) });
      expect(cluster.created).toMatch(TIMESTAMP);
      expect(cluster.updated).toMatch(TIMESTAMP);
      expect(cluster.port).toBe(8000);
      const shown = await api.call('GET', `/clusters/${cluster.id}`);
      expect(shown.status).toBe(200);
      expect(shown.json).toEqual({ cluster });
    }
    expectError(await api.call('GET', `/clusters/${randomUUID()}`), 404, 'DWS.0015');

    // Data is per project: another project has its own clusters and sees none of these.
    const other = new Api(http, server.url);
    const otherIds = (await other.call('GET', '/clusters')).json.clusters.map((c: { id: string }) => c.id);
    const ids = list.json.clusters.map((c: { id: string }) => c.id);
    expect(otherIds.filter((id: string) => ids.includes(id))).toEqual([]);
    expectError(await other.call('GET', `/clusters/${ids[0]}`), 404, 'DWS.0015');
    const inventory = server.inventory().clusters.filter((c) => c.projectId === api.project);
    expect(inventory.map((c) => c.status).sort()).toEqual(['AVAILABLE', 'UNAVAILABLE']);
  });

  test('clusters are not created or deleted through this server', async ({ api }) => {
    const { available } = await api.clusters();
    expectError(await api.call('POST', '/clusters', { body: { cluster: { name: 'x' } } }), 404, 'APIGW.0101');
    expectError(await api.call('DELETE', `/clusters/${available}`), 404, 'APIGW.0101');
    expect((await api.call('GET', '/clusters')).json.count).toBe(2);
  });

  test('lifecycle: create 200 {id}, CREATING, AVAILABLE, list, show, delete 202, gone', async ({ http }) => {
    await withServer(http, { delays: SLOW }, async (api, server) => {
      const { available } = await api.clusters();
      const created = await api.create({ name: 'snapshot-3', description: 'Snapshot-3 description' });
      expect(created.status).toBe(200);
      expect(created.headers['content-type']).toBe('application/json');
      expect(created.json).toEqual({ snapshot: { id: expect.stringMatching(UUID) } });
      const id: string = created.json.snapshot.id;

      const creating = (await api.call('GET', `/snapshots/${id}`)).json.snapshot;
      expect(creating).toMatchObject({ id, name: 'snapshot-3', status: 'CREATING', finished: null, size: 0, type: 'MANUAL', cluster_id: available });
      expect(creating.started).toMatch(TIMESTAMP);
      expect((await api.call('GET', `/clusters/${available}`)).json.cluster.task_status).toBe('SNAPSHOTTING');
      expect(server.inventory().snapshots).toContainEqual({ id, name: 'snapshot-3', status: 'CREATING', projectId: api.project });

      await api.waitFor(id, 'AVAILABLE');
      const shown = await api.call('GET', `/snapshots/${id}`);
      expect(shown.status).toBe(200);
      const detail = shown.json.snapshot;
      expect(Object.keys(detail).sort()).toEqual(DETAIL_FIELDS);
      expect(detail).toMatchObject({
        id, name: 'snapshot-3', description: 'Snapshot-3 description', status: 'AVAILABLE', type: 'MANUAL', cluster_id: available,
        cluster_name: 'dws-cluster-available', datastore: { type: 'dws', version: expect.any(String) }, progress: '100%',
        support_inplace_restore: true, fine_grained_backup: false, backup_level: 'cluster', base_backup_name: 'snapshot-3',
      });
      expect(detail.finished).toMatch(TIMESTAMP);
      expect(detail.updated).toMatch(TIMESTAMP);
      expect(detail.finished >= detail.started).toBe(true);
      expect(typeof detail.size).toBe('number');
      expect(detail.size).toBeGreaterThan(0);
      expect(Number.isInteger(detail.bak_keep_day)).toBe(true);
      expect(Number.isInteger(detail.total_backup_size)).toBe(true);
      expect((await api.call('GET', `/clusters/${available}`)).json.cluster.task_status).toBe('');

      const list = (await api.call('GET', '/snapshots')).json;
      expect(list.count).toBe(1);
      expect(Object.keys(list.snapshots[0]).sort()).toEqual(ITEM_FIELDS);
      expect(list.snapshots[0]).toEqual(Object.fromEntries(ITEM_FIELDS.map((k) => [k, detail[k]])));

      const del = await api.call('DELETE', `/snapshots/${id}`);
      expect(del.status).toBe(202);
      expect(del.text).toBe('');
      // Deletion takes snapshotDeleteMs; meanwhile the snapshot is visible and a second DELETE is busy.
      expectError(await api.call('DELETE', `/snapshots/${id}`), 409, 'DWS.0011');
      await api.waitFor(id, 404);
      expectError(await api.call('GET', `/snapshots/${id}`), 404, 'DWS.0015');
      expectError(await api.call('DELETE', `/snapshots/${id}`), 404, 'DWS.0015');
      expect((await api.call('GET', '/snapshots')).json).toEqual({ snapshots: [], count: 0 });
      expect(server.inventory().snapshots).toEqual([]);
    });
  });

  test('create preconditions: unknown cluster 404, UNAVAILABLE cluster 400, busy cluster 409', async ({ http }) => {
    await withServer(http, { delays: SLOW }, async (api) => {
      const { unavailable } = await api.clusters();
      expectError(await api.create({ name: 'abcd', cluster_id: randomUUID() }), 404, 'DWS.0015');
      expectError(await api.create({ name: 'abcd', cluster_id: 'not-a-cluster' }), 404, 'DWS.0015');
      expectError(await api.create({ name: 'abcd', cluster_id: unavailable }), 400, 'DWS.0001');
      expect(await api.count()).toBe(0);

      const first = await api.create({ name: 'first' });
      expect(first.status).toBe(200);
      expectError(await api.create({ name: 'second' }), 409, 'DWS.0011');
      expectError(await api.call('DELETE', `/snapshots/${first.json.snapshot.id}`), 409, 'DWS.0011');
      expect(await api.count()).toBe(1);
      await api.waitFor(first.json.snapshot.id, 'AVAILABLE');
      expect((await api.create({ name: 'second' })).status).toBe(200);
    });
  });

  test('name rules: 4 to 64 characters, a letter first, letters, digits, - and _', async ({ api }) => {
    const refused = ['abc', 'a'.repeat(65), '1abc', '_abc', '-abc', 'ab.c', 'ab c', 'abcé', 'ab/c', 'ab@c', ' abcd', 'abcd\n'];
    for (const name of refused) expectError(await api.create({ name }), 400, 'DWS.0001');
    expect(await api.count()).toBe(0);
    const accepted = ['abcd', 'A'.repeat(64), 'a1-_', 'Z-9_x', 'x'.repeat(63) + '9'];
    for (const name of accepted) expect(await api.attempt({ name })).toBe(200);
    const names = (await api.call('GET', '/snapshots')).json.snapshots.map((s: { name: string }) => s.name);
    expect(names).toEqual(accepted);
  });

  test('names are unique in the project, case-insensitively', async ({ api, server, http }) => {
    const id = await api.ready({ name: 'Snap-A' });
    for (const name of ['Snap-A', 'snap-a', 'SNAP-A', 'sNaP-a']) expectError(await api.create({ name }), 400, 'DWS.0001');
    expect(await api.count()).toBe(1);
    // Another project may use the name.
    expect(await new Api(http, server.url).attempt({ name: 'snap-a' })).toBe(200);
    // Once the snapshot is gone its name is free again.
    expect((await api.call('DELETE', `/snapshots/${id}`)).status).toBe(202);
    await api.waitFor(id, 404);
    expect(await api.attempt({ name: 'snap-a' })).toBe(200);
  });

  test('description: at most 256 characters, none of !<>\'=&", empty when not given', async ({ api }) => {
    for (const ch of FORBIDDEN) expectError(await api.create({ name: uniqueName(), description: `a${ch}b` }), 400, 'DWS.0001');
    expectError(await api.create({ name: uniqueName(), description: 'd'.repeat(257) }), 400, 'DWS.0001');
    expectError(await api.create({ name: uniqueName(), description: 5 }), 400, 'DWS.0001');
    expect(await api.count()).toBe(0);

    const kept = async (fields: Record<string, unknown>) =>
      (await api.call('GET', `/snapshots/${await api.ready(fields)}`)).json.snapshot.description;
    expect(await kept({ description: 'd'.repeat(256) })).toBe('d'.repeat(256));
    expect(await kept({ description: 'é'.repeat(256) })).toBe('é'.repeat(256)); // characters, not bytes
    expect(await kept({ description: 'commas, dots. (parens) #1 ?%*+/:;@[]^`{|}~' })).toBe('commas, dots. (parens) #1 ?%*+/:;@[]^`{|}~');
    expect(await kept({})).toBe('');
    expect(await kept({ description: '' })).toBe('');
    expect(await kept({ description: null })).toBe('');
  });

  test('request validation: 400 with DWS.0001, DWS.0006 for an empty body, nothing created', async ({ api }) => {
    const { available } = await api.clusters();
    const post = (raw: string) => api.call('POST', '/snapshots', { raw });
    expectError(await post(''), 400, 'DWS.0006');
    expectError(await post('  \n'), 400, 'DWS.0006');
    expectError(await post('{"snapshot": {"name": '), 400, 'DWS.0001');
    const bad: unknown[] = [
      [],
      'snapshot',
      null,
      {},
      { snapshot: null },
      { snapshot: 'abcd' },
      { snapshot: [] },
      { snapshot: { cluster_id: available } },
      { snapshot: { name: 'abcd' } },
      { snapshot: { name: '', cluster_id: available } },
      { snapshot: { name: 'abcd', cluster_id: '' } },
      { snapshot: { name: 1234, cluster_id: available } },
      { snapshot: { name: ['abcd'], cluster_id: available } },
      { snapshot: { name: 'abcd', cluster_id: 42 } },
      { snapshot: { name: 'abcd', cluster_id: available, description: { text: 'x' } } },
      { snapshot: { name: 'abcd', cluster_id: available, extra: true } },
      { snapshot: { name: 'abcd', cluster_id: available }, extra: true },
    ];
    for (const body of bad) expectError(await post(JSON.stringify(body)), 400, 'DWS.0001');
    expect(await api.count()).toBe(0);
    expect((await post(JSON.stringify({ snapshot: { name: 'abcd', cluster_id: available } }))).status).toBe(200);
  });

  test('list: every snapshot of the project, oldest first, count = number of items, no pagination', async ({ api, server, http }) => {
    const names = ['list-1', 'list-2', 'list-3'];
    for (const name of names) await api.ready({ name });
    const list = (await api.call('GET', '/snapshots')).json;
    expect(list.snapshots.map((s: { name: string }) => s.name)).toEqual(names);
    expect(list.count).toBe(3);
    const paged = (await api.call('GET', '/snapshots?limit=1&offset=1&marker=x')).json;
    expect(paged).toEqual(list);
    expect((await new Api(http, server.url).call('GET', '/snapshots')).json).toEqual({ snapshots: [], count: 0 });
  });

  test("a cluster's list: its snapshots, sorted by sort_key/sort_dir, paged by limit and offset (pages of limit)", async ({ api }) => {
    const { available, unavailable } = await api.clusters();
    for (const name of ['list-c', 'list-a', 'list-b']) await api.ready({ name });
    const names = async (query = '') => {
      const res = await api.call('GET', `/clusters/${available}/snapshots${query}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json).sort()).toEqual(['cluster_id', 'count', 'project_id', 'snapshots']);
      expect(res.json).toMatchObject({ project_id: api.project, cluster_id: available, count: 3 });
      return res.json.snapshots.map((s: { name: string }) => s.name);
    };
    expect(await names()).toEqual(['list-c', 'list-a', 'list-b']);
    expect(await names('?sort_key=name&sort_dir=asc')).toEqual(['list-a', 'list-b', 'list-c']);
    expect(await names('?sort_key=name&sort_dir=DESC')).toEqual(['list-c', 'list-b', 'list-a']);
    expect(await names('?sort_key=startTime&sort_dir=desc')).toEqual(['list-b', 'list-a', 'list-c']);
    expect(await names('?limit=2')).toEqual(['list-c', 'list-a']);
    expect(await names('?limit=1&offset=1')).toEqual(['list-a']);
    expect(await names('?limit=2&offset=1')).toEqual(['list-b']);
    expect(await names('?offset=2')).toEqual(['list-b']);
    const other = (await api.call('GET', `/clusters/${unavailable}/snapshots`)).json;
    expect(other).toMatchObject({ snapshots: [], count: 0 });
    for (const query of ['limit=0', 'limit=x', 'offset=-1', 'sort_key=size', 'sort_dir=up']) {
      expectError(await api.call('GET', `/clusters/${available}/snapshots?${query}`), 400, 'DWS.0001');
    }
    expectError(await api.call('GET', `/clusters/${randomUUID()}/snapshots`), 404, 'DWS.0015');
  });

  test('unknown snapshot ids and unknown APIs', async ({ api, server, http }) => {
    for (const id of [randomUUID(), 'not-an-id', '%20']) {
      expectError(await api.call('GET', `/snapshots/${id}`), 404, 'DWS.0015');
      expectError(await api.call('DELETE', `/snapshots/${id}`), 404, 'DWS.0015');
    }
    const id = await api.ready();
    expectError(await new Api(http, server.url).call('GET', `/snapshots/${id}`), 404, 'DWS.0015');
    for (const [method, path] of [
      ['PUT', `/snapshots/${id}`],
      ['PATCH', `/snapshots/${id}`],
      ['POST', `/snapshots/${id}`],
      ['DELETE', '/snapshots'],
      ['GET', '/volumes'],
      ['GET', `/snapshots/${id}/metadata`],
    ]) {
      expectError(await api.call(method!, path!), 404, 'APIGW.0101');
    }
    expectError(await api.call('GET', `${server.url}/`), 404, 'APIGW.0101');
    expectError(await api.call('GET', `${server.url}/v2/${api.project}/snapshots`), 404, 'APIGW.0101');
    expectError(await api.call('GET', `${server.url}/v1.0/`), 404, 'APIGW.0101');
    expect((await api.call('GET', `/snapshots/${id}/`)).status).toBe(200); // a trailing slash is the same path
  });

  test('stats count requests, writes and methods', async ({ http }) => {
    const own = await startDwsServer({ delays: FAST });
    try {
      const c = new Api(http, own.url);
      await c.call('GET', '/clusters');
      await c.create({ name: 'abcd' });
      await c.call('DELETE', `/snapshots/${randomUUID()}`);
      await c.call('GET', '/snapshots', { token: null });
      expect(own.stats()).toEqual({ requests: 5, writes: 2, byMethod: { GET: 3, POST: 1, DELETE: 1 } });
    } finally {
      await own.close();
    }
  });

  test(`default holds: CREATING, then AVAILABLE after about ${HOLD_MS} ms; a deleted snapshot gone after about as long`, async ({ http }) => {
    const own = await startDwsServer();
    try {
      const c = new Api(http, own.url, 'any');
      const started = performance.now();
      const res = await c.create({ name: 'abcd' });
      const id = res.json.snapshot.id;
      await c.waitFor(id, 'AVAILABLE');
      // Timers may fire a millisecond early by the clock that measures them.
      expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 2);
      const deleted = performance.now();
      expect((await c.call('DELETE', `/snapshots/${id}`)).status).toBe(202);
      await c.waitFor(id, 404);
      expect(performance.now() - deleted).toBeGreaterThanOrEqual(HOLD_MS - 2);
    } finally {
      await own.close();
    }
  });

  test('close() ends pending transitions and is idempotent', async ({ http }) => {
    const own = await startDwsServer({ delays: { snapshotCreateMs: 60_000 } });
    const c = new Api(http, own.url, 'any');
    expect((await c.create({ name: 'abcd' })).status).toBe(200);
    const closing = own.close();
    expect(own.close()).toBe(closing);
    await closing;
    await expect(c.call('GET', '/snapshots')).rejects.toThrow();
  });

  test('an unknown fault name is refused at start', async () => {
    await expect(startDwsServer({ faults: ['bogus' as DwsFault] })).rejects.toThrow(/unknown DWS fault/);
  });
});

// ---------------------------------------------------------------------------------------------
test('with the default holds, creates sent at the same time still meet a busy cluster (409 DWS.0011)', async () => {
  const own = await startDwsServer({ token: TOKEN });
  const http = await request.newContext();
  try {
    const c = new Api(http, own.url);
    await c.clusters(); // so the three creates go out together, not each after its own cluster lookup
    const raced = await Promise.all(['aaaa', 'bbbb', 'cccc'].map((name) => c.create({ name })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const res of raced.filter((r) => r.status === 409)) expect(res.json.error_code).toBe('DWS.0011');
  } finally {
    await http.dispose();
    await own.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Faults: each probe runs against a healthy server and a faulty one started with the same options.
// The healthy observation proves the probe checks the right thing; the faulty one differs only in
// the fault's own behaviour (the other fields of the observation stay as on the healthy server).

const keysOf = (value: unknown) => Object.keys(value as object).sort();

const faultCases: Record<DwsFault, FaultCase<Api, DwsServerOptions>> = {
  'create-returns-full': {
    async probe(c) {
      const res = await c.create({ name: 'abcd' });
      return { status: res.status, keys: keysOf(res.json.snapshot), idIsUuid: UUID.test(res.json.snapshot.id) };
    },
    healthy: { status: 200, keys: ['id'], idIsUuid: true },
    faulty: { status: 200, keys: DETAIL_FIELDS, idIsUuid: true },
  },
  'create-returns-202': {
    async probe(c) {
      const res = await c.create({ name: 'abcd' });
      return { status: res.status, keys: keysOf(res.json.snapshot) };
    },
    healthy: { status: 200, keys: ['id'] },
    faulty: { status: 202, keys: ['id'] },
  },
  'never-available': {
    async probe(c) {
      const res = await c.create({ name: 'abcd' });
      const seen = await settle(c, res.json.snapshot.id, 'CREATING', 300);
      return { create: res.status, status: seen.value };
    },
    healthy: { create: 200, status: 'AVAILABLE' },
    faulty: { create: 200, status: 'CREATING' },
  },
  'unavailable-on-create': {
    async probe(c) {
      const res = await c.create({ name: 'abcd' });
      const id = res.json.snapshot.id;
      const seen = await settle(c, id, 'CREATING');
      const shown = (await c.call('GET', `/snapshots/${id}`)).json.snapshot;
      return { create: res.status, status: seen.value, finished: shown.finished === null ? null : 'set', deletable: (await c.call('DELETE', `/snapshots/${id}`)).status };
    },
    healthy: { create: 200, status: 'AVAILABLE', finished: 'set', deletable: 202 },
    faulty: { create: 200, status: 'UNAVAILABLE', finished: null, deletable: 202 },
  },
  'lowercase-status': {
    options: { delays: SLOW },
    async probe(c) {
      const res = await c.create({ name: 'abcd' });
      const id = res.json.snapshot.id;
      const creating = (await c.call('GET', `/snapshots/${id}`)).json.snapshot.status;
      const available = (await settle(c, id, creating)).value;
      const listed = (await c.call('GET', '/snapshots')).json.snapshots[0].status;
      const cluster = (await c.call('GET', `/clusters/${(await c.clusters()).available}`)).json.cluster.status;
      return { creating, available, listed, cluster };
    },
    healthy: { creating: 'CREATING', available: 'AVAILABLE', listed: 'AVAILABLE', cluster: 'AVAILABLE' },
    faulty: { creating: 'creating', available: 'available', listed: 'available', cluster: 'AVAILABLE' },
  },
  'no-count': {
    async probe(c) {
      const empty = (await c.call('GET', '/snapshots')).json;
      await c.ready();
      const one = (await c.call('GET', '/snapshots')).json;
      return { keys: [keysOf(empty), keysOf(one)], items: one.snapshots.length, clusters: (await c.call('GET', '/clusters')).json.count };
    },
    healthy: { keys: [['count', 'snapshots'], ['count', 'snapshots']], items: 1, clusters: 2 },
    faulty: { keys: [['snapshots'], ['snapshots']], items: 1, clusters: 2 },
  },
  'count-wrong': {
    async probe(c) {
      const empty = (await c.call('GET', '/snapshots')).json;
      await c.ready();
      await c.ready();
      const two = (await c.call('GET', '/snapshots')).json;
      return { empty: [empty.count, empty.snapshots.length], two: [two.count, two.snapshots.length] };
    },
    healthy: { empty: [0, 0], two: [2, 2] },
    faulty: { empty: [1, 0], two: [3, 2] },
  },
  'name-rules-ignored': {
    async probe(c) {
      const names = ['abc', '1abc', 'ab.c', 'ab c', 'a'.repeat(65), '', 'good-name'];
      const statuses: number[] = [];
      for (const name of names) statuses.push(await c.attempt({ name }));
      const description = await c.attempt({ name: 'other-name', description: 'a<b' });
      const duplicate = await c.attempt({ name: 'GOOD-NAME' });
      return { statuses, description, duplicate };
    },
    healthy: { statuses: [400, 400, 400, 400, 400, 400, 200], description: 400, duplicate: 400 },
    faulty: { statuses: [200, 200, 200, 200, 200, 400, 200], description: 400, duplicate: 400 },
  },
  'case-sensitive-unique': {
    async probe(c) {
      await c.ready({ name: 'Snap-A' });
      const exact = await c.attempt({ name: 'Snap-A' });
      const lower = await c.attempt({ name: 'snap-a' });
      const upper = await c.attempt({ name: 'SNAP-A' });
      return { exact, lower, upper, badName: await c.attempt({ name: '1abc' }) };
    },
    healthy: { exact: 400, lower: 400, upper: 400, badName: 400 },
    faulty: { exact: 400, lower: 200, upper: 200, badName: 400 },
  },
  'description-chars-accepted': {
    async probe(c) {
      const chars: number[] = [];
      for (const ch of FORBIDDEN) chars.push(await c.attempt({ name: uniqueName(), description: `x${ch}y` }));
      const tooLong = await c.attempt({ name: uniqueName(), description: 'd'.repeat(257) });
      const plain = await c.attempt({ name: uniqueName(), description: 'plain text' });
      return { chars, tooLong, plain };
    },
    healthy: { chars: [400, 400, 400, 400, 400, 400, 400], tooLong: 400, plain: 200 },
    faulty: { chars: [200, 200, 200, 200, 200, 200, 200], tooLong: 400, plain: 200 },
  },
  'envelope-cinder-style': {
    async probe(c) {
      const missing = await c.call('GET', `/snapshots/${randomUUID()}`);
      const bad = await c.create({ name: 'abc' });
      const ok = await c.call('GET', '/snapshots');
      return { missing: [missing.status, missing.json], bad: [bad.status, keysOf(bad.json)], ok: keysOf(ok.json) };
    },
    healthy: {
      missing: [404, { error_code: 'DWS.0015', error_msg: 'Resource not found or permission denied.' }],
      bad: [400, ['error_code', 'error_msg']],
      ok: ['count', 'snapshots'],
    },
    faulty: {
      missing: [404, { itemNotFound: { code: 404, message: 'Resource not found or permission denied.' } }],
      bad: [400, ['badRequest']],
      ok: ['count', 'snapshots'],
    },
  },
  'delete-returns-200': {
    async probe(c) {
      const id = await c.ready();
      const res = await c.call('DELETE', `/snapshots/${id}`);
      await c.waitFor(id, 404);
      return { status: res.status, body: res.text };
    },
    healthy: { status: 202, body: '' },
    faulty: { status: 200, body: '' },
  },
  'delete-leaves-ghost': {
    async probe(c) {
      const id = await c.ready();
      const res = await c.call('DELETE', `/snapshots/${id}`);
      await sleep(150);
      const after = await c.call('GET', `/snapshots/${id}`);
      return { delete: res.status, after: after.status, listed: await c.count() };
    },
    healthy: { delete: 202, after: 404, listed: 0 },
    faulty: { delete: 202, after: 200, listed: 1 },
  },
  'name-first-char-unchecked': {
    async probe(c) {
      const statuses: number[] = [];
      for (const name of ['1abc', '-abc', '_abc', 'Abc1', 'a.bc', 'abc']) statuses.push(await c.attempt({ name }));
      return statuses;
    },
    healthy: [400, 400, 400, 200, 400, 400],
    faulty: [200, 200, 200, 200, 400, 400],
  },
  'name-uppercase-refused': {
    async probe(c) {
      const statuses: number[] = [];
      for (const name of ['Abcd', 'ZZ-9', 'xBCD', 'wxyz', '1abc']) statuses.push(await c.attempt({ name }));
      return statuses;
    },
    healthy: [200, 200, 200, 200, 400],
    faulty: [400, 400, 200, 200, 400],
  },
  'description-forbids-only-html': {
    async probe(c) {
      const chars: number[] = [];
      for (const ch of FORBIDDEN) chars.push(await c.attempt({ name: uniqueName(), description: `x${ch}y` }));
      return { chars, plain: await c.attempt({ name: uniqueName(), description: 'plain text' }) };
    },
    healthy: { chars: [400, 400, 400, 400, 400, 400, 400], plain: 200 },
    faulty: { chars: [200, 400, 400, 200, 200, 200, 200], plain: 200 },
  },
  'description-punctuation-refused': {
    async probe(c) {
      const statuses: number[] = [];
      for (const description of ['#1 (of 3): 50% @ 10:00 [ok]; ~/x+y*z=?', 'a-b_c. d, e', 'x<y']) statuses.push(await c.attempt({ name: uniqueName(), description }));
      return statuses;
    },
    healthy: [400, 200, 400],
    faulty: [400, 200, 400],
  },
  'description-bytes-not-chars': {
    async probe(c) {
      const statuses: number[] = [];
      for (const description of ['雪'.repeat(256), '雪'.repeat(86), 'd'.repeat(256), '雪'.repeat(257)]) statuses.push(await c.attempt({ name: uniqueName(), description }));
      return statuses;
    },
    healthy: [200, 200, 200, 400],
    faulty: [400, 400, 200, 400],
  },
  'cluster-list-limit-ignored': {
    probe: (c) => clusterList(c, ['?limit=1', '?limit=2&offset=1', '']),
    healthy: [['b1'], ['b2'], ['b1', 'b3', 'b2']],
    faulty: [['b1', 'b3', 'b2'], ['b3', 'b2'], ['b1', 'b3', 'b2']],
  },
  'cluster-list-offset-ignored': {
    probe: (c) => clusterList(c, ['?limit=1&offset=1', '?offset=2', '?limit=1']),
    healthy: [['b3'], ['b2'], ['b1']],
    faulty: [['b1'], ['b1', 'b3', 'b2'], ['b1']],
  },
  'cluster-list-sort-ignored': {
    probe: (c) => clusterList(c, ['?sort_key=name&sort_dir=asc', '?sort_key=name&sort_dir=desc', '?sort_dir=desc']),
    healthy: [['b1', 'b2', 'b3'], ['b3', 'b2', 'b1'], ['b2', 'b3', 'b1']],
    faulty: [['b1', 'b3', 'b2'], ['b2', 'b3', 'b1'], ['b2', 'b3', 'b1']],
  },
};

/** Three snapshots made b1, b3, b2; the names the cluster's list answers to each query. */
async function clusterList(c: Api, queries: string[]): Promise<string[][]> {
  for (const name of ['b1', 'b3', 'b2']) await c.ready({ name: `${name}-x` });
  const { available } = await c.clusters();
  const out: string[][] = [];
  for (const query of queries) {
    const res = await c.call('GET', `/clusters/${available}/snapshots${query}`);
    out.push(res.json.snapshots.map((s: { name: string }) => s.name.slice(0, 2)));
  }
  return out;
}

describeFaults({
  faults: dwsFaults,
  cases: faultCases,
  options: { token: TOKEN, delays: FAST },
  start: startDwsServer,
  client: (http, url) => new Api(http, url),
  // Playwright files a test where test() is called: these keep the fault tests in this file.
  describe: (title, body) => test.describe(title, body),
  test: (title, body) => test(title, body),
});
