// `snapshot-conformance init`: a draft profile folder from a vendor's published document. It reads
// and bundles the document (read.ts), brings it to OpenAPI 3.1 (convert.ts), finds the operations
// (find.ts), drafts the profile and its clause stubs (draft.ts) and writes both files with their
// TODOs as comments (write.ts). `check` then says what is missing.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProfileError } from '../profile/sources.ts';
import { toOpenApi31 } from './convert.ts';
import { draftProfile } from './draft.ts';
import { readDocument } from './read.ts';
import type { Todo } from './stubs.ts';
import { ordered, yamlWithTodos } from './write.ts';

export interface InitRequest {
  document: string;
  resource: string;
  parent?: string;
  out?: string;
  id?: string;
  docsUrl?: string;
}

export interface InitResult {
  dir: string;
  profileId: string;
  files: string[];
  /** What init found, one line each. */
  found: string[];
  clauses: number;
  todos: Todo[];
}

const PROFILE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A profile id from a document's title: "DigitalOcean API" -> digitalocean. */
export function idFromTitle(title: unknown): string {
  const words = String(title ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !['api', 'the', 'rest', 'openapi', 'v1', 'v2', 'v3'].includes(w));
  return words.join('-') || 'draft';
}

export function initProfile(request: InitRequest): InitResult {
  if (request.id !== undefined && !PROFILE_ID.test(request.id)) throw new ProfileError(`--id "${request.id}" must be lower case letters, digits and hyphens`);
  if (request.docsUrl !== undefined && !/^https:\/\/\S+$/.test(request.docsUrl)) throw new ProfileError(`--docs-url must be an https:// address with {operationId} where the operation goes, not "${request.docsUrl}"`);
  const read = readDocument(request.document);
  const doc = toOpenApi31(read);
  const profileId = request.id ?? idFromTitle(doc.info?.title);
  const dir = resolve(request.out ?? profileId);
  for (const name of ['openapi.yaml', 'clauses.yaml']) if (existsSync(join(dir, name))) throw new ProfileError(`${join(dir, name)} is there already: give another --out, or remove it`);
  const draft = draftProfile(read, { resource: request.resource, parent: request.parent, profileId, docsUrl: request.docsUrl });
  const document = { ...draft.document, 'x-conformance': ordered(draft.document['x-conformance']) };
  const todos = draft.stubs.todos;
  const ids = draft.clauses.clauses.map((c: { id: string }) => c.id);
  const openapiText = yamlWithTodos(
    document,
    ` Profile ${profileId}, drafted by snapshot-conformance init from ${read.file} (resource ${request.resource}${request.parent ? `, parent ${request.parent}` : ''}).\n What the document does not tell is marked TODO where it belongs; snapshot-conformance check says what is missing.\n Format: docs/openapi-extensions.md.`,
    todos.filter((t) => t.file === 'openapi.yaml'),
  );
  const clausesText = yamlWithTodos(
    draft.clauses,
    ` Clause stubs of ${profileId}, drafted by snapshot-conformance init: one per documented constraint, operation and error status,\n and one per property of the lifecycle every profile has. Each text is the vendor's own words where the document\n has them (rewrite them in the project's words: docs/clauses.md); source is where they stand in ${read.file}'s files.`,
    todos.filter((t) => t.file === 'clauses.yaml').map((t) => ({ at: ['clauses', ids.indexOf(String(t.at[0])), ...t.at.slice(1)], text: t.text })),
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.yaml'), openapiText);
  writeFileSync(join(dir, 'clauses.yaml'), clausesText);
  return { dir, profileId, files: readdirSync(dir).filter((f) => f === 'openapi.yaml' || f === 'clauses.yaml'), found: draft.found, clauses: ids.length, todos };
}

/** The summary init prints: what it found, then every TODO with where it is (those said of many clauses once, with their ids). */
export function summary(result: InitResult): string {
  const lines: string[] = [];
  const ofClauses = new Map<string, string[]>();
  for (const t of result.todos) {
    if (t.file === 'openapi.yaml') lines.push(`openapi.yaml ${t.at.map(String).join(' > ')}: ${t.text}`);
    else {
      const key = `${t.at.slice(1).join('.')}: ${t.text}`;
      ofClauses.set(key, [...(ofClauses.get(key) ?? []), String(t.at[0])]);
    }
  }
  for (const [key, ids] of ofClauses) lines.push(`clauses.yaml ${ids.length === 1 ? ids[0] : `${ids.length} clauses (${ids.join(', ')})`}, ${key}`);
  return [
    `Drafted profile ${result.profileId} in ${result.dir}: openapi.yaml and clauses.yaml (${result.clauses} clause stubs).`,
    '',
    'Found:',
    ...result.found.map((f) => `  ${f}`),
    '',
    `TODO (${result.todos.length}, each a "# TODO:" comment where it belongs):`,
    ...lines.map((l) => `  ${l}`),
    '',
    `Next: edit the TODOs, then snapshot-conformance check ${result.dir}`,
  ].join('\n');
}
