// Requests derived from an operation's documentation: the valid one (its example, with the run's
// fixtures put where the schema says x-fixture), the boundary ones (every maxLength at and just past
// its limit) and the invalid ones (a required member missing, a wrong type, an unknown member...).
// Each derived request names the clause its answer is judged under.
import type { RefusalKind } from '../checks/refusal.ts';
import type { Operation, Profile, SchemaObject } from '../profile/load.ts';
import { fieldPath } from '../profile/model.ts';
import { clauseFor } from '../validate/validators.ts';
import { allowedEdge, firstOf, insideAt, probePattern, refusedBranches, refusedFirstBranches } from './patterns.ts';
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
  // A create PUT at a name: the name its path takes travels in the body's name member until sent.
  const r = profile.model.resource;
  if (op === r.ops.create && r.nameIn === 'path' && fixtures.name) body = setAt(body, fieldPath(r.fields.name, r.requestWrapper), fixtures.name());
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
 * Values at and just past every length limit of the body (maxLength and minLength in characters,
 * x-maxBytes in UTF-8 bytes): those within must be accepted, those past refused. A limit in
 * characters is also met with three-byte characters (a target that counts bytes refuses them), one
 * in bytes with text well within any character limit. Where a pattern rules the characters, the
 * edges of its branches: a value holding every character it allows, and one that starts with
 * another allowed first character. A name keeps the run's prefix so that what is accepted can be
 * found and removed.
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
    const isName = site.schema['x-fixture'] === 'name';
    const fresh = () => (isName ? namePrefix + randomLetters(6) : '');
    const prefix = fresh();
    const what = site.kind === 'map-key' ? `a key of ${describePath(site.path)}` : site.kind === 'map-value' ? `a value of ${describePath(site.path)}` : describePath(site.path);
    const add = (title: string, keyword: string, value: string | undefined, expect: DerivedRequest['expect']) => {
      const body = value === undefined ? undefined : place(site, valid, value);
      if (body !== undefined) out.push({ title: `${what} ${title}`, clause: clauseFor(profile.doc, site.pointer, keyword) ?? fallback, body, expect });
    };
    // Past a limit, a value the pattern would refuse anyway (one that writes the length into
    // itself, {1,255}) is still past the limit: it is sent, invalid on both counts.
    const over = (n: number, p: string) => filler(site.schema, n, p) ?? (n >= p.length ? p + 'a'.repeat(n - p.length) : undefined);
    const max = site.schema.maxLength;
    if (typeof max === 'number') {
      add(`of ${max} characters`, 'maxLength', filler(site.schema, max, prefix), 'accepted');
      add(`of ${max} characters in three-byte characters`, 'maxLength', charsFiller(site.schema, max, fresh()), 'accepted');
      add(`of ${max + 1} characters`, 'maxLength', over(max + 1, prefix), 'invalid-body');
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
      // is well within any character limit yet over in bytes. Where the pattern takes only one-byte
      // characters, one byte past the limit in those.
      add(`of ${bytes} bytes in one-byte characters`, 'x-maxBytes', filler(site.schema, bytes, prefix), 'accepted');
      add(`of ${bytes} bytes in three-byte characters`, 'x-maxBytes', bytesFiller(site.schema, bytes, prefix), 'accepted');
      const past = bytesFiller(site.schema, bytes + 1, prefix);
      if (past !== undefined) add(`of ${bytes + 1} bytes in three-byte characters`, 'x-maxBytes', past, 'invalid-body');
      else add(`of ${bytes + 1} bytes in one-byte characters`, 'x-maxBytes', over(bytes + 1, prefix), 'invalid-body');
      const chars = Math.floor(bytes / 3) + 1;
      add(`of ${chars} three-byte characters (${chars * 3} bytes)`, 'x-maxBytes', bytesFiller(site.schema, chars * 3, prefix), 'invalid-body');
    }
    if (typeof site.schema.pattern === 'string' && site.kind === 'member') {
      const base = patternBase(site.schema, isName ? fresh() : getPath(valid, site.path));
      const branches = base === undefined ? undefined : probePattern(site.schema.pattern, base);
      if (base !== undefined && branches) {
        const edge = allowedEdge(branches);
        const mid = Math.floor(base.length / 2);
        add(`with every character its pattern allows (${JSON.stringify(edge)})`, 'pattern', fits(site.schema, base.slice(0, mid) + edge + base.slice(mid)), 'accepted');
        if (branches.refusedFirst.length > 0) {
          const other = patternBase(site.schema, isName ? fresh() : base)!;
          const first = other[0]!;
          const swapped = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
          if (swapped !== first) add(`starting with ${JSON.stringify(swapped)} (an allowed first character)`, 'pattern', fits(site.schema, firstOf(other, swapped)), 'accepted');
        }
      }
    }
  }
  return out;
}

/** A value a pattern accepts to vary, three characters at least: the given one, or a filler. */
function patternBase(schema: SchemaObject, value: unknown): string | undefined {
  const pattern = new RegExp(schema.pattern, 'u');
  if (typeof value === 'string' && value.length >= 3 && pattern.test(value)) return value;
  const n = Math.min(Math.max(schema.minLength ?? 0, 3), schema.maxLength ?? Infinity);
  const made = typeof value === 'string' && value.length > 0 ? filler(schema, n, value.slice(0, Math.min(value.length, n - 1))) : undefined;
  return made ?? filler(schema, n);
}

/** The value if every constraint on strings holds for it (pattern, lengths, bytes); else nothing. */
function fits(schema: SchemaObject, value: string): string | undefined {
  const chars = [...value].length;
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return undefined;
  if (chars > (schema.maxLength ?? Infinity) || chars < (schema.minLength ?? 0)) return undefined;
  if (Buffer.byteLength(value, 'utf8') > (schema['x-maxBytes'] ?? Infinity)) return undefined;
  return value;
}

/** Exactly n characters: the prefix, then three-byte characters; only where the pattern takes them. */
function charsFiller(schema: SchemaObject, n: number, prefix: string): string | undefined {
  const room = n - [...prefix].length;
  if (room < 1) return undefined;
  const value = prefix + '雪'.repeat(room);
  return !schema.pattern || new RegExp(schema.pattern, 'u').test(value) ? value : undefined;
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
  const c = profile.model;
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
        for (const [title, broken] of patternNegatives(site.schema, getPath(valid, site.path))) {
          out.push({ title: `${where} ${title}`, clause: clause(site, 'pattern'), body: setAt(valid, site.path, broken), expect: 'invalid-body' });
        }
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
 * Strings the schema's pattern refuses, one per branch of the rule it writes, each made from a valid
 * value by one change that keeps its length: a character outside its set (one for an allow-list,
 * each forbidden one for a deny-list), and a first character it allows only further in.
 */
function patternNegatives(schema: SchemaObject, value: unknown): Array<[string, string]> {
  const base = patternBase(schema, value);
  const branches = base === undefined ? undefined : probePattern(schema.pattern, base);
  if (base === undefined || !branches) {
    const broken = patternBreaker(schema, value);
    return broken === undefined ? [] : [[`${JSON.stringify(broken).slice(0, 40)} (against its pattern)`, broken]];
  }
  const out: Array<[string, string]> = [];
  const why = branches.denyList ? 'a character it forbids' : 'outside its character set';
  for (const c of refusedBranches(branches)) out.push([`with ${JSON.stringify(c)} (${why})`, insideAt(base, c)]);
  for (const c of refusedFirstBranches(branches)) out.push([`starting with ${JSON.stringify(c)} (against its first-character rule)`, firstOf(base, c)]);
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
