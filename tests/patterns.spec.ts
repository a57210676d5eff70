// The branches the generators find in a pattern, on the rules the vendors write: DWS's names (a
// letter first, then letters, digits, hyphens and underscores) and descriptions (none of seven
// characters), Cinder's printable descriptions. And that the contract tests get a negative case
// for each branch and the positive edges, judged by the clause the pattern names.
import { test, expect } from '@playwright/test';
import { loadProfile, operation } from '../src/profile/load.ts';
import { boundaryRequests, invalidRequests, validBody } from '../src/generate/requests.ts';
import { allowedEdge, probePattern, refusedBranches, refusedFirstBranches } from '../src/generate/patterns.ts';

const DWS_NAME = '^[A-Za-z][A-Za-z0-9_-]*$';
const DWS_DESCRIPTION = `^[^!<>'=&"]*$`;

test('an allow-list with a first-character rule: one case for the set, one per kind of first character', () => {
  const b = probePattern(DWS_NAME, 'snap-1')!;
  expect(b.denyList).toBe(false);
  expect(refusedBranches(b)).toEqual(['.']);
  expect(refusedFirstBranches(b)).toEqual(['0', '-', '_']);
  expect(allowedEdge(b)).toBe('0A-_');
});

test('a deny-list: each forbidden character is a branch, every other printable one is allowed', () => {
  const b = probePattern(DWS_DESCRIPTION, 'a description')!;
  expect(b.denyList).toBe(true);
  expect(refusedBranches(b).sort()).toEqual(['!', '"', '&', "'", '<', '=', '>'].sort());
  expect(refusedFirstBranches(b)).toEqual([]);
  expect(allowedEdge(b)).toBe('0A #$%()*+,-./:;?@[\\]^_`{|}~');
});

test('a pattern of categories (Cinder\'s printable characters): the control character is its branch', () => {
  const b = probePattern('^[^\\p{C}\\p{Zl}\\p{Zp}\\u{10000}-\\u{10FFFF}]*$', 'Daily backup')!;
  expect(refusedBranches(b)).toEqual(['\u0007']);
});

test('no branches around a value the pattern refuses, or one too short to vary', () => {
  expect(probePattern(DWS_NAME, '1abc')).toBeUndefined();
  expect(probePattern(DWS_NAME, 'ab')).toBeUndefined();
});

test('DWS create: a negative case per branch and the positive edges, each under its clause', () => {
  const profile = loadProfile('huawei-dws');
  const op = operation(profile, 'createSnapshot');
  const valid = validBody(profile, op, { parent: '44b277eb-39be-4921-be31-3d61b43651d7', name: () => 'sc-test-1' });
  const invalid = invalidRequests(profile, op, valid).filter((r) => /pattern|character|first/.test(r.title));
  const byClause = (clause: string) => invalid.filter((r) => r.clause === clause).map((r) => r.title);
  expect(byClause('DWS-LIM-02')).toEqual([
    'snapshot.name with "." (outside its character set)',
    'snapshot.name starting with "0" (against its first-character rule)',
    'snapshot.name starting with "-" (against its first-character rule)',
    'snapshot.name starting with "_" (against its first-character rule)',
  ]);
  expect(byClause('DWS-LIM-05')).toHaveLength(7);
  const edges = boundaryRequests(profile, op, valid, 'sc-test-').filter((r) => r.expect === 'accepted').map((r) => `${r.clause} ${r.title}`);
  expect(edges).toContain('DWS-LIM-02 snapshot.name starting with "S" (an allowed first character)');
  expect(edges).toContain('DWS-LIM-02 snapshot.name with every character its pattern allows ("0A-_")');
  expect(edges).toContain('DWS-LIM-04 snapshot.description of 256 characters in three-byte characters');
  expect(edges.some((e) => e.startsWith('DWS-LIM-05 snapshot.description with every character its pattern allows'))).toBe(true);
});
