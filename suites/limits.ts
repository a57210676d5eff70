// Limits a target sets on how much a project or a parent may hold: creating past them is refused
// and creates nothing. The quota probe fills the project, so it runs after the other tests, alone:
// beside them, a target whose full quota answers wrongly would fail their creates too, and charge
// its defect to their clauses.
import type { SuiteTest } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { modelOf } from '../src/profile/api.ts';
import { refused } from '../src/checks/refusal.ts';
import { refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { pageWithinLimit } from '../src/checks/lists.ts';
import { makeParent } from '../src/resources/parent.ts';
import { createReady, leftBehindBy, validCreateBody } from '../src/steps/create-delete.ts';

/** Creates sent at once while the quota probe fills the project. */
const BATCH = 8;

export function limitTests(profile: Profile): SuiteTest[] {
  const model = modelOf(profile);
  const c = model;
  const tests: SuiteTest[] = [];
  const quota = c.quota;
  if (quota) {
    tests.push({
      profile: profile.id,
      group: 'limits',
      title: 'quota: creating past it is refused and creates nothing',
      alone: true,
      notInReplay: true,
      weight: 2,
      clauses: () => [quota.clause],
      async run(t) {
        const parentId = await t.parent();
        let refusal: Exchange | undefined;
        let name = '';
        // A few at a time (the test has the target to itself): the quota is reached in a few rounds.
        for (let n = 0; n < quota.probeMax && !refusal; n += BATCH) {
          const names = Array.from({ length: Math.min(BATCH, quota.probeMax - n) }, () => t.world.name());
          const answers = await Promise.all(names.map((each) => t.api.create(parentId, validCreateBody(t, parentId, () => each), { untilRefused: true })));
          const first = answers.findIndex((e) => (e.response?.status ?? 0) < 200 || (e.response?.status ?? 0) >= 300);
          if (first >= 0) [refusal, name] = [answers[first], names[first]!];
        }
        if (!refusal) return t.skip(`no refusal within ${quota.probeMax} creates: the quota is higher`);
        t.judge.check(refused, quota.clause, { exchange: refusal, operation: model.resource.ops.create, kind: 'over-quota' }, [refusal]);
        const { found, list } = await leftBehindBy(t, name);
        t.judge.check(refusedCreateLeftNothing, quota.clause, { found, name }, [refusal, list]);
      },
    });
  }
  const limit = c.perParent;
  if (limit) {
    tests.push({
      profile: profile.id,
      group: 'limits',
      title: 'a parent holds at most its limit of resources',
      notInReplay: true,
      weight: 6,
      clauses: () => [limit.clause],
      async run(t) {
        // A fresh parent: it holds nothing but what this test makes.
        const parent = await makeParent(t.world.api, t.world.name());
        await t.world.api.parent.waitReady(parent.id);
        for (let n = 0; n < limit.max; n++) await createReady(t, parent.id, validCreateBody(t, parent.id));
        const name = t.world.name();
        const over = await t.api.create(parent.id, validCreateBody(t, parent.id, () => name), { negative: true });
        t.judge.check(refused, limit.clause, { exchange: over, operation: model.resource.ops.create, kind: 'per-parent-limit' }, [over]);
        // What the refused create made anyway is found (and removed at once) by its name.
        const { found, list: named } = await leftBehindBy(t, name);
        t.judge.check(refusedCreateLeftNothing, limit.clause, { found, name }, [over, named]);
        // Counted on the parent's own list where there is one, else on the list by the parent field.
        const byParent = t.api.lists.byParent;
        const list = byParent ? await byParent.page({}, { parent: parent.id }) : await t.api.list();
        const items = byParent ? byParent.items(list) : t.api.items(list).filter((i) => t.api.field(i, 'parent') === parent.id);
        t.judge.check(pageWithinLimit, limit.clause, { count: items.length, limit: limit.max }, [over, list]);
      },
    });
  }
  return tests;
}
