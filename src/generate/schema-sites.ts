// Walks a request schema together with a valid body and lists the places ("sites") where a request
// can be varied: each object, each member, each map value and map key. Request generators (valid,
// boundary, invalid) are then simple loops over the sites.
import { resolvePointer, type SchemaObject } from '../profile/load.ts';
import { escapePointer } from '../util/pointer.ts';
export { getPath, REMOVE, setAt } from '../util/pointer.ts';

export interface Site {
  /** Where in the body: keys from the root. */
  path: string[];
  schema: SchemaObject;
  /** Document pointer of the schema (for its x-clause). */
  pointer: string;
  kind: 'object' | 'member' | 'map-value' | 'map-key';
  /** The body has a value here (members may be optional and absent). */
  present: boolean;
  /** For a member: whether its object requires it. */
  required?: boolean;
}

/** Follows $ref, merging sibling keywords over the target; returns the schema and its pointer. */
export function resolveSchema(doc: object, node: SchemaObject, pointer: string): { schema: SchemaObject; pointer: string } {
  let schema = node;
  let at = pointer;
  while (typeof schema?.$ref === 'string') {
    const { $ref, ...siblings } = schema;
    const target = resolvePointer(doc, $ref);
    at = Object.keys(siblings).length ? at : $ref;
    schema = { ...target, ...siblings };
  }
  return { schema, pointer: at };
}

/** The JSON types a schema allows (from type, else from enum values). */
export function allowedTypes(schema: SchemaObject): string[] | undefined {
  if (schema.type) return Array.isArray(schema.type) ? schema.type : [schema.type];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(jsonType))];
  return undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function sites(doc: object, rootPointer: string, body: unknown): Site[] {
  const out: Site[] = [];
  const visit = (node: SchemaObject, pointer: string, value: unknown, path: string[], present: boolean) => {
    const { schema, pointer: at } = resolveSchema(doc, node, pointer);
    const types = allowedTypes(schema) ?? [];
    if (!types.includes('object') || !(present && value && typeof value === 'object' && !Array.isArray(value))) return;
    out.push({ path, schema, pointer: at, kind: 'object', present });
    const required: string[] = schema.required ?? [];
    for (const [name, child] of Object.entries<SchemaObject>(schema.properties ?? {})) {
      const childPointer = `${at}/properties/${escapePointer(name)}`;
      const has = Object.hasOwn(value as object, name);
      const resolved = resolveSchema(doc, child, childPointer);
      out.push({ path: [...path, name], schema: resolved.schema, pointer: resolved.pointer, kind: 'member', present: has, required: required.includes(name) });
      visit(child, childPointer, has ? (value as any)[name] : undefined, [...path, name], has);
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const resolved = resolveSchema(doc, schema.additionalProperties, `${at}/additionalProperties`);
      out.push({ path, schema: resolved.schema, pointer: resolved.pointer, kind: 'map-value', present: true });
    }
    if (schema.propertyNames && typeof schema.propertyNames === 'object') {
      const resolved = resolveSchema(doc, schema.propertyNames, `${at}/propertyNames`);
      out.push({ path, schema: resolved.schema, pointer: resolved.pointer, kind: 'map-key', present: true });
    }
  };
  visit(resolvePointer(doc, rootPointer), rootPointer, body, [], true);
  return out;
}

/** A string of exactly n characters the schema's pattern accepts (repeating one character). */
export function filler(schema: SchemaObject, n: number, prefix = ''): string | undefined {
  if (n < prefix.length) return undefined;
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  for (const c of ['a', 'k', 'x', '0']) {
    const s = prefix + c.repeat(n - prefix.length);
    if (!pattern || pattern.test(s)) return s;
  }
  return undefined;
}

/** The schema of a member of a body, by its path from the root schema (following $refs). */
export function memberSchema(doc: object, rootPointer: string, path: string[]): { schema: SchemaObject; pointer: string } | undefined {
  let current = resolveSchema(doc, resolvePointer(doc, rootPointer), rootPointer);
  for (const key of path) {
    const child = current.schema.properties?.[key];
    if (!child) return undefined;
    current = resolveSchema(doc, child, `${current.pointer}/properties/${escapePointer(key)}`);
  }
  return current;
}
