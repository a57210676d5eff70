// Auth: every operation of the profile refuses a request without a token and one with a token
// that is not valid. The requests are otherwise the documented ones, on a real resource, so that
// only the token can be the reason for a refusal.
import { randomUUID } from 'node:crypto';
import type { SuiteTest } from '../src/run/context.ts';
import { subjectOperations, type Profile } from '../src/profile/load.ts';
import { validBody } from '../src/generate/requests.ts';
import { refused } from '../src/checks/refusal.ts';
import { createExample } from '../src/steps/create-delete.ts';

export function authTests(profile: Profile): SuiteTest[] {
  const { missing, invalid } = profile.model.auth;
  // An API without credentials has nothing to refuse.
  if (!missing || !invalid) return [];
  return [
    {
      profile: profile.id,
      group: 'auth',
      title: 'every operation refuses a missing or invalid token',
      notInReplay: true,
      weight: 2,
      clauses: () => [missing, invalid],
      async run(t) {
        const { api, judge } = t;
        const parentId = await t.parent();
        const { id } = await createExample(t, parentId);
        // Deletes last: if one is wrongly accepted, the resource is gone for the others.
        const ops = subjectOperations(profile).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
        for (const op of ops) {
          const request = { fixtures: { resource: id, parent: parentId }, body: validBody(profile, op, { parent: parentId, name: t.world.name }) };
          for (const [token, clause, what] of [['none', missing, 'no token'], [`invalid-${randomUUID()}`, invalid, 'an invalid token']] as const) {
            await judge.step(`${op.id} with ${what}`, async () => {
              const exchange = await api.call(op, { ...request, token });
              judge.check(refused, clause, { exchange, operation: op, kind: 'unauthenticated' }, [exchange]);
            });
          }
        }
      },
    },
  ];
}
