// Contract tests, generated at collection time from each profile's OpenAPI document: for every
// operation of the profile's subject, the documented request is answered as documented; invalid
// requests derived from the schemas are refused with the profile's envelope; every maxLength holds
// at and just past its limit; an unknown id is 404. The status, body schema, media type, headers
// and envelope of every answer are judged by the Judge as each exchange happens.
import { randomUUID } from 'node:crypto';
import { removingWhatItMakes, test, profileTag, step, type World } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { loadProfile, operation, subjectOperations, type Operation } from '../src/profile/load.ts';
import { boundaryRequests, invalidRequests, validBody, type DerivedRequest } from '../src/generate/requests.ts';
import { accepted } from '../src/checks/contract.ts';
import { refused } from '../src/checks/refusal.ts';
import { fieldsMatch, refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { createReady, deleteUntilGone, leftBehindBy, unwrap } from '../src/steps/resource.ts';
import { pathParams } from '../src/target/resources.ts';
import type { TargetClient } from '../src/http/client.ts';
import type { Judge } from '../src/findings/judge.ts';
import { getPath, setAt } from '../src/generate/schema-sites.ts';
import { validatorsFor } from '../src/validate/validators.ts';

const needsResource = (op: Operation) => op.parameters.some((p) => p.in === 'path' && p.fixture === 'resource');

/** A ready resource for operations that act on one, made from the create example. */
async function resourceFor(op: Operation, world: World, client: TargetClient, judge: Judge, parentId: string) {
  if (!needsResource(op)) return {};
  const create = operation(world.profile, world.profile.conformance.resource.operations.create);
  const created = await createReady(client, judge, validBody(world.profile, create, { parent: parentId, name: world.name }));
  return { resource: created.id };
}

async function send(client: TargetClient, op: Operation, path: Record<string, string>, request: DerivedRequest) {
  // The derivation must be right before the target is judged by it: a suite bug fails loudly here.
  if (request.body !== undefined && op.requestBody && (request.expect === 'accepted' || request.expect === 'invalid-body')) {
    const failures = validatorsFor(client.profile).validate(op.requestBody.schemaPointer, request.body);
    if ((request.expect === 'accepted') !== (failures.length === 0)) {
      throw new Error(`suite bug: the derived request "${request.title}" is ${failures.length ? 'invalid' : 'valid'} by the schema: ${JSON.stringify(request.body).slice(0, 200)}`);
    }
  }
  return client.call(op.id, { path: keyedPath(client, op, path, request.body), body: request.body, rawBody: request.rawBody, contentType: request.contentType });
}

/** A per-key write names its key twice, in the path and in the body: the path follows the body. */
function keyedPath(client: TargetClient, op: Operation, path: Record<string, string>, body: unknown): Record<string, string> {
  if (client.profile.conformance.metadata?.keyWrite?.operation !== op.id || !body || typeof body !== 'object') return path;
  const map = Object.values(body)[0];
  const keys = map && typeof map === 'object' ? Object.keys(map) : [];
  const param = op.parameters.find((p) => p.in === 'path' && !p.fixture);
  return keys.length === 1 && param ? { ...path, [param.name]: keys[0]! } : path;
}

for (const profileId of readRunEnv().profiles) {
  const profile = loadProfile(profileId);
  const c = profile.conformance;

  test.describe(`${profileId} contract`, { tag: profileTag(profileId) }, () => {
    for (const op of subjectOperations(profile)) {
      // One test per operation, its parts as steps on one resource: on a real cloud every
      // resource costs a wait, so the parts share it. A part that fails does not stop the next.
      test(`${op.id} conforms to its contract`, async ({ world, client, judge, parentId }) => {
        const fixtures = { ...(await resourceFor(op, world, client, judge, parentId)), parent: parentId };
        const path = pathParams(op, fixtures);
        const valid = () => validBody(profile, op, { parent: parentId, name: world.name });

        if (needsResource(op)) {
          await step(judge, 'an unknown id is not found', async () => {
            const exchange = await client.call(op.id, { path: pathParams(op, { resource: randomUUID() }), body: valid() });
            judge.check(refused, c.refusals.unknownResource, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
          });
        }

        if (op.requestBody) {
          await step(judge, 'invalid requests are refused and change nothing', async () => {
            const before = fixtures.resource ? await readFields(world, fixtures.resource) : undefined;
            const base = valid();
            for (const derived of invalidRequests(profile, op, base)) {
              // Each its own name (a create wrongly accepted must not be found by the next one),
              // unless the name is what the request breaks.
              const request = { ...derived, body: renamed(derived.body, base, world) };
              await judge.step(`${op.id} with ${request.title}`, () =>
                removingWhatItMakes(world, judge, async () => {
                  const exchange = await send(client, op, path, request);
                  judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect as never }, [exchange]);
                  if (op.id === c.resource.operations.create) await nothingCreated(client, judge, request, exchange);
                }),
              );
            }
            if (before) {
              const after = await client.call(c.resource.operations.show, { path: pathParamsOfShow(fixtures.resource!) });
              const expected = Object.entries(before).map(([field, value]) => ({ field, value, clause: c.refusals.invalidBody }));
              judge.check(fieldsMatch, c.refusals.invalidBody, { resource: unwrap(client, after.response?.json), expected, where: 'after refused writes' }, [after]);
            }
          });

          await step(judge, 'limits hold at and just past the boundary', async () => {
            for (const request of boundaryRequests(profile, op, valid(), world.namePrefix)) {
              await judge.step(`${op.id} with ${request.title}`, () =>
                removingWhatItMakes(world, judge, async () => {
                  const exchange = await send(client, op, path, request);
                  if (request.expect === 'accepted') judge.check(accepted, request.clause, { exchange }, [exchange]);
                  else judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect }, [exchange]);
                }),
              );
            }
          });
        }

        await step(judge, 'the documented request is answered as documented', async () => {
          if (op.id === c.resource.operations.delete) return deleteUntilGone(client, judge, fixtures.resource!);
          const exchange = await client.call(op.id, { path, body: valid() });
          judge.succeeded(op, exchange);
        });
      });
    }

    /** The fields a refused write must leave as they were. */
    async function readFields(world: World, id: string): Promise<Record<string, unknown>> {
      const shown = unwrap(world.admin, (await world.admin.call(c.resource.operations.show, { path: pathParamsOfShow(id) })).response?.json) ?? {};
      const fields = [c.resource.fields.name, c.resource.fields.description, c.resource.fields.metadata].filter(Boolean) as string[];
      return Object.fromEntries(fields.map((f) => [f, shown[f]]));
    }

    /** The body with a fresh name where it has the valid body's one. */
    function renamed(body: unknown, valid: unknown, world: World): unknown {
      const path = [c.resource.wrapper, c.resource.fields.name];
      const name = getPath(body, path);
      return typeof name === 'string' && name === getPath(valid, path) ? setAt(body, path, world.name()) : body;
    }

    function pathParamsOfShow(id: string) {
      return pathParams(operation(profile, c.resource.operations.show), { resource: id });
    }

    /** A refused create leaves nothing behind: no resource carries the name it was sent with. */
    async function nothingCreated(client: TargetClient, judge: Judge, request: DerivedRequest, exchange: Awaited<ReturnType<typeof send>>) {
      const status = exchange.response?.status ?? 0;
      const name = getPath(request.body, [c.resource.wrapper, c.resource.fields.name]);
      if (status < 400 || typeof name !== 'string') return;
      const { found, list } = await leftBehindBy(client, name);
      judge.check(refusedCreateLeftNothing, request.clause, { found, name }, [exchange, list]);
    }
  });
}
