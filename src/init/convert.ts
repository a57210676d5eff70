// A vendor's document in OpenAPI 3.1, as the engine reads profiles: a Swagger 2.0 document is first
// given OpenAPI 3's shape (only what the engine reads: schemas, parameters, bodies, responses and
// their media types, security schemes, the server), then a 3.0 document gets 3.1's schema keywords
// (nullable as a null type, boolean exclusive bounds as numbers). `example` is kept as it is: the
// engine reads it. Objects are changed in place where they survive, so they keep their origins.
// Written here: the converters in the registry either turn `example` into `examples` or bring
// dozens of packages for what is a few rules.
import { ProfileError } from '../profile/sources.ts';
import type { Json, ReadDocument } from './read.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The document in OpenAPI 3.1 (changed in place, and returned). */
export function toOpenApi31(read: ReadDocument): Json {
  const { doc } = read;
  const version = String(doc.swagger ?? doc.openapi ?? '');
  if (version.startsWith('2.')) swaggerToOpenApi3(read);
  else if (!/^3\.[01]\./.test(version)) throw new ProfileError(`${read.file}: neither OpenAPI 3.0, 3.1 nor Swagger 2.0 (it says ${version ? `"${version}"` : 'no version'})`);
  if (String(doc.openapi).startsWith('3.0')) walkSchemas(doc, nullableAndBounds);
  walkSchemas(doc, objectTyped);
  doc.openapi = '3.1.0';
  return doc;
}

/** Values, not document: what an example, a default or an extension holds is left alone. */
const VALUES = new Set(['example', 'examples', 'default', 'enum', 'const']);

/** Every object of the document, depth first (schemas included, wherever they are), values left out. */
function walkSchemas(node: Json, visit: (o: Json) => void, seen = new Set<object>(), key = ''): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (!Array.isArray(node)) visit(node);
  // A member named "default" or "example" of properties (or the default response) is document, not a value.
  const names = key === 'properties' || key === 'responses';
  for (const [k, v] of Object.entries(node)) if (Array.isArray(node) || names || !(VALUES.has(k) || k.startsWith('x-'))) walkSchemas(v, visit, seen, k);
}

/**
 * A schema with members but no type says it is an object: JSON Schema's strict reading (the run's
 * ajv) refuses members without it, and vendors' documents often leave it out.
 */
function objectTyped(s: Json): void {
  if (s.properties && typeof s.properties === 'object' && !Array.isArray(s.properties) && s.type === undefined && s.$ref === undefined) s.type = 'object';
}

/** 3.0 -> 3.1 on one schema: nullable: true as a null type; exclusiveMinimum: true as the bound itself. */
function nullableAndBounds(s: Json): void {
  if (typeof s.nullable === 'boolean') {
    const nullable = s.nullable;
    delete s.nullable;
    if (nullable) {
      if (typeof s.type === 'string') s.type = [s.type, 'null'];
      else if (Array.isArray(s.type)) s.type.includes('null') || s.type.push('null');
      else {
        // No type of its own ($ref, allOf...): either what it says, or null.
        const rest = { ...s };
        for (const k of Object.keys(s)) delete s[k];
        const description = rest.description;
        delete rest.description;
        Object.assign(s, description === undefined ? {} : { description }, { anyOf: [rest, { type: 'null' }] });
      }
      if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum.push(null);
    }
  }
  for (const [bound, exclusive] of [['minimum', 'exclusiveMinimum'], ['maximum', 'exclusiveMaximum']] as const) {
    if (typeof s[exclusive] !== 'boolean') continue;
    if (s[exclusive] && typeof s[bound] === 'number') {
      s[exclusive] = s[bound];
      delete s[bound];
    } else delete s[exclusive];
  }
}

/** Swagger 2.0 -> the shape of OpenAPI 3.0 (its schema keywords then go through the 3.0 step). */
function swaggerToOpenApi3(read: ReadDocument): void {
  const { doc, origins } = read;
  const produces: string[] = doc.produces ?? ['application/json'];
  const consumes: string[] = doc.consumes ?? ['application/json'];
  const keep = (from: Json, to: Json) => {
    const origin = from && typeof from === 'object' ? origins.get(from) : undefined;
    if (origin) origins.set(to, origin);
    return to;
  };

  // Refs move with what they name; a body parameter's ref becomes a request body's.
  const bodyParams = new Set(Object.entries<Json>(doc.parameters ?? {}).filter(([, p]) => p.in === 'body').map(([n]) => n));
  walkSchemas(doc, (o) => {
    if (typeof o.$ref !== 'string') return;
    o.$ref = o.$ref
      .replace(/^#\/definitions\//, '#/components/schemas/')
      .replace(/^#\/parameters\/(.*)$/, (_: string, n: string) => (bodyParams.has(decodeURIComponent(n)) ? `#/components/requestBodies/${n}` : `#/components/parameters/${n}`))
      .replace(/^#\/responses\//, '#/components/responses/');
  });
  // Swagger's own schema words.
  walkSchemas(doc.definitions ?? {}, xNullable);
  for (const item of Object.values<Json>(doc.paths ?? {})) walkSchemas(item, xNullable);
  walkSchemas(doc.responses ?? {}, xNullable);

  const components: Json = { schemas: doc.definitions ?? {} };
  const parameters: Json = {};
  const requestBodies: Json = {};
  for (const [name, p] of Object.entries<Json>(doc.parameters ?? {})) {
    if (p.in === 'body') requestBodies[name] = keep(p, bodyOf(p, consumes));
    else parameters[name] = keep(p, parameterOf(p));
  }
  if (Object.keys(parameters).length) components.parameters = parameters;
  if (Object.keys(requestBodies).length) components.requestBodies = requestBodies;
  if (doc.responses) components.responses = Object.fromEntries(Object.entries<Json>(doc.responses).map(([n, r]) => [n, keep(r, responseOf(r, produces))]));
  if (doc.securityDefinitions) components.securitySchemes = Object.fromEntries(Object.entries<Json>(doc.securityDefinitions).map(([n, s]) => [n, keep(s, securitySchemeOf(s))]));

  for (const item of Object.values<Json>(doc.paths ?? {})) {
    if (item.parameters) item.parameters = item.parameters.map((p: Json) => (p.$ref ? p : keep(p, parameterOf(p))));
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params: Json[] = [];
      const form: Json[] = [];
      for (const p of op.parameters ?? []) {
        if (p.$ref?.startsWith('#/components/requestBodies/')) op.requestBody = { $ref: p.$ref };
        else if (p.$ref) params.push(p);
        else if (p.in === 'body') op.requestBody = keep(p, bodyOf(p, op.consumes ?? consumes));
        else if (p.in === 'formData') form.push(p);
        else params.push(keep(p, parameterOf(p)));
      }
      if (form.length) op.requestBody = formBodyOf(form, op.consumes ?? consumes);
      if (params.length) op.parameters = params;
      else delete op.parameters;
      for (const [status, r] of Object.entries<Json>(op.responses ?? {})) if (!r.$ref) op.responses[status] = keep(r, responseOf(r, op.produces ?? produces));
      delete op.consumes;
      delete op.produces;
    }
  }

  const scheme = doc.schemes?.includes('https') ? 'https' : (doc.schemes?.[0] ?? 'https');
  const server = doc.host ? `${scheme}://${doc.host}${doc.basePath ?? ''}` : doc.basePath;
  for (const k of ['swagger', 'definitions', 'parameters', 'responses', 'securityDefinitions', 'host', 'basePath', 'schemes', 'produces', 'consumes']) delete doc[k];
  doc.openapi = '3.0.3';
  if (server) doc.servers = [{ url: server }];
  doc.components = { ...components, ...(doc.components ?? {}) };
}

/** Swagger's x-nullable is 3.0's nullable; a file is binary text. */
function xNullable(s: Json): void {
  if (typeof s['x-nullable'] === 'boolean') {
    s.nullable = s['x-nullable'];
    delete s['x-nullable'];
  }
  if (s.type === 'file') {
    s.type = 'string';
    s.format = 'binary';
  }
}

const SCHEMA_WORDS = ['type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'nullable'];

/** A non-body parameter: its schema words move into a schema; the rest stays. */
function parameterOf(p: Json): Json {
  const schema: Json = {};
  const out: Json = {};
  for (const [k, v] of Object.entries<Json>(p)) {
    if (SCHEMA_WORDS.includes(k)) schema[k] = v;
    else if (k === 'x-example') out.example = v;
    else if (k !== 'collectionFormat' && k !== 'allowEmptyValue') out[k] = v;
  }
  if (schema.items) schema.items = itemsOf(schema.items);
  if (Object.keys(schema).length) out.schema = schema;
  return out;
}
const itemsOf = (items: Json): Json => (items.items ? { ...items, items: itemsOf(items.items) } : items);

function bodyOf(p: Json, consumes: string[]): Json {
  const content = Object.fromEntries(jsonFirst(consumes).map((m) => [m, { schema: p.schema, ...(p['x-examples']?.[m] === undefined ? {} : { example: p['x-examples'][m] }) }]));
  return { ...(p.description ? { description: p.description } : {}), required: Boolean(p.required), content };
}

function formBodyOf(form: Json[], consumes: string[]): Json {
  const properties = Object.fromEntries(form.map((p) => [p.name, parameterOf(p).schema ?? {}]));
  const required = form.filter((p) => p.required).map((p) => p.name);
  const media = consumes.find((m) => /form/.test(m)) ?? 'application/x-www-form-urlencoded';
  return { required: required.length > 0, content: { [media]: { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } } } };
}

function responseOf(r: Json, produces: string[]): Json {
  const { schema, examples, headers, ...rest } = r;
  const out: Json = { ...rest, description: r.description ?? '' };
  if (schema) out.content = Object.fromEntries(jsonFirst(produces).map((m) => [m, { schema, ...(examples?.[m] === undefined ? {} : { example: examples[m] }) }]));
  if (headers) out.headers = Object.fromEntries(Object.entries<Json>(headers).map(([n, h]) => [n, { ...(h.description ? { description: h.description } : {}), schema: parameterOf(h).schema ?? {} }]));
  return out;
}

/** Media types with JSON first; a document that names none speaks JSON. */
const jsonFirst = (types: string[]) => (types.length ? [...types].sort((a, b) => Number(!/json/.test(a)) - Number(!/json/.test(b))) : ['application/json']);

function securitySchemeOf(s: Json): Json {
  const { type, flow, authorizationUrl, tokenUrl, scopes, ...rest } = s;
  if (type === 'basic') return { ...rest, type: 'http', scheme: 'basic' };
  if (type === 'oauth2') {
    const name = ({ implicit: 'implicit', password: 'password', application: 'clientCredentials', accessCode: 'authorizationCode' } as Record<string, string>)[flow] ?? 'implicit';
    return { ...rest, type: 'oauth2', flows: { [name]: { ...(authorizationUrl ? { authorizationUrl } : {}), ...(tokenUrl ? { tokenUrl } : {}), scopes: scopes ?? {} } } };
  }
  return s;
}
