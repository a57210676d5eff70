// Requests derived from an operation's documentation: the valid one (its example, with the run's
// fixtures put where the schema says x-fixture), the boundary ones (every maxLength at and just past
// its limit) and the invalid ones (a required member missing, a wrong type, an unknown member...).
// Each derived request names the clause its answer is judged under.
import type { RefusalKind } from '../checks/refusal.ts';
import type { Operation, Profile, SchemaObject } from '../profile/load.ts';
import { clauseFor } from '../validate/validators.ts';
import { allowedTypes, filler, getPath, REMOVE, setAt, sites, type Site } from './schema-sites.ts';

export interface Fixtures {
  parent?: string;
  /** A fresh name for each resource the run creates, carrying the run's prefix. */
  name?: () => string;
}

/** The documented example of the operation's body, with fixtures where the schema names them. */
export function validBody(profile: Profile, op: Operation, fixtures: Fixtures): unknown {
  if (!op.requestBody) return undefined;
  let body = structuredClone(op.requestBody.example);
  if (body === undefined) throw new Error(`operation ${op.id} documents no request example to start from`);
  for (const site of sites(profile.doc, op.requestBody.schemaPointer, body)) {
    if (site.kind !== 'member') continue;
    const fixture = site.schema['x-fixture'];
    if (fixture === 'parent' && fixtures.parent && (site.present || site.required)) body = setAt(body, site.path, fixtures.parent);
    if (fixture === 'name' && fixtures.name && site.present) body = setAt(body, site.path, fixtures.name());
  }
  return body;
}

export interface DerivedRequest {
  title: string;
  clause: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
  /** Accepted with the operation's success status, or refused with this kind of refusal. */
  expect: 'accepted' | RefusalKind;
}

const describePath = (path: string[]) => (path.length ? path.join('.') : 'the body');

/**
 * Values at and just past every maxLength of the body: the first must be accepted, the second
 * refused. A name keeps the run's prefix so that what is accepted can be found and removed.
 */
export function boundaryRequests(profile: Profile, op: Operation, valid: unknown, namePrefix: string): DerivedRequest[] {
  if (!op.requestBody) return [];
  const out: DerivedRequest[] = [];
  const fallback = op.clause ?? '';
  for (const site of sites(profile.doc, op.requestBody.schemaPointer, valid)) {
    // A reference to a parent is not a length to probe: only a real one is accepted.
    if (!(allowedTypes(site.schema) ?? []).includes('string') || site.schema['x-fixture'] === 'parent') continue;
    // A name keeps the run's prefix (what is accepted can be found and removed) and gets a random
    // tag: names may have to be unique, and another test may hold a name of the same length.
    const prefix = site.schema['x-fixture'] === 'name' ? namePrefix + randomLetters(6) : '';
    const what = site.kind === 'map-key' ? `a key of ${describePath(site.path)}` : site.kind === 'map-value' ? `a value of ${describePath(site.path)}` : describePath(site.path);
    const add = (title: string, keyword: string, value: string | undefined, expect: DerivedRequest['expect']) => {
      const body = value === undefined ? undefined : place(site, valid, value);
      if (body !== undefined) out.push({ title: `${what} ${title}`, clause: clauseFor(profile.doc, site.pointer, keyword) ?? fallback, body, expect });
    };
    const max = site.schema.maxLength;
    if (typeof max === 'number') {
      add(`of ${max} characters`, 'maxLength', filler(site.schema, max, prefix), 'accepted');
      add(`of ${max + 1} characters`, 'maxLength', filler(site.schema, max + 1, prefix), 'invalid-body');
    }
    const min = site.schema.minLength;
    if (typeof min === 'number' && min > 0) {
      // Too short for the run's prefix: a short random name, still unique, still in the ledger.
      const short = (n: number) => (prefix ? filler(site.schema, n, randomLetters(Math.min(n, 4))) : filler(site.schema, n));
      add(`of ${min} characters`, 'minLength', short(min), 'accepted');
      add(`of ${min - 1} characters`, 'minLength', min > 1 ? short(min - 1) : '', 'invalid-body');
    }
    const bytes = site.schema['x-maxBytes'];
    if (typeof bytes === 'number') {
      // Bytes, not characters: multi-byte text right at the limit, one byte past it, and one that
      // is well within any character limit yet over in bytes.
      add(`of ${bytes} bytes in one-byte characters`, 'x-maxBytes', filler(site.schema, bytes, prefix), 'accepted');
      add(`of ${bytes} bytes in three-byte characters`, 'x-maxBytes', bytesFiller(site.schema, bytes, prefix), 'accepted');
      add(`of ${bytes + 1} bytes in three-byte characters`, 'x-maxBytes', bytesFiller(site.schema, bytes + 1, prefix), 'invalid-body');
      const chars = Math.floor(bytes / 3) + 1;
      add(`of ${chars} three-byte characters (${chars * 3} bytes)`, 'x-maxBytes', bytesFiller(site.schema, chars * 3, prefix), 'invalid-body');
    }
  }
  return out;
}

/** Exactly n bytes of UTF-8: the prefix, three-byte characters, then one-byte ones to the count. */
function bytesFiller(schema: SchemaObject, n: number, prefix: string): string | undefined {
  const room = n - Buffer.byteLength(prefix, 'utf8');
  if (room < 0) return undefined;
  const value = prefix + '雪'.repeat(Math.floor(room / 3)) + 'a'.repeat(room % 3);
  return !schema.pattern || new RegExp(schema.pattern, 'u').test(value) ? value : undefined;
}

const randomLetters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

/**
 * Puts a string at a site: a member's value, or in a map the value or the key of its first item
 * (the map keeps its size: some maps must hold exactly one item).
 */
function place(site: Site, body: unknown, value: string): unknown {
  if (site.kind === 'member') return setAt(body, site.path, value);
  const map = getPath(body, site.path);
  if (!map || typeof map !== 'object') return undefined;
  const entries = Object.entries(map as Record<string, unknown>);
  const [first, ...rest] = entries.length ? entries : [['limit', 'v'] as [string, unknown]];
  const item: [string, unknown] = site.kind === 'map-value' ? [first![0], value] : [value, first![1]];
  return setAt(body, site.path, Object.fromEntries([item, ...rest]));
}

const WRONG_VALUES: Array<[string, unknown]> = [
  ['integer', 12345],
  ['boolean', true],
  ['string', 'not-of-this-type'],
  ['array', ['a']],
  ['object', { a: 1 }],
];

/** Bodies that break the schema in one way each, plus bodies that are not JSON at all. */
export function invalidRequests(profile: Profile, op: Operation, valid: unknown): DerivedRequest[] {
  if (!op.requestBody) return [];
  const c = profile.conformance;
  const fallback = op.clause ?? '';
  const out: DerivedRequest[] = [];
  const clause = (site: Site, keyword: string) => clauseFor(profile.doc, site.pointer, keyword) ?? fallback;
  for (const site of sites(profile.doc, op.requestBody.schemaPointer, valid)) {
    const where = describePath(site.path);
    if (site.kind === 'object') {
      const value = getPath(valid, site.path) as Record<string, unknown>;
      for (const name of site.schema.required ?? []) {
        out.push({ title: `${where} without its required member ${name}`, clause: clause(site, 'required'), body: setAt(valid, [...site.path, name], REMOVE), expect: 'invalid-body' });
      }
      if (site.schema.additionalProperties === false) {
        out.push({ title: `${where} with an unknown member`, clause: clause(site, 'additionalProperties'), body: setAt(valid, [...site.path, 'x_conformance_unknown'], 'x'), expect: 'invalid-body' });
      }
      if (typeof site.schema.minProperties === 'number' && site.schema.minProperties > 0) {
        out.push({ title: `${where} empty`, clause: clause(site, 'minProperties'), body: setAt(valid, site.path, {}), expect: 'invalid-body' });
      }
      if (typeof site.schema.maxProperties === 'number') {
        const extra = Object.fromEntries(Array.from({ length: site.schema.maxProperties + 1 - Object.keys(value).length }, (_, i) => [`extra${i}`, 'x']));
        out.push({ title: `${where} with more than ${site.schema.maxProperties} members`, clause: clause(site, 'maxProperties'), body: setAt(valid, site.path, { ...value, ...extra }), expect: 'invalid-body' });
      }
    }
    if (site.kind === 'member' || site.kind === 'map-value') {
      const types = allowedTypes(site.schema);
      const allows = (t: string) => types?.includes(t) || (t === 'integer' && types?.includes('number'));
      const wrong = types && WRONG_VALUES.find(([t]) => !allows(t));
      if (wrong) {
        const body = site.kind === 'member' ? setAt(valid, site.path, wrong[1]) : setAt(valid, site.path, { ...(getPath(valid, site.path) as object), typed: wrong[1] });
        out.push({ title: `${site.kind === 'member' ? where : `a value of ${where}`} of type ${wrong[0]}`, clause: clause(site, 'type'), body, expect: 'invalid-body' });
      } else if (Array.isArray(site.schema.enum) && types?.includes('string')) {
        out.push({ title: `${where} not one of its values`, clause: clause(site, 'enum'), body: setAt(valid, site.path, 'not-a-documented-value'), expect: 'invalid-body' });
      }
      if (typeof site.schema.pattern === 'string' && site.kind === 'member') {
        const broken = patternBreaker(site.schema, getPath(valid, site.path));
        if (broken !== undefined) out.push({ title: `${where} ${JSON.stringify(broken).slice(0, 40)} (against its pattern)`, clause: clause(site, 'pattern'), body: setAt(valid, site.path, broken), expect: 'invalid-body' });
      }
      if (site.schema.format === 'uuid') {
        out.push({ title: `${where} not a UUID`, clause: clause(site, 'format'), body: setAt(valid, site.path, 'abc'), expect: 'invalid-body' });
      }
    }
  }
  out.push({ title: 'a body that is not JSON', clause: c.refusals.malformedBody, rawBody: truncatedJson(valid), expect: 'malformed-body' });
  out.push({ title: 'a JSON body that is not an object', clause: c.refusals.malformedBody, body: [], expect: 'malformed-body' });
  if (op.requestBody.required) out.push({ title: 'no body', clause: c.refusals.malformedBody, rawBody: '', expect: 'malformed-body' });
  if (c.refusals.mediaType) {
    out.push({ title: 'a JSON body sent as text/plain', clause: c.refusals.mediaType, rawBody: JSON.stringify(valid), contentType: 'text/plain', expect: 'unsupported-media-type' });
  }
  return out;
}

/**
 * A string the schema's pattern refuses, made from a valid one by a small change (a character
 * appended or put first); the first change the pattern catches. Lengths stay within the limits.
 */
function patternBreaker(schema: SchemaObject, value: unknown): string | undefined {
  const pattern = new RegExp(schema.pattern, 'u');
  const base = typeof value === 'string' && value.length > 1 ? value.slice(0, -1) : filler(schema, Math.max(schema.minLength ?? 1, 1)) ?? 'a';
  const candidates = ['.', ' ', '<', '!', '"', '\u0007'].flatMap((c) => [base + c, c + base.slice(1), `1${base.slice(1)}`]);
  return candidates.find((c) => !pattern.test(c) && c.length <= (schema.maxLength ?? Infinity) && c.length >= (schema.minLength ?? 0));
}

/** The valid body cut in the middle: what a client that lost its connection would send. */
function truncatedJson(valid: unknown): string {
  const text = JSON.stringify(valid);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
