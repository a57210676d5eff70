// Tear-down project of a profile, run after all its tests whatever their outcome, in this order:
// the tests that need the target to themselves (lists, whose pages must not shift under them, and
// the quota, which fills the project up), then the final clean-up, which deletes everything the
// run's ledger still holds (all workers together) and the parent resource if the run made it.
import { existsSync, readFileSync } from 'node:fs';
import { step, test, type ParentState } from '../fixtures.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import { operation } from '../../src/profile/load.ts';
import { validBody } from '../../src/generate/requests.ts';
import { refused } from '../../src/checks/refusal.ts';
import { refusedCreateLeftNothing } from '../../src/checks/resource.ts';
import { createReady, leftBehindBy, unwrap } from '../../src/steps/resource.ts';
import { listParts } from '../../src/steps/lists.ts';
import { pageWithinLimit } from '../../src/checks/lists.ts';
import { makeParent, waitParentReady } from '../../src/target/parent.ts';
import { Ledger } from '../../src/target/ledger.ts';
import { cleanup, pathParams } from '../../src/target/resources.ts';
import { getAt } from '../../src/util/pointer.ts';

test.describe.configure({ mode: 'default' });

type Item = Record<string, unknown>;

test('lists: count, limit, marker paging, next links, offset, sort and filters', async ({ world, client, judge, parentId }) => {
  test.skip(Boolean(world.run.replayPath), 'replaying one property case');
  const r = world.profile.conformance.resource;
  const createOp = operation(world.profile, r.operations.create);
  const showOp = operation(world.profile, r.operations.show);
  const ours: Item[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await createReady(client, judge, validBody(world.profile, createOp, { parent: parentId, name: world.name }));
    const shown = await client.call(showOp.id, { path: pathParams(showOp, { resource: created.id }) });
    ours.push({ id: created.id, ...unwrap(client, shown.response?.json) });
  }
  for (const [title, body] of listParts(client, judge, parentId, ours)) await step(judge, title, body);
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
  const { found, list } = await leftBehindBy(client, name);
  judge.check(refusedCreateLeftNothing, quota!.clause, { found, name }, [refusal!, list]);
});

test('a parent holds at most its limit of resources', async ({ world, client, judge }) => {
  const limit = world.profile.conformance.perParent;
  test.skip(!limit || Boolean(world.run.replayPath), 'no limit per parent');
  const r = world.profile.conformance.resource;
  const op = operation(world.profile, r.operations.create);
  // A fresh parent: it holds nothing but what this test makes.
  const parent = await makeParent(world.admin, world.name());
  await waitParentReady(world.admin, parent.id);
  for (let n = 0; n < limit!.max; n++) await createReady(client, judge, validBody(world.profile, op, { parent: parent.id, name: world.name }));
  const name = world.name();
  const over = await client.call(op.id, { body: validBody(world.profile, op, { parent: parent.id, name: () => name }) });
  judge.check(refused, limit!.clause, { exchange: over, operation: op, kind: 'per-parent-limit' }, [over]);
  // What the refused create made anyway is found (and removed at once) by its name.
  const { found, list: named } = await leftBehindBy(client, name);
  judge.check(refusedCreateLeftNothing, limit!.clause, { found, name }, [over, named]);
  const list = await client.call(r.operations.list);
  const items = ((getAt(list.response?.json, `/${world.profile.conformance.lists.items}`) as Item[]) ?? []).filter((i) => i[r.fields.parent] === parent.id);
  judge.check(pageWithinLimit, limit!.clause, { count: items.length, limit: limit!.max }, [over, list]);
});

test('nothing the run created is left on the target', async ({ world }) => {
  const ledger = Ledger.fromFile(world.profile, world.run.runId, world.ledger.file!);
  const parents: ParentState[] = existsSync(world.parentFile) ? JSON.parse(readFileSync(world.parentFile, 'utf8')) : [];
  // A parent the run was given or found is never deleted; one it created is in the ledger like any other.
  const keep = new Set(parents.filter((p) => !p.created).map((p) => p.id));
  const report = await cleanup(world.admin, ledger, (e) => !keep.has(e.id!));
  const summary = `removed ${report.deleted.length} resource(s)${report.failed.length ? `; could not remove ${report.failed.map((f) => `${f.kind} ${f.id} (${f.reason})`).join(', ')}` : ''}`;
  test.info().annotations.push({ type: 'cleanup', description: summary });
  if (report.failed.length) throw new Error(summary);
});
