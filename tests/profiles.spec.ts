// Lint of the profiles (as test262 lints its esids): every clause id the OpenAPI document names
// exists in the profile's clauses, and every clause is named somewhere in the document, so none
// is left without a check. The documents' examples validate, and the generators derived from the
// schemas make what they promise: valid values valid, invalid ones invalid.
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { loadProfile, profileIds, subjectOperations, type Profile } from '../src/profile/load.ts';
import { validatorsFor } from '../src/validate/validators.ts';
import { boundaryRequests, invalidRequests, validBody } from '../src/generate/requests.ts';
import { arbitraryFor } from '../src/generate/arbitraries.ts';
import { fieldPath } from '../src/profile/model.ts';
import { memberSchema } from '../src/generate/schema-sites.ts';

const CLAUSE_ID = /^[A-Z0-9]+-[A-Z]+-[0-9]{2}$/;

/** Every clause id the document names: x-clause values anywhere, and ids inside x-conformance. */
function referencedClauses(profile: Profile): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown, inConformance: boolean) => {
    if (typeof node === 'string') {
      if (inConformance && CLAUSE_ID.test(node)) found.add(node);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-clause') {
        for (const id of typeof value === 'string' ? [value] : Object.values(value as object)) found.add(String(id));
      } else walk(value, inConformance || key === 'x-conformance');
    }
  };
  walk(profile.doc, false);
  return found;
}

for (const id of profileIds()) {
  test.describe(id, () => {
    const profile = loadProfile(id);
    const validators = validatorsFor(profile);

    test('every clause id the document names is a clause of the profile', () => {
      const unknown = [...referencedClauses(profile)].filter((c) => !profile.clauses.has(c));
      expect(unknown).toEqual([]);
    });

    test('every clause of the profile is named by the document', () => {
      const named = referencedClauses(profile);
      expect(profile.clauseFile.clauses.map((c) => c.id).filter((c) => !named.has(c))).toEqual([]);
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
