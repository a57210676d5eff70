// Requests derived from an operation's documentation: the valid one (its example, with the run's
// fixtures put where the schema says x-fixture), the boundary ones (every maxLength at and just past
// its limit) and the invalid ones (a required member missing, a wrong type, an unknown member...).
// Each derived request names the clause its answer is judged under.
import type { RefusalKind } from '../checks/refusal.ts';
import type { Operation, Profile } from '../profile/load.ts';
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
    const max = site.schema.maxLength;
    if (typeof max !== 'number' || !(allowedTypes(site.schema) ?? []).includes('string')) continue;
    const clause = clauseFor(profile.doc, site.pointer, 'maxLength') ?? fallback;
    const prefix = site.schema['x-fixture'] === 'name' ? namePrefix : '';
    for (const [n, expect] of [[max, 'accepted'], [max + 1, 'invalid-body']] as const) {
      const value = filler(site.schema, n, prefix);
      if (value === undefined) continue;
      const body = place(site, valid, value);
      if (body === undefined) continue;
      const what = site.kind === 'map-key' ? `a key of ${describePath(site.path)}` : site.kind === 'map-value' ? `a value of ${describePath(site.path)}` : describePath(site.path);
      out.push({ title: `${what} of ${n} characters`, clause, body, expect });
    }
  }
  return out;
}

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

/** The valid body cut in the middle: what a client that lost its connection would send. */
function truncatedJson(valid: unknown): string {
  const text = JSON.stringify(valid);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
