// The lifecycle: create -> ready -> show, lists, update, metadata -> delete -> gone, and use after
// delete. fast-check explores random sequences of the commands against the model (the longest
// test of a run: it starts first), and fixed scenarios walk every command once, so that every
// clause is exercised on every run. Also here: what a lifecycle needs first (a parent), what it must
// refuse (deleting while creating, wrong parents), and the version endpoints around it.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Judges, SuiteTest, TestContext } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import { GONE, modelOf } from '../src/profile/api.ts';
import { swapCase } from '../src/util/normalize.ts';
import { Judge } from '../src/findings/judge.ts';
import { scenarios, unwalked } from '../src/lifecycle/commands/index.ts';
import { emptyModel, type Real } from '../src/lifecycle/model.ts';
import { runLifecycle } from '../src/lifecycle/property.ts';
import { refused } from '../src/checks/refusal.ts';
import { fieldsMatch, listed, reachedState, refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { accepted } from '../src/checks/contract.ts';
import { nextLink } from '../src/checks/lists.ts';
import { versionsDocument } from '../src/checks/versions.ts';
import { makeParent } from '../src/resources/parent.ts';
import { removingWhatItMakes } from '../src/run/execute.ts';
import { create, createExample, leftBehindBy, validCreateBody, waitReady } from '../src/steps/create-delete.ts';
import type { Exchange } from '../src/http/exchange.ts';


/** Live resources one sequence may hold: two lanes of two stay well inside Cinder's default quota of 10. */
const MAX_LIVE = 2;

/** The command that reruns one lifecycle case, against the same target. */
function replayCommand(t: TestContext, seed: number, replay: string): string {
  const run = t.world.run;
  const target = run.embedded ? '' : ` --base-url '${t.world.redactor.url(t.api.target.baseUrl)}' --token "$SC_TOKEN"`;
  const version = run.microversion ? ` --microversion ${run.microversion}` : '';
  // A wait's budget decides what it concludes: the case is rerun with the same one.
  const waits = run.stateTimeoutSeconds !== undefined ? ` --state-timeout ${run.stateTimeoutSeconds}` : '';
  return `npx snapshot-conformance run --profile ${t.world.profile.id}${target}${version}${waits} --seed ${seed} --replay-path '${replay}' --concurrency 1 --grep 'lifecycle property'`;
}

export function lifecycleTests(profile: Profile): SuiteTest[] {
  const model = modelOf(profile);
  const c = model;
  const test = (title: string, weight: number, clauses: Judges[], run: SuiteTest['run'], more: Partial<SuiteTest> = {}): SuiteTest => ({ profile: profile.id, group: 'lifecycle', title, weight, notInReplay: true, clauses: () => clauses, run, ...more });
  const tests: SuiteTest[] = [];

  tests.push(
    test(
      'lifecycle property: random sequences agree with the model',
      100,
      // Its commands are those the scenarios walk, each once, below; plus what no walk can judge.
      unwalked(profile),
      async (t) => {
        const run = t.world.run;
        const outcomes = await runLifecycle((exploring) => new Judge(profile, t.world.validators, { exploring }), {
          seed: run.seed,
          examples: run.examples,
          lanes: run.concurrency,
          maxCommands: 12,
          maxLive: MAX_LIVE,
          namePrefix: t.world.namePrefix,
          shrinkBudgetMs: run.shrinkBudgetSeconds * 1000,
          replay: run.replayPath,
          judged: (judge) => ({ api: t.world.api.with(judge.listener()), judge, world: t.world }),
          world: t.world,
          parentId: await t.parent(),
          replayCommand: (seed, replay) => replayCommand(t, seed, replay),
        });
        for (const outcome of outcomes) for (const record of outcome.records) t.judge.absorb(record);
        t.note('property', outcomes.map((o) => `seed ${o.seed}: ${o.runs} run(s)${o.failed ? ', failed' : ''}`).join('; '));
        const blocked = outcomes.find((o) => o.blocked);
        if (blocked?.blocked) t.judge.blocked(blocked.blocked);
      },
      { notInReplay: false },
    ),
  );

  for (const [name, walk] of Object.entries(scenarios(profile, { namePrefix: '', maxLive: MAX_LIVE }))) {
    tests.push(
      test(`${name} scenario: every operation once, in order`, 10, walk.flatMap((step) => step.clauses(model)), async (t) => {
        const real: Real = { ...t, parentId: await t.parent(), ids: new Map(), log: [] };
        const steps = scenarios(profile, { namePrefix: t.world.namePrefix, maxLive: MAX_LIVE })[name]!;
        await fc.asyncModelRun(() => ({ model: emptyModel(), real }), steps);
      }),
    );
  }

  tests.push(
    test('a resource needs an existing parent', 1, [c.lifecycle.needsParent], async (t) => {
      const name = t.world.name();
      const nowhere = randomUUID();
      const exchange = await t.api.create(nowhere, validCreateBody(t, nowhere, () => name), { negative: true });
      t.judge.check(refused, c.lifecycle.needsParent, { exchange, operation: model.resource.ops.create, kind: 'unknown-resource' }, [exchange]);
      const { found, list } = await leftBehindBy(t, name);
      t.judge.check(refusedCreateLeftNothing, c.lifecycle.needsParent, { found, name }, [exchange, list]);
    }),
  );

  const whileCreating = c.lifecycle.deleteWhileCreating;
  if (whileCreating) tests.push(test('a resource that is still being created cannot be deleted', 3, [whileCreating], (t) => deleteWhileCreating(t, whileCreating)));

  for (const pre of c.preconditions ?? []) {
    tests.push(
      test(`a resource cannot be made of ${pre.title}`, 3, [model.parent.create && model.parent.delete ? pre.clause : { clause: pre.clause, lacking: 'it needs parents the run makes and removes (fixtures.parent.create and delete)' }], async (t) => {
        if (!t.api.parent.makeable) t.skip('the run cannot make parents here');
        // A parent of the wrong kind (made with other lookups), or one asked for before it is ready.
        const variant = 'lookups' in pre.parent ? pre.parent : undefined;
        let why = '';
        // Not ready yet is a moment: up to three parents, the first that shows it counts.
        for (let attempt = 0; attempt < (variant ? 1 : 3); attempt++) {
          const made = await removingWhatItMakes(t.world, t.judge, async () => {
            const parent = await makeParent(t.api, t.world.name(), { lookups: variant?.lookups, body: variant?.body });
            if (variant) await t.api.parent.waitReady(parent.id);
            const name = t.world.name();
            const exchange = await t.api.create(parent.id, validCreateBody(t, parent.id, () => name), { negative: true });
            const evidence = [exchange];
            if (!variant) {
              // Established after the fact: a parent still not ready once the create was answered
              // was not ready when the create arrived (it does not go back). One seen ready by then
              // (a loaded machine) is asked the same once more: a refused create accepted now was
              // refused for the state the parent was in before, which was not ready.
              const after = t.api.parent.stateOf(await t.api.parent.show(parent.id));
              if (!t.api.parent.transient.includes(after)) {
                const status = exchange.response?.status ?? 0;
                const again = status >= 400 && status < 500 ? await t.api.create(parent.id, validCreateBody(t, parent.id, () => t.world.name())) : undefined;
                const accepted = (again?.response?.status ?? 0) >= 200 && (again?.response?.status ?? 0) < 300;
                if (!accepted) {
                  why = again
                    ? `the new parent was ${after} once the create was answered, and the same create was refused again then, ${attempt + 1} time(s): the refusal cannot be put down to a parent not ready`
                    : `the new parent was ${after} once the create was answered, ${attempt + 1} time(s): it cannot be shown to have been not ready when the create arrived`;
                  await leftBehindBy(t, name);
                  return false;
                }
                evidence.push(again!);
              }
            }
            t.judge.check(refused, pre.clause, { exchange, operation: model.resource.ops.create, kind: 'invalid-state' }, evidence);
            const { found, list } = await leftBehindBy(t, name);
            t.judge.check(refusedCreateLeftNothing, pre.clause, { found, name }, [exchange, list]);
            return true;
          });
          if (made) return;
        }
        t.judge.untestable(pre.clause, refused.id, why);
        t.note('not testable', why);
      }),
    );
  }

  const busy = c.busy;
  if (busy) {
    tests.push(
      test('writes at the same time all go through, the busy ones after retries', 2, [busy.clause], async (t) => {
        const parentId = await t.parent();
        // Three at once: a target that serialises writes must answer "busy" to some of them.
        const exchanges = await Promise.all([0, 1, 2].map(() => t.api.create(parentId, validCreateBody(t, parentId))));
        for (const exchange of exchanges) t.judge.check(accepted, busy.clause, { exchange }, [exchange]);
      }),
    );
  }

  // Names unique where the vendor says so hold on update too: a rename to the name another resource
  // holds is refused and changes nothing (in any case, where uniqueness ignores it); keeping one's
  // own name is no clash.
  const unique = c.resource.uniqueName;
  const update = model.resource.ops.update;
  // Only where an update can rename (its body takes the name).
  if (unique && update && model.resource.updates.has(model.resource.fields.name)) {
    tests.push(
      test('a resource cannot be renamed to the name another holds', 3, [unique.clause], async (t) => {
        const parentId = await t.parent();
        const first = await createExample(t, parentId);
        const second = await createExample(t, parentId);
        const nameOf = async (id: string) => String(t.api.field(t.api.resourceOf((await t.world.api.show(id)).response?.json), 'name'));
        const taken = await nameOf(first.id);
        const own = await nameOf(second.id);
        const clashes = unique.caseInsensitive ? [taken, swapCase(taken)] : [taken];
        for (const name of clashes) {
          await t.step(`renamed to ${name === taken ? 'the name' : 'the name in the other case'} of another`, async () => {
            const exchange = await t.api.update(second.id, { [model.resource.fields.name]: name }, { negative: true });
            // A rename wrongly accepted is that finding alone; a refused one must have changed nothing.
            if (!t.judge.check(refused, unique.clause, { exchange, operation: update, kind: 'duplicate' }, [exchange])) return;
            const after = await t.world.api.show(second.id);
            t.judge.check(fieldsMatch, unique.clause, { resource: t.api.resourceOf(after.response?.json), expected: [{ field: model.resource.fields.name, value: own, clause: unique.clause }], where: 'after a refused rename' }, [exchange, after]);
          });
        }
        await t.step('renamed to its own name', async () => {
          const description = model.resource.fields.description;
          const exchange = await t.api.update(second.id, { [model.resource.fields.name]: own, ...(description ? { [description]: 'kept its name' } : {}) });
          t.judge.succeeded(update, exchange, unique.clause);
        });
      }),
    );
  }

  const reserved = c.reservedPrefix;
  if (reserved) {
    tests.push(
      test(`a resource named with the reserved prefix ${reserved.prefix} is an ordinary one to the API`, 2, [reserved.clause], async (t) => {
        // An accepted name, then the snapshot, must be deletable like any other.
        const ordinary = async (exchange: Exchange) => {
          t.judge.succeeded(model.resource.ops.create, exchange, reserved.clause);
          const id = String(t.api.createdId(exchange));
          await waitReady(t, id, performance.now());
          const deleted = await t.api.delete(id);
          t.judge.check(accepted, reserved.clause, { exchange: deleted }, [deleted]);
          const gone = await t.api.waitGone(id, performance.now());
          t.judge.check(reachedState, reserved.clause, { observation: gone.observation, target: GONE, allowedOnTheWay: c.resource.states?.deleting ?? [t.api.readyState] }, gone.exchanges.slice(-1));
        };
        await t.step('a name with the prefix', async () => {
          const parentId = await t.parent();
          const exchange = await t.api.create(parentId, validCreateBody(t, parentId, () => `${reserved.prefix}${t.world.name()}`));
          const status = exchange.response?.status ?? 0;
          // Refusing the name is allowed; accepting it and then keeping the snapshot is not.
          if (status >= 400 && status < 500) return void t.judge.check(refused, reserved.clause, { exchange, operation: model.resource.ops.create, kind: 'invalid-body' }, [exchange]);
          await ordinary(exchange);
        });
        // The prefix is exactly the prefix: names that only resemble it are ordinary names.
        const p = reserved.prefix;
        const near: Array<[string, (name: string) => string]> = [
          ['without its last character', (name) => `${p.slice(0, -1)}${name}`],
          ['in the other case', (name) => `${swapCase(p)}${name}`],
          ['further in the name', (name) => `${name}${p}`],
        ];
        for (const [how, named] of near) {
          await t.step(`a name that holds the prefix ${how}`, async () => {
            const parentId = await t.parent();
            await ordinary(await t.api.create(parentId, validCreateBody(t, parentId, () => named(t.world.name()))));
          });
        }
      }),
    );
  }

  const parentList = c.parent.list;
  if (parentList) {
    tests.push(
      test('the parents list pages to the parent, and a resource is made of it', 3, [parentList.clause], async (t) => {
        const parentId = await t.parent();
        // A second parent, so that paging one at a time has a page to turn whatever the order.
        const ours = [parentId];
        if (t.api.parent.makeable) {
          const second = (await makeParent(t.api, t.world.name())).id;
          await t.api.parent.waitReady(second);
          ours.push(second);
        }
        let exchange = await t.api.call(parentList.op, { query: { [parentList.limit]: 1 } });
        const seen: string[] = [];
        for (let page = 0; page < 1000 && exchange.response?.status === 200; page++) {
          const json = exchange.response.json as Record<string, unknown> | undefined;
          const items = (json?.[parentList.items] as Array<{ id?: string }> | undefined) ?? [];
          seen.push(...items.map((i) => String(i.id)));
          if (ours.every((id) => seen.includes(id))) break;
          // A full page with a parent of ours still to come: its next link is due.
          const links = json?.[parentList.links];
          t.judge.check(nextLink, parentList.clause, { links, full: items.length === 1, lastId: items.at(-1)?.id, requestUrl: exchange.request.url }, [exchange]);
          const next = Array.isArray(links) ? (links as Array<{ rel?: string; href?: string }>).find((l) => l.rel === 'next')?.href : undefined;
          if (!next) break;
          const followed = await t.api.follow(next, parentList.op.id);
          if ('offOrigin' in followed) break;
          exchange = followed;
        }
        t.judge.check(listed, parentList.clause, { ids: seen, id: parentId, shouldBe: true, list: 'the parents, page by page' }, [exchange]);
        await createExample(t, parentId);
      }),
    );
  }

  const versions = c.versions;
  if (versions) {
    tests.push(
      test(
        'the version root announces the API version',
        1,
        [versions.clause],
        async (t) => {
          const base = new URL(t.api.target.baseUrl);
          base.pathname = base.pathname.split('/').slice(0, -versions.rootUp).join('/') + '/';
          const exchange = await t.api.send('GET', base.toString());
          t.judge.check(versionsDocument, versions.clause, { exchange, version: versions.version, minVersion: versions.minVersion }, [exchange]);
        },
        { readOnly: true },
      ),
    );
  }

  const unsupported = c.unsupportedVersion;
  if (unsupported) {
    tests.push(
      test(
        'an unsupported microversion is refused',
        1,
        [unsupported.clause],
        async (t) => {
          const op = t.api.profile.operations.get(unsupported.probe);
          if (!op) throw new Error(`x-conformance.unsupportedVersion names operation ${unsupported.probe}, which the document lacks`);
          const exchange = await t.api.call(op, { headers: { [unsupported.header]: unsupported.value }, negative: true });
          t.judge.check(refused, unsupported.clause, { exchange, operation: op, kind: 'unsupported-version' }, [exchange]);
        },
        { readOnly: true },
      ),
    );
  }
  return tests;
}

/**
 * A resource still being created cannot be deleted. Whether the delete really came while creating
 * is established, never assumed. A refused delete: the resource read right after it still shows a
 * transient state, so it was creating when the delete arrived. An accepted one: from this target's
 * own timing, creation takes at least as long as the last poll that still saw the first resource
 * creating, and the delete of the second arrived at most one create round trip plus the time until
 * the delete's answer after creation began. When neither shows it, the clause is "not testable
 * here", with the figures, not judged.
 */
async function deleteWhileCreating(t: TestContext, clause: string): Promise<void> {
  const parentId = await t.parent();
  const states = t.api.model.resource.states!;
  const first = await create(t, parentId, validCreateBody(t, parentId));
  const creating = (await waitReady(t, first.id, first.receivedAt, true)).stillFirstAtMs;
  // A moment of load on this machine can spoil one attempt (an accepted delete judged by timing):
  // up to three, the first that shows it counts.
  let why = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const second = await create(t, parentId, validCreateBody(t, parentId));
    const exchange = await t.api.delete(second.id, { negative: true });
    // From the earliest moment creation may have begun (the create was sent) to the delete's answer.
    const upTo = performance.now() - second.receivedAt + second.exchange.durationMs;
    const status = exchange.response?.status ?? 0;
    const refusedIt = status >= 400 && status < 500;
    const after = refusedIt ? t.api.stateOf(await t.world.api.show(second.id)) : undefined;
    let established = refusedIt ? states.transient.includes(after ?? '') : creating !== undefined && upTo < creating / 2;
    // Seen ready right after a refused delete (a loaded machine): the same delete is sent again.
    // Accepted now, it was refused for the state the resource had before, which was not ready: it
    // was still being created. (A target answers the same request in the same state the same way.)
    let again: Exchange | undefined;
    if (refusedIt && !established && after === states.ready) {
      again = await t.api.delete(second.id);
      const s2 = again.response?.status ?? 0;
      established = s2 >= 200 && s2 < 300;
    }
    // What was not deleted becomes ready before the next attempt (and the clean-up).
    if ((refusedIt || status >= 500) && !(again && established)) await waitReady(t, second.id);
    if (established) return void t.judge.check(refused, clause, { exchange, operation: t.api.model.resource.ops.delete, kind: 'invalid-state' }, [second.exchange, exchange, ...(again ? [again] : [])]);
    why = refusedIt
      ? `the resource was ${after} right after the refused delete${again ? `, and the same delete was refused again then (${again.response?.status ?? again.error})` : ''}: it cannot be shown to have been creating when the delete arrived`
      : creating === undefined
        ? 'the first resource was never seen in a transient state: creation here is too fast to delete during it'
        : `creation here was seen to take at least ${creating} ms, and the delete arrived up to ${Math.round(upTo)} ms after creation began: it cannot be shown to have come while creating`;
  }
  t.judge.untestable(clause, refused.id, why);
  t.note('not testable', why);
}
