// fast-check arbitraries derived from a profile's JSON Schemas: strings within maxLength (counted in
// code points, as JSON Schema and the vendors count) that match the pattern, maps whose keys
// follow propertyNames, the types a union allows. Valid values only: invalid ones come from the
// request generators, which break one constraint at a time.
import fc from 'fast-check';
import type { SchemaObject } from '../profile/load.ts';
import { allowedTypes, resolveSchema } from './schema-sites.ts';

export interface ArbitraryOptions {
  /** Strings of x-fixture "name" start with this (the run's prefix), within the same maxLength. */
  namePrefix?: string;
  /** Upper bound of generated map sizes. */
  maxKeys?: number;
  /** Leave null out of unions (for values the suite must be able to find again). */
  noNull?: boolean;
}

const codePoints = (s: string) => [...s].length;

export function arbitraryFor(doc: object, node: SchemaObject, pointer: string, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const { schema, pointer: at } = resolveSchema(doc, node, pointer);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const types = (allowedTypes(schema) ?? ['string']).filter((t) => !(options.noNull && t === 'null'));
  // null is one value; the other types hold the interesting ones, so they come more often.
  const each = types.map((t) => ({ arbitrary: byType(doc, schema, at, t, options), weight: t === 'null' ? 1 : 4 }));
  return each.length === 1 ? each[0]!.arbitrary : fc.oneof(...each);
}

function byType(doc: object, schema: SchemaObject, at: string, type: string, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
    case 'string':
      return stringFor(schema, options);
    case 'object':
      return objectFor(doc, schema, at, options);
    case 'array': {
      const items = schema.items ? arbitraryFor(doc, schema.items, `${at}/items`, options) : fc.string();
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? Infinity, options.maxKeys ?? 4) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(items, constraints);
    }
    default:
      throw new Error(`no arbitrary for type ${type} at ${at}`);
  }
}

function stringFor(schema: SchemaObject, options: ArbitraryOptions): fc.Arbitrary<string> {
  const maxBytes: number | undefined = schema['x-maxBytes'];
  const max = schema.maxLength ?? maxBytes ?? 64;
  const min = schema.minLength ?? 0;
  const prefix = schema['x-fixture'] === 'name' ? (options.namePrefix ?? '') : '';
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  const room = max - codePoints(prefix);
  // Mostly short strings, sometimes right at the limit, where defects live.
  const body = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(room, 24) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: Math.max(0, room - 2), maxLength: room }) },
  );
  // A name must carry the prefix: where a pattern restricts it, the rest is drawn from the
  // characters the pattern lets follow (random text would almost never match).
  const base = pattern && prefix ? fc.string({ unit: fc.constantFrom(...charsAfter(pattern, prefix)), maxLength: Math.min(room, 24) }) : pattern ? fc.oneof(matching(pattern, max) ?? body, body) : body;
  return base
    .map((s) => prefix + s)
    .filter((s) => codePoints(s) <= max && codePoints(s) >= min && (maxBytes === undefined || Buffer.byteLength(s, 'utf8') <= maxBytes) && (!pattern || pattern.test(s)));
}

function objectFor(doc: object, schema: SchemaObject, at: string, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, child] of Object.entries<SchemaObject>(schema.properties)) {
      model[name] = arbitraryFor(doc, child, `${at}/properties/${name}`, options);
    }
    return fc.record(model, { requiredKeys: schema.required ?? [] });
  }
  const values = schema.additionalProperties && typeof schema.additionalProperties === 'object'
    ? arbitraryFor(doc, schema.additionalProperties, `${at}/additionalProperties`, options)
    : fc.string();
  const keys = schema.propertyNames ? (arbitraryFor(doc, schema.propertyNames, `${at}/propertyNames`, options) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 12 });
  const maxKeys = Math.min(options.maxKeys ?? 4, schema.maxProperties ?? Infinity);
  return fc.dictionary(keys, values, { minKeys: schema.minProperties ?? 0, maxKeys });
}

/** Strings built from the pattern itself, where fast-check can read it (not \p{...} classes). */
function matching(pattern: RegExp, maxLength: number): fc.Arbitrary<string> | undefined {
  try {
    const arb = fc.stringMatching(pattern, { maxLength });
    fc.sample(arb, 1);
    return arb;
  } catch {
    return undefined;
  }
}

/** Characters that may follow the prefix under the pattern: printable ASCII and a few others. */
function charsAfter(pattern: RegExp, prefix: string): string[] {
  const candidates = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', 'ß', '雪', '😀'];
  const allowed = candidates.filter((c) => pattern.test(prefix + c + c + c + c));
  if (!allowed.length) throw new Error(`no character may follow "${prefix}" under ${pattern}`);
  return allowed;
}
