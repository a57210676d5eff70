// Contract tests, generated at collection time from each profile's OpenAPI document: for every
// operation of the profile's subject, the documented request is answered as documented; invalid
// requests derived from the schemas are refused with the profile's envelope; every maxLength holds
// at and just past its limit; an unknown id is 404. The status, body schema, media type, headers
// and envelope of every answer are judged by the Judge as each exchange happens.
import { randomUUID } from 'node:crypto';
import { test, profileTag, type World } from './fixtures.ts';
import { readRunEnv } from '../src/config/run-env.ts';
import { loadProfile, operation, subjectOperations, type Operation } from '../src/profile/load.ts';
import { boundaryRequests, invalidRequests, validBody, type DerivedRequest } from '../src/generate/requests.ts';
import { accepted } from '../src/checks/contract.ts';
import { refused } from '../src/checks/refusal.ts';
import { fieldsMatch, refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { createReady, deleteUntilGone, unwrap } from '../src/steps/resource.ts';
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
      test(`${op.id}: the documented request is answered as documented`, async ({ world, client, judge, parentId }) => {
        const fixtures = { ...(await resourceFor(op, world, client, judge, parentId)), parent: parentId };
        if (op.id === c.resource.operations.delete) {
          await judge.step(`${op.id} of a ready resource`, () => deleteUntilGone(client, judge, fixtures.resource!));
          return;
        }
        const body = validBody(profile, op, { parent: parentId, name: world.name });
        await judge.step(`${op.method} ${op.path} with the documented example`, async () => {
          const exchange = await client.call(op.id, { path: pathParams(op, fixtures), body });
          judge.succeeded(op, exchange);
        });
      });

      if (op.requestBody) {
        test(`${op.id}: invalid requests are refused`, async ({ world, client, judge, parentId }) => {
          const fixtures = { ...(await resourceFor(op, world, client, judge, parentId)), parent: parentId };
          const path = pathParams(op, fixtures);
          const before = fixtures.resource ? unwrap(client, (await world.admin.call(c.resource.operations.show, { path: { ...pathParamsOfShow(fixtures.resource) } })).response?.json) : undefined;
          const valid = validBody(profile, op, { parent: parentId, name: world.name });
          for (const derived of invalidRequests(profile, op, valid)) {
            // Each its own name: a create wrongly accepted must not be found by the next one.
            const request = { ...derived, body: renamed(derived.body, world) };
            await judge.step(`${op.id} with ${request.title}`, async () => {
              const exchange = await send(client, op, path, request);
              judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect as never }, [exchange]);
              if (op.id === c.resource.operations.create) await nothingCreated(client, judge, request, exchange);
            });
          }
          if (before) {
            // A refused write changes nothing: the resource reads as it did before.
            const after = await client.call(c.resource.operations.show, { path: pathParamsOfShow(fixtures.resource!) });
            const fields = [c.resource.fields.name, c.resource.fields.description, c.resource.fields.metadata].filter(Boolean) as string[];
            judge.check(fieldsMatch, c.refusals.invalidBody, { resource: unwrap(client, after.response?.json), expected: fields.map((field) => ({ field, value: before[field], clause: c.refusals.invalidBody })), where: 'after refused writes' }, [after]);
          }
        });

        const namePrefix = `sc-${readRunEnv().runId}-`;
        test(`${op.id}: limits hold at and just past the boundary`, async ({ world, client, judge, parentId }) => {
          const fixtures = { ...(await resourceFor(op, world, client, judge, parentId)), parent: parentId };
          const valid = validBody(profile, op, { parent: parentId, name: world.name });
          const cases = boundaryRequests(profile, op, valid, namePrefix);
          test.skip(cases.length === 0, 'the operation\'s body has no length limits');
          for (const request of cases) {
            await judge.step(`${op.id} with ${request.title}`, async () => {
              const exchange = await send(client, op, pathParams(op, fixtures), request);
              if (request.expect === 'accepted') judge.check(accepted, request.clause, { exchange }, [exchange]);
              else judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect }, [exchange]);
            });
          }
        });
      }

      if (needsResource(op)) {
        test(`${op.id}: an unknown id is not found`, async ({ world, client, judge, parentId }) => {
          const body = validBody(profile, op, { parent: parentId, name: world.name });
          const exchange = await client.call(op.id, { path: pathParams(op, { resource: randomUUID() }), body });
          judge.check(refused, c.refusals.unknownResource, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
        });
      }
    }

    /** The body with a fresh name where it has one. */
    function renamed(body: unknown, world: World): unknown {
      const path = [c.resource.wrapper, c.resource.fields.name];
      return typeof getPath(body, path) === 'string' ? setAt(body, path, world.name()) : body;
    }

    function pathParamsOfShow(id: string) {
      return pathParams(operation(profile, c.resource.operations.show), { resource: id });
    }

    /** A refused create leaves nothing behind: no resource carries the name it was sent with. */
    async function nothingCreated(client: TargetClient, judge: Judge, request: DerivedRequest, exchange: Awaited<ReturnType<typeof send>>) {
      const status = exchange.response?.status ?? 0;
      const name = getPath(request.body, [c.resource.wrapper, c.resource.fields.name]);
      if (status < 400 || typeof name !== 'string') return;
      const list = await client.call(c.resource.operations.list, { query: { [c.resource.fields.name]: name } });
      const items = (getPath(list.response?.json, [c.lists.items]) as Array<Record<string, unknown>> | undefined) ?? [];
      const found = items.filter((i) => i[c.resource.fields.name] === name).map((i) => String(i.id));
      judge.check(refusedCreateLeftNothing, request.clause, { found, name }, [exchange, list]);
    }
  });
}
