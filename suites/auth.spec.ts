// Auth: every operation of the profile refuses a request without a token and one with a token
// that is not valid. The requests are otherwise the documented ones, on a real resource, so that
// only the token can be the reason for a refusal.
import { randomUUID } from 'node:crypto';
import { test, profileTag } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { loadProfile, operation, subjectOperations } from '../src/profile/load.ts';
import { validBody } from '../src/generate/requests.ts';
import { refused } from '../src/checks/refusal.ts';
import { createReady } from '../src/steps/resource.ts';
import { pathParams } from '../src/target/resources.ts';

for (const profileId of readRunEnv().profiles) {
  const profile = loadProfile(profileId);
  const c = profile.conformance;

  test.describe(`${profileId} auth`, { tag: profileTag(profileId) }, () => {
    test('every operation refuses a missing or invalid token', async ({ world, client, judge, parentId }) => {
      test.skip(Boolean(world.run.replayPath), 'replaying one property case');
      const create = operation(profile, c.resource.operations.create);
      const { id } = await createReady(client, judge, validBody(profile, create, { parent: parentId, name: world.name }));
      // Deletes last: if one is wrongly accepted, the resource is gone for the others.
      const ops = subjectOperations(profile).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
      for (const op of ops) {
        const request = { path: pathParams(op, { resource: id, parent: parentId }), body: validBody(profile, op, { parent: parentId, name: world.name }) };
        for (const [token, clause, what] of [['none', c.auth.missing, 'no token'], [`invalid-${randomUUID()}`, c.auth.invalid, 'an invalid token']] as const) {
          await judge.step(`${op.id} with ${what}`, async () => {
            const exchange = await client.call(op.id, { ...request, token });
            judge.check(refused, clause, { exchange, operation: op, kind: 'unauthenticated' }, [exchange]);
          });
        }
      }
    });
  });
}
