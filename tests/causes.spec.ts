// One defect, one cause, said in words: the whole suite (in process) against reference servers
// with known defects, each counted and named as a vendor engineer would; and schema errors as
// sentences that name the member and the rule, never the validator's own text.
import { test, expect } from '@playwright/test';
import { loadProfile } from '../src/profile/load.ts';
import { Validators } from '../src/validate/validators.ts';
import { runInProcessAgainst } from './support/in-process.ts';

/** Words a validator uses and a reader of an API's documentation does not. */
const VALIDATOR_TEXT = /must NOT|must have|must be|must match|should be|properties\b|instancePath|#\/components/;

const causesOf = async (profile: string, faults: string[]) => (await runInProcessAgainst(profile, { faults })).results;

test('one missing member is one cause across the five clauses and operations that show it', async () => {
  const r = await causesOf('cinder-v3', ['drop-field-size']);
  expect(r.causes.map((c) => [c.title, c.clauses])).toEqual([
    ['`size` is missing (in the answers of listSnapshots, listSnapshotsDetail, createSnapshot, showSnapshot and 1 more)', ['CV3-API-01', 'CV3-API-02', 'CV3-API-03', 'CV3-API-04', 'CV3-API-05']],
  ]);
});

test('a broken error envelope is one cause, its members said in words', async () => {
  // Every error body {"error": "<message>"}: EVS's envelope wants an object there.
  const r = await causesOf('huawei-evs', ['envelope-broken']);
  expect(r.causes.map((c) => [c.title, c.clauses])).toEqual([['error answers are not in the documented envelope: `error` is a string, not an object', ['EVS-ERR-01']]]);
  // One finding per rule broken, not one per error message the target sent.
  expect(r.clauses.find((c) => c.id === 'EVS-ERR-01')!.findings.map((f) => f.title)).toEqual(['error envelope: `error` is a string, not an object']);
});

test('two different 500 bugs are two causes, each naming the request that meets it', async () => {
  const r = await causesOf('cinder-v3', ['missing-volume-id-500', 'malformed-json-500']);
  expect(r.causes.map((c) => [c.title, c.clauses])).toEqual([
    [expect.stringMatching(/^.*createSnapshot.* with a body that is not JSON: server error \(500 computeFault\) instead of a refusal$/), ['CV3-ERR-05']],
    ['createSnapshot with snapshot without its required member volume_id: server error (500 computeFault) instead of a refusal', ['CV3-ERR-06']],
  ]);
});

test('unknown ids answering 500 are one cause, whichever clause met them', async () => {
  const r = await causesOf('cinder-v3', ['unknown-id-500']);
  expect(r.causes.map((c) => c.title)).toEqual([expect.stringMatching(/^An unknown snapshot is 404: server error \(500 computeFault\) instead of a refusal/)]);
  expect(r.causes[0]!.clauses.sort()).toEqual(['CV3-API-04', 'CV3-ERR-04', 'CV3-LIFE-06']);
});

test('schema errors are sentences naming the member and the rule', () => {
  const v = new Validators(loadProfile('cinder-v3'));
  const rules = (schema: object, value: unknown) => v.validateInline(schema, value).map((f) => f.rule);
  const object = { type: 'object', properties: { snapshot: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, name: { type: 'string', maxLength: 3 }, status: { enum: ['available', 'error'] } }, additionalProperties: false } }, maxProperties: 1 };
  expect(rules(object, { snapshot: { name: 'long', status: 'gone', foo: 1 } })).toEqual(
    expect.arrayContaining(['`size` is missing', 'an undocumented member `foo`', '`name` is longer than 3 characters', '`status` is not one of the documented values ("available", "error")']),
  );
  expect(rules(object, { snapshot: { size: '1' } })).toEqual(['`size` is a string, not an integer']);
  expect(rules(object, { snapshot: { size: 0 } })).toEqual(['`size` is below 1']);
  expect(rules(object, { snapshot: { size: 1 }, more: 1 })).toEqual(['the body has more than 1 member']);
  expect(rules({ type: 'object', properties: { snapshots: { type: 'array', items: object.properties.snapshot } } }, { snapshots: [{ size: 1 }, {}] })).toEqual(['`size` is missing']);
  expect(rules({ type: 'object', propertyNames: { enum: ['error'] } }, { message: 'm' })).toEqual(['an undocumented member `message`']);
  // The value is kept apart: in the message, never in the rule.
  const [failure] = v.validateInline({ type: 'string', maxLength: 3 }, 'abcdef');
  expect(failure!.rule).toBe('the body is longer than 3 characters');
  expect(failure!.message).toBe('the body is longer than 3 characters (got "abcdef")');
  for (const r of [...rules(object, { snapshot: { name: 'long', status: 'gone', foo: 1 } }), failure!.rule]) expect(r).not.toMatch(VALIDATOR_TEXT);
});

test('no cause or finding title of a faulted run reads like validator text', async () => {
  for (const [profile, faults] of [['cinder-v3', ['wrong-type-size', 'envelope-flat']], ['huawei-dws', ['envelope-broken']]] as const) {
    const r = await causesOf(profile, [...faults]);
    expect(r.causes.length).toBeGreaterThan(0);
    const titles = [...r.causes.map((c) => c.title), ...r.clauses.flatMap((c) => c.findings.map((f) => f.title ?? ''))];
    expect(titles.filter((t) => VALIDATOR_TEXT.test(t)), `${profile} ${faults.join(' ')}`).toEqual([]);
  }
});
