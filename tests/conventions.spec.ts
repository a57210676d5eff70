// Conventions no shipped profile uses, said as data and run against the server the documents make:
// an API without credentials (auth none: no credentials sent, no auth test, the server asks for
// none), and operations whose URL is in the write's answer (Google's selfLink). Each is a variant
// of the made-up vendor (tests/fixtures/profiles/cumulus) written to a folder of its own.
import { test, expect } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../src/profile/load.ts';
import { resolveProfile } from '../src/profile/sources.ts';
import { suitePlan } from '../suites/plan.ts';
import { runInProcessAgainst } from './support/in-process.ts';
import { ROOT } from './support/run-suite.ts';

/** A copy of the cumulus profile under another id, its document changed by `edit`. */
function variant(id: string, edit: (doc: string) => string, clauses: (text: string) => string = (t) => t): string {
  const dir = join(mkdtempSync(join(tmpdir(), `sc-${id}-`)), id);
  cpSync(join(ROOT, 'tests/fixtures/profiles/cumulus'), dir, { recursive: true });
  const doc = join(dir, 'openapi.yaml');
  writeFileSync(doc, edit(readFileSync(doc, 'utf8')));
  const file = join(dir, 'clauses.yaml');
  writeFileSync(file, clauses(readFileSync(file, 'utf8')).replace(/^profile: cumulus$/m, `profile: ${id}`));
  return resolveProfile(dir);
}

test('an API without credentials: nothing is sent, no auth test runs, every other clause passes', async () => {
  const id = variant(
    'open-cumulus',
    (doc) => doc.replace(/  auth:\n    query: key\n    probe: listSnapshots\n    missing: CU-AUTH-01\n    invalid: CU-AUTH-01\n/, '  auth:\n    none: true\n    probe: listSnapshots\n'),
    // Its clause of credentials is gone with them.
    (text) => text.replace(/  - id: CU-AUTH-01\n(    .*\n)+?(?=  - id:)/, ''),
  );
  expect(loadProfile(id).model.auth).toMatchObject({ kind: 'none', missing: undefined });
  expect(suitePlan([id]).filter((t) => t.group === 'auth')).toEqual([]);
  const { results } = await runInProcessAgainst(id);
  expect(results.clauses.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}`)).toEqual([]);
  // The reading tests asked nothing of credentials either.
  expect(results.clauses.map((c) => c.id)).not.toContain('CU-AUTH-01');
});

test("operations whose URL is in the write's answer are polled at that URL, and the create's id taken from them", async () => {
  const id = variant('linked-cumulus', (doc) =>
    doc
      .replace('    header: Location\n', '    url: /selfLink\n')
      .replace("'202': { description: Accepted; the operation is at Location. }", "'202': { description: The operation., content: { application/json: { schema: { $ref: '#/components/schemas/Operation' } } } }")
      .replace(/'202': \{ description: Accepted; the operation is at Location\. \}/g, "'202': { description: The operation., content: { application/json: { schema: { $ref: '#/components/schemas/Operation' } } } }")
      .replace('        resourceId: { type: string }\n', '        resourceId: { type: string }\n        selfLink: { type: string }\n'),
  );
  expect(loadProfile(id).model.operations).toMatchObject({ url: '/selfLink', header: undefined });
  const { results } = await runInProcessAgainst(id);
  expect(results.errors.map((e) => e.message.split('\n')[0])).toEqual([]);
  expect(results.clauses.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}`)).toEqual([]);
  // Leftovers named by their operation: the clean-up found every one.
  expect(results.cleanup?.notRemoved ?? []).toEqual([]);
});
