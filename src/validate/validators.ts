// One ajv instance per profile and process (so once per Playwright worker), strict, all errors,
// formats on. Every schema the profile's operations name is compiled when the validators are built,
// so judging an exchange is only a call. A schema error is mapped back to the clause it breaks
// through the nearest x-clause in the document.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { resolvePointer, type Profile, type SchemaObject } from '../profile/load.ts';
import { escapePointer } from '../util/pointer.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/** Keywords of the OpenAPI document that are not JSON Schema; ajv must know them to stay strict. */
const NON_SCHEMA_KEYWORDS = [
  'openapi', 'info', 'servers', 'paths', 'components', 'tags', 'security', 'webhooks', 'jsonSchemaDialect',
  'x-conformance', 'example', 'x-clause', 'x-fixture', 'discriminator', 'xml', 'externalDocs',
];

export interface SchemaFailure {
  /** JSON pointer into the judged value. */
  pointer: string;
  keyword: string;
  message: string;
  /** The clause the broken constraint carries, if any (else the caller's clause applies). */
  clause?: string;
  schemaPointer?: string;
}

/**
 * The ajv instance a profile's schemas are compiled with, the document added under its id: the
 * run's validators and the profile check (src/profile/check.ts) compile alike.
 */
export function documentCompiler(profile: Profile): { ajv: Ajv2020; docId: string } {
  const docId = `profile:${profile.id}`;
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, verbose: true });
  addFormats(ajv);
  ajv.addVocabulary(NON_SCHEMA_KEYWORDS);
  // Vendors that count in bytes (Huawei EVS: "at most 255 bytes"): JSON Schema counts characters.
  ajv.addKeyword({
    keyword: 'x-maxBytes',
    type: 'string',
    schemaType: 'number',
    error: { message: (ctx) => `must NOT be longer than ${ctx.schema} bytes of UTF-8` },
    validate: (max: number, data: string) => utf8Bytes(data) <= max,
  });
  ajv.addSchema({ ...profile.doc, $id: docId });
  return { ajv, docId };
}

/** The body schemas of every operation, compiled when the validators are built. */
export function compiledAtStart(profile: Profile): string[] {
  return [...profile.operations.values()].flatMap((op) => [
    ...(op.requestBody ? [op.requestBody.schemaPointer] : []),
    ...[...op.responses.values()].flatMap((r) => (r.schemaPointer ? [r.schemaPointer] : [])),
  ]);
}

export class Validators {
  private readonly ajv: Ajv2020;
  private readonly docId: string;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly pointerOf = new WeakMap<object, string>();
  private readonly clausesCache = new Map<string, string[]>();

  constructor(private readonly profile: Profile) {
    const { ajv, docId } = documentCompiler(profile);
    this.ajv = ajv;
    this.docId = docId;
    indexPointers(profile.doc, '#', this.pointerOf);
    for (const pointer of compiledAtStart(profile)) this.compile(pointer);
  }

  private compile(schemaPointer: string): ValidateFunction {
    let fn = this.compiled.get(schemaPointer);
    if (!fn) {
      fn = this.ajv.getSchema(`${this.docId}${schemaPointer}`);
      if (!fn) throw new Error(`no schema at ${schemaPointer} in ${this.profile.file}`);
      this.compiled.set(schemaPointer, fn);
    }
    return fn;
  }

  /** Validates a value against the schema at a document pointer; [] when it conforms. */
  validate(schemaPointer: string, value: unknown): SchemaFailure[] {
    const fn = this.compile(schemaPointer);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => this.failure(e));
  }

  /** Validates against an inline schema (a header's, a parameter's); compiled once per object. */
  validateInline(schema: SchemaObject, value: unknown): SchemaFailure[] {
    const pointer = this.pointerOf.get(schema);
    if (pointer) return this.validate(pointer, value);
    const fn = this.ajv.compile(schema);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => this.failure(e));
  }

  /** Every clause a schema carries, following $refs: the clauses a valid value has shown to hold. */
  clausesIn(schemaPointer: string): string[] {
    let hit = this.clausesCache.get(schemaPointer);
    if (!hit) {
      hit = clausesIn(this.profile.doc, schemaPointer);
      this.clausesCache.set(schemaPointer, hit);
    }
    return hit;
  }

  private failure(e: ErrorObject): SchemaFailure {
    const parent = e.parentSchema as SchemaObject | undefined;
    const schemaPointer = parent ? this.pointerOf.get(parent) : undefined;
    let pointer = e.instancePath || '';
    if (e.keyword === 'required') pointer += `/${escapePointer(String(e.params.missingProperty))}`;
    if (e.keyword === 'additionalProperties') pointer += `/${escapePointer(String(e.params.additionalProperty))}`;
    if (e.keyword === 'unevaluatedProperties') pointer += `/${escapePointer(String(e.params.unevaluatedProperty))}`;
    return {
      pointer: pointer || '/',
      keyword: e.keyword,
      message: describeError(e),
      clause: schemaPointer ? clauseFor(this.profile.doc, schemaPointer, e.keyword) : undefined,
      schemaPointer,
    };
  }
}

function describeError(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `required member "${e.params.missingProperty}" is missing`;
    case 'additionalProperties':
      return `member "${e.params.additionalProperty}" is not documented`;
    case 'unevaluatedProperties':
      return `member "${e.params.unevaluatedProperty}" is not documented`;
    case 'enum':
      return `${JSON.stringify(e.data)} is not one of ${JSON.stringify(e.params.allowedValues)}`;
    case 'type':
      return `${JSON.stringify(e.data)} is not of type ${e.params.type}`;
    case 'x-maxBytes':
      return `${e.message} (got ${utf8Bytes(String(e.data))} bytes)`;
    default:
      return `${e.message ?? e.keyword}${e.data !== undefined && typeof e.data !== 'object' ? ` (got ${JSON.stringify(e.data)})` : ''}`;
  }
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const validatorsByProfile = new Map<string, Validators>();
/** The validators of a profile, built once per process. */
export function validatorsFor(profile: Profile): Validators {
  let v = validatorsByProfile.get(profile.id);
  if (!v) {
    v = new Validators(profile);
    validatorsByProfile.set(profile.id, v);
  }
  return v;
}

function indexPointers(node: unknown, pointer: string, into: WeakMap<object, string>) {
  if (!node || typeof node !== 'object') return;
  if (into.has(node)) return;
  into.set(node, pointer);
  for (const [key, child] of Object.entries(node)) indexPointers(child, `${pointer}/${escapePointer(key)}`, into);
}

/**
 * The clause of a broken keyword: the schema's own x-clause (a string, or a map keyword -> clause),
 * else the nearest ancestor's string x-clause.
 */
export function clauseFor(doc: object, schemaPointer: string, keyword: string): string | undefined {
  const own = resolvePointer(doc, schemaPointer)?.['x-clause'];
  if (typeof own === 'string') return own;
  if (own && typeof own === 'object' && typeof own[keyword] === 'string') return own[keyword];
  const parts = schemaPointer.split('/');
  for (let n = parts.length - 1; n > 1; n--) {
    const ancestor = resolvePointer(doc, parts.slice(0, n).join('/'));
    if (typeof ancestor?.['x-clause'] === 'string') return ancestor['x-clause'];
  }
  return undefined;
}

/** Every clause a schema carries, following $refs. */
export function clausesIn(doc: object, schemaPointer: string): string[] {
  const found = new Set<string>();
  collectClauses(doc, resolvePointer(doc, schemaPointer), found, new Set());
  return [...found];
}

function collectClauses(doc: object, node: any, into: Set<string>, seen: Set<object>) {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const own = node['x-clause'];
  if (typeof own === 'string') into.add(own);
  else if (own && typeof own === 'object') for (const c of Object.values(own)) into.add(String(c));
  if (typeof node.$ref === 'string') collectClauses(doc, resolvePointer(doc, node.$ref), into, seen);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'x-clause' || key === 'example' || key === 'examples') continue;
    collectClauses(doc, child, into, seen);
  }
}
