// Set-up project of a profile: the parents every resource needs (volumes, a cluster), made once for
// the run, or found, or the one given with --volume-id / --cluster-id (checked). Where a parent
// may hold only so many resources (perParent), each worker gets a parent of its own.
import { test, writeParents } from '../fixtures.ts';
import { TargetClient } from '../../src/http/client.ts';
import { checkParent, makeParent, waitParentReady, type ParentMade } from '../../src/target/parent.ts';

test('the parent resources are ready', async ({ world, judge }) => {
  // Judged, for what the target says of itself (busy answers); the parents are not the subject.
  const client = new TargetClient(world.api, world.profile, world.target, world.redactor, world.ledger);
  client.onExchange((exchange, op) => judge.exchange(exchange, op));
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
