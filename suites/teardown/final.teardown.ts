// Tear-down project of a profile, run after all its tests whatever their outcome, in this order:
// the tests that need the target to themselves (lists, whose pages must not shift under them, and
// the quota, which fills the project up), then the final clean-up, which deletes everything the
// run's ledger still holds (all workers together) and the parent resource if the run made it.
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { test, type ParentState } from '../fixtures.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import type { TargetClient } from '../../src/http/client.ts';
import { operation } from '../../src/profile/load.ts';
import { validBody } from '../../src/generate/requests.ts';
import { statusIs } from '../../src/checks/contract.ts';
import { refused } from '../../src/checks/refusal.ts';
import { filterSelects, nextLink, pageWithinLimit, pagesCoverList, samePage, sortedBy } from '../../src/checks/lists.ts';
import { refusedCreateLeftNothing } from '../../src/checks/resource.ts';
import { createReady } from '../../src/steps/resource.ts';
import { Ledger } from '../../src/target/ledger.ts';
import { cleanup } from '../../src/target/resources.ts';
import { getAt } from '../../src/util/pointer.ts';

test.describe.configure({ mode: 'default' });

type Item = Record<string, unknown>;
const itemsOf = (client: TargetClient, ex: Exchange): Item[] => (getAt(ex.response?.json, `/${client.profile.conformance.lists.items}`) as Item[] | undefined) ?? [];

test('lists: limit, marker paging, next links, sort and filters', async ({ world, client, judge, parentId }) => {
  test.skip(Boolean(world.run.replayPath), 'replaying one property case');
  const c = world.profile.conformance;
  const r = c.resource;
  const l = c.lists;
  const createOp = operation(world.profile, r.operations.create);
  const ours: Item[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await createReady(client, judge, validBody(world.profile, createOp, { parent: parentId, name: world.name }));
    ours.push({ id: created.id, ...created.answer });
  }
  const ids = ours.map((o) => String(o.id));
  // Only this run's parent: the pages then hold the suite's items, not the whole project's.
  const scope = l.filters?.fields.includes(r.fields.parent) ? { [r.fields.parent]: parentId } : {};
  const list = (query: Record<string, string | number> = {}) => client.call(r.operations.list, { query: { ...scope, ...query } });

  await judge.step('the unpaged list, and limit', async () => {
    const full = await list();
    judge.require(statusIs, operation(world.profile, r.operations.list).clause!, { exchange: full, expected: [200] }, [full]);
    const page = await list({ [l.limit.param]: 2 });
    judge.check(pageWithinLimit, l.limit.clause, { count: itemsOf(client, page).length, limit: 2 }, [page]);
    if (l.limit.zeroIsEmpty) {
      const zero = await list({ [l.limit.param]: 0 });
      judge.check(pageWithinLimit, l.limit.clause, { count: itemsOf(client, zero).length, limit: 0 }, [zero]);
    }
  });

  await judge.step('marker paging and next links', async () => {
    const full = itemsOf(client, await list()).map((i) => String(i.id));
    const pages: string[][] = [];
    const evidence: Exchange[] = [];
    let marker: string | undefined;
    for (let n = 0; n < 50; n++) {
      const page = await list(marker ? { [l.limit.param]: 2, [l.marker.param]: marker } : { [l.limit.param]: 2 });
      evidence.push(page);
      const pageIds = itemsOf(client, page).map((i) => String(i.id));
      pages.push(pageIds);
      if (l.links && l.nextLink) {
        judge.check(nextLink, l.nextLink, { links: getAt(page.response?.json, `/${l.links}`), full: pageIds.length === 2, lastId: pageIds.at(-1), requestUrl: page.request.url }, [page]);
      }
      if (pageIds.length < 2 || page.response?.status !== 200) break;
      marker = pageIds.at(-1);
    }
    judge.check(pagesCoverList, l.marker.clause, { pages, full, ours: ids }, evidence.slice(0, 3));
    // The next link, followed, gives the page the marker gives (paging itself is judged above).
    const first = evidence[0];
    const next = (getAt(first?.response?.json, `/${l.links}`) as Array<{ rel?: string; href?: string }> | undefined)?.find((x) => x.rel === 'next');
    if (l.nextLink && next?.href && pages[1]) {
      const followed = await client.follow(next.href, r.operations.list);
      if (!('offOrigin' in followed)) {
        const got = itemsOf(client, followed).map((i) => String(i.id));
        judge.check(samePage, l.nextLink, { expected: pages[1], got }, [first!, followed, evidence[1]!]);
      }
    }
  });

  if (l.sort) {
    await judge.step('sort', async () => {
      const s = l.sort!;
      for (const dir of ['asc', 'desc'] as const) {
        const page = await list({ [s.key]: s.by, [s.dir]: dir });
        judge.check(sortedBy, s.clause, { values: itemsOf(client, page).map((i) => String(i[s.by])), dir, field: s.by }, [page]);
      }
      const plain = await list();
      judge.check(sortedBy, s.clause, { values: itemsOf(client, plain).map((i) => String(i[s.by])), dir: s.defaultDir, field: `${s.by} (by default)` }, [plain]);
    });
  }

  if (l.badPaging) {
    await judge.step('bad paging parameters', async () => {
      const op = operation(world.profile, r.operations.list);
      for (const limit of ['-1', 'abc']) {
        const ex = await list({ [l.limit.param]: limit });
        judge.check(refused, l.badPaging!, { exchange: ex, operation: op, kind: 'invalid-query' }, [ex]);
      }
      const ex = await list({ [l.marker.param]: randomUUID() });
      judge.check(refused, l.badPaging!, { exchange: ex, operation: op, kind: 'unknown-resource' }, [ex]);
    });
  }

  if (l.filters) {
    await judge.step('filters', async () => {
      const f = l.filters!;
      const values: Record<string, { value: string; mustInclude: string[] }> = {};
      if (f.fields.includes(r.fields.name)) values[r.fields.name] = { value: String(ours[0]![r.fields.name]), mustInclude: [ids[0]!] };
      if (f.fields.includes(r.fields.status)) values[r.fields.status] = { value: r.states.ready, mustInclude: ids };
      if (f.fields.includes(r.fields.parent)) values[r.fields.parent] = { value: parentId, mustInclude: ids };
      for (const [field, { value, mustInclude }] of Object.entries(values)) {
        const ex = await client.call(r.operations.list, { query: { [field]: value } });
        judge.check(filterSelects, f.clause, { items: itemsOf(client, ex), field, value, mustInclude, idField: 'id' }, [ex]);
      }
    });
  }
});

test('quota: creating past it is refused and creates nothing', async ({ world, client, judge, parentId }) => {
  const quota = world.profile.conformance.quota;
  test.skip(!quota || Boolean(world.run.replayPath), 'no quota clause');
  const r = world.profile.conformance.resource;
  const op = operation(world.profile, r.operations.create);
  let refusal: Exchange | undefined;
  let name = '';
  for (let n = 0; n < quota!.probeMax && !refusal; n++) {
    name = world.name();
    const exchange = await client.call(op.id, { body: validBody(world.profile, op, { parent: parentId, name: () => name }) });
    const status = exchange.response?.status ?? 0;
    if (status < 200 || status >= 300) refusal = exchange;
  }
  test.skip(!refusal, `no refusal within ${quota!.probeMax} creates: the quota is higher`);
  judge.check(refused, quota!.clause, { exchange: refusal!, operation: op, kind: 'over-quota' }, [refusal!]);
  const list = await client.call(r.operations.list, { query: { [r.fields.name]: name } });
  const found = ((getAt(list.response?.json, `/${world.profile.conformance.lists.items}`) as Item[]) ?? []).filter((i) => i[r.fields.name] === name).map((i) => String(i.id));
  judge.check(refusedCreateLeftNothing, quota!.clause, { found, name }, [refusal!, list]);
});

test('nothing the run created is left on the target', async ({ world }) => {
  const ledger = Ledger.fromFile(world.profile, world.run.runId, world.ledger.file!);
  const parent: ParentState | undefined = existsSync(world.parentFile) ? JSON.parse(readFileSync(world.parentFile, 'utf8')) : undefined;
  // A parent the run was given is never deleted; one it created is in the ledger like any other.
  const keep = parent && !parent.created ? parent.id : undefined;
  const report = await cleanup(world.admin, ledger, (e) => e.id !== keep);
  const summary = `removed ${report.deleted.length} resource(s)${report.failed.length ? `; could not remove ${report.failed.map((f) => `${f.kind} ${f.id} (${f.reason})`).join(', ')}` : ''}`;
  test.info().annotations.push({ type: 'cleanup', description: summary });
  if (report.failed.length) throw new Error(summary);
});
