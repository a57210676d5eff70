// Lint of the profiles (as test262 lints its esids): each checks clean (src/profile/check.ts: every
// clause id the document names exists, every clause is named and every MUST clause judged by some
// test, so none is left without a check). The documents' examples validate, and the generators
// derived from the schemas make what they promise: valid values valid, invalid ones invalid.
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { loadProfile, profileIds, subjectOperations } from '../src/profile/load.ts';
import { checkProfile, problemLine } from '../src/profile/check.ts';
import { documentOf } from '../src/profile/sources.ts';
import { validatorsFor } from '../src/validate/validators.ts';
import { boundaryRequests, invalidRequests, validBody } from '../src/generate/requests.ts';
import { arbitraryFor } from '../src/generate/arbitraries.ts';
import { fieldPath } from '../src/profile/model.ts';
import { memberSchema } from '../src/generate/schema-sites.ts';

for (const id of profileIds()) {
  test.describe(id, () => {
    const profile = loadProfile(id);
    const validators = validatorsFor(profile);

    test('checks clean: every clause id it names defined, every clause named, every MUST clause judged by a test', async () => {
      const { problems } = await checkProfile(documentOf(id), { id });
      expect(problems.map((p) => problemLine(p))).toEqual([]);
    });

    test('every request example validates against its schema', () => {
      for (const op of profile.operations.values()) {
        if (!op.requestBody?.example) continue;
        expect(validators.validate(op.requestBody.schemaPointer, op.requestBody.example), op.id).toEqual([]);
      }
    });

    test('derived requests are what they claim: at-limit valid, invalid ones invalid', () => {
      for (const op of subjectOperations(profile)) {
        if (!op.requestBody) continue;
        const valid = validBody(profile, op, { parent: '5aa119a8-d25b-45a7-8d1b-88e127885635', name: () => 'sc-test-1' });
        expect(validators.validate(op.requestBody.schemaPointer, valid), `${op.id} valid body`).toEqual([]);
        for (const r of boundaryRequests(profile, op, valid, 'sc-test-')) {
          const failures = validators.validate(op.requestBody.schemaPointer, r.body);
          expect(failures.length === 0, `${op.id}: ${r.title} (${r.expect})`).toBe(r.expect === 'accepted');
        }
        for (const r of invalidRequests(profile, op, valid)) {
          if (r.expect !== 'invalid-body') continue;
          expect(validators.validate(op.requestBody.schemaPointer, r.body).length, `${op.id}: ${r.title}`).toBeGreaterThan(0);
          expect(profile.clauses.has(r.clause), `${op.id}: ${r.title} names clause ${r.clause}`).toBe(true);
        }
      }
    });

    test('the arbitraries of the lifecycle generate only valid values', () => {
      const r = profile.model.resource;
      const createBody = r.ops.create.requestBody!.schemaPointer;
      for (const field of [r.fields.name, r.fields.description, r.fields.metadata, profile.model.labels?.member].filter(Boolean) as string[]) {
        const site = memberSchema(profile.doc, createBody, fieldPath(field, r.requestWrapper))!;
        const arb = arbitraryFor(profile.doc, site.schema, site.pointer, { namePrefix: 'sc-test-' });
        for (const value of fc.sample(arb, { numRuns: 200, seed: 42 })) {
          expect(validators.validateInline(site.schema, value), `${field}: ${JSON.stringify(value)}`).toEqual([]);
        }
      }
    });
  });
}
