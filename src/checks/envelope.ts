// The error envelope: every 4xx/5xx body has the profile's shape (a schema); where the profile says
// so, a member carries the HTTP status (Cinder's named fault {"<name>": {"code": <status>}}, a
// nested {"error": {"code": <status>}}), and the error's code is the one documented for its status
// (the fault's name, or a member such as DigitalOcean's "id": "not_found").
import type { Exchange } from '../http/exchange.ts';
import type { Validators } from '../validate/validators.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

const errorBody = (ex: Exchange) => {
  const r = ex.response;
  if (!r || r.status < 400) return notApplicable('not an error answer');
  if (r.bodyBytes === 0) return notApplicable('no body');
  return r;
};

export const envelopeShape = defineCheck<{ exchange: Exchange; validators: Validators; schemaPointer: string }>({
  id: 'envelope.shape',
  summary: 'An error body has the profile\'s error envelope shape.',
  judge({ exchange, validators, schemaPointer }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    if (r.json === undefined) {
      return [{ title: 'error body is not JSON', expected: 'the error envelope', actual: show(r.body) }];
    }
    return validators.validate(schemaPointer, r.json).map<Failure>((f) => ({
      title: `error envelope: ${f.rule.replace('the body', 'the error body')}`,
      expected: 'the error envelope',
      actual: `${f.pointer}: ${f.message}; body ${show(r.json)}`,
      pointer: f.pointer,
    }));
  },
});

/** The single fault of a named-fault body, when it has that shape. */
function namedFault(json: unknown): { name: string; inner: Record<string, unknown> } | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const entries = Object.entries(json);
  if (entries.length !== 1) return undefined;
  const [name, inner] = entries[0]!;
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return undefined;
  return { name, inner: inner as Record<string, unknown> };
}

/**
 * The value at a pointer of an error body, and the pointer it was found at; a segment "*" is the
 * one member of a named fault ({"itemNotFound": {"code": 404}} at /{*}/code).
 */
function valueAt(json: unknown, at: string): { value: unknown; pointer: string } | undefined {
  const keys = at.split('/').slice(1);
  let node: unknown = json;
  const path: string[] = [];
  for (const key of keys) {
    if (key === '*') {
      const fault = namedFault(node);
      if (!fault) return undefined;
      path.push(fault.name);
      node = fault.inner;
      continue;
    }
    if (!node || typeof node !== 'object') return undefined;
    const k = key.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(k);
    node = (node as Record<string, unknown>)[k];
  }
  return { value: node, pointer: `/${path.join('/')}` };
}

export const faultCodeIsStatus = defineCheck<{ exchange: Exchange; at: string }>({
  id: 'envelope.code',
  summary: 'The member of the error body that carries the status equals the HTTP status.',
  judge({ exchange, at }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    const found = valueAt(r.json, at);
    if (!found) return notApplicable(`no member at ${at} to read a status from`);
    if (found.value === r.status) return [];
    return [{ title: 'the status in the error body differs from the HTTP status', expected: String(r.status), actual: show(found.value), pointer: found.pointer }];
  },
});

export const faultName = defineCheck<{ exchange: Exchange; byStatus: Record<string, string[]>; otherwise: string[]; at?: string }>({
  id: 'envelope.name',
  summary: "The error's code (the fault's name, or the member at a pointer) is the one documented for its status.",
  judge({ exchange, byStatus, otherwise, at }) {
    const r = errorBody(exchange);
    if ('notApplicable' in r) return r;
    let code: unknown;
    let pointer = '/';
    if (at === undefined) {
      const fault = namedFault(r.json);
      if (!fault) return notApplicable('no named fault');
      code = fault.name;
    } else {
      const found = valueAt(r.json, at);
      if (!found) return notApplicable(`no member at ${at}`);
      ({ value: code, pointer } = found);
    }
    const allowed = byStatus[String(r.status)] ?? otherwise;
    if (typeof code === 'string' && allowed.includes(code)) return [];
    return [{ title: `a ${r.status} error with the code ${show(code)}`, expected: allowed.join(' or '), actual: show(code), pointer }];
  },
});
