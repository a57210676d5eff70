// `snapshot-conformance check`: each kind of problem shown on a profile folder broken in exactly that
// way (a copy of huawei-dws under a new id, outside the package), as the one line it prints (file,
// line or pointer, message, fix) and the exit code; the correct copy and the shipped profiles check
// clean; a run of a broken profile stops with the first problem's line; the installed package
// checks a folder of the user's.
import { test, expect } from '@playwright/test';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from './support/run-suite.ts';
import { installedPackage } from './support/installed.ts';
import { profileIds } from '../src/profile/sources.ts';

type Edit = [from: string | RegExp, to: string];

interface Folder {
  dir: string;
  doc: string;
  clauses: string;
  /** The line of the first line of a file that holds the text (after the edits). */
  line(file: string, text: string): number;
}

/** huawei-dws as a user's folder (openapi.yaml, clauses.yaml, its server's add-on; profile acme-dws), each edit made once. */
function folder(edits: { doc?: Edit[]; clauses?: Edit[] } = {}): Folder {
  const dir = mkdtempSync(join(tmpdir(), 'sc-check-'));
  const apply = (text: string, list: Edit[]) =>
    list.reduce((out, [from, to]) => {
      const next = out.replace(from, to);
      expect(next, `the edit ${from} applies`).not.toBe(out);
      return next;
    }, text);
  const doc = join(dir, 'openapi.yaml');
  const clauses = join(dir, 'clauses.yaml');
  const moved: Edit[] = [['clauses: ../specs/huawei-dws/clauses.yaml', 'clauses: clauses.yaml'], ['server: ../specs/huawei-dws/server.mjs', 'server: server.mjs']];
  writeFileSync(doc, apply(readFileSync(join(ROOT, 'openapi/huawei-dws.yaml'), 'utf8'), [...moved, ...(edits.doc ?? [])]));
  copyFileSync(join(ROOT, 'specs/huawei-dws/server.mjs'), join(dir, 'server.mjs'));
  writeFileSync(clauses, apply(readFileSync(join(ROOT, 'specs/huawei-dws/clauses.yaml'), 'utf8'), [[/^profile: huawei-dws$/m, 'profile: acme-dws'], ...(edits.clauses ?? [])]));
  const line = (file: string, text: string) => {
    const n = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(n, `${file} holds ${text}`).toBeGreaterThan(0);
    return n;
  };
  return { dir, doc, clauses, line };
}

/** `check DIR`: exit 1, the problems as expected (one line each), then the summary. */
async function problems(f: Folder, expected: string[], profile = `acme-dws (${f.dir})`) {
  const r = await cli(['check', f.dir]);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim().split('\n')).toEqual([...expected, `${expected.length} problem${expected.length > 1 ? 's' : ''} in ${profile}`]);
  expect(r.code).toBe(1);
}

const NEW_CLAUSE = (id: string, level = 'MUST') => [
  /^clauses:\n/m,
  `clauses:\n  - id: ${id}\n    area: lists\n    level: ${level}\n    title: A clause for the test\n    text: What it says.\n    source: [reference/vendor-facts.md § 3]\n    url: https://example.com/\n`,
] as Edit;

test('a correct copy of a profile checks clean, and so do the shipped profiles', async () => {
  const f = folder();
  const mine = await cli(['check', f.dir]);
  expect(mine.stdout.trim()).toBe(`no problems in acme-dws (${f.dir})`);
  expect(mine.code).toBe(0);
  const shipped = await cli(['check']);
  expect(shipped.stdout.trim()).toBe(`no problems in ${profileIds().join(', ')}`);
  expect(shipped.code).toBe(0);
});

test.describe('each kind of problem, one line each', () => {
  test('YAML syntax: file, line and column', async () => {
    const f = folder({ doc: [['  subject: snapshots\n', '  subject: snapshots\n  subject: volumes\n']] });
    // The document does not say where its clauses are, so the profile has no id yet.
    await problems(f, [`${f.doc}:${f.line(f.doc, 'subject: volumes')}:3: Map keys must be unique (keep one of the two members)`], f.dir);
    const g = folder({ clauses: [['    level: MUST\n    title: Create snapshot', '    level: MUST\n    level: MAY\n    title: Create snapshot']] });
    await problems(g, [`${g.clauses}:${g.line(g.clauses, 'level: MAY')}:5: Map keys must be unique (keep one of the two members)`], g.dir);
  });

  test('the shape of x-conformance: every member wrong, at its line, with what the map knows', async () => {
    const f = folder({ doc: [['    items: snapshots\n    count', '    itemz: snapshots\n    count'], ['    probe: listSnapshots', '    probe: 3']] });
    await problems(f, [
      `${f.doc}:${f.line(f.doc, 'probe: 3')}: x-conformance.auth.probe must be a string, not 3 (write a string there)`,
      `${f.doc}:${f.line(f.doc, '  lists:')}: x-conformance.lists lacks its member items (add items (a string))`,
      `${f.doc}:${f.line(f.doc, 'itemz:')}: unknown member x-conformance.lists.itemz (x-conformance.lists has: items, links, count, limit, marker, offset, nextLink, linkWhen, page, token, next, total, query, sort, badPaging, filters, byParent)`,
    ]);
  });

  test('the shape of the clause file', async () => {
    const f = folder({ clauses: [['    level: MUST\n    title: Create snapshot', '    level: MUSST\n    title: Create snapshot']] });
    await problems(f, [`${f.clauses}:${f.line(f.clauses, 'MUSST')}: clauses[0].level must be one of MUST, SHOULD, MAY, not "MUSST" (write one of them)`]);
  });

  test('a schema ajv refuses in strict mode: at the document pointer of that schema', async () => {
    const f = folder({ doc: [['        name: { type: string }\n        description: { type: string }\n        started', '        name: { type: string, nulable: true }\n        description: { type: string }\n        started']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'nulable')}: schema #/components/schemas/SnapshotItem/properties/name: strict mode: unknown keyword: "nulable" (remove "nulable", or write it as an extension: x-nulable)`]);
  });

  test('a response header schema and a header parameter schema, compiled before any answer needs them', async () => {
    const f = folder({
      doc: [
        ['      description: No token, or one that is not valid.\n', "      description: No token, or one that is not valid.\n      headers:\n        X-Request-Id: { schema: { type: string, format: request-id } }\n"],
        ['    SnapshotId:\n', '    Trace:\n      name: X-Trace\n      in: header\n      schema: { type: string, maxLenght: 8 }\n    SnapshotId:\n'],
        ["      - $ref: '#/components/parameters/SnapshotId'\n    get:", "      - $ref: '#/components/parameters/SnapshotId'\n      - $ref: '#/components/parameters/Trace'\n    get:"],
      ],
    });
    await problems(f, [
      `${f.doc}:${f.line(f.doc, 'maxLenght')}: schema #/components/parameters/Trace/schema: strict mode: unknown keyword: "maxLenght" (remove "maxLenght", or write it as an extension: x-maxLenght)`,
      `${f.doc}:${f.line(f.doc, 'X-Request-Id')}: schema #/components/responses/Unauthorized/headers/X-Request-Id/schema: unknown format "request-id" (use a format ajv-formats knows (uuid, date-time, uri, email, ...), or none)`,
    ]);
  });

  test('a $ref where headers are expected is not a header named "$ref"', async () => {
    const f = folder({ doc: [['      description: No token, or one that is not valid.\n', "      description: No token, or one that is not valid.\n      headers: { $ref: '#/components/schemas/Error' }\n"]] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'headers: { $ref')}: a $ref where headers must be a map of header names to headers (name each header and $ref it alone: headers: {X-Request-Id: {$ref: ...}})`]);
  });

  test('a $ref where responses or parameters are expected', async () => {
    const f = folder({
      doc: [
        [/      x-clause: DWS-API-02\n      responses:\n[\s\S]*?\n    post:/, "      x-clause: DWS-API-02\n      responses: { $ref: '#/components/responses/BadRequest' }\n    post:"],
        ["      - $ref: '#/components/parameters/ClusterId'\n    get:\n      operationId: listClusterSnapshots", "      $ref: '#/components/parameters/ClusterId'\n    get:\n      operationId: listClusterSnapshots"],
      ],
    });
    await problems(f, [
      `${f.doc}:${f.line(f.doc, 'responses: { $ref')}: a $ref where responses must be a map of statuses to responses (write each status with its response, and $ref the response: responses: {'404': {$ref: ...}})`,
      `${f.doc}:${f.line(f.doc, "      $ref: '#/components/parameters/ClusterId'") - 1}: parameters must be a list of parameters, not a $ref (write a list, each parameter (or its $ref) an item: parameters: [{$ref: ...}])`,
    ]);
  });

  test('a $ref that points at nothing', async () => {
    const f = folder({ doc: [["schema: { $ref: '#/components/schemas/SnapshotList' }", "schema: { $ref: '#/components/schemas/SnapshotLists' }"]] });
    await problems(f, [
      `${f.doc}:${f.line(f.doc, 'SnapshotLists')}: $ref #/components/schemas/SnapshotLists points at nothing: #/components/schemas has no SnapshotLists (it has: Error, Timestamp, Status, SnapshotItem, SnapshotEnvelope, SnapshotList, ClusterSnapshotList, SnapshotCreated, DeleteAnswer, SnapshotCreateRequest, Name, Description, ...)`,
    ]);
  });

  test('an operation without an id of its own', async () => {
    const f = folder({ doc: [['      operationId: showCluster', '      operationId: listClusters']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'summary: Show a cluster') - 1}: operationId listClusters is also that of GET /clusters (give each operation an id of its own)`]);
  });

  test('an operation x-conformance names that the document lacks', async () => {
    const f = folder({ doc: [['      show: showSnapshot', '      show: showSnapshots']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'show: showSnapshots')}: x-conformance.resource.operations.show names operation showSnapshots, which the document lacks (operations: listSnapshots, createSnapshot, showSnapshot, deleteSnapshot, listClusters, listClusterSnapshots, showCluster)`]);
  });

  test("a list's query parameter that its operation does not document", async () => {
    const f = folder({ doc: [['      limit: { param: limit, clause: DWS-LIST-03 }', '      limit: { param: max, clause: DWS-LIST-03 }']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'param: max')}: x-conformance.lists.byParent.limit.param names query parameter max, which listClusterSnapshots does not document (its query parameters: limit, offset, sort_key, sort_dir)`]);
  });

  test("a pointer the operation's answer does not have", async () => {
    const f = folder({ doc: [['    id: /snapshot/id\n', '    id: /snapshot/uuid\n']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'id: /snapshot/uuid')}: x-conformance.resource.id: /snapshot/uuid is not in the answer of createSnapshot (name a member its schema documents)`]);
  });

  test('a clause id the clause file does not define', async () => {
    const f = folder({ doc: [['      x-clause: DWS-API-02', '      x-clause: DWS-API-92']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'DWS-API-92')}: x-clause names clause DWS-API-92, which clauses.yaml does not define (define it in the clause file, or name one of its clauses)`]);
  });

  test('a request example its schema refuses', async () => {
    const f = folder({ doc: [['                name: snapshot-3\n', '                name: 3-snapshot\n']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, '            example:')}: the example of createSnapshot's request body is not valid: /snapshot/name must match pattern "^[A-Za-z][A-Za-z0-9_-]*$" (make the example valid: the suite derives its requests from it)`]);
  });

  test("a module of the profile's folder that is not there", async () => {
    const f = folder({ doc: [['server: server.mjs', 'server: missing.mjs']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, 'server: missing.mjs')}: x-conformance.modules.server names missing.mjs, which is not there (${join(f.dir, 'missing.mjs')}) (give the module's path relative to the document)`]);
  });

  test("the model's own errors: a combination x-conformance cannot have", async () => {
    const f = folder({ doc: [['      status: /cluster/status\n      ready: AVAILABLE\n', '      status: /cluster/status\n']] });
    await problems(f, [`${f.doc}:${f.line(f.doc, '  fixtures:') + 1}: x-conformance.fixtures.parent needs both status and ready, or neither (a parent that is there is ready) (see docs/openapi-extensions.md for what the combination needs)`]);
  });

  test('the rule for names, against the names the run gives', async () => {
    const f = folder({ doc: [['  subject: snapshots\n', '  subject: snapshots\n  names: { maxLength: 20, pattern: "^[a-z0-9-]+$" }\n']] });
    const at = f.line(f.doc, 'names: {');
    await problems(f, [
      `${f.doc}:${at}: the run names what it makes like sc-20260101T000000-0a1b-w0-12, which x-conformance.names.maxLength refuses: 29 characters, more than 20 (allow at least 29 characters, as the API does)`,
      `${f.doc}:${at}: the run names what it makes like sc-20260101T000000-0a1b-w0-12, which x-conformance.names.pattern refuses: it does not match ^[a-z0-9-]+$ (allow letters, digits and hyphens, as the API does)`,
    ]);
  });

  test('a clause the document names nowhere', async () => {
    const f = folder({ clauses: [NEW_CLAUSE('DWS-LIST-09', 'SHOULD')] });
    await problems(f, [`${f.clauses}:${f.line(f.clauses, 'DWS-LIST-09')}: clause DWS-LIST-09 is named by nothing in the document: no test can judge it (name it where it is checked (x-clause on the constraint or operation, or a member of x-conformance: docs/openapi-extensions.md), or remove it)`]);
  });

  test('a MUST clause no test judges, and why: what the profile lacks for the test', async () => {
    const f = folder({ clauses: [NEW_CLAUSE('DWS-LIST-09')], doc: [['    useAfterDelete: DWS-LIFE-06\n', '    useAfterDelete: DWS-LIFE-06\n    update: DWS-LIST-09\n']] });
    await problems(f, [`${f.clauses}:${f.line(f.clauses, 'DWS-LIST-09')}: MUST clause DWS-LIST-09 is judged by no test: named by lifecycle.update, but the resource has no update operation (resource.operations.update) (give the profile what that test needs, or name the clause where a test judges it)`]);
  });

  test('a MUST clause no test judges, and why: the suite does not judge it there', async () => {
    const f = folder({ clauses: [NEW_CLAUSE('DWS-LIST-09')], doc: [['    items: snapshots\n    count', '    items: snapshots\n    next: { at: /count, kind: token, clause: DWS-LIST-09 }\n    count'], ['      operationId: listClusters\n', '      operationId: listClusters\n      x-clause: DWS-LIST-09\n']] });
    await problems(f, [`${f.clauses}:${f.line(f.clauses, 'DWS-LIST-09')}: MUST clause DWS-LIST-09 is judged by no test: named by lists.next; x-clause of operation listClusters, which is not tagged snapshots (only those are judged), but a next token is judged while paging by token, which needs lists.limit and lists.token (give the profile what that test needs, or name the clause where a test judges it)`]);
  });
});

test('--json gives the problems to tools', async () => {
  const f = folder({ doc: [['      show: showSnapshot', '      show: showSnapshots']] });
  const r = await cli(['check', f.dir, '--json']);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out.problems).toBe(1);
  expect(out.profiles[0].problems[0]).toEqual({ file: f.doc, line: f.line(f.doc, 'show: showSnapshots'), message: expect.stringContaining('names operation showSnapshots'), fix: expect.stringContaining('operations: listSnapshots') });
});

test('bad input: a profile that is not there is exit 2 and one line', async () => {
  const r = await cli(['check', join(tmpdir(), 'sc-no-such-profile')]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([`snapshot-conformance: no profile at ${join(tmpdir(), 'sc-no-such-profile')}: give a folder holding openapi.yaml, or a profile id (${profileIds().join(', ')})`]);
});

test('run on a broken profile stops with exit 2 and the first problem, never a stack trace', async () => {
  const f = folder({ doc: [['        name: { type: string }\n        description: { type: string }\n        started', '        name: { type: string, nulable: true }\n        description: { type: string }\n        started']] });
  const r = await cli(['run', '--profile', f.dir, '--base-url', 'http://127.0.0.1:9', '--token', 't']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([`snapshot-conformance: ${f.doc}:${f.line(f.doc, 'nulable')}: schema #/components/schemas/SnapshotItem/properties/name: strict mode: unknown keyword: "nulable" (remove "nulable", or write it as an extension: x-nulable)`]);
});

test('the installed package checks a profile folder of the user', async () => {
  const pkg = await installedPackage();
  const clean = folder();
  const ok = await pkg.npx(['check', clean.dir]);
  expect(ok.stdout.trim(), ok.stderr).toBe(`no problems in acme-dws (${clean.dir})`);
  expect(ok.code).toBe(0);
  const f = folder({ clauses: [NEW_CLAUSE('DWS-LIST-09')], doc: [['    useAfterDelete: DWS-LIFE-06\n', '    useAfterDelete: DWS-LIFE-06\n    update: DWS-LIST-09\n']] });
  const broken = await pkg.npx(['check', f.dir]);
  expect(broken.stdout.trim().split('\n')[0]).toMatch(/MUST clause DWS-LIST-09 is judged by no test: named by lifecycle\.update, but the resource has no update operation/);
  expect(broken.code).toBe(1);
});
