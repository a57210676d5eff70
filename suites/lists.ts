// The list invariants (count, limit, marker paging and next links, offset, sort, bad paging,
// filters), judged on the suite's own items. They need the target to themselves: pages must not
// shift while they are turned, so they run after the other tests.
import type { SuiteTest } from '../src/run/context.ts';
import type { Profile } from '../src/profile/load.ts';
import { createExample } from '../src/steps/create-delete.ts';
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
        for (let i = 0; i < 3; i++) {
          const created = await createExample(t, parentId);
          const shown = await t.api.show(created.id);
          ours.push({ id: created.id, ...t.api.resourceOf(shown.response?.json) });
        }
        for (const [title, body] of listParts(t, parentId, ours)) await t.step(title, body);
      },
    },
  ];
}
