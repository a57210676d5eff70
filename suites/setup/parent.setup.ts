// Set-up project of a profile: the parent resource every snapshot needs (a volume), created once
// for the run (or the one given with --volume-id, checked), and left for the workers in a file.
import { test, writeParent } from '../fixtures.ts';
import { operation } from '../../src/profile/load.ts';
import { pathParams, stateBudgetMs, waitForState } from '../../src/target/resources.ts';
import { getAt, keysOf, setAt } from '../../src/util/pointer.ts';

test('the parent resource is ready', async ({ world }) => {
  const p = world.profile.conformance.fixtures.parent;
  const client = world.admin;
  let id = world.target.parentId;
  if (!id) {
    const exchange = await client.call(p.create, { body: setAt(p.body, keysOf(p.name), world.name()) });
    const created = getAt(exchange.response?.json, p.id);
    if (typeof created !== 'string') {
      throw new Error(`could not create the parent resource: ${p.create} answered ${exchange.response?.status ?? exchange.error} ${exchange.response?.body.slice(0, 300) ?? ''}`);
    }
    id = created;
    writeParent(world, { id, created: true });
  } else {
    const exchange = await client.call(p.show, { path: pathParams(operation(world.profile, p.show), { parent: id }) });
    if (exchange.response?.status !== 200) throw new Error(`the parent resource ${id} cannot be read: ${p.show} answered ${exchange.response?.status ?? exchange.error}`);
    writeParent(world, { id, created: false });
  }
  const wait = await waitForState(client, p.show, { parent: id }, p.status, { target: p.ready, allowed: ['creating', 'downloading'], failed: ['error'], budgetMs: stateBudgetMs(client) });
  if (wait.observation.outcome !== 'reached') {
    throw new Error(`the parent resource ${id} did not become ${p.ready} (saw ${wait.observation.seen.join(' -> ')})`);
  }
});
