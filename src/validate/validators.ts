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
  /**
   * What is wrong, as a sentence that names the member and the rule and holds no value of the
   * answer ("`size` is missing", "an undocumented member `foo`"): the same defect reads the same
   * wherever it is seen.
   */
  rule: string;
  /** The rule and, where there is one, the value that broke it. */
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

/** The body schemas of every operation: what the profile check compiles, as the run would. */
export function bodySchemas(profile: Profile): string[] {
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
    // Each schema is compiled when it is first used: a process (each worker) pays only for what
    // its tests validate, and the profile check has compiled them all before a run.
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
    return withoutEchoes(fn.errors ?? []).map((e) => this.failure(e));
  }

  /** Validates against an inline schema (a header's, a parameter's); compiled once per object. */
  validateInline(schema: SchemaObject, value: unknown): SchemaFailure[] {
    const pointer = this.pointerOf.get(schema);
    if (pointer) return this.validate(pointer, value);
    const fn = this.ajv.compile(schema);
    return fn(value) ? [] : withoutEchoes(fn.errors ?? []).map((e) => this.failure(e));
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
    if (e.propertyName !== undefined) pointer += `/${escapePointer(e.propertyName)}`;
    const rule = describeRule(e);
    // The value that broke the rule, short, where it is a single value (not for a missing member).
    const scalar = e.data !== undefined && (typeof e.data !== 'object' || e.data === null) && !['required', 'additionalProperties', 'unevaluatedProperties'].includes(e.keyword);
    const got = e.keyword === 'x-maxBytes' ? ` (got ${utf8Bytes(String(e.data))} bytes)` : scalar ? ` (got ${clip(JSON.stringify(e.data))})` : '';
    return {
      pointer: pointer || '/',
      keyword: e.keyword,
      rule,
      message: `${rule}${got}`,
      clause: schemaPointer ? clauseFor(this.profile.doc, schemaPointer, e.keyword) : undefined,
      schemaPointer,
    };
  }
}

/**
 * The member a pointer names, in words: the path below the answer's wrapper ("/snapshots/0/size"
 * and "/snapshot/size" are both `size`, "/snapshot/metadata/k" is `metadata.k`), without array
 * indices; the whole value is "the body".
 */
export function memberOf(pointer: string): string | undefined {
  const named = pointer.split('/').slice(1).filter((s) => s !== '' && !/^\d+$/.test(s)).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!named.length) return undefined;
  return (named.length > 1 ? named.slice(1) : named).join('.');
}

const JSON_TYPE = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'number' ? (Number.isInteger(v) ? 'an integer' : 'a number') : `a ${typeof v}`);
const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
const list = (values: unknown[]) => (values.length > 8 ? `${values.slice(0, 8).map((v) => JSON.stringify(v)).join(', ')}, ...` : values.map((v) => JSON.stringify(v)).join(', '));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a schema error says is wrong, in the words of a reader of the API's documentation. */
function describeRule(e: ErrorObject): string {
  const at = memberOf(e.instancePath);
  const it = at ? `\`${at}\`` : 'the body';
  const inside = (name: string) => `\`${memberOf(`${e.instancePath}/${escapePointer(name)}`)}\``;
  const p = e.params as Record<string, any>;
  // A rule on the names of an object's members (propertyNames): the member is undocumented.
  if (e.propertyName !== undefined) return `an undocumented member ${inside(e.propertyName)}`;
  switch (e.keyword) {
    case 'required':
      return `${inside(String(p.missingProperty))} is missing`;
    case 'additionalProperties':
      return `an undocumented member ${inside(String(p.additionalProperty))}`;
    case 'unevaluatedProperties':
      return `an undocumented member ${inside(String(p.unevaluatedProperty))}`;
    case 'type': {
      const want = String(p.type).split(',').map(article).join(' or ');
      return `${it} is ${JSON_TYPE(e.data)}, not ${want}`;
    }
    case 'enum':
      return `${it} is not one of the documented values (${list(p.allowedValues)})`;
    case 'const':
      return `${it} is not ${JSON.stringify(p.allowedValue)}`;
    case 'format':
      return `${it} is not a valid ${p.format}`;
    case 'pattern':
      return `${it} does not match the documented pattern ${p.pattern}`;
    case 'maxLength':
      return `${it} is longer than ${plural(p.limit, 'character')}`;
    case 'minLength':
      return p.limit === 1 ? `${it} is empty` : `${it} is shorter than ${plural(p.limit, 'character')}`;
    case 'x-maxBytes':
      return `${it} is longer than ${e.schema} bytes of UTF-8`;
    case 'maximum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'exclusiveMinimum':
      return `${it} is ${p.comparison} ${p.limit}`.replace(/ is <= /, ' is above ').replace(/ is < /, ' is not below ').replace(/ is >= /, ' is below ').replace(/ is > /, ' is not above ');
    case 'multipleOf':
      return `${it} is not a multiple of ${p.multipleOf}`;
    case 'maxItems':
      return `${it} has more than ${plural(p.limit, 'item')}`;
    case 'minItems':
      return `${it} has fewer than ${plural(p.limit, 'item')}`;
    case 'uniqueItems':
      return `${it} has the same item twice`;
    case 'maxProperties':
      return `${it} has more than ${plural(p.limit, 'member')}`;
    case 'minProperties':
      return p.limit === 1 ? `${it} is empty` : `${it} has fewer than ${plural(p.limit, 'member')}`;
    case 'propertyNames':
      return `${it} has a member whose name is not documented`;
    case 'oneOf':
      return p.passingSchemas ? `${it} matches more than one of its documented forms` : `${it} matches none of its documented forms`;
    case 'anyOf':
      return `${it} matches none of its documented forms`;
    case 'not':
      return `${it} has a form the documentation rules out`;
    case 'dependentRequired':
      return `${inside(String(p.missingProperty))} is missing, as ${inside(String(p.property))} is there`;
    default:
      return `${it} breaks the documented rule "${e.keyword}"`;
  }
}

/** ajv repeats a broken rule on member names as a general error of its own: the particular ones say it. */
const withoutEchoes = (errors: ErrorObject[]) => (errors.some((e) => e.propertyName !== undefined) ? errors.filter((e) => e.keyword !== 'propertyNames') : errors);

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
