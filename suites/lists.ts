// The list invariants (count, limit, marker paging and next links, offset, sort, bad paging,
// filters), judged on the suite's own items. They need the target to themselves: pages must not
// shift while they are turned, so they run after the other tests.
import type { SuiteTest } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import { createReady, validCreateBody } from '../src/steps/create-delete.ts';
import { listParts } from '../src/steps/lists.ts';

export function listTests(profile: Profile): SuiteTest[] {
  return [
    {
      profile: profile.id,
      group: 'lists',
      title: 'count, limit, marker paging, next links, offset, sort and filters',
      alone: true,
      notInReplay: true,
      weight: 3,
      async run(t) {
        const parentId = t.parent();
        const ours = [];
        // Named in the reverse of the order they are made: sorting by name then differs from the
        // order of creation, so a target that ignores the sort key cannot pass by that order.
        const base = t.world.name();
        for (const suffix of ['c', 'b', 'a']) {
          const created = await createReady(t, validCreateBody(t, parentId, () => `${base}-${suffix}`));
          const shown = await t.api.show(created.id);
          ours.push({ id: created.id, ...t.api.resourceOf(shown.response?.json) });
        }
        for (const [title, body] of listParts(t, parentId, ours)) await t.step(title, body);
        for (const [title, body] of listParts(t, parentId, ours, true)) await t.step(`the parent's list: ${title}`, body);
      },
    },
  ];
}
