// Loads a profile: its OpenAPI document (the package's openapi/<id>.yaml, or a folder's), the
// x-conformance block in it and the clauses it points at. Everything is checked once (check.ts), so
// the rest of the engine can trust the shapes; a broken profile is a ProfileError with its first
// problem, one line with the file and line.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { escapePointer, getAt } from '../util/pointer.ts';
import type { Clause, ClauseFile, Conformance } from './schema.ts';
import { compileModel, type ProfileModel } from './model.ts';
import { documentOf, isBuiltIn, PACKAGE_ROOT, ProfileError, readText, readYaml } from './sources.ts';

export { PACKAGE_ROOT, ProfileError, profileIds } from './sources.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaObject = { [key: string]: any };

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: SchemaObject;
  example?: unknown;
  fixture?: string;
}
export interface HeaderSpec {
  name: string;
  required: boolean;
  clause?: string;
  schema: SchemaObject;
}
export interface ResponseSpec {
  status: string;
  /** JSON pointer (into the document) of the JSON body schema, when the answer has a body. */
  schemaPointer?: string;
  headers: HeaderSpec[];
  refusals: string[];
  /** The body may be empty (x-optional-body): the references disagree on whether there is one. */
  optionalBody: boolean;
}
export interface Operation {
  id: string;
  method: string;
  path: string;
  tags: string[];
  summary: string;
  clause?: string;
  creates?: string;
  deletes?: string;
  parameters: ParameterSpec[];
  requestBody?: { schemaPointer: string; required: boolean; example?: unknown };
  responses: Map<string, ResponseSpec>;
}

export interface Profile {
  id: string;
  title: string;
  file: string;
  doc: OpenAPIV3_1.Document & { [key: string]: any };
  /** What x-conformance says, compiled against the document (model.ts). */
  model: ProfileModel;
  clauseFile: ClauseFile;
  clauses: Map<string, Clause>;
  operations: Map<string, Operation>;
}

const cache = new Map<string, Profile>();
/** The profiles in the cache that were checked: by the build (kept sources) or by this process. */
const checked = new Set<string>();

/**
 * A profile by its id: as the build kept it (a shipped one), as check.ts kept it in this process
 * (a user's folder the CLI or the runner checked: loadCheckedProfile), or else read from its
 * sources as they are. The last is what a run's workers do, whose runner checked the folder: they
 * do not load the checker, which would cost each of them a good part of its start.
 */
export function loadProfile(id: string): Profile {
  const hit = cache.get(id) ?? fromKept(id);
  if (hit) return hit;
  const file = documentOf(id);
  const { doc, clauseFile } = readSources(file);
  const profile = assemble(id, file, doc, clauseFile);
  cache.set(id, profile);
  return profile;
}

/** Keeps a profile this process checked, for loadProfile to hand out. */
export function keepLoaded(profile: Profile): void {
  cache.set(profile.id, profile);
  checked.add(profile.id);
}

/** The profile where it is known to be checked (see `checked`); undefined where it is not. */
export function loadChecked(id: string): Profile | undefined {
  if (checked.has(id)) return cache.get(id);
  return cache.has(id) ? undefined : fromKept(id);
}

/** A shipped profile as the build checked and kept it, cached; undefined for another, or one changed since. */
function fromKept(id: string): Profile | undefined {
  if (!isBuiltIn(id)) return undefined;
  const file = documentOf(id);
  const kept = keptSources(id, file);
  if (!kept) return undefined;
  const profile = assemble(id, file, kept.doc, kept.clauseFile);
  cache.set(id, profile);
  checked.add(id);
  return profile;
}

/** A profile's document and clause file as they are, unchecked (see loadProfile). */
function readSources(file: string): Checked {
  const doc = readYaml(file) as Profile['doc'];
  const clauses = doc?.['x-conformance']?.clauses;
  if (typeof clauses !== 'string') throw new ProfileError(`${file}: not a profile document (snapshot-conformance check ${dirname(file)} says what to fix)`);
  return { doc, clauseFile: readYaml(resolve(dirname(file), clauses)) as ClauseFile };
}

/** A profile from its sources: clauses and operations indexed, and the model compiled unless told not to. */
export function assemble(id: string, file: string, doc: Profile['doc'], clauseFile: ClauseFile, compile = true): Profile {
  const profile = {
    id,
    title: doc.info?.title ?? id,
    file,
    doc,
    clauseFile,
    clauses: new Map(clauseFile.clauses.map((c) => [c.id, c])),
    operations: indexOperations(doc),
  } as Profile;
  if (compile) profile.model = compileModel(profile, doc['x-conformance'] as Conformance, dirname(file));
  return profile;
}

interface Checked {
  doc: Profile['doc'];
  clauseFile: ClauseFile;
}

/** Where checked profiles are kept as JSON (written by `npm run build`), by the hash of their sources. */
const CHECKED_DIR = join(PACKAGE_ROOT, 'dist', 'profiles');

/**
 * A shipped profile's document and clauses as the build checked and kept them. Parsing YAML and
 * checking the profile cost most of a process's start, so the build keeps each checked profile as
 * JSON with the hash of its sources; it is used as long as the sources are unchanged.
 */
function keptSources(id: string, file: string): Checked | undefined {
  const kept = join(CHECKED_DIR, `${id}.json`);
  if (!existsSync(kept)) return undefined;
  const snapshot = JSON.parse(readFileSync(kept, 'utf8')) as Checked & { hashes: Record<string, string> };
  const clausesPath = resolve(dirname(file), snapshot.doc['x-conformance']?.clauses ?? '');
  if (snapshot.hashes[key(file)] !== hash(readText(file)) || !existsSync(clausesPath) || snapshot.hashes[key(clausesPath)] !== hash(readText(clausesPath))) return undefined;
  return { doc: snapshot.doc, clauseFile: snapshot.clauseFile };
}

/** Keeps a shipped profile the build checked (see keptSources). */
export function keepChecked(profile: Profile, texts: Record<string, string>): void {
  mkdirSync(CHECKED_DIR, { recursive: true });
  const hashes = Object.fromEntries(Object.entries(texts).map(([file, text]) => [key(file), hash(text)]));
  writeFileSync(join(CHECKED_DIR, `${profile.id}.json`), JSON.stringify({ doc: profile.doc, clauseFile: profile.clauseFile, hashes }));
}

/** Sources are named relative to the package, wherever it was built. */
const key = (file: string) => relative(PACKAGE_ROOT, file);
const hash = (text: string) => createHash('sha1').update(text).digest('hex');

/** Follows a local $ref ("#/components/...") to the object it names. */
function deref<T = any>(doc: object, node: any): { node: T; pointer?: string } {
  let pointer: string | undefined;
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && Object.keys(node).length === 1) {
    pointer = node.$ref as string;
    node = resolvePointer(doc, pointer);
  }
  return { node, pointer };
}

export function resolvePointer(doc: object, ref: string): any {
  if (!ref.startsWith('#')) throw new ProfileError(`only local references are supported, not ${ref}`);
  const node = getAt(doc, ref.slice(1));
  if (node === undefined) throw new ProfileError(`unresolved reference ${ref}`);
  return node;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function indexOperations(doc: Profile['doc']): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const pointer = `#/paths/${escapePointer(path)}/${method}`;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => {
        const param = deref(doc, p).node;
        return {
          name: param.name,
          in: param.in,
          required: Boolean(param.required),
          schema: param.schema ?? {},
          example: param.example,
          fixture: param['x-fixture'],
        } satisfies ParameterSpec;
      });
      let requestBody: Operation['requestBody'];
      if (op.requestBody) {
        const body = deref(doc, op.requestBody);
        const base = body.pointer ?? `${pointer}/requestBody`;
        const media = body.node.content?.['application/json'];
        if (media?.schema) {
          requestBody = {
            schemaPointer: `${base}/content/application~1json/schema`,
            required: Boolean(body.node.required),
            example: media.example,
          };
        }
      }
      const responses = new Map<string, ResponseSpec>();
      for (const [status, raw] of Object.entries<any>(op.responses ?? {})) {
        const response = deref(doc, raw);
        const base = response.pointer ?? `${pointer}/responses/${status}`;
        const media = response.node.content?.['application/json'];
        const headers = Object.entries<any>(response.node.headers ?? {}).map(([name, h]) => {
          const header = deref(doc, h).node;
          return { name, required: Boolean(header.required), clause: header['x-clause'], schema: header.schema ?? {} };
        });
        responses.set(status, {
          status,
          schemaPointer: media?.schema ? `${base}/content/application~1json/schema` : undefined,
          headers,
          refusals: response.node['x-refusal'] ?? [],
          optionalBody: Boolean(response.node['x-optional-body']),
        });
      }
      operations.set(op.operationId, {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        tags: op.tags ?? [],
        summary: op.summary ?? op.operationId,
        clause: op['x-clause'],
        creates: op['x-creates'],
        deletes: op['x-deletes'],
        parameters,
        requestBody,
        responses,
      });
    }
  }
  return operations;
}

/** The operation an x-conformance entry names; a missing one is a broken profile. */
export function operation(profile: Profile, id: string): Operation {
  const op = profile.operations.get(id);
  if (!op) throw new ProfileError(`${profile.file}: x-conformance names operation "${id}", which the document lacks`);
  return op;
}

/** The operations judged by the profile: those tagged with x-conformance.subject. */
export function subjectOperations(profile: Profile): Operation[] {
  return [...profile.operations.values()].filter((op) => op.tags.includes(profile.model.subject));
}

/**
 * The base URL of a profile's server at an origin: the path of the document's first server URL, its
 * variables at their defaults (/v3/<project> for Cinder). What the embedded servers serve.
 */
export function embeddedBaseUrl(profileId: string, origin: string): string {
  const server = loadProfile(profileId).doc.servers?.[0];
  if (!server) throw new ProfileError(`profile ${profileId} documents no server URL`);
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(server.variables?.[name]?.default ?? name));
  return origin + new URL(url).pathname.replace(/\/$/, '');
}

/** The documented success status of an operation (its one 2xx). */
export function successStatus(op: Operation): number {
  const codes = [...op.responses.keys()].filter((s) => s.startsWith('2'));
  if (codes.length !== 1) throw new ProfileError(`operation ${op.id} must document exactly one 2xx answer`);
  return Number(codes[0]);
}

/** The documented statuses whose answers declare this refusal kind (x-refusal). */
export function refusalStatuses(op: Operation, kind: string): number[] {
  return [...op.responses.values()].filter((r) => r.refusals.includes(kind)).map((r) => Number(r.status));
}

export type { Clause, ClauseFile, Conformance };
