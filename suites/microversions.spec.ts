// What later microversions change (profiles that have them: Cinder's OpenStack-API-Version). Each
// change is tried at the version just before the one that brings it and at that version, whatever
// microversion the rest of the run asks for; and every answer must speak the version asked for.
import { test, profileTag } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { loadProfile, operation } from '../src/profile/load.ts';
import { validBody } from '../src/generate/requests.ts';
import { refused } from '../src/checks/refusal.ts';
import { refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { sortedBy } from '../src/checks/lists.ts';
import { answerSpeaksVersion, compareMicroversions, fieldsByVersion } from '../src/checks/versions.ts';
import { createReady, leftBehindBy, waitReady } from '../src/steps/resource.ts';
import { accepted } from '../src/checks/contract.ts';
import { pathParams } from '../src/target/resources.ts';
import { getAt, setAt } from '../src/util/pointer.ts';

/** The version just before one: "3.30" -> "3.29". */
const before = (version: string) => {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${minor! - 1}`;
};

for (const profileId of readRunEnv().profiles) {
  const profile = loadProfile(profileId);
  const c = profile.conformance;
  const mv = c.microversions;
  if (!mv) continue;
  const r = c.resource;
  const items = (json: unknown) => (getAt(json, `/${c.lists.items}`) as Array<Record<string, unknown>> | undefined) ?? [];

  test.describe(`${profileId} microversions`, { tag: profileTag(profileId) }, () => {
    test('detail views gain their fields with the microversion that adds them', async ({ world, client, judge, parentId }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      const createOp = operation(profile, r.operations.create);
      const { id } = await createReady(client, judge, validBody(profile, createOp, { parent: parentId, name: world.name }));
      const since = Object.values(mv.fields.since);
      const versions = [...new Set([mv.base, ...since.flatMap((v) => [before(v), v])])].sort(compareMicroversions);
      const show = operation(profile, r.operations.show);
      for (const version of versions) {
        const exchange = await client.call(show.id, { path: pathParams(show, { resource: id }), headers: client.versionHeader(version) });
        judge.check(answerSpeaksVersion, mv.echo, { exchange, header: mv.header, expected: mv.format.replace('{version}', version) }, [exchange]);
        judge.check(fieldsByVersion, mv.fields.clause, { resource: getAt(exchange.response?.json, `/${r.wrapper}`), version, since: mv.fields.since, where: 'show' }, [exchange]);
      }
      if (!r.operations.listDetail) return;
      const detail = operation(profile, r.operations.listDetail);
      for (const version of [mv.base, since.sort(compareMicroversions).at(-1)!]) {
        const exchange = await client.call(detail.id, { headers: client.versionHeader(version) });
        const ours = items(exchange.response?.json).find((i) => i.id === id);
        judge.check(fieldsByVersion, mv.fields.clause, { resource: ours, version, since: mv.fields.since, where: 'list detail' }, [exchange]);
      }
    });

    if (mv.sortKey) {
      const sort = mv.sortKey;
      test(`sorting by ${sort.key} comes with microversion ${sort.since}`, async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const createOp = operation(profile, r.operations.create);
        const list = operation(profile, r.operations.list);
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push((await createReady(client, judge, validBody(profile, createOp, { parent: parentId, name: world.name }))).id);
        const query = { [c.lists.sort!.key]: sort.key, [c.lists.sort!.dir]: 'asc' };
        const early = await client.call(list.id, { query, headers: client.versionHeader(before(sort.since)) });
        judge.check(refused, sort.clause, { exchange: early, operation: list, kind: 'invalid-query' }, [early]);
        const exchange = await client.call(list.id, { query, headers: client.versionHeader(sort.since) });
        judge.succeeded(list, exchange, sort.clause);
        const names = items(exchange.response?.json).filter((i) => ids.includes(String(i.id))).map((i) => String(i[r.fields.name]));
        judge.check(sortedBy, sort.clause, { values: names, dir: 'asc', field: sort.key }, [exchange]);
      });
    }

    if (mv.refusedFalse) {
      const rule = mv.refusedFalse;
      test(`from microversion ${rule.since} a false ${rule.member} is refused`, async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const op = operation(profile, r.operations.create);
        const withMember = (value: boolean, name: string) => setAt(validBody(profile, op, { parent: parentId, name: () => name }), [r.wrapper, rule.member], value);
        // Accepted (the clause's part); answered as the create documents (the operation's contract).
        const acceptedAt = async (version: string, value: boolean) => {
          const exchange = await client.call(op.id, { body: withMember(value, world.name()), headers: client.versionHeader(version) });
          judge.unlessHeldBack(op, exchange);
          if (!judge.check(accepted, rule.clause, { exchange }, [exchange])) return;
          judge.succeeded(op, exchange);
          const id = getAt(exchange.response?.json, r.id);
          if (typeof id === 'string') await waitReady(client, judge, id);
        };
        // Before: false is accepted.
        await acceptedAt(before(rule.since), false);
        // From the version on: false is refused and creates nothing; true is accepted (and ignored).
        const name = world.name();
        const exchange = await client.call(op.id, { body: withMember(false, name), headers: client.versionHeader(rule.since) });
        judge.unlessHeldBack(op, exchange);
        judge.check(refused, rule.clause, { exchange, operation: op, kind: 'invalid-body' }, [exchange]);
        const { found, list } = await leftBehindBy(client, name);
        judge.check(refusedCreateLeftNothing, rule.clause, { found, name }, [exchange, list]);
        await acceptedAt(rule.since, true);
      });
    }
  });
}
