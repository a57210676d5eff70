// Contract tests, generated from each profile's OpenAPI document: for every operation of the
// profile's subject, the documented request is answered as documented; invalid requests derived
// from the schemas are refused with the profile's envelope and change nothing; every length limit
// holds at and just past its boundary; an unknown id is not found. The status, body schema, media
// type, headers and envelope of every answer are judged by the Judge as each exchange happens.
import { randomUUID } from 'node:crypto';
import type { Judges, SuiteTest, TestContext } from '../src/run/context.ts';
import { removingWhatItMakes } from '../src/run/execute.ts';
import { subjectOperations, type Operation, type Profile } from '../src/profile/load.ts';
import { boundaryRequests, invalidRequests, validBody, type DerivedRequest } from '../src/generate/requests.ts';
import { getPath, setAt } from '../src/generate/schema-sites.ts';
import { accepted } from '../src/checks/contract.ts';
import { refused } from '../src/checks/refusal.ts';
import { fieldsMatch, refusedCreateLeftNothing } from '../src/checks/resource.ts';
import { createExample, deleteUntilGone, leftBehindBy, operationOver } from '../src/steps/create-delete.ts';
import { fieldOf, type PathFixtures } from '../src/profile/api.ts';
import type { Exchange } from '../src/http/exchange.ts';

const onResource = (op: Operation) => op.parameters.some((p) => p.in === 'path' && p.fixture === 'resource');

export function contractTests(profile: Profile): SuiteTest[] {
  return subjectOperations(profile).map((op) => ({
    profile: profile.id,
    group: 'contract',
    title: `${op.id} conforms to its contract`,
    notInReplay: true,
    weight: op.requestBody ? 3 : 1,
    clauses: () => contractClauses(profile, op),
    run: (t) => operationContract(t, op),
  }));
}

/** What operationContract judges of an operation, beside what every judged answer is checked for. */
function contractClauses(profile: Profile, op: Operation): Judges[] {
  const c = profile.model;
  const out: Judges[] = [];
  if (onResource(op)) out.push(c.refusals.unknownResource);
  if (op.requestBody) {
    const valid = validBody(profile, op, { parent: 'a-parent', name: () => 'sc-name' });
    out.push(...invalidRequests(profile, op, valid).map((r) => r.clause), ...boundaryRequests(profile, op, valid, 'sc-').map((r) => r.clause));
    if (onResource(op)) out.push(c.refusals.invalidBody);
  }
  if (op === c.resource.ops.delete) out.push(c.lifecycle.gone);
  if (c.operations?.writes.has(op.id)) out.push(c.operations.clause);
  return out;
}

/**
 * One test per operation, its parts as steps on one resource: on a real cloud every resource costs
 * a wait, so the parts share it. A part that fails does not stop the next.
 */
async function operationContract(t: TestContext, op: Operation): Promise<void> {
  const { api, judge, world } = t;
  const c = api.model;
  const parentId = await t.parent();
  const resource = onResource(op) ? (await createExample(t, parentId)).id : undefined;
  const fixtures = { resource, parent: parentId };
  const path = api.pathOf(op, fixtures);
  const valid = () => validBody(api.profile, op, { parent: parentId, name: world.name });

  if (onResource(op)) {
    await t.step('an unknown id is not found', async () => {
      const exchange = await api.call(op, { fixtures: { resource: randomUUID(), parent: parentId }, body: valid(), negative: true });
      judge.check(refused, c.refusals.unknownResource, { exchange, operation: op, kind: 'unknown-resource' }, [exchange]);
    });
  }

  if (op.requestBody) {
    await t.step('invalid requests are refused and change nothing', async () => {
      const before = resource ? await readFields(t, resource) : undefined;
      const base = valid();
      const removals = backgroundRemovals(t);
      let allRefused = true;
      for (const derived of invalidRequests(api.profile, op, base)) {
        // Each its own name (a create wrongly accepted must not be found by the next one), unless
        // the name is what the request breaks.
        const request = { ...derived, body: renamed(t, derived.body, base) };
        await judge.step(`${op.id} with ${request.title}`, () =>
          removingWhatItMakes(world, judge, async () => {
            const exchange = await send(t, op, path, fixtures, request);
            judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect as never }, [exchange]);
            if ((exchange.response?.status ?? 0) < 400) allRefused = false;
            if (op === api.model.resource.ops.create) await nothingCreated(t, request, exchange);
          }, removals),
        );
      }
      await Promise.all(removals ?? []);
      // What a wrongly accepted write changed is that write's finding (one cause, one finding): the
      // fields are compared when every write was refused.
      if (before && resource && allRefused) {
        const after = await api.show(resource);
        const expected = Object.entries(before).map(([field, value]) => ({ field, value, clause: c.refusals.invalidBody }));
        judge.check(fieldsMatch, c.refusals.invalidBody, { resource: api.resourceOf(after.response?.json), expected, where: 'after refused writes' }, [after]);
      }
    });

    await t.step('limits hold at and just past the boundary', async () => {
      const removals = backgroundRemovals(t);
      const base = valid();
      for (const derived of boundaryRequests(api.profile, op, base, world.namePrefix)) {
        // Each its own name, as above: where names are unique, the requests accepted at one limit
        // must not be refused for the name another of them took.
        const request = { ...derived, body: renamed(t, derived.body, base) };
        await judge.step(`${op.id} with ${request.title}`, () =>
          removingWhatItMakes(world, judge, async () => {
            const exchange = await send(t, op, path, fixtures, request);
            // Over its quota (stuck resources of another test, say), the target cannot show the limit.
            const held = judge.heldBack(op, exchange);
            if (held) judge.untestable(request.clause, accepted.id, held);
            else if (request.expect === 'accepted') judge.check(accepted, request.clause, { exchange }, [exchange]);
            else judge.check(refused, request.clause, { exchange, operation: op, kind: request.expect }, [exchange]);
          }, removals),
        );
      }
      await Promise.all(removals ?? []);
    });
  }

  await t.step('the documented request is answered as documented', async () => {
    if (op === api.model.resource.ops.delete && resource) return deleteUntilGone(t, resource);
    const exchange = await api.call(op, { path, fixtures, body: valid() });
    judge.succeeded(op, exchange);
    // An answer that is an operation must end well too (what it made is removed with the test's).
    if (api.answersOperation(op) && (exchange.response?.status ?? 0) < 300) await operationOver(t, exchange, performance.now());
  });
}

/**
 * Where what a part made may be removed while the next part goes on (its waits do not add up); not
 * where a parent holds only a few resources, which must not pile up on it.
 */
const backgroundRemovals = (t: TestContext): Array<Promise<void>> | undefined => (t.api.model.perParent ? undefined : []);

async function send(t: TestContext, op: Operation, path: Record<string, string>, fixtures: PathFixtures, request: DerivedRequest): Promise<Exchange> {
  // The derivation must be right before the target is judged by it: a suite bug fails loudly here.
  if (request.body !== undefined && op.requestBody && (request.expect === 'accepted' || request.expect === 'invalid-body')) {
    const failures = t.world.validators.validate(op.requestBody.schemaPointer, t.api.asSent(op, request.body));
    if ((request.expect === 'accepted') !== (failures.length === 0)) {
      throw new Error(`suite bug: the derived request "${request.title}" is ${failures.length ? 'invalid' : 'valid'} by the schema: ${JSON.stringify(request.body).slice(0, 200)}`);
    }
  }
  return t.api.call(op, {
    // A create PUT at a name takes its name from the body; a body that holds none gets a fresh one.
    fixtures: { ...fixtures, name: t.world.name() },
    path: keyedPath(t, op, path, request.body),
    body: request.body,
    rawBody: request.rawBody,
    contentType: request.contentType,
    negative: request.expect !== 'accepted',
  });
}

/** A per-key write names its key twice, in the path and in the body: the path follows the body. */
function keyedPath(t: TestContext, op: Operation, path: Record<string, string>, body: unknown): Record<string, string> {
  if (t.api.model.metadata?.keyWrite?.op !== op || !body || typeof body !== 'object') return path;
  const map = Object.values(body)[0];
  const keys = map && typeof map === 'object' ? Object.keys(map) : [];
  const param = op.parameters.find((p) => p.in === 'path' && !p.fixture);
  return keys.length === 1 && param ? { ...path, [param.name]: keys[0]! } : path;
}

/** The fields a refused write must leave as they were. */
async function readFields(t: TestContext, id: string): Promise<Record<string, unknown>> {
  const admin = t.world.api;
  const shown = admin.resourceOf((await admin.show(id)).response?.json) ?? {};
  const f = admin.model.resource.fields;
  const fields = [f.name, f.description, f.metadata, admin.model.labels?.member].filter((x): x is string => Boolean(x));
  return Object.fromEntries(fields.map((field) => [field, fieldOf(shown, field)]));
}

/** The body with a fresh name where it has the valid body's one. */
function renamed(t: TestContext, body: unknown, valid: unknown): unknown {
  const path = t.api.namePath;
  const name = getPath(body, path);
  return typeof name === 'string' && name === getPath(valid, path) ? setAt(body, path, t.world.name()) : body;
}

/** A refused create leaves nothing behind: no resource carries the name it was sent with. */
async function nothingCreated(t: TestContext, request: DerivedRequest, exchange: Exchange): Promise<void> {
  const status = exchange.response?.status ?? 0;
  const name = getPath(request.body, t.api.namePath);
  if (status < 400 || typeof name !== 'string') return;
  const { found, list } = await leftBehindBy(t, name);
  t.judge.check(refusedCreateLeftNothing, request.clause, { found, name }, [exchange, list]);
}
