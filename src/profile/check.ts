// The profile check: everything that can be known of a profile before a run, as a list of problems,
// each with its file and line (or the document's JSON pointer) and what to do about it. It never
// throws for a bad profile: it goes as far as each stage can and collects what it finds. The loader
// refuses a profile that checkDocument finds broken; `snapshot-conformance check` and the build add
// what a run would only show as clauses "not tested" (checkProfile).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { Kind, type TSchema } from '@sinclair/typebox';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { bodySchemas, documentCompiler } from '../validate/validators.ts';
import { escapePointer, getAt, keysOf } from '../util/pointer.ts';
import { assemble, keepLoaded, loadChecked, type Operation, type Profile } from './load.ts';
import { compileModel } from './model.ts';
import { ClauseFileSchema, ConformanceSchema, type ClauseFile, type Conformance } from './schema.ts';
import { documentOf, isBuiltIn, ProfileError, readText, resolveProfile } from './sources.ts';

export interface Problem {
  file: string;
  line?: number;
  col?: number;
  /** The place in the document as a JSON pointer, where it has no line (or to say which schema). */
  pointer?: string;
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface Checked {
  /** The profile's id: the one asked for, else its clause file's. */
  id?: string;
  problems: Problem[];
  /** The profile, when nothing is broken. */
  profile?: Profile;
  /** The texts of its files, by path (the build keeps the checked form by their hashes). */
  texts: Record<string, string>;
}

type Path = Array<string | number>;

/** One problem as the CLI prints it: file:line: message (fix), or file#/pointer: message (fix). */
export function problemLine(p: Problem, cwd = process.cwd()): string {
  const rel = relative(cwd, p.file);
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p.file;
  const at = p.line ? `:${p.line}${p.col ? `:${p.col}` : ''}` : p.pointer ? `#${p.pointer}` : '';
  return `${file}${at}: ${p.message} (${p.fix})`;
}

/** Each problem once (a response shared by many operations is one place); one YAML error per line. */
function distinct(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = p.col ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.pointer}:${p.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** A YAML file, parsed with its lines: where each member of its value is written. */
class Source {
  private readonly lines = new LineCounter();
  private readonly doc: Document;
  readonly problems: Problem[];
  readonly value: unknown;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines });
    // The first errors: after a syntax error, most of the rest follow from it.
    this.problems = this.doc.errors.slice(0, 3).map((e) => ({
      file,
      line: e.linePos?.[0].line,
      col: e.linePos?.[0].col,
      message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      fix: YAML_FIXES[e.code] ?? 'correct the YAML there',
    }));
    this.value = this.problems.length ? undefined : this.doc.toJS();
  }

  /** The line of the member at a path, or of the nearest one above it that is written. */
  line(path: Path): number {
    let node: unknown = this.doc.contents;
    let line = 1;
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: any;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        next = pair?.value;
        if (pair && isScalar(pair.key) && pair.key.range) line = this.lines.linePos(pair.key.range[0]).line;
        if (!pair) break;
      } else if (isSeq(node)) {
        next = node.items[Number(key)];
        if (!next) break;
        if (next.range) line = this.lines.linePos(next.range[0]).line;
      } else break;
      node = next;
    }
    return line;
  }

  problem(path: Path, message: string, fix: string, pointer?: string): Problem {
    return { file: this.file, line: this.line(path), pointer, message, fix };
  }
}

const YAML_FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'keep one of the two members',
  BAD_INDENT: 'indent it with spaces like its siblings, and close every bracket',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'close the quote or bracket',
  BLOCK_AS_IMPLICIT_KEY: 'quote the value, or put the nested member on a line of its own',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: look for a missing colon or quote on the line before',
  BAD_SCALAR_START: 'quote the value',
  UNEXPECTED_TOKEN: 'remove or quote the character there',
};

/** A path as the docs write it: x-conformance.lists.limit.param, clauses[3].level. */
const dotted = (path: Path) => path.map((k, i) => (typeof k === 'number' || /^\d+$/.test(String(k)) ? `[${k}]` : i ? `.${k}` : k)).join('');
const pointerOf = (path: Path) => `/${path.map(escapePointer).join('/')}`;
const isObject = (v: unknown): v is Record<string, any> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const listed = (names: Iterable<string>, max = 12) => {
  const all = [...names];
  return all.length > max ? `${all.slice(0, max).join(', ')}, ...` : all.join(', ');
};

// --- shapes (the TypeBox schemas of schema.ts) ---------------------------------------------------

const shapeChecker = new Ajv({ allErrors: true, strict: false, verbose: true });
const shapeValidators = new Map<TSchema, ReturnType<Ajv['compile']>>();

/** Every way a value breaks its TypeBox shape, each at the line of the member. */
function shapeProblems(source: Source, schema: TSchema, value: unknown, base: Path): Problem[] {
  let validate = shapeValidators.get(schema);
  if (!validate) shapeValidators.set(schema, (validate = shapeChecker.compile(schema)));
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A union that matches no branch is one problem, not one per branch.
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !unions.some((u) => e.schemaPath.startsWith(u))).map((e) => shapeProblem(source, e, base));
}

function shapeProblem(source: Source, e: ErrorObject, base: Path): Problem {
  const path = [...base, ...keysOf(e.instancePath)];
  const where = dotted(path) || 'the file';
  const parent = e.parentSchema as Record<string, any> | undefined;
  const shown = (v: unknown) => JSON.stringify(v);
  switch (e.keyword) {
    case 'additionalProperties': {
      const member = String(e.params.additionalProperty);
      return source.problem([...path, member], `unknown member ${dotted([...path, member])}`, `${where} has: ${listed(Object.keys(parent?.properties ?? {}), 40)}`);
    }
    case 'required':
      return source.problem(path, `${where} lacks its member ${e.params.missingProperty}`, `add ${e.params.missingProperty}${describeShape(parent?.properties?.[e.params.missingProperty])}`);
    case 'type':
      return source.problem(path, `${where} must be ${article(String(e.params.type))}, not ${shown(e.data)}`, `write ${article(String(e.params.type))} there`);
    case 'pattern':
      if (parent?.['x-names'] === 'clause') return source.problem(path, `${where}: ${shown(e.data)} is not a clause id`, 'a clause id looks like CV3-META-02: the profile, the area in capitals, two digits');
      return source.problem(path, `${where}: ${shown(e.data)} does not match ${e.params.pattern}`, 'change it to match');
    case 'anyOf': {
      const forms = e.schema as TSchema[];
      if (forms.every((f) => 'const' in f)) return source.problem(path, `${where} must be one of ${forms.map((f) => f.const).join(', ')}, not ${shown(e.data)}`, 'write one of them');
      return source.problem(path, `${where} is none of the forms it may take`, `write one of: ${forms.map((f) => describeForm(f)).join('; ')}`);
    }
    case 'const':
    case 'enum':
      return source.problem(path, `${where} must be ${shown(e.params.allowedValue ?? e.params.allowedValues)}, not ${shown(e.data)}`, 'write the value the docs give');
    case 'minLength':
      return source.problem(path, `${where} must not be empty`, 'give it a value');
    case 'minItems':
      return source.problem(path, `${where} needs at least ${e.params.limit} item(s)`, 'add them');
    default:
      return source.problem(path, `${where} ${e.message}${typeof e.data !== 'object' ? `, not ${shown(e.data)}` : ''}`, 'see docs/openapi-extensions.md and docs/clauses.md for its shape');
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function describeShape(schema: TSchema | undefined): string {
  if (!schema) return '';
  if (schema['x-names'] === 'clause') return ' (a clause id)';
  if (schema['x-names'] === 'operation') return ' (an operationId of the document)';
  if (schema.anyOf?.every((f: TSchema) => 'const' in f)) return ` (one of ${schema.anyOf.map((f: TSchema) => f.const).join(', ')})`;
  if (schema.type === 'object' && schema.properties) return ` (with ${Object.keys(schema.properties).filter((k) => schema.required?.includes(k)).join(', ') || 'its members'})`;
  return typeof schema.type === 'string' ? ` (${article(schema.type)})` : '';
}

function describeForm(schema: TSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema[Kind] === 'Object' || schema.type === 'object') return `an object with ${Object.keys(schema.properties ?? {}).filter((k) => schema.required?.includes(k)).join(' and ') || 'no required member'}`;
  return String(schema.type ?? schema[Kind] ?? 'a value');
}

/** Every string of a value its TypeBox shape marks as naming something (x-names), with its path. */
function namedIn(schema: TSchema, value: unknown, path: Path, kind: string, out: Array<{ path: Path; name: string }> = []) {
  if (schema['x-names'] === kind && typeof value === 'string') out.push({ path, name: value });
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined) ?? Object.values(schema.patternProperties ?? {})[0];
      if (sub) namedIn(sub as TSchema, child, [...path, key], kind, out);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => namedIn(schema.items as TSchema, item, [...path, i], kind, out));
  for (const branch of (schema.anyOf as TSchema[] | undefined) ?? []) namedIn(branch, value, path, kind, out);
  return out;
}

// --- the OpenAPI document ------------------------------------------------------------------------

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The JSON Schema 2020-12 keywords whose values are schemas, or maps or lists of schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_ONE = ['additionalProperties', 'items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/** The subschemas of a schema, each with the keys from the schema to it. */
function subschemas(schema: unknown): Array<[Path, Record<string, any>]> {
  if (!isObject(schema)) return [];
  const out: Array<[Path, Record<string, any>]> = [];
  for (const k of SCHEMA_MAPS) if (isObject(schema[k])) for (const [name, s] of Object.entries(schema[k])) if (isObject(s)) out.push([[k, name], s]);
  for (const k of SCHEMA_ONE) if (isObject(schema[k])) out.push([[k], schema[k]]);
  for (const k of SCHEMA_LISTS) if (Array.isArray(schema[k])) schema[k].forEach((s: unknown, i: number) => isObject(s) && out.push([[k, i], s]));
  return out;
}

interface Structure {
  problems: Problem[];
  /** The pointers of the document's schemas the run may compile. */
  schemas: string[];
}

/**
 * The document's structure as the loader reads it: every $ref resolves to something, no map is
 * given as a $ref (the loader would read `headers: {$ref}` as a header named "$ref"), parameters
 * are lists, and every operation has an operationId of its own. Also where its schemas are.
 */
function structure(source: Source, doc: Record<string, any>): Structure {
  const problems: Problem[] = [];
  const schemas: string[] = [];

  // Every $ref: local, and pointing at something.
  const refs = (node: unknown, path: Path) => {
    if (Array.isArray(node)) return node.forEach((v, i) => refs(v, [...path, i]));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const problem = badRef(value);
        if (problem) problems.push(source.problem([...path, key], problem.message, problem.fix));
      } else if (key !== 'example' && key !== 'examples' && key !== 'x-conformance') refs(value, [...path, key]);
    }
  };
  const badRef = (ref: string): { message: string; fix: string } | undefined => {
    if (!ref.startsWith('#')) return { message: `$ref ${ref} points outside the document`, fix: 'only references inside the document (#/...) are followed: move what it names into components' };
    if (getAt(doc, ref.slice(1) || '/') !== undefined) return undefined;
    const keys = keysOf(ref.slice(1));
    let n = keys.length - 1;
    while (n > 0 && getAt(doc, pointerOf(keys.slice(0, n))) === undefined) n--;
    const there = n > 0 ? getAt(doc, pointerOf(keys.slice(0, n))) : doc;
    const names = isObject(there) ? Object.keys(there) : [];
    return { message: `$ref ${ref} points at nothing: ${n ? `#${pointerOf(keys.slice(0, n))}` : 'the document'} has no ${keys[n]}`, fix: names.length ? `it has: ${listed(names)}` : 'correct the pointer' };
  };
  refs(doc, []);
  if (problems.length) return { problems, schemas };

  const deref = (node: any, path: Path): { node: any; path: Path } => {
    for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && hops < 20; hops++) {
      path = keysOf(node.$ref.slice(1));
      node = getAt(doc, pointerOf(path));
    }
    return { node, path };
  };
  const mapAt = (value: unknown, path: Path, what: string, fix: string) => {
    if (isObject(value) && '$ref' in value) problems.push(source.problem([...path, '$ref'], `a $ref where ${dotted(path.slice(-1))} must be a map of ${what}`, fix));
  };
  const schemaAt = (node: unknown, path: Path) => {
    if (isObject(node)) schemas.push(pointerOf(path));
  };
  const content = (node: any, path: Path) => {
    mapAt(node?.content, [...path, 'content'], 'media types to their schemas', 'write each media type with its schema, and $ref the schema: content: {application/json: {schema: {$ref: ...}}}');
    if (isObject(node?.content) && !('$ref' in node.content)) {
      for (const [media, m] of Object.entries<any>(node.content)) schemaAt(m?.schema, [...path, 'content', media, 'schema']);
    }
  };
  const headers = (node: any, path: Path) => {
    mapAt(node?.headers, [...path, 'headers'], 'header names to headers', 'name each header and $ref it alone: headers: {X-Request-Id: {$ref: ...}}');
    if (!isObject(node?.headers) || '$ref' in node.headers) return;
    for (const [name, raw] of Object.entries(node.headers)) {
      const h = deref(raw, [...path, 'headers', name]);
      schemaAt(h.node?.schema, [...h.path, 'schema']);
    }
  };
  const response = (raw: unknown, path: Path) => {
    const r = deref(raw, path);
    headers(r.node, r.path);
    content(r.node, r.path);
  };
  const parameters = (list: unknown, path: Path) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push(source.problem(path, `${dotted(path.slice(-1))} must be a list of parameters${isObject(list) && '$ref' in list ? ', not a $ref' : ''}`, 'write a list, each parameter (or its $ref) an item: parameters: [{$ref: ...}]'));
      return;
    }
    list.forEach((raw, i) => {
      const p = deref(raw, [...path, i]);
      schemaAt(p.node?.schema, [...p.path, 'schema']);
    });
  };

  mapAt(doc.paths, ['paths'], 'paths to path items', 'write each path with its operations');
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries<any>(isObject(doc.paths) && !('$ref' in doc.paths) ? doc.paths : {})) {
    const base = ['paths', path];
    if (isObject(item) && typeof item.$ref === 'string') problems.push(source.problem([...base, '$ref'], `the path item ${path} is a $ref, which the suite does not follow`, 'write its operations under the path'));
    parameters(item?.parameters, [...base, 'parameters']);
    for (const method of METHODS) {
      const op = item?.[method];
      if (!isObject(op)) continue;
      const opPath = [...base, method];
      const id = op.operationId;
      if (typeof id !== 'string' || !id) problems.push(source.problem(opPath, `${method.toUpperCase()} ${path} has no operationId`, 'give it one: x-conformance and the report name operations by it'));
      else if (ids.has(id)) problems.push(source.problem([...opPath, 'operationId'], `operationId ${id} is also that of ${ids.get(id)}`, 'give each operation an id of its own'));
      else ids.set(id, `${method.toUpperCase()} ${path}`);
      parameters(op.parameters, [...opPath, 'parameters']);
      if (op.requestBody) {
        const body = deref(op.requestBody, [...opPath, 'requestBody']);
        content(body.node, body.path);
      }
      mapAt(op.responses, [...opPath, 'responses'], 'statuses to responses', "write each status with its response, and $ref the response: responses: {'404': {$ref: ...}}");
      if (isObject(op.responses) && !('$ref' in op.responses)) for (const [status, raw] of Object.entries(op.responses)) response(raw, [...opPath, 'responses', status]);
    }
  }
  const components = isObject(doc.components) ? doc.components : {};
  for (const [section, value] of Object.entries(components)) {
    mapAt(value, ['components', section], `names to ${section}`, `name each of them under components.${section}`);
  }
  if (!('$ref' in (components.responses ?? {}))) for (const [name, r] of Object.entries(components.responses ?? {})) response(r, ['components', 'responses', name]);
  if (!('$ref' in (components.schemas ?? {}))) for (const name of Object.keys(components.schemas ?? {})) schemaAt(components.schemas[name], ['components', 'schemas', name]);

  // A schema's map of properties given as a $ref: a property named "$ref".
  const seen = new Set<object>();
  const walk = (schema: Record<string, any>, path: Path) => {
    if (seen.has(schema)) return;
    seen.add(schema);
    for (const k of SCHEMA_MAPS) mapAt(schema[k], [...path, k], k === 'properties' ? 'member names to their schemas' : 'names to schemas', `$ref each member's schema: ${k}: {name: {$ref: ...}}`);
    for (const [keys, child] of subschemas(schema)) walk(child, [...path, ...keys]);
  };
  for (const pointer of schemas) walk(getAt(doc, pointer) as Record<string, any>, keysOf(pointer));
  return { problems, schemas };
}

/**
 * Compiles the document's schemas as the run does (src/validate/validators.ts), and reports each
 * one ajv refuses at the document pointer of the schema at fault, not a pointer into the schema
 * compiled: a refused schema is narrowed down to the deepest of its subschemas (or the schema a
 * $ref names) that is refused too.
 */
function compileProblems(source: Source, compiler: ReturnType<typeof documentCompiler>, doc: object, roots: string[]): Problem[] {
  const { ajv, docId } = compiler;
  const failure = new Map<string, string | undefined>();
  const fails = (pointer: string): string | undefined => {
    if (!failure.has(pointer)) {
      try {
        ajv.getSchema(`${docId}#${pointer}`);
        failure.set(pointer, undefined);
      } catch (error) {
        failure.set(pointer, firstLine(error));
      }
    }
    return failure.get(pointer);
  };
  const culprits = new Map<string, string>();
  const narrow = (pointer: string, seen: Set<string>) => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    const schema = getAt(doc, pointer);
    const children = subschemas(schema).map(([keys]) => `${pointer}/${keys.map(escapePointer).join('/')}`);
    if (isObject(schema) && typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) children.push(schema.$ref.slice(1));
    const failing = children.filter((c) => fails(c));
    if (failing.length) for (const c of failing) narrow(c, seen);
    else culprits.set(pointer, fails(pointer)!);
  };
  for (const root of roots) if (fails(root)) narrow(root, new Set());
  return [...culprits].map(([pointer, message]) => {
    const text = message.replace(/ at "[^"]*"( \(\w+\))?$/, '').replace(/ ignored in schema at path "[^"]*"$/, '');
    return source.problem(keysOf(pointer), `schema #${pointer}: ${text}`, schemaFix(text), `#${pointer}`);
  });
}

function schemaFix(message: string): string {
  const keyword = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
  if (keyword) return `remove "${keyword}", or write it as an extension: x-${keyword}`;
  const typed = /missing type "(\w+)" for keyword "([^"]+)"/.exec(message);
  if (typed) return `add type: ${typed[1]} beside ${typed[2]}`;
  const required = /required property "([^"]+)" is not defined/.exec(message)?.[1];
  if (required) return `define ${required} under properties, or take it out of required`;
  if (/unknown format/.test(message)) return 'use a format ajv-formats knows (uuid, date-time, uri, email, ...), or none';
  if (/regular expression/i.test(message)) return 'correct the pattern: a JavaScript regular expression with the u flag';
  return 'correct the schema there: ajv compiles JSON Schema 2020-12 in strict mode';
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!;

// --- what x-conformance names --------------------------------------------------------------------

/** The operations a query parameter named at a path of x-conformance belongs to. */
function queryOps(profile: Profile, path: Path): Operation[] {
  const c = profile.doc['x-conformance'];
  const op = (id: unknown) => (typeof id === 'string' ? profile.operations.get(id) : undefined);
  const keys = path.slice(1).map(String);
  if (keys[0] === 'lists' && keys[1] === 'byParent') return [op(c.lists.byParent.operation)].filter((o): o is Operation => Boolean(o));
  if (keys[0] === 'fixtures') return [op(c.fixtures.parent.list?.operation)].filter((o): o is Operation => Boolean(o));
  const list = op(c.resource?.operations?.list);
  const detail = op(c.resource?.operations?.listDetail);
  // Paging and sort go to the list; filters (and what later microversions bring) to either list.
  const pagingOnly = keys[0] === 'lists' && keys[1] !== 'filters';
  return [list, ...(pagingOnly ? [] : [detail])].filter((o): o is Operation => Boolean(o));
}

/** Whether a schema has a member at a path; undefined where the schema does not say (open, or no properties). */
function hasMember(doc: object, schema: unknown, keys: string[], seen = new Set<unknown>()): boolean | undefined {
  for (let hops = 0; isObject(schema) && typeof schema.$ref === 'string' && hops < 20; hops++) schema = getAt(doc, schema.$ref.slice(1));
  if (!keys.length) return true;
  if (!isObject(schema) || seen.has(schema)) return undefined;
  seen.add(schema);
  const [key, ...rest] = keys as [string, ...string[]];
  const branches = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  const answers: Array<boolean | undefined> = [];
  if (isObject(schema.properties) && key in schema.properties) answers.push(hasMember(doc, schema.properties[key], rest, seen));
  if (key === '*' || /^\d+$/.test(key)) {
    if (isObject(schema.items)) answers.push(hasMember(doc, schema.items, rest, seen));
    if (isObject(schema.additionalProperties)) answers.push(hasMember(doc, schema.additionalProperties, rest, seen));
  }
  for (const b of branches) answers.push(hasMember(doc, b, keys, seen));
  if (answers.includes(true)) return true;
  if (answers.includes(undefined)) return undefined;
  const closed = isObject(schema.properties) || schema.additionalProperties === false || branches.length > 0;
  return closed ? false : undefined;
}

/** The success answer's schema of an operation: its one 2xx with a JSON body. */
function successSchema(op: Operation): string | undefined {
  const ok = [...op.responses.values()].filter((r) => r.status.startsWith('2'));
  return ok.length === 1 ? ok[0]!.schemaPointer : undefined;
}

function namesProblems(source: Source, profile: Profile, clauseIds: Set<string>, clauseFile: string, folder: string): Problem[] {
  const problems: Problem[] = [];
  const doc = profile.doc;
  const c = doc['x-conformance'];
  const base: Path = ['x-conformance'];
  const ops = profile.operations;

  if (![...ops.values()].some((op) => op.tags.includes(c.subject))) {
    problems.push(source.problem([...base, 'subject'], `no operation is tagged ${c.subject}`, `tag the operations the profile judges: tags: [${c.subject}]`));
  }
  const named = namedIn(ConformanceSchema, c, base, 'operation');
  for (const { path, name } of named) {
    if (!ops.has(name)) problems.push(source.problem(path, `${dotted(path)} names operation ${name}, which the document lacks`, `operations: ${listed(ops.keys())}`));
  }
  // Every operation the suite answers for documents one success status.
  const judged = new Set([...[...ops.values()].filter((op) => op.tags.includes(c.subject)).map((op) => op.id), ...named.map((n) => n.name)]);
  for (const id of judged) {
    const op = ops.get(id);
    if (!op) continue;
    const ok = [...op.responses.keys()].filter((s) => s.startsWith('2'));
    if (ok.length !== 1) problems.push(source.problem(operationPath(op, 'responses'), `operation ${id} documents ${ok.length ? `${ok.length} success statuses (${ok.join(', ')})` : 'no success status'}`, 'document exactly one 2xx answer: the status a request that succeeds gets'));
    const example = op.requestBody && !op.requestBody.example;
    if (example && op.tags.includes(c.subject)) problems.push(source.problem(operationPath(op, 'requestBody'), `operation ${id} has a request body without an example`, 'give content.application/json.example: the suite derives its requests from it'));
  }
  // Clause ids: x-conformance's, and every x-clause of the document.
  for (const { path, name } of clauseNames(doc)) {
    if (!clauseIds.has(name)) problems.push(source.problem(path, `${path[0] === 'x-conformance' ? dotted(path) : 'x-clause'} names clause ${name}, which ${relativeTo(folder, clauseFile)} does not define`, 'define it in the clause file, or name one of its clauses'));
  }
  // Query parameters, on the list each belongs to.
  for (const { path, name } of namedIn(ConformanceSchema, c, base, 'query')) {
    const on = queryOps(profile, path);
    if (!on.length || on.some((op) => op.parameters.some((p) => p.in === 'query' && p.name === name))) continue;
    const params = [...new Set(on.flatMap((op) => op.parameters.filter((p) => p.in === 'query').map((p) => p.name)))];
    problems.push(source.problem(path, `${dotted(path)} names query parameter ${name}, which ${on.map((op) => op.id).join(' and ')} ${on.length > 1 ? 'do' : 'does'} not document`, params.length ? `its query parameters: ${listed(params)}` : `document it in the parameters of ${on[0]!.id}`));
  }
  // Members and pointers, in the answers that carry them.
  const answer = (id: unknown) => (typeof id === 'string' && ops.get(id) ? successSchema(ops.get(id)!) : undefined);
  const member = (path: Path, value: unknown, schemaPointer: string | undefined, under: string[] = [], what = 'answer') => {
    if (typeof value !== 'string' || !schemaPointer) return;
    const keys = [...under, ...(value.startsWith('/') ? keysOf(value) : [value])];
    if (hasMember(doc, getAt(doc, schemaPointer.replace(/^#/, '')), keys) === false) problems.push(source.problem(path, `${dotted(path)}: ${value} is not in the ${what}`, `name a member its schema documents${under.length ? ` under ${under.join('.')}` : ''}`));
  };
  const r = c.resource;
  const writesAnswerOperation = (id: string) => Array.isArray(c.operations?.writes) && c.operations.writes.includes(id);
  if (!writesAnswerOperation(r.operations.create)) member([...base, 'resource', 'id'], r.id, answer(r.operations.create), [], `answer of ${r.operations.create}`);
  const show = answer(r.operations.show);
  const wrapped = r.wrapper ? [r.wrapper] : [];
  if (r.wrapper) member([...base, 'resource', 'wrapper'], r.wrapper, show, [], `answer of ${r.operations.show}`);
  for (const [field, value] of Object.entries(r.fields ?? {})) member([...base, 'resource', 'fields', field], value, show, wrapped, `answer of ${r.operations.show}`);
  const list = (spec: any, path: Path, opId: unknown) => {
    const schema = answer(opId);
    const at = `answer of ${opId}`;
    member([...path, 'items'], spec.items, schema, [], at);
    member([...path, 'links'], spec.links, schema, [], at);
    member([...path, 'count', 'member'], spec.count?.member, schema, [], at);
    member([...path, 'total', 'at'], spec.total?.at, schema, [], at);
    member([...path, 'next', 'at'], spec.next?.at, schema, [], at);
  };
  list(c.lists, [...base, 'lists'], r.operations.list);
  if (c.lists.byParent) list(c.lists.byParent, [...base, 'lists', 'byParent'], c.lists.byParent.operation);
  const p = c.fixtures.parent;
  const parent = [...base, 'fixtures', 'parent'];
  if (p.create) member([...parent, 'id'], p.id, answer(p.create), [], `answer of ${p.create}`);
  member([...parent, 'status'], p.status, answer(p.show), [], `answer of ${p.show}`);
  if (p.list) list(p.list, [...parent, 'list'], p.list.operation);
  // Lookups: the list at `items` of their operation's answer, and `take` in its items.
  const lookup = (spec: any, path: Path) => {
    member([...path, 'items'], spec.items, answer(spec.operation), [], `answer of ${spec.operation}`);
    if (typeof spec.items === 'string') member([...path, 'take'], spec.take, answer(spec.operation), [...keysOf(spec.items.startsWith('/') ? spec.items : `/${spec.items}`), '0'], `items of ${spec.operation}`);
  };
  if (p.discover) lookup(p.discover, [...parent, 'discover']);
  (p.lookups ?? []).forEach((l: unknown, i: number) => lookup(l, [...parent, 'lookups', i]));
  (c.preconditions ?? []).forEach((pre: any, i: number) => (pre.parent?.lookups ?? []).forEach((l: unknown, j: number) => lookup(l, [...base, 'preconditions', i, 'parent', 'lookups', j])));
  const envelope = typeof c.envelope.schema === 'string' && c.envelope.schema.startsWith('#') ? c.envelope.schema.slice(1) : undefined;
  if (envelope === undefined || getAt(doc, envelope) === undefined) {
    problems.push(source.problem([...base, 'envelope', 'schema'], `x-conformance.envelope.schema ${c.envelope.schema} names no schema of the document`, 'give the pointer of the error schema: #/components/schemas/<name>'));
  } else {
    member([...base, 'envelope', 'status', 'at'], c.envelope.status?.at, envelope, [], 'error envelope');
    member([...base, 'envelope', 'names', 'at'], c.envelope.names?.at, envelope, [], 'error envelope');
  }
  // The profile folder's modules.
  for (const [name, file] of Object.entries<string>(c.modules ?? {})) {
    if (!existsSync(resolve(folder, file))) problems.push(source.problem([...base, 'modules', name], `x-conformance.modules.${name} names ${file}, which is not there (${resolve(folder, file)})`, "give the module's path relative to the document"));
  }
  return problems;
}

function operationPath(op: Operation, ...more: string[]): Path {
  return ['paths', op.path, op.method.toLowerCase(), ...more];
}

/** Every clause id the document names: in x-conformance, and every x-clause (a string, or a map keyword -> clause). */
function clauseNames(doc: Record<string, any>): Array<{ path: Path; name: string; keyword?: string }> {
  const out: Array<{ path: Path; name: string; keyword?: string }> = [];
  const walk = (node: unknown, path: Path) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-conformance' && !path.length) continue;
      if (key === 'x-clause') {
        if (typeof value === 'string') out.push({ path: [...path, key], name: value });
        else if (isObject(value)) for (const [kw, id] of Object.entries(value)) out.push({ path: [...path, key, kw], name: String(id), keyword: kw });
      } else if (key !== 'example' && key !== 'examples') walk(value, [...path, key]);
    }
  };
  walk(doc, []);
  for (const { path, name } of namedIn(ConformanceSchema, doc['x-conformance'], ['x-conformance'], 'clause')) out.unshift({ path, name });
  return out;
}

const relativeTo = (folder: string, file: string) => relative(folder, file) || file;

// --- the checks ----------------------------------------------------------------------------------

/**
 * Checks what a run needs of a profile: both files parse, their shapes hold, the document's
 * structure is what the loader reads, every schema compiles as the run compiles it, and everything
 * x-conformance names exists (operations, parameters, members, clauses, modules) and compiles into
 * the model (model.ts). `id`: the profile's id, where it is known (a shipped profile's).
 */
export function checkDocument(file: string, options: { id?: string } = {}): Checked {
  const texts: Record<string, string> = {};
  const done = (problems: Problem[], id = options.id, profile?: Profile): Checked => ({ id, problems: distinct(problems), profile: problems.length ? undefined : profile, texts });
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return done([{ file, message: firstLine(error).replace(`${file}: `, ''), fix: 'give the path of a profile document' }]);
  }
  texts[file] = text;
  const source = new Source(file, text);
  if (source.problems.length) return done(source.problems);
  const doc = source.value;
  if (!isObject(doc) || !isObject(doc['x-conformance'])) {
    return done([source.problem([], 'not a profile document: it has no x-conformance block', 'add one (docs/openapi-extensions.md)')]);
  }
  const problems: Problem[] = [];
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) {
    problems.push(source.problem(['openapi'], `the document is OpenAPI ${doc.openapi ?? '(no version)'}, not 3.1`, "write openapi: 3.1.0: the suite reads schemas as JSON Schema 2020-12, OpenAPI 3.1's"));
  }
  const conformance = doc['x-conformance'];
  const shape = shapeProblems(source, ConformanceSchema, conformance, ['x-conformance']);
  problems.push(...shape);

  // The clause file it names.
  const folder = dirname(file);
  let clauseFile: ClauseFile | undefined;
  let clausePath: string | undefined;
  let clauseSource: Source | undefined;
  if (typeof conformance.clauses === 'string' && conformance.clauses) {
    clausePath = resolve(folder, conformance.clauses);
    if (!existsSync(clausePath)) {
      problems.push(source.problem(['x-conformance', 'clauses'], `x-conformance.clauses names ${conformance.clauses}, which is not there (${clausePath})`, 'give the path of the clause file, relative to the document'));
    } else {
      clauseSource = new Source(clausePath, (texts[clausePath] = readText(clausePath)));
      problems.push(...clauseSource.problems);
      const value = clauseSource.value;
      if (!clauseSource.problems.length) {
        const clauseShape = shapeProblems(clauseSource, ClauseFileSchema, value, []);
        problems.push(...clauseShape);
        if (!clauseShape.length) clauseFile = value as ClauseFile;
      }
    }
  }
  const id = options.id ?? (typeof (clauseSource?.value as any)?.profile === 'string' ? (clauseSource!.value as any).profile : undefined);
  const clauseIds = new Set<string>();
  if (clauseFile && clauseSource) {
    if (options.id && clauseFile.profile !== options.id) {
      problems.push(clauseSource.problem(['profile'], `the clause file is of profile ${clauseFile.profile}, not ${options.id}`, `write profile: ${options.id}`));
    } else if (!/^[a-z0-9][a-z0-9-]*$/.test(clauseFile.profile)) {
      problems.push(clauseSource.problem(['profile'], `profile ${clauseFile.profile} is not a profile id`, 'lower case letters, digits and hyphens, such as acme-block'));
    }
    clauseFile.clauses.forEach((clause, i) => {
      if (clauseIds.has(clause.id)) problems.push(clauseSource!.problem(['clauses', i, 'id'], `clause ${clause.id} is defined twice`, 'give the second its own number (clause numbers are never reused)'));
      clauseIds.add(clause.id);
    });
  }

  // The document as the loader reads it, and its schemas as the run compiles them.
  const { problems: structural, schemas } = structure(source, doc);
  problems.push(...structural);
  if (structural.length) return done(problems, id);
  let profile: Profile;
  try {
    // Without its clauses (a broken clause file), the document's schemas are still checked.
    profile = assemble(id ?? 'profile', file, doc as Profile['doc'], clauseFile ?? { profile: id ?? 'profile', title: '', system: '', clauses: [] }, false);
  } catch (error) {
    return done([...problems, source.problem([], `the document cannot be read: ${firstLine(error)}`, 'correct what the message names')], id);
  }
  const bare = (pointer: string) => (pointer.startsWith('#') ? pointer.slice(1) : pointer);
  const envelope = typeof conformance.envelope?.schema === 'string' ? [bare(conformance.envelope.schema)] : [];
  const roots = [...new Set([...bodySchemas(profile), ...schemas, ...envelope].map(bare))];
  let compiler;
  try {
    compiler = documentCompiler(profile);
  } catch (error) {
    return done([...problems, source.problem([], `the document cannot be read as a JSON Schema 2020-12 resource: ${firstLine(error)}`, 'correct what the message names')], id);
  }
  const compiled = compileProblems(source, compiler, doc, roots.filter((r) => getAt(doc, r) !== undefined));
  problems.push(...compiled);
  if (!compiled.length) problems.push(...exampleProblems(source, profile, compiler));
  if (shape.length || !clauseFile) return done(problems, id);

  // What x-conformance names, and the model compiled from it.
  const named = namesProblems(source, profile, clauseIds, clausePath!, folder);
  problems.push(...named);
  if (problems.length) return done(problems, id);
  try {
    profile.model = compileModel(profile, conformance as Conformance, folder);
  } catch (error) {
    problems.push(modelProblem(source, error, file));
  }
  return done(problems, id, profile);
}

/**
 * A profile as a run may start with: a shipped one the build checked, or its sources checked now
 * and kept for loadProfile; a broken one is a ProfileError with its first problem. What a user
 * names is checked so by the process that reads it first (the CLI, or Playwright's runner).
 */
export function loadCheckedProfile(id: string): Profile {
  const known = loadChecked(id);
  if (known) return known;
  const file = documentOf(id);
  const { problems, profile } = checkDocument(file, { id });
  if (!profile) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: snapshot-conformance check ${isBuiltIn(id) ? id : dirname(file)})` : '';
    throw new ProfileError(`${problemLine(problems[0]!)}${more}`);
  }
  keepLoaded(profile);
  return profile;
}

/** The profile a user named (an id, or the path of a folder), checked: its id. */
export function resolveCheckedProfile(ref: string, cwd = process.cwd()): string {
  const id = resolveProfile(ref, cwd);
  loadCheckedProfile(id);
  return id;
}

/** Each subject operation's request example validates against its schema: the suite starts from it. */
function exampleProblems(source: Source, profile: Profile, { ajv, docId }: ReturnType<typeof documentCompiler>): Problem[] {
  const out: Problem[] = [];
  for (const op of profile.operations.values()) {
    const body = op.requestBody;
    if (!body || body.example === undefined) continue;
    const validate = ajv.getSchema(`${docId}${body.schemaPointer}`)!;
    if (validate(body.example)) continue;
    const e = validate.errors![0]!;
    const mediaPath = [...keysOf(body.schemaPointer.slice(1)).slice(0, -1), 'example'];
    out.push(source.problem(mediaPath, `the example of ${op.id}'s request body is not valid: ${e.instancePath || '/'} ${e.message}`, 'make the example valid: the suite derives its requests from it'));
  }
  return out;
}

/** An error of the model's compilation (a ProfileError says what), at the member of x-conformance it names. */
function modelProblem(source: Source, error: unknown, file: string): Problem {
  const text = firstLine(error);
  const message = error instanceof ProfileError ? (text.startsWith(`${file}: `) ? text.slice(file.length + 2) : text) : `x-conformance cannot be compiled against the document: ${text}`;
  const member = /x-conformance(\.[\w.]+)/.exec(message)?.[1];
  const path = member ? ['x-conformance', ...member.slice(1).split('.')] : ['x-conformance'];
  return source.problem(path, message, 'see docs/openapi-extensions.md for what the combination needs');
}

/**
 * Everything that can be known before a run: what checkDocument checks, and then that every
 * clause of the clause file is named by the document, that every MUST clause is judged by some
 * test the suite registers for the profile (else the clause and why), and that the names the run
 * gives follow the profile's rule for names.
 */
export async function checkProfile(file: string, options: { id?: string } = {}): Promise<Checked> {
  const checked = checkDocument(file, options);
  const profile = checked.profile;
  if (!profile) return checked;
  const clauseSource = new Source(resolve(dirname(file), profile.doc['x-conformance'].clauses), checked.texts[resolve(dirname(file), profile.doc['x-conformance'].clauses)]!);
  const docSource = new Source(file, checked.texts[file]!);
  const problems: Problem[] = [];
  const names = clauseNames(profile.doc);
  const placesOf = new Map<string, typeof names>();
  for (const n of names) placesOf.set(n.name, [...(placesOf.get(n.name) ?? []), n]);

  let judged: Set<string>;
  let lacking: Map<string, string[]>;
  try {
    const { judgedClauses } = await import('../../suites/plan.ts');
    ({ judged, lacking } = judgedClauses(profile));
  } catch (error) {
    return { ...checked, profile: undefined, problems: [docSource.problem(['x-conformance'], `the suite cannot plan its tests for the profile: ${firstLine(error)}`, 'correct what the message names')] };
  }
  profile.clauseFile.clauses.forEach((clause, i) => {
    const places = placesOf.get(clause.id);
    if (!places) {
      problems.push(clauseSource.problem(['clauses', i, 'id'], `clause ${clause.id} is named by nothing in the document: no test can judge it`, 'name it where it is checked (x-clause on the constraint or operation, or a member of x-conformance: docs/openapi-extensions.md), or remove it'));
      return;
    }
    if (clause.level !== 'MUST' || judged.has(clause.id)) return;
    const where = places.map((p) => placeName(profile, p)).join('; ');
    const why = lacking.get(clause.id);
    const because = why ? `, but ${[...new Set(why)].join('; and ')}` : where.includes(', which ') ? '' : ', which no test of the suite judges';
    problems.push(
      clauseSource.problem(
        ['clauses', i, 'id'],
        `MUST clause ${clause.id} is judged by no test: named by ${where}${because}`,
        why ? 'give the profile what that test needs, or name the clause where a test judges it' : 'name it where a test judges it (docs/openapi-extensions.md), or make it SHOULD if no test can',
      ),
    );
  });
  problems.push(...(await namesRuleProblems(docSource, profile)));
  return { ...checked, problems, profile: problems.length ? undefined : profile };
}

/** Where a clause is named, as the problem says it: lists.total, x-clause of operation listSnapshots, ... */
function placeName(profile: Profile, place: { path: Path; keyword?: string }): string {
  const path = place.path;
  if (path[0] === 'x-conformance') return dotted((path.at(-1) === 'clause' ? path.slice(1, -1) : path.slice(1)) as Path);
  const owner = path.slice(0, path.indexOf('x-clause'));
  const pointer = `#${pointerOf(owner)}`;
  const keyword = place.keyword ? ` (${place.keyword})` : '';
  if (owner[0] === 'paths' && owner.length === 3) {
    const op = [...profile.operations.values()].find((o) => o.path === owner[1] && o.method.toLowerCase() === owner[2]);
    if (op && !op.tags.includes(profile.model.subject)) return `x-clause of operation ${op.id}, which is not tagged ${profile.model.subject} (only those are judged)`;
    return `x-clause of operation ${op?.id ?? pointer}`;
  }
  return `x-clause${keyword} of ${pointer}`;
}

/** The names the run gives (sc-<run id>-w0-12, its prefix in the rule's case) follow the profile's rule. */
async function namesRuleProblems(source: Source, profile: Profile): Promise<Problem[]> {
  const rule = profile.model.names;
  if (!rule.case && !rule.maxLength && !rule.pattern) return [];
  const { runPrefix } = await import('../resources/sweep.ts');
  const { newRunId } = await import('../run/settings.ts');
  // A run id of the form the run gives, its random part fixed so that the message is the same each time.
  const runId = `${newRunId(new Date(Date.UTC(2026, 0, 1))).slice(0, -4)}0a1b`;
  const name = `${runPrefix(runId, rule)}w0-12`;
  const base = ['x-conformance', 'names'];
  const out: Problem[] = [];
  const refuses = (member: string, why: string, fix: string) => out.push(source.problem([...base, member], `the run names what it makes like ${name}, which x-conformance.names.${member} refuses: ${why}`, fix));
  if (rule.case === 'lower' && name !== name.toLowerCase()) refuses('case', 'not all lower case', 'drop the rule, or lower-case the names the run gives (src/run/world.ts)');
  if (rule.case === 'upper' && name !== name.toUpperCase()) refuses('case', 'the run upper-cases only its prefix', 'drop case: upper, or upper-case the rest of the names the run gives (src/run/world.ts)');
  if (rule.maxLength && name.length > rule.maxLength) refuses('maxLength', `${name.length} characters, more than ${rule.maxLength}`, `allow at least ${name.length} characters, as the API does`);
  if (rule.pattern) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(rule.pattern, 'u');
    } catch (error) {
      out.push(source.problem([...base, 'pattern'], `x-conformance.names.pattern is not a regular expression: ${firstLine(error)}`, 'correct it (a JavaScript regular expression)'));
    }
    if (pattern && !pattern.test(name)) refuses('pattern', `it does not match ${rule.pattern}`, 'allow letters, digits and hyphens, as the API does');
  }
  return out;
}
