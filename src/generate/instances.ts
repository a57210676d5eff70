// Values a schema accepts, made for the server's answers: a resource as its show documents it, a
// list item, an error envelope, an operation. The values the server knows (ids, names, statuses)
// are laid over; everything else comes from the schema: its example, default, first enum value or
// const, a value of its format, or the least value of its type within its bounds.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { resolvePointer, type SchemaObject } from '../profile/load.ts';
import { resolveSchema } from './schema-sites.ts';

/**
 * A schema's members merged where it is made of parts: allOf, and a $ref beside members of its own
 * (in JSON Schema 2020 both apply, as allOf does).
 */
function flatten(doc: object, node: SchemaObject, pointer: string): SchemaObject {
  if (node && typeof node.$ref === 'string' && Object.keys(node).some((k) => k !== '$ref' && k !== 'description')) {
    const { $ref, ...own } = node;
    return flatten(doc, { ...own, allOf: [{ $ref }, ...(own.allOf ?? [])] }, pointer);
  }
  const { schema } = resolveSchema(doc, node, pointer);
  if (!Array.isArray(schema.allOf)) return schema;
  const merged: SchemaObject = { ...schema, allOf: undefined };
  schema.allOf.forEach((part: SchemaObject, i: number) => {
    const p = flatten(doc, part, `${pointer}/allOf/${i}`);
    merged.type ??= p.type;
    merged.properties = { ...(p.properties ?? {}), ...(merged.properties ?? {}) };
    merged.required = [...new Set([...(merged.required ?? []), ...(p.required ?? [])])];
    if (p.additionalProperties !== undefined) merged.additionalProperties ??= p.additionalProperties;
  });
  return merged;
}

/** The members an object schema documents (allOf parts merged; the first branch of anyOf/oneOf). */
export function objectMembers(doc: object, pointer: string): { properties: Record<string, SchemaObject>; required: string[] } {
  const schema = branch(doc, flatten(doc, resolvePointer(doc, pointer), pointer));
  return { properties: schema.properties ?? {}, required: schema.required ?? [] };
}

/** The first branch of a union, for a schema written as one. */
function branch(doc: object, schema: SchemaObject): SchemaObject {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (!Array.isArray(alternatives) || schema.properties) return schema;
  return flatten(doc, alternatives[0], '');
}

const FORMATS: Record<string, () => unknown> = {
  uuid: () => randomUUID(),
  'date-time': () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  date: () => new Date().toISOString().slice(0, 10),
  uri: () => 'http://127.0.0.1/',
  email: () => 'user@example.com',
  ipv4: () => '192.0.2.10',
};

/**
 * A value the schema accepts. `known` lays values over members of an object, by name: a value there
 * wins over anything the schema would make.
 */
export function instance(doc: object, node: SchemaObject, pointer = '', known: Record<string, unknown> = {}): unknown {
  const schema = branch(doc, flatten(doc, node, pointer));
  if (schema.const !== undefined) return schema.const;
  if (schema.example !== undefined && !schema.properties) return structuredClone(schema.example);
  if (schema.default !== undefined && !schema.properties) return structuredClone(schema.default);
  if (Array.isArray(schema.enum)) return schema.enum.find((v: unknown) => v !== null) ?? schema.enum[0];
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : ['string'];
  const type = types.find((t) => t !== 'null') ?? 'null';
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'integer':
      return Math.max(0, schema.minimum ?? 0, schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 0);
    case 'number':
      return Math.max(0, schema.minimum ?? 0);
    case 'array': {
      const n = schema.minItems ?? 0;
      return Array.from({ length: n }, (_, i) => instance(doc, schema.items ?? {}, `${pointer}/items`, {}) ?? i);
    }
    case 'object': {
      // The members the schema requires, and those known: an optional member made up (a next page's
      // link, say) could say what is not so.
      const out: Record<string, unknown> = {};
      const required: string[] = schema.required ?? [];
      for (const [name, child] of Object.entries<SchemaObject>(schema.properties ?? {})) {
        if (Object.hasOwn(known, name)) out[name] = known[name];
        else if (required.includes(name)) out[name] = instance(doc, child, `${pointer}/properties/${name}`);
      }
      // Known members the schema keeps open for (a map, an object without properties).
      for (const [name, value] of Object.entries(known)) if (!Object.hasOwn(out, name) && schema.additionalProperties !== false) out[name] = value;
      return out;
    }
    default: {
      const format = schema.format ? FORMATS[schema.format] : undefined;
      if (format) return format();
      if (typeof schema.pattern === 'string') return matching(schema);
      const min = schema.minLength ?? 0;
      const text = 'x'.repeat(Math.max(min, 1));
      return schema.maxLength !== undefined ? text.slice(0, Math.max(schema.maxLength, min)) : text;
    }
  }
}

const matches = new Map<string, string>();

/** A string the schema's pattern accepts, within its lengths: the same one every time. */
function matching(schema: SchemaObject): string {
  const key = `${schema.pattern}\u0000${schema.minLength}\u0000${schema.maxLength}`;
  let hit = matches.get(key);
  if (hit === undefined) {
    const re = new RegExp(schema.pattern, 'u');
    const fits = (v: string) => re.test(v) && v.length >= (schema.minLength ?? 0) && v.length <= (schema.maxLength ?? Infinity);
    try {
      hit = fc.sample(fc.stringMatching(re, { maxLength: schema.maxLength }), { seed: 1, numRuns: 50 }).find(fits);
    } catch {
      // A pattern fast-check cannot read (\p{...}): the usual candidates below.
    }
    hit ??= ['x', 'abcd', 'a1', '0', 'A.0000'].find(fits) ?? 'x';
    matches.set(key, hit);
  }
  return hit;
}

/** A value made from the schema at a pointer of the document. */
export const instanceAt = (doc: object, pointer: string, known: Record<string, unknown> = {}) => instance(doc, resolvePointer(doc, pointer), pointer, known);

/** The member an answer wraps its one object in (a schema with exactly one object member), if it does. */
export function wrapperOf(doc: object, pointer: string): string | undefined {
  const { properties } = objectMembers(doc, pointer);
  const names = Object.keys(properties);
  if (names.length !== 1) return undefined;
  const inner = branch(doc, flatten(doc, properties[names[0]!]!, `${pointer}/properties/${names[0]}`));
  const types = Array.isArray(inner.type) ? inner.type : [inner.type];
  return types.includes('object') || inner.properties ? names[0] : undefined;
}

/** The schema an answer's object has, under its wrapper where it has one. */
export function innerPointer(doc: object, pointer: string, wrapper: string | undefined): string {
  if (!wrapper) return pointer;
  const schema = flatten(doc, resolvePointer(doc, pointer), pointer);
  const child = schema.properties?.[wrapper];
  if (child?.$ref && Object.keys(child).length === 1) return child.$ref;
  return `${pointer}/properties/${wrapper}`;
}
