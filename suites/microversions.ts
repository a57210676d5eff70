// What later microversions change (profiles that have them: Cinder's OpenStack-API-Version). Each
// change is tried at the version just before the one that brings it and at that version, whatever
// microversion the rest of the run asks for; and every answer must speak the version asked for.
import type { Judges, SuiteTest } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import { modelOf } from '../src/profile/api.ts';
import { fieldPath } from '../src/profile/model.ts';
import { refused } from '../src/checks/refusal.ts';
import { refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { countMatches, filterSelects, sortedBy } from '../src/checks/lists.ts';
import { accepted } from '../src/checks/contract.ts';
import { answerSpeaksVersion, compareMicroversions, fieldsByVersion } from '../src/checks/versions.ts';
import { createExample, createReady, leftBehindBy, validCreateBody, waitReady } from '../src/steps/create-delete.ts';
import { getAt, setAt } from '../src/util/pointer.ts';
import type { Item } from '../src/profile/api.ts';
import type { Operation } from '../src/profile/load.ts';

/** The version just before one: "3.30" -> "3.29". */
const before = (version: string) => {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${minor! - 1}`;
};

export function microversionTests(profile: Profile): SuiteTest[] {
  const model = modelOf(profile);
  const mv = model.microversions;
  if (!mv) return [];
  const test = (title: string, weight: number, clauses: Judges[], run: SuiteTest['run']): SuiteTest => ({ profile: profile.id, group: 'microversions', title, weight, notInReplay: true, clauses: () => clauses, run });
  const sort = mv.sortKey;
  const sortParams = model.lists.sort;
  // What the tests below cannot judge for what the profile lacks.
  const lacking: Judges[] = [
    ...(sort && !sortParams ? [{ clause: sort.clause, lacking: 'a sort key is tried with the list\'s sort parameters, and the list has none (lists.sort)' }] : []),
    ...(mv.filters && !mv.filters.each.length ? [{ clause: mv.filters.clause, lacking: 'it names no filter (microversions.filters.each)' }] : []),
  ];
  const tests: SuiteTest[] = [
    test('detail views gain their fields with the microversion that adds them', 2, [mv.echo, mv.fields.clause, ...lacking], async (t) => {
      const { api, judge } = t;
      const { id } = await createExample(t, await t.parent());
      const since = Object.values(mv.fields.since);
      const versions = [...new Set([mv.base, ...since.flatMap((v) => [before(v), v])])].sort(compareMicroversions);
      for (const version of versions) {
        const exchange = await api.show(id, { headers: api.versionHeader(version) });
        judge.check(answerSpeaksVersion, mv.echo, { exchange, header: mv.header, expected: mv.format.replace('{version}', version) }, [exchange]);
        judge.check(fieldsByVersion, mv.fields.clause, { resource: api.resourceOf(exchange.response?.json), version, since: mv.fields.since, where: 'show' }, [exchange]);
      }
      if (!model.resource.ops.listDetail) return;
      for (const version of [mv.base, since.sort(compareMicroversions).at(-1)!]) {
        const exchange = await api.listDetail(undefined, { headers: api.versionHeader(version) });
        const ours = api.items(exchange).find((i) => i.id === id);
        judge.check(fieldsByVersion, mv.fields.clause, { resource: ours, version, since: mv.fields.since, where: 'list detail' }, [exchange]);
      }
    }),
  ];

  if (sort && sortParams) {
    tests.push(
      test(`sorting by ${sort.key} comes with microversion ${sort.since}`, 2, [sort.clause], async (t) => {
        const { api, judge } = t;
        const parentId = await t.parent();
        const ids = (await Promise.all([0, 1, 2].map(() => createExample(t, parentId)))).map((c) => c.id);
        const query = { [sortParams.key]: sort.key, [sortParams.dir]: 'asc' };
        const early = await api.list(query, { headers: api.versionHeader(before(sort.since)), negative: true });
        judge.check(refused, sort.clause, { exchange: early, operation: model.resource.ops.list, kind: 'invalid-query' }, [early]);
        const exchange = await api.list(query, { headers: api.versionHeader(sort.since) });
        judge.succeeded(model.resource.ops.list, exchange, sort.clause);
        const names = api.items(exchange).filter((i) => ids.includes(String(i.id))).map((i) => String(i[model.resource.fields.name]));
        judge.check(sortedBy, sort.clause, { values: names, dir: 'asc', field: sort.key }, [exchange]);
      }),
    );
  }

  const filters = mv.filters;
  const count = mv.count;
  if (filters || count) {
    tests.push(
      test('the list filters and the count of later microversions select the suite\'s snapshots', 3, [...(filters?.each.length ? [filters.clause] : []), ...(count ? [count.clause] : [])], async (t) => {
        const { api, judge } = t;
        const parentId = await t.parent();
        const ours: Item[] = [];
        // Two are enough to leave one out (within Cinder's default quota of 10, beside the other tests).
        const base = t.world.name();
        for (const suffix of ['b', 'a']) {
          const { id } = await createReady(t, parentId, validCreateBody(t, parentId, () => `${base}-${suffix}`));
          ours.push({ id, ...api.resourceOf((await api.show(id)).response?.json) });
        }
        const ids = ours.map((o) => String(o.id));
        const ops = [model.resource.ops.list, model.resource.ops.listDetail].filter((op): op is Operation => Boolean(op));
        for (const f of filters?.each ?? []) {
          // Each filter with a value that selects some or all of the suite's snapshots, and with one
          // that leaves them out: a target that ignores the filter answers them all both times.
          const cases: Array<{ value: string; mustInclude: string[]; mustExclude: string[] }> = [];
          if (f.kind === 'metadata') {
            const held = Object.entries((ours[0]![model.resource.fields.metadata ?? 'metadata'] as Record<string, string> | undefined) ?? {})[0];
            if (!held) continue;
            const [key, value] = held;
            const holding = ours.filter((o) => (o[model.resource.fields.metadata ?? 'metadata'] as Record<string, string> | undefined)?.[key] === value).map((o) => String(o.id));
            cases.push({ value: JSON.stringify({ [key]: value }), mustInclude: holding, mustExclude: ids.filter((id) => !holding.includes(id)) });
            cases.push({ value: JSON.stringify({ [key]: `${value}-sc-none` }), mustInclude: [], mustExclude: ids });
          } else if (f.kind === 'contains') {
            const field = f.field ?? model.resource.fields.name;
            const part = String(ours[0]![field]).slice(1);
            const holding = ours.filter((o) => String(o[field]).toLowerCase().includes(part.toLowerCase())).map((o) => String(o.id));
            cases.push({ value: part, mustInclude: holding, mustExclude: ids.filter((id) => !holding.includes(id)) });
          } else {
            cases.push({ value: 'true', mustInclude: ids, mustExclude: [] });
            cases.push({ value: 'false', mustInclude: [], mustExclude: ids });
          }
          for (const { value, mustInclude, mustExclude } of cases) {
            for (const op of ops) {
              const exchange = await api.call(op, { query: { [f.param]: value }, headers: api.versionHeader(f.since) });
              judge.succeeded(op, exchange, filters!.clause);
              const items = getAt(exchange.response?.json, `/${model.lists.items}`);
              judge.check(filterSelects, filters!.clause, { items: Array.isArray(items) ? items : [], field: `${f.param} (${f.since})`, value, mustInclude, mustExclude, onItems: false, idField: 'id' }, [exchange]);
            }
          }
        }
        if (count) {
          // Filtered to one of the suite's own snapshots: the count and the items come from one
          // state of the target, whatever other tests make or delete meanwhile.
          for (const op of ops) {
            const exchange = await api.call(op, { query: { [count.param]: 'true', [model.resource.fields.name]: String(ours[0]![model.resource.fields.name]) }, headers: api.versionHeader(count.since) });
            judge.succeeded(op, exchange, count.clause);
            const items = getAt(exchange.response?.json, `/${model.lists.items}`);
            judge.check(countMatches, count.clause, { count: getAt(exchange.response?.json, `/${count.member}`), items: Array.isArray(items) ? items.length : 0 }, [exchange]);
          }
        }
      }),
    );
  }

  const rule = mv.refusedFalse;
  if (rule) {
    tests.push(
      test(`from microversion ${rule.since} a false ${rule.member} is refused`, 2, [rule.clause], async (t) => {
        const { api, judge } = t;
        const op = model.resource.ops.create;
        const parentId = await t.parent();
        const withMember = (value: boolean, name: string) => setAt(validCreateBody(t, parentId, () => name), fieldPath(rule.member, model.resource.requestWrapper), value);
        // Accepted (the clause's part); answered as the create documents (the operation's contract).
        const acceptedAt = async (version: string, value: boolean) => {
          const exchange = await api.create(parentId, withMember(value, t.world.name()), { headers: api.versionHeader(version) });
          judge.unlessHeldBack(op, exchange);
          if (!judge.check(accepted, rule.clause, { exchange }, [exchange])) return;
          judge.succeeded(op, exchange);
          const id = api.createdId(exchange);
          if (typeof id === 'string') await waitReady(t, id, performance.now());
        };
        // Before: false is accepted.
        await acceptedAt(before(rule.since), false);
        // From the version on: false is refused and creates nothing; true is accepted (and ignored).
        const name = t.world.name();
        const exchange = await api.create(parentId, withMember(false, name), { headers: api.versionHeader(rule.since), negative: true });
        judge.unlessHeldBack(op, exchange);
        judge.check(refused, rule.clause, { exchange, operation: op, kind: 'invalid-body' }, [exchange]);
        const { found, list } = await leftBehindBy(t, name);
        judge.check(refusedCreateLeftNothing, rule.clause, { found, name }, [exchange, list]);
        await acceptedAt(rule.since, true);
      }),
    );
  }
  return tests;
}
