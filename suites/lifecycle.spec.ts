// The lifecycle: create -> ready -> show, lists, update, metadata -> delete -> gone, and use after
// delete. A fixed scenario walks every command once (so every clause is exercised on every run),
// then fast-check explores random sequences of the same commands against the model. Also here:
// what a lifecycle needs first (a parent), what it must refuse (deleting while creating), and
// the version endpoints around it.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { test, profileTag, READ_ONLY_TAG, type World } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { Judge } from '../src/findings/judge.ts';
import { TargetClient } from '../src/http/client.ts';
import { loadProfile, operation } from '../src/profile/load.ts';
import { scenarios } from '../src/lifecycle/commands.ts';
import { emptyModel, type Real } from '../src/lifecycle/model.ts';
import { runLifecycle } from '../src/lifecycle/property.ts';
import { validBody } from '../src/generate/requests.ts';
import { refused } from '../src/checks/refusal.ts';
import { listed, reachedState, refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { accepted } from '../src/checks/contract.ts';
import { nextLink } from '../src/checks/lists.ts';
import { makeParent, waitParentReady } from '../src/target/parent.ts';
import { versionsDocument } from '../src/checks/versions.ts';
import { create, createReady, leftBehindBy, waitReady } from '../src/steps/resource.ts';
import { GONE, pathParams, stateBudgetMs, waitForState } from '../src/target/resources.ts';
import { getAt } from '../src/util/pointer.ts';

/** Live resources one sequence may hold: two lanes of two stay well inside Cinder's default quota of 10. */
const MAX_LIVE = 2;

function judgedClient(world: World, judge: Judge): TargetClient {
  const client = new TargetClient(world.api, world.profile, world.target, world.redactor, world.ledger);
  client.onExchange((exchange, op) => judge.exchange(exchange, op));
  return client;
}

/** The command that reruns one lifecycle case, against the same target. */
function replayCommand(world: World, seed: number, replay: string): string {
  const target = world.run.embedded ? '' : ` --base-url '${world.redactor.url(world.target.baseUrl)}' --token "$SC_TOKEN"`;
  const version = world.run.microversion ? ` --microversion ${world.run.microversion}` : '';
  return `npx snapshot-conformance run --profile ${world.profile.id}${target}${version} --seed ${seed} --replay-path '${replay}' --concurrency 1 --grep 'lifecycle property'`;
}

for (const profileId of readRunEnv().profiles) {
  const profile = loadProfile(profileId);
  const c = profile.conformance;
  const r = c.resource;

  test.describe(`${profileId} lifecycle`, { tag: profileTag(profileId) }, () => {
    for (const name of Object.keys(scenarios(profile, { namePrefix: '', maxLive: MAX_LIVE }))) {
      test(`${name} scenario: every operation once, in order`, async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const real: Real = { client, judge, parentId, ids: new Map() };
        const steps = scenarios(profile, { namePrefix: world.namePrefix, maxLive: MAX_LIVE })[name]!;
        await fc.asyncModelRun(() => ({ model: emptyModel(), real }), steps);
      });
    }

    test('lifecycle property: random sequences agree with the model', async ({ world, judge, parentId }) => {
      const run = world.run;
      const outcomes = await runLifecycle((exploring) => new Judge(profile, world.validators, { exploring }), {
        seed: run.seed,
        examples: run.examples,
        lanes: run.concurrency,
        maxCommands: 12,
        maxLive: MAX_LIVE,
        namePrefix: world.namePrefix,
        replay: run.replayPath,
        client: (j) => judgedClient(world, j),
        admin: world.admin,
        ledger: world.ledger,
        parentId,
        replayCommand: (seed, replay) => replayCommand(world, seed, replay),
      });
      for (const outcome of outcomes) for (const record of outcome.records) judge.absorb(record);
      const blocked = outcomes.find((o) => o.blocked);
      if (blocked) judge.blocked(blocked.blocked!);
      test.info().annotations.push({ type: 'property', description: outcomes.map((o) => `seed ${o.seed}: ${o.runs} run(s)${o.failed ? ', failed' : ''}`).join('; ') });
    });

    test('a resource needs an existing parent', async ({ world, client, judge }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      const op = operation(profile, r.operations.create);
      const name = world.name();
      const body = validBody(profile, op, { parent: randomUUID(), name: () => name });
      const exchange = await client.call(op.id, { body });
      judge.check(refused, c.lifecycle.needsParent, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
      const { found, list } = await leftBehindBy(client, name);
      judge.check(refusedCreateLeftNothing, c.lifecycle.needsParent, { found, name }, [exchange, list]);
    });

    if (c.lifecycle.deleteWhileCreating) {
      test('a resource that is still being created cannot be deleted', async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const createOp = operation(profile, r.operations.create);
        const deleteOp = operation(profile, r.operations.delete);
        // How long creation takes here, at least: the last poll that still saw it in progress.
        const first = await create(client, judge, validBody(profile, createOp, { parent: parentId, name: world.name }));
        const timing = (await waitReady(client, judge, first.id)).lastSeenFirstMs;
        const second = await create(client, judge, validBody(profile, createOp, { parent: parentId, name: world.name }));
        const sentAfter = performance.now() - second.receivedAt;
        const exchange = await client.call(deleteOp.id, { path: pathParams(deleteOp, { resource: second.id }) });
        const status = exchange.response?.status ?? 0;
        if (status >= 200 && status < 300 && (timing === undefined || sentAfter * 2 > timing)) {
          test.info().annotations.push({ type: 'not judged', description: `creation here takes under ${timing ?? 0} ms: too fast to tell whether the delete came while creating` });
          return;
        }
        judge.check(refused, c.lifecycle.deleteWhileCreating!, { exchange, operation: deleteOp, kind: 'invalid-state' }, [second.exchange, exchange]);
        if (status >= 400) await waitReady(client, judge, second.id);
      });
    }

    for (const pre of c.preconditions ?? []) {
      test(`a resource cannot be made of ${pre.title}`, async ({ world, client, judge }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        test.skip(!c.fixtures.parent.create, 'the run cannot make parents here');
        // A parent of the wrong kind (made with other lookups), or one asked for before it is ready.
        const variant = 'lookups' in pre.parent ? pre.parent : undefined;
        const parent = await makeParent(client, world.name(), variant?.lookups, variant?.body);
        if ('lookups' in pre.parent) await waitParentReady(client, parent.id);
        const op = operation(profile, r.operations.create);
        const name = world.name();
        const exchange = await client.call(op.id, { body: validBody(profile, op, { parent: parent.id, name: () => name }) });
        judge.check(refused, pre.clause, { exchange, operation: op, kind: 'invalid-state' }, [exchange]);
        const { found, list } = await leftBehindBy(client, name);
        judge.check(refusedCreateLeftNothing, pre.clause, { found, name }, [exchange, list]);
      });
    }

    const busy = c.busy;
    if (busy) {
      test('writes at the same time all go through, the busy ones after retries', async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const op = operation(profile, r.operations.create);
        // Three at once: a target that serialises writes must answer "busy" to some of them.
        const exchanges = await Promise.all([0, 1, 2].map(() => client.call(op.id, { body: validBody(profile, op, { parent: parentId, name: world.name }) })));
        for (const exchange of exchanges) judge.check(accepted, busy.clause, { exchange }, [exchange]);
      });
    }

    const reserved = c.reservedPrefix;
    if (reserved) {
      test(`a resource named with the reserved prefix ${reserved.prefix} is an ordinary one to the API`, async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const op = operation(profile, r.operations.create);
        const name = `${reserved.prefix}${world.name()}`;
        const exchange = await client.call(op.id, { body: validBody(profile, op, { parent: parentId, name: () => name }) });
        const status = exchange.response?.status ?? 0;
        // Refusing the name is allowed; accepting it and then keeping the snapshot is not.
        if (status >= 400 && status < 500) return void judge.check(refused, reserved.clause, { exchange, operation: op, kind: 'invalid-body' }, [exchange]);
        judge.succeeded(op, exchange, reserved.clause);
        const id = String(getAt(exchange.response?.json, r.id));
        await waitReady(client, judge, id);
        const del = operation(profile, r.operations.delete);
        const deleted = await client.call(del.id, { path: pathParams(del, { resource: id }) });
        judge.check(accepted, reserved.clause, { exchange: deleted }, [deleted]);
        const gone = await waitForState(client, r.operations.show, { resource: id }, `/${r.wrapper}/${r.fields.status}`, { target: GONE, allowed: r.states.deleting, failed: [], budgetMs: stateBudgetMs(client) });
        judge.check(reachedState, reserved.clause, { observation: gone.observation, target: GONE, allowedOnTheWay: r.states.deleting }, gone.exchanges.slice(-1));
      });
    }

    const parentList = c.fixtures.parent.list;
    if (parentList) {
      test('the parents list pages to the parent, and a resource is made of it', async ({ world, client, judge, parentId }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        // A second parent, so that paging one at a time has a page to turn.
        if (c.fixtures.parent.create) await waitParentReady(client, (await makeParent(client, world.name())).id);
        const op = operation(profile, parentList.operation);
        let exchange = await client.call(op.id, { query: { [parentList.limit]: 1 } });
        const seen: string[] = [];
        for (let page = 0; page < 1000 && exchange.response?.status === 200; page++) {
          const items = (getAt(exchange.response.json, `/${parentList.items}`) as Array<{ id?: string }> | undefined) ?? [];
          seen.push(...items.map((i) => String(i.id)));
          if (seen.includes(parentId)) break;
          const links = getAt(exchange.response.json, `/${parentList.links}`);
          judge.check(nextLink, parentList.clause, { links, full: items.length === 1, lastId: items.at(-1)?.id, requestUrl: exchange.request.url }, [exchange]);
          const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((l) => l.rel === 'next')?.href : undefined;
          if (!next) break;
          const followed = await client.follow(next, op.id);
          if ('offOrigin' in followed) break;
          exchange = followed;
        }
        judge.check(listed, parentList.clause, { ids: seen, id: parentId, shouldBe: true, list: 'the parents, page by page' }, [exchange]);
        const create = operation(profile, r.operations.create);
        await createReady(client, judge, validBody(profile, create, { parent: parentId, name: world.name }));
      });
    }

    if (c.versions) {
      test('the version root announces the API version', { tag: READ_ONLY_TAG }, async ({ world, client, judge }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const base = new URL(world.target.baseUrl);
        base.pathname = base.pathname.split('/').slice(0, -c.versions!.rootUp).join('/') + '/';
        const exchange = await client.send('GET', base.toString());
        judge.check(versionsDocument, c.versions!.clause, { exchange, version: c.versions!.version, minVersion: c.versions!.minVersion }, [exchange]);
      });
    }

    if (c.unsupportedVersion) {
      test('an unsupported microversion is refused', { tag: READ_ONLY_TAG }, async ({ world, client, judge }) => {
        test.skip(Boolean(world.run.replayPath), 'replaying one property case');
        const u = c.unsupportedVersion!;
        const op = operation(profile, u.probe);
        const exchange = await client.call(op.id, { headers: { [u.header]: u.value } });
        judge.check(refused, u.clause, { exchange, operation: op, kind: 'unsupported-version' }, [exchange]);
      });
    }
  });
}

