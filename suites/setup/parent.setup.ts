// Set-up project of a profile: the parents every resource needs (volumes, a cluster), made once for
// the run, or found, or the one given with --volume-id / --cluster-id (checked). Where a parent
// may hold only so many resources (perParent), each worker gets a parent of its own.
import { test, writeParents } from '../fixtures.ts';
import { checkParent, makeParent, waitParentReady, type ParentMade } from '../../src/target/parent.ts';

test('the parent resources are ready', async ({ world }) => {
  const client = world.admin;
  let parents: ParentMade[];
  if (world.target.parentId) {
    await checkParent(client, world.target.parentId);
    parents = [{ id: world.target.parentId, created: false }];
  } else {
    const count = world.profile.conformance.perParent ? world.run.workers : 1;
    parents = [];
    for (let i = 0; i < count; i++) parents.push(await makeParent(client, world.name()));
  }
  // Written before waiting: a parent that never gets ready is still removed by the tear-down.
  writeParents(world, parents.map(({ id, created }) => ({ id, created })));
  for (const parent of parents) {
    const wait = await waitParentReady(client, parent.id);
    if (wait.observation.outcome !== 'reached') {
      throw new Error(`the parent ${parent.id} did not become ready (saw ${wait.observation.seen.join(' -> ')})`);
    }
  }
});
