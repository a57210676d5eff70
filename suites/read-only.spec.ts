// What reading alone can judge, for a run that must not write (--read-only), and in every run:
// the contract of the lists and of what they hold (shows, metadata reads), unknown ids, missing and
// bad tokens, and page limits, on resources that already exist.
import { randomUUID } from 'node:crypto';
import { test, profileTag, READ_ONLY_TAG } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { loadProfile, operation, subjectOperations, type Operation } from '../src/profile/load.ts';
import { refused } from '../src/checks/refusal.ts';
import { pageWithinLimit } from '../src/checks/lists.ts';
import { addressable, pathParams } from '../src/target/resources.ts';
import { getAt } from '../src/util/pointer.ts';
import type { TargetClient } from '../src/http/client.ts';

/** How many existing resources a run reads. */
const SAMPLE = 5;

for (const profileId of readRunEnv().profiles) {
  const profile = loadProfile(profileId);
  const c = profile.conformance;
  const r = c.resource;
  const reads = subjectOperations(profile).filter((op) => op.method === 'GET');
  const onResource = (op: Operation) => op.parameters.some((p) => p.in === 'path' && p.fixture === 'resource');
  const ids = async (client: TargetClient) => {
    const list = await client.call(r.operations.list);
    return ((getAt(list.response?.json, `/${c.lists.items}`) as Array<{ id: unknown }> | undefined) ?? []).slice(0, SAMPLE).map((i) => String(i.id));
  };

  test.describe(`${profileId} reading`, { tag: [profileTag(profileId), READ_ONLY_TAG] }, () => {
    test('lists and what they hold answer as documented', async ({ world, client }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      // Every answer is judged as it comes (status, schema, headers, envelope).
      for (const op of reads.filter((o) => !onResource(o))) await client.call(op.id);
      for (const id of await ids(client)) {
        for (const op of reads.filter(onResource)) {
          // A per-key read needs a key the resource has, and one a path can carry.
          const key = op.parameters.find((p) => p.in === 'path' && !p.fixture);
          if (key) {
            const meta = getAt((await client.call(r.operations.show, { path: pathParams(operation(profile, r.operations.show), { resource: id }) })).response?.json, `/${r.wrapper}/${r.fields.metadata ?? 'metadata'}`);
            const first = meta && typeof meta === 'object' ? Object.keys(meta).find(addressable) : undefined;
            if (!first) continue;
            await client.call(op.id, { path: pathParams(op, { resource: id }, { [key.name]: first }) });
          } else await client.call(op.id, { path: pathParams(op, { resource: id }) });
        }
      }
    });

    test('an unknown id is not found', async ({ world, client, judge }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      for (const op of reads.filter(onResource)) {
        const exchange = await client.call(op.id, { path: pathParams(op, { resource: randomUUID() }) });
        judge.check(refused, c.refusals.unknownResource, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
      }
    });

    test('reading without a token, or with a bad one, is refused', async ({ world, client, judge }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      const [id] = await ids(client);
      for (const op of reads.filter((o) => !onResource(o) || id)) {
        if (op.parameters.some((p) => p.in === 'path' && !p.fixture)) continue;
        const path = pathParams(op, { resource: id });
        for (const [token, clause] of [['none', c.auth.missing], [`invalid-${randomUUID()}`, c.auth.invalid]] as const) {
          const exchange = await client.call(op.id, { path, token });
          judge.check(refused, clause, { exchange, operation: op, kind: 'unauthenticated' }, [exchange]);
        }
      }
    });

    if (c.lists.limit) {
      const limit = c.lists.limit;
      test('a page holds at most the limit asked for', async ({ world, client, judge }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const exchange = await client.call(r.operations.list, { query: { [limit.param]: '1' } });
        const items = (getAt(exchange.response?.json, `/${c.lists.items}`) as unknown[] | undefined) ?? [];
        judge.check(pageWithinLimit, limit.clause, { count: items.length, limit: 1 }, [exchange]);
      });
    }
  });
}
