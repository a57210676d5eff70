// Known failures at the grain of findings (src/report/known.ts): an expectations entry covers the
// cases of a finding it names, a finding made on several requests is known only when each is
// covered, a clause-only entry covers all but marks what its evidence does not describe, and an
// exact entry that covers nothing is stale.
import { test, expect } from '@playwright/test';
import type { Finding } from '../src/findings/types.ts';
import { coveredBy, coversSome, describes, fine, type Expectation } from '../src/report/known.ts';

const finding = (more: Partial<Finding>): Finding => ({ clause: 'CV3-ERR-05', check: 'refusal.status', outcome: 'fail', count: 1, title: 'server error (500) instead of a refusal', exchanges: [], ...more });
const entry = (more: Partial<Expectation>): Expectation => ({ clause: 'CV3-ERR-05', reason: 'a known bug', ...more });

test('an exact entry covers the case it names, and nothing else', () => {
  const onCreate = finding({ operation: 'createSnapshot', status: 500 });
  const exact = entry({ check: 'refusal.status', operation: 'createSnapshot', status: 500 });
  expect(coveredBy([exact], onCreate)).toEqual([exact]);
  expect(coveredBy([exact], finding({ operation: 'createSnapshot', status: 502 }))).toBeUndefined();
  expect(coveredBy([exact], finding({ operation: 'updateSnapshot', status: 500 }))).toBeUndefined();
  expect(coveredBy([exact], finding({ operation: 'createSnapshot', status: 500, check: 'status.documented' }))).toBeUndefined();
  expect(coveredBy([entry({ case: 'empty body' })], finding({ context: 'createSnapshot with an empty body' }))).toBeDefined();
  expect(coveredBy([entry({ case: 'empty body' })], finding({ context: 'createSnapshot with no body' }))).toBeUndefined();
});

test('a finding made on several requests is known only when every one is covered', () => {
  const both = finding({ operation: 'createSnapshot', status: 500, cases: [{ operation: 'createSnapshot', status: 500 }, { operation: 'updateSnapshot', status: 500 }] });
  const create = entry({ operation: 'createSnapshot', status: 500 });
  const update = entry({ operation: 'updateSnapshot', status: 500 });
  expect(coveredBy([create], both)).toBeUndefined();
  expect(coveredBy([create, update], both)).toEqual([create, update]);
  expect(coversSome(create, both)).toBe(true);
  expect(coversSome(entry({ operation: 'deleteSnapshot' }), both)).toBe(false);
});

test('a clause-only entry covers every finding of its clause; what its evidence does not describe is marked', () => {
  const old = entry({ evidence: 'POST /snapshots with an empty body -> 500 computeFault' });
  expect(fine(old)).toBe(false);
  const described = finding({ operation: 'createSnapshot', status: 500 });
  const other = finding({ operation: 'createSnapshot', status: 200, title: 'accepted (200) instead of refused' });
  expect(coveredBy([old], described)).toEqual([old]);
  expect(coveredBy([old], other)).toEqual([old]);
  expect(describes(old, described)).toBe(true);
  expect(describes(old, other)).toBe(false);
});
