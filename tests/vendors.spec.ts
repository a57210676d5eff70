// A vendor nobody has named: a profile of a made-up API (tests/fixtures/profiles/cumulus) whose
// conventions no shipped profile has: an API key in the query, the version in the query, a create
// PUT at a name the client chooses with its parent in the query, an update by PATCH, operations at
// the URL of a Location header, token paging, a nested error with its status. The engine must be
// able to say it as data (no code of its own), the server its documents make must pass it, and
// the selftest must catch every fault of that server with the clauses meant for it.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { loadProfile } from '../src/profile/load.ts';
import { resolveProfile } from '../src/profile/sources.ts';
import { selftest } from '../src/selftest/selftest.ts';
import { ROOT } from './support/run-suite.ts';

const FOLDER = join(ROOT, 'tests/fixtures/profiles/cumulus');
const TEMPLATE = join(ROOT, 'examples/profile-template');

test('a profile of an API unlike the shipped ones compiles to the conventions it states', () => {
  const m = loadProfile(resolveProfile(FOLDER)).model;
  expect(m.auth).toMatchObject({ kind: 'query', query: 'key' });
  expect(m.query).toEqual({ 'api-version': '2025-01-01' });
  expect(m.resource).toMatchObject({ nameIn: 'path', parentIn: 'query', requestWrapper: undefined, wrapper: undefined });
  expect(m.resource.ops.update?.method).toBe('PATCH');
  expect(m.operations).toMatchObject({ header: 'Location', state: '/status', done: 'Succeeded', resource: '/resourceId' });
  expect(m.lists).toMatchObject({ paging: 'token', idField: 'name', next: { at: '/nextPageToken', kind: 'token' } });
  expect(m.envelope).toMatchObject({ status: { at: '/error/status' }, names: { at: '/error/code' } });
});

test('its reference server passes every clause, and the selftest catches every fault by the clauses meant for it', async () => {
  const id = resolveProfile(FOLDER);
  const result = await selftest(id);
  expect(result.correct.errors).toEqual([]);
  expect([...result.correct.failing, ...result.correct.untested]).toEqual([]);
  expect(result.faults.filter((f) => f.outcome !== 'caught').map((f) => `${f.fault}: ${f.outcome} (${f.why})`)).toEqual([]);
  // The faults a nested envelope, token paging and operations at a header URL bring are among them.
  expect(result.faults.map((f) => f.fault)).toEqual(expect.arrayContaining(['envelope-status', 'envelope-code', 'next-missing', 'ignore:pageToken', 'operation-fails', 'labels-merged', 'labels-cleared']));
});

test('the template profile a vendor starts from passes on its reference server, and its clauses catch every fault', async () => {
  const id = resolveProfile(TEMPLATE);
  const result = await selftest(id);
  expect([...result.correct.failing, ...result.correct.untested]).toEqual([]);
  expect(result.faults.filter((f) => f.outcome !== 'caught').map((f) => `${f.fault}: ${f.outcome} (${f.why})`)).toEqual([]);
});
