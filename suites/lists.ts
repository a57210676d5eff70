// The list invariants (count, limit, marker paging and next links, offset, sort, bad paging,
// filters), judged on the suite's own items. Pages must not shift while they are turned: where the
// profile's lists filter by parent, the test makes a parent of its own and pages through its items
// only, beside the other tests; where they do not and they page, it needs the target to itself and
// runs after the other tests.
import type { SuiteTest } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import { modelOf } from '../src/profile/api.ts';
import { makeParent } from '../src/resources/parent.ts';
import { create, validCreateBody, waitReady } from '../src/steps/create-delete.ts';
import { listClauses, listParts, scopedByParent } from '../src/steps/lists.ts';

export function listTests(profile: Profile): SuiteTest[] {
  const model = modelOf(profile);
  const scoped = scopedByParent(model);
  // A list that pages or counts across pages: its pages must not shift under the other tests.
  const pages = model.lists.paging !== 'none' || Boolean(model.lists.total);
  // A parent's own list that pages, on a parent the run cannot make (one it found, shared by every
  // test): its pages shift under the other tests.
  const parentPages = Boolean(model.lists.byParent && model.lists.byParent.paging !== 'none' && !(model.parent.create && model.parent.delete));
  return [
    {
      profile: profile.id,
      group: 'lists',
      title: 'count, limit, marker paging, next links, offset, sort and filters',
      alone: (pages && !scoped) || parentPages,
      notInReplay: true,
      weight: 3,
      clauses: () => [...listClauses(model, model.lists), ...(model.lists.byParent ? listClauses(model, model.lists.byParent) : [])],
      async run(t) {
        let parentId = await t.parent();
        if (scoped && t.api.parent.makeable) {
          parentId = (await makeParent(t.api, t.world.name())).id;
          await t.api.parent.waitReady(parentId);
        }
        // Named in the reverse of the order they are made: sorting by name then differs from the
        // order of creation, so a target that ignores the sort key cannot pass by that order. Made
        // one after the other; their waits overlap.
        const base = t.world.name();
        const created = [];
        for (const suffix of ['c', 'b', 'a']) created.push(await create(t, parentId, validCreateBody(t, parentId, () => `${base}-${suffix}`)));
        await Promise.all(created.map((c) => waitReady(t, c.id, c.receivedAt)));
        const ours = [];
        for (const { id } of created) ours.push({ id, ...t.api.resourceOf((await t.api.show(id)).response?.json) });
        for (const [title, body] of listParts(t, parentId, ours)) await t.step(title, body);
        for (const [title, body] of listParts(t, parentId, ours, true)) await t.step(`the parent's list: ${title}`, body);
      },
    },
  ];
}
