// `snapshot-conformance init` as a user meets it: it drafts a profile folder and prints what it found
// and the TODOs; bad input ends with exit code 2 and one line saying what to fix.
// Its help comes from src/cli/commands.ts.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../src/cli/commands.ts';
import { cli, ROOT } from './support/run-suite.ts';

const CIRRUS = join(ROOT, 'tests/fixtures/init/cirrus/cirrus.yaml');

function usageError(result: { code: number; stdout: string; stderr: string }, says: string) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`snapshot-conformance: ${says}\n`);
}

test('init writes the two files of a profile folder and prints what it found and the TODOs', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'sc-init-cli-')), 'cirrus');
  const r = await cli(['init', CIRRUS, '--resource', 'snapshot', '--parent', 'volume', '--id', 'cirrus', '--out', out]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe(`Drafted profile cirrus in ${out}: openapi.yaml and clauses.yaml (29 clause stubs).`);
  expect(lines).toContain('  create: createSnapshot (POST /{project_id}/snapshots)');
  expect(lines).toContain('  listSnapshots pages by: limit (page size ≤ 1000), marker (marker), rel=next links in snapshots_links');
  expect(lines).toContain('TODO (26, each a "# TODO:" comment where it belongs):');
  expect(lines).toContain('  openapi.yaml x-conformance > resource > states > budgetSeconds: the document gives no time a change may take: 300 s until the vendor says');
  expect(lines.at(-1)).toBe(`Next: edit the TODOs, then snapshot-conformance check ${out}`);
  expect(readFileSync(join(out, 'openapi.yaml'), 'utf8')).toMatch(/^# Profile cirrus, drafted by snapshot-conformance init from cirrus\.yaml \(resource snapshot, parent volume\)\.\n/);
  expect(readFileSync(join(out, 'clauses.yaml'), 'utf8')).toMatch(/\nprofile: cirrus\n/);
  // A second init into the same folder leaves the first one's files alone.
  const again = await cli(['init', CIRRUS, '--resource', 'snapshot', '--out', out]);
  usageError(again, `${join(out, 'openapi.yaml')} is there already: give another --out, or remove it`);
});

test('bad input: exit code 2 and one line that says what to fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-init-cli-'));
  usageError(await cli(['init', CIRRUS]), 'init needs --resource NAME: the resource the profile judges, as the paths name it (snapshot)');
  usageError(await cli(['init', '--resource', 'snapshot']), "init takes the path of one document (the vendor's OpenAPI or Swagger file)");
  usageError(await cli(['init', CIRRUS, CIRRUS, '--resource', 'snapshot']), "init takes the path of one document (the vendor's OpenAPI or Swagger file), not 2");
  usageError(await cli(['init', join(dir, 'nope.yaml'), '--resource', 'snapshot']), `${join(dir, 'nope.yaml')}: no such file (give the path of the vendor's OpenAPI or Swagger document)`);
  writeFileSync(join(dir, 'remote.yaml'), "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      $ref: 'https://example.com/op.yaml'\n");
  usageError(await cli(['init', join(dir, 'remote.yaml'), '--resource', 'snapshot', '--out', join(dir, 'out')]), 'remote.yaml: $ref https://example.com/op.yaml is remote: init reads local files only (bundle the document first)');
  usageError(await cli(['init', CIRRUS, '--resource', 'backup', '--out', join(dir, 'out')]), 'no operation of cirrus.yaml is about "backup": give --resource one of the names its paths use (snapshots, detail, volumes)');
  const unknown = await cli(['init', CIRRUS, '--resource', 'snapshot', '--colour']);
  expect([unknown.code, unknown.stderr.trim().split('\n').length]).toEqual([2, 1]);
  expect(existsSync(join(dir, 'out'))).toBe(false);
});

test('`init --help` lists every option of the command table', async () => {
  const r = await cli(['init', '--help']);
  expect(r.code).toBe(0);
  for (const option of Object.keys(COMMANDS.init.options)) expect(r.stdout).toContain(`--${option}`);
  expect(r.stdout).toContain('Usage: snapshot-conformance init DOCUMENT [options]');
});
