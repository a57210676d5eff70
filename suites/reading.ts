// What reading alone can judge, for a run that must not write (--read-only), and in every run: the
// contract of the lists and of what they hold (shows, metadata reads), unknown ids, missing and bad
// tokens, and page limits, on resources that already exist.
import { randomUUID } from 'node:crypto';
import type { SuiteTest, TestContext } from '../src/run/context.ts';
import { subjectOperations, type Operation, type Profile } from '../src/profile/load.ts';
import { addressable, modelOf } from '../src/profile/api.ts';
import { refused } from '../src/checks/refusal.ts';
import { pageWithinLimit } from '../src/checks/lists.ts';

/** How many existing resources a run reads. */
const SAMPLE = 5;

export function readingTests(profile: Profile): SuiteTest[] {
  const model = modelOf(profile);
  const c = model;
  const reads = subjectOperations(profile).filter((op) => op.method === 'GET');
  const onResource = (op: Operation) => op.parameters.some((p) => p.in === 'path' && p.fixture === 'resource');
  // A list of one parent's resources (DWS's cluster list) is read for the run's parent.
  const onParent = (op: Operation) => op.parameters.some((p) => p.in === 'path' && p.fixture === 'parent');
  const fixtures = async (t: TestContext, op: Operation, resource?: string) => ({ resource, parent: onParent(op) ? await t.parent() : undefined });
  const ids = async (t: TestContext) => t.api.items(await t.api.list()).slice(0, SAMPLE).map((i) => t.api.idOf(i));
  const test = (title: string, clauses: SuiteTest['clauses'], run: SuiteTest['run']): SuiteTest => ({ profile: profile.id, group: 'reading', title, weight: 1, readOnly: true, notInReplay: true, clauses, run });
  const { missing, invalid } = c.auth;

  const tests: SuiteTest[] = [
    // Only what every judged answer is checked for.
    test('lists and what they hold answer as documented', () => [], async (t) => {
      // Every answer is judged as it comes (status, schema, headers, envelope).
      for (const op of reads.filter((o) => !onResource(o))) await t.api.call(op, { path: t.api.pathOf(op, await fixtures(t, op)) });
      for (const id of await ids(t)) {
        for (const op of reads.filter(onResource)) {
          // A per-key read needs a key the resource has, and one a path can carry.
          const key = op.parameters.find((p) => p.in === 'path' && !p.fixture);
          if (key) {
            const shown = t.api.resourceOf((await t.api.show(id)).response?.json);
            const meta = shown?.[model.resource.fields.metadata ?? 'metadata'];
            const first = meta && typeof meta === 'object' ? Object.keys(meta).find(addressable) : undefined;
            if (!first) continue;
            await t.api.call(op, { path: t.api.pathOf(op, { resource: id }, { [key.name]: first }) });
          } else await t.api.call(op, { path: t.api.pathOf(op, { resource: id }) });
        }
      }
    }),
    test('an unknown id is not found', () => (reads.some(onResource) ? [c.refusals.unknownResource] : []), async (t) => {
      for (const op of reads.filter(onResource)) {
        const exchange = await t.api.call(op, { path: t.api.pathOf(op, { resource: randomUUID() }), negative: true });
        t.judge.check(refused, c.refusals.unknownResource, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
      }
    }),
    test('reading without a token, or with a bad one, is refused', () => (missing && invalid ? [missing, invalid] : []), async (t) => {
      const [id] = await ids(t);
      for (const op of reads.filter((o) => !onResource(o) || id)) {
        if (op.parameters.some((p) => p.in === 'path' && !p.fixture)) continue;
        const fixed = await fixtures(t, op, id);
        if (!missing || !invalid) continue;
        for (const [token, clause] of [['none', missing], [`invalid-${randomUUID()}`, invalid]] as const) {
          const exchange = await t.api.call(op, { fixtures: fixed, token });
          t.judge.check(refused, clause, { exchange, operation: op, kind: 'unauthenticated' }, [exchange]);
        }
      }
    }),
  ];
  const limit = c.lists.limit;
  if (limit) {
    tests.push(
      test('a page holds at most the limit asked for', () => [limit.clause], async (t) => {
        const exchange = await t.api.list({ [limit.param]: '1' });
        t.judge.check(pageWithinLimit, limit.clause, { count: t.api.items(exchange).length, limit: 1 }, [exchange]);
      }),
    );
  }
  return tests;
}
