// Reading schemas of a vendor's document as init needs them: refs followed, allOf members taken
// together, the JSON body of a request or an answer, the members of an object and where they are.
import { getPath, keysOf } from '../util/pointer.ts';
import type { Json } from './read.ts';

/** Follows local refs ("#/components/...") to the object they name. */
export function deref(doc: Json, node: Json): Json {
  const seen = new Set<string>();
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#') && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    node = getPath(doc, keysOf(decodeURIComponent(node.$ref.slice(1))));
  }
  return node;
}

/** The members of an object schema, its allOf members' too (the first mention of a name wins). */
export function membersOf(doc: Json, schema: Json, seen = new Set<object>()): Map<string, Json> {
  const out = new Map<string, Json>();
  const s = deref(doc, schema);
  if (!s || typeof s !== 'object' || seen.has(s)) return out;
  seen.add(s);
  for (const [name, member] of Object.entries<Json>(s.properties ?? {})) out.set(name, member);
  for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) for (const [name, member] of membersOf(doc, part, seen)) if (!out.has(name)) out.set(name, member);
  return out;
}

/** The required members of an object schema, its allOf members' too. */
export function requiredOf(doc: Json, schema: Json, seen = new Set<object>()): string[] {
  const s = deref(doc, schema);
  if (!s || typeof s !== 'object' || seen.has(s)) return [];
  seen.add(s);
  return [...new Set([...(s.required ?? []), ...(s.allOf ?? []).flatMap((p: Json) => requiredOf(doc, p, seen))])];
}

/** The schema of a member at a path of names (through refs and allOf), or undefined. */
export function memberAt(doc: Json, schema: Json, path: string[]): Json {
  let s = schema;
  for (const name of path) {
    s = membersOf(doc, s).get(name);
    if (!s) return undefined;
  }
  return s;
}

/** What a schema allows as its type (through a ref, allOf and a nullable anyOf). */
export function typeOf(doc: Json, schema: Json): string | undefined {
  const s = deref(doc, schema);
  if (!s || typeof s !== 'object') return undefined;
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t: string) => t !== 'null');
  for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const t = typeOf(doc, part);
    if (t && t !== 'null') return t;
  }
  if (s.properties) return 'object';
  return undefined;
}

/** The values an enum allows (through a ref and allOf), or undefined. */
export function enumOf(doc: Json, schema: Json): string[] | undefined {
  const s = deref(doc, schema);
  if (!s || typeof s !== 'object') return undefined;
  if (Array.isArray(s.enum)) return s.enum.filter((v: unknown) => typeof v === 'string');
  for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const e = enumOf(doc, part);
    if (e) return e;
  }
  return undefined;
}

/** The description a schema or its target gives. */
export function describe(doc: Json, schema: Json): string | undefined {
  if (schema && typeof schema.description === 'string' && schema.description.trim()) return schema.description.trim();
  const s = deref(doc, schema);
  return s && typeof s.description === 'string' && s.description.trim() ? s.description.trim() : undefined;
}

/** The JSON media of a request body or a response: application/json, or the first JSON-ish type renamed to it. */
export function jsonMedia(content: Json): Json {
  if (!content || typeof content !== 'object') return undefined;
  if (content['application/json']) return content['application/json'];
  const other = Object.keys(content).find((k) => /json|\*\/\*/.test(k));
  if (!other) return undefined;
  // The engine reads application/json: a vendor's "application/json; charset=utf-8" is the same body.
  content['application/json'] = content[other];
  delete content[other];
  return content['application/json'];
}

/** The documented answers of an operation, by status, each with its JSON schema and the schema's pointer. */
export interface Answer {
  status: string;
  response: Json;
  /** Pointer (a local ref) of the response, where it is a component. */
  ref?: string;
  schema?: Json;
  /** Where the schema is in the document: a ref it is, or the path to it. */
  schemaRef?: string;
  example?: unknown;
}

export function answersOf(doc: Json, op: Json, opPointer: string): Answer[] {
  return Object.entries<Json>(op.responses ?? {}).map(([status, raw]) => {
    const response = deref(doc, raw);
    const ref = typeof raw?.$ref === 'string' ? raw.$ref : undefined;
    const media = jsonMedia(response?.content);
    const base = `${ref ?? `${opPointer}/responses/${status}`}/content/application~1json/schema`;
    const schema = media?.schema;
    const example = media?.example ?? Object.values<Json>(media?.examples ?? {})[0]?.value ?? deref(doc, schema)?.example;
    return { status, response, ref, schema, schemaRef: schema ? (typeof schema.$ref === 'string' ? schema.$ref : base) : undefined, example };
  });
}

/** The one documented 2xx answer, or all of them where there are several (or none). */
export const successes = (answers: Answer[]) => answers.filter((a) => /^2/.test(a.status));
